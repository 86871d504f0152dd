//! The seeded traffic model behind each gateway pod: which requests arrive in which second.
//! Logs print these requests; metrics count the very same ones.

/// SplitMix64 hash of several inputs: the only source of randomness, so everything is repeatable.
pub fn mix(parts: &[u64]) -> u64 {
    let mut x: u64 = 0x243F_6A88_85A3_08D3;
    for p in parts {
        x ^= p
            .wrapping_add(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(x << 6)
            .wrapping_add(x >> 2);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^= x >> 31;
    }
    x
}

pub fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A uniform number in `[0, 1)` from a hash.
pub fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// One route behind the gateway (an Ingress rule).
#[derive(Debug, Clone)]
pub struct Route {
    pub namespace: String,
    pub ingress: String,
    pub host: String,
    pub path: String,
    pub service: String,
    pub port: u16,
    /// Share of the traffic, relative.
    pub weight: f64,
}

/// A host served over TLS (an Ingress `spec.tls` entry), for `ssl_expire_time_seconds`.
#[derive(Debug, Clone, PartialEq)]
pub struct TlsHost {
    pub host: String,
    pub secret: String,
    /// The certificate's NotAfter (Unix seconds).
    pub not_after: i64,
}

/// Scheduled incidents (see [`crate::history::Timeline`]), the same for every pod.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Incidents {
    /// `[from, to)` (Unix seconds) and the share of requests answered 502/503/504 then.
    pub bursts: Vec<(i64, i64, f64)>,
    /// `[from, to)`: the upstreams answer slowly.
    pub spikes: Vec<(i64, i64)>,
    /// `[from, to)`: no random bursts, so that the scheduled ones stand out.
    pub quiet: (i64, i64),
}

/// One simulated request.
#[derive(Debug, Clone)]
pub struct Request {
    pub second: i64,
    pub route: usize,
    pub client: String,
    pub method: &'static str,
    pub uri: String,
    pub status: u16,
    pub body_bytes: u64,
    pub request_length: u64,
    pub request_time: f64,
    pub upstream_addr: String,
    pub user_agent: &'static str,
    pub req_id: String,
}

const AGENTS: [&str; 4] = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "curl/8.5.0",
    "okhttp/4.12.0",
];
const HOSTILE_AGENT: &str =
    "<script>alert('ua')</script> \u{1b}[31mRED\u{1b}[0m \u{202e}tnega\u{202c}";
const PATHS: [&str; 6] = [
    "/",
    "/api/v1/items",
    "/api/v1/orders",
    "/static/app.js",
    "/login",
    "/api/v1/items?page=2",
];

/// Share of requests answered 5xx during a random (unscheduled) burst.
pub const RANDOM_BURST_SHARE: f64 = 0.15;
/// Share of requests answered 5xx during a scheduled burst.
pub const SCHEDULED_BURST_SHARE: f64 = 0.6;

/// Status and method of a request from its uniform draw `u` (and `h3` for the variant), when a
/// share `burst` of requests fails with 502/503/504. [`status_probabilities`] is the same
/// table as probabilities.
pub fn pick_status(u: f64, h3: u64, burst: f64) -> (u16, &'static str) {
    let status = if u < burst {
        [502, 503, 504][(h3 % 3) as usize]
    } else if u < 0.9 {
        200
    } else if u < 0.93 {
        [201, 204][(h3 % 2) as usize]
    } else if u < 0.95 {
        [301, 304][(h3 % 2) as usize]
    } else if u < 0.99 {
        [400, 401, 403, 404, 404, 429][(h3 % 6) as usize]
    } else {
        500
    };
    let method = if status == 200 && u > 0.6 && u < 0.7 {
        "POST"
    } else {
        "GET"
    };
    (status, method)
}

/// `(status, method, probability)` of [`pick_status`] for a burst share `burst` (at most 0.9).
pub fn status_probabilities(burst: f64) -> Vec<(u16, &'static str, f64)> {
    let burst = burst.clamp(0.0, 0.9);
    let post = (0.7 - burst.max(0.6)).max(0.0);
    let mut out = Vec::with_capacity(15);
    if burst > 0.0 {
        for s in [502, 503, 504] {
            out.push((s, "GET", burst / 3.0));
        }
    }
    out.push((200, "GET", 0.9 - burst - post));
    if post > 0.0 {
        out.push((200, "POST", post));
    }
    for (s, p) in [
        (201, 0.015),
        (204, 0.015),
        (301, 0.01),
        (304, 0.01),
        (400, 0.04 / 6.0),
        (401, 0.04 / 6.0),
        (403, 0.04 / 6.0),
        (404, 0.08 / 6.0),
        (429, 0.04 / 6.0),
        (500, 0.01),
    ] {
        out.push((s, "GET", p));
    }
    out
}

/// `$request_time` of a request with status `status` from the uniform draw `lat`, during a
/// latency spike or not.
pub fn request_time(status: u16, lat: f64, spike: bool) -> f64 {
    match status {
        504 => 60.0 + lat * 0.01,
        502 | 503 => 0.001 + lat * 0.004,
        // mostly fast, long tail
        _ if spike => 0.25 + 2.0 * lat * lat + 0.002 + 0.3 * lat.powi(6) + 0.02 * lat,
        _ => 0.002 + 0.3 * lat.powi(6) + 0.02 * lat,
    }
}

/// Bytes of the response body of a request with status `status` (`h` uniform).
pub fn body_bytes(status: u16, h: u64) -> u64 {
    if status == 204 || status == 304 {
        0
    } else {
        150 + h % 8000
    }
}

/// `$request_length` (`h` uniform).
pub fn request_length(h: u64) -> u64 {
    180 + h % 900
}

/// The traffic of one pod of one gateway.
#[derive(Debug, Clone)]
pub struct PodTraffic {
    pub seed: u64,
    pub pod: String,
    pub routes: Vec<Route>,
    /// Mean requests per second at the daily peak (this pod's share of its gateway's traffic).
    pub peak_rps: f64,
    pub tls: Vec<TlsHost>,
    pub incidents: std::sync::Arc<Incidents>,
    /// From this second on (Unix), this many requests per second instead of [`Self::rate`]'s
    /// diurnal curve (devcluster's `--log-rate`; logs and metrics count the same requests).
    pub fixed_rate: Option<(i64, f64)>,
}

impl PodTraffic {
    /// Requests per second around `second` (Unix time): a diurnal curve peaking at 14:00 UTC,
    /// 30 % lower on Saturdays and Sundays.
    pub fn rate(&self, second: i64) -> f64 {
        let day = 86_400.0;
        let phase = ((second as f64).rem_euclid(day) / day - 14.0 / 24.0) * std::f64::consts::TAU;
        // 1970-01-01 was a Thursday
        let weekday = (second.div_euclid(86_400) + 4).rem_euclid(7);
        let week = if weekday == 0 || weekday == 6 {
            0.7
        } else {
            1.0
        };
        self.peak_rps * week * (0.55 + 0.45 * phase.cos())
    }

    /// The share of requests answered 502/503/504 in `second`: a scheduled burst, a random
    /// burst (a few minutes every few hours, per pod), or none.
    pub fn burst_share(&self, second: i64) -> f64 {
        if let Some((_, _, share)) = self
            .incidents
            .bursts
            .iter()
            .find(|(from, to, _)| (*from..*to).contains(&second))
        {
            return *share;
        }
        let (q0, q1) = self.incidents.quiet;
        if (q0..q1).contains(&second) {
            return 0.0;
        }
        let window = second.div_euclid(300);
        if mix(&[self.seed, hash_str(&self.pod) >> 8, window as u64, 77]).is_multiple_of(36) {
            RANDOM_BURST_SHARE
        } else {
            0.0
        }
    }

    /// Whether the upstreams answer slowly in `second`.
    pub fn in_spike(&self, second: i64) -> bool {
        self.incidents
            .spikes
            .iter()
            .any(|(from, to)| (*from..*to).contains(&second))
    }

    /// The hash every draw of `second` derives from, and how many requests arrive in it.
    fn draw(&self, second: i64) -> (u64, u64) {
        if self.routes.is_empty() {
            return (0, 0);
        }
        let pod = hash_str(&self.pod);
        let base = mix(&[self.seed, pod, second as u64]);
        let rate = match self.fixed_rate {
            Some((from, rate)) if second >= from => rate,
            _ => self.rate(second),
        };
        let count = rate.floor() as u64 + u64::from(unit(base) < rate.fract());
        (base, count)
    }

    /// How many requests arrive in `second` and how many of them fail with an nginx error line
    /// (502, 504), without building them: `requests(second).len()` and the `Some`s of
    /// [`Self::error_line`] over them.
    pub fn counts(&self, second: i64) -> (u64, u64) {
        let (base, count) = self.draw(second);
        let burst = self.burst_share(second);
        if burst <= 0.0 {
            return (count, 0);
        }
        let errors = (0..count)
            .filter(|&i| {
                let (status, _) = pick_status(unit(mix(&[base, i, 2])), mix(&[base, i, 3]), burst);
                matches!(status, 502 | 504)
            })
            .count() as u64;
        (count, errors)
    }

    /// The requests of one second, in order.
    pub fn requests(&self, second: i64) -> Vec<Request> {
        let (base, count) = self.draw(second);
        if count == 0 {
            return Vec::new();
        }
        let total_weight: f64 = self.routes.iter().map(|r| r.weight).sum();
        let burst = self.burst_share(second);
        let spike = self.in_spike(second);
        (0..count)
            .map(|i| {
                let h = |k: u64| mix(&[base, i, k]);
                let mut pick = unit(h(1)) * total_weight;
                let mut route = 0;
                for (j, r) in self.routes.iter().enumerate() {
                    if pick < r.weight {
                        route = j;
                        break;
                    }
                    pick -= r.weight;
                }
                let r = &self.routes[route];
                let (status, method) = pick_status(unit(h(2)), h(3), burst);
                let request_time = request_time(status, unit(h(4)), spike);
                let path = PATHS[(h(5) % PATHS.len() as u64) as usize];
                let uri = if r.path == "/" {
                    path.to_string()
                } else {
                    format!("{}{}", r.path.trim_end_matches('/'), path)
                };
                Request {
                    second,
                    route,
                    client: format!("192.168.{}.{}", 10 + h(6) % 20, 2 + h(7) % 250),
                    method,
                    uri,
                    status,
                    body_bytes: body_bytes(status, h(8)),
                    request_length: request_length(h(9)),
                    request_time: (request_time * 1000.0).round() / 1000.0,
                    upstream_addr: format!(
                        "10.233.{}.{}:{}",
                        64 + h(10) % 8,
                        2 + h(11) % 200,
                        r.port
                    ),
                    // routes with markup in their host (the hostile scenario) attract hostile clients
                    user_agent: if r.host.contains('<') && h(12).is_multiple_of(2) {
                        HOSTILE_AGENT
                    } else {
                        AGENTS[(h(12) % AGENTS.len() as u64) as usize]
                    },
                    req_id: format!("{:016x}{:016x}", h(13), h(14)),
                }
            })
            .collect()
    }

    /// The access line ingress-nginx writes for a request (default `log-format-upstream`).
    pub fn access_line(&self, req: &Request) -> String {
        self.access_line_at(req, &access_time(req.second))
    }

    /// [`Self::access_line`] with its `$time_local` ([`access_time`]) already formatted.
    pub fn access_line_at(&self, req: &Request, time: &str) -> String {
        let r = &self.routes[req.route];
        let upstream = format!("{}-{}-{}", r.namespace, r.service, r.port);
        let (addr, len, utime, ustatus) = match req.status {
            502 | 503 => (
                format!("{0}, {0}, {0}", req.upstream_addr),
                "0, 0, 0".to_string(),
                "0.001, 0.001, 0.000".to_string(),
                format!("{0}, {0}, {0}", req.status),
            ),
            _ => (
                req.upstream_addr.clone(),
                req.body_bytes.to_string(),
                format!("{:.3}", req.request_time),
                req.status.to_string(),
            ),
        };
        format!(
            "{} - - [{}] \"{} {} HTTP/1.1\" {} {} \"-\" \"{}\" {} {:.3} [{}] [] {} {} {} {} {}",
            req.client,
            time,
            req.method,
            req.uri,
            req.status,
            req.body_bytes,
            req.user_agent,
            req.request_length,
            req.request_time,
            upstream,
            addr,
            len,
            utime,
            ustatus,
            req.req_id
        )
    }

    /// The nginx error line that accompanies a failed upstream request, if any.
    pub fn error_line(&self, req: &Request) -> Option<String> {
        self.error_line_at(req, &error_time(req.second))
    }

    /// [`Self::error_line`] with its time ([`error_time`]) already formatted.
    pub fn error_line_at(&self, req: &Request, time: &str) -> Option<String> {
        let r = &self.routes[req.route];
        let what = match req.status {
            504 => "upstream timed out (110: Operation timed out) while reading response header from upstream",
            502 => "connect() failed (111: Connection refused) while connecting to upstream",
            _ => return None,
        };
        let pid = 30 + (mix(&[hash_str(&self.pod)]) % 4);
        Some(format!(
            "{time} [error] {pid}#{pid}: *{} {what}, client: {}, server: {}, request: \"{} {} HTTP/1.1\", upstream: \"http://{}{}\", host: \"{}\"",
            mix(&[hash_str(&req.req_id)]) % 100_000,
            req.client, r.host, req.method, req.uri, req.upstream_addr, req.uri, r.host
        ))
    }
}

/// `$time_local` of an access line written in `second`.
pub fn access_time(second: i64) -> String {
    jiff::Timestamp::from_second(second)
        .unwrap_or_default()
        .strftime("%d/%b/%Y:%H:%M:%S +0000")
        .to_string()
}

/// The time of an nginx error line written in `second`.
pub fn error_time(second: i64) -> String {
    jiff::Timestamp::from_second(second)
        .unwrap_or_default()
        .strftime("%Y/%m/%d %H:%M:%S")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> PodTraffic {
        PodTraffic {
            seed: 1,
            pod: "p".into(),
            routes: vec![Route {
                namespace: "demo".into(),
                ingress: "shop".into(),
                host: "shop.example.com".into(),
                path: "/".into(),
                service: "shop-web".into(),
                port: 80,
                weight: 1.0,
            }],
            peak_rps: 5.0,
            tls: Vec::new(),
            incidents: Default::default(),
            fixed_rate: None,
        }
    }

    #[test]
    fn counts_agree_with_the_requests() {
        let mut m = model();
        // a burst, so that some requests get error lines
        m.incidents = std::sync::Arc::new(Incidents {
            bursts: vec![(1_700_000_000, 1_700_000_300, SCHEDULED_BURST_SHARE)],
            ..Default::default()
        });
        let mut errors = 0;
        for second in 1_699_999_900..1_700_000_400 {
            let reqs = m.requests(second);
            let e = reqs.iter().filter(|r| m.error_line(r).is_some()).count() as u64;
            assert_eq!(m.counts(second), (reqs.len() as u64, e), "{second}");
            errors += e;
        }
        assert!(errors > 100, "{errors}");
        // --log-rate: a fixed rate from a second on
        m.fixed_rate = Some((1_700_000_000, 2000.0));
        assert!(m.requests(1_699_999_999).len() < 20);
        assert_eq!(m.requests(1_700_000_000).len(), 2000);
        assert_eq!(m.counts(1_700_000_001).0, 2000);
    }

    #[test]
    fn status_table_matches_the_draws() {
        for burst in [0.0, RANDOM_BURST_SHARE, SCHEDULED_BURST_SHARE] {
            let table = status_probabilities(burst);
            let total: f64 = table.iter().map(|(_, _, p)| p).sum();
            assert!((total - 1.0).abs() < 1e-9, "{burst}: {total}");
            let n = 200_000;
            let mut seen = std::collections::HashMap::new();
            for i in 0..n {
                let h = mix(&[i, 5]);
                *seen
                    .entry(pick_status(unit(h), mix(&[h]), burst))
                    .or_insert(0u64) += 1;
            }
            for (status, method, p) in table {
                let got = *seen.get(&(status, method)).unwrap_or(&0) as f64 / n as f64;
                assert!(
                    (got - p).abs() < 0.004,
                    "{burst} {status} {method}: {got} vs {p}"
                );
            }
        }
    }

    #[test]
    fn deterministic_and_parseable() {
        let m = model();
        let a = m.requests(1_700_000_000);
        let b = m.requests(1_700_000_000);
        assert_eq!(a.len(), b.len());
        let total: usize = (0..600).map(|s| m.requests(1_700_000_000 + s).len()).sum();
        assert!(total > 600, "{total}");
        for r in m.requests(1_700_000_050) {
            let line = m.access_line(&r);
            let parsed = gateway_model::access_log::parse_access(&line)
                .unwrap_or_else(|| panic!("unparsed: {line}"));
            assert_eq!(parsed.status, r.status);
        }
    }
}
