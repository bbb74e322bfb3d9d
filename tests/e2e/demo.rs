//! End-to-end tests of the embedding demo (`static/demo.html`) in headless
//! Chromium: the `<script type="module">` that imports the engine's npm
//! package from `dist/engine-pkg/` and renders a decision, and the
//! `<iframe>` that embeds the playground.
//!
//! Build first with `scripts/build`; `scripts/test` does that for you.

mod harness;

use harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};
use serde_json::Value;

const DECISION: &str = "[data-testid=demo-decision]";
const SUMMARY: &str = "[data-testid=demo-summary]";

/// Waits until the module script has rendered an answer and returns its
/// `data-decision` (the engine's decision, or `invalid`).
async fn rendered_decision(browser: &Browser, previous: Option<&str>) -> Result<String> {
    wait_for("the demo to render a decision", DEFAULT_TIMEOUT, || async {
        let value = browser
            .eval("return document.querySelector('[data-testid=demo-decision]')?.dataset.decision ?? null;")
            .await?;
        Ok(value
            .as_str()
            .filter(|d| Some(*d) != previous)
            .map(str::to_string))
    })
    .await
}

async fn text(browser: &Browser, css: &str) -> Result<String> {
    Ok(browser.wait_for_element(css).await?.text().await?)
}

/// Replaces the scenario in the page's textarea and presses Evaluate.
async fn evaluate_in_page(browser: &Browser, scenario: &str) -> Result<()> {
    browser
        .client
        .execute(
            "document.getElementById('demo-scenario').value = arguments[0];\
             document.getElementById('demo-evaluate').click();",
            vec![Value::String(scenario.to_string())],
        )
        .await?;
    Ok(())
}

#[tokio::test]
async fn module_script_renders_decision_and_summary() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/demo.html").await?;

    // The scenario written in the page: an explicit deny without TLS.
    assert_eq!(rendered_decision(&browser, None).await?, "ExplicitDeny");
    assert_eq!(text(&browser, DECISION).await?, "Explicit deny");
    let summary = text(&browser, SUMMARY).await?;
    assert!(
        summary.starts_with("Denied explicitly by statement 'DenyInsecureTransport' in identity-based policy 'ReportsAccess'"),
        "summary: {summary}"
    );
    let steps = browser
        .eval("return document.querySelectorAll('[data-testid=demo-steps] li').length;")
        .await?;
    assert_eq!(
        steps.as_u64(),
        Some(7),
        "every stage of AWS's flow is listed"
    );

    let manifest = std::fs::read_to_string(harness::workspace_root().join("engine/Cargo.toml"))?;
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|l| l.strip_suffix('"'))
        .ok_or("no version in engine/Cargo.toml")?;
    assert_eq!(text(&browser, "[data-testid=demo-version]").await?, version);

    // Edited in the page: over TLS the allow applies.
    let scenario = browser
        .eval("return document.getElementById('demo-scenario').value;")
        .await?;
    let scenario = scenario.as_str().ok_or("the textarea has no text")?;
    let over_tls = scenario.replace(
        "\"aws:SecureTransport\": false }",
        "\"aws:SecureTransport\": true }",
    );
    assert_ne!(over_tls, scenario, "the demo scenario changed shape");
    evaluate_in_page(&browser, &over_tls).await?;
    assert_eq!(
        rendered_decision(&browser, Some("ExplicitDeny")).await?,
        "Allow"
    );
    let summary = text(&browser, SUMMARY).await?;
    assert!(
        summary.starts_with("Allowed by statement 'ReadReports'"),
        "summary: {summary}"
    );

    // Broken JSON: diagnostics with positions, no exception.
    evaluate_in_page(&browser, "{\n  \"policies\": [,]\n}").await?;
    assert_eq!(rendered_decision(&browser, Some("Allow")).await?, "invalid");
    let summary = text(&browser, SUMMARY).await?;
    assert!(summary.starts_with("scenario:2:"), "summary: {summary}");

    let shot = browser.screenshot("demo").await?;
    eprintln!("screenshot: {}", shot.display());

    let log = browser.console_log().await?;
    let errors: Vec<_> = log.iter().filter(|e| e.level == "SEVERE").collect();
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    browser.close().await
}

#[tokio::test]
async fn iframe_embeds_the_playground() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/demo.html").await?;
    rendered_decision(&browser, None).await?;

    // The embed link carries the page's own scenario as a share link
    // (`#s=1.` + base64url(zlib(JSON))): decode it in the browser.
    let link = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             (async () => {\
               const src = document.querySelector('[data-testid=demo-embed]').getAttribute('src');\
               const [page, fragment] = src.split('#');\
               const data = fragment.slice('s=1.'.length).replace(/-/g, '+').replace(/_/g, '/');\
               const bytes = Uint8Array.from(atob(data + '='.repeat((4 - data.length % 4) % 4)), (c) => c.charCodeAt(0));\
               const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));\
               const text = await new Response(stream).text();\
               const own = document.getElementById('demo-scenario').value;\
               done({ page, prefix: fragment.slice(0, 4), same: JSON.stringify(JSON.parse(text)) === JSON.stringify(JSON.parse(own)) });\
             })().catch((e) => done({ error: String(e) }));",
            Vec::new(),
        )
        .await?;
    assert_eq!(
        link.get("error"),
        None,
        "cannot decode the embed link: {link}"
    );
    assert_eq!(
        link.get("page").and_then(Value::as_str),
        Some("./index.html?embed"),
        "{link}"
    );
    assert_eq!(
        link.get("prefix").and_then(Value::as_str),
        Some("s=1."),
        "{link}"
    );
    assert_eq!(
        link.get("same").and_then(Value::as_bool),
        Some(true),
        "the iframe shows another scenario than the page: {link}"
    );

    // Same origin, so the page can look into the frame: the playground app
    // has started there and rendered its decision region.
    let decision = wait_for("the playground in the iframe", DEFAULT_TIMEOUT, || async {
        let value = browser
            .eval(
                "const doc = document.querySelector('[data-testid=demo-embed]').contentDocument;\
                 const el = doc && doc.querySelector('[data-testid=decision]');\
                 return el && el.textContent.trim() ? el.textContent : null;",
            )
            .await?;
        Ok(value.as_str().map(str::to_string))
    })
    .await?;
    assert!(!decision.trim().is_empty());
    // Whether the playground opened the link's scenario is the web app's
    // business (its own tests); say what the frame shows.
    let shows_scenario = browser
        .eval(
            "return document.querySelector('[data-testid=demo-embed]')\
               .contentDocument.body.textContent.includes('ReportsAccess');",
        )
        .await?;
    eprintln!(
        "playground in the iframe: decision {decision:?}, shows the demo scenario: {shows_scenario}"
    );
    let title = browser
        .eval("return document.querySelector('[data-testid=demo-embed]').contentDocument.title;")
        .await?;
    assert_eq!(title.as_str(), Some("IAM Policy Playground"));

    // Everything came from the site itself.
    let origin = browser.server.origin();
    let served = browser.server.requests();
    for path in [
        "/demo.html",
        "/engine-pkg/iam_engine.js",
        "/engine-pkg/iam_engine_bg.wasm",
        "/index.html",
        "/pkg/iam_playground_bg.wasm",
    ] {
        assert!(
            served.iter().any(|p| p == path),
            "{path} was not requested; server saw {served:?}"
        );
    }
    let urls = browser.loaded_urls().await?;
    let outside: Vec<_> = urls
        .iter()
        .filter(|u| !u.starts_with(&format!("{origin}/")))
        .collect();
    assert!(
        outside.is_empty(),
        "requests outside {origin}: {outside:#?}"
    );
    browser.close().await
}
