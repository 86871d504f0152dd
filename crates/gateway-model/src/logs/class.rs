//! One class per line, computed once when it enters the buffer, and the severity filter over
//! classes.
//!
//! Groups (one bit each in [`Severities`]):
//! - access and stream lines by status class: `2xx` (also 1xx), `3xx`, `4xx`, `5xx`; a status
//!   outside 100–599 counts as plain text (`other`);
//! - klog letters `I`, `W`, `E`, `F`;
//! - NGINX error-log levels in four groups: `info` (debug, info, notice), `warn`, `error`,
//!   `crit` (crit, alert, emerg);
//! - `other`: anything else (banner, continuation lines, unknown formats).

use crate::access_log::{self, KlogSeverity, NginxLevel};

/// Status class of an HTTP or stream access line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StatusClass {
    /// 1xx and 2xx.
    Success,
    /// 3xx.
    Redirect,
    /// 4xx.
    ClientError,
    /// 5xx.
    ServerError,
}

impl StatusClass {
    /// The class of a status code (`None` outside 100–599).
    pub fn of(status: u16) -> Option<Self> {
        Some(match status {
            100..=299 => StatusClass::Success,
            300..=399 => StatusClass::Redirect,
            400..=499 => StatusClass::ClientError,
            500..=599 => StatusClass::ServerError,
            _ => return None,
        })
    }
}

/// The class of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LineClass {
    /// HTTP access line.
    Access(StatusClass),
    /// TCP/UDP access line.
    Stream(StatusClass),
    /// Controller (klog) line.
    Klog(KlogSeverity),
    /// NGINX error-log line.
    NginxError(NginxLevel),
    /// Anything else.
    Other,
}

/// How alarming a line is, for row colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Normal.
    Info,
    /// 4xx, `W`, `warn`.
    Warning,
    /// 5xx, `E`, `F`, `error` and above.
    Error,
}

impl LineClass {
    /// Classifies a line (kubelet timestamp already split off; ANSI escapes already stripped)
    /// as [`access_log::parse_line`] does, without allocating.
    pub fn of(line: &str) -> Self {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if let Some(status) = access_status(line) {
            return StatusClass::of(status).map_or(LineClass::Other, LineClass::Access);
        }
        if let Some(k) = access_log::parse_klog(line) {
            return LineClass::Klog(k.severity);
        }
        if let Some(e) = access_log::parse_nginx_error(line) {
            return LineClass::NginxError(e.level);
        }
        if let Some(s) = access_log::parse_stream(line) {
            return StatusClass::of(s.status).map_or(LineClass::Other, LineClass::Stream);
        }
        LineClass::Other
    }

    /// The severity bit of this class.
    pub fn severity(self) -> Severities {
        match self {
            LineClass::Access(c) | LineClass::Stream(c) => match c {
                StatusClass::Success => Severities::S2XX,
                StatusClass::Redirect => Severities::S3XX,
                StatusClass::ClientError => Severities::S4XX,
                StatusClass::ServerError => Severities::S5XX,
            },
            LineClass::Klog(k) => match k {
                KlogSeverity::Info => Severities::KLOG_I,
                KlogSeverity::Warning => Severities::KLOG_W,
                KlogSeverity::Error => Severities::KLOG_E,
                KlogSeverity::Fatal => Severities::KLOG_F,
            },
            LineClass::NginxError(l) => match l {
                NginxLevel::Debug | NginxLevel::Info | NginxLevel::Notice => Severities::NGINX_INFO,
                NginxLevel::Warn => Severities::NGINX_WARN,
                NginxLevel::Error => Severities::NGINX_ERROR,
                NginxLevel::Crit | NginxLevel::Alert | NginxLevel::Emerg => Severities::NGINX_CRIT,
            },
            LineClass::Other => Severities::OTHER,
        }
    }

    /// Row colour level.
    pub fn level(self) -> Level {
        let s = self.severity();
        if s.intersects(Severities::ERRORS) {
            Level::Error
        } else if s.intersects(Severities::WARNINGS) {
            Level::Warning
        } else {
            Level::Info
        }
    }

    /// Whether this is an HTTP access line (a row of the access table).
    pub fn is_access(self) -> bool {
        matches!(self, LineClass::Access(_))
    }
}

/// Same helpers as `access_log` (kept private there).
fn token(s: &str) -> Option<(&str, &str)> {
    let s = s.strip_prefix(' ').unwrap_or(s);
    match s.split_once(' ') {
        Some((t, rest)) => Some((t, rest)),
        None if !s.is_empty() => Some((s, "")),
        None => None,
    }
}

fn delimited(s: &str, open: char, close: char) -> Option<(&str, &str)> {
    let s = s.strip_prefix(' ').unwrap_or(s);
    let inner = s.strip_prefix(open)?;
    let end = inner.find(close)?;
    let rest = &inner[end + close.len_utf8()..];
    if !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    Some((&inner[..end], rest))
}

fn num<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        return None;
    }
    s.parse().ok()
}

/// Number of upstream groups, as `access_log`'s `upstream_groups` splits them (`None` where it
/// fails).
fn upstream_group_count(s: &str) -> Option<usize> {
    let mut groups = 0;
    let mut continues = false;
    for tok in s.split(' ').filter(|t| !t.is_empty()) {
        if tok == ":" {
            if groups == 0 {
                return None;
            }
            continues = true;
            continue;
        }
        let trailing_comma = tok.ends_with(',');
        if !continues {
            groups += 1;
        }
        continues = trailing_comma;
        if groups > 4 {
            return None;
        }
    }
    (!continues).then_some(groups)
}

/// The status of a default-format access line: `Some` exactly when
/// [`access_log::parse_access`] accepts the line, without its allocations (the buffer
/// classifies every line, 200k at a time).
pub fn access_status(line: &str) -> Option<u16> {
    let (remote_addr, rest) = token(line)?;
    let (ident, rest) = token(rest)?;
    if ident != "-" || remote_addr.starts_with('[') {
        return None;
    }
    let (_user, rest) = token(rest)?;
    let (_time, rest) = delimited(rest, '[', ']')?;
    let (_request, rest) = delimited(rest, '"', '"')?;
    let (status, rest) = token(rest)?;
    let (body, rest) = token(rest)?;
    let (_referer, rest) = delimited(rest, '"', '"')?;
    let (_agent, rest) = delimited(rest, '"', '"')?;
    let (request_length, rest) = token(rest)?;
    let (request_time, rest) = token(rest)?;
    let (_upstream, rest) = delimited(rest, '[', ']')?;
    let (_alternative, rest) = delimited(rest, '[', ']')?;
    let (lists, _req_id) = rest.trim_end().rsplit_once(' ')?;
    if upstream_group_count(lists)? != 4 {
        return None;
    }
    num::<u64>(body)?;
    num::<u64>(request_length)?;
    num::<f64>(request_time)?;
    num(status)
}

/// A set of severity groups (bit set). A line passes when its class's bit is in the set.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Severities(u16);

impl Severities {
    /// Access/stream 1xx and 2xx.
    pub const S2XX: Self = Self(1);
    /// Access/stream 3xx.
    pub const S3XX: Self = Self(1 << 1);
    /// Access/stream 4xx.
    pub const S4XX: Self = Self(1 << 2);
    /// Access/stream 5xx.
    pub const S5XX: Self = Self(1 << 3);
    /// klog `I`.
    pub const KLOG_I: Self = Self(1 << 4);
    /// klog `W`.
    pub const KLOG_W: Self = Self(1 << 5);
    /// klog `E`.
    pub const KLOG_E: Self = Self(1 << 6);
    /// klog `F`.
    pub const KLOG_F: Self = Self(1 << 7);
    /// NGINX `debug`, `info`, `notice`.
    pub const NGINX_INFO: Self = Self(1 << 8);
    /// NGINX `warn`.
    pub const NGINX_WARN: Self = Self(1 << 9);
    /// NGINX `error`.
    pub const NGINX_ERROR: Self = Self(1 << 10);
    /// NGINX `crit`, `alert`, `emerg`.
    pub const NGINX_CRIT: Self = Self(1 << 11);
    /// Plain lines.
    pub const OTHER: Self = Self(1 << 12);

    /// No group.
    pub const NONE: Self = Self(0);
    /// Every group (the default).
    pub const ALL: Self = Self((1 << 13) - 1);
    /// Error groups: 5xx, `E`, `F`, `error`, `crit`.
    pub const ERRORS: Self = Self(
        Self::S5XX.0 | Self::KLOG_E.0 | Self::KLOG_F.0 | Self::NGINX_ERROR.0 | Self::NGINX_CRIT.0,
    );
    /// Warning groups: 4xx, `W`, `warn`.
    pub const WARNINGS: Self = Self(Self::S4XX.0 | Self::KLOG_W.0 | Self::NGINX_WARN.0);

    /// Every group with its stable name (URL and UI keys), in display order.
    pub const NAMED: [(Self, &'static str); 13] = [
        (Self::S2XX, "2xx"),
        (Self::S3XX, "3xx"),
        (Self::S4XX, "4xx"),
        (Self::S5XX, "5xx"),
        (Self::KLOG_I, "I"),
        (Self::KLOG_W, "W"),
        (Self::KLOG_E, "E"),
        (Self::KLOG_F, "F"),
        (Self::NGINX_INFO, "info"),
        (Self::NGINX_WARN, "warn"),
        (Self::NGINX_ERROR, "error"),
        (Self::NGINX_CRIT, "crit"),
        (Self::OTHER, "other"),
    ];

    /// The raw bits.
    pub const fn bits(self) -> u16 {
        self.0
    }

    /// From raw bits (unknown bits dropped).
    pub const fn from_bits_truncate(bits: u16) -> Self {
        Self(bits & Self::ALL.0)
    }

    /// Whether every bit of `other` is set.
    pub const fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any bit of `other` is set.
    pub const fn intersects(self, other: Self) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether a line of this class passes.
    pub fn admits(self, class: LineClass) -> bool {
        self.intersects(class.severity())
    }

    /// Union.
    pub const fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// This set with `other` added or removed.
    pub const fn with(self, other: Self, on: bool) -> Self {
        if on {
            Self(self.0 | other.0)
        } else {
            Self(self.0 & !other.0)
        }
    }

    /// The names of the set groups, comma-separated (`none` for the empty set).
    pub fn to_names(self) -> String {
        if self.is_empty() {
            return "none".into();
        }
        Self::NAMED
            .iter()
            .filter(|(s, _)| self.contains(*s))
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Parses [`Severities::to_names`] output; unknown names are ignored, `None` when nothing
    /// is recognised (so garbage falls back to the caller's default).
    pub fn from_names(s: &str) -> Option<Self> {
        let mut out = Self::NONE;
        let mut known = false;
        for part in s.split(',').map(str::trim) {
            if part == "none" {
                known = true;
            } else if part == "all" {
                known = true;
                out = Self::ALL;
            } else if let Some((bit, _)) = Self::NAMED.iter().find(|(_, n)| *n == part) {
                known = true;
                out = out.union(*bit);
            }
        }
        known.then_some(out)
    }
}

impl Default for Severities {
    fn default() -> Self {
        Self::ALL
    }
}

impl std::fmt::Debug for Severities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Severities({})", self.to_names())
    }
}

impl std::ops::BitOr for Severities {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        self.union(rhs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access_log::LogLine;
    use proptest::prelude::*;

    /// The classification through the allocating parsers.
    fn reference(line: &str) -> LineClass {
        match access_log::parse_line(line) {
            LogLine::Access(a) => {
                StatusClass::of(a.status).map_or(LineClass::Other, LineClass::Access)
            }
            LogLine::Stream(s) => {
                StatusClass::of(s.status).map_or(LineClass::Other, LineClass::Stream)
            }
            LogLine::Klog(k) => LineClass::Klog(k.severity),
            LogLine::NginxError(e) => LineClass::NginxError(e.level),
            LogLine::Other(_) => LineClass::Other,
        }
    }

    const OK: &str = r#"192.168.10.23 - - [05/Sep/2022:10:16:01 +0000] "POST /api/v1/orders HTTP/1.1" 502 150 "-" "curl/7.79.1" 289 0.003 [demo-orders-8080] [] 10.233.70.35:8080, 10.233.70.36:8080 : 10.0.0.1:80 0, 0 : 1 0.001, 0.001 : 0.2 502, 502 : 200 9a1b2c3d4e5f60718293a4b5c6d7e8f9"#;

    proptest! {
        #[test]
        fn agrees_with_the_parsers(s in any::<String>()) {
            prop_assert_eq!(LineClass::of(&s), reference(&s));
        }

        #[test]
        fn agrees_on_mutated_access_lines(cut in 0usize..300, insert in "[ ,:\\[\\]\"0-9a-z.\\-]{0,6}", trim in 0usize..300) {
            let mut s = OK.to_string();
            let mut at = cut.min(s.len());
            while !s.is_char_boundary(at) { at -= 1; }
            s.insert_str(at, &insert);
            prop_assert_eq!(LineClass::of(&s), reference(&s));
            let end = s.len().saturating_sub(trim);
            prop_assert_eq!(LineClass::of(&s[..end]), reference(&s[..end]));
        }

        #[test]
        fn agrees_on_upstream_noise(parts in prop::collection::vec(prop_oneof![
            Just(" "), Just(","), Just(", "), Just(" : "), Just(":"), Just("-"), Just("1"), Just("0.1"), Just("a")
        ], 0..16), status in prop_oneof![Just("200"), Just("99"), Just("x"), Just("600"), Just("1.5")]) {
            let s = format!(r#"1.2.3.4 - - [t] "GET / HTTP/1.1" {status} 5 "-" "-" 10 0.010 [u] [] {} id"#, parts.concat());
            prop_assert_eq!(LineClass::of(&s), reference(&s));
        }
    }

    #[test]
    fn classes() {
        let ok = r#"1.2.3.4 - - [05/Sep/2022:10:16:01 +0000] "GET / HTTP/1.1" 200 5 "-" "-" 10 0.010 [ns-svc-80] [] 10.0.0.2:80 5 0.005 200 abc"#;
        assert_eq!(LineClass::of(ok), LineClass::Access(StatusClass::Success));
        let bad = ok.replace("\" 200 5", "\" 503 5");
        assert_eq!(
            LineClass::of(&bad),
            LineClass::Access(StatusClass::ServerError)
        );
        assert_eq!(LineClass::of(&bad).level(), Level::Error);
        let info = ok.replace("\" 200 5", "\" 101 5");
        assert_eq!(
            LineClass::of(&info),
            LineClass::Access(StatusClass::Success)
        );
        let odd = ok.replace("\" 200 5", "\" 999 5");
        assert_eq!(LineClass::of(&odd), LineClass::Other);
        assert_eq!(
            LineClass::of("[1.2.3.4] [05/Sep/2022:10:20:11 +0000] TCP 502 0 0 0.001"),
            LineClass::Stream(StatusClass::ServerError)
        );
        let w = "W0905 10:21:40.771020       7 configmap.go:419] unexpected error";
        assert_eq!(LineClass::of(w), LineClass::Klog(KlogSeverity::Warning));
        assert_eq!(LineClass::of(w).level(), Level::Warning);
        let n =
            "2022/09/05 10:15:35 [notice] 8#8: signal 1 (SIGHUP) received from 30, reconfiguring";
        assert_eq!(LineClass::of(n), LineClass::NginxError(NginxLevel::Notice));
        assert_eq!(LineClass::of(n).severity(), Severities::NGINX_INFO);
        assert_eq!(LineClass::of("NGINX Ingress controller"), LineClass::Other);
        assert_eq!(LineClass::Other.level(), Level::Info);
    }

    #[test]
    fn sets() {
        assert!(Severities::ALL.admits(LineClass::Other));
        assert!(!Severities::ERRORS.admits(LineClass::Other));
        assert!(Severities::ERRORS.admits(LineClass::Klog(KlogSeverity::Fatal)));
        assert!(Severities::ERRORS.admits(LineClass::NginxError(NginxLevel::Emerg)));
        assert!(!Severities::NONE.admits(LineClass::Access(StatusClass::Success)));
        let s = Severities::ALL.with(Severities::S2XX, false);
        assert!(!s.admits(LineClass::Access(StatusClass::Success)));
        assert!(s.with(Severities::S2XX, true) == Severities::ALL);
        for set in [
            Severities::ALL,
            Severities::NONE,
            Severities::ERRORS,
            Severities::WARNINGS | Severities::OTHER,
        ] {
            assert_eq!(Severities::from_names(&set.to_names()), Some(set));
        }
        assert_eq!(Severities::from_names("bogus,,"), None);
        assert_eq!(Severities::from_names("5xx,bogus"), Some(Severities::S5XX));
        assert_eq!(Severities::from_bits_truncate(u16::MAX), Severities::ALL);
        assert_eq!(format!("{:?}", Severities::S5XX), "Severities(5xx)");
    }
}
