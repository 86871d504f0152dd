//! The bounded, time-ordered buffer of lines from several pod streams, and the pod table.
//!
//! Lines arrive per pod (one HTTP stream each) and are merged by kubelet timestamp: insertion
//! keeps ascending timestamp order, stable for equal timestamps (arrival order); a line without
//! a timestamp takes the position key of the previous line of the same stream (so it stays right
//! after it), or goes to the end when its stream has none yet. Inserting near the end costs a
//! comparison with the last line (plain append) or a binary search plus a short `VecDeque`
//! shift. When the buffer is full the oldest lines are dropped and counted in
//! [`LogBuffer::dropped`].
//!
//! Every line is classified once, at insert ([`LineClass`], on the ANSI-stripped text, with the
//! gateway's access-log format when a custom one is set).
//!
//! Views over the buffer ([`super::query::FilterView`]) stay incremental through
//! [`LogBuffer::revision`] / [`LogBuffer::changed_since`].

use std::collections::{HashMap, VecDeque};

use super::ansi;
use super::class::{LineClass, StatusClass};
use super::format::AccessParser;
use super::splitter::RawLine;
use super::time::parse_rfc3339;
use crate::access_log::split_kubelet_timestamp;

/// Default number of lines kept.
pub const DEFAULT_CAPACITY: usize = 200_000;
/// Number of distinct pod colours ([`PodInfo::color`] is below this).
pub const POD_COLORS: u8 = 8;
/// Inserts remembered for incremental views; a view further behind recomputes fully.
const EDIT_LOG: usize = 8192;

/// One line in the buffer.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// Arrival number, unique and increasing in arrival order (a stable key for rows).
    pub seq: u64,
    /// Index into the [`PodTable`].
    pub pod: u16,
    /// From the previous (terminated) container instance.
    pub previous: bool,
    /// Kubelet timestamp, nanoseconds since the epoch.
    pub ts: Option<i64>,
    /// The line as logged (without the kubelet timestamp; may hold ANSI escapes).
    pub text: Box<str>,
    /// Its class.
    pub class: LineClass,
    /// The line was longer than the splitter's cap and was cut.
    pub truncated: bool,
    order: i64,
}

impl LogEntry {
    /// The merge key: the timestamp, or the one this line inherited.
    pub fn order(&self) -> i64 {
        self.order
    }

    /// The text without ANSI escapes (what filters, find and export see).
    pub fn plain_text(&self) -> std::borrow::Cow<'_, str> {
        ansi::strip(&self.text)
    }
}

/// A pod of the viewer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodInfo {
    /// Pod name.
    pub name: String,
    /// Colour index below [`POD_COLORS`], derived from the name (the same pod keeps its colour
    /// across reloads; pods of one table get distinct colours while there are free ones).
    pub color: u8,
    /// The pod was deleted: its lines stay, its stream is over.
    pub gone: bool,
}

/// Pods by index (`u16`), in order of registration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodTable {
    pods: Vec<PodInfo>,
    index: HashMap<String, u16>,
}

fn fnv1a(s: &str) -> u32 {
    s.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

impl PodTable {
    /// The index of a pod, registering it on first use (`None` past 65 536 pods). A pod that
    /// was marked gone and comes back (same name) is live again.
    pub fn intern(&mut self, name: &str) -> Option<u16> {
        if let Some(i) = self.index_of(name) {
            self.pods[usize::from(i)].gone = false;
            return Some(i);
        }
        let index = u16::try_from(self.pods.len()).ok()?;
        let mut used = [false; POD_COLORS as usize];
        for p in self.pods.iter().filter(|p| !p.gone) {
            used[usize::from(p.color)] = true;
        }
        let start = (fnv1a(name) % u32::from(POD_COLORS)) as u8;
        let color = (0..POD_COLORS)
            .map(|k| (start + k) % POD_COLORS)
            .find(|c| !used[usize::from(*c)])
            .unwrap_or(start);
        self.pods.push(PodInfo {
            name: name.to_string(),
            color,
            gone: false,
        });
        self.index.insert(name.to_string(), index);
        Some(index)
    }

    /// The index of a registered pod.
    pub fn index_of(&self, name: &str) -> Option<u16> {
        self.index.get(name).copied()
    }

    /// A pod by index.
    pub fn get(&self, index: u16) -> Option<&PodInfo> {
        self.pods.get(usize::from(index))
    }

    /// A pod's name (`""` for an unknown index).
    pub fn name(&self, index: u16) -> &str {
        self.get(index).map_or("", |p| p.name.as_str())
    }

    /// Marks a pod deleted; `false` when unknown.
    pub fn mark_gone(&mut self, name: &str) -> bool {
        match self.index.get(name) {
            Some(&i) => {
                self.pods[usize::from(i)].gone = true;
                true
            }
            None => false,
        }
    }

    /// Number of pods.
    pub fn len(&self) -> usize {
        self.pods.len()
    }

    /// Whether no pod is registered.
    pub fn is_empty(&self) -> bool {
        self.pods.is_empty()
    }

    /// Pods with their indexes.
    pub fn iter(&self) -> impl Iterator<Item = (u16, &PodInfo)> {
        self.pods.iter().enumerate().map(|(i, p)| (i as u16, p))
    }

    /// The widest pod name in characters (for the prefix column).
    pub fn max_name_chars(&self) -> usize {
        self.pods
            .iter()
            .map(|p| p.name.chars().count())
            .max()
            .unwrap_or(0)
    }
}

/// A point in the buffer's history, for incremental views.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Revision {
    generation: u64,
    inserts: u64,
}

/// What changed since a [`Revision`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Nothing.
    None,
    /// Lines from this position on are new or moved (positions before it only lost lines at
    /// the front, see [`LogBuffer::removed`]).
    From(usize),
    /// Everything (cleared, reclassified, or too far behind): recompute.
    All,
}

/// The merged lines of all pods, oldest first.
#[derive(Clone, Debug)]
pub struct LogBuffer {
    entries: VecDeque<LogEntry>,
    capacity: usize,
    pods: PodTable,
    /// Last merge key per (pod, previous) stream: index `pod * 2 + previous`.
    last_order: Vec<Option<i64>>,
    next_seq: u64,
    removed: u64,
    dropped: u64,
    generation: u64,
    inserts: u64,
    edits: VecDeque<u64>,
    access: AccessParser,
}

impl Default for LogBuffer {
    fn default() -> Self {
        Self::new(DEFAULT_CAPACITY)
    }
}

/// Classifies a line (ANSI escapes stripped) with the gateway's access-log format.
pub fn classify(text: &str, access: &AccessParser) -> LineClass {
    let plain = ansi::strip(text);
    if access.is_custom() {
        if let Some(status) = access.status(&plain) {
            if let Some(c) = StatusClass::of(status) {
                return LineClass::Access(c);
            }
        }
    }
    LineClass::of(&plain)
}

impl LogBuffer {
    /// A buffer keeping at most `capacity` lines (at least 1).
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
            pods: PodTable::default(),
            last_order: Vec::new(),
            next_seq: 0,
            removed: 0,
            dropped: 0,
            generation: 0,
            inserts: 0,
            edits: VecDeque::new(),
            access: AccessParser::default(),
        }
    }

    /// The pod table.
    pub fn pods(&self) -> &PodTable {
        &self.pods
    }

    /// The pod table, to register pods or mark them gone.
    pub fn pods_mut(&mut self) -> &mut PodTable {
        &mut self.pods
    }

    /// The access-log parser lines are classified with.
    pub fn access_parser(&self) -> &AccessParser {
        &self.access
    }

    /// Sets the gateway's access-log format (`log-format-upstream`, `None` for the default)
    /// and reclassifies every line (views recompute).
    pub fn set_access_parser(&mut self, access: AccessParser) {
        if access == self.access {
            return;
        }
        self.access = access;
        for e in &mut self.entries {
            e.class = classify(&e.text, &self.access);
        }
        self.generation += 1;
    }

    /// Adds one kubelet line (`<RFC3339Nano> <text>` with `timestamps=true`; a line without a
    /// parseable timestamp is kept whole, with no timestamp). Returns its position, `None` when
    /// it was older than everything in a full buffer (then counted as dropped).
    pub fn push(&mut self, pod: u16, previous: bool, line: RawLine) -> Option<usize> {
        let (ts, rest) = split_timestamp(&line.text);
        let cut = line.text.len() - rest.len();
        let mut text = line.text;
        text.drain(..cut);
        self.insert(pod, previous, ts, text, line.truncated)
    }

    /// Inserts a line whose timestamp is already split off. Returns its position, `None` when
    /// it was dropped at once (older than everything in a full buffer).
    pub fn insert(
        &mut self,
        pod: u16,
        previous: bool,
        ts: Option<i64>,
        text: String,
        truncated: bool,
    ) -> Option<usize> {
        let stream = usize::from(pod) * 2 + usize::from(previous);
        if self.last_order.len() <= stream {
            self.last_order.resize(stream + 1, None);
        }
        let order = match ts {
            Some(t) => t,
            None => self.last_order[stream]
                .or_else(|| self.entries.back().map(|e| e.order))
                .unwrap_or(i64::MIN),
        };
        self.last_order[stream] = Some(order);
        let class = classify(&text, &self.access);
        let entry = LogEntry {
            seq: self.next_seq,
            pod,
            previous,
            ts,
            text: text.into_boxed_str(),
            class,
            truncated,
            order,
        };
        self.next_seq += 1;
        let pos = match self.entries.back() {
            Some(last) if last.order > order => self.entries.partition_point(|e| e.order <= order),
            _ => self.entries.len(),
        };
        self.entries.insert(pos, entry);
        self.inserts += 1;
        if self.edits.len() == EDIT_LOG {
            self.edits.pop_front();
        }
        self.edits.push_back(self.removed + pos as u64);
        let mut pos = Some(pos);
        while self.entries.len() > self.capacity {
            self.entries.pop_front();
            self.removed += 1;
            self.dropped += 1;
            pos = pos.and_then(|p| p.checked_sub(1));
        }
        pos
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there is no line.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Most lines kept.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The line at a position (0 = oldest).
    pub fn get(&self, pos: usize) -> Option<&LogEntry> {
        self.entries.get(pos)
    }

    /// All lines, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &LogEntry> + ExactSizeIterator {
        self.entries.iter()
    }

    /// Lines dropped because the buffer was full (for the "N older lines dropped" notice).
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Lines ever removed from the front (dropped or cleared): position `p` now is absolute
    /// position `removed() + p`.
    pub fn removed(&self) -> u64 {
        self.removed
    }

    /// The position of the line with this `seq` (a linear search from the newest end).
    pub fn position_of_seq(&self, seq: u64) -> Option<usize> {
        self.entries.iter().rposition(|e| e.seq == seq)
    }

    /// Removes every line (the pod table and the drop counter stay).
    pub fn clear(&mut self) {
        self.removed += self.entries.len() as u64;
        self.entries.clear();
        self.last_order.clear();
        self.edits.clear();
        self.generation += 1;
    }

    /// The current revision.
    pub fn revision(&self) -> Revision {
        Revision {
            generation: self.generation,
            inserts: self.inserts,
        }
    }

    /// What changed since `rev`.
    pub fn changed_since(&self, rev: Revision) -> Change {
        if rev.generation != self.generation || rev.inserts > self.inserts {
            return Change::All;
        }
        let n = self.inserts - rev.inserts;
        if n == 0 {
            return Change::None;
        }
        let Ok(n) = usize::try_from(n) else {
            return Change::All;
        };
        if n > self.edits.len() {
            return Change::All;
        }
        let min = self.edits.iter().rev().take(n).min().copied().unwrap_or(0);
        Change::From(usize::try_from(min.saturating_sub(self.removed)).unwrap_or(usize::MAX))
    }
}

/// Splits and parses the kubelet timestamp of a line: `(Some(ts), rest)` or `(None, line)`.
pub fn split_timestamp(line: &str) -> (Option<i64>, &str) {
    match split_kubelet_timestamp(line) {
        (Some(ts), rest) => match parse_rfc3339(ts) {
            Some(t) => (Some(t), rest),
            None => (None, line),
        },
        (None, _) => (None, line),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access_log::KlogSeverity;

    const S: i64 = 1_000_000_000;

    fn raw(s: &str) -> RawLine {
        RawLine {
            text: s.into(),
            truncated: false,
        }
    }

    fn texts(b: &LogBuffer) -> Vec<&str> {
        b.iter().map(|e| &*e.text).collect()
    }

    #[test]
    fn merges_pods_by_timestamp() {
        let mut b = LogBuffer::new(100);
        let a = b.pods_mut().intern("a").unwrap();
        let c = b.pods_mut().intern("c").unwrap();
        b.push(a, false, raw("1970-01-01T00:00:01Z a1"));
        b.push(a, false, raw("1970-01-01T00:00:03Z a3"));
        b.push(c, false, raw("1970-01-01T00:00:02Z c2"));
        b.push(c, false, raw("1970-01-01T00:00:03Z c3"));
        b.push(a, false, raw("continuation of a3"));
        b.push(c, false, raw("1970-01-01T00:00:00.5Z c0"));
        assert_eq!(
            texts(&b),
            ["c0", "a1", "c2", "a3", "c3", "continuation of a3"]
        );
        // the continuation inherited a3's key; equal keys keep arrival order
        assert_eq!(b.get(5).unwrap().order(), 3 * S);
        assert_eq!(b.get(5).unwrap().ts, None);
        assert_eq!(b.get(0).unwrap().ts, Some(S / 2));
        let seqs: Vec<u64> = b.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, [5, 0, 2, 1, 3, 4]);
        assert_eq!(b.position_of_seq(2), Some(2));
    }

    #[test]
    fn lines_without_timestamps_follow_their_stream() {
        let mut b = LogBuffer::new(100);
        b.push(0, false, raw("no ts first"));
        b.push(1, false, raw("1970-01-01T00:00:05Z b5"));
        b.push(0, false, raw("1970-01-01T00:00:01Z a1"));
        b.push(0, false, raw("a1 continued"));
        b.push(0, true, raw("previous container, no ts"));
        assert_eq!(
            texts(&b),
            [
                "no ts first",
                "a1",
                "a1 continued",
                "b5",
                "previous container, no ts"
            ]
        );
        // a malformed timestamp keeps the whole line
        b.push(1, false, raw("2022-13-05T10:15:32Z bad"));
        assert_eq!(b.get(5).unwrap().text.as_ref(), "2022-13-05T10:15:32Z bad");
    }

    #[test]
    fn drops_oldest_when_full() {
        let mut b = LogBuffer::new(3);
        for i in 1..=5 {
            b.insert(0, false, Some(i * S), format!("l{i}"), false);
        }
        assert_eq!(texts(&b), ["l3", "l4", "l5"]);
        assert_eq!(b.dropped(), 2);
        // older than everything: dropped at once
        assert_eq!(b.insert(1, false, Some(0), "old".into(), false), None);
        assert_eq!(b.dropped(), 3);
        assert_eq!(
            b.insert(1, false, Some(4 * S), "l4b".into(), false),
            Some(1)
        );
        assert_eq!(texts(&b), ["l4", "l4b", "l5"]);
        b.clear();
        assert!(b.is_empty());
        assert_eq!(b.dropped(), 4);
        assert_eq!(b.removed(), 7);
    }

    #[test]
    fn classifies_once_on_stripped_text() {
        let mut b = LogBuffer::new(10);
        b.push(0, false, raw("2022-09-05T10:15:32.1Z \u{1b}[33mW0905 10:21:40.771020       7 configmap.go:419] x"));
        assert_eq!(
            b.get(0).unwrap().class,
            LineClass::Klog(KlogSeverity::Warning)
        );
        b.push(0, false, raw(r#"{"status":503,"uri":"/"}"#));
        assert_eq!(b.get(1).unwrap().class, LineClass::Other);
        let rev = b.revision();
        b.set_access_parser(AccessParser::new(Some(
            r#"{"status":$status,"uri":"$request_uri"}"#,
        )));
        assert_eq!(
            b.get(1).unwrap().class,
            LineClass::Access(StatusClass::ServerError)
        );
        assert_eq!(b.changed_since(rev), Change::All);
    }

    #[test]
    fn pod_table() {
        let mut t = PodTable::default();
        let names = ["p-0", "p-1", "p-2", "p-3", "p-4", "p-5", "p-6", "p-7"];
        let colors: Vec<u8> = names
            .iter()
            .map(|n| {
                let i = t.intern(n).unwrap();
                t.get(i).unwrap().color
            })
            .collect();
        let mut distinct = colors.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), 8);
        assert_eq!(t.intern("p-3"), Some(3));
        assert!(t.mark_gone("p-3"));
        assert!(!t.mark_gone("nope"));
        assert!(t.get(3).unwrap().gone);
        assert_eq!(t.name(3), "p-3");
        assert_eq!(t.name(999), "");
        // the same name gets the same colour in a new table
        let mut u = PodTable::default();
        u.intern("p-0");
        assert_eq!(u.get(0).unwrap().color, colors[0]);
        assert_eq!(t.max_name_chars(), 3);
    }

    #[test]
    fn revisions() {
        let mut b = LogBuffer::new(4);
        let r0 = b.revision();
        assert_eq!(b.changed_since(r0), Change::None);
        b.insert(0, false, Some(10), "a".into(), false);
        b.insert(0, false, Some(20), "b".into(), false);
        assert_eq!(b.changed_since(r0), Change::From(0));
        let r1 = b.revision();
        b.insert(0, false, Some(30), "c".into(), false);
        assert_eq!(b.changed_since(r1), Change::From(2));
        b.insert(1, false, Some(15), "x".into(), false);
        assert_eq!(b.changed_since(r1), Change::From(1));
        let r2 = b.revision();
        // full: the front is dropped, the new line appended
        b.insert(0, false, Some(40), "d".into(), false);
        assert_eq!(b.changed_since(r2), Change::From(3));
        assert_eq!(b.removed(), 1);
        b.clear();
        assert_eq!(b.changed_since(r2), Change::All);
    }

    #[test]
    fn many_streams_and_pods_never_panic() {
        let mut b = LogBuffer::new(10);
        for p in [0, 1, u16::MAX] {
            for prev in [false, true] {
                b.insert(p, prev, None, String::new(), false);
                b.insert(p, prev, Some(i64::MIN), String::new(), true);
                b.insert(p, prev, Some(i64::MAX), String::new(), false);
            }
        }
        assert_eq!(b.len(), 10);
        let mut t = PodTable::default();
        for i in 0..=u16::MAX as u32 {
            assert!(t.intern(&i.to_string()).is_some());
        }
        assert_eq!(t.intern("one too many"), None);
    }

    /// Sanity benchmark (not a timed assertion): `cargo test -p gateway-model --release --
    /// --ignored ingest_200k --nocapture`. The browser budget is ≤ 300 ms for 200k lines.
    #[test]
    #[ignore]
    fn ingest_200k_typical_lines() {
        use crate::logs::query::{filter_indices, FilterView, LogQuery, SearchMode};
        use crate::logs::stream::PodStream;
        use crate::logs::view_state::LogWindow;
        use std::time::Instant;

        let base = 1_662_372_932i64;
        let mut bodies: Vec<Vec<u8>> = vec![Vec::new(); 3];
        for i in 0..200_000i64 {
            let pod = (i % 3) as usize;
            // pods drift a little against each other
            let ns = (i / 3) * 3_000_000 + pod as i64 * 700_000;
            let status = if i % 50 == 0 { 502 } else { 200 };
            let line = format!(
                "{}.{:09}Z 192.168.{}.{} - - [05/Sep/2022:10:15:32 +0000] \"GET /api/v1/items?page={} HTTP/1.1\" {status} 612 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\" 478 0.004 [demo-shop-web-80] [] 10.233.70.21:8080 612 0.004 {status} {:032x}\n",
                crate::logs::time::format_rfc3339_seconds(base + ns / 1_000_000_000).trim_end_matches('Z'),
                ns % 1_000_000_000,
                10 + i % 20,
                2 + i % 250,
                i % 97,
                i * 7919
            );
            bodies[pod].extend_from_slice(line.as_bytes());
        }
        let total: usize = bodies.iter().map(Vec::len).sum();
        let mut b = LogBuffer::default();
        let mut streams: Vec<PodStream> = (0..3)
            .map(|p| PodStream::new(p, false, LogWindow::default()))
            .collect();
        let t = Instant::now();
        // interleave 16 KiB chunks of the three bodies
        let mut offsets = [0usize; 3];
        while offsets.iter().zip(&bodies).any(|(o, b)| *o < b.len()) {
            for p in 0..3 {
                let end = (offsets[p] + 16 * 1024).min(bodies[p].len());
                streams[p].feed(&bodies[p][offsets[p]..end], &mut b);
                offsets[p] = end;
            }
        }
        let ingest = t.elapsed();
        assert_eq!(b.len(), 200_000);
        assert!(b
            .iter()
            .zip(b.iter().skip(1))
            .all(|(x, y)| x.order() <= y.order()));
        let t = Instant::now();
        let q = LogQuery {
            text: "page=42 ".into(),
            ..LogQuery::default()
        }
        .compile()
        .unwrap();
        let hits = filter_indices(&b, &q).len();
        let plain = t.elapsed();
        let t = Instant::now();
        let re = LogQuery {
            text: r#"" 5\d\d "#.into(),
            regex: true,
            ..LogQuery::default()
        }
        .compile()
        .unwrap();
        let errors = filter_indices(&b, &re).len();
        let regex = t.elapsed();
        let t = Instant::now();
        let mut view = FilterView::new();
        view.sync(&b, &re, SearchMode::Find);
        let find = t.elapsed();
        let t = Instant::now();
        let rows = crate::logs::table::access_rows(&b, 0..b.len(), b.access_parser());
        let table = t.elapsed();
        println!(
            "{total} bytes, 200k lines: ingest {ingest:?}, plain filter {plain:?} ({hits} hits), regex filter {regex:?} ({errors}), find view {find:?}, table {table:?} ({} rows)",
            rows.len()
        );
        assert_eq!(errors, 4000);
    }
}
