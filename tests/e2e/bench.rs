//! Browser benchmarks of the playground's budgets, and the README
//! screenshots. Not part of `cargo test`: every test here is `#[ignore]`d
//! and run by `scripts/bench-web` (figures) and `scripts/screenshots`.
//!
//! Budgets (issue 4):
//! - the app's .wasm at most 450 KB gzipped (issue 9 raised it from 400 KB);
//! - first decision visible at most 1 s after navigation;
//! - keystroke to updated decision at most 50 ms on the largest gallery
//!   example;
//! - no memory growth over 1,000 edits.
//!
//! Each test prints one `bench:` line per figure; `scripts/bench-web`
//! collects them.

mod harness;
mod playground;

use std::io::Write;
use std::process::{Command, Stdio};

use harness::{dist_dir, wait_for, workspace_root, Browser, Result, DEFAULT_TIMEOUT};
use iam_playground::gallery::EXAMPLES;
use playground::*;
use serde_json::{json, Value};

/// The largest gallery example (by scenario text).
fn largest_example() -> iam_playground::gallery::Example {
    EXAMPLES
        .into_iter()
        .max_by_key(|e| e.text.len())
        .unwrap_or(EXAMPLES[0])
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut child = Command::new("gzip")
        .arg("-9")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    // Write from another thread: gzip's output pipe would fill up (and
    // block it) before all the input is written.
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output()?;
    writer.join().map_err(|_| "the gzip writer panicked")??;
    Ok(output.stdout.len())
}

#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn wasm_size() -> Result<()> {
    let wasm = std::fs::read(dist_dir()?.join("pkg/iam_playground_bg.wasm"))?;
    let gz = gzip_len(&wasm)?;
    println!(
        "bench: wasm raw {} bytes ({:.0} KB), gzipped {} bytes ({:.0} KB; budget 450 KB)",
        wasm.len(),
        wasm.len() as f64 / 1000.0,
        gz,
        gz as f64 / 1000.0
    );
    assert!(gz <= 450_000, "the app's wasm is {gz} bytes gzipped");
    let account = std::fs::read(dist_dir()?.join("account/iam_playground_account_bg.wasm"))?;
    println!(
        "bench: account dialog module (loaded on first opening) raw {} bytes, gzipped {} bytes",
        account.len(),
        gzip_len(&account)?
    );
    let checks = std::fs::read(dist_dir()?.join("checks/iam_playground_checks_bg.wasm"))?;
    println!(
        "bench: checks module (loaded with the catalogue) raw {} bytes, gzipped {} bytes",
        checks.len(),
        gzip_len(&checks)?
    );
    Ok(())
}

/// The checks module (web/checks) is loaded after the catalogue, so after
/// the first decision: from navigation to its findings being available
/// (`window.__checksReadyMs`, web/src/catalog.rs), and from the first
/// decision to them, six page loads (the first fills the HTTP cache).
#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn checks_module_loading() -> Result<()> {
    let browser = browser_with_first_decision_probe().await?;
    let (mut ready, mut after_decision) = (Vec::new(), Vec::new());
    for i in 0..6 {
        browser.open(&format!("/?checks={i}")).await?;
        wait_for_any_decision(&browser).await?;
        let at = checks_module_ready(&browser).await?;
        let order = browser
            .eval(
                "const e = performance.getEntriesByType('resource').find(e => e.name.endsWith('/iam_playground_checks_bg.wasm'));\
                 return e && window.__firstDecision !== null && e.startTime > window.__firstDecision ? window.__firstDecision : null;",
            )
            .await?;
        let decided = order
            .as_f64()
            .ok_or("the checks module was requested before the first decision")?;
        ready.push(at);
        after_decision.push(at - decided);
    }
    let median = |v: &[f64]| {
        let mut s = v[1..].to_vec();
        s.sort_by(f64::total_cmp);
        s[s.len() / 2]
    };
    println!(
        "bench: checks module: its findings available {:.0} ms after navigation, {:.0} ms after the first decision (warm medians; cold {:.0} and {:.0} ms); all {ready:.0?}",
        median(&ready),
        median(&after_decision),
        ready[0],
        after_decision[0]
    );
    browser.close().await
}

/// Clicks Account… and records on the page's clock how long until the
/// dialog's file input is there (`window.__accountOpenMs`).
const OPEN_ACCOUNT_PROBE: &str = r#"
window.__accountOpenMs = null;
const start = performance.now();
new MutationObserver((_, obs) => {
  if (document.querySelector('[data-testid=account-files]')) {
    window.__accountOpenMs = performance.now() - start;
    obs.disconnect();
  }
}).observe(document.body, { childList: true, subtree: true });
document.querySelector('[data-testid=account-import]').click();
"#;

/// The account dialog is a module of its own, fetched when it is first
/// opened: from Account… to the dialog, the first opening of a page (the
/// module fetched, compiled and instantiated; the browser's cache may hold
/// the file after the first run) and a second opening of the same page,
/// five page loads.
#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn account_dialog_opening() -> Result<()> {
    let browser = Browser::start().await?;
    let (mut first, mut again) = (Vec::new(), Vec::new());
    for run in 0..5 {
        browser.open(&format!("/?run={run}")).await?;
        wait_for_any_decision(&browser).await?;
        for times in [&mut first, &mut again] {
            browser.eval(OPEN_ACCOUNT_PROBE).await?;
            let ms = harness::wait_for("the account dialog", harness::DEFAULT_TIMEOUT, || async {
                Ok(browser
                    .eval("return window.__accountOpenMs;")
                    .await?
                    .as_f64())
            })
            .await?;
            times.push(ms);
            browser
                .eval("document.querySelector('[data-testid=account-close]').click();")
                .await?;
            harness::wait_for("the dialog to close", harness::DEFAULT_TIMEOUT, || async {
                let open = browser
                    .eval("return !!document.querySelector('[data-testid=account-dialog]');")
                    .await?;
                Ok((open == false).then_some(()))
            })
            .await?;
        }
    }
    let median = |v: &[f64]| {
        let mut s = v.to_vec();
        s.sort_by(f64::total_cmp);
        s[s.len() / 2]
    };
    println!(
        "bench: account dialog opening: first on a page median {:.0} ms (all {first:.0?}), again {:.0} ms (all {again:.0?})",
        median(&first),
        median(&again)
    );
    browser.close().await
}

/// A browser whose pages record their first decision
/// ([`FIRST_DECISION_PROBE`]).
async fn browser_with_first_decision_probe() -> Result<Browser> {
    let browser = Browser::start().await?;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": FIRST_DECISION_PROBE }),
        )
        .await?;
    Ok(browser)
}

/// Waits for the page's checks module (web/checks) and gives when it was
/// ready (`window.__checksReadyMs`, milliseconds after navigation).
async fn checks_module_ready(browser: &Browser) -> Result<f64> {
    wait_for("the checks module", DEFAULT_TIMEOUT, || async {
        Ok(browser
            .eval("return window.__checksReadyMs ?? null;")
            .await?
            .as_f64())
    })
    .await
}

/// Installed before the page's own scripts: records when the decision badge
/// first shows a decision, on `performance.now()`'s clock (0 = navigation).
const FIRST_DECISION_PROBE: &str = r#"
window.__firstDecision = null;
new MutationObserver((_, obs) => {
  const d = document.querySelector('[data-testid=decision]');
  const t = d && d.textContent.trim();
  if (t && /Allow|deny|No decision/.test(t)) {
    window.__firstDecision = performance.now();
    obs.disconnect();
  }
}).observe(document, { childList: true, subtree: true, characterData: true });
"#;

#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn first_decision() -> Result<()> {
    let browser = browser_with_first_decision_probe().await?;
    let mut times = Vec::new();
    // The first load fills the HTTP cache like a returning visitor's would
    // not; report the cold load and the median of warm loads separately.
    for i in 0..6 {
        browser.open(&format!("/?run={i}")).await?;
        wait_for_any_decision(&browser).await?;
        let t = browser.eval("return window.__firstDecision;").await?;
        let t = t.as_f64().ok_or("the probe saw no decision")?;
        times.push(t);
    }
    let cold = times[0];
    let mut warm = times[1..].to_vec();
    warm.sort_by(f64::total_cmp);
    let median = warm[warm.len() / 2];
    println!(
        "bench: first decision after navigation: cold {cold:.0} ms, warm median {median:.0} ms (budget 1000 ms); all {times:.0?}"
    );
    assert!(cold <= 1000.0, "first decision after {cold:.0} ms");
    browser.close().await
}

/// Decoding the service catalogue in Chromium (budget 30 ms): the app
/// records how long `Catalog::decode` took (`window.__catalogDecodeMs`,
/// web/src/catalog.rs); and the catalogue is fetched only after the first
/// decision.
#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn catalog_decode() -> Result<()> {
    let browser = browser_with_first_decision_probe().await?;
    let mut decode = Vec::new();
    for i in 0..6 {
        browser.open(&format!("/?catalog={i}")).await?;
        wait_for_any_decision(&browser).await?;
        let ms = wait_for("the catalogue decoded", DEFAULT_TIMEOUT, || async {
            let v = browser
                .eval("return window.__catalogDecodeMs ?? null;")
                .await?;
            Ok(v.as_f64())
        })
        .await?;
        let order = browser
            .eval(
                "const e = performance.getEntriesByType('resource').find(e => e.name.endsWith('/catalog.bin'));\
                 return e && window.__firstDecision !== null && e.startTime > window.__firstDecision;",
            )
            .await?;
        assert_eq!(
            order,
            json!(true),
            "catalog.bin requested before the first decision"
        );
        decode.push(ms);
    }
    let mut sorted = decode.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let max = sorted[sorted.len() - 1];
    println!(
        "bench: catalogue decode in Chromium: median {median:.1} ms, max {max:.1} ms (budget 30 ms); all {decode:.1?}"
    );
    assert!(median <= 30.0, "decoding took {median:.1} ms");
    browser.close().await
}

/// Runs `n` edits in the page, alternating two texts of policy 0 whose
/// decisions differ, and returns the milliseconds from each `input` event to
/// the badge showing the new decision (seen by a MutationObserver).
const KEYSTROKES: &str = r#"
const [n, idx, a, b, da, db, done] = arguments;
const ta = document.querySelectorAll('[data-testid=policy-text]')[idx];
const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
const times = [];
const one = (text, expect) => new Promise(resolve => {
  let t0;
  const check = () => {
    const d = document.querySelector('[data-testid=decision]');
    if (d && d.textContent.trim() === expect) { obs.disconnect(); resolve(performance.now() - t0); return true; }
    return false;
  };
  const obs = new MutationObserver(check);
  obs.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  set.call(ta, text);
  t0 = performance.now();
  ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'x' }));
});
(async () => {
  for (let i = 0; i < n; i++) {
    times.push(await one(i % 2 ? a : b, i % 2 ? da : db));
    // Let the browser paint between keystrokes, as typing would.
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  }
  done(times);
})();
"#;

/// Two versions of the largest example's first policy whose decisions differ
/// (Deny statements turned into Allow ones, or the other way round).
fn flip(text: &str) -> String {
    if text.contains("\"Deny\"") {
        text.replace("\"Deny\"", "\"Allow\"")
    } else {
        text.replace("\"Allow\"", "\"Deny\"")
    }
}

async fn decision_of(browser: &Browser, index: usize, text: &str) -> Result<String> {
    set_policy_text(browser, index, text).await?;
    // Give the evaluation a moment, then read whatever the badge settles on.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    wait_for_any_decision(browser).await
}

/// Loads the largest example and finds a policy whose flipped text changes
/// the decision: (policy index, text, flipped text, their decisions).
async fn prepare_edits(browser: &Browser) -> Result<(usize, String, String, String, String)> {
    let example = largest_example();
    load_example(browser, example.id).await?;
    wait_for_decision(browser, example.expected_label()).await?;
    let texts = policy_texts(browser).await?;
    for (index, a) in texts.iter().enumerate() {
        let b = flip(a);
        let da = decision_of(browser, index, a).await?;
        let db = decision_of(browser, index, &b).await?;
        set_policy_text(browser, index, a).await?;
        wait_for_decision(browser, &da).await?;
        if da != db {
            return Ok((index, a.clone(), b, da, db));
        }
    }
    Err(format!(
        "no policy of {} changes the decision when its effects are flipped",
        example.id
    )
    .into())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or(f64::NAN)
}

#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn keystroke_to_decision() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    // Typing starts once the service catalogue is loaded, so every edit is
    // validated with it (as it is after the first second of a visit).
    browser
        .wait_for_text("[data-testid=catalog-status]")
        .await?;
    // And the checks module, whose findings join every edit's.
    checks_module_ready(&browser).await?;
    let example = largest_example();
    let (index, a, b, da, db) = prepare_edits(&browser).await?;
    let n = 50;
    let v = browser
        .client
        .execute_async(
            KEYSTROKES,
            vec![
                json!(n),
                json!(index),
                json!(a),
                json!(b),
                json!(da),
                json!(db),
            ],
        )
        .await?;
    let mut times: Vec<f64> = v
        .as_array()
        .ok_or("no timings")?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    times.sort_by(f64::total_cmp);
    let median = percentile(&times, 0.5);
    let p95 = percentile(&times, 0.95);
    println!(
        "bench: keystroke to decision on {} ({} bytes, {} policies; edits of policy {index}), {n} edits: median {median:.1} ms, p95 {p95:.1} ms, max {:.1} ms (budget 50 ms)",
        example.id,
        example.text.len(),
        example.workspace().policies.len(),
        times.last().copied().unwrap_or(f64::NAN)
    );
    assert!(median <= 50.0, "median {median:.1} ms");
    browser.close().await
}

/// The JS heap (after a forced GC) and the wasm memory, in bytes.
const MEMORY: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  for (let i = 0; i < 3; i++) { if (window.gc) window.gc(); await new Promise(r => setTimeout(r, 50)); }
  const glue = await import('./pkg/iam_playground.js');
  const exports = await glue.default();
  // The page's instance of the checks module (the same address imports the
  // same module; its init returns the running instance).
  const checks = window.__checksReadyMs === undefined ? null
    : await (await import(new URL('checks/iam_playground_checks.js', document.baseURI).href)).default();
  done({ js: performance.memory ? performance.memory.usedJSHeapSize : null,
         wasm: exports.memory.buffer.byteLength,
         checks: checks ? checks.memory.buffer.byteLength : null,
         nodes: document.getElementsByTagName('*').length });
})();
"#;

#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn memory_over_1000_edits() -> Result<()> {
    let browser =
        Browser::start_with_args(&["--js-flags=--expose-gc", "--enable-precise-memory-info"])
            .await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    // Edits run with the catalogue and the checks module, as after the
    // first second of a visit.
    checks_module_ready(&browser).await?;
    // 1,100 edits take longer than WebDriver's default 30 s script timeout.
    browser
        .client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(std::time::Duration::from_secs(600)),
            Some(std::time::Duration::from_secs(60)),
            Some(std::time::Duration::from_secs(0)),
        ))
        .await?;
    let example = largest_example();
    let (index, a, b, da, db) = prepare_edits(&browser).await?;
    // Warm up (first-time allocations, JIT), then measure.
    browser
        .client
        .execute_async(
            KEYSTROKES,
            vec![
                json!(100),
                json!(index),
                json!(a),
                json!(b),
                json!(da),
                json!(db),
            ],
        )
        .await?;
    // Two rounds of 1,000 edits: a leak grows the same amount in each, GC
    // noise does not.
    let edits = vec![
        json!(1000),
        json!(index),
        json!(a),
        json!(b),
        json!(da),
        json!(db),
    ];
    let m0 = browser.client.execute_async(MEMORY, vec![]).await?;
    browser
        .client
        .execute_async(KEYSTROKES, edits.clone())
        .await?;
    let m1 = browser.client.execute_async(MEMORY, vec![]).await?;
    browser.client.execute_async(KEYSTROKES, edits).await?;
    let m2 = browser.client.execute_async(MEMORY, vec![]).await?;
    let get = |v: &Value, k: &str| v.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
    let (js0, js1, js2) = (get(&m0, "js"), get(&m1, "js"), get(&m2, "js"));
    let (w0, w1, w2) = (get(&m0, "wasm"), get(&m1, "wasm"), get(&m2, "wasm"));
    let (n0, n1, n2) = (get(&m0, "nodes"), get(&m1, "nodes"), get(&m2, "nodes"));
    let (c0, c1, c2) = (get(&m0, "checks"), get(&m1, "checks"), get(&m2, "checks"));
    println!(
        "bench: memory over 2 x 1000 edits of {}: JS heap (after GC) {:.2} -> {:.2} -> {:.2} MB ({:+.1} KB, {:+.1} KB), wasm memory {:.2} -> {:.2} -> {:.2} MB, checks module memory {:.2} -> {:.2} -> {:.2} MB, DOM elements {n0} -> {n1} -> {n2}",
        example.id,
        js0 / 1e6,
        js1 / 1e6,
        js2 / 1e6,
        (js1 - js0) / 1e3,
        (js2 - js1) / 1e3,
        w0 / 1e6,
        w1 / 1e6,
        w2 / 1e6,
        c0 / 1e6,
        c1 / 1e6,
        c2 / 1e6
    );
    // "No growth": the JS heap within 1 MB per 1,000 edits (GC noise), wasm
    // memory within 10 pages of 64 KiB, the DOM unchanged.
    for (from, to) in [(js0, js1), (js1, js2)] {
        assert!(
            to - from < 1_000_000.0,
            "JS heap grew by {} bytes",
            to - from
        );
    }
    assert!(
        w2 - w0 <= 10.0 * 65536.0,
        "wasm memory grew by {} bytes",
        w2 - w0
    );
    assert!(
        c2 - c0 <= 10.0 * 65536.0,
        "the checks module's memory grew by {} bytes",
        c2 - c0
    );
    let (n1, n0) = (n2, n0);
    assert!((n1 - n0).abs() < 1.0, "DOM grew from {n0} to {n1} elements");
    browser.close().await
}

/// Screenshots of the toolbar's panels and dialogs, the notices and the
/// embed view, into `<target>/screenshots/` (for review, not committed).
async fn review_shots(browser: &Browser) -> Result<()> {
    let click = |css: &'static str| async move {
        browser.wait_for_element(css).await?.click().await?;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        Result::<()>::Ok(())
    };
    click("[data-testid=gallery]").await?;
    browser.screenshot("review-gallery").await?;
    click("[data-testid=gallery]").await?;
    click("[data-testid=copy-link]").await?;
    browser.screenshot("review-share").await?;
    click("[data-testid=embed]").await?;
    browser.screenshot("review-embed-panel").await?;
    click("[data-testid=embed]").await?;
    click("[data-testid=reset]").await?;
    browser.screenshot("review-confirm-reset").await?;
    click("[data-testid=confirm-no]").await?;
    click("[data-testid=paste]").await?;
    browser
        .client
        .execute(
            "const ta = document.querySelector('[data-testid=paste-scenario]');\
             const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;\
             set.call(ta, 'Version: 2012-10-17\\nStatement:\\n  - Effect: Allow');\
             ta.dispatchEvent(new InputEvent('input', { bubbles: true }));",
            vec![],
        )
        .await?;
    click("[data-testid=paste-load]").await?;
    browser.screenshot("review-paste-yaml").await?;
    click("[data-testid=paste-cancel]").await?;
    browser.open("/?x#s=1.eJzLSM3JyQcABiwC").await?;
    wait_for_any_decision(browser).await?;
    browser.screenshot("review-bad-link").await?;
    let fragment = iam_playground::share_link::fragment_for(&EXAMPLES[2].workspace());
    browser.open(&format!("/?embed{fragment}")).await?;
    wait_for_any_decision(browser).await?;
    browser.screenshot("review-embed-view").await?;
    browser.client.set_window_size(375, 800).await?;
    browser.screenshot("review-embed-view-375").await?;
    browser.open("/").await?;
    wait_for_any_decision(browser).await?;
    click("[data-testid=gallery]").await?;
    browser.screenshot("review-gallery-375").await?;
    browser.client.set_window_size(1280, 860).await?;
    load_example(browser, "03-cross-account-bucket").await?;
    wait_for_decision(browser, EXAMPLES[2].expected_label()).await?;
    browser
        .eval("document.querySelector('[data-testid=dismiss-notice]')?.click(); document.activeElement?.blur(); window.scrollTo(0, 0); return null;")
        .await?;
    Ok(())
}

/// Screenshots for the README: light and dark, 1280×860, in docs/screenshots.
#[tokio::test]
#[ignore = "writes docs/screenshots: run by scripts/screenshots"]
async fn screenshots() -> Result<()> {
    let browser = Browser::start_with_args(&["--hide-scrollbars"]).await?;
    browser.client.set_window_size(1280, 860).await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    load_example(&browser, "03-cross-account-bucket").await?;
    wait_for_decision(&browser, EXAMPLES[2].expected_label()).await?;
    browser
        .eval("document.querySelector('[data-testid=dismiss-notice]')?.click(); document.activeElement?.blur(); return null;")
        .await?;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let dir = workspace_root().join("docs/screenshots");
    review_shots(&browser).await?;
    for scheme in ["light", "dark"] {
        browser
            .cdp(
                "Emulation.setEmulatedMedia",
                json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
            )
            .await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let file = dir.join(format!("playground-{scheme}.png"));
        browser.screenshot_to(&file).await?;
        println!("screenshot: {}", file.display());
    }
    browser.close().await
}

/// Watches the page while an account file is read: every animation frame
/// records the gap since the previous one, so the longest gap is the
/// longest time the page could not paint or answer input.
const FRAME_PROBE: &str = r#"
window.__gaps = [];
let last = performance.now();
const tick = (t) => { window.__gaps.push(t - last); last = t; if (window.__gaps.length < 100000) requestAnimationFrame(tick); };
requestAnimationFrame(tick);
"#;

/// Budget (issue 11): a 20 MB `get-account-authorization-details` file is
/// read in at most 1 s and never freezes the page. Reads a generated file
/// of 20,000,000 bytes (seed 11) through the account dialog's file input,
/// five times; reports the app's own reading time (file text to principal
/// list) and the longest frame gap while reading.
#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn account_import_20mb() -> Result<()> {
    use fantoccini::Locator;
    let dir = std::env::temp_dir().join(format!("iam-account-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("details-20mb.json");
    let text = iam_engine::account::generate::generate(11, 20_000_000);
    std::fs::write(&path, &text)?;
    let browser = Browser::start().await?;
    let mut reads = Vec::new();
    let mut gaps = Vec::new();
    for run in 0..5 {
        browser.open(&format!("/?run={run}")).await?;
        wait_for_any_decision(&browser).await?;
        let input = open_account_dialog(&browser).await?;
        browser.eval(FRAME_PROBE).await?;
        input.send_keys(&path.to_string_lossy()).await?;
        let summary = harness::wait_for(
            "the account summary",
            std::time::Duration::from_secs(60),
            || async {
                match browser
                    .client
                    .find(Locator::Css("[data-testid=account-summary]"))
                    .await
                {
                    Ok(e) => Ok(Some(e.text().await?)),
                    Err(_) => Ok(None),
                }
            },
        )
        .await?;
        let millis: f64 = summary
            .split("(read in ")
            .nth(1)
            .and_then(|s| s.split(" ms").next())
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| format!("no reading time in {summary:?}"))?;
        let gap = browser
            .eval("return Math.max(...window.__gaps.slice(1));")
            .await?
            .as_f64()
            .unwrap_or(f64::NAN);
        reads.push(millis);
        gaps.push(gap);
    }
    let mut sorted = reads.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let worst_gap = gaps.iter().copied().fold(0.0, f64::max);
    println!(
        "bench: account import of a {} byte file: median {median:.0} ms (budget 1000 ms), all {reads:.0?}; longest frame gap while reading {worst_gap:.0} ms, all {gaps:.0?}",
        text.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(median <= 1000.0, "reading took {median:.0} ms");
    browser.close().await
}

/// "Who can" on a 20 MB account (seed 11, 6,065 users and roles): the
/// app's own time from Check to the table (decided in slices of 200
/// principals with a turn of the page between), five checks, and the
/// longest frame gap meanwhile. Aim: well under a second, no freeze.
#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn who_can_20mb() -> Result<()> {
    use fantoccini::Locator;
    let dir = std::env::temp_dir().join(format!("iam-who-can-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("details-20mb.json");
    std::fs::write(
        &path,
        iam_engine::account::generate::generate(11, 20_000_000),
    )?;
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    load_account(&browser, &path).await?;
    harness::wait_for(
        "the account summary",
        std::time::Duration::from_secs(60),
        || async {
            Ok(browser
                .client
                .find(Locator::Css("[data-testid=account-summary]"))
                .await
                .ok())
        },
    )
    .await?;
    browser
        .client
        .find(Locator::Css("[data-testid=mode-who-can]"))
        .await?
        .click()
        .await?;
    browser
        .client
        .execute(
            "for (const [id, v] of [['who-can-action', 's3:PutObject'], ['who-can-resource', 'arn:aws:s3:::dev-bucket/app.js']]) {\
               const i = document.querySelector(`[data-testid=${id}]`);\
               Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(i, v);\
               i.dispatchEvent(new InputEvent('input', { bubbles: true })); }",
            vec![],
        )
        .await?;
    let mut times = Vec::new();
    let mut gaps = Vec::new();
    let mut rows = 0.0;
    for run in 0..5 {
        browser.eval(FRAME_PROBE).await?;
        browser
            .client
            .find(Locator::Css("[data-testid=who-can-check]"))
            .await?
            .click()
            .await?;
        let counts = harness::wait_for(
            "the who-can counts",
            std::time::Duration::from_secs(60),
            || async {
                let text = browser
                    .client
                    .execute(
                        "const c = document.querySelector('[data-testid=who-can-counts]'); \
                         return c && c.dataset.checks === arguments[0] ? c.textContent : '';",
                        vec![json!((run + 1).to_string())],
                    )
                    .await?;
                let text = text.as_str().unwrap_or_default().to_owned();
                Ok(text.contains(" checked in ").then_some(text))
            },
        )
        .await?;
        let millis: f64 = counts
            .split(" checked in ")
            .nth(1)
            .and_then(|s| s.split(" ms").next())
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| format!("no time in {counts:?}"))?;
        rows = counts
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(f64::NAN);
        let gap = browser
            .eval("return Math.max(...window.__gaps.slice(1));")
            .await?
            .as_f64()
            .unwrap_or(f64::NAN);
        times.push(millis);
        gaps.push(gap);
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let worst_gap = gaps.iter().copied().fold(0.0, f64::max);
    println!(
        "bench: who can s3:PutObject on a 20 MB account ({rows} users and roles): median {median:.0} ms, all {times:.0?}; longest frame gap {worst_gap:.0} ms, all {gaps:.0?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
    browser.close().await
}

/// Sids of the statements in [`large_policy`].
const LARGE_STATEMENTS: usize = 2_750;

/// A policy of about 1 MB (pretty-printed, 2,750 statements, one per
/// bucket, just under the 1 MiB limit) whose last statement decides a
/// request on `bucket-2749`: Allow as written, an explicit deny with
/// `effect` = "Deny".
fn large_policy(effect: &str) -> String {
    let statements: Vec<Value> = (0..LARGE_STATEMENTS)
        .map(|i| {
            json!({
                "Sid": format!("Bucket{i}"),
                "Effect": if i + 1 == LARGE_STATEMENTS { effect } else { "Allow" },
                "Action": ["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
                "Resource": [format!("arn:aws:s3:::bucket-{i}"), format!("arn:aws:s3:::bucket-{i}/*")],
                "Condition": { "Bool": { "aws:SecureTransport": "true" } }
            })
        })
        .collect();
    serde_json::to_string_pretty(&json!({ "Version": "2012-10-17", "Statement": statements }))
        .unwrap_or_default()
}

/// The scenario around [`large_policy`], as a share link's fragment.
fn large_scenario_fragment() -> String {
    let scenario = json!({
        "name": "Large input: a 1 MB policy",
        "policies": [{ "name": "Large", "type": "identity", "document": large_policy("Allow") }],
        "request": {
            "principal": "arn:aws:iam::111122223333:user/alice",
            "action": "s3:GetObject",
            "resource": format!("arn:aws:s3:::bucket-{}/report.csv", LARGE_STATEMENTS - 1),
            "context": { "aws:SecureTransport": true }
        }
    });
    iam_playground::share_link::fragment(&scenario.to_string())
}

/// Edits as typing makes them, in the editor of policy `idx`: selects the
/// last `"Effect": "<from>"` value and types `<to>` over it
/// (`execCommand('insertText')`, which the browser applies like a
/// keystroke, incrementally), alternating Allow and Deny. Returns, per edit,
/// `[to decision, to the next frame drawn]` in milliseconds.
const TYPED_EDITS: &str = r#"
const [n, idx, done] = arguments;
const ta = document.querySelectorAll('[data-testid=policy-text]')[idx];
const times = [];
const one = (from, to, expect) => new Promise(resolve => {
  const at = ta.value.lastIndexOf('"Effect": "' + from + '"') + '"Effect": "'.length;
  ta.focus();
  ta.setSelectionRange(at, at + from.length);
  let t0;
  const check = () => {
    const d = document.querySelector('[data-testid=decision]');
    if (d && d.textContent.trim() === expect) {
      obs.disconnect();
      const decided = performance.now() - t0;
      requestAnimationFrame(() => setTimeout(() => resolve([decided, performance.now() - t0]), 0));
      return true;
    }
    return false;
  };
  const obs = new MutationObserver(check);
  obs.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  t0 = performance.now();
  document.execCommand('insertText', false, to);
});
(async () => {
  for (let i = 0; i < n; i++) {
    times.push(i % 2 ? await one('Deny', 'Allow', 'Allow') : await one('Allow', 'Deny', 'Explicit deny'));
    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  }
  done(times);
})();
"#;

/// Time from a typed character to the next frame drawn (input latency),
/// without waiting for the decision: types `x` at the end of the policy's
/// last Sid and deletes it again, `n` times each.
const TYPED_CHARACTERS: &str = r#"
const [n, idx, done] = arguments;
const ta = document.querySelectorAll('[data-testid=policy-text]')[idx];
const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
(async () => {
  const times = [];
  const at = ta.value.lastIndexOf('"Sid": "') + '"Sid": "'.length + 3;
  ta.focus();
  for (let i = 0; i < n; i++) {
    ta.setSelectionRange(at, at);
    let t0 = performance.now();
    document.execCommand('insertText', false, 'x');
    await frame();
    times.push(performance.now() - t0);
    await new Promise(r => setTimeout(r, 120));
    ta.setSelectionRange(at, at + 1);
    t0 = performance.now();
    document.execCommand('delete');
    await frame();
    times.push(performance.now() - t0);
    await new Promise(r => setTimeout(r, 120));
  }
  done(times);
})();
"#;

#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn keystroke_to_decision_on_a_1mb_policy() -> Result<()> {
    let browser = Browser::start().await?;
    let fragment = large_scenario_fragment();
    let a = large_policy("Allow");
    if !(950_000..=iam_engine::limits::MAX_POLICY_BYTES).contains(&a.len()) {
        return Err(format!("the large policy is {} bytes, not about 1 MB", a.len()).into());
    }
    // Opening the link: navigation to the first decision drawn.
    let opened = std::time::Instant::now();
    browser.open(&format!("/{fragment}")).await?;
    wait_for_decision(&browser, "Allow").await?;
    let open_ms = opened.elapsed().as_secs_f64() * 1000.0;
    let texts = policy_texts(&browser).await?;
    let shown = texts.first().ok_or("no policy editor")?;
    if shown != &a {
        return Err(format!(
            "the editor shows {} bytes, not the {}-byte policy",
            shown.len(),
            a.len()
        )
        .into());
    }
    browser.allow_long_scripts().await?;
    let n = 10;
    let v = browser
        .client
        .execute_async(TYPED_EDITS, vec![json!(n), json!(0)])
        .await?;
    let pairs: Vec<(f64, f64)> = v
        .as_array()
        .ok_or("no timings")?
        .iter()
        .filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?)))
        .collect();
    let mut decided: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let mut painted: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    decided.sort_by(f64::total_cmp);
    painted.sort_by(f64::total_cmp);
    let v = browser
        .client
        .execute_async(TYPED_CHARACTERS, vec![json!(n), json!(0)])
        .await?;
    let mut typed: Vec<f64> = v
        .as_array()
        .ok_or("no timings")?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    typed.sort_by(f64::total_cmp);
    let nodes = browser
        .eval("return document.getElementsByTagName('*').length;")
        .await?;
    println!(
        "bench: 1 MB policy ({} bytes, {LARGE_STATEMENTS} statements, {} lines): link opened to decision {open_ms:.0} ms; {n} typed edits of an Effect, keystroke to decision median {:.1} ms, p95 {:.1} ms, to the next frame drawn median {:.1} ms, p95 {:.1} ms (budget 100 ms); {} typed characters, keystroke to next frame median {:.1} ms, p95 {:.1} ms; DOM {nodes} elements",
        a.len(),
        a.lines().count(),
        percentile(&decided, 0.5),
        percentile(&decided, 0.95),
        percentile(&painted, 0.5),
        percentile(&painted, 0.95),
        typed.len(),
        percentile(&typed, 0.5),
        percentile(&typed, 0.95),
    );
    browser.close().await
}

/// The typical policy set × every action of the catalogue × one resource
/// (about 22,000 requests): the file `engine/benches/many.rs` writes.
const EVERY_ACTION: &str = include_str!("data/every-action.json");

/// Runs `n` edits of policy `idx`, alternating texts `a` and `b` whose
/// results differ, and returns per edit: [ms from the `input` event to the
/// next frame (how long the edit itself holds the page), ms to the table
/// painted with the new decisions of the rows in view (the frame after the
/// summary changed), ms to every row decided and painted].
const TABLE_EDITS: &str = r#"
const [n, idx, a, b, done] = arguments;
const ta = document.querySelectorAll('[data-testid=policy-text]')[idx];
const set = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
const summary = () => document.querySelector('[data-testid=results-summary]').textContent;
const frame = () => new Promise(r => requestAnimationFrame(() => r(performance.now())));
const one = async (text) => {
  const before = summary();
  set.call(ta, text);
  const t0 = performance.now();
  ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'x' }));
  const first = (await frame()) - t0;
  while (summary() === before) { await frame(); if (performance.now() - t0 > 10000) return [first, NaN]; }
  // The frame after the change is the one that paints it.
  const painted = (await frame()) - t0;
  while (summary().includes('being decided')) { await frame(); if (performance.now() - t0 > 10000) return [first, painted, NaN]; }
  const complete = (await frame()) - t0;
  return [first, painted, complete];
};
(async () => {
  const out = [];
  for (let i = 0; i < n; i++) {
    out.push(await one(i % 2 ? a : b));
    await new Promise(r => setTimeout(r, 200));
  }
  done(out);
})();
"#;

/// Scrolls the table by `step` pixels a frame for `n` frames and returns the
/// frame intervals (ms) and the most rows the DOM held.
const TABLE_SCROLL: &str = r#"
const [n, step, done] = arguments;
const s = document.querySelector('[data-testid=results-scroll]');
const times = [];
let most = 0;
let last = performance.now();
let i = 0;
const tick = (now) => {
  times.push(now - last);
  last = now;
  most = Math.max(most, document.querySelectorAll('[data-testid=result-row]').length);
  if (i++ >= n) { done([times.slice(1), most]); return; }
  s.scrollTop += step;
  requestAnimationFrame(tick);
};
requestAnimationFrame((now) => { last = now; requestAnimationFrame(tick); });
"#;

/// Opens [`EVERY_ACTION`] by share link and waits until every row is
/// decided (the catalogue loaded and `*` expanded); returns the summary.
async fn open_every_action(browser: &Browser) -> Result<String> {
    let fragment = iam_playground::share_link::fragment(EVERY_ACTION);
    browser.open(&format!("/{fragment}")).await?;
    wait_for("every action decided", DEFAULT_TIMEOUT, || async {
        let s = browser
            .eval("const s = document.querySelector('[data-testid=results-summary]'); return s ? s.textContent : '';")
            .await?;
        let s = s.as_str().unwrap_or_default().to_string();
        Ok((s.contains("allowed") && !s.contains("waiting") && !s.contains("being decided"))
            .then_some(s))
    })
    .await
}

#[tokio::test]
#[ignore = "benchmark: run by scripts/bench-web"]
async fn results_table_every_action() -> Result<()> {
    let browser = Browser::start().await?;
    let opened = std::time::Instant::now();
    let summary = open_every_action(&browser).await?;
    let open_ms = opened.elapsed().as_secs_f64() * 1000.0;
    let texts = policy_texts(&browser).await?;
    let a = texts.first().ok_or("no policy editor")?.clone();
    let b = flip(&a);
    browser.allow_long_scripts().await?;
    let n = 12;
    let v = browser
        .client
        .execute_async(TABLE_EDITS, vec![json!(n), json!(0), json!(a), json!(b)])
        .await?;
    let triples: Vec<(f64, f64, f64)> = v
        .as_array()
        .ok_or("no timings")?
        .iter()
        .filter_map(|p| {
            Some((
                p.get(0)?.as_f64()?,
                p.get(1)?.as_f64()?,
                p.get(2)?.as_f64()?,
            ))
        })
        .collect();
    let mut held: Vec<f64> = triples.iter().map(|p| p.0).collect();
    let mut painted: Vec<f64> = triples.iter().map(|p| p.1).collect();
    let mut complete: Vec<f64> = triples.iter().map(|p| p.2).collect();
    held.sort_by(f64::total_cmp);
    painted.sort_by(f64::total_cmp);
    complete.sort_by(f64::total_cmp);
    let v = browser
        .client
        .execute_async(TABLE_SCROLL, vec![json!(240), json!(160)])
        .await?;
    let mut frames: Vec<f64> = v
        .get(0)
        .and_then(Value::as_array)
        .ok_or("no frames")?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    let most_rows = v.get(1).and_then(Value::as_u64).unwrap_or(0);
    frames.sort_by(f64::total_cmp);
    let long = frames.iter().filter(|t| **t > 34.0).count();
    println!(
        "bench: results table, {summary}: link to every row decided {open_ms:.0} ms; {n} edits of policy 0: edit to table painted (rows in view decided): median {:.0} ms, p95 {:.0} ms, max {:.0} ms (budget 300 ms); edit to every row decided and painted: median {:.0} ms, p95 {:.0} ms, max {:.0} ms; edit to next frame: median {:.1} ms, max {:.1} ms",
        percentile(&painted, 0.5),
        percentile(&painted, 0.95),
        painted.last().copied().unwrap_or(f64::NAN),
        percentile(&complete, 0.5),
        percentile(&complete, 0.95),
        complete.last().copied().unwrap_or(f64::NAN),
        percentile(&held, 0.5),
        held.last().copied().unwrap_or(f64::NAN),
    );
    println!(
        "bench: results table scrolling 160 px (5 rows) a frame over {} frames: frame median {:.1} ms, p95 {:.1} ms, max {:.1} ms, {long} frames over 34 ms; at most {most_rows} rows in the DOM",
        frames.len(),
        percentile(&frames, 0.5),
        percentile(&frames, 0.95),
        frames.last().copied().unwrap_or(f64::NAN),
    );
    assert!(percentile(&painted, 0.5) <= 300.0);
    browser.close().await
}

/// Where the time of typed characters goes on a 1 MB policy: Chromium's
/// sampling profiler (DevTools protocol) while [`TYPED_CHARACTERS`] runs,
/// printed as the functions with the most time, self and total. Function
/// names of the app's WebAssembly need a build with its name section
/// (`WASM_OPT=0 scripts/build`; wasm-opt drops the names).
#[tokio::test]
#[ignore = "profile: run by hand"]
async fn profile_typing_on_a_1mb_policy() -> Result<()> {
    let browser = Browser::start().await?;
    browser
        .open(&format!("/{}", large_scenario_fragment()))
        .await?;
    wait_for_decision(&browser, "Allow").await?;
    browser.allow_long_scripts().await?;
    browser.cdp("Profiler.enable", json!({})).await?;
    browser
        .cdp("Profiler.setSamplingInterval", json!({ "interval": 200 }))
        .await?;
    // PROFILE_KEYSTROKES=1: characters typed 30 ms apart, so the debounced
    // work (evaluation, deferred checks) waits until the end and the
    // profile is the keystrokes' own work.
    let script = if std::env::var("PROFILE_KEYSTROKES").is_ok() {
        TYPED_CHARACTERS.replace("setTimeout(r, 120)", "setTimeout(r, 30)")
    } else {
        TYPED_CHARACTERS.to_owned()
    };
    browser.cdp("Profiler.start", json!({})).await?;
    let v = browser
        .client
        .execute_async(&script, vec![json!(5), json!(0)])
        .await?;
    let profile = browser.cdp("Profiler.stop", json!({})).await?;
    println!("typed characters (ms): {v}");
    print_profile(&profile, "10 edits")?;
    browser.close().await
}

/// Prints where the time of a CDP `Profiler.stop` reply went: the functions
/// with the most time, self and total (and with PROFILE_FOCUS=name, the
/// call paths into the functions whose names contain it).
fn print_profile(profile: &Value, what: &str) -> Result<()> {
    let profile = profile.get("profile").ok_or("no profile")?;
    let nodes = profile["nodes"].as_array().ok_or("no nodes")?;
    let mut name = std::collections::HashMap::new();
    let mut parent = std::collections::HashMap::new();
    for n in nodes {
        let id = n["id"].as_u64().unwrap_or(0);
        let frame = &n["callFrame"];
        let f = frame["functionName"].as_str().unwrap_or("");
        let f = if f.is_empty() { "(anonymous)" } else { f };
        let url = frame["url"].as_str().unwrap_or("");
        let file = url.rsplit('/').next().unwrap_or("");
        name.insert(id, format!("{f} [{file}]"));
        for c in n["children"].as_array().into_iter().flatten() {
            parent.insert(c.as_u64().unwrap_or(0), id);
        }
    }
    let label = |id: u64| name.get(&id).cloned().unwrap_or_default();
    let samples = profile["samples"].as_array().ok_or("no samples")?;
    let deltas = profile["timeDeltas"].as_array().ok_or("no deltas")?;
    let mut own: std::collections::HashMap<String, f64> = Default::default();
    let mut total: std::collections::HashMap<String, f64> = Default::default();
    for (s, d) in samples.iter().zip(deltas.iter().skip(1).chain([&json!(0)])) {
        let ms = d.as_f64().unwrap_or(0.0) / 1000.0;
        let mut id = s.as_u64().unwrap_or(0);
        *own.entry(label(id)).or_default() += ms;
        let mut seen = std::collections::HashSet::new();
        loop {
            if seen.insert(label(id)) {
                *total.entry(label(id)).or_default() += ms;
            }
            match parent.get(&id) {
                Some(p) => id = *p,
                None => break,
            }
        }
    }
    // With PROFILE_FOCUS=name: the call paths (4 callers up) into the
    // functions whose names contain it, by time.
    if let Ok(focus) = std::env::var("PROFILE_FOCUS") {
        let mut paths: std::collections::HashMap<String, f64> = Default::default();
        for (s, d) in samples.iter().zip(deltas.iter().skip(1).chain([&json!(0)])) {
            let ms = d.as_f64().unwrap_or(0.0) / 1000.0;
            let mut id = s.as_u64().unwrap_or(0);
            let mut chain = Vec::new();
            let mut found = false;
            loop {
                let n = label(id);
                if found {
                    chain.push(n.chars().take(110).collect::<String>());
                    if chain.len() == 6 {
                        break;
                    }
                } else if n.contains(&focus) {
                    found = true;
                    chain.push(n.chars().take(110).collect::<String>());
                }
                match parent.get(&id) {
                    Some(p) => id = *p,
                    None => break,
                }
            }
            if found {
                *paths.entry(chain.join("\n      <- ")).or_default() += ms;
            }
        }
        let mut paths: Vec<_> = paths.into_iter().collect();
        paths.sort_by(|a, b| b.1.total_cmp(&a.1));
        for (path, ms) in paths.iter().take(8) {
            println!("{ms:9.1}  {path}");
        }
    }
    let mut own: Vec<_> = own.into_iter().collect();
    own.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut total: Vec<_> = total.into_iter().collect();
    total.sort_by(|a, b| b.1.total_cmp(&a.1));
    println!("self time (ms), {what}:");
    for (f, ms) in own.iter().take(40) {
        println!("{ms:9.1}  {f}");
    }
    println!("total time (ms), {what}:");
    for (f, ms) in total.iter().take(70) {
        println!("{ms:9.1}  {f}");
    }
    Ok(())
}

/// Where the time of scrolling the results table goes ([`TABLE_SCROLL`]
/// on [`EVERY_ACTION`], 240 frames of 160 px): the renderer's own
/// counters (script, style, layout, tasks; `Performance.getMetrics`) and
/// Chromium's sampling profiler, as [`profile_typing_on_a_1mb_policy`]
/// prints it (`WASM_OPT=0 scripts/build` for the app's function names).
#[tokio::test]
#[ignore = "profile: run by hand"]
async fn profile_results_scroll() -> Result<()> {
    // PROFILE_TRACE=file: also a Chromium trace (the renderer's timeline:
    // style, layout, paint with their element counts) of the first 30 s
    // into that file, for chrome://tracing or a script.
    let trace = std::env::var("PROFILE_TRACE").ok().map(|file| {
        [
            format!(
                "--trace-startup={}",
                std::env::var("PROFILE_TRACE_CATEGORIES").unwrap_or_else(|_| {
                    "devtools.timeline,disabled-by-default-devtools.timeline".to_owned()
                })
            ),
            format!("--trace-startup-file={file}"),
            "--trace-startup-duration=30".to_owned(),
            "--trace-startup-format=json".to_owned(),
        ]
    });
    let args: Vec<&str> = trace.iter().flatten().map(String::as_str).collect();
    let browser = Browser::start_with_args(&args).await?;
    open_every_action(&browser).await?;
    browser.allow_long_scripts().await?;
    // PROFILE_EDITS=1: the bench's 12 edits first (it scrolls after them).
    if std::env::var("PROFILE_EDITS").is_ok() {
        let texts = policy_texts(&browser).await?;
        let a = texts.first().ok_or("no policy editor")?.clone();
        let b = flip(&a);
        browser
            .client
            .execute_async(TABLE_EDITS, vec![json!(12), json!(0), json!(a), json!(b)])
            .await?;
    }
    let metrics = |v: Value| -> std::collections::HashMap<String, f64> {
        v["metrics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| Some((m["name"].as_str()?.to_owned(), m["value"].as_f64()?)))
            .collect()
    };
    browser.cdp("Performance.enable", json!({})).await?;
    browser.cdp("Profiler.enable", json!({})).await?;
    browser
        .cdp("Profiler.setSamplingInterval", json!({ "interval": 200 }))
        .await?;
    let before = metrics(browser.cdp("Performance.getMetrics", json!({})).await?);
    browser.cdp("Profiler.start", json!({})).await?;
    let v = browser
        .client
        .execute_async(TABLE_SCROLL, vec![json!(240), json!(160)])
        .await?;
    let profile = browser.cdp("Profiler.stop", json!({})).await?;
    let after = metrics(browser.cdp("Performance.getMetrics", json!({})).await?);
    let mut frames: Vec<f64> = v
        .get(0)
        .and_then(Value::as_array)
        .ok_or("no frames")?
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    frames.sort_by(f64::total_cmp);
    println!(
        "frames: median {:.1} ms, p95 {:.1} ms, max {:.1} ms, {} over 34 ms",
        percentile(&frames, 0.5),
        percentile(&frames, 0.95),
        frames.last().copied().unwrap_or(f64::NAN),
        frames.iter().filter(|t| **t > 34.0).count()
    );
    for key in [
        "TaskDuration",
        "ScriptDuration",
        "RecalcStyleDuration",
        "LayoutDuration",
        "RecalcStyleCount",
        "LayoutCount",
        "Nodes",
        "JSHeapUsedSize",
    ] {
        let d = after.get(key).copied().unwrap_or(f64::NAN)
            - before.get(key).copied().unwrap_or(f64::NAN);
        let d = if key.ends_with("Duration") {
            d * 1000.0
        } else {
            d
        };
        println!(
            "{key}: {d:.1}{}",
            if key.ends_with("Duration") { " ms" } else { "" }
        );
    }
    print_profile(&profile, "240 frames")?;
    if trace.is_some() {
        // The trace is written when its 30 s are over.
        tokio::time::sleep(std::time::Duration::from_secs(25)).await;
    }
    browser.close().await
}
