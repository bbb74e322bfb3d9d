//! The page header.

use yew::prelude::*;

/// The page header with the application name (a plain function: a
/// component of its own cost about 1 KB of WebAssembly).
pub fn header() -> Html {
    html! {
        <header class="site-header">
            <div class="site-header__inner">
                <h1 class="site-title">{ "IAM Policy Playground" }</h1>
                <p class="site-tagline">
                    { "Evaluate AWS IAM policies and see why a request is allowed or denied." }
                </p>
            </div>
        </header>
    }
}
