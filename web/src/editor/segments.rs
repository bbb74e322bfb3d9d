//! The highlight layer drawn under the editor's transparent textarea: the
//! text cut into segments, each with its token colour and the decorations
//! covering it (diagnostic squiggles, the explanation's highlight).

use super::tokens::{tokenize, Token, TokenKind};
use super::utf16::floor_boundary;

/// What a decoration marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecorationKind {
    /// An error's span (red squiggle).
    Error,
    /// A security warning's span (magenta squiggle).
    SecurityWarning,
    /// A warning's span (amber squiggle).
    Warning,
    /// A suggestion's span (blue dotted underline).
    Suggestion,
    /// Text highlighted from the explanation.
    Highlight,
}

/// A byte range to decorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoration {
    /// What it marks.
    pub kind: DecorationKind,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A run of text with one look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The token kind the run belongs to.
    pub token: TokenKind,
    /// Inside an error's span.
    pub error: bool,
    /// Inside a security warning's span.
    pub security: bool,
    /// Inside a warning's span.
    pub warning: bool,
    /// Inside a suggestion's span.
    pub suggestion: bool,
    /// Inside the explanation's highlight.
    pub highlight: bool,
    /// The first segment of the highlight (scrolled into view).
    pub highlight_start: bool,
}

impl Segment {
    /// The CSS classes of the segment, space-separated.
    pub fn classes(&self) -> String {
        let mut out: Vec<&str> = Vec::new();
        if let Some(c) = self.token.class() {
            out.push(c);
        }
        // The most serious decoration shows.
        if self.error {
            out.push("sq-error");
        } else if self.security {
            out.push("sq-security");
        } else if self.warning {
            out.push("sq-warning");
        } else if self.suggestion {
            out.push("sq-suggestion");
        }
        if self.highlight {
            out.push("hl");
        }
        out.join(" ")
    }
}

/// Makes an empty span visible: it covers the character after it, or the
/// one before it at a line end or the end of the text.
fn widen(text: &str, start: usize, end: usize) -> (usize, usize) {
    let start = floor_boundary(text, start);
    let end = floor_boundary(text, end).max(start);
    if end > start {
        return (start, end);
    }
    let next = text.get(start..).and_then(|s| s.chars().next());
    match next {
        Some(c) if c != '\n' && c != '\r' => (start, start + c.len_utf8()),
        _ => {
            let prev = text.get(..start).and_then(|s| s.chars().next_back());
            match prev {
                Some(c) if c != '\n' => (start - c.len_utf8(), start),
                _ => (start, start),
            }
        }
    }
}

/// Cuts `text` into segments by its tokens and `decorations` (clamped to the
/// text and to character boundaries; empty diagnostic spans are widened to
/// one character so they stay visible). Adjacent segments that look the
/// same are merged.
pub fn segments(text: &str, decorations: &[Decoration]) -> Vec<Segment> {
    let tokens: Vec<Token> = tokenize(text);
    let decorations: Vec<Decoration> = decorations
        .iter()
        .map(|d| {
            let (start, end) = if d.kind == DecorationKind::Highlight {
                let s = floor_boundary(text, d.start);
                (s, floor_boundary(text, d.end).max(s))
            } else {
                widen(text, d.start, d.end)
            };
            Decoration { start, end, ..*d }
        })
        .filter(|d| d.end > d.start)
        .collect();
    let mut cuts: Vec<usize> = Vec::with_capacity(tokens.len() + 2 * decorations.len() + 1);
    cuts.push(0);
    cuts.extend(tokens.iter().map(|t| t.end));
    cuts.extend(decorations.iter().flat_map(|d| [d.start, d.end]));
    cuts.sort_unstable();
    cuts.dedup();
    let highlight_start = decorations
        .iter()
        .filter(|d| d.kind == DecorationKind::Highlight)
        .map(|d| d.start)
        .min();
    let mut out: Vec<Segment> = Vec::new();
    let mut token_index = 0;
    for pair in cuts.windows(2) {
        let [start, end] = *pair else { continue };
        while tokens.get(token_index).is_some_and(|t| t.end <= start) {
            token_index += 1;
        }
        let token = tokens
            .get(token_index)
            .map_or(TokenKind::Whitespace, |t| t.kind);
        let covered = |kind| {
            decorations
                .iter()
                .any(|d| d.kind == kind && d.start <= start && end <= d.end)
        };
        let seg = Segment {
            start,
            end,
            token,
            error: covered(DecorationKind::Error),
            security: covered(DecorationKind::SecurityWarning),
            warning: covered(DecorationKind::Warning),
            suggestion: covered(DecorationKind::Suggestion),
            highlight: covered(DecorationKind::Highlight),
            highlight_start: highlight_start == Some(start),
        };
        match out.last_mut() {
            Some(last)
                if last.end == start
                    && !seg.highlight_start
                    && (
                        last.token,
                        last.error,
                        last.security,
                        last.warning,
                        last.suggestion,
                        last.highlight,
                    ) == (
                        seg.token,
                        seg.error,
                        seg.security,
                        seg.warning,
                        seg.suggestion,
                        seg.highlight,
                    ) =>
            {
                last.end = end;
            }
            _ => out.push(seg),
        }
    }
    out
}

/// A run of one line of the highlight layer: its CSS classes and text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Piece {
    /// Space-separated classes (empty for plain text).
    pub class: String,
    /// The text.
    pub text: String,
}

/// The highlight layer as lines of pieces: each line's text ends with its
/// line break (except the last line), so the lines joined give back the
/// text exactly. Drawing line by line lets the editor redraw only the lines
/// that changed.
pub fn lines(text: &str, decorations: &[Decoration]) -> Vec<Vec<Piece>> {
    let mut out: Vec<Vec<Piece>> = vec![Vec::new()];
    for seg in segments(text, decorations) {
        let mut class = seg.classes();
        if seg.highlight_start {
            if !class.is_empty() {
                class.push(' ');
            }
            class.push_str("hl-start");
        }
        let mut rest = text.get(seg.start..seg.end).unwrap_or("");
        while !rest.is_empty() {
            let (part, tail) = match rest.find('\n') {
                Some(i) => rest.split_at(i + 1),
                None => (rest, ""),
            };
            if let Some(line) = out.last_mut() {
                line.push(Piece {
                    class: class.clone(),
                    text: part.to_owned(),
                });
            }
            if part.ends_with('\n') {
                out.push(Vec::new());
            }
            rest = tail;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of<'a>(text: &'a str, s: &Segment) -> &'a str {
        &text[s.start..s.end]
    }

    #[test]
    fn lines_join_back_to_the_text() {
        let text = "{\n  \"A\": \"b\",\n\n  \"C\": [1]\n}\n";
        let start = text.find("\"b\"").unwrap();
        let out = lines(
            text,
            &[Decoration {
                kind: DecorationKind::Highlight,
                start,
                end: text.find('[').unwrap(),
            }],
        );
        assert_eq!(out.len(), crate::editor::utf16::line_count(text));
        let joined: String = out.iter().flatten().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, text);
        // The highlight spans lines 2 to 4, starting once.
        let starts: Vec<usize> = out
            .iter()
            .enumerate()
            .filter(|(_, l)| l.iter().any(|p| p.class.contains("hl-start")))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(starts, vec![1]);
        assert!(out[2].iter().all(|p| p.class.contains("hl")));
        assert!(
            out.last().unwrap().is_empty(),
            "the line after a final break"
        );
    }

    #[test]
    fn segments_cover_the_text() {
        let text = "{\"A\": \"b\"}";
        let segs = segments(text, &[]);
        let joined: String = segs.iter().map(|s| text_of(text, s)).collect();
        assert_eq!(joined, text);
        assert_eq!(segs[1].token, TokenKind::Key);
        assert_eq!(segs[1].classes(), "tok-key");
    }

    #[test]
    fn a_highlight_marks_exactly_its_span() {
        let text = "{\"Effect\": \"Allow\", \"Action\": \"s3:*\"}";
        let start = text.find("\"Action\"").unwrap();
        let end = text.len() - 1;
        let segs = segments(
            text,
            &[Decoration {
                kind: DecorationKind::Highlight,
                start,
                end,
            }],
        );
        let marked: String = segs
            .iter()
            .filter(|s| s.highlight)
            .map(|s| text_of(text, s))
            .collect();
        assert_eq!(marked, "\"Action\": \"s3:*\"");
        let first = segs.iter().find(|s| s.highlight).unwrap();
        assert!(first.highlight_start);
        assert_eq!(segs.iter().filter(|s| s.highlight_start).count(), 1);
        assert!(first.classes().contains("hl"));
    }

    #[test]
    fn the_most_serious_squiggle_shows() {
        let text = "{\"Action\": \"s3:GetObject\"}";
        let start = text.find("s3").unwrap();
        let deco = |kind, end| Decoration { kind, start, end };
        let segs = segments(
            text,
            &[
                deco(DecorationKind::Suggestion, start + 12),
                deco(DecorationKind::SecurityWarning, start + 3),
            ],
        );
        let classes: Vec<String> = segs
            .iter()
            .filter(|s| s.start >= start && s.end <= start + 12)
            .map(Segment::classes)
            .collect();
        assert_eq!(
            classes,
            vec!["tok-string sq-security", "tok-string sq-suggestion"]
        );
    }

    #[test]
    fn squiggles_split_tokens_and_empty_spans_widen() {
        let text = "{\"Effect\": \"allow\"}";
        let start = text.find("allow").unwrap();
        let segs = segments(
            text,
            &[
                Decoration {
                    kind: DecorationKind::Error,
                    start,
                    end: start + 2,
                },
                Decoration {
                    kind: DecorationKind::Warning,
                    start: text.len(),
                    end: text.len(),
                },
            ],
        );
        let err: Vec<&str> = segs
            .iter()
            .filter(|s| s.error)
            .map(|s| text_of(text, s))
            .collect();
        assert_eq!(err, vec!["al"]);
        let warn: Vec<&str> = segs
            .iter()
            .filter(|s| s.warning)
            .map(|s| text_of(text, s))
            .collect();
        assert_eq!(warn, vec!["}"]);
        let joined: String = segs.iter().map(|s| text_of(text, s)).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn spans_off_char_boundaries_or_past_the_end_are_clamped() {
        let text = "\"é\"";
        let segs = segments(
            text,
            &[Decoration {
                kind: DecorationKind::Highlight,
                start: 2,
                end: 99,
            }],
        );
        let joined: String = segs.iter().map(|s| text_of(text, s)).collect();
        assert_eq!(joined, text);
        let marked: String = segs
            .iter()
            .filter(|s| s.highlight)
            .map(|s| text_of(text, s))
            .collect();
        assert_eq!(marked, "é\"");
    }
}
