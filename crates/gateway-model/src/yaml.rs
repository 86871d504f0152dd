//! YAML of a Kubernetes object for reading, copying and `kubectl apply -f`: written from its
//! JSON as lines of typed tokens, so that the UI colours it with text spans (never an HTML
//! string) and can fold any block. The layout is kubectl's (two-space indent, sequence items at
//! the indent of their key); scalars that a YAML parser could read as something else (`yes`,
//! `1.0`, `~`, `: `, leading `-`, …) are double-quoted, and anything unprintable is escaped, so
//! that parsing the text gives back exactly the JSON.

use serde_json::Value;

/// What a token is, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A mapping key.
    Key,
    /// A string scalar (quoted or plain), or a line of a literal block.
    String,
    Number,
    Bool,
    Null,
    /// `: `, `- `, `|`, `{}`, `[]`.
    Punct,
}

/// One line of YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlLine {
    /// Leading spaces.
    pub indent: usize,
    pub tokens: Vec<(TokenKind, String)>,
    /// For a line that opens a nested block (a key whose value follows on the next lines): the
    /// index one past the block's last line. Folding hides the lines in between.
    pub block_end: Option<usize>,
}

impl YamlLine {
    /// The key this line starts with, if it starts with one (after an optional `- `).
    pub fn key(&self) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(k, t)| !(*k == TokenKind::Punct && t == "- "))
            .filter(|(k, _)| *k == TokenKind::Key)
            .map(|(_, t)| t.as_str())
    }

    /// The line as text (without its newline).
    pub fn text(&self) -> String {
        let mut s = " ".repeat(self.indent);
        for (_, t) in &self.tokens {
            s.push_str(t);
        }
        s
    }
}

/// The YAML lines of `value`.
pub fn lines(value: &Value) -> Vec<YamlLine> {
    let mut out = Vec::new();
    match value {
        Value::Object(m) if !m.is_empty() => write_map(&mut out, m, 0, Vec::new()),
        Value::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0, Vec::new()),
        scalar => {
            let mut tokens = Vec::new();
            push_inline(&mut out, &mut tokens, scalar, 0);
            if !tokens.is_empty() {
                out.push(YamlLine {
                    indent: 0,
                    tokens,
                    block_end: None,
                });
            }
        }
    }
    out
}

/// The YAML document of `value` (ends with a newline).
pub fn to_yaml(value: &Value) -> String {
    let mut s = String::new();
    for line in lines(value) {
        s.push_str(&line.text());
        s.push('\n');
    }
    s
}

/// Writes the entries of a non-empty map at `indent`; the first line starts with `prefix`
/// tokens (`- ` when the map is a sequence item).
fn write_map(
    out: &mut Vec<YamlLine>,
    map: &serde_json::Map<String, Value>,
    indent: usize,
    mut prefix: Vec<(TokenKind, String)>,
) {
    for (i, (key, value)) in map.iter().enumerate() {
        let (line_indent, mut tokens) = if i == 0 && !prefix.is_empty() {
            // the `- ` prefixes sit left of the key
            (
                indent.saturating_sub(2 * prefix.len()),
                std::mem::take(&mut prefix),
            )
        } else {
            (indent, Vec::new())
        };
        tokens.push((TokenKind::Key, scalar_text(key)));
        let block = match value {
            Value::Object(m) if !m.is_empty() => true,
            Value::Array(a) if !a.is_empty() => true,
            _ => false,
        };
        if !block {
            tokens.push((TokenKind::Punct, ": ".into()));
            push_inline(out, &mut tokens, value, line_indent);
            continue;
        }
        tokens.push((TokenKind::Punct, ":".into()));
        let at = out.len();
        out.push(YamlLine {
            indent: line_indent,
            tokens,
            block_end: None,
        });
        match value {
            Value::Object(m) => write_map(out, m, indent + 2, Vec::new()),
            // kubectl's layout: items at the key's indent
            Value::Array(a) => write_seq(out, a, indent, Vec::new()),
            _ => {}
        }
        out[at].block_end = Some(out.len());
    }
}

/// Writes the items of a non-empty sequence, `- ` at `indent`.
fn write_seq(
    out: &mut Vec<YamlLine>,
    items: &[Value],
    indent: usize,
    prefix: Vec<(TokenKind, String)>,
) {
    let mut prefix = Some(prefix);
    for item in items {
        let mut tokens = prefix.take().unwrap_or_default();
        let line_indent = indent.saturating_sub(2 * tokens.len());
        tokens.push((TokenKind::Punct, "- ".into()));
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, m, indent + 2, tokens),
            Value::Array(a) if !a.is_empty() => write_seq(out, a, indent + 2, tokens),
            scalar => push_inline(out, &mut tokens, scalar, line_indent),
        }
    }
}

/// Finishes the line in `tokens` (at `indent`) with a scalar or an empty collection; a
/// multi-line string continues as a literal block on the following lines.
fn push_inline(
    out: &mut Vec<YamlLine>,
    tokens: &mut Vec<(TokenKind, String)>,
    value: &Value,
    indent: usize,
) {
    // a literal block's lines go right of every `- ` of the line that opens it
    let dashes = tokens
        .iter()
        .filter(|(k, t)| *k == TokenKind::Punct && t == "- ")
        .count();
    let body_indent = indent + 2 * dashes + 2;
    let mut block = None;
    let token = match value {
        Value::Null => (TokenKind::Null, "null".to_string()),
        Value::Bool(b) => (TokenKind::Bool, b.to_string()),
        Value::Number(n) => (TokenKind::Number, n.to_string()),
        Value::String(s) => match literal_block(s) {
            Some((indicator, body)) => {
                block = Some(body);
                (TokenKind::Punct, indicator.to_string())
            }
            None => (TokenKind::String, scalar_text(s)),
        },
        Value::Array(_) => (TokenKind::Punct, "[]".to_string()),
        Value::Object(_) => (TokenKind::Punct, "{}".to_string()),
    };
    tokens.push(token);
    out.push(YamlLine {
        indent,
        tokens: std::mem::take(tokens),
        block_end: None,
    });
    if let Some(body) = block {
        let at = out.len() - 1;
        for line in body {
            out.push(YamlLine {
                indent: if line.is_empty() { 0 } else { body_indent },
                tokens: if line.is_empty() {
                    Vec::new()
                } else {
                    vec![(TokenKind::String, line.to_string())]
                },
                block_end: None,
            });
        }
        out[at].block_end = Some(out.len());
    }
}

/// A multi-line string as a literal block: its indicator (`|`, `|-`, `|+`) and lines. `None`
/// when the string is better written double-quoted (one line, unprintable characters, carriage
/// returns, or a first line starting with a space, which would break the block's indentation).
fn literal_block(s: &str) -> Option<(&'static str, Vec<&str>)> {
    if !s.contains('\n')
        || s.starts_with([' ', '\t', '\n'])
        || s.chars().any(|c| c != '\n' && c != '\t' && needs_escape(c))
    {
        return None;
    }
    let content = s.trim_end_matches('\n');
    let trailing = s.len() - content.len();
    let indicator = match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    };
    let mut body: Vec<&str> = content.split('\n').collect();
    // `|+` keeps the extra final newlines as empty lines
    body.extend(std::iter::repeat_n("", trailing.saturating_sub(1)));
    // lines with only spaces would change the block's meaning; quote instead
    if body.iter().any(|l| !l.is_empty() && l.trim().is_empty()) {
        return None;
    }
    Some((indicator, body))
}

/// Characters written as escapes in a double-quoted scalar: outside YAML's printable set, or
/// line/paragraph separators a YAML 1.1 parser treats as line breaks.
fn needs_escape(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
        | '\u{fffe}' | '\u{ffff}')
}

/// A string as a plain scalar when a parser reads it back as the same string, else
/// double-quoted with escapes.
pub fn scalar_text(s: &str) -> String {
    if is_plain_safe(s) {
        return s.to_string();
    }
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            '\r' => q.push_str("\\r"),
            c if needs_escape(c) => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    q.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// Words YAML 1.1 (go-yaml, which kubectl uses) or 1.2 read as booleans or null.
const RESERVED: &[&str] = &[
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~",
];

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(' ')
        || s.ends_with(' ')
        || s.ends_with(':')
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.chars()
            .any(|c| c == '\t' || needs_escape(c) || c == '\u{85}' || c == '\u{a0}')
        || RESERVED.contains(&s.to_ascii_lowercase().as_str())
        || looks_numeric(s)
        || s == "<<"
        || s.starts_with("---")
        || s.starts_with("...")
    {
        return false;
    }
    true
}

/// True for anything a YAML 1.1 or 1.2 parser could read as a number or a time
/// (`1`, `0x1f`, `1_000`, `.5`, `1e3`, `.inf`, `2026-01-01`, `1:30`).
fn looks_numeric(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let body = lower.trim_start_matches(['+', '-']);
    if matches!(body, ".inf" | ".nan") {
        return true;
    }
    let first = body.chars().next();
    (first.is_some_and(|c| c.is_ascii_digit()) || (first == Some('.') && body.len() > 1))
        && body.chars().all(|c| {
            c.is_ascii_hexdigit()
                || matches!(
                    c,
                    '.' | '_' | ':' | 'x' | 'o' | '+' | '-' | 'e' | 't' | 'z' | ' '
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_layout() {
        let v = json!({
            "apiVersion": "gateway.kubesphere.io/v1alpha1",
            "kind": "Gateway",
            "metadata": {"name": "kubesphere-router-demo", "finalizers": ["uninstall-helm-release"], "labels": {}},
            "spec": {"deployment": {"replicas": 2}, "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}], "nested": [[1, 2], []], "tracing": false, "none": null}
        });
        assert_eq!(
            to_yaml(&v),
            "apiVersion: gateway.kubesphere.io/v1alpha1
kind: Gateway
metadata:
  finalizers:
  - uninstall-helm-release
  labels: {}
  name: kubesphere-router-demo
spec:
  deployment:
    replicas: 2
  nested:
  - - 1
    - 2
  - []
  none: null
  ports:
  - name: http
    port: 80
  - name: https
    port: 443
  tracing: false
"
        );
    }

    #[test]
    fn blocks_fold_their_nested_lines() {
        let v = json!({"metadata": {"managedFields": [{"manager": "a", "fieldsV1": {"f:spec": {}}}], "name": "x"}, "z": "multi\nline\n"});
        let l = lines(&v);
        let texts: Vec<String> = l.iter().map(YamlLine::text).collect();
        assert_eq!(
            texts,
            vec![
                "metadata:",
                "  managedFields:",
                "  - fieldsV1:",
                "      f:spec: {}",
                "    manager: a",
                "  name: x",
                "z: |",
                "  multi",
                "  line",
            ]
        );
        assert_eq!(l[0].block_end, Some(6));
        assert_eq!(l[1].key(), Some("managedFields"));
        assert_eq!(l[1].block_end, Some(5));
        assert_eq!(l[2].key(), Some("fieldsV1"));
        assert_eq!(l[2].block_end, Some(4));
        assert_eq!(l[6].block_end, Some(9));
        assert_eq!(l[0].tokens[0], (TokenKind::Key, "metadata".into()));
        assert_eq!(l[3].tokens[0], (TokenKind::Key, "f:spec".into()));
    }

    #[test]
    fn ambiguous_and_hostile_strings_are_quoted() {
        for (s, want) in [
            ("yes", "\"yes\""),
            ("NO", "\"NO\""),
            ("~", "\"~\""),
            ("", "\"\""),
            ("1", "\"1\""),
            ("1.0", "\"1.0\""),
            ("0x1F", "\"0x1F\""),
            ("1e3", "\"1e3\""),
            (".5", "\".5\""),
            ("-.inf", "\"-.inf\""),
            ("2026-01-01", "\"2026-01-01\""),
            ("1:30", "\"1:30\""),
            ("10.233.64.2", "\"10.233.64.2\""),
            ("- item", "\"- item\""),
            ("a: b", "\"a: b\""),
            ("x #y", "\"x #y\""),
            ("{{7*7}}", "\"{{7*7}}\""),
            ("*alias", "\"*alias\""),
            ("!tag", "\"!tag\""),
            (" lead", "\" lead\""),
            ("tab\there", "\"tab\\there\""),
            ("\"quote\\", "\"\\\"quote\\\\\""),
            ("nul\u{0}", "\"nul\\u0000\""),
            ("ls\u{2028}", "\"ls\\u2028\""),
            ("bom\u{feff}", "\"bom\\ufeff\""),
            ("nel\u{85}", "\"nel\\u0085\""),
        ] {
            assert_eq!(scalar_text(s), want, "{s:?}");
        }
        for plain in [
            "kubesphere-router-demo",
            "<img src=x onerror=alert(1)>",
            "1m",
            "app.kubernetes.io/name",
            "نص عربي",
            "中文",
            "a:b",
            "https://example.com/x?y=1#z",
            "v1.2.3",
            "quote\"back\\slash",
        ] {
            assert_eq!(scalar_text(plain), plain, "{plain:?}");
        }
    }

    #[test]
    fn multi_line_strings() {
        assert_eq!(to_yaml(&json!({"a": "x\ny"})), "a: |-\n  x\n  y\n");
        assert_eq!(
            to_yaml(&json!({"a": "x\n\ny\n\n"})),
            "a: |+\n  x\n\n  y\n\n"
        );
        // a first line starting with a space, whitespace-only lines or \r: quoted
        assert_eq!(to_yaml(&json!({"a": " x\ny"})), "a: \" x\\ny\"\n");
        assert_eq!(to_yaml(&json!({"a": "x\n  \ny"})), "a: \"x\\n  \\ny\"\n");
        assert_eq!(to_yaml(&json!({"a": "x\r\ny"})), "a: \"x\\r\\ny\"\n");
        assert_eq!(to_yaml(&json!(["x\ny"])), "- |-\n    x\n    y\n");
        assert_eq!(to_yaml(&json!([{"a": "x\ny"}])), "- a: |-\n    x\n    y\n");
    }

    #[test]
    fn top_level_scalars_and_empties() {
        assert_eq!(to_yaml(&json!({})), "{}\n");
        assert_eq!(to_yaml(&json!([])), "[]\n");
        assert_eq!(to_yaml(&json!("yes")), "\"yes\"\n");
        assert_eq!(to_yaml(&json!({"k": {"a": []}})), "k:\n  a: []\n");
        assert_eq!(
            to_yaml(&json!({"weird key: x": 1})),
            "\"weird key: x\": 1\n"
        );
    }
}
