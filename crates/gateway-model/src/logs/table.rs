//! The access table: one row per HTTP access line, sortable by column, and the summary over
//! the rows shown (requests, 5xx, error rate, p95 request time).

use std::cmp::Ordering;
use std::net::IpAddr;

use super::buffer::{LogBuffer, LogEntry};
use super::class::LineClass;
use super::format::{AccessFields, AccessParser};

/// One access line of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct AccessRow {
    /// [`LogEntry::seq`] of its line (the row key; jump-to-line).
    pub seq: u64,
    /// Its pod.
    pub pod: u16,
    /// Kubelet timestamp of the line.
    pub ts: Option<i64>,
    /// The parsed fields.
    pub fields: AccessFields,
}

impl AccessRow {
    /// The row of a line, if it is an access line in the gateway's format (klog, NGINX error
    /// and stream lines are skipped without parsing).
    pub fn from_entry(entry: &LogEntry, parser: &AccessParser) -> Option<Self> {
        if !matches!(entry.class, LineClass::Access(_) | LineClass::Other) {
            return None;
        }
        let fields = parser.parse(&entry.plain_text())?;
        Some(AccessRow {
            seq: entry.seq,
            pod: entry.pod,
            ts: entry.ts,
            fields,
        })
    }

    /// The time used for sorting: the kubelet timestamp, else the logged time.
    pub fn time_nanos(&self) -> Option<i64> {
        self.ts.or_else(|| self.fields.time_nanos())
    }
}

/// The rows of the given buffer positions (e.g. a [`super::query::FilterView`]'s), in order.
pub fn access_rows(
    buffer: &LogBuffer,
    positions: impl IntoIterator<Item = usize>,
    parser: &AccessParser,
) -> Vec<AccessRow> {
    positions
        .into_iter()
        .filter_map(|p| buffer.get(p))
        .filter_map(|e| AccessRow::from_entry(e, parser))
        .collect()
}

/// A sortable column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// Time.
    Time,
    /// Client address (IP order when both parse).
    Client,
    /// Method.
    Method,
    /// Path.
    Path,
    /// Status.
    Status,
    /// Bytes sent.
    Bytes,
    /// Request time.
    RequestTime,
    /// Upstream name.
    Upstream,
    /// Upstream address(es).
    UpstreamAddr,
    /// Status of the last upstream attempt.
    UpstreamStatus,
    /// Total upstream response time.
    UpstreamTime,
    /// Request id.
    RequestId,
}

impl Column {
    /// Every column in display order.
    pub const ALL: [Column; 12] = [
        Column::Time,
        Column::Client,
        Column::Method,
        Column::Path,
        Column::Status,
        Column::Bytes,
        Column::RequestTime,
        Column::Upstream,
        Column::UpstreamAddr,
        Column::UpstreamStatus,
        Column::UpstreamTime,
        Column::RequestId,
    ];

    /// Stable key (URL, i18n).
    pub fn key(self) -> &'static str {
        match self {
            Column::Time => "time",
            Column::Client => "client",
            Column::Method => "method",
            Column::Path => "path",
            Column::Status => "status",
            Column::Bytes => "bytes",
            Column::RequestTime => "request_time",
            Column::Upstream => "upstream",
            Column::UpstreamAddr => "upstream_addr",
            Column::UpstreamStatus => "upstream_status",
            Column::UpstreamTime => "upstream_time",
            Column::RequestId => "request_id",
        }
    }

    /// The column of a key.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }
}

/// Compares present values; absent ones sort last whatever the direction.
fn cmp_opt<T>(
    a: Option<T>,
    b: Option<T>,
    ascending: bool,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => {
            let o = cmp(&a, &b);
            if ascending {
                o
            } else {
                o.reverse()
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn cmp_client(a: &&str, b: &&str) -> Ordering {
    match (a.parse::<IpAddr>(), b.parse::<IpAddr>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// Stable sort by a column; rows without the value go last in both directions.
pub fn sort_rows(rows: &mut [AccessRow], column: Column, ascending: bool) {
    rows.sort_by(|a, b| {
        let (x, y) = (&a.fields, &b.fields);
        match column {
            Column::Time => cmp_opt(a.time_nanos(), b.time_nanos(), ascending, Ord::cmp),
            Column::Client => cmp_opt(
                x.client.as_deref(),
                y.client.as_deref(),
                ascending,
                cmp_client,
            ),
            Column::Method => cmp_opt(
                x.method.as_deref(),
                y.method.as_deref(),
                ascending,
                Ord::cmp,
            ),
            Column::Path => cmp_opt(x.path.as_deref(), y.path.as_deref(), ascending, Ord::cmp),
            Column::Status => cmp_opt(x.status, y.status, ascending, Ord::cmp),
            Column::Bytes => cmp_opt(x.bytes, y.bytes, ascending, Ord::cmp),
            Column::RequestTime => {
                cmp_opt(x.request_time, y.request_time, ascending, f64::total_cmp)
            }
            Column::Upstream => cmp_opt(
                x.upstream.as_deref(),
                y.upstream.as_deref(),
                ascending,
                Ord::cmp,
            ),
            Column::UpstreamAddr => cmp_opt(
                x.upstream_addr.first().map(String::as_str),
                y.upstream_addr.first().map(String::as_str),
                ascending,
                cmp_client_addr,
            ),
            Column::UpstreamStatus => cmp_opt(
                x.upstream_status_last(),
                y.upstream_status_last(),
                ascending,
                Ord::cmp,
            ),
            Column::UpstreamTime => cmp_opt(
                x.upstream_time_total(),
                y.upstream_time_total(),
                ascending,
                f64::total_cmp,
            ),
            Column::RequestId => cmp_opt(
                x.request_id.as_deref(),
                y.request_id.as_deref(),
                ascending,
                Ord::cmp,
            ),
        }
    });
}

/// `ip:port` order (socket addresses when both parse).
fn cmp_client_addr(a: &&str, b: &&str) -> Ordering {
    match (
        a.parse::<std::net::SocketAddr>(),
        b.parse::<std::net::SocketAddr>(),
    ) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// Summary of the rows shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AccessStats {
    /// Rows.
    pub requests: u64,
    /// Rows with a 5xx status.
    pub errors_5xx: u64,
    /// `errors_5xx / requests` (0 without rows).
    pub error_rate: f64,
    /// 95th percentile of the request time, nearest rank (`None` without request times).
    pub p95_request_time: Option<f64>,
    /// Rows per status class: 1xx/2xx, 3xx, 4xx, 5xx.
    pub by_class: [u64; 4],
}

impl AccessStats {
    /// Computes the summary.
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a AccessRow>) -> Self {
        let mut out = AccessStats::default();
        let mut times = Vec::new();
        for r in rows {
            out.requests += 1;
            if let Some(s) = r.fields.status {
                let class = match s {
                    100..=299 => Some(0),
                    300..=399 => Some(1),
                    400..=499 => Some(2),
                    500..=599 => Some(3),
                    _ => None,
                };
                if let Some(c) = class {
                    out.by_class[c] += 1;
                }
                if (500..=599).contains(&s) {
                    out.errors_5xx += 1;
                }
            }
            if let Some(t) = r.fields.request_time {
                times.push(t);
            }
        }
        if out.requests > 0 {
            out.error_rate = out.errors_5xx as f64 / out.requests as f64;
        }
        out.p95_request_time = percentile_nearest_rank(&mut times, 95);
        out
    }
}

/// The `p`-th percentile (0–100) by nearest rank: the value at rank `ceil(p/100 · n)`.
pub fn percentile_nearest_rank(values: &mut [f64], p: u32) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let rank = (u128::from(p.min(100)) * n as u128).div_ceil(100).max(1) as usize;
    values.get(rank.min(n) - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: u64, status: Option<u16>, time: Option<f64>, client: &str) -> AccessRow {
        AccessRow {
            seq,
            pod: 0,
            ts: Some(seq as i64),
            fields: AccessFields {
                status,
                request_time: time,
                client: (!client.is_empty()).then(|| client.to_string()),
                ..AccessFields::default()
            },
        }
    }

    fn seqs(rows: &[AccessRow]) -> Vec<u64> {
        rows.iter().map(|r| r.seq).collect()
    }

    #[test]
    fn sorts_with_missing_values_last() {
        let mut rows = vec![
            row(0, Some(502), Some(0.5), "10.0.0.10"),
            row(1, None, None, ""),
            row(2, Some(200), Some(0.1), "10.0.0.9"),
            row(3, Some(200), Some(1.5), "host"),
        ];
        sort_rows(&mut rows, Column::Status, true);
        assert_eq!(seqs(&rows), [2, 3, 0, 1]);
        sort_rows(&mut rows, Column::Status, false);
        assert_eq!(seqs(&rows), [0, 2, 3, 1]);
        sort_rows(&mut rows, Column::RequestTime, false);
        assert_eq!(seqs(&rows), [3, 0, 2, 1]);
        // IPs in numeric order
        sort_rows(&mut rows, Column::Client, true);
        assert_eq!(seqs(&rows), [2, 0, 3, 1]);
        sort_rows(&mut rows, Column::Time, false);
        assert_eq!(seqs(&rows), [3, 2, 1, 0]);
        for c in Column::ALL {
            sort_rows(&mut rows, c, true);
            assert_eq!(Column::from_key(c.key()), Some(c));
        }
        assert_eq!(Column::from_key("nope"), None);
    }

    #[test]
    fn upstream_columns() {
        let mut a = row(0, Some(200), None, "");
        a.fields.upstream_status = vec![Some(502), Some(200)];
        a.fields.upstream_response_time = vec![Some(0.2), Some(0.1)];
        a.fields.upstream_addr = vec!["10.0.0.10:80".into()];
        let mut b = row(1, Some(200), None, "");
        b.fields.upstream_status = vec![Some(404)];
        b.fields.upstream_response_time = vec![Some(0.25)];
        b.fields.upstream_addr = vec!["10.0.0.9:80".into()];
        let mut rows = vec![a, b, row(2, None, None, "")];
        sort_rows(&mut rows, Column::UpstreamStatus, true);
        assert_eq!(seqs(&rows), [0, 1, 2]);
        sort_rows(&mut rows, Column::UpstreamTime, true);
        assert_eq!(seqs(&rows), [1, 0, 2]);
        sort_rows(&mut rows, Column::UpstreamAddr, true);
        assert_eq!(seqs(&rows), [1, 0, 2]);
    }

    #[test]
    fn stats() {
        let times = [
            0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7,
            1.8, 1.9, 2.0,
        ];
        let rows: Vec<AccessRow> = times
            .iter()
            .enumerate()
            .map(|(i, t)| {
                row(
                    i as u64,
                    Some(if i % 5 == 0 { 503 } else { 200 }),
                    Some(*t),
                    "",
                )
            })
            .collect();
        let s = AccessStats::of(&rows);
        assert_eq!(s.requests, 20);
        assert_eq!(s.errors_5xx, 4);
        assert!((s.error_rate - 0.2).abs() < 1e-12);
        // nearest rank: ceil(0.95 * 20) = 19th value
        assert_eq!(s.p95_request_time, Some(1.9));
        assert_eq!(s.by_class, [16, 0, 0, 4]);
        let empty = AccessStats::of(&[]);
        assert_eq!(
            (empty.requests, empty.error_rate, empty.p95_request_time),
            (0, 0.0, None)
        );
        assert_eq!(percentile_nearest_rank(&mut [3.0], 95), Some(3.0));
        assert_eq!(percentile_nearest_rank(&mut [1.0, 2.0], 0), Some(1.0));
        assert_eq!(percentile_nearest_rank(&mut [1.0, 2.0], 500), Some(2.0));
    }

    #[test]
    fn rows_from_the_buffer() {
        let mut b = LogBuffer::new(10);
        b.insert(0, false, Some(1), r#"1.2.3.4 - - [05/Sep/2022:10:16:01 +0000] "GET /ok HTTP/1.1" 200 5 "-" "-" 10 0.010 [ns-svc-80] [] 10.0.0.2:80 5 0.005 200 a"#.into(), false);
        b.insert(
            0,
            false,
            Some(2),
            "I0905 10:15:35.200100       7 controller.go:168] x".into(),
            false,
        );
        b.insert(0, false, Some(3), "plain".into(), false);
        let rows = access_rows(&b, 0..10, &AccessParser::default());
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].fields.path.as_deref(), Some("/ok"));
        assert_eq!(rows[0].time_nanos(), Some(1));
    }
}
