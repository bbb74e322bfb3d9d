//! The results table of a suite in the app: loaded by share link, its rows
//! (decision icon and text, the wildcard an action came from, whether the
//! expectation is met), the filters with their counts, sorting, setting a
//! row's expectation (the failing filter follows; the draft, the share
//! link and so Export carry it, and the engine checks it as `iam-eval test`
//! does), a row's explanation on click and with the keyboard, and the
//! virtual rows of every action of the catalogue.

mod harness;
mod playground;

use fantoccini::key::Key;
use harness::{wait_for, Browser, Result, DEFAULT_TIMEOUT};
use playground::{wait_for_any_decision, wait_for_saved_draft};
use serde_json::{json, Value};

/// A matrix of 3 actions (one a wildcard) × 2 resources against one
/// policy, and one listed request expecting what it does not get (the
/// web crate's results tests use the same file).
pub const SUITE: &str = include_str!("data/results-suite.json");

/// The rows in the DOM, in the table's order (the body reuses its row
/// elements, so the DOM's order may differ): (suite index, position,
/// decision text, action cell, met).
async fn rows(browser: &Browser) -> Result<Vec<Value>> {
    let v = browser
        .eval(
            "return [...document.querySelectorAll('[data-testid=result-row]')].map(tr => ({\
               index: +tr.dataset.index, pos: +tr.getAttribute('aria-rowindex'),\
               decision: tr.querySelector('[data-testid=row-decision]').textContent,\
               action: tr.children[2].textContent,\
               met: tr.querySelector('[data-testid=row-met]').textContent }))\
               .sort((a, b) => a.pos - b.pos);",
        )
        .await?;
    Ok(v.as_array().cloned().unwrap_or_default())
}

fn indexes(rows: &[Value]) -> Vec<u64> {
    rows.iter().filter_map(|r| r["index"].as_u64()).collect()
}

async fn summary(browser: &Browser) -> Result<String> {
    Ok(browser
        .eval("const s = document.querySelector('[data-testid=results-summary]'); return s ? s.textContent : '';")
        .await?
        .as_str()
        .unwrap_or_default()
        .to_string())
}

async fn wait_for_summary(browser: &Browser, needle: &str) -> Result<String> {
    let result = wait_for(
        &format!("a summary containing `{needle}`"),
        DEFAULT_TIMEOUT,
        || async { Ok(Some(summary(browser).await?).filter(|s| s.contains(needle))) },
    )
    .await;
    match result {
        Ok(s) => Ok(s),
        Err(e) => Err(format!("{e}; the summary says `{}`", summary(browser).await?).into()),
    }
}

async fn click(browser: &Browser, css: &str) -> Result<()> {
    browser.wait_for_element(css).await?.click().await?;
    Ok(())
}

/// The focused element's `aria-rowindex`, if it is a row.
async fn focused_row(browser: &Browser) -> Result<Option<u64>> {
    let v = browser
        .eval("const a = document.activeElement; return a && a.getAttribute('aria-rowindex');")
        .await?;
    Ok(v.as_str().and_then(|s| s.parse().ok()))
}

/// Sets row `index`'s expectation as a person does: activates the row's
/// Expected button, which a focused select replaces, and chooses `value`.
async fn set_expectation(browser: &Browser, index: u64, value: &str) -> Result<()> {
    let row = format!("tr[data-index=\"{index}\"]");
    click(browser, &format!("{row} [data-testid=expect-button]")).await?;
    browser
        .wait_for_element(&format!("{row} [data-testid=expect-select]"))
        .await?;
    let focused = browser
        .eval("return document.activeElement.dataset.testid;")
        .await?;
    assert_eq!(
        focused,
        json!("expect-select"),
        "the select takes the focus"
    );
    let done = browser
        .client
        .execute(
            "const s = document.querySelector(`tr[data-index=\"${arguments[0]}\"] [data-testid=expect-select]`);\
             if (!s) return false; s.value = arguments[1];\
             s.dispatchEvent(new Event('change', { bubbles: true })); return true;",
            vec![json!(index), json!(value)],
        )
        .await?;
    assert_eq!(done, json!(true), "row {index} has an expectation select");
    Ok(())
}

/// The suite as the page's share link carries it, exported and checked by
/// the engine as `iam-eval test` checks the exported file: requests,
/// passing ones, and the indexes of the failing ones.
async fn shared_suite_report(browser: &Browser) -> Result<(usize, usize, Vec<usize>)> {
    click(browser, "[data-testid=copy-link]").await?;
    let url = browser
        .wait_for_element("[data-testid=share-url]")
        .await?
        .prop("value")
        .await?
        .ok_or("no share link")?;
    let fragment = &url[url.find('#').ok_or("no fragment")?..];
    let workspace = iam_playground::share_link::workspace_from_fragment(fragment)
        .ok_or("not a share link")?
        .map_err(|e| format!("{e:?}"))?;
    let exported = iam_playground::import_export::export_text(&workspace);
    let scenario = iam_engine::Scenario::parse(&exported)
        .scenario
        .ok_or("the exported scenario does not read")?;
    let catalog = iam_engine::Catalog::decode(include_bytes!("../../engine/data/catalog.bin"))
        .map_err(|e| e.to_string())?;
    let cases =
        iam_engine::suite::expand(&scenario, Some(&catalog)).map_err(|e| format!("{e:?}"))?;
    let set = iam_engine::suite::PolicySet::prepare(&scenario).map_err(|e| e.to_string())?;
    let verdicts: Vec<_> = cases
        .iter()
        .map(|c| set.decide(&c.request))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| format!("{e:?}"))?;
    let report = iam_engine::suite::SuiteReport::new(&cases, &verdicts);
    let failing = report.failures.iter().map(|f| f.index).collect();
    Ok((report.total, report.passed, failing))
}

async fn explanation_title(browser: &Browser) -> Result<String> {
    browser
        .wait_for_text("[data-testid=results-explanation] h3")
        .await
}

#[tokio::test]
async fn a_suite_shows_filters_sorts_sets_expectations_and_explains() -> Result<()> {
    let browser = Browser::start().await?;
    browser.client.set_window_size(1280, 1000).await?;
    let fragment = iam_playground::share_link::fragment(SUITE);
    browser.open(&format!("/{fragment}")).await?;
    wait_for_any_decision(&browser).await?;
    browser.wait_for_element("[data-testid=results]").await?;
    // Once the catalogue has loaded, the wildcard has become its action.
    let text = wait_for_summary(&browser, "8 requests: 2 allowed, 6 denied").await?;
    assert_eq!(
        text,
        "8 requests: 2 allowed, 6 denied (3 explicitly, 3 implicitly); 2 failing, 5 passing"
    );
    let all = rows(&browser).await?;
    assert_eq!(indexes(&all), [0, 1, 2, 3, 4, 5, 6, 7]);
    let decisions: Vec<&str> = all.iter().filter_map(|r| r["decision"].as_str()).collect();
    assert_eq!(
        decisions,
        [
            "✓Allow",
            "⊘Implicit deny",
            "✕Explicit deny",
            "⊘Implicit deny",
            "✕Explicit deny",
            "✓Allow",
            "✕Explicit deny",
            "⊘Implicit deny"
        ]
    );
    assert_eq!(all[6]["action"], "s3:ListAllMyBuckets from s3:ListAllMy*");
    assert_eq!(all[1]["met"], "✗ Fail");
    assert_eq!(all[2]["met"], "✓ Pass");
    assert_eq!(all[0]["met"], "—");
    let rowcount = browser
        .eval("return document.querySelector('[data-testid=results] table').getAttribute('aria-rowcount');")
        .await?;
    assert_eq!(rowcount, "9");

    // Filters, with their counts.
    let count = |id: &'static str| {
        let browser = &browser;
        async move {
            let v = browser
                .eval(&format!(
                    "return document.querySelector('[data-testid=filter-{id}]').parentElement.textContent;"
                ))
                .await?;
            Result::<String>::Ok(v.as_str().unwrap_or_default().to_string())
        }
    };
    assert_eq!(count("failing").await?, "Failing expectations2");
    assert_eq!(count("explicit-deny").await?, "Explicitly denied3");
    click(&browser, "[data-testid=filter-failing]").await?;
    wait_for("the failing rows", DEFAULT_TIMEOUT, || async {
        Ok((indexes(&rows(&browser).await?) == [1, 5]).then_some(()))
    })
    .await?;
    click(&browser, "[data-testid=filter-allow]").await?;
    wait_for("the allowed rows", DEFAULT_TIMEOUT, || async {
        Ok((indexes(&rows(&browser).await?) == [0, 5]).then_some(()))
    })
    .await?;
    click(&browser, "[data-testid=filter-all]").await?;

    // The text search.
    browser
        .client
        .execute(
            "const i = document.querySelector('[data-testid=results-search]');\
             const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;\
             set.call(i, 'SECRET'); i.dispatchEvent(new InputEvent('input', { bubbles: true }));",
            vec![],
        )
        .await?;
    wait_for("the rows on secret/", DEFAULT_TIMEOUT, || async {
        Ok((indexes(&rows(&browser).await?) == [2, 4, 6]).then_some(()))
    })
    .await?;
    browser
        .client
        .execute(
            "const i = document.querySelector('[data-testid=results-search]');\
             const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;\
             set.call(i, ''); i.dispatchEvent(new InputEvent('input', { bubbles: true }));",
            vec![],
        )
        .await?;

    // Sorting: by decision, then descending.
    click(&browser, "[data-testid=sort-decision]").await?;
    wait_for("sorted by decision", DEFAULT_TIMEOUT, || async {
        Ok((indexes(&rows(&browser).await?) == [0, 5, 2, 4, 6, 1, 3, 7]).then_some(()))
    })
    .await?;
    click(&browser, "[data-testid=sort-decision]").await?;
    wait_for(
        "sorted by decision, descending",
        DEFAULT_TIMEOUT,
        || async {
            Ok((indexes(&rows(&browser).await?) == [1, 3, 7, 2, 4, 6, 0, 5]).then_some(()))
        },
    )
    .await?;
    let sorts = browser
        .eval("return [...document.querySelectorAll('[data-testid=results] th')].map(th => th.getAttribute('aria-sort'));")
        .await?;
    assert_eq!(
        sorts,
        json!([
            "none",
            "descending",
            "none",
            "none",
            "none",
            "none",
            "none",
            "none"
        ])
    );
    click(&browser, "[data-testid=sort-index]").await?;
    wait_for("back in the suite's order", DEFAULT_TIMEOUT, || async {
        Ok((indexes(&rows(&browser).await?) == [0, 1, 2, 3, 4, 5, 6, 7]).then_some(()))
    })
    .await?;

    // Setting bob's read of reports/b (a matrix row) to expect Allow, and
    // the listed write to expect nothing: nothing fails any more.
    // The cell shows a button; activated, a select replaces it, focused.
    let set_expect = |index: u64, value: &'static str| set_expectation(&browser, index, value);
    set_expect(5, "Allow").await?;
    wait_for_summary(&browser, "1 failing").await?;
    assert_eq!(count("failing").await?, "Failing expectations1");
    set_expect(1, "").await?;
    wait_for_summary(&browser, "0 failing, 6 passing").await?;

    // The draft and the share link carry the suite; read back by the engine
    // (as Export's file would be by `iam-eval test`), every expectation holds.
    let draft = wait_for_saved_draft(&browser, "\"expectations\"").await?;
    assert!(draft.contains("\"action\": \"s3:GetObject\""), "{draft}");
    let (total, passed, failing) = shared_suite_report(&browser).await?;
    assert_eq!((total, passed, failing), (8, 6, vec![]));
    browser
        .client
        .execute(
            "document.activeElement && document.activeElement.blur();",
            vec![],
        )
        .await?;
    browser.press(Key::Escape).await?;

    // A click shows the row's explanation; the table keeps its scroll
    // position and filter.
    click(&browser, "[data-testid=filter-explicit-deny]").await?;
    wait_for("the explicit denies", DEFAULT_TIMEOUT, || async {
        Ok((indexes(&rows(&browser).await?) == [2, 4, 6]).then_some(()))
    })
    .await?;
    click(&browser, "tr[data-index=\"4\"] td.results__num").await?;
    let title = explanation_title(&browser).await?;
    assert_eq!(
        title,
        "Request 5: s3:GetObject on arn:aws:s3:::secret/k as arn:aws:iam::111122223333:user/bob"
    );
    let explained = browser
        .eval("return document.querySelector('[data-testid=results-explanation]').textContent;")
        .await?;
    assert!(
        explained.as_str().unwrap_or_default().contains("NoSecrets"),
        "{explained}"
    );
    assert_eq!(
        indexes(&rows(&browser).await?),
        [2, 4, 6],
        "the filter stays"
    );

    // The keyboard: the clicked row is focused; Down moves, Enter explains.
    assert_eq!(focused_row(&browser).await?, Some(3));
    browser.press(Key::Down).await?;
    wait_for("the next row focused", DEFAULT_TIMEOUT, || async {
        Ok((focused_row(&browser).await? == Some(4)).then_some(()))
    })
    .await?;
    browser.press(Key::Enter).await?;
    wait_for("the next row's explanation", DEFAULT_TIMEOUT, || async {
        Ok(explanation_title(&browser)
            .await?
            .starts_with("Request 7: s3:ListAllMyBuckets")
            .then_some(()))
    })
    .await?;
    browser.press(Key::Home).await?;
    wait_for("the first row focused", DEFAULT_TIMEOUT, || async {
        Ok((focused_row(&browser).await? == Some(2)).then_some(()))
    })
    .await?;
    browser.screenshot("results-table").await?;
    browser.close().await
}

/// A wildcard entry of `requests` (two actions of AWS's catalogue): every
/// row of the table has an Expected select, each action takes its own
/// expectation (written to the entry's `expectations`), and the panel's
/// request takes a plain Deny; the share link carries them and the engine
/// checks them as `iam-eval test` does.
#[tokio::test]
async fn every_row_takes_an_expectation_and_deny_means_either_deny() -> Result<()> {
    let suite = SUITE.replace(
        "\"action\": \"s3:PutObject\",\n      \"resource\": \"arn:aws:s3:::reports/a\", \"expect\": { \"decision\": \"Allow\" }",
        "\"action\": \"s3:GetObjectT*\",\n      \"resource\": \"arn:aws:s3:::reports/a\", \"expect\": { \"decision\": \"Deny\" }",
    );
    assert_ne!(suite, SUITE);
    let browser = Browser::start().await?;
    browser.client.set_window_size(1280, 1000).await?;
    let fragment = iam_playground::share_link::fragment(&suite);
    browser.open(&format!("/{fragment}")).await?;
    wait_for_any_decision(&browser).await?;
    // The panel's request, GetObjectTagging and GetObjectTorrent (allowed
    // by `s3:Get*`, expecting the entry's Deny), then the matrix's six.
    let text = wait_for_summary(&browser, "9 requests: 4 allowed").await?;
    assert!(text.ends_with("3 failing, 5 passing"), "{text}");
    let all = rows(&browser).await?;
    assert_eq!(all[1]["action"], "s3:GetObjectTagging from s3:GetObjectT*");
    // Every row's Expected cell is a button that opens the same choices.
    let buttons = browser
        .eval(
            "return [...document.querySelectorAll('[data-testid=result-row]')]\
               .filter(tr => tr.querySelector('[data-testid=expect-button]')).length;",
        )
        .await?;
    assert_eq!(buttons, json!(9), "every row takes an expectation");
    for index in [0u64, 1, 8] {
        let row = format!("tr[data-index=\"{index}\"]");
        click(&browser, &format!("{row} [data-testid=expect-button]")).await?;
        let options = browser
            .wait_for_element(&format!("{row} [data-testid=expect-select]"))
            .await?;
        let values = browser
            .client
            .execute(
                "return [...arguments[0].querySelectorAll('option')].map(o => o.value).join(',');",
                vec![serde_json::to_value(&options)?],
            )
            .await?;
        assert_eq!(
            values,
            json!(",Allow,Deny,ExplicitDeny,ImplicitDeny"),
            "row {index}: the same choices"
        );
        browser.press(Key::Escape).await?;
    }

    let set_expect = |index: u64, value: &'static str| set_expectation(&browser, index, value);
    // One action of the wildcard: only that row changes.
    set_expect(2, "Allow").await?;
    wait_for_summary(&browser, "2 failing, 6 passing").await?;
    let now = rows(&browser).await?;
    assert_eq!(
        (now[1]["met"].as_str(), now[2]["met"].as_str()),
        (Some("✗ Fail"), Some("✓ Pass"))
    );
    set_expect(1, "Allow").await?;
    wait_for_summary(&browser, "1 failing, 7 passing").await?;
    // The panel's request is allowed: a plain Deny fails, and shows so.
    set_expect(0, "Deny").await?;
    wait_for_summary(&browser, "2 failing, 7 passing").await?;
    let selected = browser
        .eval("return document.querySelector('tr[data-index=\"0\"] [data-testid=expect-select]').value;")
        .await?;
    assert_eq!(selected, "Deny");

    let draft = wait_for_saved_draft(&browser, "\"s3:GetObjectTorrent\"").await?;
    assert!(draft.contains("\"expectations\": ["), "{draft}");
    let (total, passed, failing) = shared_suite_report(&browser).await?;
    assert_eq!((total, passed, failing), (9, 7, vec![0, 6]));
    browser.close().await
}

/// The typical policy set (5 policies, 30 statements) × every action of the
/// catalogue × one resource, about 22,000 rows: the file
/// `engine/benches/many.rs` writes (`every_action_file`).
pub const EVERY_ACTION: &str = include_str!("data/every-action.json");

#[tokio::test]
async fn every_action_is_a_virtual_row() -> Result<()> {
    let browser = Browser::start().await?;
    let fragment = iam_playground::share_link::fragment(EVERY_ACTION);
    browser.open(&format!("/{fragment}")).await?;
    wait_for_any_decision(&browser).await?;
    // Before the catalogue: the wildcard row waits, with a word for it.
    let text = wait_for_summary(&browser, "requests:").await?;
    if text.contains("waiting") {
        let pending = browser
            .eval("const d = document.querySelector('.results__decision--pending'); return d ? d.textContent : '';")
            .await?;
        assert!(
            pending.as_str().unwrap_or_default().contains("catalogue"),
            "{pending}"
        );
    }
    let text = wait_for("every action decided", DEFAULT_TIMEOUT, || async {
        let s = summary(&browser).await?;
        Ok(
            (!s.contains("waiting") && !s.contains("being decided") && s.contains("allowed"))
                .then_some(s),
        )
    })
    .await?;
    let total: usize = text
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or("no count")?;
    assert!(total > 15_000, "{text}");
    let dom = browser
        .eval("return [document.querySelectorAll('[data-testid=result-row]').length,\
                 +document.querySelector('[data-testid=results] table').getAttribute('aria-rowcount')];")
        .await?;
    let drawn = dom[0].as_u64().unwrap_or(0);
    assert!(drawn > 20 && drawn < 150, "{drawn} rows in the DOM");
    assert_eq!(dom[1].as_u64(), Some(total as u64 + 1));

    // Scrolled to the end: the last rows are drawn, with their positions.
    browser
        .eval("const s = document.querySelector('[data-testid=results-scroll]'); s.scrollTop = s.scrollHeight; s.dispatchEvent(new Event('scroll'));")
        .await?;
    let last = wait_for("the last row drawn", DEFAULT_TIMEOUT, || async {
        let r = rows(&browser).await?;
        Ok(r.last()
            .filter(|r| r["pos"].as_u64() == Some(total as u64 + 1))
            .cloned())
    })
    .await?;
    assert_eq!(last["index"].as_u64(), Some(total as u64 - 1));
    let drawn = rows(&browser).await?.len();
    assert!(drawn < 150, "{drawn} rows in the DOM");
    browser
        .eval("document.querySelector('[data-testid=results-scroll]').scrollIntoView({ block: 'start' });")
        .await?;
    // The header sticks at the top of the scrolled table.
    let head = browser
        .eval("const s = document.querySelector('[data-testid=results-scroll]');\
               return s.querySelector('thead').getBoundingClientRect().top - s.getBoundingClientRect().top;")
        .await?;
    assert!(head.as_f64().is_some_and(|d| d.abs() < 2.0), "{head}");
    browser.screenshot("results-table-every-action-end").await?;

    // The keyboard across rows not drawn yet: PageDown, End and Home move
    // the focus (the rows are drawn, scrolled into view and focused).
    browser
        .eval("document.querySelector('[data-testid=results-scroll]').scrollTop = 0;")
        .await?;
    click(&browser, "tr[aria-rowindex=\"3\"] td.results__num").await?;
    assert_eq!(focused_row(&browser).await?, Some(3));
    browser.press(Key::PageDown).await?;
    wait_for("a page down", DEFAULT_TIMEOUT, || async {
        Ok((focused_row(&browser).await? == Some(3 + 22)).then_some(()))
    })
    .await?;
    browser.press(Key::End).await?;
    wait_for("the last row focused", DEFAULT_TIMEOUT, || async {
        Ok((focused_row(&browser).await? == Some(total as u64 + 1)).then_some(()))
    })
    .await?;
    let at_end = browser
        .eval("const s = document.querySelector('[data-testid=results-scroll]'); return s.scrollHeight - s.scrollTop - s.clientHeight;")
        .await?;
    assert!(at_end.as_f64().unwrap_or(f64::NAN) < 2.0, "{at_end}");
    browser.press(Key::Home).await?;
    wait_for("the first row focused", DEFAULT_TIMEOUT, || async {
        Ok((focused_row(&browser).await? == Some(2)).then_some(()))
    })
    .await?;
    // Scrolled far away, the focused row keeps the focus.
    browser
        .eval("const s = document.querySelector('[data-testid=results-scroll]'); s.scrollTop = s.scrollHeight / 2;")
        .await?;
    wait_for("the middle rows drawn", DEFAULT_TIMEOUT, || async {
        let r = rows(&browser).await?;
        Ok(r.iter()
            .any(|r| r["pos"].as_u64().is_some_and(|p| p > total as u64 / 3))
            .then_some(()))
    })
    .await?;
    assert_eq!(focused_row(&browser).await?, Some(2));
    browser.close().await
}
