//! End-to-end tests: the built app (`dist/`) in headless Chromium.
//!
//! Build first with `scripts/build`; `scripts/test` does that for you.

mod harness;

use harness::{Browser, Result};

/// The decision region's selector.
const DECISION: &str = "[data-testid=decision]";

#[tokio::test]
async fn page_loads_and_shows_the_default_decision() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;

    let text = browser.wait_for_text(DECISION).await?;
    // The default scenario (gallery 02) is denied by its explicit Deny.
    assert_eq!(text, "Explicit deny");

    let title = browser.client.title().await?;
    assert_eq!(title, "IAM Policy Playground");
    let heading = browser.wait_for_text("h1").await?;
    assert_eq!(heading, "IAM Policy Playground");
    let footer = browser.wait_for_text("footer").await?;
    assert_eq!(
        footer,
        "Policies never leave your browser: everything is evaluated locally in WebAssembly."
    );

    let shot = browser.screenshot("app").await?;
    eprintln!("screenshot: {}", shot.display());

    // The smallest width we support: the text must still fit, no sideways scroll.
    browser.client.set_window_size(375, 800).await?;
    let overflow = browser
        .eval("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        .await?;
    assert_eq!(overflow.as_i64(), Some(0), "horizontal overflow at 375 px");
    let shot = browser.screenshot("app-375").await?;
    eprintln!("screenshot: {}", shot.display());
    browser.close().await
}

#[tokio::test]
async fn no_console_errors() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    browser.wait_for_text(DECISION).await?;

    let log = browser.console_log().await?;
    let errors: Vec<_> = log
        .iter()
        .filter(|e| e.level == "SEVERE" || e.level == "WARNING")
        .collect();
    assert!(errors.is_empty(), "console errors/warnings: {errors:#?}");

    // Self-check of the harness: an error logged now must be reported.
    browser
        .eval("console.error('harness self-check'); return null;")
        .await?;
    let log = browser.console_log().await?;
    assert!(
        log.iter()
            .any(|e| e.level == "SEVERE" && e.message.contains("harness self-check")),
        "the console log reader missed a console.error: {log:#?}"
    );
    browser.close().await
}

#[tokio::test]
async fn no_request_leaves_the_origin() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    browser.wait_for_text(DECISION).await?;

    let origin = browser.server.origin();
    let urls = browser.loaded_urls().await?;
    let outside: Vec<_> = urls
        .iter()
        .filter(|u| !u.starts_with(&format!("{origin}/")))
        .collect();
    assert!(
        outside.is_empty(),
        "requests outside {origin}: {outside:#?}"
    );

    // The server saw the page and its assets, and nothing else was needed.
    let served = browser.server.requests();
    for path in [
        "/",
        "/style.css",
        "/pkg/iam_playground.js",
        "/pkg/iam_playground_bg.wasm",
    ] {
        assert!(
            served.iter().any(|p| p == path),
            "{path} was not requested; server saw {served:?}"
        );
    }
    // Every resource the page reports was served by our origin's server.
    for url in &urls {
        let path = url.trim_start_matches(&origin);
        let path = path.split(['?', '#']).next().unwrap_or(path);
        assert!(
            served.iter().any(|p| p == path),
            "{url} is not in the server's log {served:?}"
        );
    }
    browser.close().await
}
