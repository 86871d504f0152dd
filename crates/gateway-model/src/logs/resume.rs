//! Resuming a followed pod log after the stream ends (network error, `limitBytes` reached,
//! server timeout) without duplicates or gaps.
//!
//! The kubelet's `sinceTime` has second precision and is inclusive (lines whose timestamp is not
//! before it are returned), so reconnecting with the floor of the last seen timestamp replays
//! part of that second. [`ResumeCursor`] remembers the last timestamp and how many lines carried
//! exactly it, and after [`ResumeCursor::resume`] drops the replayed lines: those before the
//! cursor and the first `count` lines at the cursor. The first line past the cursor ends the
//! replay; from then on every line is admitted (also one whose clock went backwards).

use super::time::{floor_seconds, format_rfc3339_seconds};

/// Per pod-stream position: the last kubelet timestamp seen and the number of lines at it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumeCursor {
    last: Option<i64>,
    count: u32,
    /// While replaying after a reconnect: lines at `last` still to skip.
    replay: Option<u32>,
}

impl ResumeCursor {
    /// A cursor that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// The last timestamp admitted (nanoseconds since the epoch).
    pub fn last(&self) -> Option<i64> {
        self.last
    }

    /// How many admitted lines carried exactly [`ResumeCursor::last`].
    pub fn count_at_last(&self) -> u32 {
        self.count
    }

    /// Whether lines are being dropped as a replay.
    pub fn replaying(&self) -> bool {
        self.replay.is_some()
    }

    /// `sinceTime` to reconnect with: the last timestamp floored to the second, RFC 3339
    /// (`2022-09-05T10:15:32Z`); `None` before any timestamped line (reconnect with the window).
    pub fn since_time_param(&self) -> Option<String> {
        self.since_time_seconds().map(format_rfc3339_seconds)
    }

    /// [`ResumeCursor::since_time_param`] as whole seconds since the epoch.
    pub fn since_time_seconds(&self) -> Option<i64> {
        self.last.map(floor_seconds)
    }

    /// Arms the replay filter: call when reconnecting with [`ResumeCursor::since_time_param`].
    /// Returns that parameter. Calling it again before any line arrives is harmless.
    pub fn resume(&mut self) -> Option<String> {
        if self.last.is_some() {
            self.replay = Some(self.count);
        }
        self.since_time_param()
    }

    /// Whether a line with this kubelet timestamp is new; records it. Lines without a
    /// timestamp are always admitted (they cannot be told apart) and do not move the cursor.
    pub fn admit(&mut self, ts: Option<i64>) -> bool {
        let Some(ts) = ts else {
            return true;
        };
        let Some(last) = self.last else {
            self.last = Some(ts);
            self.count = 1;
            return true;
        };
        if let Some(skip) = self.replay {
            if ts < last {
                return false;
            }
            if ts == last && skip > 0 {
                self.replay = Some(skip - 1);
                return false;
            }
            self.replay = None;
        }
        if ts == last {
            self.count = self.count.saturating_add(1);
        } else {
            // later, or earlier outside a replay (a clock step): follow the stream
            self.last = Some(ts);
            self.count = 1;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;
    const T: i64 = 1_662_372_932 * S;

    fn feed(c: &mut ResumeCursor, ts: &[Option<i64>]) -> Vec<bool> {
        ts.iter().map(|t| c.admit(*t)).collect()
    }

    #[test]
    fn fresh_cursor_has_no_since_time() {
        let mut c = ResumeCursor::new();
        assert_eq!(c.since_time_param(), None);
        assert_eq!(c.resume(), None);
        assert!(!c.replaying());
        assert!(c.admit(Some(T)));
    }

    #[test]
    fn since_time_is_floored_to_the_second() {
        let mut c = ResumeCursor::new();
        c.admit(Some(T + 999_999_999));
        assert_eq!(
            c.since_time_param().as_deref(),
            Some("2022-09-05T10:15:32Z")
        );
        assert_eq!(c.since_time_seconds(), Some(T / S));
    }

    #[test]
    fn reconnect_replays_the_second_without_duplicates_or_gaps() {
        // the stream: three lines in one second, the last two in the same nanosecond
        let first = [Some(T + 1), Some(T + 500), Some(T + 500)];
        let mut c = ResumeCursor::new();
        assert_eq!(feed(&mut c, &first), [true; 3]);
        assert_eq!(c.count_at_last(), 2);
        assert_eq!(c.resume().as_deref(), Some("2022-09-05T10:15:32Z"));
        // the server replays the whole second, then a third line at T+500 and new ones
        let replay = [
            Some(T + 1),
            Some(T + 500),
            Some(T + 500),
            Some(T + 500),
            Some(T + 501),
            Some(T + S),
        ];
        assert_eq!(
            feed(&mut c, &replay),
            [false, false, false, true, true, true]
        );
        assert!(!c.replaying());
    }

    #[test]
    fn reconnect_that_starts_after_the_cursor() {
        let mut c = ResumeCursor::new();
        feed(&mut c, &[Some(T), Some(T)]);
        c.resume();
        // rotated away: the replay is shorter than what was seen
        assert_eq!(feed(&mut c, &[Some(T + 2 * S), Some(T)]), [true, true]);
        assert_eq!(c.last(), Some(T));
    }

    #[test]
    fn lines_before_the_cursor_are_dropped_only_while_replaying() {
        let mut c = ResumeCursor::new();
        feed(&mut c, &[Some(T + 10)]);
        c.resume();
        assert_eq!(
            feed(&mut c, &[Some(T), Some(T + 5), Some(T + 10), Some(T + 11)]),
            [false, false, false, true]
        );
        // outside a replay an earlier timestamp is a clock step: kept
        assert!(c.admit(Some(T)));
        assert_eq!(c.last(), Some(T));
    }

    #[test]
    fn lines_without_timestamp_pass_and_do_not_move_the_cursor() {
        let mut c = ResumeCursor::new();
        assert!(c.admit(None));
        assert_eq!(c.last(), None);
        feed(&mut c, &[Some(T)]);
        c.resume();
        assert!(c.admit(None));
        assert!(c.replaying());
        assert!(!c.admit(Some(T)));
        assert!(c.admit(Some(T)));
    }

    #[test]
    fn double_resume_and_saturation() {
        let mut c = ResumeCursor::new();
        feed(&mut c, &[Some(T), Some(T)]);
        c.resume();
        c.resume();
        assert_eq!(
            feed(&mut c, &[Some(T), Some(T), Some(T)]),
            [false, false, true]
        );
        c.count = u32::MAX;
        assert!(c.admit(Some(T)));
        assert_eq!(c.count_at_last(), u32::MAX);
        c.resume();
        assert!(!c.admit(Some(i64::MIN)));
    }
}
