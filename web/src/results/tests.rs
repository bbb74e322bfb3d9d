//! Unit tests of the suite's results, filters and sorting.

use super::*;
use crate::state::{Action, AppState};
use iam_engine::scenario::DocumentStyle;

/// A matrix of 3 actions (one a wildcard) × 2 resources against one
/// policy, plus one listed request expecting what it does not get.
const SUITE: &str = r#"{
  "policies": [
    { "name": "Dev", "type": "identity", "document": { "Version": "2012-10-17", "Statement": [
      { "Sid": "Read", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*" },
      { "Sid": "NoSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::secret/*" } ] } }
  ],
  "request": { "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:GetObject", "resource": "arn:aws:s3:::reports/a" },
  "requests": [
    { "name": "writes", "principal": "arn:aws:iam::111122223333:user/alice", "action": "s3:PutObject",
      "resource": "arn:aws:s3:::reports/a", "expect": { "decision": "Allow" } }
  ],
  "matrix": {
    "principals": ["arn:aws:iam::111122223333:user/bob"],
    "actions": ["s3:PutObject", "s3:GetObject", "s3:ListAllMy*"],
    "resources": ["arn:aws:s3:::secret/k", "arn:aws:s3:::reports/b"],
    "expect": { "decision": "Deny" }
  }
}"#;

fn workspace() -> Workspace {
    Workspace::from_scenario_text(SUITE).unwrap()
}

fn catalog() -> Catalog {
    Catalog::decode(include_bytes!("../../../engine/data/catalog.bin")).unwrap()
}

fn decisions(results: &Results) -> Vec<Option<Decision>> {
    results.rows.iter().map(|r| r.outcome.decision()).collect()
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
    assert_eq!(
        (c.total, c.allowed, c.explicit, c.implicit),
        (8, 2, 3, 3)
    );
    // The listed write expects Allow; bob's read of reports/b expects Deny.
    assert_eq!((c.failing, c.passing), (2, 5));
    assert_eq!(results.rows[1].met, Some(false));
    assert_eq!(results.rows[5].met, Some(false));
    assert_eq!(results.rows[0].met, None);
    let Outcome::Decided(v) = &results.rows[2].outcome else {
        panic!("decided")
    };
    assert_eq!(decided_by(v), "Dev / NoSecrets");
}

#[test]
fn wildcards_wait_for_the_catalogue() {
    let results = Results::compute(&workspace(), None);
    assert_eq!(results.cases.len(), 8);
    assert_eq!(results.rows[6].outcome, Outcome::Pending);
    assert_eq!(results.rows[7].outcome, Outcome::Pending);
    assert_eq!(results.counts.pending, 2);
    assert_eq!(results.rows[5].outcome.decision(), Some(Decision::Allow));
    assert!(results.explain(6).is_none());
    assert_eq!(results.key(6), None);
}

#[test]
fn a_policy_error_is_a_problem_not_rows() {
    let mut ws = workspace();
    ws.policies[0].text = "{".into();
    let results = Results::compute(&ws, None);
    assert!(results.rows.is_empty());
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
    assert_eq!(Sort::default().toggled(Column::Action), by(Column::Action, false));
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
    assert_eq!(after.rows[5].met, Some(true));
    assert_eq!(after.rows[6].met, None);
    assert_eq!(after.rows[0].met, Some(true));

    let json = state.workspace.to_json(DocumentStyle::Embedded);
    assert!(json.contains("\"expectations\": ["), "{json}");
    let again = Workspace::from_scenario_text(&json).unwrap();
    let reread = Results::compute(&again, Some(&catalog));
    let met = |r: &Results| r.rows.iter().map(|r| r.met).collect::<Vec<_>>();
    assert_eq!(met(&reread), met(&after));
    let (scenario, _) = again.to_scenario();
    let cases = iam_engine::suite::expand(&scenario, Some(&catalog)).unwrap();
    assert_eq!(
        cases.iter().map(|c| c.expect.clone()).collect::<Vec<_>>(),
        after.cases.iter().map(|c| c.expect.clone()).collect::<Vec<_>>()
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
