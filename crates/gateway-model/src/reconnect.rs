//! What a list+watch loop does after each outcome: resume the watch or list again, and how long
//! to wait first. Pure, so the policy is tested natively; the browser loop (`src/api/watch.rs`)
//! only carries it out.
//!
//! - Failures back off exponentially (1 s doubling to 30 s) with jitter (×0.5…1), so a thousand
//!   browsers do not reconnect in step after an API server restart.
//! - A stream the server closes at once without sending anything also backs off: without that,
//!   a proxy that closes every watch immediately makes the loop spin.
//! - `410 Gone` re-lists at once the first time; a re-list that is immediately gone again backs
//!   off too.
//! - Anything that may have made the cache diverge (an `ERROR` event, an event that cannot be
//!   decoded) re-lists; a broken or silent connection resumes from the last resourceVersion.

/// Longest wait between attempts.
pub const MAX_BACKOFF_MS: u32 = 30_000;
/// A stream that lived less than this without an event "closed at once".
pub const QUICK_CLOSE_MS: f64 = 1_000.0;

/// Exponential backoff without jitter: 1 s, 2 s, 4 s, … capped at 30 s.
pub fn backoff_ms(failures: u32) -> u32 {
    1000u32
        .saturating_mul(1 << failures.min(5))
        .min(MAX_BACKOFF_MS)
}

/// `ms` scaled by a jitter factor in 0.5…1 (`random` in 0…1, e.g. `Math.random()`).
pub fn jittered(ms: u32, random: f64) -> u32 {
    let factor = 0.5 + random.clamp(0.0, 1.0) / 2.0;
    (f64::from(ms) * factor).round() as u32
}

/// How a watch stream ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEnd {
    /// The server ended the response (normal after `timeoutSeconds`).
    Closed,
    /// A `410 Gone` / `Expired` ERROR event: the resume version is too old.
    Gone,
    /// Another ERROR event from the server.
    ServerError,
    /// An event that could not be decoded: the cache may miss it.
    Undecodable,
    /// Reading the stream failed (connection cut).
    ReadFailed,
    /// Nothing arrived for longer than the server's own timeout plus a margin.
    Silent,
}

/// What to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Next {
    /// List again (the cache is replaced) instead of resuming the watch.
    pub relist: bool,
    /// Wait this long first.
    pub wait_ms: u32,
    /// The user should see that the data may be stale until the loop is live again.
    pub report: bool,
}

/// The loop's memory of recent trouble.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reconnect {
    failures: u32,
    quick_closes: u32,
    gone_in_a_row: u32,
}

impl Reconnect {
    pub fn new() -> Self {
        Self::default()
    }

    /// A list (or re-list) failed: wait before trying again.
    pub fn list_failed(&mut self, random: f64) -> u32 {
        let wait = jittered(backoff_ms(self.failures), random);
        self.failures = self.failures.saturating_add(1);
        wait
    }

    /// A list succeeded.
    pub fn listed(&mut self) {
        self.failures = 0;
    }

    /// The watch request itself failed (no stream): re-list after a wait, since events may
    /// have been missed for longer than the server keeps history. `gone` = it was a 410.
    pub fn watch_failed(&mut self, gone: bool, random: f64) -> Next {
        if gone {
            return self.gone(random);
        }
        let wait_ms = jittered(backoff_ms(self.failures), random);
        self.failures = self.failures.saturating_add(1);
        Next {
            relist: true,
            wait_ms,
            report: true,
        }
    }

    fn gone(&mut self, random: f64) -> Next {
        let wait_ms = if self.gone_in_a_row == 0 {
            0
        } else {
            jittered(backoff_ms(self.gone_in_a_row - 1), random)
        };
        self.gone_in_a_row = self.gone_in_a_row.saturating_add(1);
        Next {
            relist: true,
            wait_ms,
            report: false,
        }
    }

    /// A stream ended after `lived_ms` with `events` events delivered.
    pub fn stream_ended(
        &mut self,
        end: StreamEnd,
        lived_ms: f64,
        events: usize,
        random: f64,
    ) -> Next {
        let healthy = events > 0 || lived_ms >= QUICK_CLOSE_MS;
        if healthy {
            self.failures = 0;
            self.quick_closes = 0;
            if end != StreamEnd::Gone {
                self.gone_in_a_row = 0;
            }
        }
        match end {
            StreamEnd::Closed if healthy => Next {
                relist: false,
                wait_ms: 0,
                report: false,
            },
            StreamEnd::Closed => {
                let wait_ms = jittered(backoff_ms(self.quick_closes), random);
                self.quick_closes = self.quick_closes.saturating_add(1);
                Next {
                    relist: false,
                    wait_ms,
                    report: false,
                }
            }
            StreamEnd::Gone => self.gone(random),
            StreamEnd::ServerError | StreamEnd::Undecodable => {
                let wait_ms = jittered(backoff_ms(self.failures), random);
                self.failures = self.failures.saturating_add(1);
                Next {
                    relist: true,
                    wait_ms,
                    report: true,
                }
            }
            StreamEnd::ReadFailed => {
                let wait_ms = jittered(backoff_ms(self.failures), random);
                self.failures = self.failures.saturating_add(1);
                Next {
                    relist: false,
                    wait_ms,
                    report: true,
                }
            }
            StreamEnd::Silent => Next {
                relist: false,
                wait_ms: 0,
                report: true,
            },
        }
    }
}

/// How often a throttled request (429 Too Many Requests) is sent again before its error is shown.
pub const MAX_THROTTLE_RETRIES: u32 = 3;
/// Longest wait a server may ask for before a retry; a longer one is shown as the error instead
/// of leaving the user in front of a spinner.
pub const MAX_THROTTLE_WAIT_MS: u32 = 10_000;

/// How long to wait before sending a throttled request again, as the server asked: its
/// `Retry-After` header (delay-seconds), else the Status' `details.retryAfterSeconds`, else 1 s.
/// `None` when the request has been retried `MAX_THROTTLE_RETRIES` times already, or the server
/// asks for more than `MAX_THROTTLE_WAIT_MS`.
pub fn throttle_wait_ms(
    retries_so_far: u32,
    retry_after_header: Option<&str>,
    details_seconds: Option<i64>,
) -> Option<u32> {
    if retries_so_far >= MAX_THROTTLE_RETRIES {
        return None;
    }
    let seconds = retry_after_header
        .and_then(|h| h.trim().parse::<u64>().ok())
        .or_else(|| details_seconds.and_then(|s| u64::try_from(s).ok()))
        .unwrap_or(1);
    let ms = seconds.saturating_mul(1000);
    (ms <= u64::from(MAX_THROTTLE_WAIT_MS)).then_some(ms as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_caps_and_jitters_within_half_to_full() {
        assert_eq!(backoff_ms(0), 1000);
        assert_eq!(backoff_ms(1), 2000);
        assert_eq!(backoff_ms(4), 16000);
        assert_eq!(backoff_ms(5), 30000);
        assert_eq!(backoff_ms(500), 30000);
        assert_eq!(jittered(1000, 0.0), 500);
        assert_eq!(jittered(1000, 1.0), 1000);
        assert_eq!(jittered(1000, 0.5), 750);
        assert_eq!(jittered(1000, 7.0), 1000);
    }

    #[test]
    fn a_server_closing_every_stream_at_once_backs_off_instead_of_spinning() {
        let mut r = Reconnect::new();
        let waits: Vec<u32> = (0..6)
            .map(|_| r.stream_ended(StreamEnd::Closed, 5.0, 0, 1.0).wait_ms)
            .collect();
        assert_eq!(waits, [1000, 2000, 4000, 8000, 16000, 30000]);
        // a stream that lived normally resets it
        let next = r.stream_ended(StreamEnd::Closed, 290_000.0, 3, 1.0);
        assert_eq!((next.relist, next.wait_ms), (false, 0));
        assert_eq!(r.stream_ended(StreamEnd::Closed, 5.0, 0, 1.0).wait_ms, 1000);
    }

    #[test]
    fn gone_relists_at_once_then_backs_off_while_it_repeats() {
        let mut r = Reconnect::new();
        let first = r.stream_ended(StreamEnd::Gone, 60_000.0, 10, 1.0);
        assert_eq!(
            first,
            Next {
                relist: true,
                wait_ms: 0,
                report: false
            }
        );
        // the re-listed watch is gone again at once, again and again
        let waits: Vec<u32> = (0..3).map(|_| r.watch_failed(true, 1.0).wait_ms).collect();
        assert_eq!(waits, [1000, 2000, 4000]);
        // a healthy stream resets the streak
        r.stream_ended(StreamEnd::Closed, 290_000.0, 1, 1.0);
        assert_eq!(r.watch_failed(true, 1.0).wait_ms, 0);
    }

    #[test]
    fn divergence_relists_and_is_reported_connection_trouble_resumes() {
        let mut r = Reconnect::new();
        for end in [StreamEnd::ServerError, StreamEnd::Undecodable] {
            let next = r.stream_ended(end, 10.0, 0, 1.0);
            assert!(next.relist && next.report, "{end:?}");
        }
        let cut = r.stream_ended(StreamEnd::ReadFailed, 10.0, 0, 1.0);
        assert!(!cut.relist && cut.report);
        assert_eq!(cut.wait_ms, 4000, "third failure in a row");
        let silent = r.stream_ended(StreamEnd::Silent, 320_000.0, 0, 1.0);
        assert_eq!(
            silent,
            Next {
                relist: false,
                wait_ms: 0,
                report: true
            }
        );
    }

    #[test]
    fn list_failures_back_off_and_a_list_resets() {
        let mut r = Reconnect::new();
        assert_eq!(r.list_failed(1.0), 1000);
        assert_eq!(r.list_failed(1.0), 2000);
        assert_eq!(r.list_failed(0.0), 2000);
        r.listed();
        assert_eq!(r.list_failed(1.0), 1000);
        let failed = r.watch_failed(false, 1.0);
        assert!(failed.relist && failed.report);
    }

    #[test]
    fn throttled_requests_wait_as_told_a_few_times() {
        assert_eq!(
            throttle_wait_ms(0, Some("2"), Some(5)),
            Some(2000),
            "the header wins"
        );
        assert_eq!(throttle_wait_ms(0, None, Some(3)), Some(3000));
        assert_eq!(throttle_wait_ms(0, Some(" 0 "), None), Some(0));
        // an HTTP-date or garbage falls back to the Status, then to 1 s
        assert_eq!(
            throttle_wait_ms(1, Some("Wed, 21 Oct 2015 07:28:00 GMT"), Some(2)),
            Some(2000)
        );
        assert_eq!(throttle_wait_ms(2, Some("soon"), Some(-4)), Some(1000));
        assert_eq!(
            throttle_wait_ms(MAX_THROTTLE_RETRIES, Some("1"), None),
            None
        );
        assert_eq!(
            throttle_wait_ms(0, Some("11"), None),
            None,
            "too long: show the error"
        );
        assert_eq!(
            throttle_wait_ms(0, Some("99999999999999999999"), None),
            Some(1000)
        );
    }
}
