//! The Format button: pretty-prints a policy with two-space indentation.
//!
//! It only reformats text that parses as JSON, and it re-emits every token
//! exactly as written (strings with their escapes, numbers as typed,
//! duplicate keys in place), changing whitespace only, so formatting never
//! loses or alters content.

use super::tokens::{tokenize, TokenKind};
use super::utf16::line_of;

/// Why a text cannot be formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// What is wrong, from the JSON reader.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// Whether `text` can be formatted: `Err` says why not.
pub fn check(text: &str) -> Result<(), FormatError> {
    match iam_engine::json::parse_json(text) {
        Ok(_) => Ok(()),
        Err(e) => {
            let at = super::utf16::floor_boundary(text, e.span.start as usize);
            let ls = text
                .get(..at)
                .and_then(|s| s.rfind('\n'))
                .map_or(0, |i| i + 1);
            let column = text.get(ls..at).map_or(0, |s| s.chars().count()) + 1;
            Err(FormatError {
                message: e.message,
                line: line_of(text, at),
                column,
            })
        }
    }
}

/// The pretty-printed text, or why `text` cannot be formatted.
pub fn format_json(text: &str) -> Result<String, FormatError> {
    check(text)?;
    let tokens: Vec<(TokenKind, &str)> = tokenize(text)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Whitespace)
        .map(|t| (t.kind, text.get(t.start..t.end).unwrap_or("")))
        .collect();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut depth: usize = 0;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(super::edit::INDENT);
        }
    };
    let mut i = 0;
    while let Some(&(kind, tok)) = tokens.get(i) {
        match (kind, tok) {
            (TokenKind::Punct, "{" | "[") => {
                out.push_str(tok);
                let empty = matches!(
                    (tok, tokens.get(i + 1)),
                    ("{", Some((_, "}"))) | ("[", Some((_, "]")))
                );
                if empty {
                    if let Some((_, close)) = tokens.get(i + 1) {
                        out.push_str(close);
                    }
                    i += 1;
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            (TokenKind::Punct, "}" | "]") => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push_str(tok);
            }
            (TokenKind::Punct, ",") => {
                out.push(',');
                newline(&mut out, depth);
            }
            (TokenKind::Punct, ":") => out.push_str(": "),
            _ => out.push_str(tok),
        }
        i += 1;
    }
    if text.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_engine::json::{parse_json, Json, JsonValue};

    /// The value without spans, to compare documents.
    fn shape(j: &Json) -> String {
        match &j.value {
            JsonValue::Null => "null".into(),
            JsonValue::Bool(b) => b.to_string(),
            JsonValue::Number(n) => format!("n{n}"),
            JsonValue::String(s) => format!("{s:?}"),
            JsonValue::Array(a) => {
                format!("[{}]", a.iter().map(shape).collect::<Vec<_>>().join(","))
            }
            JsonValue::Object(m) => format!(
                "{{{}}}",
                m.iter()
                    .map(|m| format!("{:?}:{}", m.key, shape(&m.value)))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    fn significant(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .filter(|t| t.kind != TokenKind::Whitespace)
            .map(|t| text[t.start..t.end].to_owned())
            .collect()
    }

    #[test]
    fn pretty_prints_a_one_line_policy() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*","Condition":{}}]}"#;
        let expected = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:Get*",
        "s3:List*"
      ],
      "Resource": "*",
      "Condition": {}
    }
  ]
}"#;
        assert_eq!(format_json(text).unwrap(), expected);
    }

    #[test]
    fn keeps_escapes_numbers_and_duplicate_keys_as_written() {
        let text = "{\"a\":\"\\u00e9\\\"x\",\"n\":1.50E+2,\"a\":[ ],\"é\":\"😀\"}\n";
        let out = format_json(text).unwrap();
        assert!(out.contains("\"\\u00e9\\\"x\""), "{out}");
        assert!(out.contains("1.50E+2"), "{out}");
        assert!(out.contains("\"a\": []"), "{out}");
        assert!(out.ends_with("}\n"));
        assert_eq!(significant(&out), significant(text));
    }

    #[test]
    fn refuses_text_that_does_not_parse() {
        let err = format_json("{\n  \"a\": 1,\n  oops\n}").unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
        assert_eq!(err.column, 3, "{err:?}");
        assert!(format_json("").is_err());
    }

    #[test]
    fn round_trips_every_corpus_and_doc_policy() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/policies");
        let mut stack = vec![std::path::PathBuf::from(root)];
        let mut checked = 0;
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                if path.extension().and_then(|e| e.to_str()) != Some("json") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let Ok(before) = parse_json(&text) else {
                    assert!(format_json(&text).is_err());
                    continue;
                };
                let out = format_json(&text).unwrap();
                let after = parse_json(&out).unwrap();
                assert_eq!(shape(&before), shape(&after), "{}", path.display());
                assert_eq!(significant(&text), significant(&out), "{}", path.display());
                assert_eq!(
                    format_json(&out).unwrap(),
                    out,
                    "idempotent: {}",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} policies found");
    }
}
