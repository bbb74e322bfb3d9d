//! A policy's problems list: each diagnostic with its line and column;
//! clicking one puts the caret there.

use std::rc::Rc;

use iam_engine::Diagnostic;
use yew::prelude::*;

use super::policy_editor::focus_at;
use super::use_app;
use crate::state::Action;

/// Properties of [`Problems`].
#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    /// The policy draft id the diagnostics point into.
    pub id: u32,
    /// The diagnostics.
    pub diagnostics: Rc<Vec<Diagnostic>>,
}

/// The problems of one policy (`data-testid="problems"`), errors first.
#[component]
pub fn Problems(props: &ProblemsProps) -> Html {
    let app = use_app();
    if props.diagnostics.is_empty() {
        return html! {
            <ul class="problems problems--empty" data-testid="problems" aria-label="Problems"></ul>
        };
    }
    let mut sorted: Vec<&Diagnostic> = props.diagnostics.iter().collect();
    sorted.sort_by_key(|d| (!d.is_error(), d.line, d.column));
    let id = props.id;
    let items = sorted.into_iter().map(|d| {
        let byte = d.span.start as usize;
        let onclick = {
            let app = app.clone();
            Callback::from(move |_: MouseEvent| {
                focus_at(id, byte);
                if let Some(app) = &app {
                    app.dispatch(Action::Caret(Some((id, byte))));
                }
            })
        };
        let (class, label) = if d.is_error() {
            ("problem problem--error", "Error")
        } else {
            ("problem problem--warning", "Warning")
        };
        html! {
            <li {class} data-testid="problem" data-line={d.line.to_string()}
                data-column={d.column.to_string()} data-code={d.code} {onclick}>
                <button type="button" class="problem__go"
                    title="Put the caret at this problem">
                    <span class="problem__icon" aria-hidden="true"></span>
                    <span class="visually-hidden">{ format!("{label}: ") }</span>
                    <span class="problem__where">{ format!("{}:{}", d.line, d.column) }</span>
                    <span class="problem__text">
                        <span class="problem__message">{ &d.message }</span>
                        if let Some(help) = &d.help {
                            <span class="problem__help">{ help }</span>
                        }
                    </span>
                </button>
            </li>
        }
    });
    html! {
        <ul class="problems" data-testid="problems" aria-label="Problems">{ for items }</ul>
    }
}
