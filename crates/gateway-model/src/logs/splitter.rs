//! Bytes of a streamed log response → lines. Chunks may split lines and UTF-8 sequences
//! anywhere; decoding is lossy (invalid bytes become U+FFFD) and bounded: a line longer than the
//! cap keeps its first `max_line_bytes` bytes (cut on a character boundary) and is marked
//! truncated, the rest of it is skipped without being stored, so one 1 GB line costs one pass
//! and `max_line_bytes` of memory.

/// Default longest line kept, in bytes (64 KiB).
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 * 1024;

/// One decoded line, without its `\n` (and without a `\r` before it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawLine {
    /// The text (lossy UTF-8).
    pub text: String,
    /// The line was longer than the cap and was cut.
    pub truncated: bool,
}

/// Incremental splitter of one response body.
#[derive(Clone, Debug)]
pub struct LineSplitter {
    buf: Vec<u8>,
    max: usize,
    truncated: bool,
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_LINE_BYTES)
    }
}

impl LineSplitter {
    /// A splitter keeping at most `max_line_bytes` bytes per line (at least 1).
    pub fn new(max_line_bytes: usize) -> Self {
        Self {
            buf: Vec::new(),
            max: max_line_bytes.max(1),
            truncated: false,
        }
    }

    /// Feeds a chunk; returns the lines it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<RawLine> {
        let mut out = Vec::new();
        let mut rest = chunk;
        while let Some(nl) = find_newline(rest) {
            let line = &rest[..nl];
            if self.buf.is_empty() && !self.truncated && line.len() <= self.max {
                // the whole line is in this chunk: one exact allocation
                out.push(decode(line.to_vec(), false));
            } else {
                self.append(line);
                out.push(self.take());
            }
            rest = &rest[nl + 1..];
        }
        self.append(rest);
        out
    }

    /// Ends the body: the last line when it had no final `\n` (and was not empty).
    pub fn finish(&mut self) -> Option<RawLine> {
        if self.buf.is_empty() && !self.truncated {
            return None;
        }
        Some(self.take())
    }

    /// Bytes held for the unfinished line.
    pub fn pending_bytes(&self) -> usize {
        self.buf.len()
    }

    fn append(&mut self, bytes: &[u8]) {
        let room = self.max.saturating_sub(self.buf.len());
        if bytes.len() > room {
            self.truncated = true;
        }
        self.buf.extend_from_slice(&bytes[..bytes.len().min(room)]);
    }

    fn take(&mut self) -> RawLine {
        let truncated = std::mem::take(&mut self.truncated);
        let bytes = std::mem::take(&mut self.buf);
        decode(bytes, truncated)
    }
}

/// Bytes of one line → text (a cut line loses its incomplete last character; a whole one its
/// `\r`).
fn decode(mut bytes: Vec<u8>, truncated: bool) -> RawLine {
    if truncated {
        let keep = bytes.len() - incomplete_tail(&bytes);
        bytes.truncate(keep);
    } else if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    RawLine { text, truncated }
}

/// Position of the first `\n`, eight bytes at a time.
fn find_newline(b: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut chunks = b.chunks_exact(8);
    let mut at = 0;
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        let x = u64::from_le_bytes(word) ^ NL;
        if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
            return c.iter().position(|&b| b == b'\n').map(|i| at + i);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| at + i)
}

/// Length of an incomplete UTF-8 sequence at the end of `b` (0 if it ends on a boundary).
fn incomplete_tail(b: &[u8]) -> usize {
    for back in 1..=b.len().min(4) {
        let c = b[b.len() - back];
        if c & 0xC0 == 0x80 {
            continue; // continuation byte: look further back
        }
        let need = match c {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if need > back { back } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn texts(lines: Vec<RawLine>) -> Vec<String> {
        lines.into_iter().map(|l| l.text).collect()
    }

    #[test]
    fn lines_and_utf8_split_across_chunks() {
        let mut s = LineSplitter::default();
        let all = "héllo wörld\r\n中文\nlast".as_bytes();
        let mut out = Vec::new();
        for b in all.chunks(1) {
            out.extend(s.push(b));
        }
        assert_eq!(texts(out), ["héllo wörld", "中文"]);
        assert_eq!(s.finish().unwrap().text, "last");
        assert_eq!(s.finish(), None);
        assert_eq!(texts(s.push(b"\n\n")), ["", ""]);
    }

    #[test]
    fn invalid_bytes_are_replaced() {
        let mut s = LineSplitter::default();
        let out = s.push(b"a\xffb\xe4\xb8\n");
        assert_eq!(out[0].text, "a\u{fffd}b\u{fffd}");
        assert!(!out[0].truncated);
    }

    #[test]
    fn long_lines_are_cut_on_a_char_boundary() {
        let mut s = LineSplitter::new(5);
        let out = s.push("abcd中ef\nok\n".as_bytes());
        assert_eq!(
            out,
            [
                RawLine {
                    text: "abcd".into(),
                    truncated: true
                },
                RawLine {
                    text: "ok".into(),
                    truncated: false
                }
            ]
        );
        let mut s = LineSplitter::new(3);
        for b in b"abcdefgh".chunks(2) {
            assert!(s.push(b).is_empty());
        }
        assert_eq!(s.pending_bytes(), 3);
        assert_eq!(
            s.finish(),
            Some(RawLine {
                text: "abc".into(),
                truncated: true
            })
        );
        // the \r of a cut line is beyond the cap: nothing to strip
        let mut s = LineSplitter::new(2);
        assert_eq!(s.push(b"ab\r\n")[0].text, "ab");
    }

    #[test]
    fn megabyte_line_is_bounded() {
        let mut s = LineSplitter::default();
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..16 {
            assert!(s.push(&chunk).is_empty());
            assert!(s.pending_bytes() <= DEFAULT_MAX_LINE_BYTES);
        }
        let out = s.push(b"y\nnext\n");
        assert_eq!(out.len(), 2);
        assert!(out[0].truncated);
        assert_eq!(out[0].text.len(), DEFAULT_MAX_LINE_BYTES);
        assert_eq!(out[1].text, "next");
    }

    #[test]
    fn newline_search() {
        for len in 0..40 {
            for nl in 0..=len {
                let mut v = vec![b'x'; len];
                if nl < len {
                    v[nl] = b'\n';
                }
                let expected = (nl < len).then_some(nl);
                assert_eq!(find_newline(&v), expected, "{len} {nl}");
            }
        }
        assert_eq!(
            find_newline(&[0x8a, 0x0b, 0x09, 0xff, 0, 0, 0, 0, 0x0a]),
            Some(8)
        );
    }

    #[test]
    fn incomplete_tails() {
        assert_eq!(incomplete_tail(b""), 0);
        assert_eq!(incomplete_tail(b"a"), 0);
        assert_eq!(incomplete_tail("中".as_bytes()), 0);
        assert_eq!(incomplete_tail(&"中".as_bytes()[..2]), 2);
        assert_eq!(incomplete_tail(&"😀".as_bytes()[..3]), 3);
        assert_eq!(incomplete_tail(b"\x80\x80\x80\x80\x80"), 0);
    }

    proptest! {
        #[test]
        fn never_panics_and_never_exceeds_the_cap(
            bytes in prop::collection::vec(any::<u8>(), 0..600),
            cuts in prop::collection::vec(0usize..600, 0..8),
            max in 1usize..40,
        ) {
            let mut s = LineSplitter::new(max);
            let mut cuts = cuts;
            cuts.push(bytes.len());
            cuts.sort_unstable();
            let mut at = 0;
            let mut lines = Vec::new();
            for c in cuts {
                let c = c.min(bytes.len());
                lines.extend(s.push(&bytes[at..c.max(at)]));
                at = c.max(at);
            }
            lines.extend(s.finish());
            for l in &lines {
                // a replacement character is 3 bytes for 1 invalid byte
                prop_assert!(l.text.chars().count() <= max);
                prop_assert!(!l.text.contains('\n'));
            }
        }

        #[test]
        fn chunking_does_not_change_valid_text(text in "[a-zé中😀\n]{0,80}", cut in 0usize..200) {
            let bytes = text.as_bytes();
            let cut = cut.min(bytes.len());
            let mut s = LineSplitter::default();
            let mut lines = s.push(&bytes[..cut]);
            lines.extend(s.push(&bytes[cut..]));
            lines.extend(s.finish());
            let mut expected: Vec<&str> = text.split('\n').collect();
            if expected.last() == Some(&"") { expected.pop(); }
            prop_assert_eq!(texts(lines), expected);
        }
    }
}
