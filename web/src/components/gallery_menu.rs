//! The examples gallery menu: each example's title, what it teaches and its
//! expected decision.

use yew::prelude::*;

use crate::gallery::{Example, EXAMPLES};

/// Properties of [`gallery_menu`].
#[derive(Properties, PartialEq)]
pub struct GalleryMenuProps {
    /// Called with the chosen example.
    pub onpick: Callback<Example>,
    /// Called on Escape.
    pub onclose: Callback<()>,
}

fn decision_class(label: &str) -> &'static str {
    match label {
        "Allow" => "chip--allow",
        "Explicit deny" => "chip--explicit-deny",
        _ => "chip--implicit-deny",
    }
}

/// The list of examples (`data-testid="example"`, `data-example="01-…"`).
pub fn gallery_menu(props: &GalleryMenuProps) -> Html {
    let items = EXAMPLES.iter().map(|example| {
        let example = *example;
        let onclick = {
            let onpick = props.onpick.clone();
            Callback::from(move |_: MouseEvent| onpick.emit(example))
        };
        let label = example.expected_label();
        let number = example.id.split('-').next().unwrap_or("");
        html! {
            <li key={example.id}>
                <button type="button" class="gallery__item" {onclick} data-testid="example" data-example={example.id}
                    data-expected={label}>
                    <span class="gallery__head">
                        <span class="gallery__number" aria-hidden="true">{ number }</span>
                        <span class="gallery__title">{ example.title() }</span>
                        <span class={classes!("chip", decision_class(label))}>{ label }</span>
                    </span>
                    <span class="gallery__lesson">{ example.description() }</span>
                </button>
            </li>
        }
    });
    let onkeydown = {
        let onclose = props.onclose.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                onclose.emit(());
            }
        })
    };
    html! {
        <div class="gallery" id="gallery-menu" {onkeydown}>
            <p class="gallery__intro">{ "Each example teaches one rule of AWS's evaluation; its expected decision is checked by the engine's test suite." }</p>
            <ul class="gallery__list" data-testid="gallery-list">{ for items }</ul>
        </div>
    }
}
