//! The text of a download: the lines shown, with the same prefixes as the list (timestamp,
//! pod), ANSI escapes stripped, one per line.

use super::buffer::{LogEntry, PodTable};
use super::time::TimestampDisplay;

/// Shown after a line that was cut by the splitter.
pub const TRUNCATED_MARKER: &str = " [… line truncated]";
/// Shown after the pod name of a line from the previous container instance.
pub const PREVIOUS_MARKER: &str = " (previous)";

/// What goes before each line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PrefixOptions {
    /// Pod name column (when several pods are shown).
    pub pod: bool,
    /// Timestamp column.
    pub timestamps: TimestampDisplay,
}

/// The timestamp text of a line (blank padding of the same width when it has none; empty when
/// the column is off).
pub fn timestamp_text(entry: &LogEntry, display: TimestampDisplay) -> String {
    match (display, entry.ts) {
        (TimestampDisplay::Off, _) => String::new(),
        (d, Some(ts)) => d.format(ts).unwrap_or_default(),
        (d, None) => " ".repeat(d.width()),
    }
}

/// The pod text of a line (`name` or `name (previous)`).
pub fn pod_text(entry: &LogEntry, pods: &PodTable) -> String {
    let name = pods.name(entry.pod);
    if entry.previous {
        format!("{name}{PREVIOUS_MARKER}")
    } else {
        name.to_string()
    }
}

/// The whole prefix of a line as the list shows it: `"<timestamp> <pod> "` (parts that are off
/// are left out).
pub fn line_prefix(entry: &LogEntry, pods: &PodTable, opts: PrefixOptions) -> String {
    let mut out = String::new();
    if opts.timestamps != TimestampDisplay::Off {
        out.push_str(&timestamp_text(entry, opts.timestamps));
        out.push(' ');
    }
    if opts.pod {
        out.push_str(&pod_text(entry, pods));
        out.push(' ');
    }
    out
}

/// The download text of these lines.
pub fn export_text<'a>(
    entries: impl IntoIterator<Item = &'a LogEntry>,
    pods: &PodTable,
    opts: PrefixOptions,
) -> String {
    let mut out = String::new();
    for e in entries {
        out.push_str(&line_prefix(e, pods, opts));
        out.push_str(&e.plain_text());
        if e.truncated {
            out.push_str(TRUNCATED_MARKER);
        }
        out.push('\n');
    }
    out
}

/// File name of a download: `<gateway>-logs-<YYYYMMDD-HHMMSS>.log` (UTC), with characters that
/// file systems dislike replaced by `_`.
pub fn export_file_name(gateway: &str, now_seconds: i64) -> String {
    let stamp = super::time::format_rfc3339_seconds(now_seconds)
        .replace(['-', ':'], "")
        .replace('T', "-")
        .replace('Z', "");
    let name: String = gateway
        .chars()
        .take(100)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{name}-logs-{stamp}.log")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::buffer::LogBuffer;

    #[test]
    fn export_matches_the_list() {
        let mut b = LogBuffer::new(10);
        let a = b.pods_mut().intern("router-a").unwrap();
        let c = b.pods_mut().intern("router-c").unwrap();
        b.insert(
            a,
            false,
            Some(1_662_372_932_123_000_000),
            "\u{1b}[31mred\u{1b}[0m line".into(),
            false,
        );
        b.insert(c, true, None, "old".into(), true);
        let opts = PrefixOptions {
            pod: true,
            timestamps: TimestampDisplay::Utc,
        };
        assert_eq!(
            export_text(b.iter(), b.pods(), opts),
            "2022-09-05T10:15:32.123Z router-a red line\n                         router-c (previous) old [… line truncated]\n"
        );
        assert_eq!(
            export_text(b.iter(), b.pods(), PrefixOptions::default()),
            "red line\nold [… line truncated]\n"
        );
        assert_eq!(
            line_prefix(b.get(0).unwrap(), b.pods(), PrefixOptions::default()),
            ""
        );
        assert_eq!(export_text(std::iter::empty(), b.pods(), opts), "");
    }

    #[test]
    fn file_names() {
        assert_eq!(
            export_file_name("kubesphere-router-demo", 1_662_372_932),
            "kubesphere-router-demo-logs-20220905-101532.log"
        );
        assert_eq!(
            export_file_name("a/b\\c", 0),
            "a_b_c-logs-19700101-000000.log"
        );
    }
}
