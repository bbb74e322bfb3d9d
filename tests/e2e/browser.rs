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
    // (Then the source of the AWS service data, once it is loaded.)
    assert!(
        footer.starts_with(
            "Policies never leave your browser: everything is evaluated locally in WebAssembly."
        ),
        "{footer}"
    );

    let shot = browser.screenshot("app").await?;
    eprintln!("screenshot: {}", shot.display());

    // The smallest width we support: the text must still fit, no sideways scroll.
    browser.client.set_window_size(375, 800).await?;
    let overflow = browser
        .eval("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        .await?;
    if overflow.as_i64() != Some(0) {
        // Name the elements that stick out, to make the failure actionable.
        let wide = browser
            .eval(
                "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]\
                 .filter(e => e.getBoundingClientRect().right > w + 1)\
                 .slice(0, 12).map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} [${e.dataset.testid ?? ''}] right=${Math.round(e.getBoundingClientRect().right)}`);",
            )
            .await?;
        panic!("horizontal overflow at 375 px: {overflow}; elements: {wide:#}");
    }
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

    // Use what could fetch something: the gallery, share and embed panels,
    // the embed view, export.
    playground::load_example(&browser, "13-kms-key-policy").await?;
    playground::wait_for_decision(
        &browser,
        iam_playground::gallery::EXAMPLES[12].expected_label(),
    )
    .await?;
    for button in ["copy-link", "embed", "export"] {
        browser
            .wait_for_element(&format!("[data-testid={button}]"))
            .await?
            .click()
            .await?;
    }
    let fragment = iam_playground::share_link::fragment_for(
        &iam_playground::gallery::EXAMPLES[12].workspace(),
    );
    browser.open(&format!("/?embed{fragment}")).await?;
    browser.wait_for_element("[data-testid=embed-view]").await?;

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

// ---------------------------------------------------------------------------
// The playground's behaviour: editing, gallery, share links, drafts, embed,
// import, keyboard use. Helpers in `playground.rs`.
// ---------------------------------------------------------------------------

mod playground;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::Locator;
use harness::{wait_for, DEFAULT_TIMEOUT};
use iam_playground::gallery::EXAMPLES;
use playground::*;
use serde_json::json;

#[tokio::test]
async fn typing_into_a_policy_changes_the_decision() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_decision(&browser, "Explicit deny").await?;

    set_policy_text(&browser, 0, ALLOW_ALL).await?;
    wait_for_decision(&browser, "Allow").await?;
    // And back: an explicit Deny wins over the Allow.
    set_policy_text(&browser, 0, &ALLOW_ALL.replace("\"Allow\"", "\"Deny\"")).await?;
    wait_for_decision(&browser, "Explicit deny").await?;
    browser.close().await
}

#[tokio::test]
async fn a_syntax_error_shows_its_marker_and_problem_at_the_right_line() -> Result<()> {
    // Line 6 lacks the comma after "Action": "*".
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"*\"\n      \"Resource\": \"*\"\n    }\n  ]\n}";
    let parsed = iam_engine::parse::parse_policy(text, iam_engine::PolicyType::Identity);
    let expected = parsed
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .ok_or("the engine finds no error in the broken policy")?;
    let located = expected.clone().locate(&iam_engine::SourceText::new(text));
    let (line, column) = (located.line, located.column);
    assert!(
        (6..=7).contains(&line),
        "the engine places the missing comma on line {line}"
    );

    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    set_policy_text(&browser, 0, text).await?;
    wait_for_decision(&browser, "No decision").await?;

    let problem = format!("[data-testid=problem][data-line='{line}'][data-column='{column}']");
    let p = browser.wait_for_element(&problem).await?;
    let problem_text = p.text().await?;
    assert!(
        problem_text.contains(&located.message) || !problem_text.is_empty(),
        "problem text: {problem_text}"
    );
    browser
        .wait_for_element(&format!("[data-testid=marker][data-line='{line}']"))
        .await?;
    browser.close().await
}

#[tokio::test]
async fn every_gallery_example_shows_its_expected_decision() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    let mut wrong = Vec::new();
    for example in EXAMPLES {
        load_example(&browser, example.id).await?;
        let expected = example.expected_label();
        if let Err(e) = wait_for_decision(&browser, expected).await {
            wrong.push(format!("{}: {e}", example.id));
            continue;
        }
        // The workspace is the example's: same number of policy editors.
        let texts = policy_texts(&browser).await?;
        assert_eq!(
            texts.len(),
            example.workspace().policies.len(),
            "{}",
            example.id
        );
        let (_, notice) = wait_for_notice(&browser).await?;
        assert!(notice.contains("Loaded the example"), "{notice}");
    }
    assert!(wrong.is_empty(), "wrong decisions:\n{}", wrong.join("\n"));
    browser.close().await
}

#[tokio::test]
async fn loading_an_example_can_be_undone() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    set_policy_text(&browser, 0, ALLOW_ALL).await?;
    wait_for_decision(&browser, "Allow").await?;
    load_example(&browser, "11-notaction-trap").await?;
    wait_for_decision(&browser, EXAMPLES[10].expected_label()).await?;
    browser
        .wait_for_element("[data-testid=undo-replace]")
        .await?
        .click()
        .await?;
    wait_for_decision(&browser, "Allow").await?;
    assert_eq!(policy_texts(&browser).await?, vec![ALLOW_ALL.to_string()]);
    browser.close().await
}

/// Opens the share panel and returns the link it shows.
async fn copy_link(browser: &Browser) -> Result<String> {
    browser
        .wait_for_element("[data-testid=copy-link]")
        .await?
        .click()
        .await?;
    let input = browser.wait_for_element("[data-testid=share-url]").await?;
    let url = input
        .prop("value")
        .await?
        .ok_or("the share-url input has no value")?;
    Ok(url)
}

#[tokio::test]
async fn a_copied_link_restores_the_scenario_in_a_fresh_browser() -> Result<()> {
    let a = Browser::start().await?;
    a.open("/").await?;
    wait_for_any_decision(&a).await?;
    load_example(&a, "07-scp-region-deny").await?;
    wait_for_decision(&a, EXAMPLES[6].expected_label()).await?;
    // An edit of the person's own: a second, broken-then-fixed policy text
    // with characters that need escaping, so "exact" is really tested.
    let mut texts = policy_texts(&a).await?;
    let edited = format!("{} ", texts[0].replace("\"2012-10-17\"", "\"2012-10-17\" "));
    set_policy_text(&a, 0, &edited).await?;
    texts[0] = edited;
    let decision_a = wait_for_any_decision(&a).await?;
    let url = copy_link(&a).await?;
    assert!(url.starts_with(&a.server.url("/#s=1.")), "{url}");
    assert!(url.len() < 1500, "link is {} characters", url.len());
    a.close().await?;

    // A fresh Chromium profile (no draft) on its own server.
    let b = Browser::start().await?;
    let fragment = &url[url.find('#').ok_or("no fragment")?..];
    b.open(&format!("/{fragment}")).await?;
    wait_for_decision(&b, &decision_a).await?;
    assert_eq!(policy_texts(&b).await?, texts);
    let (role, notice) = wait_for_notice(&b).await?;
    assert_eq!(role, "status");
    assert!(notice.contains("Opened the shared scenario"), "{notice}");
    // The fragment is consumed: a reload shows the (now saved) draft.
    let href = b.eval("return location.href;").await?;
    assert_eq!(href.as_str(), Some(b.server.url("/").as_str()));
    b.close().await
}

#[tokio::test]
async fn a_corrupted_link_shows_a_message_and_keeps_the_draft() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    let mine = ALLOW_ALL.replace("AllowEverything", "MyOwnDraft");
    set_policy_text(&browser, 0, &mine).await?;
    wait_for_decision(&browser, "Allow").await?;
    wait_for_saved_draft(&browser, "MyOwnDraft").await?;

    // A real link, cut short and altered, opened in a fresh page load.
    let good = iam_playground::share_link::fragment_for(&EXAMPLES[0].workspace());
    let cut = &good[..good.len() / 2];
    for (fragment, says) in [
        (cut.to_string(), "damaged"),
        ("#s=9.eJzLSM3JyQcABiwCFQ".to_string(), "newer version"),
        ("#s=1.abc!def".to_string(), "damaged"),
    ] {
        // A new query string each time, so every link is a fresh page load.
        browser
            .open(&format!("/?load={}{fragment}", says.len() + fragment.len()))
            .await?;
        let (role, text) = wait_for_notice(&browser).await?;
        assert_eq!(role, "alert", "{text}");
        assert!(text.contains(says), "{fragment}: {text}");
        assert!(text.contains("Your draft is unchanged"), "{text}");
        wait_for_decision(&browser, "Allow").await?;
        assert_eq!(policy_texts(&browser).await?, vec![mine.clone()]);
        let draft = saved_draft(&browser).await?.unwrap_or_default();
        assert!(draft.contains("MyOwnDraft"), "the draft was overwritten");
    }

    // The same on an open page: only the fragment changes (no reload).
    browser
        .eval("location.hash = '#s=1.AAAA'; return null;")
        .await?;
    wait_for(
        "the message about the damaged link",
        DEFAULT_TIMEOUT,
        || async {
            let (_, text) = wait_for_notice(&browser).await?;
            Ok(text.contains("damaged").then_some(()))
        },
    )
    .await?;
    assert_eq!(policy_texts(&browser).await?, vec![mine.clone()]);
    browser.close().await
}

#[tokio::test]
async fn a_refused_draft_shows_a_notice_and_the_app_keeps_working() -> Result<()> {
    let browser = Browser::start().await?;
    // Storage that is full: every write throws, as Safari's private mode did.
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };" }),
        )
        .await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    set_policy_text(&browser, 0, ALLOW_ALL).await?;
    wait_for_decision(&browser, "Allow").await?;
    let (role, text) = wait_for_notice(&browser).await?;
    assert_eq!(role, "alert", "{text}");
    assert!(text.contains("not being saved"), "{text}");
    // Still live: the next edit still changes the decision.
    set_policy_text(&browser, 0, &ALLOW_ALL.replace("\"Allow\"", "\"Deny\"")).await?;
    wait_for_decision(&browser, "Explicit deny").await?;
    let errors: Vec<_> = browser
        .console_log()
        .await?
        .into_iter()
        .filter(|e| e.level == "SEVERE" && e.message.contains("panicked"))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    browser.close().await
}

#[tokio::test]
async fn reload_restores_the_draft_and_reset_asks_first() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    load_example(&browser, "09-session-policy").await?;
    wait_for_decision(&browser, EXAMPLES[8].expected_label()).await?;
    let mine = ALLOW_ALL.replace("AllowEverything", "KeptAcrossReloads");
    set_policy_text(&browser, 0, &mine).await?;
    wait_for_saved_draft(&browser, "KeptAcrossReloads").await?;
    let before = policy_texts(&browser).await?;

    browser.client.refresh().await?;
    wait_for_any_decision(&browser).await?;
    assert_eq!(policy_texts(&browser).await?, before);

    // Reset asks; Escape keeps everything.
    browser
        .wait_for_element("[data-testid=reset]")
        .await?
        .click()
        .await?;
    browser
        .wait_for_element("[data-testid=confirm-reset]")
        .await?;
    let focused = browser
        .eval("return document.activeElement?.dataset?.testid ?? null;")
        .await?;
    assert_eq!(focused.as_str(), Some("confirm-no"), "Cancel has the focus");
    browser
        .client
        .active_element()
        .await?
        .send_keys(&Key::Escape.to_string())
        .await?;
    wait_for("the dialog to close", DEFAULT_TIMEOUT, || async {
        Ok(browser
            .client
            .find(Locator::Css("[data-testid=confirm-reset]"))
            .await
            .is_err()
            .then_some(()))
    })
    .await?;
    assert_eq!(policy_texts(&browser).await?, before);
    // The focus is back on the Reset button.
    wait_for("the focus back on Reset", DEFAULT_TIMEOUT, || async {
        let focused = browser
            .eval("return document.activeElement?.dataset?.testid ?? null;")
            .await?;
        Ok((focused.as_str() == Some("reset")).then_some(()))
    })
    .await?;

    // Confirmed with the keyboard (Tab to the confirm button, Enter).
    browser
        .wait_for_element("[data-testid=reset]")
        .await?
        .click()
        .await?;
    browser
        .wait_for_element("[data-testid=confirm-yes]")
        .await?;
    browser
        .client
        .active_element()
        .await?
        .send_keys(&Key::Tab.to_string())
        .await?;
    browser
        .client
        .active_element()
        .await?
        .send_keys(&Key::Enter.to_string())
        .await?;
    wait_for_decision(&browser, "Explicit deny").await?;
    let texts = policy_texts(&browser).await?;
    assert!(!texts.iter().any(|t| t.contains("KeptAcrossReloads")));
    browser.close().await
}

#[tokio::test]
async fn embed_view_renders_with_its_open_link_and_the_snippet_points_at_it() -> Result<()> {
    let browser = Browser::start().await?;
    let example = EXAMPLES[2];
    let fragment = iam_playground::share_link::fragment_for(&example.workspace());
    browser.open(&format!("/?embed{fragment}")).await?;
    browser.wait_for_element("[data-testid=embed-view]").await?;
    wait_for_decision(&browser, example.expected_label()).await?;
    let policies = browser
        .client
        .find_all(Locator::Css("[data-testid=embed-policy]"))
        .await?;
    assert_eq!(policies.len(), example.workspace().policies.len());
    assert!(
        browser
            .client
            .find(Locator::Css("[data-testid=copy-link]"))
            .await
            .is_err(),
        "the embed view has no toolbar"
    );
    let open = browser
        .wait_for_element("[data-testid=open-in-playground]")
        .await?;
    let href = open.prop("href").await?.unwrap_or_default();
    // The page packs links with the browser's compressor, so the bytes may
    // differ from the native `fragment_for`'s: it is the same scenario.
    let page = browser.server.url("/");
    assert_eq!(
        href.split_once('#').map(|(p, _)| p),
        Some(page.as_str()),
        "{href}"
    );
    assert_same_scenario(&href, &example.workspace())?;

    // Following it opens the full playground on the same scenario.
    browser.client.goto(&href).await?;
    wait_for_decision(&browser, example.expected_label()).await?;
    browser.wait_for_element("[data-testid=copy-link]").await?;

    // The Embed button's snippet embeds this scenario.
    browser
        .wait_for_element("[data-testid=embed]")
        .await?
        .click()
        .await?;
    let snippet = browser
        .wait_for_element("[data-testid=embed-snippet]")
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    let src = snippet
        .strip_prefix("<iframe src=\"")
        .and_then(|s| s.split('"').next())
        .unwrap_or_default();
    assert!(
        src.starts_with(&browser.server.url("/?embed#s=1.")),
        "{snippet}"
    );
    assert_same_scenario(src, &example.workspace())?;
    browser.close().await
}

/// The share link `url` (its fragment) opens to `expected`'s scenario.
fn assert_same_scenario(url: &str, expected: &iam_playground::workspace::Workspace) -> Result<()> {
    use iam_engine::scenario::DocumentStyle;
    let fragment = url.find('#').map_or("", |i| &url[i..]);
    let opened = iam_playground::share_link::workspace_from_fragment(fragment)
        .ok_or_else(|| format!("not a share link: {url}"))?
        .map_err(|e| format!("{url}: {e}"))?;
    assert_eq!(
        opened.to_json(DocumentStyle::Text),
        expected.to_json(DocumentStyle::Text),
        "{url}"
    );
    Ok(())
}

#[tokio::test]
async fn paste_and_file_import() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    let before = policy_texts(&browser).await?.len();

    let paste = |text: &'static str| {
        let browser = &browser;
        async move {
            browser
                .wait_for_element("[data-testid=paste]")
                .await?
                .click()
                .await?;
            let area = browser
                .wait_for_element("[data-testid=paste-scenario]")
                .await?;
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
            Result::<()>::Ok(())
        }
    };

    // YAML: a clear error, nothing changes.
    paste("Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n").await?;
    let error = browser.wait_for_text("[data-testid=paste-error]").await?;
    assert!(error.contains("YAML"), "{error}");
    assert!(error.contains("line 1, column 1"), "{error}");
    browser
        .wait_for_element("[data-testid=paste-cancel]")
        .await?
        .click()
        .await?;
    assert_eq!(policy_texts(&browser).await?.len(), before);

    // A single policy: added as a new identity policy.
    paste("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\"}]}").await?;
    wait_for("the pasted policy", DEFAULT_TIMEOUT, || async {
        Ok((policy_texts(&browser).await?.len() == before + 1).then_some(()))
    })
    .await?;

    // A scenario file through the file picker.
    let dir = harness::TempDir::new("iam-import")?;
    let file = dir.path().join("scenario.json");
    std::fs::write(&file, EXAMPLES[12].text)?;
    let input = browser.wait_for_element("[data-testid=import]").await?;
    input.send_keys(&file.display().to_string()).await?;
    wait_for_decision(&browser, EXAMPLES[12].expected_label()).await?;
    let (_, notice) = wait_for_notice(&browser).await?;
    assert!(notice.contains("scenario.json"), "{notice}");

    // A broken file: line and column, nothing changed.
    std::fs::write(&file, "{\n  \"policies\": [,]\n}")?;
    input.send_keys(&file.display().to_string()).await?;
    wait_for("the import error", DEFAULT_TIMEOUT, || async {
        let (role, text) = wait_for_notice(&browser).await?;
        Ok((role == "alert").then_some(text))
    })
    .await
    .and_then(|text| {
        if text.contains("line 2, column") {
            Ok(())
        } else {
            Err(format!("import error without position: {text}").into())
        }
    })?;
    wait_for_decision(&browser, EXAMPLES[12].expected_label()).await?;
    browser.close().await
}

#[tokio::test]
async fn keyboard_only_use_reaches_the_decision() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_decision(&browser, "Explicit deny").await?;

    // Tab from the top of the page to the resource field.
    browser
        .eval("document.activeElement?.blur(); window.focus(); return null;")
        .await?;
    browser.press(Key::Tab).await?;
    let mut reached = false;
    let mut visited = Vec::new();
    for _ in 0..150 {
        let testid = browser
            .eval("return document.activeElement?.dataset?.testid ?? document.activeElement?.tagName ?? null;")
            .await?;
        let testid = testid.as_str().unwrap_or("").to_string();
        if testid == "resource" {
            reached = true;
            break;
        }
        // The policy editor keeps Tab for indenting; Escape, then Tab leaves it.
        if testid == "policy-text" {
            browser.press(Key::Escape).await?;
        }
        visited.push(testid);
        browser.press(Key::Tab).await?;
    }
    assert!(
        reached,
        "Tab never reached the resource field; visited {visited:?}"
    );
    // Every control on the way shows where the focus is.
    let outline = browser
        .eval("const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' || s.boxShadow !== 'none';")
        .await?;
    assert_eq!(
        outline.as_bool(),
        Some(true),
        "no visible focus on the resource field"
    );

    // Edit with keys: select all, type another bucket's object.
    let select_all = KeyActions::new("select-all".into())
        .then(KeyAction::Down {
            value: Key::Control.into(),
        })
        .then(KeyAction::Down { value: 'a' })
        .then(KeyAction::Up { value: 'a' })
        .then(KeyAction::Up {
            value: Key::Control.into(),
        });
    browser.client.perform_actions(select_all).await?;
    let mut typing = KeyActions::new("typing".into());
    for c in "arn:aws:s3:::public-reports/summary.csv".chars() {
        typing = typing
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    browser.client.perform_actions(typing).await?;
    wait_for_decision(&browser, "Allow").await?;
    browser.close().await
}

#[tokio::test]
async fn a_link_opened_on_an_open_page_replaces_the_draft_with_undo() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    let mine = ALLOW_ALL.replace("AllowEverything", "BeforeTheLink");
    set_policy_text(&browser, 0, &mine).await?;
    wait_for_decision(&browser, "Allow").await?;

    // Pasting a link into the address bar of the open page changes only the
    // fragment: no reload, a `hashchange`.
    let example = EXAMPLES[5];
    let fragment = iam_playground::share_link::fragment_for(&example.workspace());
    browser
        .client
        .execute(
            "location.hash = arguments[0]; return null;",
            vec![json!(fragment)],
        )
        .await?;
    wait_for_decision(&browser, example.expected_label()).await?;
    let (_, text) = wait_for_notice(&browser).await?;
    assert!(text.contains("Opened the shared scenario"), "{text}");
    let href = browser.eval("return location.href;").await?;
    assert_eq!(href.as_str(), Some(browser.server.url("/").as_str()));

    browser
        .wait_for_element("[data-testid=undo-replace]")
        .await?
        .click()
        .await?;
    wait_for_decision(&browser, "Allow").await?;
    assert_eq!(policy_texts(&browser).await?, vec![mine]);
    browser.close().await
}
