//! The week before devcluster started, for Prometheus: a [`Timeline`] of scheduled incidents
//! and an aggregated form of the traffic model that advances a pod's counters by one 30-second
//! tick at a time (expected counts per series, not individual requests), so that seven days
//! are computed in milliseconds. [`crate::backfill`] writes it into Prometheus' TSDB; the live
//! `/metrics` of a pod that existed at start continue from the same counters (no reset).
//!
//! Times relative to the start `S` (`T` = `S` rounded down to 10 minutes, `H` = `S` rounded
//! down to 30 minutes minus one hour, `W` = start of the 6-hour UTC block before the one holding
//! `S`; see [`Timeline::new`]). Anchoring to these instead of `S` lets the backfill cache all but
//! the last ≤ 10 minutes ([`Timeline::segments`]):
//!
//! | what | when | relative to the start |
//! |---|---|---|
//! | 5xx burst, 60 % of requests fail (502/503/504), every pod | `T-40m` to `T-35m` | begins 40–50 min before |
//! | failed config reload, then a successful one | `T-22m`, `T-17m` | 22–32 min before, fixed 5 min later |
//! | latency spike (p50 ≈ 0.8 s, p95 ≈ 2 s), every pod | `H-100m` to `H-80m` | begins 2h40m–3h10m before |
//! | older 5xx burst, 60 % | `W-42h` to `W-42h+6m` | 2d0h–2d6h before |
//! | older failed reload, fixed 3 minutes later | `W-3d+1h` | about 3.5 days before |
//! | no random bursts (so the scheduled ones stand out) | `H-1h` to `S` | at least the last 2 hours |
//! | counters start (the pods' notional start) | `W-7d` | 7d6h–7d12h before |

use std::sync::{Arc, OnceLock};

use crate::metrics::{PodState, LENGTH_BUCKETS, SIZE_BUCKETS, TIME_BUCKETS};
use crate::traffic::{
    body_bytes, hash_str, mix, request_length, request_time, status_probabilities, unit, Incidents,
    PodTraffic,
};

/// Seconds per step of the aggregated model (and the finest backfill resolution).
pub const TICK: i64 = 30;
pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;
/// How much history a start has (at least).
pub const HISTORY_SECONDS: i64 = 7 * DAY;

/// Spacing of backfilled samples by age: fine enough that every range the Monitoring tab
/// offers finds at least two samples in its rate window (`max(2 × step, 1m)`, with the step
/// that keeps a range under 300 points).
pub const RESOLUTION: [(i64, i64); 8] = [
    (150 * 60, 30),
    (5 * HOUR, 60),
    (10 * HOUR, 120),
    (25 * HOUR, 300),
    (50 * HOUR, 600),
    (75 * HOUR, 900),
    (150 * HOUR, 1800),
    (i64::MAX, 3600),
];

/// Sample spacing (seconds) for data `age` seconds old.
pub fn spacing(age: i64) -> i64 {
    RESOLUTION
        .iter()
        .find(|(below, _)| age < *below)
        .map_or(3600, |(_, s)| *s)
}

/// One nginx reload: when, and whether it worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reload {
    pub at: i64,
    pub ok: bool,
}

/// Reload metrics of a pod at some time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReloadState {
    pub success: u64,
    pub errors: u64,
    pub last_ok: bool,
    pub last_success: i64,
    pub hash: u64,
}

impl ReloadState {
    /// A pod that has not loaded its configuration yet.
    pub fn fresh(started: i64) -> Self {
        ReloadState {
            success: 0,
            errors: 0,
            last_ok: true,
            last_success: started,
            hash: 0,
        }
    }

    /// Applies a reload at `at`; `hash` is the new configuration's.
    pub fn apply(&mut self, at: i64, ok: bool, hash: u64) {
        if ok {
            self.success += 1;
            self.last_success = at;
            self.hash = hash;
        } else {
            self.errors += 1;
            self.hash = 0;
        }
        self.last_ok = ok;
    }
}

/// One backfill segment: `[from, to)` (the last one `[from, to]`), sampled by [`spacing`] of
/// the age relative to `reference` (the earliest start that shares the segment); a cached one
/// is reused by every start with the same `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub name: &'static str,
    pub from: i64,
    pub to: i64,
    pub reference: i64,
    pub cached: bool,
}

/// When things happened before the start (see the module documentation).
#[derive(Debug, Clone)]
pub struct Timeline {
    /// `S`: when devcluster started (Unix seconds).
    pub start: i64,
    /// The last backfilled instant (`S` rounded down to a tick); live counting continues from it.
    pub end: i64,
    /// `W`: the week segment ends here (6-hour granularity).
    pub week: i64,
    /// `H`: the hours segment ends here (half-hour granularity).
    pub hours: i64,
    /// `T`: the tail segment ends here and the per-start segment begins (10-minute granularity).
    pub tail: i64,
    /// `W - 7d`: counters count from here.
    pub origin: i64,
    /// `S` rounded down to the UTC day: certificates' NotAfter is relative to it.
    pub day: i64,
    pub incidents: Arc<Incidents>,
    pub reloads: Vec<Reload>,
    pub seed: u64,
}

impl Timeline {
    pub fn new(start: i64, seed: u64) -> Self {
        let floor = |t: i64, unit: i64| t.div_euclid(unit) * unit;
        let m = 60;
        let week = floor(start, 6 * HOUR) - 6 * HOUR;
        let hours = floor(start, 30 * m) - HOUR;
        let tail = floor(start, 10 * m);
        let origin = week - HISTORY_SECONDS;
        let incidents = Incidents {
            bursts: vec![
                (
                    week - 42 * HOUR,
                    week - 42 * HOUR + 6 * m,
                    crate::traffic::SCHEDULED_BURST_SHARE,
                ),
                (
                    tail - 40 * m,
                    tail - 35 * m,
                    crate::traffic::SCHEDULED_BURST_SHARE,
                ),
            ],
            spikes: vec![(hours - 100 * m, hours - 80 * m)],
            quiet: (hours - HOUR, start),
        };
        let r = |at: i64, ok: bool| Reload { at, ok };
        let reloads = vec![
            r(origin, true),
            r(week - 6 * DAY + 2 * HOUR + 13 * m, true),
            r(week - 4 * DAY + 9 * HOUR + 41 * m, true),
            r(week - 3 * DAY + HOUR, false),
            r(week - 3 * DAY + HOUR + 3 * m, true),
            r(week - DAY + 4 * HOUR + 22 * m, true),
            r(hours - 4 * HOUR, true),
            r(tail - 22 * m, false),
            r(tail - 17 * m, true),
        ];
        Timeline {
            start,
            end: floor(start, TICK),
            week,
            hours,
            tail,
            origin,
            day: floor(start, DAY),
            incidents: Arc::new(incidents),
            reloads,
            seed,
        }
    }

    /// The backfill segments, oldest first. Everything in a cached segment depends only on its
    /// `to` (the anchors before it derive from it), so it can be reused by later starts.
    pub fn segments(&self) -> [Segment; 4] {
        [
            Segment {
                name: "week",
                from: self.origin,
                to: self.week,
                reference: self.week + 6 * HOUR,
                cached: true,
            },
            Segment {
                name: "hours",
                from: self.week,
                to: self.hours,
                reference: self.hours + HOUR,
                cached: true,
            },
            Segment {
                name: "tail",
                from: self.hours,
                to: self.tail,
                reference: self.tail,
                cached: true,
            },
            Segment {
                name: "recent",
                from: self.tail,
                to: self.end,
                reference: self.start,
                cached: false,
            },
        ]
    }

    /// Reload metrics at `t` of a pod that existed since the origin.
    pub fn reload_state(&self, t: i64) -> ReloadState {
        let mut s = ReloadState::fresh(self.origin);
        for (i, r) in self.reloads.iter().enumerate().filter(|(_, r)| r.at <= t) {
            s.apply(r.at, r.ok, mix(&[self.seed, i as u64, 4242]));
        }
        s
    }

    /// NotAfter of a certificate valid for about `days` more days after the start.
    pub fn not_after(&self, days: i64) -> i64 {
        self.day + days * DAY + 12 * HOUR
    }

    /// What `/history` of the metrics endpoint answers (for tests and curious humans).
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "start": self.start,
            "end": self.end,
            "origin": self.origin,
            "segments": self.segments().iter().map(|s| serde_json::json!({"name": s.name, "from": s.from, "to": s.to, "cached": s.cached})).collect::<Vec<_>>(),
            "bursts": self.incidents.bursts.iter().map(|(f, t, s)| serde_json::json!({"from": f, "to": t, "share5xx": s})).collect::<Vec<_>>(),
            "latencySpikes": self.incidents.spikes.iter().map(|(f, t)| serde_json::json!({"from": f, "to": t})).collect::<Vec<_>>(),
            "quiet": {"from": self.incidents.quiet.0, "to": self.incidents.quiet.1},
            "reloads": self.reloads.iter().map(|r| serde_json::json!({"at": r.at, "ok": r.ok})).collect::<Vec<_>>(),
            "resolution": RESOLUTION.iter().map(|(below, s)| serde_json::json!({"ageBelow": if *below == i64::MAX { serde_json::Value::Null } else { serde_json::json!(below) }, "spacing": s})).collect::<Vec<_>>(),
        })
    }
}

/// Bucket fractions and mean of one distribution.
#[derive(Debug, Clone)]
pub struct Dist {
    pub fractions: Vec<f64>,
    pub mean: f64,
}

fn latency_dist(status: u16, spike: bool) -> Dist {
    let f = |lat: f64| request_time(status, lat, spike);
    let fractions = TIME_BUCKETS
        .iter()
        .map(|&b| {
            if f(0.0) > b {
                return 0.0;
            }
            if f(1.0) <= b {
                return 1.0;
            }
            let (mut lo, mut hi) = (0.0, 1.0);
            for _ in 0..50 {
                let mid = (lo + hi) / 2.0;
                if f(mid) <= b {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            lo
        })
        .collect();
    let n = 4000;
    let mean = (0..n).map(|i| f((i as f64 + 0.5) / n as f64)).sum::<f64>() / n as f64;
    Dist { fractions, mean }
}

fn uniform_dist(values: impl Fn(u64) -> f64, n: u64, buckets: &[f64]) -> Dist {
    let mut counts = vec![0u64; buckets.len()];
    let mut sum = 0.0;
    for h in 0..n {
        let v = values(h);
        sum += v;
        for (i, b) in buckets.iter().enumerate() {
            if v <= *b {
                counts[i] += 1;
            }
        }
    }
    Dist {
        fractions: counts.iter().map(|c| *c as f64 / n as f64).collect(),
        mean: sum / n as f64,
    }
}

/// The distributions of the histograms, per status class.
pub struct Tables {
    /// [normal, 502/503, 504] × [no spike, spike].
    latency: [[Dist; 2]; 3],
    pub request_length: Dist,
    /// `$bytes_sent` with the length buckets and the size buckets: [with body, without].
    pub sent_length: [Dist; 2],
    pub sent_size: [Dist; 2],
}

impl Tables {
    pub fn latency(&self, status: u16, spike: bool) -> &Dist {
        let class = match status {
            502 | 503 => 1,
            504 => 2,
            _ => 0,
        };
        &self.latency[class][usize::from(spike)]
    }
}

pub fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let both = |s: u16| [latency_dist(s, false), latency_dist(s, true)];
        let sent = |status: u16, buckets: &[f64]| {
            uniform_dist(|h| (body_bytes(status, h) + 200) as f64, 8000, buckets)
        };
        Tables {
            latency: [both(200), both(502), both(504)],
            request_length: uniform_dist(|h| request_length(h) as f64, 900, &LENGTH_BUCKETS),
            sent_length: [sent(200, &LENGTH_BUCKETS), sent(204, &LENGTH_BUCKETS)],
            sent_size: [sent(200, &SIZE_BUCKETS), sent(204, &SIZE_BUCKETS)],
        }
    })
}

/// CPU seconds per second and per request: nginx (the `nginx_process_*` group) and the whole
/// `controller` container (nginx plus the Go controller).
pub const NGINX_CPU_IDLE: f64 = 0.002;
pub const NGINX_CPU_PER_REQUEST: f64 = 0.0012;
pub const CONTROLLER_CPU_IDLE: f64 = 0.003;
pub const CONTROLLER_CPU_PER_REQUEST: f64 = 0.0001;

/// Advances `state` (of a pod that existed since `timeline.origin`) by whole ticks up to `t`.
pub fn advance_to(state: &mut PodState, traffic: &PodTraffic, t: i64) {
    while state.through + TICK <= t {
        tick(state, traffic, state.through + TICK);
    }
}

/// One tick: the requests of `(t - TICK, t]` as expected counts per series, rounded by a
/// seeded draw so that counts are whole and sum up to the model's rate.
fn tick(state: &mut PodState, traffic: &PodTraffic, t: i64) {
    let mid = t - TICK / 2;
    let pod = hash_str(&traffic.pod);
    let noise = 0.85 + 0.3 * unit(mix(&[traffic.seed, pod, t as u64, 1]));
    let expected = traffic.rate(mid) * TICK as f64 * noise;
    let burst = traffic.burst_share(mid);
    let spike = traffic.in_spike(mid);
    let total_weight: f64 = traffic.routes.iter().map(|r| r.weight).sum();
    let probs = status_probabilities(burst);
    let tables = tables();
    let mut n_total = 0.0;
    for (ri, route) in traffic.routes.iter().enumerate() {
        let share = expected * route.weight / total_weight;
        for (si, (status, method, p)) in probs.iter().enumerate() {
            let e = share * p;
            let draw = unit(mix(&[traffic.seed, pod, t as u64, ri as u64, si as u64, 2]));
            let n = (e + draw).floor();
            if n <= 0.0 {
                continue;
            }
            n_total += n;
            let s = state.series_mut(route, *status, method);
            s.requests += n;
            let lat = tables.latency(*status, spike);
            s.duration.add(lat, n);
            if !matches!(status, 502 | 503) {
                s.upstream.add(lat, n);
            }
            s.request_size.add(&tables.request_length, n);
            let no_body = usize::from(*status == 204 || *status == 304);
            s.response_size.add(&tables.sent_length[no_body], n);
            s.bytes_sent.add(&tables.sent_size[no_body], n);
        }
    }
    state.add_time(TICK as f64, n_total);
    state.through = t;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::{pick_status, Route};

    fn traffic(incidents: Arc<Incidents>) -> PodTraffic {
        PodTraffic {
            seed: 3,
            pod: "kubesphere-router-demo-abc-xyz".into(),
            routes: vec![
                Route {
                    namespace: "demo".into(),
                    ingress: "shop".into(),
                    host: "shop.example.com".into(),
                    path: "/".into(),
                    service: "shop".into(),
                    port: 80,
                    weight: 2.0,
                },
                Route {
                    namespace: "demo".into(),
                    ingress: "api".into(),
                    host: "api.example.com".into(),
                    path: "/api".into(),
                    service: "api".into(),
                    port: 80,
                    weight: 1.0,
                },
            ],
            peak_rps: 4.0,
            tls: Vec::new(),
            incidents,
            fixed_rate: None,
        }
    }

    #[test]
    fn timeline_places_the_incidents_in_their_segments() {
        for start in [1_700_000_000, 1_700_003_599, 1_700_021_599, 1_700_021_600] {
            let tl = Timeline::new(start, 1);
            assert!(tl.origin <= start - HISTORY_SECONDS);
            assert!(tl.week < tl.hours && tl.hours <= start - HOUR);
            assert!(tl.tail <= start && start - tl.tail < 600);
            let segs = tl.segments();
            for w in segs.windows(2) {
                assert_eq!(w[0].to, w[1].from);
            }
            assert_eq!((segs[0].from, segs[3].to), (tl.origin, tl.end));
            let (from, to, _) = tl.incidents.bursts[1];
            assert!((2400..=3000).contains(&(start - from)), "{}", start - from);
            assert_eq!(to - from, 300);
            assert!(
                from > tl.hours && to < tl.tail,
                "the recent burst is in the tail segment"
            );
            let (s0, _) = tl.incidents.spikes[0];
            assert!(s0 > tl.week && s0 < tl.hours);
            assert!((9_600..=11_400).contains(&(start - s0)), "{}", start - s0);
            let (b0, _, _) = tl.incidents.bursts[0];
            assert!(b0 < tl.week && (2 * DAY..2 * DAY + 6 * HOUR).contains(&(start - b0)));
            assert!(tl.incidents.quiet.0 <= start - 2 * HOUR);
            let at = tl.tail - 22 * 60;
            assert!((22 * 60..=32 * 60).contains(&(start - at)));
            let before = tl.reload_state(at - 1);
            let failed = tl.reload_state(at + 60);
            let fixed = tl.reload_state(start);
            assert!(before.last_ok && !failed.last_ok && fixed.last_ok);
            assert_eq!(failed.errors, before.errors + 1);
            assert_eq!(fixed.success, failed.success + 1);
            assert_eq!(fixed.last_success, at + 5 * 60);
        }
    }

    #[test]
    fn aggregated_model_matches_the_requests() {
        let tl = Timeline::new(1_700_000_000, 3);
        let t = traffic(tl.incidents.clone());
        // six hours of the aggregated model against the per-second requests
        let (from, to) = (tl.start - 6 * HOUR, tl.start);
        let mut agg = PodState::starting(from);
        advance_to(&mut agg, &t, to);
        let mut exact = PodState::starting(from);
        exact.advance_exact(&t, to);
        let total = |s: &PodState| s.series.values().map(|x| x.requests).sum::<f64>();
        let fivexx = |s: &PodState| {
            s.series
                .iter()
                .filter(|(k, _)| k.status >= 500)
                .map(|(_, x)| x.requests)
                .sum::<f64>()
        };
        let (a, e) = (total(&agg), total(&exact));
        assert!((a / e - 1.0).abs() < 0.03, "{a} vs {e}");
        let (a5, e5) = (fivexx(&agg), fivexx(&exact));
        assert!((a5 / e5 - 1.0).abs() < 0.15, "{a5} vs {e5}");
        let mean = |s: &PodState| {
            let (sum, n) = s.series.values().fold((0.0, 0.0), |(a, b), x| {
                (a + x.duration.sum, b + x.duration.count)
            });
            sum / n
        };
        assert!((mean(&agg) / mean(&exact) - 1.0).abs() < 0.1);
        assert!((agg.cpu_nginx / exact.cpu_nginx - 1.0).abs() < 0.03);
        // every histogram stays consistent: buckets grow with `le` and end at the count
        for s in agg.series.values() {
            for h in [
                &s.duration,
                &s.upstream,
                &s.request_size,
                &s.response_size,
                &s.bytes_sent,
            ] {
                for w in h.counts.windows(2) {
                    assert!(w[0] <= w[1] + 1e-9);
                }
                assert!(h.counts.last().copied().unwrap_or(0.0) <= h.count + 1e-9);
            }
        }
        // the status draw of a request and the table agree (checked in traffic.rs); spot-check
        assert_eq!(pick_status(0.95, 3, 0.0).0, 404);
    }

    #[test]
    fn spike_and_burst_change_the_distributions() {
        let normal = tables().latency(200, false);
        let spike = tables().latency(200, true);
        assert!(spike.mean > 5.0 * normal.mean);
        // p95 under 0.25 s normally, over 1 s in the spike
        let idx = TIME_BUCKETS.iter().position(|b| *b == 0.25).unwrap();
        assert!(normal.fractions[idx] > 0.95 && spike.fractions[idx] < 0.05);
        let idx1 = TIME_BUCKETS.iter().position(|b| *b == 1.0).unwrap();
        assert!(spike.fractions[idx1] < 0.8);
    }
}
