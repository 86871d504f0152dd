//! Access-log lines in the gateway's `log-format-upstream`: the default format (through
//! [`crate::access_log::parse_access`]) or a custom template compiled from nginx `$variable` /
//! `${variable}` tokens and literal separators, JSON-shaped templates included.
//!
//! Matching a custom template is a single left-to-right pass without backtracking: literals must
//! match exactly; a variable's value ends at the first occurrence of the literal that follows it,
//! where
//! - a variable between double quotes (`"$var"`) skips quotes escaped with a backslash
//!   (`escape=json` writes `\"`; the default escaping writes `\x22`);
//! - an upstream list variable (`$upstream_addr`, `$upstream_status`, …) followed by a space
//!   skips the spaces inside `a, b` and `a : b` lists;
//! - the last variable takes the rest of the line.
//!
//! Values of JSON-shaped templates (the template starts with `{`) are JSON-unescaped. `-` and
//! empty values are absent fields. Lines that do not match are `None`: they stay plain text.

use crate::access_log;

/// The ingress-nginx default `log-format-upstream` (0.48.1 to main).
pub const DEFAULT_FORMAT: &str = r#"$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id"#;

/// Longest template accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 8192;

/// Why a template was not compiled (the default format is used instead).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// Blank template.
    Empty,
    /// Longer than [`MAX_TEMPLATE_BYTES`].
    TooLong,
    /// No `$variable` in it.
    NoVariables,
    /// `${` without `}`.
    UnterminatedBrace,
    /// Two variables with nothing between them cannot be told apart.
    AdjacentVariables(String, String),
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Empty => write!(f, "the log format is empty"),
            FormatError::TooLong => write!(
                f,
                "the log format is longer than {MAX_TEMPLATE_BYTES} bytes"
            ),
            FormatError::NoVariables => write!(f, "the log format has no $variable"),
            FormatError::UnterminatedBrace => write!(f, "\"${{\" without \"}}\" in the log format"),
            FormatError::AdjacentVariables(a, b) => {
                write!(f, "${a} and ${b} have no separator between them")
            }
        }
    }
}

impl std::error::Error for FormatError {}

/// The fields the viewer uses from an access line; absent when the format lacks them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccessFields {
    /// `$time_iso8601`, `$time_local` or `$msec`, as logged.
    pub time: Option<String>,
    /// `$remote_addr`, else the first `$http_x_forwarded_for` address, else `$realip_remote_addr`.
    pub client: Option<String>,
    /// `$request_method`, else from `$request`.
    pub method: Option<String>,
    /// `$request_uri`, else `$uri` (with `?$args`), else from `$request`.
    pub path: Option<String>,
    /// `$host`, `$http_host` or `$server_name`.
    pub host: Option<String>,
    /// `$status`.
    pub status: Option<u16>,
    /// `$body_bytes_sent`, else `$bytes_sent`.
    pub bytes: Option<u64>,
    /// `$request_time` in seconds.
    pub request_time: Option<f64>,
    /// `$proxy_upstream_name`.
    pub upstream: Option<String>,
    /// `$upstream_addr` per attempt (`-` entries kept).
    pub upstream_addr: Vec<String>,
    /// `$upstream_status` per attempt.
    pub upstream_status: Vec<Option<u16>>,
    /// `$upstream_response_time` per attempt, seconds.
    pub upstream_response_time: Vec<Option<f64>>,
    /// `$req_id`, else `$request_id`.
    pub request_id: Option<String>,
    /// `$http_user_agent`.
    pub user_agent: Option<String>,
}

fn list_text<T>(items: &[T], f: impl Fn(&T) -> Option<String>) -> String {
    items
        .iter()
        .map(|v| f(v).unwrap_or_else(|| "-".into()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl AccessFields {
    /// The status of the last upstream attempt.
    pub fn upstream_status_last(&self) -> Option<u16> {
        self.upstream_status.iter().rev().find_map(|s| *s)
    }

    /// Total upstream time over attempts (`None` when no attempt has one).
    pub fn upstream_time_total(&self) -> Option<f64> {
        let times: Vec<f64> = self
            .upstream_response_time
            .iter()
            .flatten()
            .copied()
            .collect();
        (!times.is_empty()).then(|| times.iter().sum())
    }

    /// `$upstream_addr` as shown: attempts joined with `, `.
    pub fn upstream_addr_text(&self) -> String {
        self.upstream_addr.join(", ")
    }

    /// `$upstream_status` as shown (`-` for none).
    pub fn upstream_status_text(&self) -> String {
        list_text(&self.upstream_status, |s| s.map(|s| s.to_string()))
    }

    /// `$upstream_response_time` as shown, three decimals (`-` for none).
    pub fn upstream_time_text(&self) -> String {
        list_text(&self.upstream_response_time, |t| {
            t.map(|t| format!("{t:.3}"))
        })
    }

    /// The logged time as nanoseconds since the epoch, when it is `$time_iso8601`,
    /// `$time_local` (`05/Sep/2022:10:15:32 +0000`) or `$msec`.
    pub fn time_nanos(&self) -> Option<i64> {
        let t = self.time.as_deref()?;
        super::time::parse_rfc3339(t)
            .or_else(|| time_local_nanos(t))
            .or_else(|| msec_nanos(t))
    }

    fn from_default(a: &access_log::AccessLine<'_>) -> Self {
        AccessFields {
            time: Some(a.time_local.to_string()),
            client: present(a.remote_addr),
            method: a.method.and_then(present),
            path: a.path.and_then(present),
            host: None,
            status: Some(a.status),
            bytes: Some(a.body_bytes_sent),
            request_time: Some(a.request_time),
            upstream: present(a.upstream_name),
            upstream_addr: a
                .upstream_addr
                .iter()
                .filter(|s| !s.is_empty())
                .map(|s| s.to_string())
                .collect(),
            upstream_status: a.upstream_status.clone(),
            upstream_response_time: a.upstream_response_time.clone(),
            request_id: present(a.req_id),
            user_agent: a.user_agent.and_then(present),
        }
    }
}

fn present(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s != "-").then(|| s.to_string())
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `05/Sep/2022:10:15:32 +0000` → nanoseconds.
fn time_local_nanos(t: &str) -> Option<i64> {
    let (date, rest) = t.split_once(':')?;
    let (hms, zone) = rest.split_once(' ')?;
    let mut d = date.split('/');
    let (day, mon, year) = (d.next()?, d.next()?, d.next()?);
    let month = MONTHS.iter().position(|m| *m == mon)? + 1;
    let zb = zone.as_bytes();
    if zb.len() != 5 || !zone.is_char_boundary(3) || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let iso = format!("{year}-{month:02}-{day}T{hms}{}:{}", &zone[..3], &zone[3..]);
    super::time::parse_rfc3339(&iso)
}

/// `1662372932.123` → nanoseconds.
fn msec_nanos(t: &str) -> Option<i64> {
    let (s, ms) = t.split_once('.')?;
    if s.is_empty() || ms.len() != 3 || !s.bytes().chain(ms.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let s: i64 = s.parse().ok()?;
    let ms: i64 = ms.parse().ok()?;
    s.checked_mul(1_000_000_000)?.checked_add(ms * 1_000_000)
}

/// What a template variable feeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    TimeIso,
    TimeLocal,
    Msec,
    RemoteAddr,
    ForwardedFor,
    RealIp,
    Method,
    Request,
    RequestUri,
    Uri,
    Args,
    Host,
    HttpHost,
    ServerName,
    Status,
    BodyBytes,
    Bytes,
    RequestTime,
    Upstream,
    UpstreamAddr,
    UpstreamStatus,
    UpstreamTime,
    ReqId,
    RequestId,
    UserAgent,
    /// A variable the viewer does not use.
    Ignored,
}

fn field_of(name: &str) -> Field {
    match name {
        "time_iso8601" => Field::TimeIso,
        "time_local" => Field::TimeLocal,
        "msec" => Field::Msec,
        "remote_addr" => Field::RemoteAddr,
        "http_x_forwarded_for" | "proxy_add_x_forwarded_for" => Field::ForwardedFor,
        "realip_remote_addr" | "http_x_real_ip" => Field::RealIp,
        "request_method" => Field::Method,
        "request" => Field::Request,
        "request_uri" => Field::RequestUri,
        "uri" | "document_uri" => Field::Uri,
        "args" | "query_string" => Field::Args,
        "host" => Field::Host,
        "http_host" => Field::HttpHost,
        "server_name" => Field::ServerName,
        "status" => Field::Status,
        "body_bytes_sent" => Field::BodyBytes,
        "bytes_sent" => Field::Bytes,
        "request_time" => Field::RequestTime,
        "proxy_upstream_name" => Field::Upstream,
        "upstream_addr" => Field::UpstreamAddr,
        "upstream_status" => Field::UpstreamStatus,
        "upstream_response_time" => Field::UpstreamTime,
        "req_id" => Field::ReqId,
        "request_id" => Field::RequestId,
        "http_user_agent" => Field::UserAgent,
        _ => Field::Ignored,
    }
}

/// Variables printed as `a, b : c` (upstream attempts) or `a, b` (forwarded chain) lists.
fn is_list(name: &str) -> bool {
    name.starts_with("upstream_")
        || name == "http_x_forwarded_for"
        || name == "proxy_add_x_forwarded_for"
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Lit(String),
    Var {
        name: String,
        field: Field,
        quoted: bool,
        list: bool,
    },
}

/// A compiled custom `log-format-upstream`.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessFormat {
    template: String,
    tokens: Vec<Token>,
    json: bool,
    has_status: bool,
}

impl AccessFormat {
    /// Compiles a template.
    pub fn compile(template: &str) -> Result<AccessFormat, FormatError> {
        let t = template.trim();
        if t.is_empty() {
            return Err(FormatError::Empty);
        }
        if t.len() > MAX_TEMPLATE_BYTES {
            return Err(FormatError::TooLong);
        }
        let mut tokens: Vec<Token> = Vec::new();
        let mut lit = String::new();
        let mut rest = t;
        while let Some(i) = rest.find('$') {
            lit.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            let (name, next) = if let Some(braced) = after.strip_prefix('{') {
                let end = braced.find('}').ok_or(FormatError::UnterminatedBrace)?;
                (&braced[..end], &braced[end + 1..])
            } else {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            };
            if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
                // a `$` that starts no variable is literal text
                lit.push('$');
                rest = after;
                continue;
            }
            if lit.is_empty() {
                if let Some(Token::Var { name: prev, .. }) = tokens.last() {
                    return Err(FormatError::AdjacentVariables(
                        prev.clone(),
                        name.to_string(),
                    ));
                }
            } else {
                tokens.push(Token::Lit(std::mem::take(&mut lit)));
            }
            tokens.push(Token::Var {
                name: name.to_string(),
                field: field_of(name),
                quoted: false,
                list: is_list(name),
            });
            rest = next;
        }
        lit.push_str(rest);
        if !lit.is_empty() {
            tokens.push(Token::Lit(lit));
        }
        if !tokens.iter().any(|t| matches!(t, Token::Var { .. })) {
            return Err(FormatError::NoVariables);
        }
        // a variable is quoted when a `"` ends the literal before and starts the one after
        for i in 0..tokens.len() {
            let before = i
                .checked_sub(1)
                .and_then(|j| tokens.get(j))
                .is_some_and(|t| matches!(t, Token::Lit(l) if l.ends_with('"')));
            let after = matches!(tokens.get(i + 1), Some(Token::Lit(l)) if l.starts_with('"'));
            if let Some(Token::Var { quoted, .. }) = tokens.get_mut(i) {
                *quoted = before && after;
            }
        }
        let has_status = tokens.iter().any(|t| {
            matches!(
                t,
                Token::Var {
                    field: Field::Status,
                    ..
                }
            )
        });
        Ok(AccessFormat {
            template: t.to_string(),
            tokens,
            json: t.starts_with('{'),
            has_status,
        })
    }

    /// The template it was compiled from (trimmed).
    pub fn template(&self) -> &str {
        &self.template
    }

    /// Whether values are JSON-unescaped (the template starts with `{`).
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Matches a line: the value of each variable token, in order.
    fn values<'l>(&self, line: &'l str) -> Option<Vec<(&Token, &'l str)>> {
        let line = line.trim_end_matches(['\r', '\n']);
        let mut pos = 0;
        let mut out = Vec::with_capacity(self.tokens.len());
        for (i, tok) in self.tokens.iter().enumerate() {
            match tok {
                Token::Lit(l) => {
                    if !line.get(pos..)?.starts_with(l.as_str()) {
                        return None;
                    }
                    pos += l.len();
                }
                Token::Var { quoted, list, .. } => {
                    let end = match self.tokens.get(i + 1) {
                        Some(Token::Lit(next)) => find_end(line, pos, next, *quoted, *list)?,
                        _ => line.trim_end().len().max(pos),
                    };
                    out.push((tok, line.get(pos..end)?));
                    pos = end;
                }
            }
        }
        line.get(pos..)?.trim().is_empty().then_some(out)
    }

    /// Parses one line (`None` when it does not match the template).
    pub fn parse(&self, line: &str) -> Option<AccessFields> {
        let values = self.values(line)?;
        let mut f = AccessFields::default();
        let (mut request, mut uri, mut args, mut fwd, mut realip) = (None, None, None, None, None);
        let (mut http_host, mut server_name, mut body, mut bytes_sent, mut request_id) =
            (None, None, None, None, None);
        let (mut time_iso, mut time_local, mut msec) = (None, None, None);
        for (tok, raw) in values {
            let Token::Var { field, .. } = tok else {
                continue;
            };
            let v = if self.json {
                json_unescape(raw)
            } else {
                raw.to_string()
            };
            let v = v.trim();
            let value = || present(v);
            match field {
                Field::TimeIso => time_iso = value(),
                Field::TimeLocal => time_local = value(),
                Field::Msec => msec = value(),
                Field::RemoteAddr => f.client = value(),
                Field::ForwardedFor => {
                    fwd = v
                        .split(',')
                        .map(str::trim)
                        .find(|s| !s.is_empty() && *s != "-")
                        .map(str::to_string)
                }
                Field::RealIp => realip = value(),
                Field::Method => f.method = value(),
                Field::Request => request = value(),
                Field::RequestUri => f.path = value(),
                Field::Uri => uri = value(),
                Field::Args => args = value(),
                Field::Host => f.host = value(),
                Field::HttpHost => http_host = value(),
                Field::ServerName => server_name = value(),
                Field::Status => f.status = number(v),
                Field::BodyBytes => body = number(v),
                Field::Bytes => bytes_sent = number(v),
                Field::RequestTime => f.request_time = decimal(v),
                Field::Upstream => f.upstream = value(),
                Field::UpstreamAddr => {
                    f.upstream_addr = list_items(v).map(str::to_string).collect()
                }
                Field::UpstreamStatus => f.upstream_status = list_items(v).map(number).collect(),
                Field::UpstreamTime => {
                    f.upstream_response_time = list_items(v).map(decimal).collect()
                }
                Field::ReqId => f.request_id = value(),
                Field::RequestId => request_id = value(),
                Field::UserAgent => f.user_agent = value(),
                Field::Ignored => {}
            }
        }
        if self.has_status && f.status.is_none() {
            return None;
        }
        f.time = time_iso.or(time_local).or(msec);
        f.client = f.client.or(fwd).or(realip);
        f.host = f.host.or(http_host).or(server_name);
        f.bytes = body.or(bytes_sent);
        f.request_id = f.request_id.or(request_id);
        let (rm, rp) = request
            .as_deref()
            .map(split_request)
            .unwrap_or((None, None));
        f.method = f.method.or(rm);
        f.path = f.path.or_else(|| {
            uri.map(|u| match args {
                Some(a) => format!("{u}?{a}"),
                None => u,
            })
        });
        f.path = f.path.or(rp);
        Some(f)
    }

    /// The status of a matching line without building the fields (for classification).
    pub fn status(&self, line: &str) -> Option<u16> {
        if !self.has_status {
            return None;
        }
        let values = self.values(line)?;
        values.into_iter().find_map(|(t, v)| match t {
            Token::Var {
                field: Field::Status,
                ..
            } => number(v.trim().trim_matches('"')),
            _ => None,
        })
    }
}

/// The end of a variable's value starting at `pos`: the first acceptable occurrence of `next`.
fn find_end(line: &str, pos: usize, next: &str, quoted: bool, list: bool) -> Option<usize> {
    let step = next.chars().next().map_or(1, char::len_utf8);
    let mut from = pos;
    loop {
        let cand = from + line.get(from..)?.find(next)?;
        let value = &line[pos..cand];
        let escaped = quoted
            && next.starts_with('"')
            && value.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
        let in_list = list
            && next.starts_with(' ')
            && (value.ends_with(',')
                || value.ends_with(" :")
                || line[cand..].starts_with(" : ")
                || line[cand..].starts_with(" :\n"));
        if !escaped && !in_list {
            return Some(cand);
        }
        from = cand + step;
    }
}

/// Items of an nginx list value (`a, b : c`; addresses contain `:` without spaces).
fn list_items(v: &str) -> impl Iterator<Item = &str> {
    v.split(", ")
        .flat_map(|s| s.split(" : "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    let s = s.trim().trim_matches('"');
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn decimal(s: &str) -> Option<f64> {
    let s = s.trim().trim_matches('"');
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    s.parse().ok()
}

/// `GET /path HTTP/1.1` → method and path.
fn split_request(r: &str) -> (Option<String>, Option<String>) {
    let mut parts = r.splitn(3, ' ');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(p), v) if !m.is_empty() && v.is_none_or(|v| v.starts_with("HTTP/")) => {
            (present(m), present(p))
        }
        _ => (None, None),
    }
}

/// Undoes `escape=json` (`\"`, `\\`, `\/`, `\n`, `\uXXXX`, …); malformed escapes stay as is.
fn json_unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16) {
                    Ok(n) if hex.len() == 4 => {
                        out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    _ => out.push_str("\\u"),
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The one entry point of the UI: the gateway's format (custom or default) → fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccessParser {
    custom: Option<AccessFormat>,
    error: Option<FormatError>,
}

fn normalize(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl AccessParser {
    /// The parser of a gateway whose `log-format-upstream` is `custom` (`None`, blank or the
    /// default → the default parser; a template that does not compile → the default parser,
    /// with [`AccessParser::error`] saying why).
    pub fn new(custom: Option<&str>) -> Self {
        let Some(t) = custom.filter(|t| !t.trim().is_empty()) else {
            return Self::default();
        };
        if normalize(t) == DEFAULT_FORMAT {
            return Self::default();
        }
        match AccessFormat::compile(t) {
            Ok(f) => Self {
                custom: Some(f),
                error: None,
            },
            Err(e) => Self {
                custom: None,
                error: Some(e),
            },
        }
    }

    /// Whether a custom template is in use.
    pub fn is_custom(&self) -> bool {
        self.custom.is_some()
    }

    /// Why the custom template was rejected.
    pub fn error(&self) -> Option<&FormatError> {
        self.error.as_ref()
    }

    /// The custom format in use.
    pub fn format(&self) -> Option<&AccessFormat> {
        self.custom.as_ref()
    }

    /// The fields of an access line; `None` for other lines.
    pub fn parse(&self, line: &str) -> Option<AccessFields> {
        match &self.custom {
            Some(f) => f.parse(line),
            None => access_log::parse_access(line).map(|a| AccessFields::from_default(&a)),
        }
    }

    /// The status of an access line (cheaper than [`AccessParser::parse`]).
    pub fn status(&self, line: &str) -> Option<u16> {
        match &self.custom {
            Some(f) => f.status(line),
            None => access_log::parse_access(line).map(|a| a.status),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const OK: &str = r#"192.168.10.23 - - [05/Sep/2022:10:15:32 +0000] "GET /api/v1/items?page=2 HTTP/1.1" 200 612 "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64; rv:104.0) Gecko/20100101 Firefox/104.0" 478 0.004 [demo-shop-web-80] [] 10.233.70.21:8080 612 0.004 200 4f3c9d6e2a8b41e0b6c7d8e9f0a1b2c3"#;
    const RETRIES: &str = r#"192.168.10.23 - - [05/Sep/2022:10:16:01 +0000] "POST /api/v1/orders HTTP/1.1" 502 150 "-" "curl/7.79.1" 289 0.003 [demo-orders-8080] [] 10.233.70.35:8080, 10.233.70.36:8080, 10.233.70.37:8080 0, 0, 0 0.001, 0.001, 0.000 502, 502, 502 9a1b2c3d4e5f60718293a4b5c6d7e8f9"#;
    const REDIRECT: &str = r#"10.0.0.1 - bob [05/Sep/2022:10:16:01 +0000] "GET / HTTP/2.0" 200 5 "-" "-" 10 0.010 [ns-svc-80] [ns-canary-80] 10.0.0.2:80 : 10.0.0.3:80 0 : 5 0.005 : 0.004 404 : 200 abc"#;
    const NGINX_308: &str = r#"1.2.3.4 - - [05/Sep/2022:10:16:01 +0000] "GET / HTTP/1.1" 308 164 "-" "curl/8" 75 0.000 [ns-svc-80] [] - - - - 0123456789abcdef0123456789abcdef"#;
    const JSON_TEMPLATE: &str = r#"{"time":"$time_iso8601","remote_addr":"$remote_addr","request_id":"$req_id","method":"$request_method","host":"$host","uri":"$request_uri","status":$status,"bytes_sent":$bytes_sent,"request_time":$request_time,"upstream":"$proxy_upstream_name","upstream_addr":"$upstream_addr","upstream_status":"$upstream_status"}"#;
    const JSON_LINE: &str = r#"{"time":"2022-09-05T10:15:32+00:00","remote_addr":"192.168.10.23","request_id":"4f3c9d6e2a8b41e0b6c7d8e9f0a1b2c3","method":"GET","host":"shop.example.com","uri":"/api/v1/items?page=2","status":200,"bytes_sent":873,"request_time":0.004,"upstream":"demo-shop-web-80","upstream_addr":"10.233.70.21:8080","upstream_status":"200"}"#;

    fn default_and_compiled(line: &str) -> (AccessFields, AccessFields) {
        let d = AccessParser::new(None).parse(line).unwrap();
        let c = AccessFormat::compile(DEFAULT_FORMAT)
            .unwrap()
            .parse(line)
            .unwrap();
        (d, c)
    }

    #[test]
    fn default_format_fields() {
        let (d, c) = default_and_compiled(OK);
        assert_eq!(d.client.as_deref(), Some("192.168.10.23"));
        assert_eq!(d.time.as_deref(), Some("05/Sep/2022:10:15:32 +0000"));
        assert_eq!(d.method.as_deref(), Some("GET"));
        assert_eq!(d.path.as_deref(), Some("/api/v1/items?page=2"));
        assert_eq!(d.status, Some(200));
        assert_eq!(d.bytes, Some(612));
        assert_eq!(d.request_time, Some(0.004));
        assert_eq!(d.upstream.as_deref(), Some("demo-shop-web-80"));
        assert_eq!(d.upstream_addr, ["10.233.70.21:8080"]);
        assert_eq!(d.upstream_status, [Some(200)]);
        assert_eq!(d.upstream_response_time, [Some(0.004)]);
        assert_eq!(
            d.request_id.as_deref(),
            Some("4f3c9d6e2a8b41e0b6c7d8e9f0a1b2c3")
        );
        assert!(d.user_agent.as_deref().unwrap().starts_with("Mozilla/5.0"));
        assert_eq!(d.time_nanos(), Some(1_662_372_932_000_000_000));
        // the compiled default template agrees with parse_access
        assert_eq!(d, c);
    }

    #[test]
    fn compiled_default_agrees_on_lists_redirects_and_dashes() {
        for line in [RETRIES, REDIRECT, NGINX_308] {
            let (d, c) = default_and_compiled(line);
            assert_eq!(d, c, "{line}");
        }
        let (d, _) = default_and_compiled(RETRIES);
        assert_eq!(d.upstream_addr.len(), 3);
        assert_eq!(d.upstream_status_last(), Some(502));
        assert_eq!(d.upstream_status_text(), "502, 502, 502");
        assert_eq!(d.upstream_time_text(), "0.001, 0.001, 0.000");
        assert!((d.upstream_time_total().unwrap() - 0.002).abs() < 1e-9);
        let (d, _) = default_and_compiled(REDIRECT);
        assert_eq!(d.upstream_addr_text(), "10.0.0.2:80, 10.0.0.3:80");
        assert_eq!(d.upstream_status, [Some(404), Some(200)]);
        let (d, _) = default_and_compiled(NGINX_308);
        assert_eq!(d.upstream_status, [None]);
        assert_eq!(d.upstream_status_last(), None);
        assert_eq!(d.upstream_time_total(), None);
        assert_eq!(d.upstream_status_text(), "-");
        // the default template given explicitly (any spacing) is the default parser
        let p = AccessParser::new(Some(&format!("  {}\n", DEFAULT_FORMAT.replace(' ', "  "))));
        assert!(!p.is_custom());
    }

    #[test]
    fn json_template() {
        let p = AccessParser::new(Some(JSON_TEMPLATE));
        assert!(p.is_custom() && p.format().unwrap().is_json());
        let f = p.parse(JSON_LINE).unwrap();
        assert_eq!(f.time.as_deref(), Some("2022-09-05T10:15:32+00:00"));
        assert_eq!(f.time_nanos(), Some(1_662_372_932_000_000_000));
        assert_eq!(f.client.as_deref(), Some("192.168.10.23"));
        assert_eq!(f.method.as_deref(), Some("GET"));
        assert_eq!(f.path.as_deref(), Some("/api/v1/items?page=2"));
        assert_eq!(f.host.as_deref(), Some("shop.example.com"));
        assert_eq!(f.status, Some(200));
        assert_eq!(f.bytes, Some(873));
        assert_eq!(f.request_time, Some(0.004));
        assert_eq!(f.upstream.as_deref(), Some("demo-shop-web-80"));
        assert_eq!(f.upstream_addr, ["10.233.70.21:8080"]);
        assert_eq!(f.upstream_status, [Some(200)]);
        assert_eq!(
            f.request_id.as_deref(),
            Some("4f3c9d6e2a8b41e0b6c7d8e9f0a1b2c3")
        );
        assert_eq!(p.status(JSON_LINE), Some(200));
        // escaped quotes and backslashes inside values (escape=json)
        let tricky = JSON_LINE.replace(
            r#""uri":"/api/v1/items?page=2""#,
            r#""uri":"/a\"b\\\",\"status\":1\u00e9""#,
        );
        let f = p.parse(&tricky).unwrap();
        assert_eq!(f.path.as_deref(), Some(r#"/a"b\","status":1é"#));
        assert_eq!(f.status, Some(200));
        // retries in a quoted list
        let retry = JSON_LINE.replace(
            r#""upstream_status":"200""#,
            r#""upstream_status":"502, 502 : 200""#,
        );
        assert_eq!(
            p.parse(&retry).unwrap().upstream_status,
            [Some(502), Some(502), Some(200)]
        );
        // other lines do not match
        assert_eq!(p.parse(OK), None);
        assert_eq!(
            p.parse("I0905 10:15:35.200100       7 controller.go:168] x"),
            None
        );
        assert_eq!(
            p.parse(&JSON_LINE.replace("\"status\":200", "\"status\":-")),
            None
        );
        assert_eq!(p.parse(&JSON_LINE[..JSON_LINE.len() - 1]), None);
    }

    #[test]
    fn plain_custom_templates() {
        let p = AccessParser::new(Some(
            "${remote_addr} $http_x_forwarded_for $request_method $uri?$args -> $status ${body_bytes_sent}B $request_time rid=$request_id up=$upstream_addr/$upstream_status ua=\"$http_user_agent\"",
        ));
        let f = p
            .parse("- 203.0.113.9, 10.0.0.1 POST /x?y=1 -> 201 12B 0.100 rid=abc up=10.0.0.5:80, 10.0.0.6:80/502, 201 ua=\"curl \\x22q\\x22\"")
            .unwrap();
        assert_eq!(f.client.as_deref(), Some("203.0.113.9"));
        assert_eq!(f.method.as_deref(), Some("POST"));
        assert_eq!(f.path.as_deref(), Some("/x?y=1"));
        assert_eq!(f.status, Some(201));
        assert_eq!(f.bytes, Some(12));
        assert_eq!(f.request_id.as_deref(), Some("abc"));
        assert_eq!(f.upstream_addr, ["10.0.0.5:80", "10.0.0.6:80"]);
        assert_eq!(f.upstream_status, [Some(502), Some(201)]);
        assert_eq!(f.user_agent.as_deref(), Some("curl \\x22q\\x22"));
        // $request gives method and path; $msec time
        let p = AccessParser::new(Some("$msec \"$request\" $status"));
        let f = p
            .parse("1662372932.123 \"DELETE /a/b HTTP/1.1\" 204")
            .unwrap();
        assert_eq!(
            (f.method.as_deref(), f.path.as_deref()),
            (Some("DELETE"), Some("/a/b"))
        );
        assert_eq!(f.time_nanos(), Some(1_662_372_932_123_000_000));
        assert_eq!(p.parse("1662372932.123 \"x\" abc"), None);
        // an escaped quote does not end a quoted value
        let p = AccessParser::new(Some(r#""$http_user_agent" $status"#));
        let f = p.parse(r#""a\" b" 200"#).unwrap();
        assert_eq!(
            (f.user_agent.as_deref(), f.status),
            (Some(r#"a\" b"#), Some(200))
        );
        // templates without $status accept anything that matches
        let p = AccessParser::new(Some("$host $$ $request_uri"));
        let f = p.parse("h $$ /p").unwrap();
        assert_eq!(
            (f.host.as_deref(), f.path.as_deref()),
            (Some("h"), Some("/p"))
        );
        assert_eq!(p.status("h $$ /p"), None);
    }

    #[test]
    fn compile_errors_fall_back_to_default() {
        assert_eq!(AccessFormat::compile("  ").unwrap_err(), FormatError::Empty);
        assert_eq!(
            AccessFormat::compile("no vars").unwrap_err(),
            FormatError::NoVariables
        );
        assert_eq!(
            AccessFormat::compile("${oops").unwrap_err(),
            FormatError::UnterminatedBrace
        );
        assert_eq!(
            AccessFormat::compile("$status$request").unwrap_err(),
            FormatError::AdjacentVariables("status".into(), "request".into())
        );
        assert_eq!(
            AccessFormat::compile(&"$a ".repeat(5000)).unwrap_err(),
            FormatError::TooLong
        );
        let p = AccessParser::new(Some("${oops"));
        assert!(!p.is_custom());
        assert_eq!(p.error(), Some(&FormatError::UnterminatedBrace));
        assert!(p.parse(OK).is_some());
        assert!(!FormatError::AdjacentVariables("a".into(), "b".into())
            .to_string()
            .is_empty());
    }

    #[test]
    fn helpers() {
        assert_eq!(json_unescape(r#"a\u00"#), r#"a\u00"#);
        assert_eq!(json_unescape(r#"\ud800\q\"#), "\u{fffd}\\q\\");
        assert_eq!(
            time_local_nanos("05/Sep/2022:10:15:32 +0200"),
            Some(1_662_365_732_000_000_000)
        );
        assert_eq!(time_local_nanos("05/Foo/2022:10:15:32 +0000"), None);
        assert_eq!(time_local_nanos("05/Sep/2022:10:15:32 +é00"), None);
        assert_eq!(msec_nanos("99999999999999999.123"), None);
        assert_eq!(split_request("\\x16\\x03"), (None, None));
    }

    proptest! {
        #[test]
        fn never_panics(line in any::<String>()) {
            let _ = AccessParser::new(None).parse(&line);
            let p = AccessParser::new(Some(JSON_TEMPLATE));
            let _ = p.parse(&line);
            let _ = p.status(&line);
            let _ = AccessFormat::compile(DEFAULT_FORMAT).unwrap().parse(&line);
            let _ = AccessParser::new(Some(&line)).parse(OK);
        }

        #[test]
        fn template_noise_never_panics(parts in prop::collection::vec(prop_oneof![
            Just("$"), Just("{"), Just("}"), Just("status"), Just("upstream_addr"), Just("\""), Just(" "),
            Just(","), Just(":"), Just("\\"), Just("é"), Just("200"), Just("-"), Just("request")
        ], 0..30), line in prop::collection::vec(prop_oneof![
            Just("\""), Just(" "), Just(","), Just(" : "), Just("\\"), Just("é"), Just("200"), Just("-"), Just("x")
        ], 0..30)) {
            let t: String = parts.concat();
            let l: String = line.concat();
            let p = AccessParser::new(Some(&t));
            let _ = p.parse(&l);
            let _ = p.status(&l);
        }
    }
}
