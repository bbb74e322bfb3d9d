//! The embedded view (`?embed`, for documentation sites) with the service
//! catalogue: it loads after the first decision, as in the full app, and
//! the catalogue's findings join each policy's problems, behind a count
//! that opens from the keyboard. Without the catalogue the decision and
//! the grammar's findings still show. Screenshot `embed-problems`.

mod harness;
mod playground;

use fantoccini::key::Key;
use harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};
use iam_playground::workspace::Workspace;
use playground::wait_for_decision;
use serde_json::{json, Value};

/// A scenario with a typo only the catalogue finds (`s3:GetObjcet`), a
/// finding the grammar finds (`StringLike` with `*`), and the global key
/// AWS uses but does not document (no finding).
const SCENARIO: &str = r#"{
  "name": "Embedded findings",
  "policies": [
    {
      "name": "ReadReports",
      "type": "identity",
      "document": {
        "Version": "2012-10-17",
        "Statement": [
          {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjcet"],
            "Resource": "arn:aws:s3:::reports/*",
            "Condition": {
              "StringLike": {"aws:PrincipalTag/team": "*"},
              "StringEquals": {"aws:PrincipalOrgMasterAccountId": "111122223333"}
            }
          }
        ]
      }
    }
  ],
  "request": {
    "principal": "arn:aws:iam::111122223333:user/alice",
    "action": "s3:GetObject",
    "resource": "arn:aws:s3:::reports/q1.csv",
    "context": {
      "aws:PrincipalTag/team": "finance",
      "aws:PrincipalOrgMasterAccountId": "111122223333"
    }
  }
}"#;

fn embed_path() -> Result<String> {
    let workspace = Workspace::from_scenario_text(SCENARIO).map_err(|e| format!("{e:?}"))?;
    Ok(format!(
        "/?embed{}",
        iam_playground::share_link::fragment_for(&workspace)
    ))
}

/// The embed's problems: (code, aws code, severity, text) of each finding
/// of each list, and whether each list is open.
async fn problems(browser: &Browser) -> Result<Value> {
    browser
        .eval(
            "return [...document.querySelectorAll('[data-testid=embed-problems]')].map(d => ({\
               open: d.open, count: d.querySelector('summary').textContent,\
               items: [...d.querySelectorAll('[data-testid=problem]')].map(li => ({\
                 code: li.dataset.code, aws: li.dataset.awsCode, severity: li.dataset.severity,\
                 text: li.textContent, visible: li.checkVisibility() }))\
             }));",
        )
        .await
}

fn codes(lists: &Value) -> Vec<String> {
    lists
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|l| {
            l.get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        })
        .map(|i| {
            i.get("code")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn embed_loads_the_catalogue_and_shows_its_findings_behind_a_count() -> Result<()> {
    let browser = Browser::start().await?;
    browser.client.set_window_size(1100, 900).await?;
    browser.open(&embed_path()?).await?;
    wait_for_decision(&browser, "Allow").await?;

    // The catalogue's finding arrives after the decision.
    let lists = wait_for(
        "the catalogue's finding in the embed",
        DEFAULT_TIMEOUT,
        || async {
            let lists = problems(&browser).await?;
            Ok(codes(&lists)
                .iter()
                .any(|c| c == "unknown-action")
                .then_some(lists))
        },
    )
    .await?;
    assert!(
        browser
            .server
            .requests()
            .iter()
            .any(|r| r.contains("catalog.bin")),
        "{:?}",
        browser.server.requests()
    );
    let list = &lists[0];
    let items = list["items"].as_array().cloned().unwrap_or_default();
    let invalid = items
        .iter()
        .find(|i| i["code"] == "unknown-action")
        .ok_or("no unknown-action")?;
    assert_eq!(invalid["aws"], "INVALID_ACTION", "{invalid}");
    let text = invalid["text"].as_str().unwrap_or_default();
    assert!(text.contains("s3:GetObjcet"), "{text}");
    assert!(
        items.iter().any(|i| i["aws"] == "EQUIVALENT_TO_NULL_FALSE"),
        "{list}"
    );
    // The undocumented global key is not called unknown.
    assert!(
        !codes(&lists).iter().any(|c| c.contains("condition-key")),
        "{lists}"
    );
    // Closed at first: the count only, its findings hidden.
    assert_eq!(list["open"], false, "{list}");
    assert!(items.iter().all(|i| i["visible"] == false), "{list}");
    let count = list["count"].as_str().unwrap_or_default();
    assert!(count.contains("warning"), "{count}");

    // Tab to the count, Enter: the list opens.
    let focused = browser
        .eval(
            "const s = document.querySelector('[data-testid=embed-problems] summary');\
             s.focus(); return document.activeElement === s;",
        )
        .await?;
    assert_eq!(focused, json!(true));
    browser.press(Key::Enter).await?;
    let opened = wait_for("the problems to open", DEFAULT_TIMEOUT, || async {
        let lists = problems(&browser).await?;
        Ok((lists[0]["open"] == true).then_some(lists))
    })
    .await?;
    let items = opened[0]["items"].as_array().cloned().unwrap_or_default();
    assert!(items.iter().all(|i| i["visible"] == true), "{opened}");
    // Each finding's learn-more link is reachable.
    let links = browser
        .eval(
            "return [...document.querySelectorAll('[data-testid=embed-problems] [data-testid=learn-more]')]\
               .map(a => a.href);",
        )
        .await?;
    assert!(
        links.as_array().is_some_and(|l| !l.is_empty()
            && l.iter().all(|h| h
                .as_str()
                .is_some_and(|h| h.starts_with("https://docs.aws.amazon.com/")))),
        "{links}"
    );
    // Read-only: no quick fix, and no caret to put anywhere.
    let buttons = browser
        .eval(
            "const d = document.querySelector('[data-testid=embed-problems]');\
             return { fixes: d.querySelectorAll('[data-testid=quick-fix]').length,\
               enabled: [...d.querySelectorAll('button')].filter(b => !b.disabled).length };",
        )
        .await?;
    assert_eq!(buttons, json!({ "fixes": 0, "enabled": 0 }));
    let shot = browser.screenshot("embed-problems").await?;
    eprintln!("screenshot: {}", shot.display());
    browser.close().await
}

#[tokio::test]
async fn embed_decides_without_the_catalogue() -> Result<()> {
    let browser = Browser::start().await?;
    browser.block_catalogue().await?;
    browser.open(&embed_path()?).await?;
    wait_for_decision(&browser, "Allow").await?;
    // The grammar's finding shows; the catalogue's never comes.
    let lists = wait_for("the grammar's finding", DEFAULT_TIMEOUT, || async {
        let lists = problems(&browser).await?;
        Ok(codes(&lists)
            .iter()
            .any(|c| c == "equivalent-to-null-false")
            .then_some(lists))
    })
    .await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let lists_after = problems(&browser).await?;
    assert_eq!(lists, lists_after);
    assert!(
        !codes(&lists).iter().any(|c| c == "unknown-action"),
        "{lists}"
    );
    browser.close().await
}
