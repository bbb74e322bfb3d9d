//! Reading a JSON array one element at a time, so `--batch` holds one
//! scenario in memory, not the whole array (twice).

use std::io::{BufRead, ErrorKind};

use iam_engine::json::scan;

/// One element of the array: its text and where it starts in the input.
pub struct Element {
    /// The element's text.
    pub text: String,
    /// Byte offset of its start.
    pub offset: usize,
    /// 1-based line of its start.
    pub line: u32,
    /// 1-based column (in characters) of its start.
    pub column: u32,
}

/// A malformed array: where, and what is wrong.
pub struct StreamError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

/// Where the scan of an element is: inside a string (after a backslash),
/// and how deep; an element that opens with a bracket is walked by its
/// brackets alone.
#[derive(Default)]
struct Scan {
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// Whether the element's first byte was seen.
    started: bool,
    /// Set when the element is an object or an array.
    nested: Option<scan::Brackets>,
}

impl Scan {
    /// Scans `bytes`: how many belong to the element, and whether it ended.
    fn run(&mut self, bytes: &[u8]) -> (usize, bool) {
        if !self.started && !bytes.is_empty() {
            self.started = true;
            if matches!(bytes.first(), Some(b'{' | b'[')) {
                self.nested = Some(scan::Brackets::default());
            }
        }
        if let Some(walk) = self.nested.as_mut() {
            return match walk.run(bytes) {
                Some(end) => (end, true),
                None => (bytes.len(), false),
            };
        }
        let mut i = 0;
        while let Some(rest) = bytes.get(i..).filter(|r| !r.is_empty()) {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    i += 1;
                    continue;
                }
                // Skip the plain run of the string at once.
                match scan::quote_or_backslash(rest) {
                    Some(n) => {
                        if rest.get(n) == Some(&b'"') {
                            self.in_string = false;
                        } else {
                            self.escaped = true;
                        }
                        i += n + 1;
                    }
                    None => return (bytes.len(), false),
                }
                continue;
            }
            // A scalar ends at a comma, a bracket or whitespace.
            let next = rest
                .iter()
                .position(|&b| STRUCTURAL.get(usize::from(b)) == Some(&true));
            let Some(n) = next else {
                return (bytes.len(), false);
            };
            i += n;
            match rest.get(n) {
                Some(b'"') => self.in_string = true,
                Some(b'{' | b'[') => self.depth += 1,
                Some(b'}' | b']') if self.depth == 0 => return (i, true),
                Some(b'}' | b']') => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return (i + 1, true);
                    }
                }
                _ if self.depth == 0 => return (i, true),
                _ => {}
            }
            i += 1;
        }
        (bytes.len(), false)
    }
}

/// Bytes the scan of an element stops at outside strings.
#[expect(
    clippy::indexing_slicing,
    reason = "a const table of 256 entries, indexed by bytes"
)]
static STRUCTURAL: [bool; 256] = {
    let mut table = [false; 256];
    let stops = *b"\"{}[], \t\n\r";
    let mut i = 0;
    while i < stops.len() {
        table[stops[i] as usize] = true;
        i += 1;
    }
    table
};

/// How many bytes the splitter reads at a time.
const CHUNK: usize = 1 << 20;

/// Splits a JSON array read from `input` into its elements' texts. The
/// elements themselves are checked by the scenario reader; this only
/// tracks strings, escapes and nesting to find where each one ends.
pub struct ArraySplitter<R> {
    input: R,
    buffer: Vec<u8>,
    position: usize,
    offset: usize,
    line: u32,
    column: u32,
    started: bool,
    finished: bool,
}

impl<R: BufRead> ArraySplitter<R> {
    /// Reads from `input`.
    pub fn new(input: R) -> Self {
        ArraySplitter {
            input,
            buffer: Vec::new(),
            position: 0,
            offset: 0,
            line: 1,
            column: 1,
            started: false,
            finished: false,
        }
    }

    fn error(&self, message: impl Into<String>) -> StreamError {
        StreamError {
            line: self.line,
            column: self.column,
            message: message.into(),
        }
    }

    /// The next byte without taking it; `None` at the end of the input.
    fn peek(&mut self) -> Result<Option<u8>, StreamError> {
        if self.position >= self.buffer.len() {
            // Large reads: a reader's own buffer is bypassed for reads
            // larger than it, so a file is read in few system calls.
            self.buffer.resize(CHUNK, 0);
            self.position = 0;
            loop {
                match self.input.read(&mut self.buffer) {
                    Ok(n) => {
                        self.buffer.truncate(n);
                        break;
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.buffer.clear();
                        return Err(self.error(format!("cannot read the input: {e}")));
                    }
                }
            }
        }
        Ok(self.buffer.get(self.position).copied())
    }

    /// Takes the next byte, keeping the position up to date.
    fn take(&mut self) -> Result<Option<u8>, StreamError> {
        let byte = self.peek()?;
        if byte.is_some() {
            self.advance(1);
        }
        Ok(byte)
    }

    /// Moves past the next `n` buffered bytes, counting lines and
    /// characters (not UTF-8 continuation bytes).
    fn advance(&mut self, n: usize) {
        let taken = self
            .buffer
            .get(self.position..self.position + n)
            .unwrap_or_default();
        let characters = |bytes: &[u8]| bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        match taken.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                let lines = scan::count_newlines(taken);
                self.line += u32::try_from(lines).unwrap_or(u32::MAX);
                let after = taken.get(last + 1..).unwrap_or_default();
                self.column = 1 + u32::try_from(characters(after)).unwrap_or(u32::MAX);
            }
            None => {
                self.column += u32::try_from(characters(taken)).unwrap_or(u32::MAX);
            }
        }
        self.position += n;
        self.offset += n;
    }

    fn skip_whitespace(&mut self) -> Result<Option<u8>, StreamError> {
        while let Some(b) = self.peek()? {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Ok(Some(b));
            }
            self.take()?;
        }
        Ok(None)
    }

    /// The next element, `None` after the closing `]`.
    pub fn next_element(&mut self) -> Result<Option<Element>, StreamError> {
        if self.finished {
            return Ok(None);
        }
        if !self.started {
            match self.skip_whitespace()? {
                Some(b'[') => {
                    self.take()?;
                }
                Some(_) => {
                    return Err(self.error("--batch expects a JSON array of scenarios"));
                }
                None => return Err(self.error("the input is empty; --batch expects a JSON array")),
            }
            self.started = true;
            if self.skip_whitespace()? == Some(b']') {
                self.take()?;
                return self.finish();
            }
        }
        let Some(_) = self.skip_whitespace()? else {
            return Err(self.error("the array is not closed: expected `]`"));
        };
        let (offset, line, column) = (self.offset, self.line, self.column);
        let mut bytes = Vec::new();
        let mut scan = Scan::default();
        loop {
            if self.peek()?.is_none() {
                return Err(self.error("the input ends inside an element; the array is not closed"));
            }
            let rest = self.buffer.get(self.position..).unwrap_or_default();
            let (taken, done) = scan.run(rest);
            bytes.extend_from_slice(rest.get(..taken).unwrap_or_default());
            self.advance(taken);
            if done {
                break;
            }
        }
        match self.skip_whitespace()? {
            Some(b',') => {
                self.take()?;
            }
            Some(b']') => {
                self.take()?;
                self.finished = true;
            }
            Some(_) => return Err(self.error("expected `,` or `]` after a scenario")),
            None => return Err(self.error("the array is not closed: expected `]`")),
        }
        let text = String::from_utf8(bytes).map_err(|e| StreamError {
            line,
            column,
            message: format!(
                "the scenario is not valid UTF-8 (byte {} of it)",
                e.utf8_error().valid_up_to()
            ),
        })?;
        Ok(Some(Element {
            text,
            offset,
            line,
            column,
        }))
    }

    fn finish(&mut self) -> Result<Option<Element>, StreamError> {
        self.finished = true;
        match self.skip_whitespace()? {
            None => Ok(None),
            Some(_) => Err(self.error("unexpected text after the array")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Result<Vec<(String, u32, u32)>, String> {
        let mut s = ArraySplitter::new(text.as_bytes());
        let mut out = Vec::new();
        loop {
            match s.next_element() {
                Ok(Some(e)) => out.push((e.text, e.line, e.column)),
                Ok(None) => return Ok(out),
                Err(e) => return Err(format!("{}:{}: {}", e.line, e.column, e.message)),
            }
        }
    }

    #[test]
    fn splits_elements_with_their_places() {
        let got = split("[\n  {\"a\": \"x,]}\\\"\"},\n  {\"b\": [1, {}]} , 3 ]").unwrap();
        assert_eq!(
            got,
            vec![
                ("{\"a\": \"x,]}\\\"\"}".to_owned(), 2, 3),
                ("{\"b\": [1, {}]}".to_owned(), 3, 3),
                ("3".to_owned(), 3, 20),
            ]
        );
        assert_eq!(split(" [ ] ").unwrap(), vec![]);
    }

    #[test]
    fn reports_malformed_arrays() {
        assert_eq!(
            split("{}").unwrap_err(),
            "1:1: --batch expects a JSON array of scenarios"
        );
        assert!(split("[{}").unwrap_err().contains("not closed"));
        assert!(split("[{} {}]")
            .unwrap_err()
            .contains("expected `,` or `]`"));
        assert!(split("[{\"a\": 1]").unwrap_err().contains("not closed"));
        assert!(split("[{\"a\": \"1]").unwrap_err().contains("ends inside"));
        assert!(split("[] x").unwrap_err().contains("after the array"));
    }
}
