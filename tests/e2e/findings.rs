//! Validation in the app: a policy's findings in its problems list (severity,
//! code, Access Analyzer code, learn-more link), quick fixes applied from
//! the keyboard through the editor (Undo reverts them), and the catalogue's
//! findings once it has loaded; the checks module's findings once it has
//! loaded, and the page without them when it cannot; a pasted policy's
//! no-break spaces named and fixed in one step. Screenshots of the list,
//! light and dark.

mod harness;
mod playground;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};
use playground::{load_example, policy_texts, set_policy_text, wait_for_any_decision};
use serde_json::{json, Value};

/// `StringLike` with `*`: a finding that needs no catalogue, with a fix.
const LIKE_STAR: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*",
      "Condition": {"StringLike": {"aws:PrincipalTag/team": "*"}}
    }
  ]
}"#;

/// A typo only the catalogue finds.
const TYPO: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObjcet",
      "Resource": "*"
    }
  ]
}"#;

/// One finding of every severity, for the screenshots.
const MIXED: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["s3:GetObjcet", "iam:PassRole", "s3:Get*", "s3:GetObjectAcl"],
      "Resource": "*"
    },
    {
      "Effect": "Permit",
      "Action": "s3:ListAllMyBuckets",
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::example-bucket",
      "Condition": {"StringLike": {"aws:PrincipalTag/team": "*"}}
    }
  ]
}"#;

/// The first policy's problems: (code, aws code, severity, line, column,
/// learn-more href, target, rel, quick-fix label) of each.
async fn problems(browser: &Browser) -> Result<Vec<Value>> {
    problems_of(browser, 0).await
}

/// The problems of policy `index`, as [`problems`] gives them.
async fn problems_of(browser: &Browser, index: usize) -> Result<Vec<Value>> {
    let v = browser
        .client
        .execute(
            "const list = document.querySelectorAll('[data-testid=problems]')[arguments[0]];\
             return [...list.querySelectorAll('[data-testid=problem]')].map(li => {\
               const a = li.querySelector('[data-testid=learn-more]');\
               const f = li.querySelector('[data-testid=quick-fix]');\
               return { code: li.dataset.code, aws: li.dataset.awsCode, severity: li.dataset.severity,\
                 line: +li.dataset.line, column: +li.dataset.column,\
                 shownCode: li.querySelector('[data-testid=problem-code]').textContent,\
                 severityText: li.querySelector('.problem__severity').textContent,\
                 href: a && a.href, target: a && a.target, rel: a && a.rel,\
                 fix: f && f.textContent, fixLabel: f && f.getAttribute('aria-label') };\
             });",
            vec![json!(index)],
        )
        .await?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

/// Waits for the first policy's finding with Access Analyzer code `aws`.
async fn wait_for_finding(browser: &Browser, aws: &str) -> Result<Value> {
    wait_for(&format!("a finding {aws}"), DEFAULT_TIMEOUT, || async {
        Ok(problems(browser)
            .await?
            .into_iter()
            .find(|p| p["aws"] == aws))
    })
    .await
}

/// Focuses the quick-fix button of the first policy's finding `aws` and
/// presses Enter.
async fn quick_fix_from_keyboard(browser: &Browser, aws: &str) -> Result<()> {
    let focused = browser
        .client
        .execute(
            "const li = [...document.querySelectorAll('[data-testid=problems]')[0]\
               .querySelectorAll('[data-testid=problem]')].find(li => li.dataset.awsCode === arguments[0]);\
             const b = li && li.querySelector('[data-testid=quick-fix]');\
             if (!b) return false; b.focus(); return document.activeElement === b;",
            vec![json!(aws)],
        )
        .await?;
    assert_eq!(focused, json!(true), "the quick fix of {aws} takes focus");
    browser.press(Key::Enter).await?;
    Ok(())
}

async fn wait_for_text(browser: &Browser, expected: &str) -> Result<()> {
    wait_for("the policy text", DEFAULT_TIMEOUT, || async {
        let texts = policy_texts(browser).await?;
        Ok((texts.first().map(String::as_str) == Some(expected)).then_some(()))
    })
    .await
    .map_err(|e| format!("{e}; expected:\n{expected}").into())
}

/// Findings only the checks module (web/checks) has: private ranges in
/// `aws:SourceIp`, a repeated statement, and (with the catalogue) an
/// action that does not support a condition key.
const EXTENDED: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::reports/*",
      "Condition": {"IpAddress": {"aws:SourceIp": "10.1.0.0/16"}}
    },
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::reports/*",
      "Condition": {"IpAddress": {"aws:SourceIp": "10.1.0.0/16"}}
    },
    {
      "Effect": "Allow",
      "Action": ["ec2:DescribeInstances", "s3:GetObjcet"],
      "Resource": "*",
      "Condition": {"StringEquals": {"ec2:ResourceTag/eks": "yes"}}
    }
  ]
}"#;

/// The first policy's findings as (code, Access Analyzer code, severity,
/// line, column), in the list's order.
async fn finding_places(browser: &Browser) -> Result<Vec<(String, String, String, u64, u64)>> {
    Ok(problems(browser)
        .await?
        .iter()
        .map(|p| {
            let text = |k: &str| p[k].as_str().unwrap_or_default().to_owned();
            let number = |k: &str| p[k].as_u64().unwrap_or_default();
            (
                text("code"),
                text("aws"),
                text("severity"),
                number("line"),
                number("column"),
            )
        })
        .collect())
}

#[tokio::test]
async fn the_checks_module_adds_its_findings_once_loaded() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    set_policy_text(&browser, 0, EXTENDED).await?;
    let unsupported = wait_for_finding(&browser, "UNSUPPORTED_ACTION_FOR_CONDITION_KEY").await?;
    assert!(
        unsupported["href"]
            .as_str()
            .unwrap_or_default()
            .contains("#access-analyzer-reference-policy-checks-"),
        "{unsupported}"
    );
    let places = finding_places(&browser).await?;
    let expected = [
        ("private-source-ip", "PRIVATE_IP_ADDRESS", "warning", 8, 35),
        (
            "redundant-statement",
            "REDUNDANT_STATEMENT",
            "suggestion",
            10,
            5,
        ),
        ("private-source-ip", "PRIVATE_IP_ADDRESS", "warning", 14, 35),
        (
            "unsupported-action-for-condition-key",
            "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
            "warning",
            20,
            38,
        ),
        // The main module's own, with the catalogue: both lists at once.
        ("unknown-action", "INVALID_ACTION", "warning", 18, 43),
    ];
    for (code, aws, severity, line, column) in expected {
        let want = (
            code.to_owned(),
            aws.to_owned(),
            severity.to_owned(),
            line,
            column,
        );
        assert!(places.contains(&want), "{want:?} in {places:?}");
    }
    assert_eq!(places.len(), expected.len(), "{places:?}");
    browser
        .eval(
            "document.activeElement?.blur();\
             document.querySelectorAll('[data-testid=problems]')[0].scrollIntoView({block: 'center'}); return null;",
        )
        .await?;
    let file = browser.screenshot("findings-checks-module").await?;
    println!("screenshot: {}", file.display());
    // The module answers as the text changes: the repeated statement goes.
    let one_statement = EXTENDED.replacen(
        r#"{
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::reports/*",
      "Condition": {"IpAddress": {"aws:SourceIp": "10.1.0.0/16"}}
    },
"#,
        "",
        1,
    );
    set_policy_text(&browser, 0, &one_statement).await?;
    wait_for(
        "the repeated statement's finding gone",
        DEFAULT_TIMEOUT,
        || async {
            let places = finding_places(&browser).await?;
            Ok(
                (places.len() == 3 && places.iter().all(|p| p.0 != "redundant-statement"))
                    .then_some(places),
            )
        },
    )
    .await?;
    assert!(browser.eval("return window.__checksReadyMs > 0").await? == json!(true));
    browser.close().await
}

/// Gallery 14's trust policy, trusting anyone and GitHub's OIDC provider
/// without naming a repository.
const LOOSE_TRUST: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": "*",
      "Action": "sts:AssumeRole"
    },
    {
      "Effect": "Allow",
      "Principal": {"Federated": "arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com"},
      "Action": "sts:AssumeRoleWithWebIdentity"
    }
  ]
}"#;

#[tokio::test]
async fn a_trust_policy_pasted_as_a_resource_policy_gets_the_trust_checks() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    load_example(&browser, "14-role-trust-policy").await?;
    wait_for_any_decision(&browser).await?;
    set_policy_text(&browser, 1, LOOSE_TRUST).await?;
    let codes = wait_for("the trust checks' findings", DEFAULT_TIMEOUT, || async {
        let codes: Vec<String> = problems_of(&browser, 1)
            .await?
            .iter()
            .filter_map(|p| p["aws"].as_str().map(str::to_owned))
            .collect();
        Ok((codes.len() >= 2).then_some(codes))
    })
    .await?;
    browser
        .eval(
            "document.activeElement?.blur();\
             document.querySelectorAll('[data-testid=problems]')[1].scrollIntoView({block: 'center'}); return null;",
        )
        .await?;
    let file = browser.screenshot("findings-trust-policy").await?;
    println!("screenshot: {}", file.display());
    // Both from the checks module, most serious first.
    assert_eq!(
        codes,
        [
            "MISSING_GITHUB_REPO_CONDITION_KEY",
            "ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"
        ],
        "{codes:?}"
    );
    browser.close().await
}

#[tokio::test]
async fn without_the_catalogue_the_checks_module_still_runs_the_checks_that_need_none() -> Result<()>
{
    let browser = Browser::start().await?;
    browser.block_catalogue().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    set_policy_text(&browser, 0, EXTENDED).await?;
    wait_for_finding(&browser, "REDUNDANT_STATEMENT").await?;
    let notice = browser
        .wait_for_text("[data-testid=catalog-status]")
        .await?;
    assert!(
        notice.starts_with("AWS service data could not be loaded"),
        "{notice}"
    );
    // The module's findings that need no catalogue; neither the module's
    // nor the main module's catalogue findings.
    let codes: Vec<String> = finding_places(&browser)
        .await?
        .into_iter()
        .map(|(code, ..)| code)
        .collect();
    assert_eq!(
        codes,
        [
            "private-source-ip",
            "private-source-ip",
            "redundant-statement"
        ],
        "{codes:?}"
    );
    browser.close().await
}

#[tokio::test]
async fn without_the_checks_module_the_page_says_so_and_keeps_the_rest() -> Result<()> {
    let browser = Browser::start().await?;
    browser.block_urls(&["*iam_playground_checks*"]).await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    set_policy_text(&browser, 0, EXTENDED).await?;
    // The catalogue's own findings still come.
    wait_for_finding(&browser, "INVALID_ACTION").await?;
    let notice = browser.wait_for_text("[data-testid=checks-status]").await?;
    assert!(
        notice.starts_with("The checks module could not be loaded (")
            && notice.contains("Reload the page"),
        "{notice}"
    );
    let places = finding_places(&browser).await?;
    assert_eq!(
        places.len(),
        1,
        "only the main module's finding: {places:?}"
    );
    browser
        .eval("document.querySelector('[data-testid=checks-status]').scrollIntoView({block: 'center'}); return null;")
        .await?;
    let file = browser.screenshot("findings-checks-module-failed").await?;
    println!("screenshot: {}", file.display());
    assert!(
        browser
            .eval("return window.__checksReadyMs === undefined")
            .await?
            == json!(true)
    );
    browser.close().await
}

/// A policy pasted from a web page: indented with no-break spaces, with one
/// inside a value too (the value's own, which the fix keeps).
const PASTED: &str = "{\n\u{a0}\u{a0}\"Version\": \"2012-10-17\",\n\u{a0}\u{a0}\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::reports/q1\u{a0}summary.pdf\"}]\n}";

#[tokio::test]
async fn pasted_no_break_spaces_are_named_and_fixed_in_one_step() -> Result<()> {
    let browser = Browser::start().await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;
    set_policy_text(&browser, 0, PASTED).await?;
    let p = wait_for_finding(&browser, "JSON_SYNTAX_ERROR").await?;
    assert_eq!(p["code"], "json-syntax", "{p}");
    assert_eq!(
        (p["line"].as_u64(), p["column"].as_u64()),
        (Some(2), Some(1)),
        "{p}"
    );
    let label = p["fixLabel"].as_str().unwrap_or_default();
    assert!(label.contains("4 unusual spaces"), "{p}");
    let file = browser.screenshot("findings-pasted-spaces").await?;
    println!("screenshot: {}", file.display());
    quick_fix_from_keyboard(&browser, "JSON_SYNTAX_ERROR").await?;
    let fixed = PASTED.replacen('\u{a0}', " ", 4);
    wait_for_text(&browser, &fixed).await?;
    wait_for("no syntax error left", DEFAULT_TIMEOUT, || async {
        Ok(problems(&browser)
            .await?
            .iter()
            .all(|p| p["code"] != "json-syntax")
            .then_some(()))
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn findings_show_with_learn_more_and_quick_fixes_that_undo() -> Result<()> {
    let browser = Browser::start().await?;
    browser.client.set_window_size(1280, 1000).await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;

    // A finding that needs no catalogue.
    set_policy_text(&browser, 0, LIKE_STAR).await?;
    let p = wait_for_finding(&browser, "EQUIVALENT_TO_NULL_FALSE").await?;
    assert_eq!(p["code"], "equivalent-to-null-false", "{p}");
    assert_eq!(p["shownCode"], "equivalent-to-null-false", "{p}");
    assert_eq!(p["severity"], "suggestion", "{p}");
    assert_eq!(p["severityText"], "Suggestion", "{p}");
    let star = LIKE_STAR.find(r#""*"}}"#).ok_or("no star")?;
    let line = LIKE_STAR[..star].matches('\n').count() + 1;
    let column = star - LIKE_STAR[..star].rfind('\n').map_or(0, |i| i + 1) + 1;
    assert_eq!(
        (p["line"].as_u64(), p["column"].as_u64()),
        (Some(line as u64), Some(column as u64))
    );
    let href = p["href"].as_str().ok_or("no learn-more link")?;
    assert!(
        href.starts_with("https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#"),
        "{href}"
    );
    assert_eq!(p["target"], "_blank");
    assert_eq!(p["rel"], "noopener noreferrer");
    let label = p["fixLabel"].as_str().ok_or("no quick fix")?;
    assert!(
        label.starts_with(&format!(
            "Quick fix for the problem at line {line}, column {column}: Replace with "
        )),
        "{label}"
    );
    // The gutter marks the line with the finding's severity.
    let marker = browser
        .eval(&format!(
            "const m = document.querySelectorAll('.gutter')[0].querySelector('[data-testid=marker][data-line=\"{line}\"]');\
             return m && m.dataset.severity;"
        ))
        .await?;
    assert_eq!(marker, json!("suggestion"));

    // The quick fix, from the keyboard, rewrites the condition...
    quick_fix_from_keyboard(&browser, "EQUIVALENT_TO_NULL_FALSE").await?;
    let fixed = LIKE_STAR.replace(
        r#"{"StringLike": {"aws:PrincipalTag/team": "*"}}"#,
        r#"{"Null": {"aws:PrincipalTag/team": "false"}}"#,
    );
    wait_for_text(&browser, &fixed).await?;
    wait_for("the finding to go", DEFAULT_TIMEOUT, || async {
        let gone = problems(&browser)
            .await?
            .iter()
            .all(|p| p["aws"] != "EQUIVALENT_TO_NULL_FALSE");
        Ok(gone.then_some(()))
    })
    .await?;
    // ...and Undo restores the text.
    browser
        .eval("document.querySelectorAll('[data-testid=undo]')[0].click(); return null;")
        .await?;
    wait_for_text(&browser, LIKE_STAR).await?;
    wait_for_finding(&browser, "EQUIVALENT_TO_NULL_FALSE").await?;

    // With the catalogue: a typo in an action, and its did-you-mean fix.
    browser
        .wait_for_text("[data-testid=catalog-status]")
        .await?;
    set_policy_text(&browser, 0, TYPO).await?;
    let p = wait_for_finding(&browser, "INVALID_ACTION").await?;
    // AWS saves such a policy, so it is a warning here (docs/validation.md).
    assert_eq!(p["severity"], "warning", "{p}");
    assert_eq!(p["fix"], "Replace with s3:GetObject", "{p}");
    assert!(
        p["href"].as_str().is_some_and(
            |h| h.contains("#access-analyzer-reference-policy-checks-error-invalid-action")
        ),
        "{p}"
    );
    quick_fix_from_keyboard(&browser, "INVALID_ACTION").await?;
    wait_for_text(&browser, &TYPO.replace("s3:GetObjcet", "s3:GetObject")).await?;
    wait_for("INVALID_ACTION to go", DEFAULT_TIMEOUT, || async {
        let gone = problems(&browser)
            .await?
            .iter()
            .all(|p| p["aws"] != "INVALID_ACTION");
        Ok(gone.then_some(()))
    })
    .await?;
    // Ctrl+Z in the editor reverts the fix too.
    browser
        .eval("document.querySelectorAll('[data-testid=policy-text]')[0].focus(); return null;")
        .await?;
    let undo = KeyActions::new("keyboard".into())
        .then(KeyAction::Down {
            value: Key::Control.into(),
        })
        .then(KeyAction::Down { value: 'z' })
        .then(KeyAction::Up { value: 'z' })
        .then(KeyAction::Up {
            value: Key::Control.into(),
        });
    browser.client.perform_actions(undo).await?;
    wait_for_text(&browser, TYPO).await?;

    // Every severity at once, light and dark, for a look.
    set_policy_text(&browser, 0, MIXED).await?;
    wait_for_finding(&browser, "EQUIVALENT_TO_NULL_FALSE").await?;
    let severities: Vec<String> = problems(&browser)
        .await?
        .iter()
        .filter_map(|p| p["severity"].as_str().map(str::to_owned))
        .collect();
    for s in ["error", "security_warning", "warning", "suggestion"] {
        assert!(severities.iter().any(|x| x == s), "{s} in {severities:?}");
    }
    browser
        .eval(
            "document.activeElement?.blur();\
             document.querySelectorAll('[data-testid=problems]')[0].scrollIntoView({block: 'center'}); return null;",
        )
        .await?;
    for scheme in ["light", "dark"] {
        browser
            .cdp(
                "Emulation.setEmulatedMedia",
                json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
            )
            .await?;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let file = browser.screenshot(&format!("findings-{scheme}")).await?;
        println!("screenshot: {}", file.display());
    }
    // The editor: gutter marks and underlines by severity.
    browser
        .eval(
            "document.querySelectorAll('.editor')[0].scrollIntoView({block: 'start'}); return null;",
        )
        .await?;
    for scheme in ["light", "dark"] {
        browser
            .cdp(
                "Emulation.setEmulatedMedia",
                json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
            )
            .await?;
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        let file = browser
            .screenshot(&format!("findings-editor-{scheme}"))
            .await?;
        println!("screenshot: {}", file.display());
    }
    browser.close().await
}
