//! The account import in the built app (`dist/`), headless Chromium: load a
//! generated `get-account-authorization-details` file through the file
//! picker, search and pick a principal, switch a policy off and see the
//! decision change; nothing is requested outside the page's origin.
//!
//! Build first with `scripts/build`; `scripts/test` does that for you.

mod harness;
mod playground;

use fantoccini::Locator;
use harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};
use playground::*;

/// Writes the generated account file (seed 7) to a temporary directory.
fn account_file(name: &str, bytes: usize) -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("iam-account-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(name);
    std::fs::write(&path, iam_engine::account::generate::generate(7, bytes))?;
    Ok(path)
}

/// Opens the account dialog and gives it `path` through its file input.
pub async fn load_account(browser: &Browser, path: &std::path::Path) -> Result<()> {
    browser
        .client
        .find(Locator::Css("[data-testid=account-import]"))
        .await?
        .click()
        .await?;
    let input = browser
        .wait_for_element("[data-testid=account-files]")
        .await?;
    input.send_keys(&path.to_string_lossy()).await?;
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
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    load_account(&browser, &file).await?;
    browser
        .wait_for_element("[data-testid=account-summary]")
        .await?;
    browser
        .client
        .find(Locator::Css("[data-testid=kind-role]"))
        .await?
        .click()
        .await?;
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
