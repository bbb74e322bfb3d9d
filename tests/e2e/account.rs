//! The account import in the built app (`dist/`), headless Chromium: load a
//! generated `get-account-authorization-details` file through the file
//! picker, search and pick a principal, switch a policy off and see the
//! decision change; ask "who can" do an action on a resource and open a
//! row; nothing is requested outside the page's origin.
//!
//! Build first with `scripts/build`; `scripts/test` does that for you.

mod harness;
mod playground;

use fantoccini::Locator;
use harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};
use playground::*;

/// Writes the generated account file (seed 7) to a temporary directory of
/// its own (each test removes its file's directory when done, while the
/// others run).
fn account_file(name: &str, bytes: usize) -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("iam-account-e2e-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(name);
    std::fs::write(&path, iam_engine::account::generate::generate(7, bytes))?;
    Ok(path)
}

/// Starts a browser on the app, waits for its first decision, loads the
/// account file `path` and waits for the dialog's summary of it.
async fn open_with_account(path: &std::path::Path) -> Result<Browser> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    load_account(&browser, path).await?;
    browser
        .wait_for_element("[data-testid=account-summary]")
        .await?;
    Ok(browser)
}

/// Asserts that the page loaded nothing outside its own origin.
async fn assert_nothing_left_the_page(browser: &Browser) -> Result<()> {
    let origin = browser.server.origin();
    let outside: Vec<String> = browser
        .loaded_urls()
        .await?
        .into_iter()
        .filter(|u| !u.starts_with(&format!("{origin}/")))
        .collect();
    assert!(
        outside.is_empty(),
        "requests outside {origin}: {outside:#?}"
    );
    Ok(())
}

/// Clicks the element `css` selects.
async fn click(browser: &Browser, css: &str) -> Result<()> {
    browser
        .client
        .find(Locator::Css(css))
        .await?
        .click()
        .await?;
    Ok(())
}

async fn set_input(browser: &Browser, css: &str, value: &str) -> Result<()> {
    browser
        .client
        .execute(
            "const i = document.querySelector(arguments[0]);\
             const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;\
             set.call(i, arguments[1]);\
             i.dispatchEvent(new InputEvent('input', { bubbles: true }));",
            vec![serde_json::json!(css), serde_json::json!(value)],
        )
        .await?;
    Ok(())
}

#[tokio::test]
async fn import_pick_toggle_and_nothing_leaves_the_page() -> Result<()> {
    let file = account_file("details.json", 200_000)?;
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    // The request the principal is simulated for: carol deleting an object.
    set_input(&browser, "[data-testid=action]", "s3:DeleteObject").await?;
    set_input(
        &browser,
        "[data-testid=resource]",
        "arn:aws:s3:::dev-bucket/x",
    )
    .await?;

    load_account(&browser, &file).await?;
    let summary = browser
        .wait_for_text("[data-testid=account-summary]")
        .await?;
    assert!(
        summary.contains("users") && summary.contains("from details.json"),
        "{summary}"
    );

    // Search by name; the picker lists users, groups and roles.
    set_input(&browser, "[data-testid=principal-search]", "carol").await?;
    let option = wait_for("carol in the picker", DEFAULT_TIMEOUT, || async {
        let options = browser
            .client
            .find_all(Locator::Css("[data-testid=principal-option]"))
            .await?;
        for o in options {
            if o.attr("data-arn").await?.as_deref() == Some("arn:aws:iam::111122223333:user/carol")
            {
                return Ok(Some(o));
            }
        }
        Ok(None)
    })
    .await?;
    browser.screenshot("account-picker").await?;
    option.click().await?;

    // Her three inline policies, labelled; the Deny decides.
    wait_for_decision(&browser, "Explicit deny").await?;
    let origins = browser
        .eval("return [...document.querySelectorAll('[data-testid=policy-origin]')].map(e => e.textContent);")
        .await?;
    assert_eq!(
        origins,
        serde_json::json!([
            "user carol, inline policy S3All",
            "user carol, inline policy DenyDeletes",
            "user carol, inline policy StartOwnProject"
        ])
    );
    let principal = browser
        .eval("return document.querySelector('[data-testid=principal]').value;")
        .await?;
    assert_eq!(principal, "arn:aws:iam::111122223333:user/carol");
    let tags = browser
        .wait_for_text("[data-testid=principal-tags]")
        .await?;
    assert!(
        tags.contains("aws:PrincipalTag/project") && tags.contains("derived"),
        "{tags}"
    );

    // Switch DenyDeletes off: S3All allows; on again: denied again.
    let switch = "[data-policy-name=DenyDeletes] [data-testid=policy-enabled]";
    browser
        .client
        .find(Locator::Css(switch))
        .await?
        .click()
        .await?;
    wait_for_decision(&browser, "Allow").await?;
    browser
        .wait_for_element("[data-policy-name=DenyDeletes] [data-testid=policy-off]")
        .await?;
    browser.screenshot("account-switched-off").await?;
    browser
        .client
        .find(Locator::Css(switch))
        .await?
        .click()
        .await?;
    wait_for_decision(&browser, "Explicit deny").await?;

    // The draft keeps the switch and the origins.
    browser
        .client
        .find(Locator::Css(switch))
        .await?
        .click()
        .await?;
    let draft = wait_for_saved_draft(&browser, "\"enabled\": false").await?;
    assert!(
        draft.contains("user carol, inline policy DenyDeletes"),
        "{draft}"
    );

    assert_nothing_left_the_page(&browser).await?;
    let served = browser.server.requests();
    assert!(
        served.iter().all(|p| !p.contains("details")),
        "the account file was sent to the server: {served:?}"
    );
    let _ = std::fs::remove_dir_all(file.parent().unwrap_or(&file));
    browser.close().await
}

#[tokio::test]
async fn roles_are_sessions_and_long_links_warn() -> Result<()> {
    let file = account_file("roles.json", 60_000)?;
    let browser = open_with_account(&file).await?;
    click(&browser, "[data-testid=kind-role]").await?;
    set_input(&browser, "[data-testid=session-name]", "ci-run-9").await?;
    set_input(&browser, "[data-testid=principal-search]", "DeployRole").await?;
    let option = browser
        .wait_for_element("[data-testid=principal-option][data-arn='arn:aws:iam::111122223333:role/ci/DeployRole']")
        .await?;
    option.click().await?;
    wait_for("the session principal", DEFAULT_TIMEOUT, || async {
        let p = browser
            .eval("return document.querySelector('[data-testid=principal]').value;")
            .await?;
        Ok((p == "arn:aws:sts::111122223333:assumed-role/DeployRole/ci-run-9").then_some(()))
    })
    .await?;

    // A long scenario (bucket names that do not compress): the share link
    // warns and offers Export.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut noise = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        format!("{x:016x}")
    };
    let long = format!(
        "{{\"Version\": \"2012-10-17\", \"Statement\": [{}]}}",
        (0..150)
            .map(|i| format!("{{\"Sid\": \"S{i}\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b{}{}/*\"}}", noise(), noise()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    set_policy_text(&browser, 0, &long).await?;
    browser
        .client
        .find(Locator::Css("[data-testid=copy-link]"))
        .await?
        .click()
        .await?;
    let warning = browser
        .wait_for_text("[data-testid=share-too-long]")
        .await?;
    assert!(warning.contains("characters long"), "{warning}");
    browser
        .wait_for_element("[data-testid=share-export]")
        .await?;
    let _ = std::fs::remove_dir_all(file.parent().unwrap_or(&file));
    browser.close().await
}

/// Several principals of the account in one matrix: carol simulated, then
/// DeployRole added with "+ Principal"; each keeps its tags in the panel
/// and the draft, under carol's policies.
#[tokio::test]
async fn added_principals_keep_their_tags() -> Result<()> {
    let file = account_file("several.json", 60_000)?;
    let browser = open_with_account(&file).await?;
    set_input(&browser, "[data-testid=principal-search]", "carol").await?;
    browser
        .wait_for_element(
            "[data-testid=principal-option][data-arn='arn:aws:iam::111122223333:user/carol']",
        )
        .await?
        .click()
        .await?;
    browser
        .wait_for_element("[data-testid=principal-tags]")
        .await?;
    click(&browser, "[data-testid=account-import]").await?;
    set_input(&browser, "[data-testid=principal-search]", "DeployRole").await?;
    browser
        .wait_for_element("[data-testid=principal-option][data-arn='arn:aws:iam::111122223333:role/ci/DeployRole'] + [data-testid=principal-add]")
        .await?
        .click()
        .await?;
    let who = wait_for("two tagged principals", DEFAULT_TIMEOUT, || async {
        let v = browser
            .eval("return [...document.querySelectorAll('[data-testid=principal-tags-of]')].map(e => e.textContent);")
            .await?;
        Ok((v.as_array().map_or(0, Vec::len) == 2).then_some(v))
    })
    .await?;
    assert_eq!(
        who,
        serde_json::json!([
            "arn:aws:iam::111122223333:user/carol",
            "arn:aws:sts::111122223333:assumed-role/DeployRole/simulated-session"
        ])
    );
    // The dialog stays open, says what it added, and adds the next one to
    // the request as it now is.
    let added = browser
        .wait_for_text("[data-testid=account-dialog] [data-testid=principal-added]")
        .await?;
    assert!(
        added.starts_with("Added DeployRole to the request's principals"),
        "{added}"
    );
    set_input(&browser, "[data-testid=principal-search]", "bob").await?;
    browser
        .wait_for_element("[data-testid=principal-option][data-arn='arn:aws:iam::111122223333:user/bob'] + [data-testid=principal-add]")
        .await?
        .click()
        .await?;
    wait_for("bob added", DEFAULT_TIMEOUT, || async {
        let text = browser
            .wait_for_text("[data-testid=principal-added]")
            .await?;
        Ok(text.starts_with("Added bob").then_some(()))
    })
    .await?;
    click(&browser, "[data-testid=account-close]").await?;
    let count = browser.wait_for_text("[data-testid=request-count]").await?;
    assert!(count.ends_with("× 3 principals"), "{count}");
    let origins = browser
        .eval("return document.querySelectorAll('[data-testid=policy-origin]').length;")
        .await?;
    assert_eq!(origins, serde_json::json!(3), "carol's policies only");
    let draft = wait_for_saved_draft(&browser, "\"tags\": { \"env\": \"prod\" }").await?;
    assert!(
        draft.contains("\"tags\": { \"project\": \"apollo\" }"),
        "{draft}"
    );
    let _ = std::fs::remove_dir_all(file.parent().unwrap_or(&file));
    browser.close().await
}

/// The rows of the "who can" table: name, kind, decision, deciding text.
async fn who_can_rows(browser: &Browser) -> Result<Vec<(String, String, String, String)>> {
    let rows = browser
        .eval(
            "return [...document.querySelectorAll('[data-testid=who-can-row]')].map(r => \
             [r.dataset.name, r.cells[1].textContent, r.dataset.decision, r.cells[3].textContent]);",
        )
        .await?;
    Ok(serde_json::from_value(rows)?)
}

#[tokio::test]
async fn who_can_lists_every_principal_and_opens_one() -> Result<()> {
    // Its own directory: the other tests remove theirs when done.
    let dir = std::env::temp_dir().join(format!("iam-who-can-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("who-can.json");
    std::fs::write(&file, iam_engine::account::generate::generate(7, 200_000))?;
    let browser = open_with_account(&file).await?;
    click(&browser, "[data-testid=mode-who-can]").await?;
    set_input(&browser, "[data-testid=who-can-action]", "s3:PutObject").await?;
    set_input(
        &browser,
        "[data-testid=who-can-resource]",
        "arn:aws:s3:::dev-bucket/app.js",
    )
    .await?;
    browser
        .client
        .find(Locator::Css("[data-testid=who-can-check]"))
        .await?
        .click()
        .await?;
    let counts = wait_for("the counts", DEFAULT_TIMEOUT, || async {
        let text = browser
            .eval("return document.querySelector('[data-testid=who-can-counts]').textContent;")
            .await?;
        let text = text.as_str().unwrap_or_default().to_owned();
        Ok(text.contains("allowed").then_some(text))
    })
    .await?;
    let rows = who_can_rows(&browser).await?;
    assert!(rows.len() > 10, "{rows:?}");
    let row = |name: &str| {
        rows.iter()
            .find(|r| r.0 == name)
            .unwrap_or_else(|| panic!("no row for {name}: {rows:?}"))
            .clone()
    };
    // alice: allowed only through her group's managed policy.
    let alice = row("alice");
    assert_eq!((alice.1.as_str(), alice.2.as_str()), ("user", "Allow"));
    assert!(
        alice.3.contains("DeveloperAccess / DevBucket")
            && alice
                .3
                .contains("group Developers, attached managed policy DeveloperAccess"),
        "{alice:?}"
    );
    // bob: S3 full access, but his boundary withholds the allow.
    let bob = row("bob");
    assert_eq!(bob.2, "ImplicitDeny");
    assert!(bob.3.contains("Permissions boundary"), "{bob:?}");
    // The role is there, as a role.
    let deploy = row("DeployRole");
    assert_eq!(
        (deploy.1.as_str(), deploy.2.as_str()),
        ("role", "ImplicitDeny")
    );
    let allowed = rows.iter().filter(|r| r.2 == "Allow").count();
    assert!(
        counts.starts_with(&format!("{} checked in ", rows.len()))
            && counts.contains(&format!(" ms: {allowed} allowed, ")),
        "{counts}"
    );
    assert!(
        !rows.iter().any(|r| r.1 == "group"),
        "groups are not principals"
    );

    // Sorted by decision, allowed rows come first; the filter keeps only them.
    browser
        .client
        .find(Locator::Css("[data-testid=who-can-sort]"))
        .await?
        .click()
        .await?;
    let sorted = who_can_rows(&browser).await?;
    assert!(
        sorted.iter().take(allowed).all(|r| r.2 == "Allow"),
        "{sorted:?}"
    );
    browser.screenshot("who-can").await?;
    browser
        .client
        .find(Locator::Css("[data-testid=who-can-filter-allow]"))
        .await?
        .click()
        .await?;
    let only = who_can_rows(&browser).await?;
    assert_eq!(only.len(), allowed);
    assert!(only.iter().all(|r| r.2 == "Allow"));
    browser
        .client
        .find(Locator::Css("[data-testid=who-can-filter-all]"))
        .await?
        .click()
        .await?;

    // Enter on bob's row loads him with the request: the boundary explains.
    let bob_row = browser
        .wait_for_element("[data-testid=who-can-row][data-name=bob]")
        .await?;
    bob_row.send_keys("\u{E007}").await?;
    wait_for_decision(&browser, "Implicit deny").await?;
    let request = browser
        .eval(
            "return ['principal', 'action', 'resource'].map(id => \
             document.querySelector(`[data-testid=${id}]`).value);",
        )
        .await?;
    assert_eq!(
        request,
        serde_json::json!([
            "arn:aws:iam::111122223333:user/bob",
            "s3:PutObject",
            "arn:aws:s3:::dev-bucket/app.js"
        ])
    );
    let origins = browser
        .eval("return [...document.querySelectorAll('[data-testid=policy-origin]')].map(e => e.textContent);")
        .await?;
    assert!(
        origins.as_array().is_some_and(|o| o.iter().any(|t| t
            .as_str()
            .is_some_and(|t| t.starts_with("permissions boundary of user bob")))),
        "{origins}"
    );

    assert_nothing_left_the_page(&browser).await?;
    assert!(
        browser
            .server
            .requests()
            .iter()
            .all(|p| !p.contains("who-can")),
        "the account file was sent to the server"
    );
    let _ = std::fs::remove_dir_all(&dir);
    browser.close().await
}

/// How many of the page's loaded URLs belong to the account dialog's module.
async fn account_module_loads(browser: &Browser) -> Result<usize> {
    let urls = browser.loaded_urls().await?;
    Ok(urls
        .iter()
        .filter(|u| u.contains("/account/iam_playground_account"))
        .count())
}

/// The account dialog is a module of its own: the page's first load does
/// not fetch it, the first opening does (its glue and its `.wasm`), a
/// second opening does not fetch it again and keeps the account read; and
/// what is typed in the dialog stays in the dialog (the two apps' events
/// are kept apart).
#[tokio::test]
async fn the_dialog_module_loads_on_first_opening_only() -> Result<()> {
    let file = account_file("module.json", 60_000)?;
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    assert_eq!(account_module_loads(&browser).await?, 0);
    let resource_before = browser
        .eval("return document.querySelector('[data-testid=resource]').value;")
        .await?;

    load_account(&browser, &file).await?;
    browser
        .wait_for_element("[data-testid=account-summary]")
        .await?;
    assert_eq!(account_module_loads(&browser).await?, 2, "glue and .wasm");
    set_input(&browser, "[data-testid=principal-search]", "carol").await?;
    wait_for("carol alone in the picker", DEFAULT_TIMEOUT, || async {
        let count = browser
            .eval("return document.querySelectorAll('[data-testid=principal-option]').length;")
            .await?;
        Ok((count == 1).then_some(()))
    })
    .await?;
    let resource_after = browser
        .eval("return document.querySelector('[data-testid=resource]').value;")
        .await?;
    assert_eq!(
        resource_before, resource_after,
        "typing in the dialog changed the page"
    );

    // Close (focus returns to the opener), open again: the account is still read.
    click(&browser, "[data-testid=account-close]").await?;
    wait_for("the dialog to close", DEFAULT_TIMEOUT, || async {
        let gone = browser
            .eval("return !document.querySelector('[data-testid=account-dialog]') && !document.querySelector('[data-testid=account-host]');")
            .await?;
        Ok((gone == true).then_some(()))
    })
    .await?;
    assert_focus_on_account_button(&browser).await?;
    click(&browser, "[data-testid=account-import]").await?;
    let summary = browser
        .wait_for_text("[data-testid=account-summary]")
        .await?;
    assert!(summary.contains("from module.json"), "{summary}");
    assert_eq!(account_module_loads(&browser).await?, 2, "fetched once");
    browser.close().await?;
    let _ = std::fs::remove_dir_all(file.parent().unwrap_or(&file));
    Ok(())
}

/// When the module cannot be fetched, a dialog says so; Close returns to
/// the page with the scenario unchanged, and a later opening tries again.
#[tokio::test]
async fn an_unreachable_dialog_module_is_reported() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    let decision = wait_for_any_decision(&browser).await?;
    browser.block_urls(&["*iam_playground_account*"]).await?;
    click(&browser, "[data-testid=account-import]").await?;
    let message = browser
        .wait_for_text("[data-testid=account-dialog-failed] [role=alert]")
        .await?;
    assert!(
        message.starts_with("Loading it failed (")
            && message.contains("your scenario is unchanged"),
        "{message}"
    );
    browser.screenshot("account-module-unreachable").await?;
    click(&browser, "[data-testid=account-dialog-failed] button").await?;
    assert_focus_on_account_button(&browser).await?;
    assert_eq!(wait_for_any_decision(&browser).await?, decision);

    // Reachable again: the next opening loads it.
    browser.block_urls(&[]).await?;
    click(&browser, "[data-testid=account-import]").await?;
    browser
        .wait_for_element("[data-testid=account-files]")
        .await?;
    browser.close().await?;
    Ok(())
}

/// Waits for the keyboard focus to be back on Account….
async fn assert_focus_on_account_button(browser: &Browser) -> Result<()> {
    wait_for("focus back on Account…", DEFAULT_TIMEOUT, || async {
        let focused = browser
            .eval("return document.activeElement && document.activeElement.dataset.testid;")
            .await?;
        Ok((focused == "account-import").then_some(()))
    })
    .await
}
