//! Component tests for the app, run in headless Chromium by
//! `cargo test -p iam-playground --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]
// Clippy does not see `#[wasm_bindgen_test]` functions as tests, so the
// allow-*-in-tests settings of clippy.toml do not reach them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use iam_playground::catalog::{CatalogStatus, ChecksStatus};
use iam_playground::{app::App, components::footer};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Creates a fresh `<div>` in the body to mount a component into.
fn mount_point() -> web_sys::Element {
    let document = gloo::utils::document();
    let div = document.create_element("div").unwrap();
    gloo::utils::body().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
async fn app_shows_the_default_scenarios_decision() {
    let root = mount_point();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let decision = root
        .query_selector("[data-testid=decision]")
        .unwrap()
        .expect("decision region is rendered");
    let text = decision.text_content().unwrap_or_default();
    // The default scenario (gallery 02) is denied by its explicit Deny.
    assert_eq!(text.trim(), "Explicit deny");

    let heading = root.query_selector("h1").unwrap().expect("heading");
    assert_eq!(
        heading.text_content().unwrap_or_default(),
        "IAM Policy Playground"
    );
}

/// The footer (a view function) while the catalogue loads.
#[yew::component]
fn LoadingFooter() -> yew::Html {
    footer(CatalogStatus::Loading, ChecksStatus::Loading)
}

#[wasm_bindgen_test]
async fn footer_promises_local_evaluation() {
    let root = mount_point();
    yew::Renderer::<LoadingFooter>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let text = root.text_content().unwrap_or_default();
    assert_eq!(
        text.trim(),
        "Policies never leave your browser: everything is evaluated locally in WebAssembly."
    );
}
