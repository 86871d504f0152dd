//! Injected faults (`--faults`), for the app's resilience tests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// `latency=200ms,errors=0.2,watch-drop=30s,conflicts=0.5,max-gateway-replicas=5,
/// fail=ks-router,throttle=gateways:2` — each part optional.
#[derive(Debug, Default)]
pub struct Faults {
    /// Requests (not watches) whose `METHOD path?query` contains one of these texts fail with
    /// 500 — always, or the first N times (`fail=TEXT:N`).
    pub fail: Vec<(String, Option<AtomicU64>)>,
    /// The first N requests (not watches) whose path and query contain the text are answered
    /// 429 Too Many Requests with `Retry-After: 1`.
    pub throttle: Option<(String, AtomicU64)>,
    pub latency: Duration,
    /// Fraction of non-watch requests answered 500/503/429.
    pub error_rate: f64,
    /// Watches are closed by the server after this long.
    pub watch_drop: Option<Duration>,
    /// Fraction of writes (PUT/PATCH) answered 409 Conflict.
    pub conflict_rate: f64,
    /// An admission policy: Gateway writes with more replicas are refused with 422 Invalid and a
    /// field cause on `spec.deployment.replicas` (as a ValidatingAdmissionPolicy does).
    pub max_gateway_replicas: Option<i64>,
    counter: AtomicU64,
}

fn duration(s: &str) -> Result<Duration, String> {
    let (num, unit) = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map(|i| s.split_at(i))
        .unwrap_or((s, "s"));
    let n: f64 = num.parse().map_err(|_| format!("bad duration {s:?}"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" | "" => n,
        "m" => n * 60.0,
        _ => return Err(format!("bad duration unit in {s:?} (use ms, s or m)")),
    };
    Ok(Duration::from_secs_f64(secs))
}

fn rate(s: &str) -> Result<f64, String> {
    let r: f64 = s.parse().map_err(|_| format!("bad rate {s:?}"))?;
    if (0.0..=1.0).contains(&r) {
        Ok(r)
    } else {
        Err(format!("rate {s} must be between 0 and 1"))
    }
}

/// Which error an injected failure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InjectedError {
    Internal,
    Unavailable,
    TooManyRequests,
}

impl Faults {
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut f = Faults::default();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| format!("expected key=value in {part:?}"))?;
            match k {
                "latency" => f.latency = duration(v)?,
                "errors" => f.error_rate = rate(v)?,
                "watch-drop" => f.watch_drop = Some(duration(v)?),
                "conflicts" => f.conflict_rate = rate(v)?,
                "fail" if !v.is_empty() => f.fail.push(
                    match v.rsplit_once(':').and_then(|(t, n)| Some((t, n.parse().ok()?))) {
                        Some((text, count)) if !text.is_empty() => {
                            (text.to_string(), Some(AtomicU64::new(count)))
                        }
                        _ => (v.to_string(), None),
                    },
                ),
                "throttle" => {
                    let (text, count) = v
                        .rsplit_once(':')
                        .filter(|(t, _)| !t.is_empty())
                        .ok_or_else(|| format!("throttle wants TEXT:COUNT, got {v:?}"))?;
                    let count = count
                        .parse()
                        .map_err(|_| format!("bad throttle count {count:?}"))?;
                    f.throttle = Some((text.to_string(), AtomicU64::new(count)));
                }
                "max-gateway-replicas" => {
                    f.max_gateway_replicas =
                        Some(v.parse().map_err(|_| format!("bad replica count {v:?}"))?)
                }
                _ => {
                    return Err(format!(
                        "unknown fault {k:?} (latency, errors, watch-drop, conflicts, max-gateway-replicas, fail, throttle)"
                    ))
                }
            }
        }
        Ok(f)
    }

    /// Deterministic pseudo-random draw in [0, 1).
    fn draw(&self) -> f64 {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut x = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^= x >> 31;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn error(&self) -> Option<InjectedError> {
        if self.error_rate <= 0.0 {
            return None;
        }
        let d = self.draw();
        if d >= self.error_rate {
            return None;
        }
        Some(match (d / self.error_rate * 3.0) as u32 {
            0 => InjectedError::Internal,
            1 => InjectedError::Unavailable,
            _ => InjectedError::TooManyRequests,
        })
    }

    /// True when a request to `target` (`METHOD path?query`) is to fail (`fail=`); counts it.
    pub fn fails(&self, target: &str) -> bool {
        self.fail.iter().any(|(text, left)| {
            target.contains(text.as_str())
                && left.as_ref().is_none_or(|left| {
                    left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                        .is_ok()
                })
        })
    }

    /// True when a request to `target` is to be throttled (`throttle=`); counts it.
    pub fn throttles(&self, target: &str) -> bool {
        let Some((text, left)) = &self.throttle else {
            return false;
        };
        target.contains(text.as_str())
            && left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok()
    }

    pub fn conflict(&self) -> bool {
        self.conflict_rate > 0.0 && self.draw() < self.conflict_rate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_draws() {
        let f = Faults::parse("latency=150ms,errors=0.5,watch-drop=2s,conflicts=1").unwrap();
        assert_eq!(f.latency, Duration::from_millis(150));
        assert_eq!(f.watch_drop, Some(Duration::from_secs(2)));
        assert!(f.conflict());
        let hits = (0..1000).filter(|_| f.error().is_some()).count();
        assert!((400..600).contains(&hits), "{hits}");
        assert!(Faults::parse("bogus=1").is_err());
        assert_eq!(
            Faults::parse("max-gateway-replicas=3")
                .unwrap()
                .max_gateway_replicas,
            Some(3)
        );
        assert!(Faults::parse("max-gateway-replicas=x").is_err());
        assert!(Faults::parse("errors=2").is_err());
        let f = Faults::parse("fail=ks-router,throttle=/gateways:2").unwrap();
        assert!(f.fails("GET /api/v1/services?labelSelector=component=ks-router"));
        assert!(
            f.fails("GET /api/v1/services?labelSelector=component=ks-router"),
            "always"
        );
        assert!(!f.fails("GET /api/v1/services"));
        let once = Faults::parse("fail=POST /apis/x/gateways?fieldManager:1").unwrap();
        assert!(!once.fails("POST /apis/x/gateways?dryRun=All&fieldManager=a"));
        assert!(once.fails("POST /apis/x/gateways?fieldManager=a"));
        assert!(
            !once.fails("POST /apis/x/gateways?fieldManager=a"),
            "only once"
        );
        assert!(f.throttles("/apis/x/gateways?limit=1"));
        assert!(!f.throttles("/api/v1/nodes"), "other paths pass");
        assert!(f.throttles("/apis/x/gateways"));
        assert!(!f.throttles("/apis/x/gateways"), "only the first two");
        assert!(Faults::parse("throttle=2").is_err());
        assert!(Faults::parse("throttle=x:y").is_err());
    }
}
