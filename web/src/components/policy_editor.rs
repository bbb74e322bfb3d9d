//! One policy's code editor: a transparent `<textarea>` over a highlighted
//! `<pre>` with identical metrics, line numbers with diagnostic markers, the
//! explanation's highlight, Format, undo and redo, and the policy's problems.
//!
//! The textarea and the highlight layer sit in one box sized by the text and
//! scroll together inside one scroller, so no scroll syncing is needed. The
//! logic (tokens, segments, edits, history, UTF-16) lives in
//! [`crate::editor`] and is unit-tested natively.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use iam_engine::source::Span;
use iam_engine::{Diagnostic, Severity};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use super::use_app;

mod autocomplete;
use crate::editor::edit::{self, Edited};
use crate::editor::format;
use crate::editor::history::{EditKind, History};
use crate::editor::segments::{lines, Decoration, DecorationKind, Piece};
use crate::editor::utf16::{byte_to_utf16, line_count, line_of, utf16_to_byte};
use crate::editor::window::{self, Window};
use crate::findings;
use crate::state::Action;

/// Properties of [`PolicyEditor`].
#[derive(Properties, PartialEq)]
pub struct PolicyEditorProps {
    /// The policy draft id.
    pub id: u32,
    /// The policy's name (for labels).
    pub name: AttrValue,
    /// The text.
    pub text: AttrValue,
    /// The engine's diagnostics for the text.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// Text to highlight (from the explanation).
    #[prop_or_default]
    pub highlight: Option<Span>,
}

/// What the editor keeps between renders.
struct EditorMemory {
    history: History,
    /// Escape was pressed: the next Tab moves focus instead of indenting.
    escaped: bool,
    /// A line to scroll into view once the next render has drawn it.
    reveal: Option<usize>,
    /// The text came from outside the editor (an example, an import, a
    /// draft): the textarea must be given it. Otherwise the textarea
    /// already shows the history's text, and reading its value back (a
    /// copy of the whole text) is not needed.
    external: bool,
}

/// The current time in milliseconds.
fn now() -> f64 {
    js_sys::Date::now()
}

/// The textarea's selection as UTF-16 indices.
fn selection(el: &HtmlTextAreaElement) -> (u32, u32) {
    let start = el.selection_start().ok().flatten().unwrap_or(0);
    let end = el.selection_end().ok().flatten().unwrap_or(start);
    (start, end)
}

/// Scrolls `scroller` so that line `line` (1-based) is visible.
fn reveal_line(scroller: &NodeRef, line: usize) {
    let Some(scroller) = scroller.cast::<HtmlElement>() else {
        return;
    };
    reveal_line_in(&scroller, line);
}

/// Scrolls `scroller` so that line `line` (1-based) is visible: to its
/// gutter row, or (a line of a long text outside the drawn window) to
/// where the line is.
fn reveal_line_in(scroller: &HtmlElement, line: usize) {
    let selector = format!("[data-ln=\"{line}\"]");
    if let Some(row) = scroller
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|row| row.dyn_into::<HtmlElement>().ok())
    {
        reveal(scroller, &row, false);
        return;
    }
    let top = window::line_top(line);
    let scrolled = f64::from(scroller.scroll_top());
    let height = f64::from(scroller.client_height());
    if top < scrolled || top + window::LINE_PX > scrolled + height {
        scroller.set_scroll_top((top - height / 3.0).max(0.0) as i32);
    }
}

/// Scrolls `scroller` (not the page) so that `target` is in view, with a
/// little context above it (and sideways too when `horizontal`).
fn reveal(scroller: &HtmlElement, target: &web_sys::Element, horizontal: bool) {
    let outer = scroller.get_bounding_client_rect();
    let inner = target.get_bounding_client_rect();
    let top = inner.top() - outer.top();
    let height = f64::from(scroller.client_height());
    if top < 0.0 || top + inner.height() > height {
        let delta = top - height / 3.0;
        scroller.set_scroll_top(scroller.scroll_top() + delta as i32);
    }
    if !horizontal {
        return;
    }
    let left = inner.left() - outer.left();
    let width = f64::from(scroller.client_width());
    if left < 48.0 || left > width - 16.0 {
        let delta = left - width / 2.0;
        scroller.set_scroll_left((scroller.scroll_left() + delta as i32).max(0));
    }
}

/// The highlight layer's lines with their keys. Keys follow each line's look
/// (a hash of its pieces, with a count for repeated lines), so unchanged
/// lines keep their component even when lines are inserted above them.
fn keyed_lines(text: &str, decorations: &[Decoration]) -> Vec<(String, Rc<Vec<Piece>>)> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    lines(text, decorations)
        .into_iter()
        .map(|pieces| {
            let mut hasher = DefaultHasher::new();
            pieces.hash(&mut hasher);
            let hash = hasher.finish();
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            (format!("{hash:x}-{n}"), Rc::new(pieces))
        })
        .collect()
}

/// Properties of [`LayerLine`].
#[derive(Properties, PartialEq)]
struct LayerLineProps {
    pieces: Rc<Vec<Piece>>,
}

/// One line of the highlight layer (re-rendered only when it changes).
#[component]
fn LayerLine(props: &LayerLineProps) -> Html {
    html! {
        <span class="layer-line">
            { for props.pieces.iter().map(|p| {
                if p.class.is_empty() {
                    html! { { p.text.clone() } }
                } else {
                    html! { <span class={p.class.clone()}>{ p.text.clone() }</span> }
                }
            }) }
        </span>
    }
}

/// A policy editor.
#[component]
pub fn PolicyEditor(props: &PolicyEditorProps) -> Html {
    let app = use_app();
    let textarea = use_node_ref();
    let scroller = use_node_ref();
    // Where the scroller is (scroll top, height), for drawing a long text
    // windowed ([`window`]); updated when the view moves by enough lines.
    let viewport = use_state(|| (0.0_f64, 600.0_f64));
    let memory = use_mut_ref(|| EditorMemory {
        history: History::new(&props.text),
        escaped: false,
        reveal: None,
        external: true,
    });
    // A text that did not come from this editor (an example, an import, a
    // restored draft) starts a fresh history.
    if memory.borrow().history.text() != props.text.as_str() {
        let mut m = memory.borrow_mut();
        m.history = History::new(&props.text);
        m.external = true;
    }
    let id = props.id;
    let dispatch: Callback<Action> = match &app {
        Some(app) => {
            let app = app.clone();
            Callback::from(move |a| app.dispatch(a))
        }
        None => Callback::noop(),
    };

    // Shows `text` with the selection `start..end` (UTF-16), records it and
    // tells the app.
    let show: Rc<dyn Fn(String, u32, u32, EditKind)> = {
        let textarea = textarea.clone();
        let memory = memory.clone();
        let dispatch = dispatch.clone();
        let scroller = scroller.clone();
        Rc::new(move |text: String, start: u32, end: u32, kind: EditKind| {
            if let Some(el) = textarea.cast::<HtmlTextAreaElement>() {
                if el.value() != text {
                    el.set_value(&text);
                }
                let _ = el.set_selection_range(start, end);
                let line = line_of(&text, utf16_to_byte(&text, end));
                reveal_line(&scroller, line);
                memory.borrow_mut().reveal = Some(line);
            }
            memory
                .borrow_mut()
                .history
                .record(&text, start, end, kind, now());
            let byte = utf16_to_byte(&text, end);
            dispatch.emit(Action::SetPolicyText(id, text));
            dispatch.emit(Action::Caret(Some((id, byte))));
        })
    };
    let apply_edit = {
        let show = show.clone();
        move |edited: Edited, kind: EditKind| {
            let start = byte_to_utf16(&edited.text, edited.start);
            let end = byte_to_utf16(&edited.text, edited.end);
            show(edited.text, start, end, kind);
        }
    };
    let autocomplete =
        autocomplete::use_autocomplete(id, textarea.clone(), Rc::new(apply_edit.clone()));
    let undo = {
        let memory = memory.clone();
        let show = show.clone();
        move || {
            let snapshot = memory.borrow_mut().history.undo();
            if let Some(s) = snapshot {
                // Keep the history's position: `show` records nothing new
                // because the text equals the current snapshot.
                show(s.text, s.start, s.end, EditKind::Other);
            }
        }
    };
    let redo = {
        let memory = memory.clone();
        let show = show.clone();
        move || {
            let snapshot = memory.borrow_mut().history.redo();
            if let Some(s) = snapshot {
                show(s.text, s.start, s.end, EditKind::Other);
            }
        }
    };

    let oninput = {
        let memory = memory.clone();
        let dispatch = dispatch.clone();
        let complete_input = autocomplete.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let Some(el) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let input_type = js_sys::Reflect::get(&e, &"inputType".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            let kind = match input_type.as_str() {
                "insertText" | "deleteContentBackward" | "deleteContentForward" => EditKind::Typing,
                _ => EditKind::Other,
            };
            // The one read of the whole text a keystroke needs.
            let text = el.value();
            let (start, end) = selection(&el);
            memory
                .borrow_mut()
                .history
                .record(&text, start, end, kind, now());
            complete_input(&el, &text, kind == EditKind::Typing);
            dispatch.emit(Action::SetPolicyText(id, text));
        })
    };
    // The browser's own undo (context menu, Edit menu) goes through ours.
    // (Yew has no `onbeforeinput`, so the listener is attached here.)
    {
        let undo = undo.clone();
        let redo = redo.clone();
        let textarea = textarea.clone();
        use_effect_with((), move |_| {
            let listener = textarea.cast::<HtmlTextAreaElement>().map(|el| {
                gloo::events::EventListener::new_with_options(
                    &el,
                    "beforeinput",
                    gloo::events::EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let input_type = js_sys::Reflect::get(e, &"inputType".into())
                            .ok()
                            .and_then(|v| v.as_string())
                            .unwrap_or_default();
                        match input_type.as_str() {
                            "historyUndo" => {
                                e.prevent_default();
                                undo();
                            }
                            "historyRedo" => {
                                e.prevent_default();
                                redo();
                            }
                            _ => {}
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }
    let onkeydown = {
        let memory = memory.clone();
        let apply_edit = apply_edit.clone();
        let undo = undo.clone();
        let redo = redo.clone();
        let complete_key = autocomplete.on_keydown.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.is_composing() {
                return;
            }
            let Some(el) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            if complete_key(&e, &el) {
                return;
            }
            let key = e.key();
            let command = e.ctrl_key() || e.meta_key();
            if key == "Escape" {
                memory.borrow_mut().escaped = true;
                return;
            }
            let escaped = std::mem::take(&mut memory.borrow_mut().escaped);
            // The text and selection (bytes), read only by the keys that
            // edit: reading the value copies the whole text.
            let selected = || {
                let text = el.value();
                let (s16, e16) = selection(&el);
                let (start, end) = (utf16_to_byte(&text, s16), utf16_to_byte(&text, e16));
                (text, start, end)
            };
            match key.as_str() {
                "Tab" if !command && !e.alt_key() => {
                    if escaped {
                        // Let the browser move focus: keyboard users are
                        // never trapped in the editor.
                        return;
                    }
                    e.prevent_default();
                    let (text, start, end) = selected();
                    let edited = if e.shift_key() {
                        edit::outdent(&text, start, end)
                    } else {
                        edit::indent(&text, start, end)
                    };
                    apply_edit(edited, EditKind::Other);
                }
                "Enter" if !command && !e.alt_key() => {
                    e.prevent_default();
                    let (text, start, end) = selected();
                    apply_edit(edit::newline(&text, start, end), EditKind::Other);
                }
                _ if command && !e.alt_key() => {
                    let lower = key.to_lowercase();
                    if lower == "z" && !e.shift_key() {
                        e.prevent_default();
                        undo();
                    } else if (lower == "z" && e.shift_key()) || lower == "y" {
                        e.prevent_default();
                        redo();
                    }
                }
                _ => {}
            }
        })
    };
    // Reports the caret (byte offset) so the explanation can follow it.
    let report_caret = {
        let dispatch = dispatch.clone();
        let memory = memory.clone();
        let complete_caret = autocomplete.on_caret.clone();
        Callback::from(move |el: HtmlTextAreaElement| {
            complete_caret(&el);
            let (start, end) = selection(&el);
            let mut m = memory.borrow_mut();
            m.history.set_selection(start, end);
            // The history's text is the textarea's (every edit records
            // it), already in Rust: no copy of the whole value.
            let byte = utf16_to_byte(m.history.text(), end);
            drop(m);
            dispatch.emit(Action::Caret(Some((id, byte))));
        })
    };
    let onkeyup = {
        let report_caret = report_caret.clone();
        let memory = memory.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key().starts_with("Arrow")
                || matches!(e.key().as_str(), "Home" | "End" | "PageUp" | "PageDown")
            {
                memory.borrow_mut().history.break_group();
            }
            if let Some(el) = e.target_dyn_into::<HtmlTextAreaElement>() {
                report_caret.emit(el);
            }
        })
    };
    let onclick = {
        let report_caret = report_caret.clone();
        let memory = memory.clone();
        Callback::from(move |e: MouseEvent| {
            memory.borrow_mut().history.break_group();
            if let Some(el) = e.target_dyn_into::<HtmlTextAreaElement>() {
                report_caret.emit(el);
            }
        })
    };

    // After a programmatic edit (Enter, Tab, undo…), keep the caret's line
    // in view once it is drawn.
    {
        let memory = memory.clone();
        let scroller = scroller.clone();
        use_effect(move || {
            let line = memory.borrow_mut().reveal.take();
            if let Some(line) = line {
                reveal_line(&scroller, line);
            }
        });
    }

    // The textarea's value is set here, and only when it differs from the
    // text: a controlled `value` would be written back on every keystroke,
    // making the browser lay out the whole text again (hundreds of
    // milliseconds for a 1 MB policy) and losing its own caret and undo.
    {
        let textarea = textarea.clone();
        let memory = memory.clone();
        use_effect_with(props.text.clone(), move |text| {
            // A text typed here is already in the textarea: reading the
            // value back would copy the whole text on every keystroke.
            if !std::mem::take(&mut memory.borrow_mut().external) {
                return;
            }
            if let Some(el) = textarea.cast::<HtmlTextAreaElement>() {
                if el.value() != text.as_str() {
                    el.set_value(text);
                }
            }
        });
    }

    // Scroll the explanation's highlight into view inside the editor.
    {
        let scroller = scroller.clone();
        let text = props.text.clone();
        use_effect_with(props.highlight, move |highlight| {
            if let Some(highlight) = highlight {
                if let Some(s) = scroller.cast::<HtmlElement>() {
                    match s.query_selector(".hl-start") {
                        Ok(Some(mark)) => reveal(&s, &mark, true),
                        // Outside the drawn window of a long text.
                        _ => reveal_line_in(&s, line_of(&text, highlight.start as usize)),
                    }
                }
            }
        });
    }
    let onscroll = {
        let viewport = viewport.clone();
        Callback::from(move |e: Event| {
            let Some(el) = e.target_dyn_into::<HtmlElement>() else {
                return;
            };
            let (top, height) = (f64::from(el.scroll_top()), f64::from(el.client_height()));
            let (was_top, was_height) = *viewport;
            let moved = (top - was_top).abs() / window::LINE_PX;
            if moved >= (window::MARGIN_LINES / 3) as f64 || (height - was_height).abs() >= 1.0 {
                viewport.set((top, height));
            }
        })
    };

    let text = props.text.as_str();
    // Linear in the text: for a long one, checked after a pause in typing.
    let format_check =
        crate::live::use_deferred(props.text.clone(), text.len(), |text| format::check(text));
    let onformat = {
        let apply_edit = apply_edit.clone();
        let textarea = textarea.clone();
        let text = props.text.clone();
        Callback::from(move |e: MouseEvent| {
            if let Ok(formatted) = format::format_json(&text) {
                if formatted != text.as_str() {
                    apply_edit(
                        Edited {
                            text: formatted,
                            start: 0,
                            end: 0,
                        },
                        EditKind::Other,
                    );
                }
            }
            // Back to the text after a click; a keyboard user stays on
            // the button (a click from the keyboard has no detail).
            if e.detail() > 0 {
                if let Some(el) = textarea.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    };
    let onundo = {
        let undo = undo.clone();
        let textarea = textarea.clone();
        Callback::from(move |e: MouseEvent| {
            undo();
            // Back to the text after a click; a keyboard user stays on
            // the button (a click from the keyboard has no detail).
            if e.detail() > 0 {
                if let Some(el) = textarea.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    };
    let onredo = {
        let redo = redo.clone();
        let textarea = textarea.clone();
        Callback::from(move |e: MouseEvent| {
            redo();
            // Back to the text after a click; a keyboard user stays on
            // the button (a click from the keyboard has no detail).
            if e.detail() > 0 {
                if let Some(el) = textarea.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    };
    let (can_undo, can_redo) = {
        let m = memory.borrow();
        (m.history.can_undo(), m.history.can_redo())
    };

    // The highlight layer.
    let mut decorations: Vec<Decoration> = props
        .diagnostics
        .iter()
        .map(|d| Decoration {
            kind: match d.severity {
                Severity::Error => DecorationKind::Error,
                Severity::SecurityWarning => DecorationKind::SecurityWarning,
                Severity::Warning => DecorationKind::Warning,
                Severity::Suggestion => DecorationKind::Suggestion,
            },
            start: d.span.start as usize,
            end: d.span.end as usize,
        })
        .collect();
    if let Some(h) = props.highlight {
        decorations.push(Decoration {
            kind: DecorationKind::Highlight,
            start: h.start as usize,
            end: h.end as usize,
        });
    }
    // A long text is drawn windowed: only the lines in view and a margin.
    let lines = line_count(text);
    let drawn: Option<Window> = (lines > window::WINDOWED_FROM_LINES)
        .then(|| window::window(text, lines, viewport.0, viewport.1));
    // One keyed component per line: an edit redraws only the lines it
    // touches (keys follow the line's look, so unchanged lines are reused
    // even when lines are inserted above them).
    let layer_lines = use_memo(
        (props.text.clone(), decorations, drawn),
        |(text, decorations, drawn)| match drawn {
            Some(w) => keyed_lines(
                text.get(w.start..w.end).unwrap_or(""),
                &window::shift(decorations, w.start, w.end),
            ),
            None => keyed_lines(text, decorations),
        },
    );
    let widest = crate::live::use_deferred(props.text.clone(), text.len(), |text| {
        window::widest_line(text)
    });
    let layer = layer_lines.iter().map(|(key, pieces)| {
        html! { <LayerLine key={key.clone()} pieces={pieces.clone()} /> }
    });
    // A final line break needs something after it to get its own line.
    let reaches_end = drawn.is_none_or(|w| w.end >= text.len());
    let tail = if reaches_end && (text.ends_with('\n') || text.is_empty()) {
        " "
    } else {
        ""
    };
    // Windowed: the layer keeps the whole text's size, and a spacer stands
    // for the lines above the window.
    let (layer_style, spacer) = match drawn {
        Some(w) => (
            Some(format!(
                "height: {}px; min-width: calc({}ch + 2 * var(--ed-pad-x) + 3rem)",
                // Whole pixels (integer formatting is far smaller than float).
                (2.0 * window::PAD_PX + window::LINE_PX * (lines + 1) as f64) as u64,
                *widest
            )),
            Some((w.first as f64 * window::LINE_PX) as u64),
        ),
        None => (None, None),
    };
    let layer_spacer = spacer.map(|px| {
        html! { <span class="editor__spacer" style={format!("display: block; height: {px}px")}></span> }
    });
    let gutter_spacer = spacer.map(|px| {
        html! { <div class="editor__spacer" style={format!("height: {px}px")}></div> }
    });

    // Gutter: line numbers with the worst finding of each line.
    let line_marks = findings::worst_by_line(&props.diagnostics, lines);
    let gutter_lines = match drawn {
        Some(w) => w.first + 1..=w.last,
        None => 1..=lines,
    };
    let gutter = gutter_lines.map(|n| {
        let mark = line_marks.get(n).cloned().flatten();
        let mark = mark.map(|(severity, msg)| {
            let look = findings::look(severity);
            let class = format!("marker marker--{}", look.class);
            html! {
                <span {class} data-testid="marker" data-line={n.to_string()}
                    data-severity={severity.as_str()} title={msg}>
                    <span class="visually-hidden">{ format!("{} on line {n}: ", look.label) }</span>
                </span>
            }
        });
        html! {
            <div class="gutter__line" data-ln={n.to_string()}>{ mark }<span class="gutter__num">{ n }</span></div>
        }
    });

    let hint_id = format!("editor-hint-{id}");
    let format_note_id = format!("format-note-{id}");
    let format_note = match &*format_check {
        Ok(()) => Html::default(),
        Err(err) => html! {
            <span id={format_note_id.clone()} class="editor__format-note"
                title={format!("Format needs valid JSON ({err})")}>
                { format!("Format needs valid JSON ({err})") }
            </span>
        },
    };
    let format_title = match &*format_check {
        Ok(()) => "Pretty-print the policy (content is kept exactly)".to_owned(),
        Err(err) => format!("Format is unavailable: the JSON does not parse ({err})"),
    };

    html! {
        <div class="editor">
            <div class="editor__bar">
                <button type="button" class="btn btn--small" data-testid="format"
                    disabled={format_check.is_err()} title={format_title}
                    aria-describedby={format_check.is_err().then(|| format_note_id.clone())}
                    onclick={onformat}>{ "Format" }</button>
                <button type="button" class="btn btn--small" data-testid="undo"
                    disabled={!can_undo} title="Undo (Ctrl+Z)" onclick={onundo}>{ "Undo" }</button>
                <button type="button" class="btn btn--small" data-testid="redo"
                    disabled={!can_redo} title="Redo (Ctrl+Shift+Z or Ctrl+Y)" onclick={onredo}>{ "Redo" }</button>
                { format_note }
            </div>
            <div class="editor__scroller" ref={scroller} {onscroll}>
                <div class="editor__body">
                    <div class="gutter" aria-hidden="true">{ for gutter_spacer }{ for gutter }</div>
                    <div class="editor__code">
                        <pre class="editor__layer" aria-hidden="true" style={layer_style}>{ for layer_spacer }{ for layer }{ tail }</pre>
                        <textarea
                            ref={textarea}
                            class="editor__input"
                            data-testid="policy-text"
                            spellcheck="false"
                            autocomplete="off"
                            autocapitalize="off"
                            wrap="off"
                            aria-label={format!("Policy JSON: {}", props.name)}
                            aria-describedby={hint_id.clone()}
                            aria-invalid={props.diagnostics.iter().any(Diagnostic::is_error).to_string()}
                            aria-autocomplete="list"
                            aria-controls={autocomplete.controls.clone()}
                            aria-activedescendant={autocomplete.active.clone()}
                            onblur={autocomplete.onblur.clone()}
                            onmousemove={autocomplete.onmousemove.clone()}
                            {oninput}
                            {onkeydown}
                            {onkeyup}
                            {onclick}
                        />
                        { autocomplete.popup.clone() }
                    </div>
                </div>
            </div>
            <p class="editor__info" data-testid="action-info" aria-live="polite">
                { autocomplete.info.clone().unwrap_or_default() }
            </p>
            <p id={hint_id} class="visually-hidden">
                { "Tab inserts two spaces and Shift+Tab removes them. To leave the editor with the keyboard, press Escape, then Tab. In an Action or a condition key, suggestions appear as you type (Ctrl+Space to ask): arrows choose, Enter or Tab accepts, Escape closes." }
            </p>
        </div>
    }
}

/// Moves the caret of the editor of policy `id` to byte offset `byte`,
/// focuses it and scrolls the line into view (used by the problems list).
pub fn focus_at(id: u32, byte: usize) -> Option<()> {
    let document = gloo::utils::document();
    let card = document
        .query_selector(&format!("[data-policy-id=\"{id}\"]"))
        .ok()??;
    let el: HtmlTextAreaElement = card
        .query_selector("[data-testid=policy-text]")
        .ok()??
        .dyn_into()
        .ok()?;
    let text = el.value();
    let at = byte_to_utf16(&text, byte);
    el.focus().ok()?;
    el.set_selection_range(at, at).ok()?;
    let scroller: HtmlElement = card
        .query_selector(".editor__scroller")
        .ok()??
        .dyn_into()
        .ok()?;
    reveal_line_in(&scroller, line_of(&text, byte));
    Some(())
}

/// Replaces the text of the editor of policy `id` with `text` and puts the
/// caret at byte offset `caret`, through the editor's own input path (an
/// `input` event), so the change is recorded in its history and Undo
/// reverts it (used by the problems list's quick fixes). The editor gets
/// the focus.
pub fn replace_text(id: u32, text: &str, caret: usize) -> Option<()> {
    let document = gloo::utils::document();
    let card = document
        .query_selector(&format!("[data-policy-id=\"{id}\"]"))
        .ok()??;
    let el: HtmlTextAreaElement = card
        .query_selector("[data-testid=policy-text]")
        .ok()??
        .dyn_into()
        .ok()?;
    // The button goes away with its finding: the caret, at the fix, keeps
    // the focus somewhere useful.
    el.focus().ok()?;
    el.set_value(text);
    let at = byte_to_utf16(text, caret);
    el.set_selection_range(at, at).ok()?;
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("input", &init).ok()?;
    el.dispatch_event(&event).ok()?;
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_keys_are_unique_and_follow_the_content() {
        let text = "{\n  \"a\": 1,\n  \"a\": 1,\n  \"a\": 1\n}";
        let keyed = keyed_lines(text, &[]);
        let mut keys: Vec<&str> = keyed.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys.len(), 5);
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), 5, "repeated lines get distinct keys");
        // Inserting a line on top keeps the keys of the lines below.
        let below: Vec<String> = keyed.iter().skip(1).map(|(k, _)| k.clone()).collect();
        let again = keyed_lines(&format!("\n{text}"), &[]);
        for k in &below {
            assert!(again.iter().any(|(k2, _)| k2 == k), "{k} was kept");
        }
    }
}
