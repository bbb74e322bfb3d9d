//! Policy documents as account files carry them: URL-encoded text (RFC
//! 3986, what the IAM API returns) and objects indented inside the file.

/// Why an encoded document could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError {
    /// What is wrong.
    pub message: String,
    /// Byte offset in the encoded text.
    pub at: usize,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX` escapes (a `+` stays a `+`, as RFC 3986 says) and checks
/// that the result is UTF-8.
pub(crate) fn percent_decode(text: &str) -> Result<String, DecodeError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let pair = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            );
            let (Some(high), Some(low)) = pair else {
                let shown: String = text.get(i..).unwrap_or("").chars().take(3).collect();
                return Err(DecodeError {
                    message: format!("`{shown}` is not a URL escape (`%` and two hex digits)"),
                    at: i,
                });
            };
            out.push(high * 16 + low);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|e| DecodeError {
        message: "the decoded document is not valid UTF-8".to_owned(),
        at: e.utf8_error().valid_up_to(),
    })
}

/// Removes from every line after the first the indentation of the last
/// line (the closing brace of an object written inside a larger file), when
/// every such line has at least that much. Returns the text and how many
/// columns were removed.
pub(crate) fn dedent(text: &str) -> (String, u32) {
    let last = text.rsplit('\n').next().unwrap_or("");
    let indent = last.len() - last.trim_start_matches(' ').len();
    if indent == 0 || !text.contains('\n') {
        return (text.to_owned(), 0);
    }
    let pad = " ".repeat(indent);
    let mut lines = text.split('\n');
    let mut out = String::with_capacity(text.len());
    out.push_str(lines.next().unwrap_or(""));
    let mut rest = Vec::new();
    for line in lines {
        match line.strip_prefix(pad.as_str()) {
            Some(stripped) => rest.push(stripped),
            None if line.trim().is_empty() => rest.push(""),
            None => return (text.to_owned(), 0),
        }
    }
    for line in rest {
        out.push('\n');
        out.push_str(line);
    }
    (out, u32::try_from(indent).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_url_encoded_policies() {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        assert_eq!(
            percent_decode(encoded).unwrap(),
            r#"{"Version":"2012-10-17","Statement":[]}"#
        );
        assert_eq!(percent_decode("a+b%20c").unwrap(), "a+b c");
        assert_eq!(percent_decode("%C3%A9").unwrap(), "é");
        let e = percent_decode("ab%4").unwrap_err();
        assert_eq!(e.at, 2);
        assert!(e.message.contains("`%4`"), "{}", e.message);
        assert!(percent_decode("%zz").is_err());
        assert!(percent_decode("%FF").is_err());
        assert!(percent_decode("%é").is_err());
    }

    #[test]
    fn dedents_objects_from_the_file() {
        let text = "{\n          \"Version\": \"2012-10-17\"\n        }";
        assert_eq!(
            dedent(text),
            ("{\n  \"Version\": \"2012-10-17\"\n}".to_owned(), 8)
        );
        assert_eq!(dedent("{}"), ("{}".to_owned(), 0));
        let uneven = "{\n \"a\": 1\n    }";
        assert_eq!(dedent(uneven), (uneven.to_owned(), 0));
    }
}
