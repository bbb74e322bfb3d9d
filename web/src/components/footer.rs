//! The page footer.

use yew::prelude::*;

/// The footer text promising that nothing is sent anywhere.
pub const PRIVACY_NOTE: &str =
    "Policies never leave your browser: everything is evaluated locally in WebAssembly.";

/// The page footer with the privacy note.
#[component]
pub fn Footer() -> Html {
    html! {
        <footer class="site-footer">
            <p>{ PRIVACY_NOTE }</p>
        </footer>
    }
}
