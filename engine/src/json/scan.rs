//! Finding the next interesting byte of JSON text eight bytes at a time
//! (within one `u64`, no unsafe code and no dependency), for the readers
//! whose time goes into stepping over plain string content, indentation and
//! embedded documents.
//!
//! Each search checks whole words with exact byte tests (no false
//! positives), then finishes the tail byte by byte.

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that equals `byte`.
#[inline]
fn equal(word: u64, byte: u8) -> u64 {
    let t = word ^ (ONES * u64::from(byte));
    !(((t & LOW7) + LOW7) | t | LOW7)
}

/// How many bytes have their high bit set in `mask` (which has no other
/// bits): a sum of bytes, as baseline x86-64 has no population-count
/// instruction.
#[inline]
fn bytes_set(mask: u64) -> usize {
    ((mask >> 7).wrapping_mul(ONES) >> 56) as usize
}

/// The high bit of each byte of `word` below 0x20 (a control character).
#[inline]
fn control(word: u64) -> u64 {
    !(((word & LOW7) + 0x6060_6060_6060_6060) | word) & HIGH
}

/// The index of the first byte of `bytes` for which `hits` (on a word) or
/// `stop` (on a byte) says yes.
#[inline]
fn find(bytes: &[u8], hits: impl Fn(u64) -> u64, stop: impl Fn(u8) -> bool) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let found = hits(word);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| stop(b))
        .map(|i| at + i)
}

/// The first `"`, `\` or control character: where plain string content
/// ends.
pub fn string_stop(bytes: &[u8]) -> Option<usize> {
    find(
        bytes,
        |w| equal(w, b'"') | equal(w, b'\\') | control(w),
        |b| b == b'"' || b == b'\\' || b < 0x20,
    )
}

/// The first `"` or `\`.
pub fn quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    find(
        bytes,
        |w| equal(w, b'"') | equal(w, b'\\'),
        |b| b == b'"' || b == b'\\',
    )
}

/// The first `"`, `{`, `}`, `[` or `]`.
pub fn quote_or_bracket(bytes: &[u8]) -> Option<usize> {
    // `[` and `]` are `{` and `}` without the 0x20 bit, and no other byte
    // becomes `{` or `}` by setting it.
    find(
        bytes,
        |w| {
            let folded = w | (ONES * 0x20);
            equal(w, b'"') | equal(folded, b'{') | equal(folded, b'}')
        },
        |b| matches!(b, b'"' | b'{' | b'}' | b'[' | b']'),
    )
}

/// The first byte that is not printable ASCII (a control character, DEL
/// or any byte of a non-ASCII character).
pub fn not_printable_ascii(bytes: &[u8]) -> Option<usize> {
    find(
        bytes,
        |w| control(w) | equal(w, 0x7f) | (w & HIGH),
        |b| !(0x20..0x7f).contains(&b),
    )
}

/// How many `\n` `bytes` holds.
pub fn count_newlines(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(8);
    let mut count = 0;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        count += bytes_set(equal(word, b'\n'));
    }
    count + chunks.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// Calls `each` with the index of every `\n` in `bytes`, in order.
pub fn each_newline(bytes: &[u8], mut each: impl FnMut(usize)) {
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let mut found = equal(word, b'\n');
        while found != 0 {
            each(at + (found.trailing_zeros() / 8) as usize);
            found &= found - 1;
        }
        at += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if b == b'\n' {
            each(at + i);
        }
    }
}

/// A walk over JSON text that follows only strings (with their escapes)
/// and brackets, to find where an object or array ends without reading
/// it: eight bytes at a time, byte by byte only around backslashes and
/// where the depth may come back to zero.
#[derive(Debug, Default, Clone)]
pub struct Brackets {
    depth: usize,
    in_string: bool,
    escaped: bool,
}

impl Brackets {
    /// Walks `bytes`, which continue the text walked so far (the first
    /// call starts at the opening bracket). Returns the index just past
    /// the bracket that closes the first one, or `None` when `bytes` end
    /// before it (the walk then goes on with the next bytes). `[` and `{`
    /// count alike, as do `]` and `}`.
    pub fn run(&mut self, bytes: &[u8]) -> Option<usize> {
        let mut chunks = bytes.chunks_exact(8);
        let mut at = 0;
        for chunk in chunks.by_ref() {
            let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            if self.escaped || equal(word, b'\\') != 0 {
                if let Some(end) = self.bytes(chunk) {
                    return Some(at + end);
                }
                at += 8;
                continue;
            }
            // Bit 8k: whether byte k is inside a string (an opening quote
            // counts as inside, a closing one as outside).
            let quotes = equal(word, b'"') >> 7;
            let mut inside = quotes ^ (quotes << 8);
            inside ^= inside << 16;
            inside ^= inside << 32;
            if self.in_string {
                inside ^= ONES;
            }
            self.in_string = inside >> 56 != 0;
            let outside = !(inside << 7) & HIGH;
            let folded = word | (ONES * 0x20);
            let opens = equal(folded, b'{') & outside;
            let closes = equal(folded, b'}') & outside;
            // Brackets are a few in a hundred bytes: one at a time.
            let mut brackets = opens | closes;
            while brackets != 0 {
                let bit = brackets & brackets.wrapping_neg();
                if opens & bit != 0 {
                    self.depth += 1;
                } else {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(at + (bit.trailing_zeros() / 8) as usize + 1);
                    }
                }
                brackets &= brackets - 1;
            }
            at += 8;
        }
        self.bytes(chunks.remainder()).map(|end| at + end)
    }

    /// The same walk, byte by byte.
    fn bytes(&mut self, bytes: &[u8]) -> Option<usize> {
        for (i, &b) in bytes.iter().enumerate() {
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                } else if b == b'\\' {
                    self.escaped = true;
                } else if b == b'"' {
                    self.in_string = false;
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-by-byte answer, to compare with.
    fn naive(bytes: &[u8], stop: impl Fn(u8) -> bool) -> Option<usize> {
        bytes.iter().position(|&b| stop(b))
    }

    #[test]
    fn every_byte_at_every_place_is_found_exactly() {
        for b in 0..=255u8 {
            for place in 0..20 {
                for len in place + 1..place + 12 {
                    let mut bytes = vec![b'a'; len];
                    // A few bytes around that must not count.
                    if let Some(x) = bytes.get_mut(0) {
                        *x = 0xff;
                    }
                    bytes[place] = b;
                    assert_eq!(
                        string_stop(&bytes),
                        naive(&bytes, |c| c == b'"' || c == b'\\' || c < 0x20),
                        "{b} {place} {len}"
                    );
                    assert_eq!(
                        quote_or_backslash(&bytes),
                        naive(&bytes, |c| c == b'"' || c == b'\\')
                    );
                    assert_eq!(
                        quote_or_bracket(&bytes),
                        naive(&bytes, |c| matches!(c, b'"' | b'{' | b'}' | b'[' | b']'))
                    );
                    assert_eq!(
                        count_newlines(&bytes),
                        bytes.iter().filter(|&&c| c == b'\n').count()
                    );
                }
            }
        }
    }

    #[test]
    fn the_first_byte_outside_printable_ascii_is_found_at_every_place() {
        for b in 0..=255u8 {
            for place in 0..20 {
                for len in place + 1..place + 12 {
                    let mut bytes = vec![b'~'; len];
                    bytes[place] = b;
                    let expected = (!(0x20..0x7f).contains(&b)).then_some(place);
                    assert_eq!(not_printable_ascii(&bytes), expected, "{b} {place} {len}");
                }
            }
        }
        assert_eq!(not_printable_ascii(b""), None);
        assert_eq!(not_printable_ascii(b" !~"), None);
    }

    /// Where the first bracket's match ends, byte by byte.
    fn naive_end(text: &[u8]) -> Option<usize> {
        Brackets::default().bytes(text)
    }

    #[test]
    fn brackets_end_where_the_byte_walk_ends() {
        let texts: [&[u8]; 7] = [
            br#"{"a": [1, {"b": "x}]\"{"}], "c": "\\"} tail"#,
            br#"[[[[[[[[[[]]]]]]]]]]]"#,
            br#"{"Statement": [{"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "*"}]}, {"#,
            br#"{"k": "a\\\"b}", "l": "]]]]]]]]]]]]]]]]"}"#,
            br#"{"unterminated": "}}}}}}}}}}}}}}}}}"#,
            br#"{}"#,
            br#"{"\u00e9\"": {}}"#,
        ];
        for text in texts {
            for split in 0..=text.len() {
                let (a, b) = text.split_at(split);
                let mut walk = Brackets::default();
                let got = walk.run(a).or_else(|| walk.run(b).map(|n| n + split));
                assert_eq!(
                    got,
                    naive_end(text),
                    "{} at {split}",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }

    #[test]
    fn newlines_are_listed_in_order() {
        let text = b"a\n\nbcdefghij\nklmnopqrstuvwxyz\n\n";
        let mut got = Vec::new();
        each_newline(text, |i| got.push(i));
        let want: Vec<usize> = (0..text.len()).filter(|&i| text[i] == b'\n').collect();
        assert_eq!(got, want);
        assert_eq!(count_newlines(text), want.len());
    }
}
