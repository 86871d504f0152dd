//! Classifies and parses lines of the gateway `controller` container log (reference §9, telemetry
//! §b): ingress-nginx access lines (default `log-format-upstream`), stream access lines, klog
//! controller lines and NGINX error-log lines. Never panics, whatever the input.

/// One classified log line; fields borrow from the input.
#[derive(Clone, Debug, PartialEq)]
pub enum LogLine<'a> {
    /// HTTP access line in the default `log-format-upstream`.
    Access(AccessLine<'a>),
    /// TCP/UDP access line in the default `log-format-stream`.
    Stream(StreamLine<'a>),
    /// Controller line written by klog.
    Klog(KlogLine<'a>),
    /// NGINX error-log line.
    NginxError(NginxErrorLine<'a>),
    /// Anything else (banner, continuation lines, custom formats).
    Other(&'a str),
}

/// HTTP access line (default `log-format-upstream`).
#[derive(Clone, Debug, PartialEq)]
pub struct AccessLine<'a> {
    /// `$remote_addr`.
    pub remote_addr: &'a str,
    /// `$remote_user` (`None` for `-`).
    pub remote_user: Option<&'a str>,
    /// `$time_local` without brackets, e.g. `05/Sep/2022:10:15:32 +0000`.
    pub time_local: &'a str,
    /// `$request` as logged (request line, nginx-escaped).
    pub request: &'a str,
    /// Method from the request line.
    pub method: Option<&'a str>,
    /// Path (URI with query) from the request line.
    pub path: Option<&'a str>,
    /// Protocol from the request line (`HTTP/1.1`).
    pub protocol: Option<&'a str>,
    /// `$status`.
    pub status: u16,
    /// `$body_bytes_sent`.
    pub body_bytes_sent: u64,
    /// `$http_referer` (`None` for `-`).
    pub referer: Option<&'a str>,
    /// `$http_user_agent` (`None` for `-`).
    pub user_agent: Option<&'a str>,
    /// `$request_length`.
    pub request_length: u64,
    /// `$request_time` in seconds.
    pub request_time: f64,
    /// `$proxy_upstream_name` (`<ns>-<svc>-<port>`), may be empty or `-`.
    pub upstream_name: &'a str,
    /// `$proxy_alternative_upstream_name` (canary), usually empty.
    pub alternative_upstream_name: &'a str,
    /// `$upstream_addr` per attempt (`, ` and ` : ` separators flattened); `-` kept as is.
    pub upstream_addr: Vec<&'a str>,
    /// `$upstream_response_length` per attempt (`None` for `-`).
    pub upstream_response_length: Vec<Option<u64>>,
    /// `$upstream_response_time` per attempt (`None` for `-`).
    pub upstream_response_time: Vec<Option<f64>>,
    /// `$upstream_status` per attempt (`None` for `-`).
    pub upstream_status: Vec<Option<u16>>,
    /// `$req_id`.
    pub req_id: &'a str,
}

/// TCP/UDP access line (`[$remote_addr] [$time_local] $protocol $status $bytes_sent $bytes_received $session_time`).
#[derive(Clone, Debug, PartialEq)]
pub struct StreamLine<'a> {
    /// Client address.
    pub remote_addr: &'a str,
    /// Local time.
    pub time_local: &'a str,
    /// `TCP` or `UDP`.
    pub protocol: &'a str,
    /// Session status.
    pub status: u16,
    /// Bytes to the client.
    pub bytes_sent: u64,
    /// Bytes from the client.
    pub bytes_received: u64,
    /// Session time in seconds.
    pub session_time: f64,
}

/// klog severity letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KlogSeverity {
    /// `I`.
    Info,
    /// `W`.
    Warning,
    /// `E`.
    Error,
    /// `F`.
    Fatal,
}

/// Controller line: `Lmmdd hh:mm:ss.uuuuuu PID file:line] message`.
#[derive(Clone, Debug, PartialEq)]
pub struct KlogLine<'a> {
    /// Severity.
    pub severity: KlogSeverity,
    /// `mmdd`.
    pub month_day: &'a str,
    /// `hh:mm:ss.uuuuuu`.
    pub time: &'a str,
    /// Process id.
    pub pid: u32,
    /// `file.go:line`.
    pub source: &'a str,
    /// Everything after `] `.
    pub message: &'a str,
}

impl<'a> KlogLine<'a> {
    /// The headline of a structured (`InfoS`) message: the quoted text without quotes; for
    /// printf-style messages the whole message.
    pub fn headline(&self) -> &'a str {
        let m = self.message;
        if let Some(rest) = m.strip_prefix('"') {
            let mut escaped = false;
            for (i, c) in rest.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => return &rest[..i],
                    _ => escaped = false,
                }
            }
        }
        m
    }
}

/// NGINX error-log level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NginxLevel {
    /// `debug`.
    Debug,
    /// `info`.
    Info,
    /// `notice`.
    Notice,
    /// `warn`.
    Warn,
    /// `error`.
    Error,
    /// `crit`.
    Crit,
    /// `alert`.
    Alert,
    /// `emerg`.
    Emerg,
}

impl NginxLevel {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "debug" => NginxLevel::Debug,
            "info" => NginxLevel::Info,
            "notice" => NginxLevel::Notice,
            "warn" => NginxLevel::Warn,
            "error" => NginxLevel::Error,
            "crit" => NginxLevel::Crit,
            "alert" => NginxLevel::Alert,
            "emerg" => NginxLevel::Emerg,
            _ => return None,
        })
    }
}

/// NGINX error line: `YYYY/MM/DD HH:MM:SS [level] PID#TID: *CID message, client: …, server: …`.
#[derive(Clone, Debug, PartialEq)]
pub struct NginxErrorLine<'a> {
    /// `YYYY/MM/DD`.
    pub date: &'a str,
    /// `HH:MM:SS`.
    pub time: &'a str,
    /// Level.
    pub level: NginxLevel,
    /// Worker pid.
    pub pid: u32,
    /// Thread id.
    pub tid: u32,
    /// Connection serial number (`*CID`), absent for lines not tied to a connection.
    pub connection: Option<u64>,
    /// Message before the `, client: …` context.
    pub message: &'a str,
    /// `client:` value.
    pub client: Option<&'a str>,
    /// `server:` value.
    pub server: Option<&'a str>,
    /// `request:` value without quotes.
    pub request: Option<&'a str>,
    /// `upstream:` value without quotes.
    pub upstream: Option<&'a str>,
    /// `host:` value without quotes.
    pub host: Option<&'a str>,
    /// `referrer:` value without quotes.
    pub referrer: Option<&'a str>,
}

/// Splits the RFC 3339 timestamp the kubelet prefixes with `timestamps=true`.
pub fn split_kubelet_timestamp(line: &str) -> (Option<&str>, &str) {
    match line.split_once(' ') {
        Some((ts, rest))
            if ts.len() >= 20
                && ts.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                && ts.as_bytes()[4] == b'-'
                && ts.contains('T')
                && (ts.ends_with('Z') || ts.contains('+')) =>
        {
            (Some(ts), rest)
        }
        _ => (None, line),
    }
}

/// Classifies one line (without the trailing newline; a trailing `\r` is ignored).
pub fn parse_line(line: &str) -> LogLine<'_> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    if let Some(a) = parse_access(line) {
        return LogLine::Access(a);
    }
    if let Some(k) = parse_klog(line) {
        return LogLine::Klog(k);
    }
    if let Some(e) = parse_nginx_error(line) {
        return LogLine::NginxError(e);
    }
    if let Some(s) = parse_stream(line) {
        return LogLine::Stream(s);
    }
    LogLine::Other(line)
}

fn dash(s: &str) -> Option<&str> {
    (s != "-").then_some(s)
}

/// Takes the next space-delimited token.
fn token(s: &str) -> Option<(&str, &str)> {
    let s = s.strip_prefix(' ').unwrap_or(s);
    match s.split_once(' ') {
        Some((t, rest)) => Some((t, rest)),
        None if !s.is_empty() => Some((s, "")),
        None => None,
    }
}

/// Takes `<open>…<close>` followed by a space or the end.
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

/// Parses one access line in the default `log-format-upstream`.
pub fn parse_access(line: &str) -> Option<AccessLine<'_>> {
    let (remote_addr, rest) = token(line)?;
    let (ident, rest) = token(rest)?;
    if ident != "-" || remote_addr.starts_with('[') {
        return None;
    }
    let (remote_user, rest) = token(rest)?;
    let (time_local, rest) = delimited(rest, '[', ']')?;
    let (request, rest) = delimited(rest, '"', '"')?;
    let (status, rest) = token(rest)?;
    let (body, rest) = token(rest)?;
    let (referer, rest) = delimited(rest, '"', '"')?;
    let (user_agent, rest) = delimited(rest, '"', '"')?;
    let (request_length, rest) = token(rest)?;
    let (request_time, rest) = token(rest)?;
    let (upstream_name, rest) = delimited(rest, '[', ']')?;
    let (alternative_upstream_name, rest) = delimited(rest, '[', ']')?;
    let rest = rest.trim_end();
    let (lists, req_id) = rest.rsplit_once(' ')?;
    let groups = upstream_groups(lists)?;
    let [addrs, lengths, times, statuses]: [Vec<&str>; 4] = groups.try_into().ok()?;

    let mut parts = request.splitn(3, ' ');
    let (method, path, protocol) = match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(p), Some(v)) if v.starts_with("HTTP/") => (Some(m), Some(p), Some(v)),
        (Some(m), Some(p), None) if !m.is_empty() => (Some(m), Some(p), None),
        _ => (None, None, None),
    };
    Some(AccessLine {
        remote_addr,
        remote_user: dash(remote_user),
        time_local,
        request,
        method,
        path,
        protocol,
        status: num(status)?,
        body_bytes_sent: num(body)?,
        referer: dash(referer),
        user_agent: dash(user_agent),
        request_length: num(request_length)?,
        request_time: num(request_time)?,
        upstream_name,
        alternative_upstream_name,
        upstream_addr: addrs,
        upstream_response_length: lengths.into_iter().map(num).collect(),
        upstream_response_time: times.into_iter().map(num).collect(),
        upstream_status: statuses.into_iter().map(num).collect(),
        req_id,
    })
}

/// Splits `$upstream_addr $upstream_response_length $upstream_response_time $upstream_status`
/// into the four fields, each a list of per-attempt values (`, ` between attempts, ` : ` between
/// internal redirects).
fn upstream_groups(s: &str) -> Option<Vec<Vec<&str>>> {
    let mut groups: Vec<Vec<&str>> = Vec::new();
    let mut continues = false;
    for tok in s.split(' ').filter(|t| !t.is_empty()) {
        if tok == ":" {
            if groups.is_empty() {
                return None;
            }
            continues = true;
            continue;
        }
        let (value, trailing_comma) = match tok.strip_suffix(',') {
            Some(v) => (v, true),
            None => (tok, false),
        };
        if continues {
            groups.last_mut()?.push(value);
        } else {
            groups.push(vec![value]);
        }
        continues = trailing_comma;
        if groups.len() > 4 {
            return None;
        }
    }
    (!continues).then_some(groups)
}

/// Parses a klog line.
pub fn parse_klog(line: &str) -> Option<KlogLine<'_>> {
    let severity = match line.as_bytes().first()? {
        b'I' => KlogSeverity::Info,
        b'W' => KlogSeverity::Warning,
        b'E' => KlogSeverity::Error,
        b'F' => KlogSeverity::Fatal,
        _ => return None,
    };
    let rest = &line[1..];
    let (month_day, rest) = rest.split_once(' ')?;
    if month_day.len() != 4 || !month_day.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (time, rest) = rest.split_once(' ')?;
    let tb = time.as_bytes();
    if tb.len() < 8
        || tb[2] != b':'
        || tb[5] != b':'
        || !time
            .bytes()
            .all(|c| c.is_ascii_digit() || c == b':' || c == b'.')
    {
        return None;
    }
    let rest = rest.trim_start_matches(' ');
    let (pid, rest) = rest.split_once(' ')?;
    let pid = num(pid)?;
    let (source, message) = rest
        .split_once("] ")
        .or_else(|| rest.strip_suffix(']').map(|s| (s, "")))?;
    if source.contains(' ') || !source.contains(':') {
        return None;
    }
    Some(KlogLine {
        severity,
        month_day,
        time,
        pid,
        source,
        message,
    })
}

/// Parses an NGINX error-log line.
pub fn parse_nginx_error(line: &str) -> Option<NginxErrorLine<'_>> {
    let (date, rest) = line.split_once(' ')?;
    let db = date.as_bytes();
    if db.len() != 10
        || db[4] != b'/'
        || db[7] != b'/'
        || !date.bytes().all(|c| c.is_ascii_digit() || c == b'/')
    {
        return None;
    }
    let (time, rest) = rest.split_once(' ')?;
    if time.len() != 8 || !time.bytes().all(|c| c.is_ascii_digit() || c == b':') {
        return None;
    }
    let (level, rest) = delimited(rest, '[', ']')?;
    let level = NginxLevel::parse(level)?;
    let (ids, rest) = rest.trim_start_matches(' ').split_once(": ").or_else(|| {
        let r = rest.trim_start_matches(' ');
        r.strip_suffix(':').map(|ids| (ids, ""))
    })?;
    let (pid, tid) = ids.split_once('#')?;
    let (pid, tid) = (num(pid)?, num(tid)?);
    let (connection, body) = match rest.strip_prefix('*') {
        Some(r) => {
            let (cid, body) = r.split_once(' ').unwrap_or((r, ""));
            (Some(num(cid)?), body)
        }
        None => (None, rest),
    };
    let (message, context) = match body.find(", client: ") {
        Some(i) => (&body[..i], &body[i + 2..]),
        None => (body, ""),
    };
    let mut out = NginxErrorLine {
        date,
        time,
        level,
        pid,
        tid,
        connection,
        message,
        client: None,
        server: None,
        request: None,
        upstream: None,
        host: None,
        referrer: None,
    };
    let mut ctx = context;
    while !ctx.is_empty() {
        let Some((key, after)) = ctx.split_once(": ") else {
            break;
        };
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            match q.find('"') {
                Some(end) => (
                    &q[..end],
                    q[end + 1..].strip_prefix(", ").unwrap_or(&q[end + 1..]),
                ),
                None => (q, ""),
            }
        } else {
            match after.split_once(", ") {
                Some((v, n)) => (v, n),
                None => (after, ""),
            }
        };
        match key {
            "client" => out.client = Some(value),
            "server" => out.server = Some(value),
            "request" => out.request = Some(value),
            "upstream" => out.upstream = Some(value),
            "host" => out.host = Some(value),
            "referrer" => out.referrer = Some(value),
            _ => {}
        }
        if next.len() >= ctx.len() {
            break;
        }
        ctx = next;
    }
    Some(out)
}

/// Parses a stream access line in the default `log-format-stream`.
pub fn parse_stream(line: &str) -> Option<StreamLine<'_>> {
    let (remote_addr, rest) = delimited(line, '[', ']')?;
    let (time_local, rest) = delimited(rest, '[', ']')?;
    let (protocol, rest) = token(rest)?;
    if protocol != "TCP" && protocol != "UDP" {
        return None;
    }
    let (status, rest) = token(rest)?;
    let (sent, rest) = token(rest)?;
    let (received, rest) = token(rest)?;
    let (session, rest) = token(rest)?;
    if !rest.trim().is_empty() {
        return None;
    }
    Some(StreamLine {
        remote_addr,
        time_local,
        protocol,
        status: num(status)?,
        bytes_sent: num(sent)?,
        bytes_received: num(received)?,
        session_time: num(session)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const OK: &str = r#"192.168.10.23 - - [05/Sep/2022:10:15:32 +0000] "GET /api/v1/items?page=2 HTTP/1.1" 200 612 "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64; rv:104.0) Gecko/20100101 Firefox/104.0" 478 0.004 [demo-shop-web-80] [] 10.233.70.21:8080 612 0.004 200 4f3c9d6e2a8b41e0b6c7d8e9f0a1b2c3"#;
    const RETRIES: &str = r#"192.168.10.23 - - [05/Sep/2022:10:16:01 +0000] "POST /api/v1/orders HTTP/1.1" 502 150 "-" "curl/7.79.1" 289 0.003 [demo-orders-8080] [] 10.233.70.35:8080, 10.233.70.36:8080, 10.233.70.37:8080 0, 0, 0 0.001, 0.001, 0.000 502, 502, 502 9a1b2c3d4e5f60718293a4b5c6d7e8f9"#;

    #[test]
    fn access_line() {
        let LogLine::Access(a) = parse_line(OK) else {
            panic!("not access")
        };
        assert_eq!(a.remote_addr, "192.168.10.23");
        assert_eq!(a.remote_user, None);
        assert_eq!(a.time_local, "05/Sep/2022:10:15:32 +0000");
        assert_eq!(
            (a.method, a.path, a.protocol),
            (Some("GET"), Some("/api/v1/items?page=2"), Some("HTTP/1.1"))
        );
        assert_eq!(a.status, 200);
        assert_eq!(a.body_bytes_sent, 612);
        assert_eq!(a.referer, Some("https://shop.example.com/"));
        assert!(a.user_agent.unwrap().starts_with("Mozilla/5.0"));
        assert_eq!(a.request_length, 478);
        assert!((a.request_time - 0.004).abs() < 1e-9);
        assert_eq!(a.upstream_name, "demo-shop-web-80");
        assert_eq!(a.alternative_upstream_name, "");
        assert_eq!(a.upstream_addr, vec!["10.233.70.21:8080"]);
        assert_eq!(a.upstream_response_length, vec![Some(612)]);
        assert_eq!(a.upstream_status, vec![Some(200)]);
        assert_eq!(a.req_id, "4f3c9d6e2a8b41e0b6c7d8e9f0a1b2c3");
    }

    #[test]
    fn access_line_with_retries_redirects_and_dashes() {
        let LogLine::Access(a) = parse_line(RETRIES) else {
            panic!()
        };
        assert_eq!(a.upstream_addr.len(), 3);
        assert_eq!(a.upstream_response_length, vec![Some(0); 3]);
        assert_eq!(a.upstream_status, vec![Some(502); 3]);
        assert_eq!(a.referer, None);

        let redirect = r#"10.0.0.1 - bob [05/Sep/2022:10:16:01 +0000] "GET / HTTP/2.0" 200 5 "-" "-" 10 0.010 [ns-svc-80] [ns-canary-80] 10.0.0.2:80 : 10.0.0.3:80 0 : 5 0.005 : 0.004 404 : 200 abc"#;
        let LogLine::Access(a) = parse_line(redirect) else {
            panic!()
        };
        assert_eq!(a.remote_user, Some("bob"));
        assert_eq!(a.alternative_upstream_name, "ns-canary-80");
        assert_eq!(a.upstream_addr, vec!["10.0.0.2:80", "10.0.0.3:80"]);
        assert_eq!(a.upstream_status, vec![Some(404), Some(200)]);

        let redirect308 = r#"1.2.3.4 - - [05/Sep/2022:10:16:01 +0000] "GET / HTTP/1.1" 308 164 "-" "curl/8" 75 0.000 [ns-svc-80] [] - - - - 0123456789abcdef0123456789abcdef"#;
        let LogLine::Access(a) = parse_line(redirect308) else {
            panic!()
        };
        assert_eq!(a.upstream_addr, vec!["-"]);
        assert_eq!(a.upstream_status, vec![None]);
        assert_eq!(a.upstream_response_time, vec![None]);

        let tls_garbage = r#"1.2.3.4 - - [05/Sep/2022:10:16:01 +0000] "\x16\x03\x01\x00\xF4\x01" 400 150 "-" "-" 0 0.001 [] [] - - - - abc"#;
        let LogLine::Access(a) = parse_line(tls_garbage) else {
            panic!()
        };
        assert_eq!(a.method, None);
        assert_eq!(a.status, 400);
    }

    #[test]
    fn klog_lines() {
        let l = r#"I0905 10:15:35.200100       7 controller.go:168] "Configuration changes detected, backend reload required""#;
        let LogLine::Klog(k) = parse_line(l) else {
            panic!()
        };
        assert_eq!(k.severity, KlogSeverity::Info);
        assert_eq!(k.pid, 7);
        assert_eq!(k.source, "controller.go:168");
        assert_eq!(
            k.headline(),
            "Configuration changes detected, backend reload required"
        );
        let w = "W0905 10:21:40.771020       7 configmap.go:419] unexpected error merging defaults: 1 error(s) decoding:";
        let LogLine::Klog(k) = parse_line(w) else {
            panic!()
        };
        assert_eq!(k.severity, KlogSeverity::Warning);
        assert_eq!(
            k.headline(),
            "unexpected error merging defaults: 1 error(s) decoding:"
        );
        let s = r#"I0905 10:14:58.132050       7 status.go:84] "New leader elected" identity="kubesphere-router-demo-6d5f7c9b8-x2k4q""#;
        let LogLine::Klog(k) = parse_line(s) else {
            panic!()
        };
        assert_eq!(k.headline(), "New leader elected");
        assert!(k.message.contains("identity="));
    }

    #[test]
    fn nginx_error_lines() {
        let l = r#"2022/09/05 10:16:31 [error] 32#32: *12345 upstream timed out (110: Operation timed out) while reading response header from upstream, client: 192.168.10.23, server: shop.example.com, request: "GET /api/slow HTTP/1.1", upstream: "http://10.233.70.21:8080/api/slow", host: "shop.example.com""#;
        let LogLine::NginxError(e) = parse_line(l) else {
            panic!()
        };
        assert_eq!(e.level, NginxLevel::Error);
        assert_eq!((e.pid, e.tid, e.connection), (32, 32, Some(12345)));
        assert_eq!(e.message, "upstream timed out (110: Operation timed out) while reading response header from upstream");
        assert_eq!(e.client, Some("192.168.10.23"));
        assert_eq!(e.server, Some("shop.example.com"));
        assert_eq!(e.request, Some("GET /api/slow HTTP/1.1"));
        assert_eq!(e.upstream, Some("http://10.233.70.21:8080/api/slow"));
        assert_eq!(e.host, Some("shop.example.com"));
        let notice =
            "2022/09/05 10:15:35 [notice] 8#8: signal 1 (SIGHUP) received from 30, reconfiguring";
        let LogLine::NginxError(e) = parse_line(notice) else {
            panic!()
        };
        assert_eq!(e.connection, None);
        assert_eq!(e.level, NginxLevel::Notice);
        assert_eq!(
            e.message,
            "signal 1 (SIGHUP) received from 30, reconfiguring"
        );
    }

    #[test]
    fn stream_and_other_lines() {
        let LogLine::Stream(s) =
            parse_line("[192.168.10.23] [05/Sep/2022:10:20:11 +0000] TCP 200 5321 812 12.004")
        else {
            panic!()
        };
        assert_eq!(
            (s.protocol, s.status, s.bytes_sent, s.bytes_received),
            ("TCP", 200, 5321, 812)
        );
        for other in [
            "-------------------------------------------------------------------------------",
            "NGINX Ingress controller",
            "  Release:       v1.3.1",
            "",
            "* cannot parse 'proxy-read-timeout' as int: strconv.ParseInt: parsing \"60s\": invalid syntax",
        ] {
            assert_eq!(parse_line(other), LogLine::Other(other));
        }
    }

    #[test]
    fn kubelet_timestamps() {
        let (ts, rest) = split_kubelet_timestamp("2022-09-05T10:15:32.123456789Z I0905 x");
        assert_eq!(ts, Some("2022-09-05T10:15:32.123456789Z"));
        assert_eq!(rest, "I0905 x");
        assert_eq!(
            split_kubelet_timestamp("hello world"),
            (None, "hello world")
        );
        assert_eq!(split_kubelet_timestamp("é"), (None, "é"));
    }

    #[test]
    fn hostile_lines_do_not_panic() {
        let long = "a".repeat(100_000);
        let long_access = format!(
            "{} - - [x] \"{}\" 200 1 \"-\" \"-\" 1 1 [] [] - - - - id",
            "1.1.1.1",
            "A".repeat(100_000)
        );
        let samples = [
            "<script>alert(1)</script>".to_string(),
            "\u{1b}[31mred\u{1b}[0m 1.2.3.4 - - [".to_string(),
            "\u{202e}1.2.3.4 - - [05/Sep/2022:10:15:32 +0000] \"GET / HTTP/1.1\" 200".to_string(),
            "I".to_string(),
            "I0905".to_string(),
            "I0905 1".to_string(),
            "I0905 10:15:35.2 7 x]".to_string(),
            "2022/09/05 10:16:31 [error] 1#1:".to_string(),
            "2022/09/05 10:16:31 [error] 1#1: *".to_string(),
            "2022/09/05 10:16:31 [error] 1#1: *1 m, client: \"unterminated".to_string(),
            "2022/09/05 10:16:31 [error] 1#1: *1 m, client: a, client: ".to_string(),
            "[] [] TCP".to_string(),
            "1 - - [t] \"r\" 1 1 \"-\" \"-\" 1 1 [] [] , : , : , : ".to_string(),
            "1 - - [t] \"r\" 1 1 \"-\" \"-\" 1 1 [] [] : a b c d e".to_string(),
            "é - - [é] \"é\" 1 1 \"é\" \"é\" 1 1 [é] [é] é é é é é".to_string(),
            long,
            long_access.clone(),
        ];
        for s in &samples {
            let _ = parse_line(s);
            let _ = split_kubelet_timestamp(s);
        }
        assert!(
            matches!(parse_line(&long_access), LogLine::Access(a) if a.request.len() == 100_000)
        );
        assert!(matches!(parse_line(&samples[14]), LogLine::Access(a) if a.remote_addr == "é"));
    }

    proptest! {
        #[test]
        fn arbitrary_strings_never_panic(s in any::<String>()) {
            let _ = parse_line(&s);
            let _ = split_kubelet_timestamp(&s);
        }

        #[test]
        fn mutated_access_lines_never_panic(cut in 0usize..400, insert in ".{0,8}") {
            let mut s = OK.to_string();
            let mut at = cut.min(s.len());
            while !s.is_char_boundary(at) { at -= 1; }
            s.insert_str(at, &insert);
            let _ = parse_line(&s);
            let _ = parse_line(&s[..at]);
        }

        #[test]
        fn structured_noise_never_panics(parts in prop::collection::vec(prop_oneof![
            Just(" "), Just("-"), Just("["), Just("]"), Just("\""), Just(":"), Just(","), Just("#"), Just("*"),
            Just("I0905"), Just("10:15:35.200100"), Just("2022/09/05"), Just("10:16:31"), Just("[error]"),
            Just("1"), Just("0.1"), Just("é"), Just("\u{202e}"), Just("\u{1b}[0m"), Just("] "), Just(", client: ")
        ], 0..40)) {
            let s: String = parts.concat();
            let _ = parse_line(&s);
        }
    }
}
