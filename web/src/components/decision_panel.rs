//! The region that shows the evaluation result.

use yew::prelude::*;

/// Properties of [`DecisionPanel`].
#[derive(Properties, PartialEq)]
pub struct DecisionPanelProps {
    /// The text to show in the decision region.
    pub text: AttrValue,
}

/// The decision region (`data-testid="decision"`).
///
/// It is an `aria-live` region so screen readers announce new decisions.
#[component]
pub fn DecisionPanel(props: &DecisionPanelProps) -> Html {
    html! {
        <section class="panel decision" aria-labelledby="decision-heading">
            <h2 id="decision-heading" class="panel__title">{ "Decision" }</h2>
            <p class="decision__text" data-testid="decision" aria-live="polite">
                { props.text.clone() }
            </p>
        </section>
    }
}
