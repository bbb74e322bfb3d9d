//! A long policy in the editor: past 1,500 lines the highlight layer and
//! the gutter draw only the lines in view (web/src/editor/window.rs). The
//! lines drawn are the text's own lines at the right height, scrolling
//! draws the lines scrolled to, and the decision still follows the text.
//!
//! Build first with `scripts/build`; `scripts/test` does that for you.

#![allow(
    clippy::indexing_slicing,
    reason = "test code: a missing value fails the assertion"
)]

mod harness;
mod playground;

use harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};
use playground::*;
use serde_json::{json, Value};

/// A policy of `n` statements, pretty-printed (about 13 lines each); the
/// last one allows the request on `bucket-<n-1>`.
fn long_policy(n: usize) -> String {
    let statements: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "Sid": format!("Bucket{i}"),
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": [format!("arn:aws:s3:::bucket-{i}"), format!("arn:aws:s3:::bucket-{i}/*")]
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "Version": "2012-10-17", "Statement": statements }))
        .unwrap_or_default()
}

/// The gutter's line numbers drawn now.
async fn drawn_lines(browser: &Browser) -> Result<Vec<usize>> {
    let v = browser
        .eval("return [...document.querySelectorAll('[data-testid=policy] .gutter [data-ln]')].map(e => +e.dataset.ln);")
        .await?;
    Ok(v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|n| n.as_u64().map(|n| n as usize))
                .collect()
        })
        .unwrap_or_default())
}

#[tokio::test]
async fn a_long_policy_is_drawn_where_it_is_scrolled() -> Result<()> {
    let n = 300;
    let policy = long_policy(n);
    let lines = policy.lines().count();
    assert!(lines > 1_500, "{lines} lines");
    let scenario = json!({
        "policies": [{ "name": "Long", "type": "identity", "document": policy }],
        "request": { "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject",
                     "resource": format!("arn:aws:s3:::bucket-{}/k", n - 1) }
    });
    let browser = Browser::start().await?;
    let fragment = iam_playground::share_link::fragment(&scenario.to_string());
    browser.open(&format!("/{fragment}")).await?;
    wait_for_decision(&browser, "Allow").await?;
    assert!(
        policy_texts(&browser).await? == std::slice::from_ref(&policy),
        "the editor shows another text"
    );

    // At the top: the first lines, not all of them.
    let drawn = drawn_lines(&browser).await?;
    assert_eq!(drawn.first(), Some(&1), "{drawn:?}");
    assert!(drawn.len() < 300, "{} lines drawn", drawn.len());
    // The layer is as tall as the whole text, so the textarea scrolls over it.
    let heights = browser
        .eval("const l = document.querySelector('[data-testid=policy] .editor__layer'); const t = document.querySelector('[data-testid=policy-text]'); return [l.getBoundingClientRect().height, t.scrollHeight, t.clientHeight];")
        .await?;
    let layer = heights[0].as_f64().unwrap_or(0.0);
    assert!(
        layer >= 20.0 * lines as f64,
        "layer {layer} px for {lines} lines"
    );

    // Scrolled to the end: the last lines are drawn, at the right place.
    browser
        .eval("const s = document.querySelector('[data-testid=policy] .editor__scroller'); s.scrollTop = s.scrollHeight; return 1;")
        .await?;
    let drawn = wait_for("the last line to be drawn", DEFAULT_TIMEOUT, || async {
        let drawn = drawn_lines(&browser).await?;
        Ok(drawn.contains(&lines).then_some(drawn))
    })
    .await?;
    assert!(!drawn.contains(&1), "{drawn:?}");
    // The layer's text there is the text's own last lines.
    let layer_text = browser
        .eval("return document.querySelector('[data-testid=policy] .editor__layer').textContent;")
        .await?;
    let layer_text = layer_text.as_str().unwrap_or_default();
    assert!(
        policy.ends_with(layer_text.trim_end()),
        "the layer draws other text"
    );
    // The gutter row of the last line and the layer's last line line up.
    let tops = browser
        .eval(&format!("const g = document.querySelector('[data-testid=policy] .gutter [data-ln=\"{lines}\"]').getBoundingClientRect().top; const spans = document.querySelectorAll('[data-testid=policy] .editor__layer .layer-line'); const l = spans[spans.length - 1].getBoundingClientRect().top; return [g, l];"))
        .await?;
    let (g, l) = (
        tops[0].as_f64().unwrap_or(0.0),
        tops[1].as_f64().unwrap_or(-99.0),
    );
    assert!((g - l).abs() <= 2.0, "gutter row at {g}, layer line at {l}");

    // Typing at the end still decides.
    let at = policy.rfind("\"Effect\": \"Allow\"").ok_or("no Effect")?;
    let denied = format!(
        "{}\"Effect\": \"Deny\"{}",
        &policy[..at],
        &policy[at + "\"Effect\": \"Allow\"".len()..]
    );
    set_policy_text(&browser, 0, &denied).await?;
    wait_for_decision(&browser, "Explicit deny").await?;
    browser.close().await
}
