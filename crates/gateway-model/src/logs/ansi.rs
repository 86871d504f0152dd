//! ANSI escape sequences in log text: SGR colours and attributes become styled spans; every
//! other escape sequence (other CSI, OSC/DCS/SOS/PM/APC strings up to BEL or ST, two- and
//! three-byte escapes, a lone ESC) is removed. The output text never contains ESC.
//!
//! Span ranges are byte ranges into the *stripped* text ([`strip`]), which is also the text that
//! filters and find ([`super::query`]) look at, so highlight ranges and colour spans share one
//! coordinate system; [`segments`] merges the two for rendering.

use std::borrow::Cow;
use std::ops::Range;

const ESC: char = '\u{1b}';

/// A colour: one of the 256 indexed colours (0–7 basic, 8–15 bright) or true colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Color {
    /// Palette index (`30`–`37`, `90`–`97`, `38;5;n`).
    Indexed(u8),
    /// `38;2;r;g;b`.
    Rgb(u8, u8, u8),
}

/// Text attributes of a span.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Style {
    /// Foreground.
    pub fg: Option<Color>,
    /// Background.
    pub bg: Option<Color>,
    /// `1`.
    pub bold: bool,
    /// `2`.
    pub dim: bool,
    /// `3`.
    pub italic: bool,
    /// `4` (also `21`, double underline).
    pub underline: bool,
}

impl Style {
    /// Whether this is the default style (no markup needed).
    pub fn is_plain(&self) -> bool {
        *self == Style::default()
    }
}

/// A run of text in one style: `range` indexes the stripped text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StyledSpan {
    /// Byte range in the stripped text (on char boundaries, never empty).
    pub range: Range<usize>,
    /// Its style.
    pub style: Style,
}

/// A line with its escapes removed and its style runs.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Styled {
    /// The text without escape sequences (equal to [`strip`]).
    pub text: String,
    /// Contiguous, non-empty spans covering `text`, adjacent spans differing in style.
    pub spans: Vec<StyledSpan>,
}

/// What the scanner found at an ESC.
enum Escape<'a> {
    /// SGR parameters (`ESC [ params m`).
    Sgr(&'a str),
    /// Anything else: dropped.
    Other,
}

/// Scans the escape sequence starting at `s[0] == ESC`; returns it and its byte length.
fn scan_escape(s: &str) -> (Escape<'_>, usize) {
    let b = s.as_bytes();
    match b.get(1) {
        Some(b'[') => {
            // CSI: parameter bytes 0x30–0x3F, intermediate 0x20–0x2F, final 0x40–0x7E
            let mut i = 2;
            while i < b.len() && (0x30..=0x3F).contains(&b[i]) {
                i += 1;
            }
            let params_end = i;
            while i < b.len() && (0x20..=0x2F).contains(&b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(b'm') if params_end == i => (Escape::Sgr(&s[2..params_end]), i + 1),
                Some(0x40..=0x7E) => (Escape::Other, i + 1),
                // broken sequence: drop what was read, keep the rest as text
                _ => (Escape::Other, i),
            }
        }
        Some(b']' | b'P' | b'X' | b'^' | b'_') => {
            // string up to BEL or ST (ESC \); unterminated strings run to the end
            let mut i = 2;
            while i < b.len() {
                match b[i] {
                    0x07 => return (Escape::Other, i + 1),
                    0x1b if b.get(i + 1) == Some(&b'\\') => return (Escape::Other, i + 2),
                    _ => i += 1,
                }
            }
            (Escape::Other, b.len())
        }
        Some(0x20..=0x2F) => {
            // nF escapes such as `ESC ( B`
            let mut i = 1;
            while i < b.len() && (0x20..=0x2F).contains(&b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(0x30..=0x7E) => (Escape::Other, i + 1),
                _ => (Escape::Other, i),
            }
        }
        Some(0x30..=0x7E) => (Escape::Other, 2),
        _ => (Escape::Other, 1),
    }
}

/// Parses a decimal parameter (empty = 0), saturating.
fn param(s: &str) -> u32 {
    s.bytes().filter(u8::is_ascii_digit).fold(0u32, |a, d| {
        a.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    })
}

fn byte(v: u32) -> Option<u8> {
    u8::try_from(v).ok()
}

/// An extended colour from the parameters after `38`/`48`: returns it and how many were used.
fn extended<'a>(mut rest: impl Iterator<Item = &'a str>) -> (Option<Color>, usize) {
    match rest.next().map(param) {
        Some(5) => match rest.next() {
            Some(n) => (byte(param(n)).map(Color::Indexed), 2),
            None => (None, 1),
        },
        Some(2) => {
            let r = rest.next();
            let g = rest.next();
            let b = rest.next();
            match (r, g, b) {
                (Some(r), Some(g), Some(b)) => (
                    match (byte(param(r)), byte(param(g)), byte(param(b))) {
                        (Some(r), Some(g), Some(b)) => Some(Color::Rgb(r, g, b)),
                        _ => None,
                    },
                    4,
                ),
                _ => (
                    None,
                    1 + usize::from(r.is_some()) + usize::from(g.is_some()),
                ),
            }
        }
        Some(_) => (None, 1),
        None => (None, 0),
    }
}

/// Applies SGR parameters to a style.
fn apply_sgr(style: &mut Style, params: &str) {
    let groups: Vec<&str> = params.split(';').collect();
    let mut i = 0;
    while i < groups.len() {
        let g = groups[i];
        i += 1;
        if g.contains(':') {
            // colon form: `38:5:n`, `38:2:r:g:b`, `38:2::r:g:b` (with a colour space id)
            let mut sub: Vec<&str> = g.split(':').collect();
            if sub.len() == 6 && param(sub[1]) == 2 {
                sub.remove(2);
            }
            let target = param(sub[0]);
            let (color, _) = extended(sub[1..].iter().copied());
            match target {
                38 => style.fg = color.or(style.fg),
                48 => style.bg = color.or(style.bg),
                4 => style.underline = sub.get(1).is_none_or(|s| param(s) != 0),
                _ => {}
            }
            continue;
        }
        match param(g) {
            0 => *style = Style::default(),
            1 => style.bold = true,
            2 => style.dim = true,
            3 => style.italic = true,
            4 | 21 => style.underline = true,
            22 => {
                style.bold = false;
                style.dim = false;
            }
            23 => style.italic = false,
            24 => style.underline = false,
            n @ 30..=37 => style.fg = Some(Color::Indexed((n - 30) as u8)),
            n @ 90..=97 => style.fg = Some(Color::Indexed((n - 90 + 8) as u8)),
            n @ 40..=47 => style.bg = Some(Color::Indexed((n - 40) as u8)),
            n @ 100..=107 => style.bg = Some(Color::Indexed((n - 100 + 8) as u8)),
            39 => style.fg = None,
            49 => style.bg = None,
            n @ (38 | 48) => {
                let (color, used) = extended(groups[i..].iter().copied());
                i += used;
                if let Some(c) = color {
                    if n == 38 {
                        style.fg = Some(c);
                    } else {
                        style.bg = Some(c);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Parses a line into stripped text and style spans.
pub fn parse(s: &str) -> Styled {
    if !s.contains(ESC) {
        let spans = if s.is_empty() {
            Vec::new()
        } else {
            vec![StyledSpan {
                range: 0..s.len(),
                style: Style::default(),
            }]
        };
        return Styled {
            text: s.to_string(),
            spans,
        };
    }
    let mut out = Styled {
        text: String::with_capacity(s.len()),
        spans: Vec::new(),
    };
    let mut style = Style::default();
    let mut rest = s;
    while !rest.is_empty() {
        let (text, after) = match rest.find(ESC) {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if !text.is_empty() {
            let start = out.text.len();
            out.text.push_str(text);
            let end = out.text.len();
            match out.spans.last_mut() {
                Some(last) if last.style == style && last.range.end == start => {
                    last.range.end = end
                }
                _ => out.spans.push(StyledSpan {
                    range: start..end,
                    style,
                }),
            }
        }
        if after.is_empty() {
            break;
        }
        let (esc, len) = scan_escape(after);
        if let Escape::Sgr(params) = esc {
            apply_sgr(&mut style, params);
        }
        // `len` ends on an ASCII byte or at the end: a char boundary
        rest = &after[len.min(after.len())..];
    }
    out
}

/// The spans of a line (ranges into [`strip`]`(s)`).
pub fn spans(s: &str) -> Vec<StyledSpan> {
    parse(s).spans
}

/// The line without escape sequences (borrowed when it has none).
pub fn strip(s: &str) -> Cow<'_, str> {
    if !s.contains(ESC) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(ESC) {
        out.push_str(&rest[..i]);
        let (_, len) = scan_escape(&rest[i..]);
        rest = &rest[(i + len).min(rest.len())..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A piece of a rendered line: one style, highlighted or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte range in the stripped text.
    pub range: Range<usize>,
    /// Style of the text.
    pub style: Style,
    /// Inside a find/filter match.
    pub highlight: bool,
}

/// Cuts the style spans of a parsed line at match boundaries. `highlights` are sorted,
/// non-overlapping byte ranges into `line.text` (as
/// [`super::query::CompiledQuery::find_ranges`] returns); ranges that are unsorted, overlapping,
/// out of bounds or off char boundaries are clamped, never a panic: every segment range can be
/// used to slice `line.text`.
pub fn segments(line: &Styled, highlights: &[Range<usize>]) -> Vec<Segment> {
    let text = line.text.as_str();
    let mut out = Vec::with_capacity(line.spans.len() + 2 * highlights.len());
    let mut h = highlights.iter().peekable();
    for span in &line.spans {
        let mut at = span.range.start;
        while at < span.range.end {
            // skip highlights that end before `at`
            while h.peek().is_some_and(|r| r.end <= at) {
                h.next();
            }
            let (end, highlight) = match h.peek() {
                Some(r) if r.start <= at => (r.end.min(span.range.end), true),
                Some(r) => (r.start.min(span.range.end), false),
                None => (span.range.end, false),
            };
            let mut end = end.max(at + 1).min(span.range.end);
            while !text.is_char_boundary(end) {
                end += 1;
            }
            out.push(Segment {
                range: at..end,
                style: span.style,
                highlight,
            });
            at = end;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn styled(s: &str) -> Vec<(String, Style)> {
        let p = parse(s);
        p.spans
            .iter()
            .map(|sp| (p.text[sp.range.clone()].to_string(), sp.style))
            .collect()
    }

    fn fg(n: u8) -> Style {
        Style {
            fg: Some(Color::Indexed(n)),
            ..Style::default()
        }
    }

    #[test]
    fn plain_text_is_one_span() {
        assert_eq!(styled("hello"), [("hello".into(), Style::default())]);
        assert!(parse("").spans.is_empty());
        assert!(matches!(strip("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn basic_bright_256_and_true_colour() {
        assert_eq!(
            styled("\x1b[31mRED\x1b[0m ok"),
            [("RED".into(), fg(1)), (" ok".into(), Style::default())]
        );
        assert_eq!(styled("\x1b[91mx")[0].1, fg(9));
        assert_eq!(styled("\x1b[38;5;208mx")[0].1, fg(208));
        assert_eq!(styled("\x1b[38:5:208mx")[0].1, fg(208));
        let rgb = Style {
            fg: Some(Color::Rgb(1, 2, 3)),
            ..Style::default()
        };
        assert_eq!(styled("\x1b[38;2;1;2;3mx")[0].1, rgb);
        assert_eq!(styled("\x1b[38:2::1:2:3mx")[0].1, rgb);
        assert_eq!(styled("\x1b[38:2:1:2:3mx")[0].1, rgb);
        let bg = styled("\x1b[48;5;4;1mx")[0].1;
        assert_eq!(bg.bg, Some(Color::Indexed(4)));
        assert!(bg.bold);
        assert_eq!(styled("\x1b[103mx")[0].1.bg, Some(Color::Indexed(11)));
        // out of range colours are ignored, the following parameters still apply
        let s = styled("\x1b[38;5;999;3mx")[0].1;
        assert_eq!((s.fg, s.italic), (None, true));
        // truncated extended colours
        assert_eq!(styled("\x1b[38;2;1mx")[0].1, Style::default());
        assert_eq!(styled("\x1b[38mx")[0].1, Style::default());
    }

    #[test]
    fn attributes_and_resets() {
        let all = styled("\x1b[1;2;3;4;31;42mx")[0].1;
        assert!(all.bold && all.dim && all.italic && all.underline);
        let s = styled("\x1b[1;2;3;4;31;42m\x1b[22;23;24;39;49mx")[0].1;
        assert_eq!(s, Style::default());
        assert_eq!(styled("\x1b[1m\x1b[mx")[0].1, Style::default());
        // identical styles merge
        assert_eq!(
            styled("a\x1b[0mb\x1b[39mc"),
            [("abc".into(), Style::default())]
        );
    }

    #[test]
    fn other_sequences_are_removed() {
        for (input, text) in [
            ("a\x1b[2Kb", "ab"),
            ("a\x1b[?25lb", "ab"),
            ("a\x1b]0;title\x07b", "ab"),
            ("a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),
            ("a\x1b(Bb", "ab"),
            ("a\x1b7b", "ab"),
            ("a\x1b", "a"),
            ("\x1b\x1b\x1b[", ""),
            ("a\x1b[12", "a"),
            ("a\x1b[1é", "aé"),
            ("a\x1b]unterminated", "a"),
            ("\x1b[31mRED\x1b[0m \u{202e}tnega", "RED \u{202e}tnega"),
        ] {
            assert_eq!(parse(input).text, text, "{input:?}");
            assert_eq!(strip(input), text, "{input:?}");
        }
    }

    #[test]
    #[allow(clippy::reversed_empty_ranges)]
    fn segments_cut_spans_at_highlights() {
        let p = parse("ab\x1b[31mcdef\x1b[0mgh");
        assert_eq!(p.text, "abcdefgh");
        let segs = segments(&p, &[1..3, 5..7]);
        let got: Vec<(&str, bool, bool)> = segs
            .iter()
            .map(|s| (&p.text[s.range.clone()], s.highlight, s.style.fg.is_some()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", false, false),
                ("b", true, false),
                ("c", true, true),
                ("de", false, true),
                ("f", true, true),
                ("g", true, false),
                ("h", false, false),
            ]
        );
        // hostile ranges: overlapping, unsorted, out of bounds
        let segs = segments(&p, &[6..100, 0..2, 3..1]);
        assert_eq!(segs.iter().map(|s| s.range.len()).sum::<usize>(), 8);
    }

    proptest! {
        #[test]
        fn never_panics_and_never_leaves_esc(s in any::<String>()) {
            let p = parse(&s);
            prop_assert!(!p.text.contains(ESC));
            let stripped = strip(&s);
            prop_assert_eq!(stripped.as_ref(), p.text.as_str());
            let mut at = 0;
            for sp in &p.spans {
                prop_assert_eq!(sp.range.start, at);
                prop_assert!(sp.range.end > sp.range.start);
                prop_assert!(p.text.is_char_boundary(sp.range.end));
                at = sp.range.end;
            }
            prop_assert_eq!(at, p.text.len());
        }

        #[test]
        fn escape_noise_never_panics(parts in prop::collection::vec(prop_oneof![
            Just("\x1b"), Just("["), Just("]"), Just(";"), Just(":"), Just("m"), Just("38"), Just("5"), Just("2"),
            Just("255"), Just("999999999999"), Just("\x07"), Just("\\"), Just("é"), Just("("), Just("?"), Just("x")
        ], 0..40), hl in prop::collection::vec((0usize..60, 0usize..60), 0..5)) {
            let s: String = parts.concat();
            let p = parse(&s);
            prop_assert!(!p.text.contains(ESC));
            let ranges: Vec<Range<usize>> = hl.into_iter().map(|(a, b)| a..b).collect();
            let segs = segments(&p, &ranges);
            for sg in &segs { prop_assert!(p.text.get(sg.range.clone()).is_some()); }
            prop_assert_eq!(segs.iter().map(|s| s.range.len()).sum::<usize>(), p.text.len());
        }
    }
}
