//! The filter/find query: plain text or regular expression (regex-lite, linear time), case
//! sensitivity, inversion and the severity set; compiled once per keystroke, then run over the
//! buffer ([`filter_indices`]) or kept up to date incrementally as lines arrive ([`FilterView`]).
//!
//! Text is matched on the ANSI-stripped line. Case-insensitive matching folds ASCII letters and,
//! for a needle with non-ASCII letters, every character whose lower case is a single character
//! (`Ä`/`ä`, `Σ`/`σ`; not `ß`/`SS`). Regular expressions are case-folded for ASCII only
//! (regex-lite has no Unicode case tables). Ranges are byte ranges on char boundaries, never
//! empty, sorted and disjoint. An empty text matches every line.

use std::collections::VecDeque;
use std::ops::Range;

use super::buffer::{Change, LogBuffer, LogEntry, Revision};
use super::class::Severities;

/// Longest pattern accepted, in characters.
pub const MAX_PATTERN_CHARS: usize = 1000;
/// Compiled size limit of a regex (bounds both memory and the per-byte search cost).
const REGEX_SIZE_LIMIT: usize = 64 * 1024;

/// What the user typed and toggled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LogQuery {
    /// Text or pattern (empty = every line).
    pub text: String,
    /// `text` is a regular expression.
    pub regex: bool,
    /// Match case.
    pub case_sensitive: bool,
    /// Filter mode keeps the lines that do *not* match the text.
    pub invert: bool,
    /// Severity groups shown.
    pub severities: Severities,
}

/// Why a query cannot run (shown inline under the search box).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    /// Longer than [`MAX_PATTERN_CHARS`].
    TooLong {
        /// The limit.
        max: usize,
    },
    /// regex-lite's message.
    Regex(String),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::TooLong { max } => {
                write!(f, "the search text is longer than {max} characters")
            }
            QueryError::Regex(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for QueryError {}

/// Filter mode hides non-matching lines; find mode shows every line (of the selected severities)
/// and navigates between matches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SearchMode {
    /// Only matching lines.
    #[default]
    Filter,
    /// All lines, matches highlighted.
    Find,
}

#[derive(Clone, Debug)]
enum Matcher {
    All,
    Exact(String),
    AsciiFold(Vec<u8>),
    Fold(Vec<char>),
    Regex(regex_lite::Regex),
}

/// A query ready to run.
#[derive(Clone, Debug)]
pub struct CompiledQuery {
    query: LogQuery,
    matcher: Matcher,
}

fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

impl LogQuery {
    /// Compiles the query.
    pub fn compile(&self) -> Result<CompiledQuery, QueryError> {
        if self.text.chars().count() > MAX_PATTERN_CHARS {
            return Err(QueryError::TooLong {
                max: MAX_PATTERN_CHARS,
            });
        }
        let matcher = if self.text.is_empty() {
            Matcher::All
        } else if self.regex {
            let re = regex_lite::RegexBuilder::new(&self.text)
                .case_insensitive(!self.case_sensitive)
                .size_limit(REGEX_SIZE_LIMIT)
                .nest_limit(64)
                .build()
                .map_err(|e| QueryError::Regex(e.to_string()))?;
            Matcher::Regex(re)
        } else if self.case_sensitive {
            Matcher::Exact(self.text.clone())
        } else if self.text.is_ascii() {
            Matcher::AsciiFold(self.text.to_ascii_lowercase().into_bytes())
        } else {
            Matcher::Fold(self.text.chars().map(fold).collect())
        };
        Ok(CompiledQuery {
            query: self.clone(),
            matcher,
        })
    }
}

impl Default for CompiledQuery {
    fn default() -> Self {
        Self {
            query: LogQuery::default(),
            matcher: Matcher::All,
        }
    }
}

/// First match of an ASCII needle (lower case) at or after `from`, ASCII case folded.
fn find_ascii_fold(hay: &[u8], needle: &[u8], from: usize) -> Option<Range<usize>> {
    let first = *needle.first()?;
    let last_start = hay.len().checked_sub(needle.len())?;
    (from..=last_start)
        .find(|&i| {
            hay[i].to_ascii_lowercase() == first
                && hay[i..i + needle.len()].eq_ignore_ascii_case(needle)
        })
        .map(|i| i..i + needle.len())
}

/// First match of folded chars at or after `from` (a char boundary).
fn find_fold(hay: &str, needle: &[char], from: usize) -> Option<Range<usize>> {
    let rest = hay.get(from..)?;
    for (i, _) in rest.char_indices() {
        let mut it = rest[i..].char_indices();
        let mut end = 0;
        let matched = needle.iter().all(|nc| match it.next() {
            Some((j, hc)) if fold(hc) == *nc => {
                end = j + hc.len_utf8();
                true
            }
            _ => false,
        });
        if matched && end > 0 {
            return Some(from + i..from + i + end);
        }
    }
    None
}

impl CompiledQuery {
    /// The query it was compiled from.
    pub fn query(&self) -> &LogQuery {
        &self.query
    }

    /// Whether the text part matches every line.
    pub fn matches_all_text(&self) -> bool {
        matches!(self.matcher, Matcher::All)
    }

    /// Whether plain (ANSI-stripped) text contains a match (inversion not applied).
    pub fn text_matches(&self, plain: &str) -> bool {
        match &self.matcher {
            Matcher::All => true,
            Matcher::Exact(n) => plain.contains(n.as_str()),
            Matcher::AsciiFold(n) => find_ascii_fold(plain.as_bytes(), n, 0).is_some(),
            Matcher::Fold(n) => find_fold(plain, n, 0).is_some(),
            Matcher::Regex(re) => re.is_match(plain),
        }
    }

    /// Whether a line passes its severity group.
    pub fn passes_severity(&self, e: &LogEntry) -> bool {
        self.query.severities.admits(e.class)
    }

    /// Filter mode: severity, and text match XOR invert (an empty text matches every line,
    /// inverted or not).
    pub fn matches(&self, e: &LogEntry) -> bool {
        if !self.passes_severity(e) {
            return false;
        }
        if self.matches_all_text() {
            return true;
        }
        self.text_matches(&e.plain_text()) != self.query.invert
    }

    /// Byte ranges of the matches in plain (ANSI-stripped) text, for highlighting: sorted,
    /// disjoint, non-empty, on char boundaries. Empty for an empty text.
    pub fn find_ranges(&self, plain: &str) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        match &self.matcher {
            Matcher::All => {}
            Matcher::Exact(n) => {
                out.extend(plain.match_indices(n.as_str()).map(|(i, m)| i..i + m.len()));
            }
            Matcher::AsciiFold(n) => {
                let mut from = 0;
                while let Some(r) = find_ascii_fold(plain.as_bytes(), n, from) {
                    from = r.end;
                    out.push(r);
                }
            }
            Matcher::Fold(n) => {
                let mut from = 0;
                while let Some(r) = find_fold(plain, n, from) {
                    from = r.end;
                    out.push(r);
                }
            }
            Matcher::Regex(re) => {
                out.extend(re.find_iter(plain).map(|m| m.range()).filter(|r| {
                    !r.is_empty()
                        && plain.is_char_boundary(r.start)
                        && plain.is_char_boundary(r.end)
                }));
            }
        }
        out
    }
}

/// Positions (in buffer order) of the lines that pass in filter mode.
pub fn filter_indices(buffer: &LogBuffer, query: &CompiledQuery) -> Vec<u32> {
    buffer
        .iter()
        .enumerate()
        .filter(|(_, e)| query.matches(e))
        .map(|(i, _)| i as u32)
        .collect()
}

/// The rows of the list (and the find hits) over a [`LogBuffer`], kept up to date
/// incrementally: after lines are appended near the end only those (and the few after them)
/// are tested; a new query or mode recomputes.
///
/// Rows and hits are stored as absolute positions (see [`LogBuffer::removed`]).
#[derive(Clone, Debug, Default)]
pub struct FilterView {
    rows: VecDeque<u64>,
    hits: VecDeque<u64>,
    removed: u64,
    /// Absolute position of the next line to test (`None`: up to date).
    pending: Option<u64>,
    synced: Option<(Revision, LogQuery, SearchMode)>,
}

/// Progress of [`FilterView::sync_some`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SyncStatus {
    /// Rows or hits changed.
    pub changed: bool,
    /// Every line has been tested.
    pub complete: bool,
}

impl FilterView {
    /// An empty view (the first [`FilterView::sync`] computes everything).
    pub fn new() -> Self {
        Self::default()
    }

    /// Brings the view up to date with the buffer, query and mode. Returns whether rows or
    /// hits changed.
    pub fn sync(&mut self, buffer: &LogBuffer, query: &CompiledQuery, mode: SearchMode) -> bool {
        self.sync_some(buffer, query, mode, usize::MAX).changed
    }

    /// Like [`FilterView::sync`] but tests at most `budget` lines, so a long recomputation
    /// (a new regex over 200k lines) can be spread over animation frames: call again until
    /// [`SyncStatus::complete`]; rows found so far are usable meanwhile, and lines inserted
    /// in between are taken into account.
    pub fn sync_some(
        &mut self,
        buffer: &LogBuffer,
        query: &CompiledQuery,
        mode: SearchMode,
        budget: usize,
    ) -> SyncStatus {
        let change = match &self.synced {
            Some((rev, q, m)) if q == query.query() && *m == mode => buffer.changed_since(*rev),
            _ => Change::All,
        };
        let removed = buffer.removed();
        let before = (self.rows.len(), self.hits.len(), self.removed);
        match change {
            Change::None => {}
            Change::All => {
                self.rows.clear();
                self.hits.clear();
                self.pending = Some(removed);
            }
            Change::From(p) => {
                let abs = removed + p as u64;
                self.pending = Some(self.pending.map_or(abs, |q| q.min(abs)));
            }
        }
        if let Some(from) = self.pending {
            while self.rows.back().is_some_and(|&r| r >= from) {
                self.rows.pop_back();
            }
            while self.hits.back().is_some_and(|&r| r >= from) {
                self.hits.pop_back();
            }
        }
        while self.rows.front().is_some_and(|&r| r < removed) {
            self.rows.pop_front();
        }
        while self.hits.front().is_some_and(|&r| r < removed) {
            self.hits.pop_front();
        }
        self.removed = removed;
        let mut scanned = false;
        if let Some(from) = self.pending {
            let start = usize::try_from(from.max(removed) - removed).unwrap_or(usize::MAX);
            let mut next = start;
            for (i, e) in buffer.iter().enumerate().skip(start).take(budget.max(1)) {
                scanned = true;
                next = i + 1;
                let abs = removed + i as u64;
                match mode {
                    SearchMode::Filter => {
                        if query.matches(e) {
                            self.rows.push_back(abs);
                        }
                    }
                    SearchMode::Find => {
                        if query.passes_severity(e) {
                            self.rows.push_back(abs);
                            if !query.matches_all_text() && query.text_matches(&e.plain_text()) {
                                self.hits.push_back(abs);
                            }
                        }
                    }
                }
            }
            self.pending = (next < buffer.len()).then_some(removed + next as u64);
        }
        self.synced = Some((buffer.revision(), query.query().clone(), mode));
        SyncStatus {
            changed: scanned || before != (self.rows.len(), self.hits.len(), self.removed),
            complete: self.pending.is_none(),
        }
    }

    /// Whether the last sync left lines to test.
    pub fn is_complete(&self) -> bool {
        self.pending.is_none() && self.synced.is_some()
    }

    /// Forgets everything (the next sync recomputes).
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Number of rows shown.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether no row is shown.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The buffer position of a row (as of the last sync).
    pub fn position(&self, row: usize) -> Option<usize> {
        let abs = *self.rows.get(row)?;
        usize::try_from(abs.checked_sub(self.removed)?).ok()
    }

    /// The line of a row (the buffer must be the one last synced with).
    pub fn entry<'b>(&self, buffer: &'b LogBuffer, row: usize) -> Option<&'b LogEntry> {
        buffer.get(self.position(row)?)
    }

    /// The row showing a buffer position, or where it would be (`Err`) if it is filtered out.
    pub fn row_of_position(&self, pos: usize) -> Result<usize, usize> {
        let abs = self.removed + pos as u64;
        self.rows.binary_search(&abs)
    }

    /// Number of find hits (find mode).
    pub fn hit_count(&self) -> usize {
        self.hits.len()
    }

    /// The row of the `k`-th hit.
    pub fn hit_row(&self, k: usize) -> Option<usize> {
        let abs = *self.hits.get(k)?;
        self.rows.binary_search(&abs).ok()
    }

    /// The hit after (`forward`) or before `row`, wrapping around; `None` without hits.
    /// With `row == None` the first (forward) or last hit.
    pub fn next_hit(&self, row: Option<usize>, forward: bool) -> Option<usize> {
        if self.hits.is_empty() {
            return None;
        }
        let n = self.hits.len();
        let Some(abs) = row.and_then(|r| self.rows.get(r)).copied() else {
            return Some(if forward { 0 } else { n - 1 });
        };
        Some(if forward {
            let k = self.hits.partition_point(|&h| h <= abs);
            if k == n {
                0
            } else {
                k
            }
        } else {
            let k = self.hits.partition_point(|&h| h < abs);
            if k == 0 {
                n - 1
            } else {
                k - 1
            }
        })
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)]
mod tests {
    use super::*;
    use crate::logs::class::LineClass;
    use proptest::prelude::*;

    fn q(text: &str) -> LogQuery {
        LogQuery {
            text: text.into(),
            ..LogQuery::default()
        }
    }

    fn ranges(query: &LogQuery, hay: &str) -> Vec<Range<usize>> {
        query.compile().unwrap().find_ranges(hay)
    }

    #[test]
    fn plain_text_case_folding() {
        assert_eq!(ranges(&q("get"), "GET /get Get"), [0..3, 5..8, 9..12]);
        let cs = LogQuery {
            case_sensitive: true,
            ..q("get")
        };
        assert_eq!(ranges(&cs, "GET /get Get"), [5..8]);
        assert_eq!(ranges(&q("aa"), "aaaa"), [0..2, 2..4]);
        // non-ASCII needles fold simple lower cases
        assert_eq!(ranges(&q("ÄRGER"), "ärger Ärger"), [0..6, 7..13]);
        assert_eq!(ranges(&q("σ"), "ΣΑΣ"), [0..2, 4..6]);
        // ASCII needles never match inside multi-byte characters
        assert_eq!(ranges(&q("a"), "éaé"), [2..3]);
        assert!(ranges(&q(""), "anything").is_empty());
        assert!(q("").compile().unwrap().text_matches(""));
        assert!(!q("x").compile().unwrap().text_matches(""));
    }

    #[test]
    fn regex_queries() {
        let re = LogQuery {
            regex: true,
            ..q(r#"" (5\d\d) "#)
        };
        let c = re.compile().unwrap();
        assert!(c.text_matches(r#""GET / HTTP/1.1" 502 150"#));
        assert!(!c.text_matches(r#""GET / HTTP/1.1" 200 150"#));
        // empty matches are not highlighted
        let star = LogQuery {
            regex: true,
            ..q("x*")
        };
        assert_eq!(ranges(&star, "axxb"), [1..3]);
        let ci = LogQuery {
            regex: true,
            ..q("get")
        };
        assert_eq!(ranges(&ci, "GET"), [0..3]);
        let err = LogQuery {
            regex: true,
            ..q("(unclosed")
        }
        .compile()
        .unwrap_err();
        assert!(matches!(&err, QueryError::Regex(m) if !m.is_empty()));
        assert!(!err.to_string().is_empty());
        let huge = LogQuery {
            regex: true,
            ..q("(a{100}){100}")
        };
        assert!(matches!(huge.compile(), Err(QueryError::Regex(_))));
        assert_eq!(
            q(&"x".repeat(1001)).compile().unwrap_err(),
            QueryError::TooLong { max: 1000 }
        );
        assert!(q(&"é".repeat(1000)).compile().is_ok());
    }

    fn buffer() -> LogBuffer {
        let mut b = LogBuffer::new(100);
        let lines = [
            r#"1.2.3.4 - - [05/Sep/2022:10:16:01 +0000] "GET /ok HTTP/1.1" 200 5 "-" "-" 10 0.010 [ns-svc-80] [] 10.0.0.2:80 5 0.005 200 a"#,
            r#"1.2.3.4 - - [05/Sep/2022:10:16:01 +0000] "GET /bad HTTP/1.1" 502 5 "-" "-" 10 0.010 [ns-svc-80] [] 10.0.0.2:80 5 0.005 502 b"#,
            "I0905 10:15:35.200100       7 controller.go:168] \"Configuration changes detected\"",
            "\u{1b}[31mplain RED\u{1b}[0m",
        ];
        for (i, l) in lines.iter().enumerate() {
            b.insert(0, false, Some(i as i64), l.to_string(), false);
        }
        b
    }

    #[test]
    fn filter_mode_combines_text_invert_and_severity() {
        let b = buffer();
        let run = |query: LogQuery| filter_indices(&b, &query.compile().unwrap());
        assert_eq!(run(q("")), [0, 1, 2, 3]);
        assert_eq!(run(q("get")), [0, 1]);
        assert_eq!(
            run(LogQuery {
                invert: true,
                ..q("get")
            }),
            [2, 3]
        );
        assert_eq!(
            run(LogQuery {
                invert: true,
                ..q("")
            }),
            [0, 1, 2, 3]
        );
        // ANSI escapes are not part of the text
        assert_eq!(run(q("plain red")), [3]);
        assert_eq!(run(q("31m")), Vec::<u32>::new());
        let errors = LogQuery {
            severities: Severities::ERRORS,
            ..q("")
        };
        assert_eq!(run(errors), [1]);
        let none = LogQuery {
            severities: Severities::NONE,
            ..q("")
        };
        assert!(run(none).is_empty());
        assert_eq!(b.get(3).unwrap().class, LineClass::Other);
    }

    #[test]
    fn incremental_view_matches_full_recompute() {
        let mut b = LogBuffer::new(50);
        let query = q("5").compile().unwrap();
        let mut view = FilterView::new();
        let mut seen_change = false;
        for i in 0..400i64 {
            // three pods, slightly out of order
            let ts = i * 10 - (i % 3) * 15;
            b.insert((i % 3) as u16, false, Some(ts), format!("line {i}"), false);
            if i % 7 == 0 {
                seen_change |= view.sync(&b, &query, SearchMode::Filter);
                let expected: Vec<usize> = filter_indices(&b, &query)
                    .into_iter()
                    .map(|p| p as usize)
                    .collect();
                let got: Vec<usize> = (0..view.len()).map(|r| view.position(r).unwrap()).collect();
                assert_eq!(got, expected, "after {i}");
            }
        }
        assert!(seen_change);
        view.sync(&b, &query, SearchMode::Filter);
        assert!(!view.sync(&b, &query, SearchMode::Filter));
    }

    #[test]
    fn find_mode_navigates_hits() {
        let b = buffer();
        let query = q("get").compile().unwrap();
        let mut view = FilterView::new();
        assert!(view.sync(&b, &query, SearchMode::Find));
        assert_eq!(view.len(), 4);
        assert_eq!(view.hit_count(), 2);
        assert_eq!(view.hit_row(1), Some(1));
        assert_eq!(view.hit_row(2), None);
        assert_eq!(view.next_hit(None, true), Some(0));
        assert_eq!(view.next_hit(None, false), Some(1));
        assert_eq!(view.next_hit(Some(0), true), Some(1));
        assert_eq!(view.next_hit(Some(1), true), Some(0));
        assert_eq!(view.next_hit(Some(3), false), Some(1));
        assert_eq!(view.next_hit(Some(0), false), Some(1));
        assert_eq!(view.row_of_position(2), Ok(2));
        assert_eq!(view.entry(&b, 3).unwrap().seq, 3);
        // switching to filter mode recomputes
        assert!(view.sync(&b, &query, SearchMode::Filter));
        assert_eq!(view.len(), 2);
        assert_eq!(view.hit_count(), 0);
        assert_eq!(view.row_of_position(2), Err(2));
        view.reset();
        assert!(view.is_empty());
    }

    #[test]
    fn view_survives_drops_and_clear() {
        let mut b = LogBuffer::new(5);
        let query = q("").compile().unwrap();
        let mut view = FilterView::new();
        for i in 0..5 {
            b.insert(0, false, Some(i), i.to_string(), false);
        }
        view.sync(&b, &query, SearchMode::Filter);
        for i in 5..8 {
            b.insert(0, false, Some(i), i.to_string(), false);
        }
        assert!(view.sync(&b, &query, SearchMode::Filter));
        assert_eq!(view.len(), 5);
        assert_eq!(&*view.entry(&b, 0).unwrap().text, "3");
        b.clear();
        view.sync(&b, &query, SearchMode::Filter);
        assert!(view.is_empty());
        assert_eq!(view.position(0), None);
    }

    #[test]
    fn budgeted_sync_with_inserts_in_between() {
        let mut b = LogBuffer::new(300);
        let query = q("7").compile().unwrap();
        let mut view = FilterView::new();
        for i in 0..200i64 {
            b.insert(0, false, Some(i * 10), format!("line {i}"), false);
        }
        let mut rounds = 0;
        loop {
            let st = view.sync_some(&b, &query, SearchMode::Filter, 30);
            rounds += 1;
            // lines arrive between frames, some of them before the scan position
            b.insert(
                1,
                false,
                Some(rounds * 97 % 2000),
                format!("late {rounds}7"),
                false,
            );
            if st.complete && rounds > 10 {
                break;
            }
            assert!(rounds < 100);
        }
        view.sync(&b, &query, SearchMode::Filter);
        assert!(view.is_complete());
        let expected: Vec<usize> = filter_indices(&b, &query)
            .into_iter()
            .map(|p| p as usize)
            .collect();
        let got: Vec<usize> = (0..view.len()).map(|r| view.position(r).unwrap()).collect();
        assert_eq!(got, expected);
    }

    proptest! {
        #[test]
        fn compile_and_find_never_panic(text in any::<String>(), hay in any::<String>(), regex: bool, cs: bool) {
            let query = LogQuery { text, regex, case_sensitive: cs, ..LogQuery::default() };
            if let Ok(c) = query.compile() {
                let rs = c.find_ranges(&hay);
                let mut end = 0;
                for r in &rs {
                    prop_assert!(r.start >= end && r.end > r.start);
                    prop_assert!(hay.get(r.clone()).is_some());
                    end = r.end;
                }
                if !regex && !c.matches_all_text() {
                    prop_assert_eq!(c.text_matches(&hay), !rs.is_empty());
                }
            }
        }

        #[test]
        fn regex_noise_never_panics(parts in prop::collection::vec(prop_oneof![
            Just("("), Just(")"), Just("["), Just("]"), Just("{"), Just("}"), Just("*"), Just("+"), Just("?"),
            Just("\\"), Just("|"), Just("^"), Just("$"), Just("a"), Just("é"), Just("1000"), Just(","), Just("(?i)"), Just("\\p{L}")
        ], 0..30), hay in ".{0,40}") {
            let query = LogQuery { text: parts.concat(), regex: true, ..LogQuery::default() };
            if let Ok(c) = query.compile() {
                for r in c.find_ranges(&hay) {
                    prop_assert!(hay.get(r).is_some());
                }
            }
        }
    }
}
