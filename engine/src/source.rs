//! Source positions: byte spans into the text a person typed, and the
//! conversion from byte offsets to 1-based line and column.

use serde::Serialize;

/// A half-open byte range `start..end` into one source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, PartialOrd, Ord)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from `start` to `end` (saturating to `u32`).
    pub fn new(start: usize, end: usize) -> Self {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The spanned slice of `text`, or `""` when the span does not fit it.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.start as usize..self.end as usize)
            .unwrap_or("")
    }
}

/// A value with the span of the text it came from. Equality ignores the span,
/// so tests can compare shapes without offsets.
#[derive(Debug, Clone, Serialize)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `value` with `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

/// A 1-based line and column; the column counts Unicode characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct LineCol {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// A source text with a line index, for turning byte offsets into positions.
/// The index is built on the first question, so a reader that finds
/// nothing to locate never pays for it.
#[derive(Debug, Clone)]
pub struct SourceText<'a> {
    text: &'a str,
    line_starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> SourceText<'a> {
    /// A source text for `text` (its lines are indexed when first needed).
    pub fn new(text: &'a str) -> Self {
        SourceText {
            text,
            line_starts: std::cell::OnceCell::new(),
        }
    }

    /// The byte offset of each line's start.
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let bytes = self.text.as_bytes();
            // One pass: lines of a few dozen bytes, grown when longer.
            let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
            starts.push(0);
            crate::json::scan::each_newline(bytes, |i| starts.push(i + 1));
            starts
        })
    }

    /// The whole text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The 1-based line and column of byte `offset` (clamped to the text).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let mut offset = (offset as usize).min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_starts = self.line_starts();
        let line_index = match line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let line_start = line_starts.get(line_index).copied().unwrap_or(0);
        let column = self
            .text
            .get(line_start..offset)
            .map_or(0, |s| s.chars().count());
        LineCol {
            line: u32::try_from(line_index + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let src = SourceText::new("ab\ncd\n\néf");
        assert_eq!(src.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(src.line_col(1), LineCol { line: 1, column: 2 });
        assert_eq!(src.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(src.line_col(7), LineCol { line: 4, column: 1 });
        // 'f' comes after the two-byte 'é': column counts characters.
        assert_eq!(src.line_col(9), LineCol { line: 4, column: 2 });
        assert_eq!(src.line_col(999), LineCol { line: 4, column: 3 });
    }

    #[test]
    fn offsets_inside_a_character_round_down() {
        let src = SourceText::new("é");
        assert_eq!(src.line_col(1), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn span_slice_is_defensive() {
        assert_eq!(Span::new(0, 2).slice("abc"), "ab");
        assert_eq!(Span::new(2, 9).slice("abc"), "");
        assert_eq!(Span::new(5, 2), Span { start: 5, end: 5 });
    }

    #[test]
    fn spanned_equality_ignores_span() {
        assert_eq!(
            Spanned::new(1, Span::new(0, 1)),
            Spanned::new(1, Span::new(4, 9))
        );
    }
}
