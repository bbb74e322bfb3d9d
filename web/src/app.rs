//! The top-level component: page header, main area and footer.

use yew::prelude::*;

use crate::components::{DecisionPanel, Footer, Header};
use crate::state::State;

/// The whole application.
///
/// For now it shows the engine's identification in the decision region; the
/// policy editors, request form and trace view will live in the main area.
#[component]
pub fn App() -> Html {
    let state = use_memo((), |()| State::new());
    html! {
        <div class="layout">
            <Header />
            <main class="main" id="main">
                <DecisionPanel text={state.decision_text()} />
            </main>
            <Footer />
        </div>
    }
}
