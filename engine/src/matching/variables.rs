//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`
//! and the escapes `${*}`, `${?}`, `${$}`.
//!
//! Variables are only variables under `"Version": "2012-10-17"`; otherwise the
//! text is taken literally. A substituted value is literal text: wildcards in
//! it are not expanded.

use crate::limits::MAX_SHOWN_SUBSTITUTION_BYTES;
use crate::text::Text;
use serde::Serialize;

use super::wildcard::Pattern;

/// One piece of a policy string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TemplatePiece {
    /// Policy text; `*` and `?` in it are wildcards where the element allows them.
    Text {
        /// The text.
        text: String,
    },
    /// `${*}`, `${?}` or `${$}`: the character, literally.
    Escape {
        /// The escaped character.
        character: char,
    },
    /// `${key}` or `${key, 'default'}`.
    Variable {
        /// The context key named.
        key: String,
        /// The value used when the key is missing.
        default: Option<String>,
    },
}

/// A policy string split into text, escapes and variables.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Template {
    pieces: Vec<TemplatePiece>,
    /// The pattern, compiled once, when there is no variable to substitute.
    fixed: Option<Pattern>,
    /// The length of [`Template::literal_prefix`].
    prefix_len: usize,
}

/// A variable that has no value in the request and no default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("policy variable `${{{key}}}` has no value in the request and no default")]
pub struct Unresolved {
    /// The key named by the variable.
    pub key: String,
}

/// A template whose substituted pattern would have more literal text (every
/// character but `*`, substituted values in full) than the limit the
/// caller gave: it cannot match any request value, so it was not built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("the policy value after substitution has {length} bytes of literal text, longer than any request value")]
pub struct TooLong {
    /// The literal text's length in bytes (saturating at `usize::MAX`).
    pub length: usize,
}

/// Why a template was not substituted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Unsubstituted {
    /// A variable has no value and no default.
    #[error(transparent)]
    Unresolved(Unresolved),
    /// The result would be longer than any value it could match.
    #[error(transparent)]
    TooLong(TooLong),
}

/// A template with its variables replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The text after substitution (escapes become their characters).
    pub text: String,
    /// The same as a wildcard pattern: only the policy's own `*`/`?` are wildcards.
    pub pattern: Pattern,
}

impl Template {
    /// Splits `text` into pieces. When `variables_enabled` is false (policy
    /// version other than 2012-10-17) the whole text is one literal piece.
    pub fn parse(text: &str, variables_enabled: bool) -> Template {
        let mut pieces = Vec::new();
        if !variables_enabled || !text.contains("${") {
            push_text(&mut pieces, text);
            // `prefix_len` serves evaluation of templates with variables;
            // a fixed one computes its prefix when asked.
            return Template {
                prefix_len: 0,
                pieces,
                fixed: Some(Pattern::wildcard(text)),
            };
        }
        let mut rest = text;
        while let Some(open) = rest.find("${") {
            let (before, after_open) = rest.split_at(open);
            let inner_and_rest = after_open.get(2..).unwrap_or("");
            let Some(close) = inner_and_rest.find('}') else {
                break;
            };
            let inner = inner_and_rest.get(..close).unwrap_or("");
            match parse_variable(inner) {
                Some(piece) => {
                    push_text(&mut pieces, before);
                    pieces.push(piece);
                }
                None => {
                    // Not a variable: keep `${...}` as text.
                    push_text(&mut pieces, before);
                    push_text(&mut pieces, after_open.get(..close + 3).unwrap_or(""));
                }
            }
            rest = inner_and_rest.get(close + 1..).unwrap_or("");
        }
        push_text(&mut pieces, rest);
        let mut template = Template {
            prefix_len: prefix_len(&pieces),
            pieces,
            fixed: None,
        };
        if !template
            .pieces
            .iter()
            .any(|p| matches!(p, TemplatePiece::Variable { .. }))
        {
            template.fixed = template
                .resolve(&|_| None, usize::MAX)
                .ok()
                .map(|r| r.pattern);
        }
        template
    }

    /// The compiled pattern when the template has no variables (its value
    /// never depends on the request).
    pub fn fixed_pattern(&self) -> Option<&Pattern> {
        self.fixed.as_ref()
    }

    /// The pieces in order.
    pub fn pieces(&self) -> &[TemplatePiece] {
        &self.pieces
    }

    /// The context keys this template refers to.
    pub fn variable_keys(&self) -> impl Iterator<Item = &str> {
        self.pieces.iter().filter_map(|p| match p {
            TemplatePiece::Variable { key, .. } => Some(key.as_str()),
            _ => None,
        })
    }

    /// Whether any variable or escape appears.
    pub fn has_substitutions(&self) -> bool {
        self.pieces
            .iter()
            .any(|p| !matches!(p, TemplatePiece::Text { .. }))
    }

    /// Replaces every variable using `lookup` (which returns the value of a
    /// single-valued context key). Fails on the first variable with neither a
    /// value nor a default, and, without building anything, when the
    /// pattern's literal text would be longer than `limit` bytes (see
    /// [`Template::literal_len`]): such a pattern matches no value of at
    /// most `limit` bytes, so memory stays within `limit` plus the policy's
    /// own `*`s however often a long value is repeated.
    pub fn resolve(
        &self,
        lookup: &dyn Fn(&str) -> Option<Text>,
        limit: usize,
    ) -> Result<Resolved, Unsubstituted> {
        let length = self
            .literal_len(lookup)
            .map_err(Unsubstituted::Unresolved)?;
        if length > limit {
            return Err(Unsubstituted::TooLong(TooLong { length }));
        }
        let mut text = String::with_capacity(self.text_len_hint());
        let mut pattern = Pattern::default();
        pattern.reserve(text.capacity());
        self.substitute(lookup, |piece| match piece {
            Piece::Wildcard(t) => {
                text.push_str(t);
                pattern.push_wildcard_text(t);
            }
            Piece::Literal(t) => {
                text.push_str(t);
                pattern.push_literal(t);
            }
        })
        .map_err(Unsubstituted::Unresolved)?;
        Ok(Resolved { text, pattern })
    }

    /// The text after substitution, without a pattern, for showing: what
    /// [`Template::resolve`] gives as `text`, cut to its first `max_bytes`
    /// bytes (at a character boundary). Builds at most `max_bytes` bytes.
    /// Returns the text and the whole text's length in bytes (saturating).
    pub fn resolve_text(
        &self,
        lookup: &dyn Fn(&str) -> Option<Text>,
        max_bytes: usize,
    ) -> Result<(Text, usize), Unresolved> {
        let mut text = String::with_capacity(self.text_len_hint().min(max_bytes));
        let mut length = 0usize;
        self.substitute(lookup, |piece| {
            let (Piece::Wildcard(t) | Piece::Literal(t)) = piece;
            // Once a piece is cut, nothing after it is shown.
            if length == text.len() {
                text.push_str(cut(t, max_bytes.saturating_sub(length)));
            }
            length = length.saturating_add(t.len());
        })?;
        Ok((Text::from(text), length))
    }

    /// The length in bytes of the literal text of the substituted pattern:
    /// every character but the policy's own `*` (a `?` stands for one
    /// character, so it counts as its one byte), with substituted values
    /// and escapes in full. A value that a case-sensitive match accepts is
    /// at least this long. Reads the policy's text and only the values'
    /// lengths: the work does not grow with the values' sizes. Saturates
    /// at `usize::MAX`.
    pub fn literal_len(&self, lookup: &dyn Fn(&str) -> Option<Text>) -> Result<usize, Unresolved> {
        let mut length = 0usize;
        for piece in &self.pieces {
            let piece_len = match piece {
                TemplatePiece::Text { text } => text.bytes().filter(|&b| b != b'*').count(),
                TemplatePiece::Escape { character } => character.len_utf8(),
                TemplatePiece::Variable { key, default } => match lookup(key) {
                    Some(value) => value.len(),
                    None => match default {
                        Some(default) => default.len(),
                        None => return Err(Unresolved { key: key.clone() }),
                    },
                },
            };
            length = length.saturating_add(piece_len);
        }
        Ok(length)
    }

    /// The text every match starts with: the first piece's text up to its
    /// first wildcard (empty when the template starts with a variable).
    pub fn literal_prefix(&self) -> &str {
        let length = if self.fixed.is_some() {
            prefix_len(&self.pieces)
        } else {
            self.prefix_len
        };
        match self.pieces.first() {
            Some(TemplatePiece::Text { text }) => text.get(..length).unwrap_or(""),
            _ => "",
        }
    }

    fn text_len_hint(&self) -> usize {
        self.pieces
            .iter()
            .map(|p| match p {
                TemplatePiece::Text { text } => text.len(),
                TemplatePiece::Escape { .. } => 1,
                TemplatePiece::Variable { .. } => 16,
            })
            .sum()
    }

    /// Calls `emit` with each piece after substitution, in order.
    fn substitute(
        &self,
        lookup: &dyn Fn(&str) -> Option<Text>,
        mut emit: impl FnMut(Piece<'_>),
    ) -> Result<(), Unresolved> {
        for piece in &self.pieces {
            match piece {
                TemplatePiece::Text { text } => emit(Piece::Wildcard(text)),
                TemplatePiece::Escape { character } => {
                    let mut buffer = [0u8; 4];
                    emit(Piece::Literal(character.encode_utf8(&mut buffer)));
                }
                TemplatePiece::Variable { key, default } => match lookup(key) {
                    Some(value) => emit(Piece::Literal(&value)),
                    None => match default {
                        Some(default) => emit(Piece::Literal(default)),
                        None => return Err(Unresolved { key: key.clone() }),
                    },
                },
            }
        }
        Ok(())
    }
}

/// A piece of a template after substitution.
enum Piece<'a> {
    /// Policy text, whose `*` and `?` are wildcards.
    Wildcard(&'a str),
    /// Substituted or escaped text, matched literally.
    Literal(&'a str),
}

/// `text` for an explanation: cut to its first
/// [`MAX_SHOWN_SUBSTITUTION_BYTES`] bytes (at a character boundary), so an
/// explanation holds at most that much of each substituted text.
pub fn shown_substitution(text: &str) -> Text {
    Text::from(cut(text, MAX_SHOWN_SUBSTITUTION_BYTES))
}

/// The longest start of `text` of at most `max_bytes` bytes that ends at a
/// character boundary.
fn cut(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    text.get(..end).unwrap_or("")
}

/// The length of the first piece's text up to its first wildcard.
fn prefix_len(pieces: &[TemplatePiece]) -> usize {
    match pieces.first() {
        Some(TemplatePiece::Text { text }) => text
            .bytes()
            .position(|b| b == b'*' || b == b'?')
            .unwrap_or(text.len()),
        _ => 0,
    }
}

fn push_text(pieces: &mut Vec<TemplatePiece>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(TemplatePiece::Text { text: last }) = pieces.last_mut() {
        last.push_str(text);
    } else {
        pieces.push(TemplatePiece::Text {
            text: text.to_owned(),
        });
    }
}

/// Parses the inside of `${...}`.
fn parse_variable(inner: &str) -> Option<TemplatePiece> {
    match inner {
        "*" => return Some(TemplatePiece::Escape { character: '*' }),
        "?" => return Some(TemplatePiece::Escape { character: '?' }),
        "$" => return Some(TemplatePiece::Escape { character: '$' }),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => {
            let default = default.trim();
            let unquoted = default.strip_prefix('\'')?.strip_suffix('\'')?;
            (key.trim(), Some(unquoted.to_owned()))
        }
        None => (inner.trim(), None),
    };
    let valid_key = !key.is_empty()
        && key
            .chars()
            .all(|c| !c.is_whitespace() && !matches!(c, '$' | '{' | '}' | '\'' | ','));
    valid_key.then(|| TemplatePiece::Variable {
        key: key.to_owned(),
        default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(key: &str) -> Option<Text> {
        match key.to_ascii_lowercase().as_str() {
            "aws:username" => Some("alice".into()),
            "aws:principaltag/team" => Some("a*b".into()),
            _ => None,
        }
    }

    #[test]
    fn substitutes_variables() {
        let t = Template::parse("arn:aws:s3:::bucket/home/${aws:username}/*", true);
        let r = t.resolve(&lookup, usize::MAX).unwrap();
        assert_eq!(r.text, "arn:aws:s3:::bucket/home/alice/*");
        assert!(r.pattern.matches("arn:aws:s3:::bucket/home/alice/file"));
        assert_eq!(t.variable_keys().collect::<Vec<_>>(), ["aws:username"]);
    }

    #[test]
    fn substituted_values_are_literal() {
        let t = Template::parse("team/${aws:PrincipalTag/team}", true);
        let r = t.resolve(&lookup, usize::MAX).unwrap();
        assert!(r.pattern.matches("team/a*b"));
        assert!(!r.pattern.matches("team/axxb"));
    }

    #[test]
    fn defaults_and_escapes() {
        let t = Template::parse("${aws:PrincipalTag/dept, 'company-wide'}", true);
        assert_eq!(t.resolve(&lookup, usize::MAX).unwrap().text, "company-wide");
        let t = Template::parse("a${*}b${?}c${$}", true);
        let r = t.resolve(&lookup, usize::MAX).unwrap();
        assert_eq!(r.text, "a*b?c$");
        assert!(r.pattern.matches("a*b?c$"));
        assert!(!r.pattern.matches("aXbYc$"));
    }

    #[test]
    fn unresolved_without_default_fails() {
        let t = Template::parse("${aws:PrincipalTag/missing}", true);
        assert_eq!(
            t.resolve(&lookup, usize::MAX),
            Err(Unsubstituted::Unresolved(Unresolved {
                key: "aws:PrincipalTag/missing".into()
            }))
        );
    }

    #[test]
    fn disabled_or_malformed_is_literal_text() {
        let t = Template::parse("home/${aws:username}", false);
        assert_eq!(
            t.resolve(&lookup, usize::MAX).unwrap().text,
            "home/${aws:username}"
        );
        assert!(!t.has_substitutions());
        let t = Template::parse("a${unclosed", true);
        assert_eq!(t.resolve(&lookup, usize::MAX).unwrap().text, "a${unclosed");
        let t = Template::parse("a${ }b${x, nodefaultquotes}", true);
        assert_eq!(
            t.resolve(&lookup, usize::MAX).unwrap().text,
            "a${ }b${x, nodefaultquotes}"
        );
    }

    #[test]
    fn literal_length_counts_everything_but_stars() {
        // `*` matches nothing at least; `?` one character; values in full.
        let t = Template::parse("a*?${aws:username}${*}**", true);
        assert_eq!(t.literal_len(&lookup), Ok(1 + 1 + 5 + 1));
        let t = Template::parse("${aws:PrincipalTag/dept, 'xyz'}", true);
        assert_eq!(t.literal_len(&lookup), Ok(3));
        let t = Template::parse("${aws:PrincipalTag/missing}", true);
        assert!(t.literal_len(&lookup).is_err());
    }

    #[test]
    fn a_pattern_past_the_limit_is_not_built() {
        let t = Template::parse("*${aws:username}*", true);
        // Exactly at the limit: built, and it matches a value that long.
        let r = t.resolve(&lookup, 5).unwrap();
        assert!(r.pattern.matches("alice"));
        assert_eq!(
            t.resolve(&lookup, 4),
            Err(Unsubstituted::TooLong(TooLong { length: 5 }))
        );
        // An unresolved variable is reported as such, whatever the limit.
        let t = Template::parse("${aws:username}${aws:PrincipalTag/missing}", true);
        assert!(matches!(
            t.resolve(&lookup, 0),
            Err(Unsubstituted::Unresolved(_))
        ));
    }

    #[test]
    fn many_repetitions_of_a_large_value_build_nothing() {
        // 250,000 variables (a 1 MiB policy) × a 1 MB value would be
        // 250 GB: the length is known from the pieces alone, and the
        // result is the too-long outcome, so nothing that size exists.
        let value = Text::from("x".repeat(1_000_000));
        let big = |_: &str| Some(value.clone());
        let source = "${aws:PrincipalTag/x}".repeat(250_000);
        let t = Template::parse(&source, true);
        assert_eq!(
            t.resolve(&big, crate::limits::MAX_SUBSTITUTED_BYTES),
            Err(Unsubstituted::TooLong(TooLong {
                length: 250_000_000_000
            }))
        );
        // The text for showing is built only up to its cut.
        let (shown, length) = t.resolve_text(&big, 4096).unwrap();
        assert_eq!(shown.len(), 4096);
        assert_eq!(length, 250_000_000_000);
    }

    #[test]
    fn shown_text_is_cut_at_a_character_boundary() {
        let t = Template::parse("é${aws:username}", true);
        let (shown, length) = t.resolve_text(&lookup, 1).unwrap();
        assert_eq!((shown.as_str(), length), ("", 7));
        let (shown, length) = t.resolve_text(&lookup, 4).unwrap();
        assert_eq!((shown.as_str(), length), ("éal", 7));
        let long = "é".repeat(MAX_SHOWN_SUBSTITUTION_BYTES);
        let shown = shown_substitution(&long);
        assert_eq!(shown.len(), MAX_SHOWN_SUBSTITUTION_BYTES);
        assert_eq!(shown_substitution("abc").as_str(), "abc");
    }
}
