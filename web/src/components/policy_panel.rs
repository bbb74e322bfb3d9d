//! The list of policy editors.

use std::rc::Rc;

use yew::prelude::*;

use super::use_app;
use crate::state::{Action, EvalView};

/// Properties of [`PolicyPanel`].
#[derive(Properties, PartialEq)]
pub struct PolicyPanelProps {
    /// The evaluation, for each policy's diagnostics.
    pub view: Rc<EvalView>,
}

/// The policies being evaluated, one editor each.
#[component]
pub fn PolicyPanel(props: &PolicyPanelProps) -> Html {
    let Some(app) = use_app() else {
        return Html::default();
    };
    let editors = app.workspace.policies.iter().map(|p| {
        let id = p.id;
        let oninput = {
            let app = app.clone();
            Callback::from(move |e: InputEvent| {
                if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                    app.dispatch(Action::SetPolicyText(id, t.value()));
                }
            })
        };
        let problems = props.view.diagnostics_of(id).iter().map(|d| html! {
            <li class={classes!("problem", if d.is_error() { "problem--error" } else { "problem--warning" })}>
                { format!("{}:{}: {}", d.line, d.column, d.message) }
            </li>
        });
        html! {
            <article class="policy" key={id}>
                <h3 class="policy__name">{ format!("{} ({})", p.name, p.policy_type.label()) }</h3>
                <textarea class="policy__text" spellcheck="false" aria-label={format!("Policy {}", p.name)} value={p.text.clone()} {oninput} data-testid="policy-text" />
                <ul class="problems" data-testid="problems">{ for problems }</ul>
            </article>
        }
    });
    html! {
        <section class="panel policies" aria-labelledby="policies-heading">
            <h2 id="policies-heading" class="panel__title">{ "Policies" }</h2>
            { for editors }
        </section>
    }
}
