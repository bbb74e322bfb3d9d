//! The request form.

use std::rc::Rc;

use yew::prelude::*;

use super::use_app;
use crate::state::{Action, EvalView};

/// Properties of [`RequestPanel`].
#[derive(Properties, PartialEq)]
pub struct RequestPanelProps {
    /// The evaluation, for request problems and missing keys.
    pub view: Rc<EvalView>,
}

/// Principal, action, resource and context of the request.
#[component]
pub fn RequestPanel(props: &RequestPanelProps) -> Html {
    let Some(app) = use_app() else {
        return Html::default();
    };
    let field = |label: &'static str,
                 value: String,
                 make: fn(String) -> Action,
                 testid: &'static str| {
        let app = app.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                app.dispatch(make(t.value()));
            }
        });
        html! {
            <label class="field">
                <span class="field__label">{ label }</span>
                <input class="field__input" type="text" spellcheck="false" {value} {oninput} data-testid={testid} />
            </label>
        }
    };
    let r = &app.workspace.request;
    let problems = props
        .view
        .request_diagnostics
        .iter()
        .map(|d| html! { <li class="problem problem--error">{ &d.message }</li> });
    html! {
        <section class="panel request" aria-labelledby="request-heading">
            <h2 id="request-heading" class="panel__title">{ "Request" }</h2>
            { field("Principal", r.principal.clone(), Action::SetPrincipal, "principal") }
            { field("Action", r.action.clone(), Action::SetAction, "action") }
            { field("Resource", r.resource.clone(), Action::SetResource, "resource") }
            { field("Resource account", r.resource_account.clone(), Action::SetResourceAccount, "resource-account") }
            <ul class="problems">{ for problems }</ul>
        </section>
    }
}
