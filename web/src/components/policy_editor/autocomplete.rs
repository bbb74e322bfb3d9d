//! The editor's catalogue features as one hook: the suggestion list while
//! typing in an `Action` string or a condition key (keyboard and mouse),
//! the access level and resource types of the action (or the type and
//! scope of the condition key) at the caret (a status line) and under the
//! mouse (the textarea's tooltip). The logic is
//! in [`crate::editor::complete`]; this wires it to the textarea.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use iam_engine::Catalog;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement, KeyboardEvent};
use yew::prelude::*;

use crate::catalog::use_catalog;
use crate::components::completion_popup::{option_id, CompletionPopup};
use crate::editor::complete::{complete, info_at, Completion};
use crate::editor::edit::Edited;
use crate::editor::history::EditKind;
use crate::editor::utf16::utf16_to_byte;

/// An open suggestion list.
struct Open {
    completion: Rc<Completion>,
    items: Rc<Vec<crate::editor::complete::Item>>,
    active: usize,
    /// CSS position of the list.
    position: String,
}

/// Applies an edit to the editor (text and selection, in bytes).
pub type ApplyEdit = Rc<dyn Fn(Edited, EditKind)>;
/// Called after an input: the textarea, and whether it was typing.
pub type OnInput = Rc<dyn Fn(&HtmlTextAreaElement, &str, bool)>;
/// Called on a keydown; `true` when handled.
pub type OnKeydown = Rc<dyn Fn(&KeyboardEvent, &HtmlTextAreaElement) -> bool>;
/// Text and a byte offset in it.
type AtCaret = Rc<dyn Fn(&str, usize)>;
/// An item index and the current text.
type Accept = Rc<dyn Fn(usize, &str)>;

/// What the editor needs from [`use_autocomplete`].
pub struct Autocomplete {
    /// The list, to render inside the code box (empty when closed).
    pub popup: Html,
    /// The action at the caret, described (for a status line).
    pub info: Option<String>,
    /// The list's id while it is open (`aria-controls`).
    pub controls: Option<String>,
    /// The highlighted option's id (`aria-activedescendant`).
    pub active: Option<String>,
    /// Call after each input: `typing` opens or updates the list.
    pub on_input: OnInput,
    /// Call first on each keydown; `true` means it was handled.
    pub on_keydown: OnKeydown,
    /// Call when the caret may have moved.
    pub on_caret: Rc<dyn Fn(&HtmlTextAreaElement)>,
    /// Closes the list (when the editor loses focus).
    pub onblur: Callback<FocusEvent>,
    /// Shows the hovered action in the textarea's tooltip.
    pub onmousemove: Callback<MouseEvent>,
}

/// Line (0-based) and column (characters) of byte `at`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count();
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, column)
}

/// Byte offset of line `line` (0-based), column `column` (characters),
/// clamped to the line.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i == line {
            let within = l.char_indices().nth(column).map_or(l.len(), |(b, _)| b);
            return Some(start + within);
        }
        start += l.len() + 1;
    }
    None
}

fn caret_byte(el: &HtmlTextAreaElement) -> (String, usize) {
    let text = el.value();
    let caret = el.selection_end().ok().flatten().unwrap_or(0);
    let byte = utf16_to_byte(&text, caret);
    (text, byte)
}

fn px(style: &web_sys::CssStyleDeclaration, property: &str) -> f64 {
    // JavaScript's `parseFloat` (it stops at the `px`) rather than Rust's
    // float parser, so the app does not keep that parser (and its 10 KB
    // table) in the module on its own.
    style
        .get_property_value(property)
        .ok()
        .map(|v| js_sys::Number::parse_float(v.trim_end_matches("px")))
        .filter(|n| n.is_finite())
        .unwrap_or(0.0)
}

/// The textarea's text metrics: line height, character width, padding.
struct Metrics {
    line_height: f64,
    char_width: f64,
    pad_left: f64,
    pad_top: f64,
    rect: web_sys::DomRect,
}

fn metrics(el: &HtmlTextAreaElement) -> Option<Metrics> {
    let window = web_sys::window()?;
    let style = window.get_computed_style(el).ok()??;
    let rect = el.get_bounding_client_rect();
    let line_height = px(&style, "line-height");
    // One character's width, measured with the textarea's own font.
    let document = window.document()?;
    let probe: HtmlElement = document.create_element("span").ok()?.dyn_into().ok()?;
    probe.set_text_content(Some("0000000000"));
    let _ = probe.set_attribute(
        "style",
        &format!(
            "position:absolute;visibility:hidden;white-space:pre;font-family:{};font-size:{};letter-spacing:0",
            style.get_property_value("font-family").unwrap_or_default(),
            style.get_property_value("font-size").unwrap_or_default()
        ),
    );
    let parent = el.parent_element()?;
    parent.append_child(&probe).ok()?;
    let char_width = probe.get_bounding_client_rect().width() / 10.0;
    probe.remove();
    if line_height <= 0.0 || char_width <= 0.0 {
        return None;
    }
    Some(Metrics {
        line_height,
        char_width,
        pad_left: px(&style, "padding-left"),
        pad_top: px(&style, "padding-top"),
        rect,
    })
}

/// The text offset under the mouse in a monospace textarea.
fn offset_at_point(el: &HtmlTextAreaElement, e: &MouseEvent, text: &str) -> Option<usize> {
    let m = metrics(el)?;
    let x = f64::from(e.client_x()) - m.rect.left() - m.pad_left;
    let y = f64::from(e.client_y()) - m.rect.top() - m.pad_top;
    if x < 0.0 || y < 0.0 {
        return None;
    }
    offset_of(
        text,
        (y / m.line_height) as usize,
        (x / m.char_width) as usize,
    )
}

/// Where the list for a site at `line`, `column` goes: below that line,
/// or above it when the window has no room below; inside the window.
fn list_position(el: Option<HtmlTextAreaElement>, line: usize, column: usize) -> String {
    const HEIGHT: f64 = 230.0;
    const WIDTH: f64 = 300.0;
    let Some(m) = el.as_ref().and_then(metrics) else {
        return "display: none".to_owned();
    };
    let (width, height) = web_sys::window()
        .map(|w| {
            let get = |v: Result<wasm_bindgen::JsValue, _>| {
                v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0)
            };
            (get(w.inner_width()), get(w.inner_height()))
        })
        .unwrap_or((0.0, 0.0));
    let top = m.rect.top() + m.pad_top + line as f64 * m.line_height;
    let left = (m.rect.left() + m.pad_left + column as f64 * m.char_width)
        .min(width - WIDTH)
        .max(0.0);
    let below = top + m.line_height;
    // Whole pixels, rounded as `{:.0}` would, but through integer
    // formatting: the float formatter is 6 KB (gzipped) of the module.
    let whole = |v: f64| v.round_ties_even() as i64;
    let left = whole(left);
    if below + HEIGHT <= height || top < HEIGHT {
        format!("top: {}px; left: {left}px", whole(below))
    } else {
        format!("bottom: {}px; left: {left}px", whole(height - top))
    }
}

/// The catalogue features of the editor of policy `id`.
#[hook]
pub fn use_autocomplete(id: u32, textarea: NodeRef, apply: ApplyEdit) -> Autocomplete {
    let catalog = use_catalog();
    let open: Rc<RefCell<Option<Open>>> = use_mut_ref(|| None);
    // A refresh, and a caret update, waiting for a pause in typing (long
    // texts).
    let pending: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let caret_pending: Rc<RefCell<Option<Timeout>>> = use_mut_ref(|| None);
    let info = use_state(|| None::<String>);
    let redraw = use_force_update();
    let listbox_id = format!("completion-{id}");

    // Opens, updates or closes the list for the caret of `el`.
    let refresh: AtCaret = {
        let open = open.clone();
        let catalog = catalog.clone();
        let redraw = redraw.clone();
        let textarea = textarea.clone();
        Rc::new(move |text: &str, caret: usize| {
            // The highlighted suggestion stays highlighted while it is
            // still offered.
            let highlighted = open
                .borrow()
                .as_ref()
                .and_then(|o| o.items.get(o.active).map(|i| i.label.clone()));
            let next = catalog
                .as_deref()
                .and_then(|c: &Catalog| complete(c, text, caret))
                .map(|completion| {
                    let (line, column) = line_column(text, completion.start);
                    let active = highlighted
                        .and_then(|label| completion.items.iter().position(|i| i.label == label))
                        .unwrap_or(0);
                    Open {
                        items: Rc::new(completion.items.clone()),
                        completion: Rc::new(completion),
                        active,
                        position: list_position(textarea.cast(), line, column),
                    }
                });
            let was_open = open.borrow().is_some();
            let is_open = next.is_some();
            *open.borrow_mut() = next;
            if was_open || is_open {
                redraw.force_update();
            }
        })
    };
    let close: Rc<dyn Fn()> = {
        let open = open.clone();
        let redraw = redraw.clone();
        Rc::new(move || {
            if open.borrow_mut().take().is_some() {
                redraw.force_update();
            }
        })
    };
    // Replaces the site with item `i`.
    let accept: Accept = {
        let open = open.clone();
        let apply = apply.clone();
        let refresh = refresh.clone();
        let close = close.clone();
        Rc::new(move |i: usize, text: &str| {
            let chosen = open.borrow().as_ref().and_then(|o| {
                let item = o.items.get(i)?.clone();
                Some((o.completion.start, o.completion.end, item))
            });
            let Some((start, end, item)) = chosen else {
                return;
            };
            let (Some(head), Some(tail)) = (text.get(..start), text.get(end..)) else {
                return close();
            };
            let new_text = format!("{head}{}{tail}", item.insert);
            let caret = start + item.insert.len();
            close();
            apply(
                Edited {
                    text: new_text.clone(),
                    start: caret,
                    end: caret,
                },
                EditKind::Other,
            );
            if item.continues {
                refresh(&new_text, caret);
            }
        })
    };

    // The list sits in window coordinates: scrolling moves it along.
    {
        let refresh = refresh.clone();
        let textarea = textarea.clone();
        let is_open = open.borrow().is_some();
        use_effect_with(is_open, move |is_open| {
            let listener = is_open.then(|| {
                gloo::events::EventListener::new_with_options(
                    &gloo::utils::window(),
                    "scroll",
                    gloo::events::EventListenerOptions::run_in_capture_phase(),
                    move |e| {
                        // Scrolling the list itself changes nothing.
                        let in_list = e
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                            .is_some_and(|t| t.class_list().contains("completion"));
                        if let (false, Some(el)) = (in_list, textarea.cast::<HtmlTextAreaElement>())
                        {
                            let (text, caret) = caret_byte(&el);
                            refresh(&text, caret);
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }
    let on_input: OnInput = {
        let refresh = refresh.clone();
        let close = close.clone();
        let pending = pending.clone();
        Rc::new(move |el: &HtmlTextAreaElement, text: &str, typing: bool| {
            if !typing {
                pending.borrow_mut().take();
                close();
                return;
            }
            if text.len() < crate::live::DEFER_FROM_BYTES {
                let caret = el.selection_end().ok().flatten().unwrap_or(0);
                refresh(text, utf16_to_byte(text, caret));
                return;
            }
            // Finding the completion site reads the whole text: in a long
            // one, after a pause in typing (a newer keystroke cancels it).
            let el = el.clone();
            let refresh = refresh.clone();
            *pending.borrow_mut() = Some(Timeout::new(crate::live::DEBOUNCE_MS, move || {
                let (text, caret) = caret_byte(&el);
                refresh(&text, caret);
            }));
        })
    };
    let on_keydown: OnKeydown = {
        let open = open.clone();
        let redraw = redraw.clone();
        let refresh = refresh.clone();
        let close = close.clone();
        let accept = accept.clone();
        Rc::new(move |e: &KeyboardEvent, el: &HtmlTextAreaElement| {
            let key = e.key();
            if key == " " && e.ctrl_key() {
                e.prevent_default();
                let (text, caret) = caret_byte(el);
                refresh(&text, caret);
                return true;
            }
            let Some(len) = open.borrow().as_ref().map(|o| o.items.len()) else {
                return false;
            };
            let modified = e.ctrl_key() || e.meta_key() || e.alt_key() || e.shift_key();
            match key.as_str() {
                "ArrowDown" | "ArrowUp" if !modified => {
                    e.prevent_default();
                    if let Some(o) = open.borrow_mut().as_mut() {
                        o.active = if key == "ArrowDown" {
                            (o.active + 1) % len.max(1)
                        } else {
                            (o.active + len.max(1) - 1) % len.max(1)
                        };
                    }
                    redraw.force_update();
                    true
                }
                "Enter" | "Tab" if !modified => {
                    e.prevent_default();
                    let active = open.borrow().as_ref().map_or(0, |o| o.active);
                    accept(active, &el.value());
                    true
                }
                "Escape" => {
                    e.prevent_default();
                    close();
                    true
                }
                _ => false,
            }
        })
    };
    let on_caret: Rc<dyn Fn(&HtmlTextAreaElement)> = {
        let open = open.clone();
        let refresh = refresh.clone();
        let info = info.clone();
        let catalog = catalog.clone();
        let pending = caret_pending.clone();
        let run = Rc::new(move |el: &HtmlTextAreaElement| {
            let (text, caret) = caret_byte(el);
            // A list follows the caret within its string, and closes
            // outside it.
            if open.borrow().is_some() {
                refresh(&text, caret);
            }
            let next = catalog.as_deref().and_then(|c| info_at(c, &text, caret));
            if *info != next {
                info.set(next);
            }
        });
        Rc::new(move |el: &HtmlTextAreaElement| {
            // Reading the text and finding the site at the caret are
            // linear in the text: in a long one, after a pause.
            if (el.text_length() as usize) < crate::live::DEFER_FROM_BYTES {
                run(el);
                return;
            }
            let el = el.clone();
            let run = run.clone();
            *pending.borrow_mut() = Some(Timeout::new(crate::live::DEBOUNCE_MS, move || run(&el)));
        })
    };
    let onblur = {
        let close = close.clone();
        Callback::from(move |_: FocusEvent| close())
    };
    let onmousemove = {
        let catalog = catalog.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(catalog) = catalog.as_deref() else {
                return;
            };
            let Some(el) = e.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            let text = el.value();
            let title = offset_at_point(&el, &e, &text)
                .and_then(|at| info_at(catalog, &text, at))
                .unwrap_or_default();
            if el.title() != title {
                el.set_title(&title);
            }
        })
    };

    let (popup, controls, active) = match open.borrow().as_ref() {
        Some(o) => {
            let onselect = {
                let accept = accept.clone();
                let textarea = textarea.clone();
                Callback::from(move |i: usize| {
                    if let Some(el) = textarea.cast::<HtmlTextAreaElement>() {
                        accept(i, &el.value());
                    }
                })
            };
            (
                html! {
                    <CompletionPopup id={listbox_id.clone()} items={o.items.clone()} active={o.active}
                        position={o.position.clone()} {onselect} />
                },
                Some(listbox_id.clone()),
                Some(option_id(&listbox_id, o.active)),
            )
        }
        None => (Html::default(), None, None),
    };
    Autocomplete {
        popup,
        info: (*info).clone(),
        controls,
        active,
        on_input,
        on_keydown,
        on_caret,
        onblur,
        onmousemove,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "{\n  \"Action\": \"s3:é\"\n}";
        assert_eq!(line_column(text, 0), (0, 0));
        let at = text.find("s3").unwrap();
        assert_eq!(line_column(text, at), (1, 13));
        assert_eq!(offset_of(text, 1, 13), Some(at));
        assert_eq!(offset_of(text, 1, 999), text.find("\n}"));
        assert_eq!(offset_of(text, 9, 0), None);
    }
}
