//! Undo and redo for one editor.
//!
//! The history is a list of snapshots with a cursor at the current one.
//! Typing within a short pause is grouped into one step, as editors do;
//! Format, Tab, Enter, paste and cut are steps of their own. Undo after an
//! edit forgets the redo branch.

/// How an edit was made, which decides how it is grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    /// Typing or deleting characters (grouped).
    Typing,
    /// Anything else (Format, paste, Enter, Tab…): its own step.
    Other,
}

/// The text and selection at one point (selection as UTF-16 indices, as
/// the browser reports them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The whole text.
    pub text: String,
    /// Selection start.
    pub start: u32,
    /// Selection end.
    pub end: u32,
}

/// Typing pauses longer than this start a new undo step.
pub const GROUP_MS: f64 = 800.0;

/// The most steps kept.
pub const MAX_STEPS: usize = 300;

/// The most bytes of text the steps hold together (each step keeps the
/// whole text): with a 1 MB policy, 300 steps would hold 300 MB. The
/// oldest steps go first; the current one always stays.
pub const MAX_BYTES: usize = 32 << 20;

/// An editor's undo history.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    steps: Vec<Snapshot>,
    index: usize,
    last_kind: Option<EditKind>,
    last_time: f64,
}

impl History {
    /// A history starting at `text` with the caret at the start.
    pub fn new(text: &str) -> History {
        History {
            steps: vec![Snapshot {
                text: text.to_owned(),
                start: 0,
                end: 0,
            }],
            index: 0,
            last_kind: None,
            last_time: f64::NEG_INFINITY,
        }
    }

    /// The current snapshot.
    pub fn current(&self) -> Option<&Snapshot> {
        self.steps.get(self.index)
    }

    /// The current text.
    pub fn text(&self) -> &str {
        self.current().map_or("", |s| s.text.as_str())
    }

    /// Records that the text became `text` with the selection
    /// `start..end`, at time `now` (milliseconds).
    pub fn record(&mut self, text: &str, start: u32, end: u32, kind: EditKind, now: f64) {
        if text == self.text() {
            self.set_selection(start, end);
            return;
        }
        let snapshot = Snapshot {
            text: text.to_owned(),
            start,
            end,
        };
        let group = kind == EditKind::Typing
            && self.last_kind == Some(EditKind::Typing)
            && now - self.last_time < GROUP_MS
            && self.index + 1 == self.steps.len()
            && self.index > 0;
        // (The first edit always makes a step, so the initial text stays.)
        if group {
            if let Some(s) = self.steps.get_mut(self.index) {
                *s = snapshot;
            }
        } else {
            self.steps.truncate(self.index + 1);
            self.steps.push(snapshot);
            let mut bytes: usize = self.steps.iter().map(|s| s.text.len()).sum();
            while self.steps.len() > 1 && (self.steps.len() > MAX_STEPS || bytes > MAX_BYTES) {
                bytes -= self.steps.remove(0).text.len();
            }
            self.index = self.steps.len() - 1;
        }
        self.last_kind = Some(kind);
        self.last_time = now;
    }

    /// Remembers the selection of the current snapshot (for a later redo
    /// or undo back to it).
    pub fn set_selection(&mut self, start: u32, end: u32) {
        if let Some(s) = self.steps.get_mut(self.index) {
            s.start = start;
            s.end = end;
        }
    }

    /// Ends the current typing group (after a caret move, for example).
    pub fn break_group(&mut self) {
        self.last_kind = None;
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        self.index > 0
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        self.index + 1 < self.steps.len()
    }

    /// Steps back: the text to show and where to put the caret (at the end
    /// of the changed region).
    pub fn undo(&mut self) -> Option<Snapshot> {
        if !self.can_undo() {
            return None;
        }
        let from = self.text().to_owned();
        self.index -= 1;
        self.last_kind = None;
        self.current().map(|s| at_change(&from, s))
    }

    /// Steps forward again.
    pub fn redo(&mut self) -> Option<Snapshot> {
        if !self.can_redo() {
            return None;
        }
        let from = self.text().to_owned();
        self.index += 1;
        self.last_kind = None;
        self.current().map(|s| at_change(&from, s))
    }
}

/// `to` with the caret at the end of what differs from `from` (as UTF-16
/// indices), so undo shows where the change was.
fn at_change(from: &str, to: &Snapshot) -> Snapshot {
    let prefix = from
        .char_indices()
        .zip(to.text.chars())
        .find(|((_, a), b)| a != b)
        .map_or(from.len().min(to.text.len()), |((i, _), _)| i);
    let from_rest = from.get(prefix..).unwrap_or("");
    let to_rest = to.text.get(prefix..).unwrap_or("");
    let suffix: usize = from_rest
        .chars()
        .rev()
        .zip(to_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(_, b)| b.len_utf8())
        .sum();
    let end = to.text.len() - suffix.min(to_rest.len());
    let caret = super::utf16::byte_to_utf16(&to.text, end);
    Snapshot {
        text: to.text.clone(),
        start: caret,
        end: caret,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_is_grouped_and_undone_at_once() {
        let mut h = History::new("");
        h.record("a", 1, 1, EditKind::Typing, 0.0);
        h.record("ab", 2, 2, EditKind::Typing, 100.0);
        h.record("abc", 3, 3, EditKind::Typing, 200.0);
        // A pause starts a new group.
        h.record("abcd", 4, 4, EditKind::Typing, 2000.0);
        assert_eq!(h.undo().unwrap().text, "abc");
        assert_eq!(h.undo().unwrap().text, "");
        assert!(h.undo().is_none());
        assert_eq!(h.redo().unwrap().text, "abc");
        assert_eq!(h.redo().unwrap().text, "abcd");
    }

    #[test]
    fn format_is_its_own_step_and_undoable() {
        let mut h = History::new("{\"a\":1}");
        h.record("{\"a\":12}", 6, 6, EditKind::Typing, 0.0);
        h.record("{\n  \"a\": 12\n}", 0, 0, EditKind::Other, 10.0);
        h.record("{\n  \"a\": 123\n}", 11, 11, EditKind::Typing, 20.0);
        assert_eq!(h.undo().unwrap().text, "{\n  \"a\": 12\n}");
        assert_eq!(h.undo().unwrap().text, "{\"a\":12}", "undo across Format");
        assert_eq!(h.redo().unwrap().text, "{\n  \"a\": 12\n}");
    }

    #[test]
    fn a_new_edit_after_undo_drops_redo() {
        let mut h = History::new("x");
        h.record("xy", 2, 2, EditKind::Other, 0.0);
        h.undo();
        assert!(h.can_redo());
        h.record("xz", 2, 2, EditKind::Typing, 5.0);
        assert!(!h.can_redo());
        assert_eq!(h.undo().unwrap().text, "x");
    }

    #[test]
    fn undo_puts_the_caret_at_the_change() {
        let mut h = History::new("{\"Action\": \"s3:Get\"}");
        h.record(
            "{\"Action\": \"s3:GetObject\"}",
            24,
            24,
            EditKind::Other,
            0.0,
        );
        let s = h.undo().unwrap();
        assert_eq!((s.start, s.end), (18, 18));
        let s = h.redo().unwrap();
        assert_eq!(s.start, 24);
        // Non-ASCII before the change: UTF-16 units.
        let mut h = History::new("é😀a");
        h.record("é😀ab", 5, 5, EditKind::Other, 0.0);
        assert_eq!(h.undo().unwrap().start, 4);
    }

    #[test]
    fn the_history_is_bounded() {
        let mut h = History::new("");
        for i in 0..(MAX_STEPS + 50) {
            h.record(&"x".repeat(i + 1), 0, 0, EditKind::Other, i as f64);
        }
        let mut n = 0;
        while h.undo().is_some() {
            n += 1;
        }
        assert_eq!(n, MAX_STEPS - 1);
    }

    #[test]
    fn large_texts_keep_fewer_steps() {
        let big = "x".repeat(4 << 20);
        let mut h = History::new(&big);
        for i in 0..20 {
            h.record(&format!("{big}{i}"), 0, 0, EditKind::Other, f64::from(i));
        }
        let kept: usize = h.steps.iter().map(|s| s.text.len()).sum();
        assert!(kept <= MAX_BYTES, "{kept}");
        assert!(h.steps.len() >= 7, "{}", h.steps.len());
        assert_eq!(h.text(), format!("{big}19"));
        assert!(h.can_undo());
        assert_eq!(h.undo().unwrap().text, format!("{big}18"));
    }
}
