//! Markup stays inert: policies, policy names, Sids, context values, the
//! scenario's name and share links carrying `<script>`, `<img onerror>`,
//! `javascript:` addresses and bidirectional controls are shown as text.
//! Nothing they carry runs (no flag set by a payload, no dialog), nothing
//! is requested outside the page, and the text reads back literally from
//! the DOM (bidirectional controls in names and Sids as `⟨U+202E⟩`).
//!
//! Build first with `scripts/build`; `scripts/test` does that for you.

#![allow(
    clippy::indexing_slicing,
    reason = "test code: a missing field reads as null and fails the assertion"
)]

mod harness;
mod playground;

use harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};
use playground::*;
use serde_json::{json, Value};

/// What every payload runs if it ever runs: it bumps a global counter.
const RUN: &str = "window.__pwned=(window.__pwned||0)+1";

fn script() -> String {
    format!("<script>{RUN}</script>")
}

fn img() -> String {
    format!("<img src=x onerror=\"{RUN}\">")
}

fn javascript() -> String {
    format!("javascript:{RUN}")
}

/// A policy name and a Sid with a right-to-left override.
const BIDI_NAME: &str = "Bucket\u{202E}yciloP";
const BIDI_SID: &str = "Allow\u{202E}daeR";

/// A scenario with markup everywhere a person's text goes; its decision is
/// Allow, so the explanation and summary show every part.
fn hostile_scenario() -> Value {
    json!({
        "name": format!("{} {}", script(), img()),
        "description": format!("{} {}", img(), javascript()),
        "policies": [
            {
                "name": img(),
                "type": "identity",
                "document": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Sid": "ReadReports",
                        "Effect": "Allow",
                        "Action": "s3:GetObject",
                        "Resource": "arn:aws:s3:::examplebucket/*",
                        "Condition": { "StringEquals": { "aws:RequestTag/Note": img() } }
                    }]
                }
            },
            {
                "name": BIDI_NAME,
                "type": "resource",
                "document": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": img(),
                            "Effect": "Allow",
                            "Principal": { "AWS": "arn:aws:iam::111122223333:user/alice" },
                            "Action": "s3:GetObject",
                            "Resource": format!("arn:aws:s3:::examplebucket/{}", script())
                        },
                        {
                            "Sid": BIDI_SID,
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:DeleteObject",
                            "Resource": "*",
                            "Condition": { "StringEquals": { "aws:Referer": javascript() } }
                        }
                    ]
                }
            }
        ],
        "request": {
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": "s3:GetObject",
            "resource": format!("arn:aws:s3:::examplebucket/{}", script()),
            "context": {
                "aws:RequestTag/Note": img(),
                "aws:Referer": javascript()
            }
        }
    })
}

/// Makes `alert`, `confirm`, `prompt` and `open` record their calls in
/// every document the browser loads from now on.
async fn trap_dialogs(browser: &Browser) -> Result<()> {
    browser.cdp("Page.enable", json!({})).await?;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "window.__dialogs = []; for (const f of ['alert', 'confirm', 'prompt', 'open', 'print']) { window[f] = (...args) => { window.__dialogs.push(f); return null; }; }" }),
        )
        .await?;
    Ok(())
}

/// What ran or could run: a payload's flag, a dialog, an inline handler,
/// a `javascript:` link, an injected script or image. Empty when inert.
async fn traces_of_markup(browser: &Browser) -> Result<Vec<String>> {
    let report = browser
        .eval(
            "const all = [...document.querySelectorAll('*')];\
             return {\
               pwned: window.__pwned ?? 0,\
               dialogs: window.__dialogs ?? null,\
               handlers: all.flatMap(e => [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name)),\
               js_links: [...document.querySelectorAll('a[href], iframe[src], form[action]')].map(e => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action')).filter(h => /^\\s*javascript:/i.test(h)),\
               scripts: [...document.scripts].filter(s => s.text.includes('__pwned')).length,\
               images: [...document.images].map(i => i.getAttribute('src')).filter(src => src === 'x'),\
             };",
        )
        .await?;
    let mut found = Vec::new();
    if report["pwned"] != json!(0) {
        found.push(format!("a payload ran {} times", report["pwned"]));
    }
    if report["dialogs"] != json!([]) {
        found.push(format!("dialogs (or no trap): {}", report["dialogs"]));
    }
    for key in ["handlers", "js_links", "images"] {
        if report[key] != json!([]) {
            found.push(format!("{key}: {}", report[key]));
        }
    }
    if report["scripts"] != json!(0) {
        found.push(format!("injected scripts: {}", report["scripts"]));
    }
    Ok(found)
}

/// Nothing ran and nothing in the DOM can run.
async fn assert_inert(browser: &Browser, when: &str) -> Result<()> {
    let found = traces_of_markup(browser).await?;
    assert!(found.is_empty(), "{when}: {found:?}");
    Ok(())
}

/// Every request went to the page's own server, and none for `x` (the
/// injected image's address).
async fn assert_nothing_requested_outside(browser: &Browser, when: &str) -> Result<()> {
    let origin = browser.server.origin();
    for url in browser.loaded_urls().await? {
        assert!(
            url.starts_with(&origin) || url.starts_with("blob:") || url.starts_with("data:"),
            "{when}: requested outside the page: {url}"
        );
    }
    let requests = browser.server.requests();
    assert!(
        !requests.iter().any(|p| p == "/x" || p.ends_with("/x")),
        "{when}: the injected image was requested: {requests:?}"
    );
    Ok(())
}

/// The page's visible text.
async fn page_text(browser: &Browser) -> Result<String> {
    Ok(browser
        .eval("return document.body.innerText;")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

async fn input_values(browser: &Browser, testid: &str) -> Result<Vec<String>> {
    let v = browser
        .client
        .execute(
            "return [...document.querySelectorAll(`[data-testid=${arguments[0]}]`)].map(e => e.value);",
            vec![json!(testid)],
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

/// The checks on a page showing [`hostile_scenario`].
async fn check_hostile_page(browser: &Browser, when: &str) -> Result<()> {
    wait_for_decision(browser, "Allow").await?;
    // Let anything that would run have the chance to.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_inert(browser, when).await?;
    assert_nothing_requested_outside(browser, when).await?;

    // The text reads back literally.
    let text = page_text(browser).await?;
    let name = format!("{} {}", script(), img());
    assert!(
        text.contains(&name),
        "{when}: the scenario's name is not shown literally:\n{text}"
    );
    let summary = browser.wait_for_text("[data-testid=summary]").await?;
    assert!(
        summary.contains(&img()),
        "{when}: the Sid is not literal in the summary: {summary}"
    );
    assert!(
        summary.contains("Bucket⟨U+202E⟩yciloP"),
        "{when}: the bidi control in a policy name is not visible: {summary}"
    );
    assert!(
        !summary.contains('\u{202E}'),
        "{when}: a raw bidi control: {summary}"
    );
    let names = input_values(browser, "policy-name").await?;
    assert_eq!(
        names,
        [img(), BIDI_NAME.to_string()],
        "{when}: policy names"
    );
    let values = input_values(browser, "context-value").await?;
    assert!(values.contains(&img()), "{when}: context values {values:?}");
    assert!(
        values.contains(&javascript()),
        "{when}: context values {values:?}"
    );
    let resource = input_values(browser, "resource").await?;
    assert_eq!(
        resource,
        [format!("arn:aws:s3:::examplebucket/{}", script())],
        "{when}: resource"
    );
    let texts = policy_texts(browser).await?;
    let sid_as_json = serde_json::to_string(&img())?;
    assert!(
        texts.iter().any(|t| t.contains(&sid_as_json)),
        "{when}: policy texts {texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains(BIDI_SID)),
        "{when}: the policy text keeps the bidi Sid exactly"
    );
    Ok(())
}

#[tokio::test]
async fn markup_in_a_share_link_stays_text() -> Result<()> {
    let browser = Browser::start().await?;
    trap_dialogs(&browser).await?;
    let text = serde_json::to_string_pretty(&hostile_scenario())?;
    let fragment = iam_playground::share_link::fragment(&text);
    browser.open(&format!("/{fragment}")).await?;
    check_hostile_page(&browser, "share link").await?;

    // The explanation's statements: Sids literal, the bidi Sid visible.
    let sids = wait_for("the explanation's statements", DEFAULT_TIMEOUT, || async {
        let v = browser
            .eval("return [...document.querySelectorAll('[data-testid=statement] .stmt__sid')].map(e => e.textContent);")
            .await?;
        let sids: Vec<String> = v
            .as_array()
            .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        Ok((!sids.is_empty()).then_some(sids))
    })
    .await?;
    assert!(sids.contains(&img()), "{sids:?}");
    assert!(
        sids.contains(&"Allow⟨U+202E⟩daeR".to_string()) || sids.len() < 3,
        "{sids:?}"
    );
    assert!(sids.iter().all(|s| !s.contains('\u{202E}')), "{sids:?}");

    // The embedded view of the same link.
    browser.open(&format!("/?embed{fragment}")).await?;
    wait_for_decision(&browser, "Allow").await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_inert(&browser, "embed").await?;
    assert_nothing_requested_outside(&browser, "embed").await?;
    let text = page_text(&browser).await?;
    assert!(text.contains(&img()), "embed: {text}");
    // The "Open in playground" link goes to this page, never to `javascript:`.
    let open = browser
        .wait_for_element("[data-testid=open-in-playground]")
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    assert!(open.starts_with(&browser.server.origin()), "{open}");
    browser.close().await
}

#[tokio::test]
async fn markup_pasted_or_typed_stays_text() -> Result<()> {
    let browser = Browser::start().await?;
    trap_dialogs(&browser).await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;

    // Paste the scenario.
    browser
        .wait_for_element("[data-testid=paste]")
        .await?
        .click()
        .await?;
    let area = browser
        .wait_for_element("[data-testid=paste-scenario]")
        .await?;
    let text = serde_json::to_string_pretty(&hostile_scenario())?;
    browser
        .client
        .execute(
            "const ta = arguments[0];\
             const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;\
             set.call(ta, arguments[1]);\
             ta.dispatchEvent(new InputEvent('input', { bubbles: true }));",
            vec![serde_json::to_value(&area)?, json!(text)],
        )
        .await?;
    browser
        .wait_for_element("[data-testid=paste-load]")
        .await?
        .click()
        .await?;
    check_hostile_page(&browser, "paste").await?;

    // Typed into an editor: a policy that closes the textarea and opens a
    // script, with markup in every string (a syntax error on the way).
    let typed = format!(
        "</textarea>{}{}\n{{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"{}\"}}]}}",
        script(),
        img(),
        javascript()
    );
    set_policy_text(&browser, 0, &typed).await?;
    wait_for_decision(&browser, "No decision").await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_inert(&browser, "typed").await?;
    assert_nothing_requested_outside(&browser, "typed").await?;
    assert_eq!(policy_texts(&browser).await?[0], typed);
    // The highlighted copy under the textarea shows the same characters.
    let layer = browser
        .eval("const e = document.querySelector('[data-testid=policy] .editor__layer'); return e ? e.textContent : null;")
        .await?;
    let layer = layer.as_str().ok_or("no highlight layer")?;
    assert!(layer.starts_with(&typed), "highlight layer: {layer:?}");
    browser.close().await
}

/// The checks above can fail: markup put into the page as HTML, and a
/// dialog, are seen.
#[tokio::test]
async fn the_checks_see_markup_that_runs() -> Result<()> {
    let browser = Browser::start().await?;
    trap_dialogs(&browser).await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    assert_inert(&browser, "the default page").await?;
    browser
        .client
        .execute(
            "const d = document.createElement('div'); d.innerHTML = arguments[0]; document.body.append(d); alert(1);",
            vec![json!(img())],
        )
        .await?;
    let found = wait_for(
        "the injected image's handler to run",
        DEFAULT_TIMEOUT,
        || async {
            let found = traces_of_markup(&browser).await?;
            Ok(found
                .iter()
                .any(|f| f.starts_with("a payload ran"))
                .then_some(found))
        },
    )
    .await?;
    assert!(found.iter().any(|f| f.starts_with("dialogs")), "{found:?}");
    assert!(found.iter().any(|f| f.starts_with("handlers")), "{found:?}");
    assert!(found.iter().any(|f| f.starts_with("images")), "{found:?}");
    browser.close().await
}
