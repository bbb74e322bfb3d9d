//! The toolbar: examples, share, import and export.

use yew::prelude::*;

/// Actions on the whole scenario.
#[component]
pub fn Toolbar() -> Html {
    html! { <nav class="toolbar" aria-label="Scenario"></nav> }
}
