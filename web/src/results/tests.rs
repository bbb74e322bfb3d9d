//! Unit tests of the suite's results, filters and sorting.

use super::*;
use crate::state::{Action, AppState};
use iam_engine::scenario::DocumentStyle;

/// A matrix of 3 actions (one a wildcard) × 2 resources against one
/// policy, plus one listed request expecting what it does not get.
const SUITE: &str = include_str!("../../../tests/e2e/data/results-suite.json");

fn workspace() -> Workspace {
    Workspace::from_scenario_text(SUITE).unwrap()
}

fn catalog() -> Catalog {
    Catalog::decode(include_bytes!("../../../engine/data/catalog.bin")).unwrap()
}

fn decisions(results: &Results) -> Vec<Option<Decision>> {
    results.rows().map(|r| r.outcome.decision()).collect()
}

#[test]
fn a_single_request_has_no_results() {
    let ws = Workspace::from_scenario_text(include_str!(
        "../../../tests/corpus/gallery/02-s3-admin-deny-secret.json"
    ))
    .unwrap();
    assert_eq!(Results::compute(&ws, None), Results::default());
}

#[test]
fn decides_every_request_and_counts() {
    let results = Results::compute(&workspace(), Some(&catalog()));
    assert_eq!(results.problem, None);
    // The panel's request, the listed one, then 3 actions × 2 resources
    // (the wildcard matches exactly one action).
    assert_eq!(results.cases.len(), 8);
    assert_eq!(
        results.cases[6].expanded_from.as_deref(),
        Some("s3:ListAllMy*")
    );
    assert_eq!(results.cases[6].request.action, "s3:ListAllMyBuckets");
    use Decision::*;
    assert_eq!(
        decisions(&results),
        [
            Some(Allow),
            Some(ImplicitDeny),
            Some(ExplicitDeny),
            Some(ImplicitDeny),
            Some(ExplicitDeny),
            Some(Allow),
            Some(ExplicitDeny),
            Some(ImplicitDeny),
        ]
    );
    let c = results.counts;
    assert_eq!((c.total, c.allowed, c.explicit, c.implicit), (8, 2, 3, 3));
    // The listed write expects Allow; bob's read of reports/b expects Deny.
    assert_eq!((c.failing, c.passing), (2, 5));
    assert_eq!(results.row(1).unwrap().met, Some(false));
    assert_eq!(results.row(5).unwrap().met, Some(false));
    assert_eq!(results.row(0).unwrap().met, None);
    let Outcome::Decided(v) = &results.row(2).unwrap().outcome else {
        panic!("decided")
    };
    assert_eq!(decided_by(v), "Dev / NoSecrets");
}

#[test]
fn wildcards_wait_for_the_catalogue() {
    let results = Results::compute(&workspace(), None);
    assert_eq!(results.cases.len(), 8);
    assert_eq!(results.row(6).unwrap().outcome, Outcome::Pending);
    assert_eq!(results.row(7).unwrap().outcome, Outcome::Pending);
    assert_eq!(results.counts.pending, 2);
    assert_eq!(
        results.row(5).unwrap().outcome.decision(),
        Some(Decision::Allow)
    );
    assert!(results.explain(6).is_none());
    assert_eq!(results.key(6), None);
}

#[test]
fn a_policy_error_is_a_problem_not_rows() {
    let mut ws = workspace();
    ws.policies[0].text = "{".into();
    let results = Results::compute(&ws, None);
    assert_eq!(results.rows().count(), 0);
    assert!(results.problem.is_some());
}

#[test]
fn explains_one_row_on_demand() {
    let results = Results::compute(&workspace(), Some(&catalog()));
    let e = results.explain(2).unwrap();
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert!(!e.steps.is_empty());
}

#[test]
fn filters_search_and_sorts() {
    let results = Results::compute(&workspace(), Some(&catalog()));
    let all = Sort::default();
    assert_eq!(visible(&results, Filter::All, "", all).len(), 8);
    assert_eq!(visible(&results, Filter::Allowed, "", all), [0, 5]);
    assert_eq!(visible(&results, Filter::ExplicitDeny, "", all), [2, 4, 6]);
    assert_eq!(visible(&results, Filter::ImplicitDeny, "", all), [1, 3, 7]);
    assert_eq!(visible(&results, Filter::Failing, "", all), [1, 5]);
    for f in Filter::ALL {
        assert_eq!(visible(&results, f, "", all).len(), f.count(&results));
    }
    assert_eq!(visible(&results, Filter::All, "SECRET", all), [2, 4, 6]);
    assert_eq!(visible(&results, Filter::All, "listallmy", all), [6, 7]);
    assert_eq!(
        visible(&results, Filter::Allowed, "user/bob", all),
        [5],
        "principal"
    );

    let by = |column, descending| Sort { column, descending };
    assert_eq!(
        visible(&results, Filter::All, "", by(Column::Decision, false)),
        [0, 5, 2, 4, 6, 1, 3, 7]
    );
    assert_eq!(
        visible(&results, Filter::All, "", by(Column::Decision, true)),
        [1, 3, 7, 2, 4, 6, 0, 5],
        "ties keep the suite's order"
    );
    assert_eq!(
        visible(&results, Filter::All, "", by(Column::Met, false))[..2],
        [1, 5]
    );
    let actions: Vec<&str> = visible(&results, Filter::All, "", by(Column::Action, false))
        .iter()
        .map(|&i| results.cases[i as usize].request.action.as_str())
        .collect();
    assert_eq!(actions[0], "s3:GetObject");
    assert_eq!(actions[7], "s3:PutObject");
    assert_eq!(
        visible(&results, Filter::All, "", by(Column::DecidedBy, false)),
        [1, 3, 7, 2, 4, 6, 0, 5],
        "none, then Dev / NoSecrets, then Dev / Read"
    );
    assert_eq!(
        visible(&results, Filter::All, "", by(Column::DecidedBy, true))[..3],
        [0, 5, 2]
    );
    assert_eq!(
        Sort::default().toggled(Column::Action),
        by(Column::Action, false)
    );
    assert_eq!(
        by(Column::Action, false).toggled(Column::Action),
        by(Column::Action, true)
    );
}

/// Setting a row's expectation in the table: it lands in the scenario
/// format, travels through the scenario's JSON and is what `iam-eval test`
/// checks.
#[test]
fn a_row_expectation_travels_in_the_scenario() {
    let mut state = AppState::new(workspace());
    let catalog = catalog();
    let results = Results::compute(&state.workspace, Some(&catalog));
    // Bob's read of reports/b: expects Deny (the matrix's), gets Allow.
    let key = results.key(5).unwrap();
    assert!(state.apply(Action::SetExpectation(key.clone(), Some("Allow".into()))));
    assert!(!state.apply(Action::SetExpectation(key, Some("Allow".into()))));
    // The listed write: no expectation.
    assert!(state.apply(Action::SetExpectation(RowKey::Listed(0), None)));
    // The panel's request.
    assert!(state.apply(Action::SetExpectation(
        RowKey::Request,
        Some("Allow".into())
    )));
    // The wildcard's row, with the catalogue.
    let wildcard = results.key(6).unwrap();
    assert!(state.apply(Action::SetExpectation(wildcard, None)));
    let after = Results::compute(&state.workspace, Some(&catalog));
    assert_eq!(after.counts.failing, 0);
    assert_eq!(after.row(5).unwrap().met, Some(true));
    assert_eq!(after.row(6).unwrap().met, None);
    assert_eq!(after.row(0).unwrap().met, Some(true));

    let json = state.workspace.to_json(DocumentStyle::Embedded);
    assert!(json.contains("\"expectations\": ["), "{json}");
    let again = Workspace::from_scenario_text(&json).unwrap();
    let reread = Results::compute(&again, Some(&catalog));
    let met = |r: &Results| r.rows().map(|r| r.met).collect::<Vec<_>>();
    assert_eq!(met(&reread), met(&after));
    let (scenario, _) = again.to_scenario();
    let cases = iam_engine::suite::expand(&scenario, Some(&catalog)).unwrap();
    assert_eq!(
        cases.iter().map(|c| c.expect.clone()).collect::<Vec<_>>(),
        *after.expects
    );

    // Back to the matrix's own expectation: the entry goes away.
    let mut state = AppState::new(again);
    let key = reread.key(5).unwrap();
    assert!(state.apply(Action::SetExpectation(key, Some("Deny".into()))));
    assert_eq!(
        state.workspace.requests.matrices[0]
            .expectations
            .iter()
            .filter(|e| e.action == "s3:GetObject")
            .count(),
        0
    );
}

/// Decided in slices, the results are the same as at once; a change of
/// expectations alone keeps the decisions.
#[test]
fn slices_decide_the_same_and_expectations_reapply() {
    let ws = workspace();
    let catalog = catalog();
    let at_once = Results::compute(&ws, Some(&catalog));
    let cases = Results::expand(&ws, Some(&catalog)).unwrap();
    let mut sliced = Results::start(&ws, cases);
    assert_eq!(sliced.counts.queued, 8);
    assert!(sliced.row(0).is_none());
    assert_eq!(visible(&sliced, Filter::All, "", Sort::default()).len(), 8);
    assert_eq!(
        visible(&sliced, Filter::Allowed, "", Sort::default()).len(),
        0
    );
    while !sliced.done() {
        sliced = sliced.advance(3);
    }
    assert_eq!(
        sliced.rows().cloned().collect::<Vec<_>>(),
        at_once.rows().cloned().collect::<Vec<_>>()
    );
    assert_eq!(sliced.counts, at_once.counts);
    for i in 0..8 {
        assert_eq!(sliced.row(i), at_once.row(i), "row {i}");
    }

    let mut state = AppState::new(ws);
    state.apply(Action::SetExpectation(
        RowKey::Listed(0),
        Some("Deny".into()),
    ));
    let again = at_once.with_expectations(&state.workspace);
    assert_eq!(again.counts.failing, 1);
    assert_eq!(again.row(1).unwrap().met, Some(true));
    assert_eq!(again, Results::compute(&state.workspace, Some(&catalog)));
}

#[test]
#[ignore = "profiling: cargo test --release -p iam-playground --lib profile -- --ignored --nocapture"]
fn profile_every_action() {
    let text = include_str!("../../../tests/e2e/data/every-action.json");
    let ws = Workspace::from_scenario_text(text).unwrap();
    let catalog = catalog();
    let t = std::time::Instant::now();
    let cases = Results::expand(&ws, Some(&catalog)).unwrap();
    println!("expand {:?} {}", t.elapsed(), cases.len());
    let t = std::time::Instant::now();
    let mut results = Results::start(&ws, cases);
    let first = results.advance(SLICE);
    println!("first slice {:?}", t.elapsed());
    let t = std::time::Instant::now();
    while !results.done() {
        results = results.advance(SLICE);
    }
    println!("every slice {:?} {}", t.elapsed(), results.decided);
    assert!(first.decided == SLICE);
}

/// A matrix in the request panel (typed there, or a file with only a
/// matrix) is the suite's first matrix: the table shows its rows, and a
/// row's expectation is kept with it and written back in its place.
#[test]
fn the_panels_matrix_is_in_the_table_and_keeps_row_expectations() {
    use crate::workspace::RequestField;
    let catalog = catalog();
    let mut ws = Workspace::from_scenario_text(include_str!(
        "../../../tests/corpus/gallery/02-s3-admin-deny-secret.json"
    ))
    .unwrap();
    assert!(!ws.has_suite());
    let first = ws.request.resource.clone();
    ws.request.set_rows(
        RequestField::Resource,
        vec![first, "arn:aws:s3:::other-bucket/x".to_owned()],
    );
    assert!(ws.has_suite());
    let results = Results::compute(&ws, Some(&catalog));
    assert_eq!(results.problem, None);
    assert_eq!(results.cases.len(), 2);
    assert!(results.done());

    let mut state = AppState::new(ws);
    let key = results.key(1).unwrap();
    assert!(matches!(key, RowKey::Matrix { index: 0, .. }));
    let got = results.row(1).unwrap().outcome.decision();
    let other = if got == Some(Decision::Allow) {
        "Deny"
    } else {
        "Allow"
    };
    assert!(state.apply(Action::SetExpectation(key, Some(other.into()))));
    let after = Results::compute(&state.workspace, Some(&catalog));
    assert_eq!(after.counts.failing, 1);
    assert_eq!(after.row(1).unwrap().met, Some(false));

    // Exported, the file has only the matrix, with the row's expectation,
    // and reads back into the panel with it.
    let json = state.workspace.to_json(DocumentStyle::Embedded);
    assert!(json.contains("\"expectations\": ["), "{json}");
    let again = Workspace::from_scenario_text(&json).unwrap();
    assert!(again.requests.matrices.is_empty());
    assert_eq!(again.request.more.matrix_expectations.len(), 1);
    let reread = Results::compute(&again, Some(&catalog));
    assert_eq!(reread.counts.failing, 1);
    let (scenario, _) = again.to_scenario();
    let cases = iam_engine::suite::expand(&scenario, Some(&catalog)).unwrap();
    assert_eq!(
        cases.iter().map(|c| c.expect.clone()).collect::<Vec<_>>(),
        *reread.expects
    );
}

/// Every row of a wildcard entry of `requests` takes its own expectation:
/// it lands in the entry's `expectations`, travels in the scenario and is
/// what `iam-eval test` checks; the panel's request takes `Deny`.
#[test]
fn each_action_of_a_wildcard_entry_takes_its_own_expectation() {
    let text = SUITE.replace(
        "\"action\": \"s3:PutObject\",\n      \"resource\": \"arn:aws:s3:::reports/a\", \"expect\": { \"decision\": \"Allow\" }",
        "\"action\": \"s3:GetObjectT*\",\n      \"resource\": \"arn:aws:s3:::reports/a\", \"expect\": { \"decision\": \"Deny\" }",
    );
    assert_ne!(text, SUITE);
    let catalog = catalog();
    let mut state = AppState::new(Workspace::from_scenario_text(&text).unwrap());
    let results = Results::compute(&state.workspace, Some(&catalog));
    // GetObjectTagging and GetObjectTorrent, both allowed by `s3:Get*`.
    let rows: Vec<usize> = (0..results.cases.len())
        .filter(|&i| results.cases[i].origin == CaseOrigin::Listed(0))
        .collect();
    assert_eq!(rows, [1, 2]);
    assert_eq!(results.counts.failing, 3, "both actions and bob's read");
    let key = results.key(2).unwrap();
    assert_eq!(
        key,
        RowKey::Expanded {
            index: 0,
            action: results.cases[2].request.action.clone()
        }
    );
    assert!(state.apply(Action::SetExpectation(key.clone(), Some("Allow".into()))));
    assert!(!state.apply(Action::SetExpectation(key.clone(), Some("Allow".into()))));
    let after = Results::compute(&state.workspace, Some(&catalog));
    assert_eq!(after.row(2).unwrap().met, Some(true));
    assert_eq!(
        after.row(1).unwrap().met,
        Some(false),
        "the other action keeps the entry's"
    );
    assert_eq!(after, results.with_expectations(&state.workspace));
    // Plain Deny on the panel's request: met by the explicit or implicit
    // deny, not by its Allow.
    assert!(state.apply(Action::SetExpectation(RowKey::Request, Some("Deny".into()))));
    let denied = Results::compute(&state.workspace, Some(&catalog));
    assert_eq!(denied.expect(0).unwrap().decision, "Deny");
    assert_eq!(denied.row(0).unwrap().met, Some(false));

    // Exported and read back (what `iam-eval test` runs): the same.
    let json = state.workspace.to_json(DocumentStyle::Embedded);
    assert!(json.contains("\"expectations\": ["), "{json}");
    let again = Workspace::from_scenario_text(&json).unwrap();
    let reread = Results::compute(&again, Some(&catalog));
    assert_eq!(reread.expects, denied.expects);
    let (scenario, _) = again.to_scenario();
    let cases = iam_engine::suite::expand(&scenario, Some(&catalog)).unwrap();
    assert_eq!(
        cases.iter().map(|c| c.expect.clone()).collect::<Vec<_>>(),
        *reread.expects
    );
    // Back to the entry's own: the entry goes.
    let mut state = AppState::new(again);
    assert!(state.apply(Action::SetExpectation(key, Some("Deny".into()))));
    assert!(state.workspace.requests.cases[0].expectations.is_empty());

    // Waiting for the catalogue, the wildcard's one row is the entry.
    let waiting = Results::compute(&state.workspace, None);
    assert_eq!(waiting.key(1), Some(RowKey::Listed(0)));
}
