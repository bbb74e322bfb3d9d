//! The decision and its explanation.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::EvalView;

/// Properties of [`DecisionPanel`].
#[derive(Properties, PartialEq)]
pub struct DecisionPanelProps {
    /// The evaluation of the current workspace.
    pub view: Rc<EvalView>,
}

/// The decision region (`data-testid="decision"`), an `aria-live` region so
/// screen readers announce new decisions.
#[component]
pub fn DecisionPanel(props: &DecisionPanelProps) -> Html {
    let view = &props.view;
    let (class, label, summary) = match &view.evaluation {
        Some(e) => {
            let (class, label) = match e.decision {
                iam_engine::Decision::Allow => ("decision--allow", "Allow"),
                iam_engine::Decision::ExplicitDeny => ("decision--explicit-deny", "Explicit deny"),
                iam_engine::Decision::ImplicitDeny => ("decision--implicit-deny", "Implicit deny"),
            };
            (class, label.to_owned(), e.summary.clone())
        }
        None => (
            "decision--none",
            "No decision".to_owned(),
            format!(
                "Fix the {} problem(s) to see a decision.",
                view.error_count()
            ),
        ),
    };
    html! {
        <section class={classes!("panel", "decision", class)} aria-labelledby="decision-heading">
            <h2 id="decision-heading" class="panel__title">{ "Decision" }</h2>
            <p class="decision__badge" data-testid="decision" aria-live="polite">{ label }</p>
            <p class="decision__summary" data-testid="summary">{ summary }</p>
        </section>
    }
}
