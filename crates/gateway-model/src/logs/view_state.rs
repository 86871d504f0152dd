//! The viewer's state in the URL query, so a view can be bookmarked and shared. Defaults are
//! omitted; anything unknown or malformed falls back to its default (never an error).
//!
//! | key | values | default |
//! |---|---|---|
//! | `pods` | comma-separated pod names | all pods |
//! | `container` | container name | `controller` |
//! | `previous` | `1` | off |
//! | `tail` | `100`, `1000`, `10000`, `all` | `1000` |
//! | `since` | `5m`, `1h`, `6h`, `24h` (instead of `tail`) | |
//! | `start`, `end` | RFC 3339 (instead of `tail`/`since`) | |
//! | `follow` | `0` | on |
//! | `q`, `re`, `case`, `invert` | text, `1`, `1`, `1` | empty, off |
//! | `sev` | severity names ([`Severities::to_names`]) or `none` | all |
//! | `mode` | `find` | filter |
//! | `table` | `1` | off |
//! | `ts` | `local`, `utc` | off |
//! | `wrap` | `1` | off |

use super::class::Severities;
use super::query::{LogQuery, SearchMode};
use super::time::{floor_seconds, format_rfc3339_seconds, parse_rfc3339};

/// Default container of a gateway pod.
pub const DEFAULT_CONTAINER: &str = "controller";
/// Most pods kept from a URL.
const MAX_PODS: usize = 64;

/// How many lines from the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tail {
    /// 100 lines.
    Lines100,
    /// 1000 lines.
    Lines1000,
    /// 10 000 lines.
    Lines10000,
    /// Everything the kubelet kept (bounded by the buffer capacity per pod).
    All,
}

impl Tail {
    /// Lines requested per pod (`None` = all).
    pub fn lines(self) -> Option<i64> {
        match self {
            Tail::Lines100 => Some(100),
            Tail::Lines1000 => Some(1000),
            Tail::Lines10000 => Some(10_000),
            Tail::All => None,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Tail::Lines100 => "100",
            Tail::Lines1000 => "1000",
            Tail::Lines10000 => "10000",
            Tail::All => "all",
        }
    }

    fn from_key(s: &str) -> Option<Self> {
        [Tail::Lines100, Tail::Lines1000, Tail::Lines10000, Tail::All]
            .into_iter()
            .find(|t| t.key() == s)
    }
}

/// A relative window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Since {
    /// Last 5 minutes.
    Minutes5,
    /// Last hour.
    Hour1,
    /// Last 6 hours.
    Hours6,
    /// Last 24 hours.
    Hours24,
}

impl Since {
    /// The window in seconds (`sinceSeconds`).
    pub fn seconds(self) -> i64 {
        match self {
            Since::Minutes5 => 300,
            Since::Hour1 => 3600,
            Since::Hours6 => 6 * 3600,
            Since::Hours24 => 24 * 3600,
        }
    }

    fn key(self) -> &'static str {
        match self {
            Since::Minutes5 => "5m",
            Since::Hour1 => "1h",
            Since::Hours6 => "6h",
            Since::Hours24 => "24h",
        }
    }

    fn from_key(s: &str) -> Option<Self> {
        [Since::Minutes5, Since::Hour1, Since::Hours6, Since::Hours24]
            .into_iter()
            .find(|t| t.key() == s)
    }
}

/// Which lines to load.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LogWindow {
    /// The last lines.
    Tail(Tail),
    /// A relative time window.
    Since(Since),
    /// An absolute range, whole seconds since the epoch (`start <= end`). The API has no end:
    /// lines after `end` are dropped by the viewer ([`LogWindow::admits`]).
    Custom {
        /// First second.
        start: i64,
        /// Last second (inclusive).
        end: i64,
    },
}

impl Default for LogWindow {
    fn default() -> Self {
        LogWindow::Tail(Tail::Lines1000)
    }
}

impl LogWindow {
    /// Whether a line with this timestamp belongs to the window (only a custom range has an end;
    /// lines without timestamp pass).
    pub fn admits(&self, ts: Option<i64>) -> bool {
        match (self, ts) {
            (LogWindow::Custom { start, end }, Some(t)) => {
                let s = floor_seconds(t);
                s >= *start && s <= *end
            }
            _ => true,
        }
    }

    /// Whether following makes sense (a custom range is in the past).
    pub fn can_follow(&self) -> bool {
        !matches!(self, LogWindow::Custom { .. })
    }
}

/// How the timestamp column shows times (the UTC offset is the browser's, see
/// [`super::time::TimestampDisplay`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Timestamps {
    /// Hidden.
    #[default]
    Off,
    /// Browser local time.
    Local,
    /// UTC.
    Utc,
}

impl Timestamps {
    /// The display with the browser's offset (minutes east of UTC).
    pub fn display(self, offset_minutes: i32) -> super::time::TimestampDisplay {
        use super::time::TimestampDisplay as D;
        match self {
            Timestamps::Off => D::Off,
            Timestamps::Local => D::Local { offset_minutes },
            Timestamps::Utc => D::Utc,
        }
    }
}

/// Everything the URL remembers about the viewer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogViewState {
    /// Selected pods (empty = all pods of the gateway).
    pub pods: Vec<String>,
    /// Container.
    pub container: String,
    /// Previous container instance.
    pub previous: bool,
    /// Lines to load.
    pub window: LogWindow,
    /// Follow new lines.
    pub follow: bool,
    /// Search text and toggles.
    pub query: LogQuery,
    /// Filter or find.
    pub mode: SearchMode,
    /// Access table instead of lines.
    pub table: bool,
    /// Timestamp column.
    pub timestamps: Timestamps,
    /// Wrap long lines.
    pub wrap: bool,
}

impl Default for LogViewState {
    fn default() -> Self {
        Self {
            pods: Vec::new(),
            container: DEFAULT_CONTAINER.into(),
            previous: false,
            window: LogWindow::default(),
            follow: true,
            query: LogQuery::default(),
            mode: SearchMode::Filter,
            table: false,
            timestamps: Timestamps::Off,
            wrap: false,
        }
    }
}

fn flag(v: Option<String>) -> Option<bool> {
    match v?.as_str() {
        "1" | "true" | "on" => Some(true),
        "0" | "false" | "off" => Some(false),
        _ => None,
    }
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

impl LogViewState {
    /// Whether following is on and possible (not for a previous container or a custom range).
    pub fn effective_follow(&self) -> bool {
        self.follow && !self.previous && self.window.can_follow()
    }

    /// The query pairs of the non-default values, in a stable order.
    pub fn to_query_pairs(&self) -> Vec<(&'static str, String)> {
        let d = LogViewState::default();
        let mut out = Vec::new();
        if !self.pods.is_empty() {
            out.push(("pods", self.pods.join(",")));
        }
        if self.container != d.container {
            out.push(("container", self.container.clone()));
        }
        if self.previous {
            out.push(("previous", "1".into()));
        }
        match self.window {
            LogWindow::Tail(t) if self.window != d.window => out.push(("tail", t.key().into())),
            LogWindow::Tail(_) => {}
            LogWindow::Since(s) => out.push(("since", s.key().into())),
            LogWindow::Custom { start, end } => {
                out.push(("start", format_rfc3339_seconds(start)));
                out.push(("end", format_rfc3339_seconds(end)));
            }
        }
        if !self.follow {
            out.push(("follow", "0".into()));
        }
        if !self.query.text.is_empty() {
            out.push(("q", self.query.text.clone()));
        }
        if self.query.regex {
            out.push(("re", "1".into()));
        }
        if self.query.case_sensitive {
            out.push(("case", "1".into()));
        }
        if self.query.invert {
            out.push(("invert", "1".into()));
        }
        if self.query.severities != Severities::ALL {
            out.push(("sev", self.query.severities.to_names()));
        }
        if self.mode == SearchMode::Find {
            out.push(("mode", "find".into()));
        }
        if self.table {
            out.push(("table", "1".into()));
        }
        match self.timestamps {
            Timestamps::Off => {}
            Timestamps::Local => out.push(("ts", "local".into())),
            Timestamps::Utc => out.push(("ts", "utc".into())),
        }
        if self.wrap {
            out.push(("wrap", "1".into()));
        }
        out
    }

    /// Reads the state from the URL query (`get` returns a decoded value per key).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> LogViewState {
        let d = LogViewState::default();
        let mut pods: Vec<String> = Vec::new();
        for p in get("pods").unwrap_or_default().split(',').map(str::trim) {
            if is_name(p) && !pods.iter().any(|q| q == p) && pods.len() < MAX_PODS {
                pods.push(p.to_string());
            }
        }
        let container = get("container")
            .filter(|c| is_name(c))
            .unwrap_or(d.container);
        let custom = match (get("start"), get("end")) {
            (Some(s), Some(e)) => match (parse_rfc3339(&s), parse_rfc3339(&e)) {
                (Some(s), Some(e)) if s <= e => Some(LogWindow::Custom {
                    start: floor_seconds(s),
                    end: floor_seconds(e),
                }),
                _ => None,
            },
            _ => None,
        };
        let window = custom
            .or_else(|| {
                get("since")
                    .as_deref()
                    .and_then(Since::from_key)
                    .map(LogWindow::Since)
            })
            .or_else(|| {
                get("tail")
                    .as_deref()
                    .and_then(Tail::from_key)
                    .map(LogWindow::Tail)
            })
            .unwrap_or(d.window);
        let text: String = get("q")
            .unwrap_or_default()
            .chars()
            .take(super::query::MAX_PATTERN_CHARS)
            .collect();
        let query = LogQuery {
            text,
            regex: flag(get("re")).unwrap_or(false),
            case_sensitive: flag(get("case")).unwrap_or(false),
            invert: flag(get("invert")).unwrap_or(false),
            severities: get("sev")
                .as_deref()
                .and_then(Severities::from_names)
                .unwrap_or(Severities::ALL),
        };
        LogViewState {
            pods,
            container,
            previous: flag(get("previous")).unwrap_or(false),
            window,
            follow: flag(get("follow")).unwrap_or(true),
            query,
            mode: match get("mode").as_deref() {
                Some("find") => SearchMode::Find,
                _ => SearchMode::Filter,
            },
            table: flag(get("table")).unwrap_or(false),
            timestamps: match get("ts").as_deref() {
                Some("local") => Timestamps::Local,
                Some("utc") => Timestamps::Utc,
                _ => Timestamps::Off,
            },
            wrap: flag(get("wrap")).unwrap_or(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn round_trip(s: &LogViewState) -> LogViewState {
        let map: HashMap<&str, String> = s.to_query_pairs().into_iter().collect();
        LogViewState::from_query(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_are_omitted() {
        let d = LogViewState::default();
        assert!(d.to_query_pairs().is_empty());
        assert_eq!(LogViewState::from_query(|_| None), d);
        assert!(d.effective_follow());
        assert_eq!(d.window, LogWindow::Tail(Tail::Lines1000));
    }

    #[test]
    fn everything_round_trips() {
        let s = LogViewState {
            pods: vec!["router-a-1".into(), "router-a-2".into()],
            container: "sidecar".into(),
            previous: true,
            window: LogWindow::Custom {
                start: 1_662_372_932,
                end: 1_662_376_532,
            },
            follow: false,
            query: LogQuery {
                text: "a&b=c ü,\"".into(),
                regex: true,
                case_sensitive: true,
                invert: true,
                severities: Severities::ERRORS,
            },
            mode: SearchMode::Find,
            table: true,
            timestamps: Timestamps::Utc,
            wrap: true,
        };
        assert_eq!(round_trip(&s), s);
        assert!(!s.effective_follow());
        let pairs = s.to_query_pairs();
        assert!(pairs.contains(&("start", "2022-09-05T10:15:32Z".into())));
        for w in [
            LogWindow::Tail(Tail::Lines100),
            LogWindow::Tail(Tail::Lines10000),
            LogWindow::Tail(Tail::All),
            LogWindow::Since(Since::Minutes5),
            LogWindow::Since(Since::Hours24),
        ] {
            let s = LogViewState {
                window: w,
                timestamps: Timestamps::Local,
                query: LogQuery {
                    severities: Severities::NONE,
                    ..LogQuery::default()
                },
                ..LogViewState::default()
            };
            assert_eq!(round_trip(&s), s);
        }
    }

    #[test]
    fn garbage_falls_back_to_defaults() {
        let bad: HashMap<&str, &str> = [
            ("pods", ",,<script>,a,a,B"),
            ("container", "../etc"),
            ("previous", "yes please"),
            ("tail", "-5"),
            ("since", "forever"),
            ("start", "2022-09-05T10:15:32Z"),
            ("end", "yesterday"),
            ("follow", "maybe"),
            ("sev", "bogus"),
            ("mode", "FIND"),
            ("ts", "mars"),
            ("wrap", "2"),
        ]
        .into_iter()
        .collect();
        let s = LogViewState::from_query(|k| bad.get(k).map(|v| v.to_string()));
        assert_eq!(
            s,
            LogViewState {
                pods: vec!["a".into()],
                ..LogViewState::default()
            }
        );
        // reversed range → default; since wins over tail
        let s = LogViewState::from_query(|k| match k {
            "start" => Some("2022-09-05T10:15:32Z".into()),
            "end" => Some("2022-09-05T10:15:31Z".into()),
            "since" => Some("1h".into()),
            "tail" => Some("100".into()),
            "q" => Some("x".repeat(5000)),
            _ => None,
        });
        assert_eq!(s.window, LogWindow::Since(Since::Hour1));
        assert_eq!(s.query.text.len(), 1000);
    }

    #[test]
    fn custom_window_admits() {
        let w = LogWindow::Custom { start: 10, end: 20 };
        assert!(w.admits(Some(10_000_000_000)));
        assert!(w.admits(Some(20_999_999_999)));
        assert!(!w.admits(Some(21_000_000_000)));
        assert!(!w.admits(Some(9_999_999_999)));
        assert!(w.admits(None));
        assert!(LogWindow::default().admits(Some(0)));
        assert_eq!(Since::Hours6.seconds(), 21_600);
        assert_eq!(Tail::All.lines(), None);
        assert_eq!(
            Timestamps::Local.display(60),
            crate::logs::time::TimestampDisplay::Local { offset_minutes: 60 }
        );
    }

    proptest! {
        #[test]
        fn any_query_values_never_panic(vals in prop::collection::vec(any::<String>(), 16)) {
            let keys = ["pods", "container", "previous", "tail", "since", "start", "end", "follow", "q", "re", "case", "invert", "sev", "mode", "table", "ts"];
            let s = LogViewState::from_query(|k| keys.iter().position(|x| *x == k).map(|i| vals[i].clone()));
            // whatever was read round-trips
            prop_assert_eq!(round_trip(&s), s);
        }
    }
}
