//! A tolerant JSON tokenizer for syntax highlighting. It never fails: text
//! that is not JSON becomes [`TokenKind::Invalid`] tokens, and the tokens
//! always cover the whole text, in order, without gaps.

/// What a token is, which decides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// `{ } [ ] , :`
    Punct,
    /// A string followed by `:` (an object key).
    Key,
    /// Any other string, including an unterminated one (to the line end).
    String,
    /// A number.
    Number,
    /// `true`, `false` or `null`.
    Literal,
    /// Spaces, tabs and line breaks.
    Whitespace,
    /// Anything else.
    Invalid,
}

impl TokenKind {
    /// The CSS class of the token in the highlight layer (`None` for
    /// whitespace).
    pub fn class(self) -> Option<&'static str> {
        match self {
            TokenKind::Punct => Some("tok-punct"),
            TokenKind::Key => Some("tok-key"),
            TokenKind::String => Some("tok-string"),
            TokenKind::Number => Some("tok-number"),
            TokenKind::Literal => Some("tok-literal"),
            TokenKind::Whitespace => None,
            TokenKind::Invalid => Some("tok-invalid"),
        }
    }
}

/// One token: a kind and a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn is_word(c: char) -> bool {
    !is_ws(c) && !matches!(c, '{' | '}' | '[' | ']' | ',' | ':' | '"')
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens: Vec<Token> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        let kind = match c {
            '{' | '}' | '[' | ']' | ',' | ':' => TokenKind::Punct,
            c if is_ws(c) => {
                while let Some(&(i, d)) = chars.peek() {
                    if !is_ws(d) {
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                }
                TokenKind::Whitespace
            }
            '"' => {
                let mut escaped = false;
                while let Some(&(i, d)) = chars.peek() {
                    if d == '\n' {
                        break;
                    }
                    chars.next();
                    end = i + d.len_utf8();
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        break;
                    }
                }
                TokenKind::String
            }
            _ => {
                while let Some(&(i, d)) = chars.peek() {
                    if !is_word(d) {
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                }
                let word = text.get(start..end).unwrap_or("");
                if matches!(word, "true" | "false" | "null") {
                    TokenKind::Literal
                } else if is_number(word) {
                    TokenKind::Number
                } else {
                    TokenKind::Invalid
                }
            }
        };
        tokens.push(Token { kind, start, end });
    }
    mark_keys(text, &mut tokens);
    tokens
}

/// Whether `word` is a JSON number (loosely: what a person means as one).
fn is_number(word: &str) -> bool {
    let digits = word.strip_prefix('-').unwrap_or(word);
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
}

/// Turns strings followed by `:` into keys.
fn mark_keys(text: &str, tokens: &mut [Token]) {
    let mut next_significant: Option<usize> = None;
    for i in (0..tokens.len()).rev() {
        let Some(token) = tokens.get(i).copied() else {
            continue;
        };
        if token.kind == TokenKind::Whitespace {
            continue;
        }
        if token.kind == TokenKind::String {
            let colon_next = next_significant
                .and_then(|n| tokens.get(n))
                .is_some_and(|t| text.get(t.start..t.end) == Some(":"));
            if colon_next {
                if let Some(t) = tokens.get_mut(i) {
                    t.kind = TokenKind::Key;
                }
            }
        }
        next_significant = Some(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text)
            .into_iter()
            .filter(|t| t.kind != TokenKind::Whitespace)
            .map(|t| (t.kind, &text[t.start..t.end]))
            .collect()
    }

    #[test]
    fn a_policy_fragment() {
        use TokenKind::*;
        assert_eq!(
            kinds(r#"{"Effect": "Allow", "N": [1.5e3, -2, true, null]}"#),
            vec![
                (Punct, "{"),
                (Key, "\"Effect\""),
                (Punct, ":"),
                (String, "\"Allow\""),
                (Punct, ","),
                (Key, "\"N\""),
                (Punct, ":"),
                (Punct, "["),
                (Number, "1.5e3"),
                (Punct, ","),
                (Number, "-2"),
                (Punct, ","),
                (Literal, "true"),
                (Punct, ","),
                (Literal, "null"),
                (Punct, "]"),
                (Punct, "}"),
            ]
        );
    }

    #[test]
    fn escapes_unterminated_strings_and_junk() {
        use TokenKind::*;
        assert_eq!(
            kinds("\"a\\\"b\" : \"open\n tru #"),
            vec![
                (Key, "\"a\\\"b\""),
                (Punct, ":"),
                (String, "\"open"),
                (Invalid, "tru"),
                (Invalid, "#"),
            ]
        );
    }

    #[test]
    fn tokens_cover_the_text_without_gaps() {
        let text = "{ \"Sid\": \"é😀\", x: [1,,]\n}\"";
        let tokens = tokenize(text);
        let mut at = 0;
        for t in &tokens {
            assert_eq!(t.start, at);
            assert!(t.end > t.start);
            at = t.end;
        }
        assert_eq!(at, text.len());
    }
}
