//! The editor's suggestion list: a listbox under the caret, driven from the
//! editor's textarea by the keyboard (arrows, Enter or Tab, Escape) through
//! `aria-activedescendant`, or by the mouse.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::editor::complete::Item;

/// Properties of [`CompletionPopup`].
#[derive(Properties, PartialEq)]
pub struct CompletionPopupProps {
    /// The listbox's element id (the textarea's `aria-controls`).
    pub id: AttrValue,
    /// The suggestions.
    pub items: Rc<Vec<Item>>,
    /// The highlighted one.
    pub active: usize,
    /// Where it goes: CSS `top`/`bottom` and `left` (it is `position:
    /// fixed`, so the editor's scroller never clips it).
    pub position: AttrValue,
    /// A suggestion was clicked.
    pub onselect: Callback<usize>,
}

/// The id of option `i` of listbox `id`.
pub fn option_id(id: &str, i: usize) -> String {
    format!("{id}-option-{i}")
}

/// The suggestion list.
#[component]
pub fn CompletionPopup(props: &CompletionPopupProps) -> Html {
    let list = use_node_ref();
    // Keep the highlighted option in view.
    {
        let list = list.clone();
        let id = option_id(&props.id, props.active);
        use_effect_with(props.active, move |_| {
            let list = list.cast::<web_sys::HtmlElement>();
            let option = list
                .as_ref()
                .and_then(|l| l.query_selector(&format!("#{id}")).ok().flatten())
                .and_then(|o| o.dyn_into::<web_sys::HtmlElement>().ok());
            if let (Some(list), Some(option)) = (list, option) {
                // Scroll the list only (never the page).
                let top = option.offset_top();
                let bottom = top + option.offset_height();
                if top < list.scroll_top() {
                    list.set_scroll_top(top);
                } else if bottom > list.scroll_top() + list.client_height() {
                    list.set_scroll_top(bottom - list.client_height());
                }
            }
        });
    }
    let style = props.position.clone();
    let options = props.items.iter().enumerate().map(|(i, item)| {
        let selected = i == props.active;
        let onmousedown = {
            let onselect = props.onselect.clone();
            // Keep the focus in the textarea.
            Callback::from(move |e: MouseEvent| {
                e.prevent_default();
                onselect.emit(i);
            })
        };
        html! {
            <li id={option_id(&props.id, i)} role="option" class={classes!("completion__option", selected.then_some("completion__option--active"))}
                aria-selected={selected.to_string()} data-testid="completion-option" {onmousedown}>
                <span class="completion__label">{ item.label.clone() }</span>
                <span class="completion__detail">{ item.detail.clone() }</span>
            </li>
        }
    });
    html! {
        <ul id={props.id.clone()} ref={list} class="completion" role="listbox" aria-label="Suggestions"
            data-testid="completion" {style}>
            { for options }
        </ul>
    }
}
