//! Keyboard edits on the editor's text: auto-indent on Enter, Tab and
//! Shift+Tab. Offsets are bytes; selections are `start..end` with
//! `start <= end`.

use super::utf16::floor_boundary;

/// The indentation unit Tab inserts.
pub const INDENT: &str = "  ";

/// Text and selection after an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edited {
    /// The whole new text.
    pub text: String,
    /// Selection start (byte offset in `text`).
    pub start: usize,
    /// Selection end.
    pub end: usize,
}

fn clamp(text: &str, start: usize, end: usize) -> (usize, usize) {
    let a = floor_boundary(text, start.min(end));
    let b = floor_boundary(text, start.max(end));
    (a, b)
}

/// The byte offset where the line holding `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text.get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// Replaces `start..end` with `insert`, putting the caret at
/// `start + caret`.
fn replace(text: &str, start: usize, end: usize, insert: &str, caret: usize) -> Edited {
    let mut out = String::with_capacity(text.len() + insert.len());
    out.push_str(text.get(..start).unwrap_or(""));
    out.push_str(insert);
    out.push_str(text.get(end..).unwrap_or(""));
    Edited {
        text: out,
        start: start + caret,
        end: start + caret,
    }
}

/// Enter: a line break keeping the current line's indentation, one level
/// deeper after `{` or `[`; between a bracket pair (`{|}`) the closing
/// bracket moves to its own line.
pub fn newline(text: &str, start: usize, end: usize) -> Edited {
    let (start, end) = clamp(text, start, end);
    let ls = line_start(text, start);
    let line = text.get(ls..start).unwrap_or("");
    let indent: String = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let before = text
        .get(..start)
        .and_then(|s| s.trim_end_matches([' ', '\t']).chars().next_back());
    let after = text
        .get(end..)
        .and_then(|s| s.trim_start_matches([' ', '\t']).chars().next());
    let opens = matches!(before, Some('{' | '['));
    if opens {
        let inner = format!("{indent}{INDENT}");
        let closes = matches!(
            (before, after),
            (Some('{'), Some('}')) | (Some('['), Some(']'))
        );
        if closes {
            // Drop the spaces between the caret and the closing bracket.
            let rest = text.get(end..).unwrap_or("");
            let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let insert = format!("\n{inner}\n{indent}");
            return replace(text, start, end + gap, &insert, 1 + inner.len());
        }
        let insert = format!("\n{inner}");
        return replace(text, start, end, &insert, insert.len());
    }
    let insert = format!("\n{indent}");
    replace(text, start, end, &insert, insert.len())
}

/// The byte offsets of the starts of the lines the selection touches.
fn selected_line_starts(text: &str, start: usize, end: usize) -> Vec<usize> {
    let first = line_start(text, start);
    // A selection ending right at a line start does not include that line.
    let last_at = if end > start && text.get(..end).is_some_and(|s| s.ends_with('\n')) {
        end - 1
    } else {
        end
    };
    let mut starts = vec![first];
    let mut at = first;
    while let Some(i) = text.get(at..last_at).and_then(|s| s.find('\n')) {
        at += i + 1;
        starts.push(at);
    }
    starts
}

/// Tab: inserts two spaces at the caret (replacing a selection within one
/// line), or indents every line of a multi-line selection.
pub fn indent(text: &str, start: usize, end: usize) -> Edited {
    let (start, end) = clamp(text, start, end);
    let multi_line = text.get(start..end).is_some_and(|s| s.contains('\n'));
    if !multi_line {
        return replace(text, start, end, INDENT, INDENT.len());
    }
    let starts = selected_line_starts(text, start, end);
    let mut out = String::with_capacity(text.len() + starts.len() * INDENT.len());
    let mut prev = 0;
    for s in &starts {
        out.push_str(text.get(prev..*s).unwrap_or(""));
        out.push_str(INDENT);
        prev = *s;
    }
    out.push_str(text.get(prev..).unwrap_or(""));
    Edited {
        text: out,
        start: start + INDENT.len(),
        end: end + INDENT.len() * starts.len(),
    }
}

/// Shift+Tab: removes up to two leading spaces (or one tab) from every line
/// the selection touches.
pub fn outdent(text: &str, start: usize, end: usize) -> Edited {
    let (start, end) = clamp(text, start, end);
    let removals: Vec<(usize, usize)> = selected_line_starts(text, start, end)
        .into_iter()
        .map(|s| {
            let line = text.get(s..).unwrap_or("");
            let remove = if line.starts_with('\t') {
                1
            } else {
                line.bytes()
                    .take(INDENT.len())
                    .take_while(|b| *b == b' ')
                    .count()
            };
            (s, remove)
        })
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut prev = 0;
    for (s, remove) in &removals {
        out.push_str(text.get(prev..*s).unwrap_or(""));
        prev = s + remove;
    }
    out.push_str(text.get(prev..).unwrap_or(""));
    // A position moves left by what was removed before it.
    let map = |pos: usize| -> usize {
        let removed: usize = removals
            .iter()
            .filter(|(s, _)| *s < pos)
            .map(|(s, r)| (*r).min(pos - s))
            .sum();
        pos - removed
    };
    Edited {
        text: out,
        start: map(start),
        end: map(end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `f` on text with `|` marking the caret (or `[` `]` a selection)
    /// and renders the result the same way.
    fn run(f: fn(&str, usize, usize) -> Edited, marked: &str) -> String {
        let (text, start, end) = if let Some(c) = marked.find('|') {
            (marked.replace('|', ""), c, c)
        } else {
            let s = marked.find('[').unwrap();
            let e = marked.find(']').unwrap() - 1;
            (marked.replace(['[', ']'], ""), s, e)
        };
        let r = f(&text, start, end);
        if r.start == r.end {
            format!("{}|{}", &r.text[..r.start], &r.text[r.start..])
        } else {
            format!(
                "{}[{}]{}",
                &r.text[..r.start],
                &r.text[r.start..r.end],
                &r.text[r.end..]
            )
        }
    }

    #[test]
    fn enter_keeps_indentation() {
        assert_eq!(run(newline, "  \"a\": 1,|"), "  \"a\": 1,\n  |");
        assert_eq!(run(newline, "|x"), "\n|x");
    }

    #[test]
    fn enter_after_an_opening_bracket_indents() {
        assert_eq!(run(newline, "  \"S\": [|"), "  \"S\": [\n    |");
        assert_eq!(run(newline, "{|}"), "{\n  |\n}");
        assert_eq!(run(newline, "  [|  ]"), "  [\n    |\n  ]");
    }

    #[test]
    fn enter_replaces_a_selection() {
        assert_eq!(run(newline, "  a[bc]d"), "  a\n  |d");
    }

    #[test]
    fn tab_inserts_two_spaces_or_indents_lines() {
        assert_eq!(run(indent, "a|b"), "a  |b");
        assert_eq!(run(indent, "a[b]c"), "a  |c");
        assert_eq!(run(indent, "x\n[a\nb]\ny"), "x\n  [a\n  b]\ny");
    }

    #[test]
    fn shift_tab_outdents() {
        assert_eq!(run(outdent, "    a|b"), "  a|b");
        assert_eq!(run(outdent, " |a"), "|a");
        assert_eq!(run(outdent, "a|"), "a|");
        assert_eq!(run(outdent, "[  a\n    b]"), "[a\n  b]");
        assert_eq!(run(outdent, "\t|x"), "|x");
    }

    #[test]
    fn multibyte_text_is_safe() {
        assert_eq!(run(newline, "  \"é\": [|"), "  \"é\": [\n    |");
        // Offsets inside a character are clamped to its start.
        let r = indent("é", 1, 1);
        assert_eq!(r.text, "  é");
    }
}
