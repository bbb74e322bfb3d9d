//! A JSON reader that keeps the byte span of every value and key, so that
//! diagnostics and the explanation can point at the exact text.
//!
//! It stops at the first syntax error (with a message that says what to do),
//! limits nesting depth so deep documents cannot overflow the stack, and keeps
//! duplicate keys so the policy parser can report them. [`write`] writes
//! values as JSON text (the JavaScript API's answers).

pub mod scan;
pub mod write;

use std::borrow::Cow;

use crate::source::Span;

/// Most levels of nesting (objects and arrays) a policy document may have
/// ([`crate::limits::MAX_DEPTH`]). IAM policies need about six.
pub use crate::limits::MAX_DEPTH;

/// A JSON value with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Json<'a> {
    /// The value.
    pub value: JsonValue<'a>,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of JSON values.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonValue<'a> {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number(&'a str),
    /// A string, with escapes decoded (borrowed from the text when it has none).
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object; members in document order, duplicates kept.
    Object(Vec<Member<'a>>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// The decoded key.
    pub key: Cow<'a, str>,
    /// Span of the key including its quotes.
    pub key_span: Span,
    /// The value.
    pub value: Json<'a>,
}

impl<'a> Json<'a> {
    /// The JSON type's name as a person would say it.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            JsonValue::Null => "null",
            JsonValue::Bool(_) => "a boolean",
            JsonValue::Number(_) => "a number",
            JsonValue::String(_) => "a string",
            JsonValue::Array(_) => "an array",
            JsonValue::Object(_) => "an object",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[Member<'a>]> {
        match &self.value {
            JsonValue::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The first member named `key` (exact case), if this is an object.
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        self.as_object()?
            .iter()
            .find(|m| m.key == key)
            .map(|m| &m.value)
    }
}

/// A JSON syntax error, or JSON nested past the depth limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JsonError {
    /// The diagnostic code: `json-syntax`, or `too-deep` past the limit.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do, when there is something specific to say.
    pub help: Option<String>,
    /// Where.
    pub span: Span,
}

impl JsonError {
    fn new(message: impl Into<String>, span: Span) -> Self {
        JsonError {
            code: "json-syntax",
            message: message.into(),
            help: None,
            span,
        }
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Parses `text` as one JSON value (surrounding whitespace allowed), with
/// at most [`MAX_DEPTH`] levels of objects and arrays.
pub fn parse_json(text: &str) -> Result<Json<'_>, JsonError> {
    parse_json_nested(text, MAX_DEPTH)
}

/// Parses `text` as one JSON value with at most `max_depth` levels of
/// objects and arrays (a scenario allows a few more than a policy, so that
/// a policy at the limit still fits inside one).
pub fn parse_json_nested(text: &str, max_depth: usize) -> Result<Json<'_>, JsonError> {
    Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        lazy_key: None,
        unchecked: None,
        max_depth,
        items: Vec::new(),
        members: Vec::new(),
    }
    .document()
}

/// Parses `text` like [`parse_json`], except that an object that is the
/// value of a member named `key` is checked but not built: it comes back
/// as an empty object with its whole span, for the caller to read from
/// its slice of the text (a scenario's policy documents, read once each).
/// Errors are exactly [`parse_json`]'s.
/// At most `max_depth` levels, as [`parse_json_nested`].
pub fn parse_json_lazy<'a>(
    text: &'a str,
    key: &'static str,
    max_depth: usize,
) -> Result<Json<'a>, JsonError> {
    let lazy = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        lazy_key: Some(key),
        unchecked: None,
        max_depth,
        items: Vec::new(),
        members: Vec::new(),
    }
    .document();
    // On any error, read again in full for the exact message.
    lazy.or_else(|_| parse_json_nested(text, max_depth))
}

/// Parses `text` like [`parse_json_lazy`], except that the objects under
/// `key` are not even checked: only their brackets and strings are
/// followed to find where each ends. Also returns how many such objects
/// were left unchecked. The caller reads each from its slice of the text;
/// when not all of them read as JSON, it calls [`parse_json_lazy`] for the
/// exact result (the first syntax error of the whole text, or the same
/// tree if they are all well-formed). Errors are [`parse_json_lazy`]'s.
pub fn parse_json_unchecked<'a>(
    text: &'a str,
    key: &'static str,
    max_depth: usize,
) -> Result<(Json<'a>, usize), JsonError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        lazy_key: Some(key),
        unchecked: Some(0),
        max_depth,
        items: Vec::new(),
        members: Vec::new(),
    };
    match reader.document() {
        Ok(json) => Ok((json, reader.unchecked.unwrap_or(0))),
        // Checked again in full: no object is left unchecked.
        Err(_) => parse_json_lazy(text, key, max_depth).map(|json| (json, 0)),
    }
}

/// What `c` is, when it is a space or an invisible character that JSON
/// does not accept between values (only space, tab, line feed and carriage
/// return are whitespace in JSON), and whether it shows as a space (else it
/// is invisible).
pub fn foreign_space(c: char) -> Option<(&'static str, bool)> {
    Some(match c {
        '\u{00A0}' | '\u{202F}' => ("a no-break space", true),
        '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{205F}' | '\u{3000}' => ("a Unicode space", true),
        '\u{2028}' | '\u{2029}' => ("a Unicode line separator", true),
        '\u{200B}' => ("a zero-width space", false),
        '\u{200C}' | '\u{200D}' | '\u{2060}' => ("an invisible joiner", false),
        '\u{FEFF}' => ("a zero-width no-break space", false),
        _ => return None,
    })
}

/// The edits that make `text`'s [foreign spaces](foreign_space) outside
/// strings into JSON: a plain space for one that shows as a space, nothing
/// for an invisible one. Strings are left as they are (there such
/// characters are the value's own).
pub fn foreign_space_edits(text: &str) -> Vec<(Span, String)> {
    let mut edits = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    for (at, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if let Some((_, visible)) = foreign_space(c) {
            let replacement = if visible { " " } else { "" };
            edits.push((Span::new(at, at + c.len_utf8()), replacement.to_owned()));
        }
    }
    edits
}

impl<'a> Reader<'a> {
    fn document(&mut self) -> Result<Json<'a>, JsonError> {
        let reader = self;
        reader.skip_whitespace()?;
        if reader.pos >= reader.bytes.len() {
            return Err(
                JsonError::new("the document is empty", Span::new(0, 0)).help(
                    "paste a JSON policy such as {\"Version\": \"2012-10-17\", \"Statement\": []}",
                ),
            );
        }
        if let Some(err) = reader.looks_like_yaml() {
            return Err(err);
        }
        let value = reader.value(0)?;
        reader.skip_whitespace()?;
        if reader.pos < reader.bytes.len() {
            let span = Span::new(reader.pos, reader.bytes.len());
            return Err(JsonError::new("unexpected text after the end of the JSON document", span)
            .help("a policy is one JSON object; remove what follows its closing `}` or wrap several values in an array"));
        }
        Ok(value)
    }

    /// Steps over one value without building it, checking its syntax; on
    /// any error the caller reads the text again in full for the message.
    fn skip(&mut self, depth: usize) -> Result<(), ()> {
        if depth >= self.max_depth {
            return Err(());
        }
        match self.peek() {
            Some(b'{') => self.skip_items(depth, b'}', true),
            Some(b'[') => self.skip_items(depth, b']', false),
            Some(b'"') => self.string().map(drop).map_err(drop),
            Some(b't') => self
                .keyword("true", JsonValue::Null)
                .map(drop)
                .map_err(drop),
            Some(b'f') => self
                .keyword("false", JsonValue::Null)
                .map(drop)
                .map_err(drop),
            Some(b'n') => self
                .keyword("null", JsonValue::Null)
                .map(drop)
                .map_err(drop),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop).map_err(drop),
            _ => Err(()),
        }
    }

    /// Steps over the object or array at the current position by its
    /// brackets alone: strings and their escapes are followed, nothing is
    /// checked. Fails when the text ends first.
    fn skip_brackets(&mut self) -> Result<(), ()> {
        let rest = self.bytes.get(self.pos..).ok_or(())?;
        self.pos += scan::Brackets::default().run(rest).ok_or(())?;
        Ok(())
    }

    /// Steps over the members of an object or the items of an array.
    fn skip_items(&mut self, depth: usize, closer: u8, members: bool) -> Result<(), ()> {
        self.pos += 1;
        self.skip_whitespace().map_err(drop)?;
        if self.peek() == Some(closer) {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace().map_err(drop)?;
            if members {
                if self.peek() != Some(b'"') {
                    return Err(());
                }
                self.string().map_err(drop)?;
                self.skip_whitespace().map_err(drop)?;
                if self.peek() != Some(b':') {
                    return Err(());
                }
                self.pos += 1;
                self.skip_whitespace().map_err(drop)?;
            }
            self.skip(depth + 1)?;
            self.skip_whitespace().map_err(drop)?;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_whitespace().map_err(drop)?;
                    if self.peek() == Some(closer) {
                        return Err(());
                    }
                }
                Some(b) if b == closer => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(()),
            }
        }
    }
}

/// Checks that `bytes` are UTF-8 and parses them.
pub fn parse_json_bytes(bytes: &[u8]) -> Result<Json<'_>, JsonError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_json(text),
        Err(e) => {
            let at = e.valid_up_to();
            Err(
                JsonError::new("the text is not valid UTF-8", Span::new(at, at + 1))
                    .help("save the file as UTF-8"),
            )
        }
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Objects under members of this name are checked, not built.
    lazy_key: Option<&'static str>,
    /// When counting: how many of those objects were stepped over by their
    /// brackets only, unchecked.
    unchecked: Option<usize>,
    /// Most levels of objects and arrays.
    max_depth: usize,
    /// The items of the arrays being read, innermost last: each array
    /// takes its own at its end, in a vector of exactly their number.
    items: Vec<Json<'a>>,
    /// The same for the members of objects.
    members: Vec<Member<'a>>,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Span of the character at the current position.
    fn here(&self) -> Span {
        let len = self
            .text
            .get(self.pos..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(self.pos, self.pos + len)
    }

    fn describe_here(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(c) => format!("`{}`", crate::visible::one_line(c.encode_utf8(&mut [0; 4]))),
            None => "the end of the document".to_owned(),
        }
    }

    /// A space JSON does not accept (a no-break space, a zero-width space,
    /// a byte-order mark, ...), which text copied from web pages, documents
    /// and chat apps often has and which looks like a plain space or like
    /// nothing at all.
    fn foreign_space(&self) -> Option<JsonError> {
        let c = self.text.get(self.pos..)?.chars().next()?;
        let (name, _) = foreign_space(c)?;
        let code = u32::from(c);
        Some(if c == '\u{FEFF}' && self.pos == 0 {
            JsonError::new(
                "the text starts with a byte-order mark (U+FEFF), which JSON does not accept",
                self.here(),
            )
            .help("save the file as UTF-8 without a byte-order mark")
        } else {
            JsonError::new(
                format!("{name} (U+{code:04X}) is not whitespace in JSON"),
                self.here(),
            )
            .help(format!(
                "{} it; text copied from web pages, documents and chat apps often has such characters",
                if foreign_space(c).is_some_and(|(_, visible)| visible) {
                    "use a plain space instead of"
                } else {
                    "delete"
                }
            ))
        })
    }

    /// A curly quote pasted from a word processor or a web page.
    fn typographic_quote(&self) -> Option<JsonError> {
        let c = self.text.get(self.pos..)?.chars().next()?;
        matches!(c, '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}').then(|| {
            JsonError::new(
                format!("`{c}` is a typographic quote, which JSON does not accept"),
                self.here(),
            )
            .help("replace the curly quotes with straight double quotes `\"`")
        })
    }

    /// A word written without quotes, such as `Allow`.
    fn bare_word(&self) -> Option<JsonError> {
        let rest = self.text.get(self.pos..)?;
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, ':' | '-' | '_' | '*' | '/')))
            .unwrap_or(rest.len());
        let word = rest.get(..len).filter(|w| !w.is_empty())?;
        Some(
            JsonError::new(
                format!("`{word}` is not a JSON value"),
                Span::new(self.pos, self.pos + len),
            )
            .help(format!("text needs double quotes: write \"{word}\"")),
        )
    }

    fn skip_whitespace(&mut self) -> Result<(), JsonError> {
        // Most calls find no whitespace at all. Outside strings, a byte
        // above ASCII is always an error: maybe a space JSON does not know.
        if !matches!(
            self.peek(),
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/' | 0x80..)
        ) {
            return Ok(());
        }
        let rest = self.bytes.get(self.pos..).unwrap_or(&[]);
        self.pos += rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .unwrap_or(rest.len());
        if let Some(err) = self.foreign_space() {
            return Err(err);
        }
        if self.peek() == Some(b'/') && matches!(self.bytes.get(self.pos + 1), Some(b'/' | b'*')) {
            return Err(JsonError::new(
                "JSON does not allow comments",
                Span::new(self.pos, self.pos + 2),
            )
            .help("remove the comment; IAM policies are plain JSON"));
        }
        Ok(())
    }

    fn looks_like_yaml(&self) -> Option<JsonError> {
        let line = self.text.get(self.pos..)?.lines().next()?;
        // `trim` also removes non-ASCII spaces, which `skip_whitespace` keeps.
        let first_line = line.trim();
        let lead = line.len() - line.trim_start().len();
        let yamlish = first_line == "---"
            || (!first_line.starts_with(['{', '[', '"'])
                && first_line.split_once(':').is_some_and(|(k, _)| {
                    !k.is_empty()
                        && k.chars()
                            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
                }));
        yamlish.then(|| {
            JsonError::new("this looks like YAML, but a policy must be JSON", Span::new(self.pos + lead, self.pos + lead + first_line.len()))
                .help("convert it to JSON, e.g. `Version: 2012-10-17` becomes {\"Version\": \"2012-10-17\", …}")
        })
    }

    /// Reads a value inside `depth` objects and arrays.
    fn value(&mut self, depth: usize) -> Result<Json<'a>, JsonError> {
        if depth >= self.max_depth && matches!(self.peek(), Some(b'{' | b'[')) {
            let mut e = JsonError::new(
                format!(
                    "the document is nested more than {} levels deep, the limit",
                    self.max_depth
                ),
                self.here(),
            )
            .help("IAM policies need only a few levels of objects and arrays; look for brackets that are never closed");
            e.code = "too-deep";
            return Err(e);
        }
        let start = self.pos;
        let value = match self.peek() {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => JsonValue::String(self.string()?),
            Some(b't') => self.keyword("true", JsonValue::Bool(true))?,
            Some(b'f') => self.keyword("false", JsonValue::Bool(false))?,
            Some(b'n') => self.keyword("null", JsonValue::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'\'') => {
                return Err(
                    JsonError::new("JSON strings use double quotes", self.here())
                        .help("replace the single quotes with double quotes"),
                )
            }
            None => {
                return Err(JsonError::new(
                    "unexpected end of the document: a value is missing",
                    self.here(),
                )
                .help("the document seems cut off; check that every `{` and `[` is closed"))
            }
            Some(b',' | b'}' | b']') => {
                return Err(JsonError::new(
                    format!("a value is missing before {}", self.describe_here()),
                    self.here(),
                )
                .help("write the value, e.g. \"Allow\", or remove the key"))
            }
            Some(_) => {
                if let Some(err) = self.typographic_quote() {
                    return Err(err);
                }
                if let Some(err) = self.bare_word() {
                    return Err(err);
                }
                return Err(JsonError::new(
                    format!("expected a JSON value, found {}", self.describe_here()),
                    self.here(),
                )
                .help("strings need double quotes, e.g. \"s3:GetObject\""));
            }
        };
        Ok(Json {
            value,
            span: Span::new(start, self.pos),
        })
    }

    fn keyword(&mut self, word: &str, value: JsonValue<'a>) -> Result<JsonValue<'a>, JsonError> {
        if self
            .text
            .get(self.pos..)
            .is_some_and(|rest| rest.starts_with(word))
        {
            self.pos += word.len();
            Ok(value)
        } else {
            let end = self
                .text
                .get(self.pos..)
                .and_then(|rest| rest.find(|c: char| !c.is_alphanumeric()))
                .map_or(self.bytes.len(), |n| self.pos + n);
            Err(JsonError::new(
                format!(
                    "`{}` is not a JSON value",
                    Span::new(self.pos, end).slice(self.text)
                ),
                Span::new(self.pos, end),
            )
            .help(format!("did you mean `{word}`? Text needs double quotes")))
        }
    }

    fn number(&mut self) -> Result<JsonValue<'a>, JsonError> {
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while r.peek().is_some_and(|b| b.is_ascii_digit()) {
                r.pos += 1;
            }
            r.pos > from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let bad = |r: &Self| {
            JsonError::new("invalid number", Span::new(start, r.pos.max(start + 1)))
                .help("write numbers like 42, -1.5 or 1e3; quote other text")
        };
        if !digits(self) {
            return Err(bad(self));
        }
        if self.bytes.get(int_start) == Some(&b'0') && self.pos - int_start > 1 {
            return Err(JsonError::new(
                "numbers cannot have leading zeros",
                Span::new(start, self.pos),
            )
            .help("quote it if it is an identifier, e.g. an account id: \"012345678901\""));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return Err(bad(self));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !digits(self) {
                return Err(bad(self));
            }
        }
        if self
            .peek()
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b':' | b'/'))
        {
            // `2012-10-17` or `10.0.0.1` without quotes.
            let end = self
                .text
                .get(start..)
                .and_then(|rest| {
                    rest.find(|c: char| {
                        !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '/' | '+'))
                    })
                })
                .map_or(self.bytes.len(), |n| start + n);
            let word = Span::new(start, end).slice(self.text);
            return Err(JsonError::new(
                format!("`{word}` is not a JSON number"),
                Span::new(start, end),
            )
            .help(format!("put it in double quotes: \"{word}\"")));
        }
        Ok(JsonValue::Number(
            Span::new(start, self.pos).slice(self.text),
        ))
    }

    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        let start = self.pos;
        self.pos += 1; // opening quote
        let mut out: Option<String> = None;
        loop {
            let run_start = self.pos;
            let run = self
                .bytes
                .get(run_start..)
                .and_then(scan::string_stop)
                .unwrap_or(self.bytes.len() - run_start.min(self.bytes.len()));
            self.pos += run;
            let text = self.text.get(run_start..self.pos).unwrap_or("");
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    // Common case: no escapes, one exact allocation.
                    return Ok(match out {
                        Some(mut s) => {
                            s.push_str(text);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(text),
                    });
                }
                Some(b'\\') => {
                    let s = out.get_or_insert_with(String::new);
                    s.push_str(text);
                    let c = self.escape()?;
                    if let Some(s) = out.as_mut() {
                        s.push(c);
                    }
                }
                Some(b'\n' | b'\r') | None => {
                    return Err(
                        JsonError::new("unterminated string", Span::new(start, self.pos))
                            .help("add the closing `\"`; a string cannot span lines (write \\n)"),
                    )
                }
                Some(_) => {
                    return Err(
                        JsonError::new("control character inside a string", self.here())
                            .help("write it as an escape such as \\t"),
                    )
                }
            }
        }
    }

    fn escape(&mut self) -> Result<char, JsonError> {
        let at = self.pos;
        self.pos += 1; // backslash
        let kind = self.peek();
        self.pos += 1;
        let simple = match kind {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at),
            _ => {
                // The backslash and the whole character after it (which may
                // take several bytes), so the span ends on a char boundary.
                let escaped = self.text.get(at + 1..).and_then(|s| s.chars().next());
                let span = Span::new(at, at + 1 + escaped.map_or(0, char::len_utf8));
                self.pos = at + 1;
                return Err(JsonError::new(
                    format!(
                        "invalid escape `{}`",
                        crate::visible::one_line(span.slice(self.text))
                    ),
                    span,
                )
                .help("valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"));
            }
        };
        Ok(simple)
    }

    /// `at`, moved forward to the next character boundary (at most the end).
    fn char_boundary_at_or_after(&self, at: usize) -> usize {
        (at..self.bytes.len())
            .find(|&i| self.text.is_char_boundary(i))
            .unwrap_or(self.bytes.len())
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, JsonError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .and_then(|d| std::str::from_utf8(d).ok());
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(v) if digits.is_some_and(|d| d.bytes().all(|b| b.is_ascii_hexdigit())) => {
                self.pos += 4;
                Ok(v)
            }
            _ => Err(JsonError::new(
                "invalid \\u escape",
                Span::new(escape_start, self.char_boundary_at_or_after(self.pos + 4)),
            )
            .help("\\u takes four hex digits, e.g. \\u00e9")),
        }
    }

    fn unicode_escape(&mut self, escape_start: usize) -> Result<char, JsonError> {
        let first = self.hex4(escape_start)?;
        let code = if (0xD800..0xDC00).contains(&first) {
            let lone = |r: &Self| {
                JsonError::new(
                    "invalid \\u escape: a lone surrogate is not a character",
                    Span::new(escape_start, r.pos),
                )
                .help("write the character itself, or a surrogate pair \\uD83D\\uDE00")
            };
            if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                return Err(lone(self));
            }
            self.pos += 2;
            let second = self.hex4(escape_start)?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(lone(self));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| {
            JsonError::new(
                "invalid \\u escape: a lone surrogate is not a character",
                Span::new(escape_start, self.pos),
            )
            .help("write the character itself")
        })
    }

    fn expect_after(&mut self, what: &str, opened: Span, closer: char) -> JsonError {
        if self.pos >= self.bytes.len() {
            return JsonError::new(
                format!("unexpected end of the document: `{closer}` is missing"),
                opened,
            )
            .help(format!(
                "this `{}` is never closed; add `{closer}`",
                opened.slice(self.text)
            ));
        }
        JsonError::new(
            format!("expected {what}, found {}", self.describe_here()),
            self.here(),
        )
    }

    /// Steps over a `,` between items (`what`: "item" or "member"); a comma
    /// right before `closer` is the common trailing-comma mistake.
    fn comma(&mut self, closer: u8, what: &str) -> Result<(), JsonError> {
        // The comma is one byte.
        let comma = Span::new(self.pos, self.pos + 1);
        self.pos += 1;
        self.skip_whitespace()?;
        if self.peek() == Some(closer) {
            return Err(JsonError::new(
                format!("trailing comma before `{}`", char::from(closer)),
                comma,
            )
            .help(format!(
                "JSON does not allow a comma after the last {what}; remove it"
            )));
        }
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue<'a>, JsonError> {
        // The bracket is one byte.
        let opened = Span::new(self.pos, self.pos + 1);
        self.pos += 1;
        self.skip_whitespace()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(JsonValue::Array(Vec::new()));
        }
        let base = self.items.len();
        loop {
            self.skip_whitespace()?;
            let item = self.value(depth + 1)?;
            self.items.push(item);
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.comma(b']', "item")?,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonValue::Array(self.items.split_off(base)));
                }
                Some(b'"' | b'{' | b'[') => {
                    let end = self.items.last().map_or(self.pos, |v| v.span.end as usize);
                    return Err(JsonError::new(
                        "missing `,` after an array item",
                        Span::new(end, end),
                    )
                    .help("separate items with commas: [\"s3:GetObject\", \"s3:PutObject\"]"));
                }
                Some(b'}') => {
                    return Err(JsonError::new(
                        "expected `,` or `]` after an array item, found `}`",
                        self.here(),
                    )
                    .help("an array opened with `[` is closed with `]`, not `}`"))
                }
                _ => {
                    return Err(self
                        .expect_after("`,` or `]` after an array item", opened, ']')
                        .help_if_none("separate items with commas"))
                }
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue<'a>, JsonError> {
        // The brace is one byte.
        let opened = Span::new(self.pos, self.pos + 1);
        self.pos += 1;
        self.skip_whitespace()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(JsonValue::Object(Vec::new()));
        }
        let base = self.members.len();
        loop {
            self.skip_whitespace()?;
            let key_start = self.pos;
            let key = match self.peek() {
                Some(b'"') => self.string()?,
                None => return Err(self.expect_after("a key", opened, '}')),
                Some(_) if self.typographic_quote().is_some() => {
                    return Err(self.typographic_quote().unwrap_or_else(|| {
                        JsonError::new("expected a key in double quotes", self.here())
                    }))
                }
                Some(_) => {
                    return Err(JsonError::new(
                        format!(
                            "expected a key in double quotes, found {}",
                            self.describe_here()
                        ),
                        self.here(),
                    )
                    .help("object keys are strings: write \"Effect\", not Effect or 'Effect'"))
                }
            };
            let key_span = Span::new(key_start, self.pos);
            self.skip_whitespace()?;
            if self.peek() != Some(b':') {
                return Err(self
                    .expect_after("`:` after the key", opened, '}')
                    .help_if_none("write \"key\": value"));
            }
            self.pos += 1;
            self.skip_whitespace()?;
            let lazy = self.lazy_key.is_some_and(|k| k == key) && self.peek() == Some(b'{');
            let value = if lazy {
                let start = self.pos;
                // The message is never shown: `parse_json_lazy` reads again.
                let skipped = match self.unchecked.as_mut() {
                    Some(count) => {
                        *count += 1;
                        self.skip_brackets()
                    }
                    None => self.skip(depth + 1),
                };
                skipped.map_err(|()| JsonError::new("", self.here()))?;
                Json {
                    value: JsonValue::Object(Vec::new()),
                    span: Span::new(start, self.pos),
                }
            } else {
                self.value(depth + 1)?
            };
            self.members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_whitespace()?;
            match self.peek() {
                Some(b',') => self.comma(b'}', "member")?,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonValue::Object(self.members.split_off(base)));
                }
                Some(b'"') => {
                    let end = self
                        .members
                        .last()
                        .map_or(self.pos, |m| m.value.span.end as usize);
                    return Err(JsonError::new(
                        "missing `,` after an object member",
                        Span::new(end, end),
                    )
                    .help("add a comma here, before the next member"));
                }
                Some(b']') => {
                    return Err(JsonError::new(
                        "expected `,` or `}` after an object member, found `]`",
                        self.here(),
                    )
                    .help("an object opened with `{` is closed with `}`, not `]`"))
                }
                _ => {
                    return Err(self.expect_after("`,` or `}` after an object member", opened, '}'))
                }
            }
        }
    }
}

impl JsonError {
    fn help_if_none(mut self, help: &str) -> Self {
        if self.help.is_none() {
            self.help = Some(help.to_owned());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> JsonError {
        parse_json(text).unwrap_err()
    }

    #[test]
    fn parses_values_with_spans() {
        let text = r#" {"a": [1, -2.5e3, true, null, "x\"\u00e9\ud83d\ude00"]} "#;
        let doc = parse_json(text).unwrap();
        assert_eq!(doc.span.slice(text), text.trim());
        let members = doc.as_object().unwrap();
        assert_eq!(members[0].key, "a");
        assert_eq!(members[0].key_span, Span::new(2, 5));
        let JsonValue::Array(items) = &members[0].value.value else {
            panic!()
        };
        assert_eq!(items[1].value, JsonValue::Number("-2.5e3"));
        assert_eq!(items[4].as_str(), Some("x\"é😀"));
    }

    #[test]
    fn keeps_duplicate_keys() {
        let doc = parse_json(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(doc.as_object().unwrap().len(), 2);
    }

    #[test]
    fn syntax_errors_say_where_and_what() {
        let e = err("{\"a\": 1,}");
        assert_eq!(e.message, "trailing comma before `}`");
        assert_eq!(e.span, Span::new(7, 8));
        let e = err("{\"a\": 1 \"b\": 2}");
        assert!(e.message.contains("after an object member"), "{e:?}");
        let e = err("{\"a\": [1, 2}");
        assert!(e.message.contains("`,` or `]`"), "{e:?}");
        let e = err("{\"a\": ");
        assert!(e.message.contains("end of the document"), "{e:?}");
        let e = err("{'a': 1}");
        assert!(e.message.contains("double quotes"), "{e:?}");
        let e = err("{\"a\": tru}");
        assert!(e.message.contains("`tru` is not a JSON value"), "{e:?}");
        let e = err("{\"a\": \"x\\q\"}");
        assert!(e.message.contains("invalid escape"), "{e:?}");
        let e = err("{\"a\": \"\\ud800\"}");
        assert!(e.message.contains("lone surrogate"), "{e:?}");
        let e = err("{\"a\": 012}");
        assert!(e.message.contains("leading zeros"), "{e:?}");
        let e = err("// c\n{}");
        assert!(e.message.contains("comments"), "{e:?}");
        let e = err("{} {}");
        assert!(e.message.contains("after the end"), "{e:?}");
        let e = err("   ");
        assert!(e.message.contains("empty"), "{e:?}");
        let e = err("{\"a\": \"line\nbreak\"}");
        assert!(e.message.contains("unterminated"), "{e:?}");
    }

    #[test]
    fn spaces_json_does_not_accept_are_named() {
        // A no-break space between tokens, as web pages and chat apps paste.
        let e = err("{\"Effect\":\u{a0}\"Allow\"}");
        assert_eq!(
            e.message,
            "a no-break space (U+00A0) is not whitespace in JSON"
        );
        assert_eq!(e.span, Span::new(10, 12));
        assert!(e.help.is_some_and(|h| h.starts_with("use a plain space")));
        // After plain whitespace, after a value, and at the end.
        let e = err("{\"a\": 1 \u{200b}}");
        assert_eq!(
            e.message,
            "a zero-width space (U+200B) is not whitespace in JSON"
        );
        assert!(e.help.is_some_and(|h| h.starts_with("delete it")));
        let e = err("{}\u{3000}");
        assert_eq!(
            e.message,
            "a Unicode space (U+3000) is not whitespace in JSON"
        );
        // A byte-order mark at the start is named as one.
        let e = err("\u{feff}{}");
        assert_eq!(
            e.message,
            "the text starts with a byte-order mark (U+FEFF), which JSON does not accept"
        );
        assert_eq!(e.span, Span::new(0, 3));
        let e = err("{\"a\":\u{feff}1}");
        assert!(
            e.message
                .starts_with("a zero-width no-break space (U+FEFF)"),
            "{e:?}"
        );
        // Inside strings they are the value's own.
        assert!(parse_json("{\"a\": \"x\u{a0}y\u{feff}\"}").is_ok());
        // Other non-ASCII text outside strings keeps its message.
        let e = err("{\"a\": \u{e9}}");
        assert_eq!(e.message, "`\u{e9}` is not a JSON value");
    }

    #[test]
    fn foreign_space_edits_leave_strings_alone() {
        let text = "\u{feff}{\"a\":\u{a0}\"x\u{a0}\\\"\u{a0}\",\u{200b}\"b\": 1}";
        let edits = foreign_space_edits(text);
        let spans: Vec<_> = edits
            .iter()
            .map(|(s, r)| (s.slice(text), r.as_str()))
            .collect();
        assert_eq!(spans, [("\u{feff}", ""), ("\u{a0}", " "), ("\u{200b}", "")]);
        assert!(foreign_space_edits("{\"a\": \"\u{a0}\"}").is_empty());
    }

    #[test]
    fn syntax_errors_a_learner_makes() {
        // A missing comma is reported where the comma belongs.
        let e = err("{\"a\": \"x\"\n \"b\": 1}");
        assert_eq!(e.message, "missing `,` after an object member");
        assert_eq!(e.span, Span::new(9, 9));
        let e = err("[\"a\" \"b\"]");
        assert_eq!(e.message, "missing `,` after an array item");
        assert_eq!(e.span, Span::new(4, 4));
        // Unquoted words, dates and curly quotes name what was written.
        let e = err("{\"Effect\": Allow}");
        assert_eq!(e.message, "`Allow` is not a JSON value");
        assert_eq!(e.span, Span::new(11, 16));
        let e = err("{\"Version\": 2012-10-17}");
        assert_eq!(e.message, "`2012-10-17` is not a JSON number");
        assert_eq!(e.span, Span::new(12, 22));
        let e = err("{\"a\": 10.0.0.1}");
        assert!(e.message.contains("`10.0.0.1`"), "{e:?}");
        let e = err("{\"Effect\": \u{201c}Allow\u{201d}}");
        assert!(e.message.contains("typographic quote"), "{e:?}");
        let e = err("{\u{201c}Effect\u{201d}: 1}");
        assert!(e.message.contains("typographic quote"), "{e:?}");
        let e = err("{\"a\": [1, 2}");
        assert!(e.help.is_some_and(|h| h.contains("closed with `]`")));
        let e = err("{\"a\": 1]");
        assert!(e.help.is_some_and(|h| h.contains("closed with `}`")));
        let e = err("{\"Effect\": , \"b\": 1}");
        assert_eq!(e.message, "a value is missing before `,`");
        // Numbers that are JSON still parse.
        assert!(parse_json("[1, -2.5e+3, 0]").is_ok());
    }

    #[test]
    fn yaml_is_recognised() {
        let e = err("Version: 2012-10-17\nStatement:\n  - Effect: Allow\n");
        assert!(e.message.contains("YAML"), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        let e = err(&deep);
        assert!(e.message.contains("nested more than"), "{e:?}");
        let deep_obj = "{\"a\":".repeat(100_000);
        assert!(err(&deep_obj).message.contains("nested"));
    }

    #[test]
    fn the_depth_limit_counts_objects_and_arrays() {
        // 64 levels, with a value inside the innermost: read.
        let at_limit = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse_json(&at_limit).is_ok());
        let objects = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert!(parse_json(&objects).is_ok());
        // 65: refused at the bracket that opens level 65.
        let over = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        let e = err(&over);
        assert_eq!(
            e.message,
            "the document is nested more than 64 levels deep, the limit"
        );
        assert_eq!(e.span, Span::new(MAX_DEPTH, MAX_DEPTH + 1));
        assert_eq!(e.code, "too-deep");
        assert_eq!(err("{").code, "json-syntax");
        assert!(e.help.is_some());
        // A scenario's own limit.
        assert!(parse_json_nested(&over, MAX_DEPTH + 1).is_ok());
    }

    #[test]
    fn invalid_utf8_is_reported() {
        let e = parse_json_bytes(b"{\"a\": \"\xff\"}").unwrap_err();
        assert_eq!(e.span.start, 7);
        assert!(e.message.contains("UTF-8"));
    }

    #[test]
    fn arbitrary_truncations_never_panic() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"1.2.3.4/32"}}}], "n": -1.5e-3, "u": "\u00e9"}"#;
        for end in 0..doc.len() {
            if let Some(prefix) = doc.get(..end) {
                let _ = parse_json(prefix);
            }
        }
        assert!(parse_json(doc).is_ok());
    }

    #[test]
    fn lazy_documents_are_checked_not_built() {
        let text = r#"{"policies": [{"name": "P", "document": {"Statement": [1, {"a": "b\"c"}]}},
                        {"document": "text"}], "document": [1]}"#;
        let lazy = parse_json_lazy(text, "document", MAX_DEPTH).unwrap();
        let full = parse_json(text).unwrap();
        fn doc<'a>(j: &Json<'a>) -> Option<Json<'a>> {
            match &j.get("policies")?.value {
                JsonValue::Array(items) => items.first()?.get("document").cloned(),
                _ => None,
            }
        }
        let (lazy_doc, full_doc) = (doc(&lazy).unwrap(), doc(&full).unwrap());
        assert_eq!(lazy_doc.span, full_doc.span);
        assert_eq!(lazy_doc.value, JsonValue::Object(Vec::new()));
        assert_ne!(full_doc.value, JsonValue::Object(Vec::new()));
        // Only objects are skipped; errors are parse_json's, word for word.
        assert_eq!(lazy.get("document"), full.get("document"));
        for bad in [
            r#"{"document": {"a": 1,}}"#,
            r#"{"document": {"a" 1}}"#,
            r#"{"document": {"a": [1 2]}}"#,
            r#"{"document": {"a": tru}}"#,
            r#"{"document": {"a": "x}"#,
            r#"{"document": {"a": 01}}"#,
        ] {
            assert_eq!(
                parse_json_lazy(bad, "document", MAX_DEPTH).unwrap_err(),
                parse_json(bad).unwrap_err(),
                "{bad}"
            );
        }
    }
}
