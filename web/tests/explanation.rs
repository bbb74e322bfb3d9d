//! Component tests for the decision and its explanation, run in headless
//! Chromium by `cargo test -p iam-playground --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]
// Clippy does not see `#[wasm_bindgen_test]` functions as tests, so the
// allow-*-in-tests settings of clippy.toml do not reach them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::rc::Rc;

use iam_playground::app::{default_workspace, App};
use iam_playground::components::{DecisionPanel, Explanation, ExplanationProps};
use iam_playground::state::EvalView;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_point() -> web_sys::Element {
    let document = gloo::utils::document();
    let div = document.create_element("div").unwrap();
    gloo::utils::body().append_child(&div).unwrap();
    div
}

fn all(root: &web_sys::Element, selector: &str) -> Vec<web_sys::Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
        .collect()
}

fn one(root: &web_sys::Element, selector: &str) -> web_sys::Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("{selector} is rendered"))
}

fn text(el: &web_sys::Element) -> String {
    el.text_content().unwrap_or_default().trim().to_owned()
}

async fn click(root: &web_sys::Element, selector: &str) {
    one(root, selector)
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
}

const STAGES: [&str; 7] = [
    "deny_evaluation",
    "resource_control_policies",
    "service_control_policies",
    "resource_policies",
    "permissions_boundary",
    "session_policies",
    "identity_policies",
];

#[wasm_bindgen_test]
async fn the_default_scenario_shows_its_badge_steps_and_diagram() {
    let root = mount_point();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    assert_eq!(text(&one(&root, "[data-testid=decision]")), "Explicit deny");
    assert!(text(&one(&root, "[data-testid=summary]")).starts_with("Denied explicitly"));

    let steps = all(&root, "[data-testid=step]");
    let stages: Vec<String> = steps
        .iter()
        .map(|s| s.get_attribute("data-stage").unwrap())
        .collect();
    assert_eq!(stages, STAGES);
    assert_eq!(
        steps[0].get_attribute("data-outcome").as_deref(),
        Some("explicit_deny")
    );
    assert_eq!(
        steps[0].get_attribute("data-decisive").as_deref(),
        Some("true")
    );
    assert_eq!(
        steps[6].get_attribute("data-outcome").as_deref(),
        Some("not_reached")
    );

    // The decisive step is open and shows the matching Deny statement.
    let denied = one(
        &root,
        "[data-testid=step][data-stage=deny_evaluation] [data-testid=statement][data-matched=true]",
    );
    assert_eq!(
        denied.get_attribute("data-policy").as_deref(),
        Some("S3Admin")
    );
    assert_eq!(
        denied.get_attribute("data-statement").as_deref(),
        Some("DenySecretBucket")
    );

    let svg = one(&root, "svg[data-testid=flow-diagram]");
    assert_eq!(svg.get_attribute("role").as_deref(), Some("img"));
    assert!(svg
        .get_attribute("aria-label")
        .unwrap()
        .ends_with("Decision: Explicit deny."));
}

#[wasm_bindgen_test]
async fn the_step_control_reveals_one_stage_at_a_time() {
    let root = mount_point();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    let count = |root: &web_sys::Element| all(root, "[data-testid=step]").len();
    assert_eq!(count(&root), 7);
    click(&root, "[data-testid=step-next]").await;
    assert_eq!(count(&root), 1);
    click(&root, "[data-testid=step-next]").await;
    assert_eq!(count(&root), 2);
    click(&root, "[data-testid=step-prev]").await;
    assert_eq!(count(&root), 1);
    let prev = one(&root, "[data-testid=step-prev]");
    assert_eq!(prev.get_attribute("aria-disabled").as_deref(), Some("true"));
    // At the start, Previous does nothing.
    click(&root, "[data-testid=step-prev]").await;
    assert_eq!(count(&root), 1);
    for _ in 0..10 {
        click(&root, "[data-testid=step-next]").await;
    }
    assert_eq!(count(&root), 7);
    let next = one(&root, "[data-testid=step-next]");
    assert_eq!(next.get_attribute("aria-disabled").as_deref(), Some("true"));
    assert!(text(&one(&root, ".stepper__status")).ends_with("the decision"));
    click(&root, "[data-testid=step-all]").await;
    assert_eq!(count(&root), 7);
}

/// Switches from an evaluated view to one with errors.
#[component]
fn Switcher() -> Html {
    let broken = use_state(|| false);
    let view = use_memo(*broken, |broken| {
        let mut ws = default_workspace();
        if *broken {
            ws.policies[0].text = "{".to_owned();
        }
        EvalView::compute(&ws, None, None)
    });
    let onclick = {
        let broken = broken.clone();
        Callback::from(move |_: MouseEvent| broken.set(true))
    };
    html! {
        <>
            <button id="break" {onclick}>{ "break" }</button>
            <DecisionPanel view={Rc::clone(&view)} />
        </>
    }
}

#[wasm_bindgen_test]
async fn errors_show_no_decision_and_keep_the_last_one_greyed() {
    let root = mount_point();
    yew::Renderer::<Switcher>::with_root(root.clone()).render();
    yew::scheduler::flush().await;
    assert_eq!(text(&one(&root, "[data-testid=decision]")), "Explicit deny");

    click(&root, "#break").await;
    assert_eq!(text(&one(&root, "[data-testid=decision]")), "No decision");
    let meta = text(&one(&root, ".verdict__meta"));
    assert!(meta.starts_with("Fix the problem"), "{meta}");
    assert!(
        meta.ends_with("the last decision, Explicit deny."),
        "{meta}"
    );
    // The last summary stays in place, greyed.
    let summary = one(&root, "[data-testid=summary]");
    assert!(text(&summary).starts_with("Denied explicitly"));
    assert!(summary
        .get_attribute("class")
        .unwrap_or_default()
        .contains("decision__summary--stale"));
    // The last explanation stays, greyed.
    one(&root, ".explain.explain--stale");
    assert_eq!(all(&root, "[data-testid=step]").len(), 7);
}

#[wasm_bindgen_test]
async fn across_accounts_both_sides_are_shown() {
    let ws = iam_playground::workspace::Workspace::from_scenario_text(include_str!(
        "../../tests/corpus/gallery/03-cross-account-bucket.json"
    ))
    .unwrap();
    let evaluation = Rc::new(iam_engine::evaluate(&ws.to_scenario().0).unwrap());
    let root = mount_point();
    yew::Renderer::<Explanation>::with_root_and_props(
        root.clone(),
        ExplanationProps {
            evaluation,
            stale: false,
        },
    )
    .render();
    yew::scheduler::flush().await;

    let principal = one(&root, "[data-testid=principal-side]");
    let resource = one(&root, "[data-testid=resource-side]");
    assert!(text(&principal).contains("allows"));
    assert!(text(&resource).contains("account 444455556666"));
    let decisive: Vec<String> = all(&root, "[data-testid=step][data-decisive=true]")
        .iter()
        .map(|s| s.get_attribute("data-stage").unwrap())
        .collect();
    assert_eq!(decisive, ["resource_policies", "identity_policies"]);
    let granted = one(
        &root,
        "[data-testid=step][data-stage=resource_policies] [data-testid=statement]",
    );
    assert_eq!(
        granted.get_attribute("data-statement").as_deref(),
        Some("AllowAccount111122223333")
    );
    assert_eq!(
        granted.get_attribute("data-matched").as_deref(),
        Some("true")
    );
}

/// The decision panel of a corpus scenario.
#[derive(Properties, PartialEq)]
struct CaseProps {
    text: &'static str,
}

#[component]
fn Case(props: &CaseProps) -> Html {
    let view = use_memo(props.text, |text| {
        let ws = iam_playground::workspace::Workspace::from_scenario_text(text).unwrap();
        EvalView::compute(&ws, None, None)
    });
    html! { <DecisionPanel view={Rc::clone(&view)} /> }
}

#[wasm_bindgen_test]
async fn a_service_rule_is_listed_under_the_decision() {
    let root = mount_point();
    yew::Renderer::<Case>::with_root_and_props(
        root.clone(),
        CaseProps {
            text: include_str!(
                "../../tests/corpus/fidelity/sts-get-caller-identity-explicit-deny.json"
            ),
        },
    )
    .render();
    yew::scheduler::flush().await;
    assert_eq!(text(&one(&root, "[data-testid=decision]")), "Allow");
    assert!(text(&one(&root, ".verdict__meta")).starts_with("A service rule decides"));
    let note = one(
        &root,
        "[data-testid=notes] .note[data-code=sts-get-caller-identity]",
    );
    assert!(text(&note).contains("needs no permission"));
    assert!(text(&note).contains("GetCallerIdentity"));
    assert!(text(&one(&note, ".chip")).contains("Service rule"));
}

#[wasm_bindgen_test]
async fn an_unresolved_variable_is_marked_and_the_choice_noted() {
    let root = mount_point();
    yew::Renderer::<Case>::with_root_and_props(
        root.clone(),
        CaseProps {
            text: include_str!("../../tests/corpus/fidelity/var-notresource-allow-unresolved.json"),
        },
    )
    .render();
    yew::scheduler::flush().await;
    let note = one(
        &root,
        "[data-testid=notes] .note[data-code=not-resource-unresolved-variable]",
    );
    assert!(text(&one(&note, ".chip")).contains("Not documented by AWS"));
    // The statement's elements show (open by default or after a click).
    if all(&root, "[data-testid=unresolved]").is_empty() {
        click(
            &root,
            "[data-testid=step][data-stage=identity_policies] [data-testid=statement] .stmt__toggle",
        )
        .await;
    }
    let marker = one(&root, "[data-testid=unresolved]");
    assert_eq!(text(&marker), "unresolved ${aws:username}");
    let verdicts: Vec<String> = all(&root, ".check__verdict").iter().map(text).collect();
    assert!(
        verdicts
            .iter()
            .any(|v| v == "does not match (a pattern's policy variable has no value)"),
        "{verdicts:?}"
    );
}
