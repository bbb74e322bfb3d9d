//! Helpers that know the playground's test contract (`data-testid`s): read
//! the decision, replace a policy's text, load a gallery example, read the
//! saved draft and the notice. Shared by `browser.rs` and `bench.rs`.

#![allow(dead_code)] // Not every test binary uses every helper.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};

/// The decision badge.
pub const DECISION: &str = "[data-testid=decision]";
/// The four texts the badge can show.
pub const DECISIONS: [&str; 4] = ["Allow", "Explicit deny", "Implicit deny", "No decision"];
/// The `localStorage` key of the draft (web/src/drafts.rs).
pub const DRAFT_KEY: &str = "iam-playground:draft";

/// The decision badge's text now (empty when not rendered).
pub async fn decision(browser: &Browser) -> Result<String> {
    match browser.client.find(Locator::Css(DECISION)).await {
        Ok(e) => Ok(e.text().await?.trim().to_string()),
        Err(_) => Ok(String::new()),
    }
}

/// Waits until the badge shows one of the four decisions, and returns it.
pub async fn wait_for_any_decision(browser: &Browser) -> Result<String> {
    wait_for("a decision", DEFAULT_TIMEOUT, || async {
        let d = decision(browser).await?;
        Ok(DECISIONS.contains(&d.as_str()).then_some(d))
    })
    .await
}

/// Waits until the badge shows `expected`.
pub async fn wait_for_decision(browser: &Browser, expected: &str) -> Result<()> {
    let last = std::cell::RefCell::new(String::new());
    let result = wait_for(
        &format!("the decision `{expected}`"),
        DEFAULT_TIMEOUT,
        || async {
            let d = decision(browser).await?;
            let done = d == expected;
            *last.borrow_mut() = d;
            Ok(done.then_some(()))
        },
    )
    .await;
    result.map_err(|e| format!("{e}; the badge shows `{}`", last.borrow()).into())
}

/// Replaces the text of the `index`-th policy editor as typing would (sets
/// the textarea's value and fires an `input` event).
pub async fn set_policy_text(browser: &Browser, index: usize, text: &str) -> Result<()> {
    browser
        .wait_for_element("[data-testid=policy-text]")
        .await?;
    let done = browser
        .client
        .execute(
            "const ta = document.querySelectorAll('[data-testid=policy-text]')[arguments[0]];\
             if (!ta) return false;\
             ta.focus();\
             const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;\
             set.call(ta, arguments[1]);\
             ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));\
             return true;",
            vec![json!(index), json!(text)],
        )
        .await?;
    if done != Value::Bool(true) {
        return Err(format!("there is no policy editor number {index}").into());
    }
    Ok(())
}

/// Every policy editor's text, in order.
pub async fn policy_texts(browser: &Browser) -> Result<Vec<String>> {
    let v = browser
        .eval(
            "return [...document.querySelectorAll('[data-testid=policy-text]')].map(t => t.value);",
        )
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}

/// Opens the gallery and loads the example `id` (e.g. `01-own-credentials`).
pub async fn load_example(browser: &Browser, id: &str) -> Result<()> {
    let selector = format!("[data-testid=example][data-example='{id}']");
    if browser.client.find(Locator::Css(&selector)).await.is_err() {
        browser
            .wait_for_element("[data-testid=gallery]")
            .await?
            .click()
            .await?;
    }
    browser.wait_for_element(&selector).await?.click().await?;
    Ok(())
}

/// The draft saved in `localStorage`, if any.
pub async fn saved_draft(browser: &Browser) -> Result<Option<String>> {
    let v = browser
        .client
        .execute(
            "return localStorage.getItem(arguments[0]);",
            vec![json!(DRAFT_KEY)],
        )
        .await?;
    Ok(v.as_str().map(str::to_string))
}

/// Waits until the saved draft contains `needle` (drafts are debounced).
pub async fn wait_for_saved_draft(browser: &Browser, needle: &str) -> Result<String> {
    wait_for(
        &format!("a saved draft containing `{needle}`"),
        DEFAULT_TIMEOUT,
        || async { Ok(saved_draft(browser).await?.filter(|d| d.contains(needle))) },
    )
    .await
}

/// The notice's `role` and text once one is shown.
pub async fn wait_for_notice(browser: &Browser) -> Result<(String, String)> {
    let element = browser.wait_for_element("[data-testid=notice]").await?;
    let role = element.attr("role").await?.unwrap_or_default();
    let text = element.text().await?;
    Ok((role, text))
}

/// A policy that allows everything.
pub const ALLOW_ALL: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"AllowEverything\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";

/// Opens the account dialog (its module loads on the first opening) and
/// returns its file input.
pub async fn open_account_dialog(browser: &Browser) -> Result<fantoccini::elements::Element> {
    browser
        .client
        .find(Locator::Css("[data-testid=account-import]"))
        .await?
        .click()
        .await?;
    browser
        .wait_for_element("[data-testid=account-files]")
        .await
}

/// Opens the account dialog and gives it `path` through its file input.
pub async fn load_account(browser: &Browser, path: &std::path::Path) -> Result<()> {
    let input = open_account_dialog(browser).await?;
    input.send_keys(&path.to_string_lossy()).await?;
    Ok(())
}
