//! Drawing only the lines in view of a long text.
//!
//! The editor's highlight layer and gutter draw every line of an ordinary
//! policy. A pasted policy of thousands of lines (up to the engine's 1 MiB)
//! would make every keystroke rebuild tens of thousands of elements, so past
//! [`WINDOWED_FROM_LINES`] lines they draw only the lines in view plus a
//! margin, after a spacer of the height of the lines above; the layer keeps
//! the whole text's height and width, so the textarea over it, which holds
//! the whole text, scrolls and selects as before.

use super::segments::Decoration;

/// Height of a line in pixels (`--ed-line` in `static/editor.css`).
pub const LINE_PX: f64 = 20.0;

/// Padding above the first line in pixels (`--ed-pad-y`).
pub const PAD_PX: f64 = 10.0;

/// Texts with more lines than this are drawn windowed.
pub const WINDOWED_FROM_LINES: usize = 1_500;

/// Lines drawn beyond each edge of the view.
pub const MARGIN_LINES: usize = 60;

/// The lines drawn: `first..last` (0-based), which are the bytes
/// `start..end` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    /// First line drawn (0-based).
    pub first: usize,
    /// One past the last line drawn.
    pub last: usize,
    /// Byte where line `first` starts.
    pub start: usize,
    /// Byte where line `last` starts (or the text's length).
    pub end: usize,
}

/// The top of 1-based `line`, in pixels from the top of the layer.
pub fn line_top(line: usize) -> f64 {
    PAD_PX + line.saturating_sub(1) as f64 * LINE_PX
}

/// The lines of `text` (which has `lines` lines) to draw for a view
/// scrolled to `scroll_top` pixels and `height` pixels high.
pub fn window(text: &str, lines: usize, scroll_top: f64, height: f64) -> Window {
    let top_line = ((scroll_top - PAD_PX).max(0.0) / LINE_PX) as usize;
    let in_view = (height.max(0.0) / LINE_PX).ceil() as usize + 1;
    let first = top_line
        .saturating_sub(MARGIN_LINES)
        .min(lines.saturating_sub(1));
    let last = (top_line + in_view + MARGIN_LINES).min(lines).max(first);
    // Byte offsets of the starts of lines `first` and `last`.
    let mut starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1));
    let start = starts.nth(first).unwrap_or(text.len());
    let end = if last > first {
        starts.nth(last - first - 1).unwrap_or(text.len())
    } else {
        start
    };
    Window {
        first,
        last,
        start,
        end,
    }
}

/// `decorations` that touch `start..end`, moved to be relative to `start`
/// and cut to the window.
pub fn shift(decorations: &[Decoration], start: usize, end: usize) -> Vec<Decoration> {
    decorations
        .iter()
        .filter(|d| d.end >= start && d.start <= end)
        .map(|d| Decoration {
            kind: d.kind,
            start: d.start.max(start) - start,
            end: d.end.min(end) - start,
        })
        .collect()
}

/// The widest line of `text`, in characters (a tab counts as two, the
/// editor's tab size).
pub fn widest_line(text: &str) -> usize {
    text.split('\n')
        .map(|line| {
            if line.is_ascii() {
                line.len() + line.bytes().filter(|b| *b == b'\t').count()
            } else {
                line.chars().map(|c| if c == '\t' { 2 } else { 1 }).sum()
            }
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::segments::DecorationKind;

    fn text(lines: usize) -> String {
        (0..lines).map(|i| format!("line {i}\n")).collect()
    }

    #[test]
    fn the_window_covers_the_view_and_a_margin() {
        let t = text(10_000);
        let lines = 10_001; // the empty line after the last break
        let w = window(&t, lines, 0.0, 600.0);
        assert_eq!((w.first, w.start), (0, 0));
        assert_eq!(w.last, 30 + 1 + MARGIN_LINES);
        assert!(t[w.start..w.end].starts_with("line 0\n"));
        assert!(t[w.start..w.end].ends_with(&format!("line {}\n", w.last - 1)));

        // Scrolled to line 5,000 (0-based).
        let w = window(&t, lines, PAD_PX + 5_000.0 * LINE_PX, 600.0);
        assert_eq!(w.first, 5_000 - MARGIN_LINES);
        assert_eq!(w.last, 5_000 + 31 + MARGIN_LINES);
        assert!(t[w.start..].starts_with(&format!("line {}\n", w.first)));
        assert_eq!(t[w.start..w.end].lines().count(), w.last - w.first);

        // At the bottom: the window ends with the text.
        let w = window(&t, lines, 1e9, 600.0);
        assert_eq!(w.last, lines);
        assert_eq!(w.end, t.len());
        assert!(w.first < w.last);
    }

    #[test]
    fn decorations_move_with_the_window() {
        let d = |start, end| Decoration {
            kind: DecorationKind::Error,
            start,
            end,
        };
        let moved = shift(&[d(0, 5), d(95, 105), d(120, 130), d(300, 301)], 100, 200);
        assert_eq!(moved, [d(0, 5), d(20, 30)]);
    }

    #[test]
    fn widths_count_characters() {
        assert_eq!(widest_line("ab\nabcd\n"), 4);
        assert_eq!(widest_line("\tx"), 3);
        assert_eq!(widest_line("é✓"), 2);
        assert_eq!(line_top(1), PAD_PX);
        assert_eq!(line_top(3), PAD_PX + 2.0 * LINE_PX);
    }
}
