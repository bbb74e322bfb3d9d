//! Component tests for the editing side: typing into a policy changes the
//! decision; a syntax error shows its marker and problem; Format and undo.
//! Run in headless Chromium by
//! `cargo test -p iam-playground --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]
// Clippy does not see `#[wasm_bindgen_test]` functions as tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use iam_playground::app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn mount() -> Element {
    let document = gloo::utils::document();
    let div = document.create_element("div").unwrap();
    gloo::utils::body().append_child(&div).unwrap();
    yew::Renderer::<App>::with_root(div.clone()).render();
    div
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is rendered"))
}

/// Types `text` into the textarea as a person would (value + input event).
fn type_into(textarea: &HtmlTextAreaElement, text: &str) {
    textarea.set_value(text);
    let event = gloo::utils::document().create_event("Event").unwrap();
    event.init_event_with_bubbles("input", true);
    textarea.dispatch_event(&event).unwrap();
}

/// Lets the app render, including a debounced evaluation (live.rs debounces
/// when an evaluation is slow, as it can be in a debug build).
async fn settle() {
    gloo::timers::future::TimeoutFuture::new(iam_playground::live::DEBOUNCE_MS * 2).await;
    yew::scheduler::flush().await;
}

fn decision(root: &Element) -> String {
    find(root, "[data-testid=decision]")
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

const ALLOW_ALL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#;

#[wasm_bindgen_test]
async fn typing_changes_the_decision_and_errors_are_marked() {
    let root = mount();
    yew::scheduler::flush().await;
    let textarea: HtmlTextAreaElement =
        find(&root, "[data-testid=policy] [data-testid=policy-text]")
            .dyn_into()
            .unwrap();

    type_into(&textarea, ALLOW_ALL);
    settle().await;
    assert_eq!(decision(&root), "Allow");

    let deny = ALLOW_ALL.replace("Allow", "Deny");
    type_into(&textarea, &deny);
    settle().await;
    assert_eq!(decision(&root), "Explicit deny");

    // A syntax error on line 3: marker in the gutter and a problem.
    type_into(
        &textarea,
        "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [,]\n}",
    );
    settle().await;
    let marker = find(&root, "[data-testid=marker]");
    assert_eq!(marker.get_attribute("data-line").as_deref(), Some("3"));
    let problem = find(&root, "[data-testid=problem]");
    assert_eq!(problem.get_attribute("data-line").as_deref(), Some("3"));
    let format: HtmlElement = find(&root, "[data-testid=format]").dyn_into().unwrap();
    assert!(
        format.has_attribute("disabled"),
        "Format is off while the JSON does not parse"
    );

    // Clicking the problem puts the caret at its column (UTF-16 index).
    // (the problem's main button; its quick fix and link are separate)
    let go: HtmlElement = find(&root, "[data-testid=problem] .problem__go")
        .dyn_into()
        .unwrap();
    go.click();
    let caret = textarea.selection_start().unwrap().unwrap();
    let text = textarea.value();
    let line_start = text.match_indices('\n').nth(1).unwrap().0 + 1;
    let column: u32 = problem
        .get_attribute("data-column")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(caret as usize, line_start + column as usize - 1);
}

#[wasm_bindgen_test]
async fn format_then_undo_restores_the_text() {
    let root = mount();
    yew::scheduler::flush().await;
    let textarea: HtmlTextAreaElement =
        find(&root, "[data-testid=policy] [data-testid=policy-text]")
            .dyn_into()
            .unwrap();
    type_into(&textarea, ALLOW_ALL);
    settle().await;

    let format: HtmlElement = find(&root, "[data-testid=policy] [data-testid=format]")
        .dyn_into()
        .unwrap();
    format.click();
    settle().await;
    let formatted = textarea.value();
    assert!(
        formatted.starts_with("{\n  \"Version\": \"2012-10-17\",\n"),
        "{formatted}"
    );
    assert_eq!(decision(&root), "Allow", "formatting keeps the meaning");
    // The highlight layer shows the same text.
    let layer = find(&root, "[data-testid=policy] .editor__layer");
    assert_eq!(layer.text_content().unwrap(), formatted);

    let undo: HtmlElement = find(&root, "[data-testid=policy] [data-testid=undo]")
        .dyn_into()
        .unwrap();
    undo.click();
    settle().await;
    assert_eq!(textarea.value(), ALLOW_ALL);
}

#[wasm_bindgen_test]
async fn a_missing_context_key_is_added_with_one_click() {
    let root = mount();
    yew::scheduler::flush().await;
    let textarea: HtmlTextAreaElement =
        find(&root, "[data-testid=policy] [data-testid=policy-text]")
            .dyn_into()
            .unwrap();
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}"#;
    type_into(&textarea, policy);
    settle().await;
    assert_eq!(decision(&root), "Implicit deny");
    let missing = find(&root, "[data-testid=missing-key]");
    assert_eq!(
        missing.get_attribute("data-key").as_deref(),
        Some("aws:MultiFactorAuthPresent")
    );
    missing.dyn_ref::<HtmlElement>().unwrap().click();
    settle().await;
    let row = find(&root, "[data-testid=context-row]");
    let kind: web_sys::HtmlSelectElement =
        find(&row, "[data-testid=context-kind]").dyn_into().unwrap();
    assert_eq!(kind.value(), "boolean");
    assert_eq!(decision(&root), "Allow", "the added key defaults to true");
    assert!(root
        .query_selector("[data-testid=missing-key]")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn a_context_key_with_spaces_is_read_trimmed_and_warned_about() {
    let root = mount();
    yew::scheduler::flush().await;
    let textarea: HtmlTextAreaElement =
        find(&root, "[data-testid=policy] [data-testid=policy-text]")
            .dyn_into()
            .unwrap();
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}"#;
    type_into(&textarea, policy);
    settle().await;
    find(&root, "[data-testid=missing-key]")
        .dyn_ref::<HtmlElement>()
        .unwrap()
        .click();
    settle().await;
    assert_eq!(decision(&root), "Allow");
    assert!(root
        .query_selector("[data-testid=context-key-warning]")
        .unwrap()
        .is_none());
    let key: web_sys::HtmlInputElement =
        find(&root, "[data-testid=context-key]").dyn_into().unwrap();
    key.set_value(" aws:MultiFactorAuthPresent ");
    let event = gloo::utils::document().create_event("Event").unwrap();
    event.init_event_with_bubbles("input", true);
    key.dispatch_event(&event).unwrap();
    settle().await;
    // The same outcome as `iam-eval` and JavaScript: read without the
    // spaces, with the engine's warning under the key.
    assert_eq!(decision(&root), "Allow");
    let warning = find(&root, "[data-testid=context-key-warning]");
    assert_eq!(
        warning.text_content().unwrap(),
        "the context key ` aws:MultiFactorAuthPresent ` has spaces around it and is read as \
         `aws:MultiFactorAuthPresent` (condition keys never contain spaces: write \
         `aws:MultiFactorAuthPresent`)"
    );
    assert_eq!(key.get_attribute("aria-describedby"), Some(warning.id()));
}
