//! The request panel's lists in the built app (`dist/`), headless Chromium:
//! the action picker (a service, "All Read actions", the keyboard), two
//! more resources, the matrix in the share link and the draft, restored on
//! reload, and back to one request. Measures the time to show EC2's ~750
//! actions, and takes screenshots of the panel.
//!
//! Build first with `scripts/build`; `scripts/test` does that for you.

mod harness;
mod playground;

use fantoccini::key::Key;
use fantoccini::Locator;
use harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};
use playground::*;
use serde_json::{json, Value};

/// Sets an input's value as typing would.
async fn set_input(browser: &Browser, css: &str, index: usize, value: &str) -> Result<()> {
    let done = browser
        .client
        .execute(
            "const i = document.querySelectorAll(arguments[0])[arguments[1]];\
             if (!i) return false;\
             const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;\
             set.call(i, arguments[2]);\
             i.dispatchEvent(new InputEvent('input', { bubbles: true }));\
             return true;",
            vec![json!(css), json!(index), json!(value)],
        )
        .await?;
    if done != Value::Bool(true) {
        return Err(format!("no input `{css}` number {index}").into());
    }
    Ok(())
}

/// What the focused element is: its `data-testid`, `data-level` or value.
async fn focused(browser: &Browser) -> Result<String> {
    let v = browser
        .eval(
            "const e = document.activeElement;\
             return e ? (e.dataset.testid || (e.dataset.level && 'level:' + e.dataset.level) || e.value || e.tagName) : '';",
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// The live count of the panel's requests (empty for a single request).
async fn request_count(browser: &Browser) -> Result<String> {
    let v = browser
        .eval("const e = document.querySelector('[data-testid=request-count]'); return e ? e.textContent : null;")
        .await?;
    Ok(v.as_str().unwrap_or_default().to_string())
}

/// Waits until the request count reads `expected`.
async fn wait_for_count(browser: &Browser, expected: &str) -> Result<()> {
    wait_for(
        &format!("the request count `{expected}`"),
        DEFAULT_TIMEOUT,
        || async { Ok((request_count(browser).await? == expected).then_some(())) },
    )
    .await
}

/// Opens the action picker ("Choose…").
async fn open_picker(browser: &Browser) -> Result<()> {
    browser
        .wait_for_element("[data-testid=choose-actions]")
        .await?
        .click()
        .await?;
    Ok(())
}

/// Screenshots the request panel alone.
async fn panel_screenshot(browser: &Browser, name: &str) -> Result<()> {
    let panel = browser.wait_for_element("section.request").await?;
    let png = panel.screenshot().await?;
    let dir = harness::screenshot_dir();
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(format!("{name}.png")), png)?;
    Ok(())
}

#[tokio::test]
async fn pick_read_actions_add_resources_share_reload_and_back() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    // One request, as always: no count, no more rows.
    assert_eq!(request_count(&browser).await?, "");
    for css in ["action-chip", "resource-more", "principal-more"] {
        let n = browser
            .eval(&format!(
                "return document.querySelectorAll('[data-testid={css}]').length;"
            ))
            .await?;
        assert_eq!(n, json!(0), "{css}");
    }
    panel_screenshot(&browser, "request-panel-single").await?;
    let single_action = browser
        .eval("return document.querySelector('[data-testid=action]').value;")
        .await?;

    // Open the picker once the catalogue is there; choose EC2 and time how
    // long its actions take to show.
    open_picker(&browser).await?;
    browser
        .wait_for_element("[data-testid=picker-service]")
        .await?;
    // Five times: s3, then ec2 timed from the change to the frame painted
    // (the first rows) and to the whole list drawn; medians.
    let timing = browser
        .eval(
            "return (async () => {\
               const s = document.querySelector('[data-testid=picker-service]');\
               const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));\
               const boxes = () => document.querySelectorAll('[data-testid=picker-list] input').length;\
               const choose = v => { s.value = v; s.dispatchEvent(new Event('change', { bubbles: true })); };\
               const first = [], full = [];\
               for (let i = 0; i < 5; i++) {\
                 choose('s3'); await frame(); await frame(); await new Promise(r => setTimeout(r, 50));\
                 const t0 = performance.now();\
                 choose('ec2'); await frame();\
                 first.push(performance.now() - t0);\
                 while (boxes() < 800 && performance.now() - t0 < 5000) await frame();\
                 full.push(performance.now() - t0);\
               }\
               const median = a => a.sort((x, y) => x - y)[2];\
               return { first: median(first), full: median(full), boxes: boxes() };\
             })();",
        )
        .await?;
    let boxes = timing["boxes"].as_u64().unwrap_or(0);
    let first = timing["first"].as_f64().unwrap_or(f64::NAN);
    let full = timing["full"].as_f64().unwrap_or(f64::NAN);
    eprintln!(
        "request panel: ec2 in the picker, median of 5: first rows painted {first:.1} ms, all {boxes} boxes {full:.1} ms"
    );
    assert!(boxes > 500, "ec2's actions are listed: {boxes}");

    // The keyboard: from the search, ArrowDown enters the list, End goes
    // to its last box, Home back; Escape closes and returns to the button.
    browser
        .wait_for_element("[data-testid=picker-search]")
        .await?
        .click()
        .await?;
    browser.press(Key::Down).await?;
    assert_eq!(focused(&browser).await?, "level:List");
    browser.press(Key::Down).await?;
    let second = focused(&browser).await?;
    assert!(!second.starts_with("level:"), "an action: {second}");
    browser.press(Key::End).await?;
    assert_ne!(focused(&browser).await?, second);
    browser.press(Key::Home).await?;
    assert_eq!(focused(&browser).await?, "level:List");
    browser.press(Key::Escape).await?;
    wait_for("the picker to close", DEFAULT_TIMEOUT, || async {
        Ok(browser
            .client
            .find(Locator::Css("[data-testid=action-picker]"))
            .await
            .is_err()
            .then_some(()))
    })
    .await?;
    assert_eq!(focused(&browser).await?, "choose-actions");

    // Reopen (the service stays the first action's, s3: choose ec2 again)
    // and tick "All Read actions" with Space.
    browser
        .client
        .find(Locator::Css("[data-testid=choose-actions]"))
        .await?
        .click()
        .await?;
    browser
        .eval(
            "const s = document.querySelector('[data-testid=picker-service]');\
             s.value = 'ec2'; s.dispatchEvent(new Event('change', { bubbles: true }));",
        )
        .await?;
    browser.wait_for_element("input[data-level=Read]").await?;
    let reads = browser
        .eval("return document.querySelectorAll('[data-testid=picker-level][data-level=Read] li input').length;")
        .await?
        .as_u64()
        .unwrap_or(0) as usize;
    assert!(reads > 20, "ec2 has many Read actions: {reads}");
    browser
        .eval("document.querySelector('input[data-level=Read]').focus();")
        .await?;
    browser.press(Key::Space).await?;
    let actions = 1 + reads;
    wait_for_count(
        &browser,
        &format!("{actions} requests: {actions} actions × 1 resource × 1 principal"),
    )
    .await?;
    let status = browser.wait_for_text("[data-testid=picker-status]").await?;
    assert!(
        status.contains(&format!("{reads} ticked")),
        "the live status counts the ticks: {status}"
    );

    // A typed wildcard says how many actions it becomes.
    set_input(&browser, "[data-testid=typed-action]", 0, "s3:Get*").await?;
    let typed = browser.wait_for_text("[data-testid=typed-count]").await?;
    assert!(typed.ends_with("actions"), "{typed}");

    // Two more resources.
    for (i, arn) in ["arn:aws:ec2:us-east-1:111122223333:instance/i-1", "*"]
        .iter()
        .enumerate()
    {
        browser
            .wait_for_element("[data-testid=add-resource]")
            .await?
            .click()
            .await?;
        set_input(&browser, "[data-testid=resource-more]", i, arn).await?;
    }
    let total = actions * 3;
    wait_for_count(
        &browser,
        &format!("{total} requests: {actions} actions × 3 resources × 1 principal"),
    )
    .await?;
    panel_screenshot(&browser, "request-panel-matrix").await?;
    browser.screenshot("request-panel-page").await?;
    // Closed again: the other actions as chips, the count.
    browser
        .client
        .find(Locator::Css("[data-testid=choose-actions]"))
        .await?
        .click()
        .await?;
    let chips = browser
        .eval("return document.querySelectorAll('[data-testid=action-chip]').length;")
        .await?;
    assert_eq!(chips, json!(24), "24 chips, then \"Show all\"");
    browser
        .wait_for_element("[data-testid=show-all-actions]")
        .await?
        .click()
        .await?;
    let chips = browser
        .eval("return document.querySelectorAll('[data-testid=action-chip]').length;")
        .await?;
    assert_eq!(chips, json!(reads));
    panel_screenshot(&browser, "request-panel-matrix-closed").await?;

    // The share link carries the matrix; so does the draft.
    browser
        .wait_for_element("[data-testid=copy-link]")
        .await?
        .click()
        .await?;
    let link = browser
        .wait_for_element("[data-testid=share-url]")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    let fragment = link.split_once('#').map(|(_, f)| f).unwrap_or_default();
    let shared = iam_playground::share_link::workspace_from_fragment(&format!("#{fragment}"))
        .ok_or("the link has a scenario")?
        .map_err(|e| format!("{e:?}"))?;
    assert!(shared.request.is_matrix());
    assert_eq!(shared.request.size(), total);
    let draft =
        wait_for_saved_draft(&browser, "arn:aws:ec2:us-east-1:111122223333:instance/i-1").await?;
    let scenario = iam_engine::Scenario::parse(&draft)
        .scenario
        .ok_or("the draft is a scenario")?;
    assert!(scenario.requests.no_request, "{draft}");
    let matrix = &scenario.requests.matrices[0];
    assert_eq!(
        (
            matrix.actions.len(),
            matrix.resources.len(),
            matrix.principals.len()
        ),
        (actions, 3, 1)
    );
    // What `iam-eval test` runs: every combination.
    let cases = iam_engine::suite::expand(&scenario, None).map_err(|e| format!("{e:?}"))?;
    assert_eq!(cases.len(), total);

    // Reload: the draft brings the matrix back.
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    wait_for_count(
        &browser,
        &format!("{total} requests: {actions} actions × 3 resources × 1 principal"),
    )
    .await?;
    let more = browser
        .eval("return document.querySelectorAll('input[data-testid=resource-more]').length;")
        .await?;
    assert_eq!(more, json!(2));

    // Back to one request: the first of each, written as `request`.
    browser
        .wait_for_element("[data-testid=single-request]")
        .await?
        .click()
        .await?;
    wait_for_count(&browser, "").await?;
    let draft = wait_for("a draft with one request", DEFAULT_TIMEOUT, || async {
        Ok(saved_draft(&browser)
            .await?
            .filter(|d| d.contains("\"request\"") && !d.contains("\"matrix\"")))
    })
    .await?;
    assert!(
        draft.contains(single_action.as_str().unwrap_or("?")),
        "{draft}"
    );
    let action_now = browser
        .eval("return document.querySelector('[data-testid=action]').value;")
        .await?;
    assert_eq!(action_now, single_action);
    browser.close().await
}

#[tokio::test]
async fn typed_wildcards_work_without_the_catalogue() -> Result<()> {
    let browser = Browser::start().await?;
    // The catalogue cannot be fetched: the picker says so, typed actions
    // and wildcards still make requests.
    browser.block_catalogue().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    set_input(&browser, "[data-testid=action]", 0, "s3:Get*").await?;
    wait_for_count(
        &browser,
        "1 request: 1 action × 1 resource × 1 principal, before wildcards expand",
    )
    .await?;
    let note = browser
        .wait_for_text("[data-testid=wildcard-count]")
        .await?;
    assert!(note.starts_with("s3:Get*"), "{note}");
    assert!(note.contains("expands once"), "{note}");
    open_picker(&browser).await?;
    let status = browser.wait_for_text("[data-testid=picker-status]").await?;
    assert!(
        status.contains("could not be loaded") || status.starts_with("Loading"),
        "{status}"
    );
    set_input(&browser, "[data-testid=typed-action]", 0, "iam:List*").await?;
    browser
        .wait_for_element("[data-testid=add-typed-action]")
        .await?
        .click()
        .await?;
    wait_for_count(
        &browser,
        "2 requests: 2 actions × 1 resource × 1 principal, before wildcards expand",
    )
    .await?;
    browser.close().await
}

/// A typed wildcard in the action picker: the actions it covers show as
/// included (ticked, not tickable, "via s3:Get*"), and the counts agree
/// with the wildcard's.
#[tokio::test]
async fn the_picker_shows_what_a_typed_wildcard_covers() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    set_input(&browser, "[data-testid=action]", 0, "s3:GetObject").await?;
    open_picker(&browser).await?;
    browser
        .wait_for_element("[data-testid=picker-service]")
        .await?;
    set_input(&browser, "[data-testid=typed-action]", 0, "s3:Get*").await?;
    let typed = browser.wait_for_text("[data-testid=typed-count]").await?;
    let matched: usize = typed
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or(format!("no count in `{typed}`"))?;
    browser
        .wait_for_element("[data-testid=add-typed-action]")
        .await?
        .click()
        .await?;
    // GetObject is ticked; the wildcard's other actions come through it.
    let status = wait_for(
        "the picker's count through the wildcard",
        DEFAULT_TIMEOUT,
        || async {
            let s = browser.wait_for_text("[data-testid=picker-status]").await?;
            Ok(s.contains("through wildcards").then_some(s))
        },
    )
    .await?;
    assert!(
        status.ends_with(&format!(
            "; 1 ticked, {} more through wildcards.",
            matched - 1
        )),
        "{status} (the wildcard matches {matched})"
    );
    let covered = wait_for("every covered action drawn", DEFAULT_TIMEOUT, || async {
        let v = browser
            .eval(
                "return [...document.querySelectorAll('[data-testid=picker-covered]')].map(l => {\
                   const i = l.querySelector('input');\
                   return [i.value, i.checked, i.disabled, l.textContent]; });",
            )
            .await?;
        let list = v.as_array().cloned().unwrap_or_default();
        Ok((list.len() == matched - 1).then_some(list))
    })
    .await?;
    for c in &covered {
        let name = c[0].as_str().unwrap_or_default();
        assert!(name.starts_with("Get"), "{c}");
        assert_eq!((&c[1], &c[2]), (&json!(true), &json!(true)), "{c}");
        assert_eq!(c[3], json!(format!("{name} via s3:Get*")));
    }
    // Every Read action of S3 other than Get* keeps its box; the Read
    // level counts the covered ones as picked.
    let read = browser
        .eval("return document.querySelector('[data-testid=picker-level][data-level=Read] .picker__count').textContent;")
        .await?;
    let read = read.as_str().unwrap_or_default();
    let picked: usize = read
        .split(" / ")
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let covered_read = browser
        .eval("return document.querySelectorAll('[data-testid=picker-level][data-level=Read] [data-testid=picker-covered]').length;")
        .await?;
    assert_eq!(json!(picked - 1), covered_read, "{read}");
    // The list scrolled to the first covered action.
    browser
        .client
        .execute(
            "document.querySelector('[data-testid=picker-covered]').scrollIntoView({ block: 'center' });",
            vec![],
        )
        .await?;
    let png = browser
        .wait_for_element("[data-testid=action-picker]")
        .await?
        .screenshot()
        .await?;
    std::fs::create_dir_all(harness::screenshot_dir())?;
    std::fs::write(
        harness::screenshot_dir().join("action-picker-wildcard.png"),
        png,
    )?;
    browser.close().await
}

/// A matrix whose principals carry their tags (from an imported account):
/// the panel shows each principal's tags; removing one changes only that
/// principal's, and the draft keeps the others.
#[tokio::test]
async fn each_principal_of_a_matrix_keeps_its_tags() -> Result<()> {
    let browser = Browser::start().await?;
    let text = include_str!("../corpus/requests/07-matrix-principal-tags.json");
    let fragment = iam_playground::share_link::fragment(text);
    browser.open(&format!("/{fragment}")).await?;
    wait_for_any_decision(&browser).await?;
    wait_for_count(
        &browser,
        "6 requests: 1 action × 2 resources × 3 principals",
    )
    .await?;
    let who = browser
        .eval("return [...document.querySelectorAll('[data-testid=principal-tags-of]')].map(e => e.textContent);")
        .await?;
    assert_eq!(
        who,
        json!([
            "arn:aws:iam::111122223333:user/alice",
            "arn:aws:iam::111122223333:user/bob"
        ])
    );
    let tags = browser
        .eval("return [...document.querySelectorAll('[data-testid=principal-tag] code')].map(e => e.textContent);")
        .await?;
    assert_eq!(
        tags,
        json!([
            "aws:PrincipalTag/project",
            "apollo",
            "aws:PrincipalTag/project",
            "gemini",
            "aws:PrincipalTag/team",
            "blue"
        ])
    );
    // Alice and bob each read their project's plan; nothing fails.
    let summary = wait_for("the results' summary", DEFAULT_TIMEOUT, || async {
        let s = browser
            .wait_for_text("[data-testid=results-summary]")
            .await?;
        Ok(s.starts_with("6 requests").then_some(s))
    })
    .await?;
    assert!(summary.starts_with("6 requests: 2 allowed"), "{summary}");
    assert!(summary.contains("0 failing, 6 passing"), "{summary}");
    browser
        .client
        .find(Locator::Css("[aria-label='Remove the tag team']"))
        .await?
        .click()
        .await?;
    let draft = wait_for_saved_draft(
        &browser,
        "{ \"arn\": \"arn:aws:iam::111122223333:user/bob\", \"tags\": { \"project\": \"gemini\" } }",
    )
    .await?;
    assert!(
        draft.contains("{ \"arn\": \"arn:aws:iam::111122223333:user/alice\", \"tags\": { \"project\": \"apollo\" } }"),
        "{draft}"
    );
    panel_screenshot(&browser, "request-panel-principal-tags").await?;
    browser.close().await
}
