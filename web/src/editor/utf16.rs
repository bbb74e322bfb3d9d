//! Engine spans are byte offsets into the UTF-8 text; the browser's
//! `selectionStart` and `setSelectionRange` count UTF-16 code units.

/// The largest char boundary of `text` at or before `byte` (clamped to the
/// text's length).
pub fn floor_boundary(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while b > 0 && !text.is_char_boundary(b) {
        b -= 1;
    }
    b
}

/// The UTF-16 index of byte offset `byte` in `text` (an offset inside a
/// character counts as its start; past the end counts as the end).
pub fn byte_to_utf16(text: &str, byte: usize) -> u32 {
    let b = floor_boundary(text, byte);
    let units: usize = text
        .get(..b)
        .unwrap_or(text)
        .chars()
        .map(char::len_utf16)
        .sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// The byte offset of UTF-16 index `index` in `text` (an index inside a
/// surrogate pair counts as the character's start; past the end counts as
/// the end).
pub fn utf16_to_byte(text: &str, index: u32) -> usize {
    let index = index as usize;
    let mut units = 0;
    for (byte, c) in text.char_indices() {
        let next = units + c.len_utf16();
        if next > index {
            return byte;
        }
        units = next;
    }
    text.len()
}

/// The 1-based line of byte offset `byte`.
pub fn line_of(text: &str, byte: usize) -> usize {
    let b = floor_boundary(text, byte);
    text.get(..b).unwrap_or(text).matches('\n').count() + 1
}

/// The number of lines of `text` (an empty text has one line).
pub fn line_count(text: &str) -> usize {
    text.matches('\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_offsets_are_the_same() {
        let t = "{\"a\": 1}";
        for i in 0..=t.len() {
            assert_eq!(byte_to_utf16(t, i), i as u32);
            assert_eq!(utf16_to_byte(t, i as u32), i);
        }
    }

    #[test]
    fn multibyte_and_astral_characters() {
        // é: 2 bytes, 1 unit; 😀: 4 bytes, 2 units; 中: 3 bytes, 1 unit.
        let t = "é😀中x";
        assert_eq!(byte_to_utf16(t, 0), 0);
        assert_eq!(byte_to_utf16(t, 2), 1);
        assert_eq!(byte_to_utf16(t, 6), 3);
        assert_eq!(byte_to_utf16(t, 9), 4);
        assert_eq!(byte_to_utf16(t, 10), 5);
        assert_eq!(byte_to_utf16(t, 99), 5);
        // Inside a character: its start.
        assert_eq!(byte_to_utf16(t, 1), 0);
        assert_eq!(byte_to_utf16(t, 4), 1);
        assert_eq!(utf16_to_byte(t, 0), 0);
        assert_eq!(utf16_to_byte(t, 1), 2);
        assert_eq!(utf16_to_byte(t, 2), 2, "inside the surrogate pair");
        assert_eq!(utf16_to_byte(t, 3), 6);
        assert_eq!(utf16_to_byte(t, 4), 9);
        assert_eq!(utf16_to_byte(t, 5), 10);
        assert_eq!(utf16_to_byte(t, 50), 10);
    }

    #[test]
    fn round_trip_on_every_boundary() {
        let t = "{\n  \"Sid\": \"naïve ✓ 𝄞\"\n}";
        for (b, _) in t.char_indices() {
            assert_eq!(utf16_to_byte(t, byte_to_utf16(t, b)), b);
        }
    }

    #[test]
    fn lines() {
        let t = "a\nb\n\nc";
        assert_eq!(line_of(t, 0), 1);
        assert_eq!(line_of(t, 2), 2);
        assert_eq!(line_of(t, 5), 4);
        assert_eq!(line_count(t), 4);
        assert_eq!(line_count(""), 1);
    }
}
