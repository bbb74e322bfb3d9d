//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`
//! and the escapes `${*}`, `${?}`, `${$}`.
//!
//! Variables are only variables under `"Version": "2012-10-17"`; otherwise the
//! text is taken literally. A substituted value is literal text: wildcards in
//! it are not expanded.

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
            template.fixed = template.resolve(&|_| None).ok().map(|r| r.pattern);
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
    /// value nor a default.
    pub fn resolve(&self, lookup: &dyn Fn(&str) -> Option<Text>) -> Result<Resolved, Unresolved> {
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
        })?;
        Ok(Resolved { text, pattern })
    }

    /// The text after substitution, without a pattern: what
    /// [`Template::resolve`] gives as `text`.
    pub fn resolve_text(&self, lookup: &dyn Fn(&str) -> Option<Text>) -> Result<Text, Unresolved> {
        let mut text = String::with_capacity(self.text_len_hint());
        self.substitute(lookup, |piece| match piece {
            Piece::Wildcard(t) | Piece::Literal(t) => text.push_str(t),
        })?;
        Ok(Text::from(text))
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
        let r = t.resolve(&lookup).unwrap();
        assert_eq!(r.text, "arn:aws:s3:::bucket/home/alice/*");
        assert!(r.pattern.matches("arn:aws:s3:::bucket/home/alice/file"));
        assert_eq!(t.variable_keys().collect::<Vec<_>>(), ["aws:username"]);
    }

    #[test]
    fn substituted_values_are_literal() {
        let t = Template::parse("team/${aws:PrincipalTag/team}", true);
        let r = t.resolve(&lookup).unwrap();
        assert!(r.pattern.matches("team/a*b"));
        assert!(!r.pattern.matches("team/axxb"));
    }

    #[test]
    fn defaults_and_escapes() {
        let t = Template::parse("${aws:PrincipalTag/dept, 'company-wide'}", true);
        assert_eq!(t.resolve(&lookup).unwrap().text, "company-wide");
        let t = Template::parse("a${*}b${?}c${$}", true);
        let r = t.resolve(&lookup).unwrap();
        assert_eq!(r.text, "a*b?c$");
        assert!(r.pattern.matches("a*b?c$"));
        assert!(!r.pattern.matches("aXbYc$"));
    }

    #[test]
    fn unresolved_without_default_fails() {
        let t = Template::parse("${aws:PrincipalTag/missing}", true);
        assert_eq!(
            t.resolve(&lookup),
            Err(Unresolved {
                key: "aws:PrincipalTag/missing".into()
            })
        );
    }

    #[test]
    fn disabled_or_malformed_is_literal_text() {
        let t = Template::parse("home/${aws:username}", false);
        assert_eq!(t.resolve(&lookup).unwrap().text, "home/${aws:username}");
        assert!(!t.has_substitutions());
        let t = Template::parse("a${unclosed", true);
        assert_eq!(t.resolve(&lookup).unwrap().text, "a${unclosed");
        let t = Template::parse("a${ }b${x, nodefaultquotes}", true);
        assert_eq!(
            t.resolve(&lookup).unwrap().text,
            "a${ }b${x, nodefaultquotes}"
        );
    }
}
