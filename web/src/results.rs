//! The results of a suite (`requests` and `matrix`) for the results table:
//! every request decided once per change of the workspace, compactly (the
//! decision and the deciding statements), with what it expects; and the
//! table's filters, text search and sorting over them. No DOM here, so it
//! is unit-tested natively.

mod order;

use iam_engine::scenario::{Expectation, RequestInput};
use iam_engine::suite::{self, Case, CaseOrigin, Detail, PolicySet, Verdict, Vocabulary};
use iam_engine::{Catalog, Decision, Evaluation, Scenario};

pub use order::{visible, Column, Filter, Sort};

use crate::workspace::{RowKey, Workspace};

/// What the table shows for one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Decided.
    Decided(Verdict),
    /// A wildcard action waiting for the service catalogue.
    Pending,
    /// The request cannot be evaluated: why.
    Invalid(String),
}

impl Outcome {
    /// The decision, when decided.
    pub fn decision(&self) -> Option<Decision> {
        match self {
            Outcome::Decided(v) => Some(v.decision),
            _ => None,
        }
    }
}

/// One row: a request, its outcome and whether it meets its expectation.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The outcome.
    pub outcome: Outcome,
    /// Whether it meets its expectation (`None`: no expectation, or not
    /// decided).
    pub met: Option<bool>,
}

/// Counts for the filters and the summary line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Every request.
    pub total: usize,
    /// Allowed.
    pub allowed: usize,
    /// Denied by a matching `Deny`.
    pub explicit: usize,
    /// Denied because nothing allows them.
    pub implicit: usize,
    /// Not meeting their expectation.
    pub failing: usize,
    /// With an expectation that they meet.
    pub passing: usize,
    /// Waiting for the catalogue.
    pub pending: usize,
    /// That cannot be evaluated.
    pub invalid: usize,
}

/// A suite's results, or why there are none.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// The scenario the requests belong to (for explanations).
    pub scenario: Option<Scenario>,
    /// Every request, in the scenario's order.
    pub cases: Vec<Case>,
    /// Their rows, index for index.
    pub rows: Vec<Row>,
    /// The counts.
    pub counts: Counts,
    /// Why nothing was decided (a policy with an error, a bad entry).
    pub problem: Option<String>,
}

/// Before the catalogue loads: a wildcard action stands for itself, and its
/// rows wait.
struct Waiting;

impl Vocabulary for Waiting {
    fn actions_matching(&self, pattern: &str) -> Vec<String> {
        vec![pattern.to_owned()]
    }

    fn resource_fit(&self, _action: &str, _resource: &str) -> suite::ResourceFit {
        suite::ResourceFit::Fits
    }
}

/// Whether `case` is a wildcard waiting for the catalogue.
fn waits(case: &Case) -> bool {
    case.expanded_from.as_deref() == Some(case.request.action.as_str())
}

impl Results {
    /// Decides every request of `workspace`'s suite (nothing when it has
    /// none), expanding wildcard actions through `catalog`.
    pub fn compute(workspace: &Workspace, catalog: Option<&Catalog>) -> Results {
        if workspace.requests.is_empty() {
            return Results::default();
        }
        let (scenario, bad_rows) = workspace.to_scenario();
        if !bad_rows.is_empty() {
            return Results::problem("a context value of the request cannot be read");
        }
        let vocabulary: &dyn Vocabulary = match catalog {
            Some(c) => c,
            None => &Waiting,
        };
        let cases = match suite::expand(&scenario, Some(vocabulary)) {
            Ok(cases) => cases,
            Err(errors) => {
                return Results::problem(errors.first().map_or("", |e| e.message.as_str()));
            }
        };
        let set = match PolicySet::prepare(&scenario) {
            Ok(set) => set,
            Err(_) => return Results::problem("a policy has an error: fix it to see the results"),
        };
        let mut verdicts = set
            .decide_all(
                cases
                    .iter()
                    .filter(|c| !waits(c))
                    .map(|c| &c.request),
                Detail::Decision,
            )
            .into_iter();
        let mut counts = Counts {
            total: cases.len(),
            ..Counts::default()
        };
        let rows = cases
            .iter()
            .map(|case| {
                let outcome = if waits(case) {
                    Outcome::Pending
                } else {
                    match verdicts.next() {
                        Some(Ok(v)) => Outcome::Decided(v),
                        Some(Err(errors)) => Outcome::Invalid(
                            errors
                                .first()
                                .map_or_else(String::new, |e| e.message.clone()),
                        ),
                        None => Outcome::Invalid(String::new()),
                    }
                };
                let met = match (&outcome, &case.expect) {
                    (Outcome::Decided(v), Some(expect)) => Some(suite::meets(expect, v)),
                    _ => None,
                };
                match outcome.decision() {
                    Some(Decision::Allow) => counts.allowed += 1,
                    Some(Decision::ExplicitDeny) => counts.explicit += 1,
                    Some(Decision::ImplicitDeny) => counts.implicit += 1,
                    None if matches!(outcome, Outcome::Pending) => counts.pending += 1,
                    None => counts.invalid += 1,
                }
                match met {
                    Some(true) => counts.passing += 1,
                    Some(false) => counts.failing += 1,
                    None => {}
                }
                Row { outcome, met }
            })
            .collect();
        drop(set);
        Results {
            scenario: Some(scenario),
            cases,
            rows,
            counts,
            problem: None,
        }
    }

    fn problem(why: &str) -> Results {
        Results {
            problem: Some(why.to_owned()),
            ..Results::default()
        }
    }

    /// The whole explanation of request `index`, built on demand.
    pub fn explain(&self, index: usize) -> Option<Evaluation> {
        let scenario = self.scenario.as_ref()?;
        let case = self.cases.get(index)?;
        if waits(case) {
            return None;
        }
        PolicySet::prepare(scenario).ok()?.explain(&case.request).ok()
    }

    /// How the workspace names request `index`, to set its expectation;
    /// `None` when it cannot be set on its own (one of the actions of a
    /// wildcard entry of `requests`).
    pub fn key(&self, index: usize) -> Option<RowKey> {
        let case = self.cases.get(index)?;
        match case.origin {
            CaseOrigin::Request => Some(RowKey::Request),
            CaseOrigin::Listed(i) => case.expanded_from.is_none().then_some(RowKey::Listed(i)),
            CaseOrigin::Matrix(m) if !waits(case) => Some(RowKey::Matrix {
                index: m,
                action: case.request.action.clone(),
                principal: case.request.principal.clone(),
                resource: case.request.resource.clone(),
            }),
            CaseOrigin::Matrix(_) => None,
        }
    }
}

/// `Policy / Sid` of each deciding statement, joined with commas.
pub fn decided_by(verdict: &Verdict) -> String {
    let mut out = String::new();
    for (i, d) in verdict.determining.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&d.policy);
        out.push_str(" / ");
        out.push_str(&d.statement);
    }
    out
}

/// An expectation as the table shows it.
pub fn expectation_label(expect: Option<&Expectation>) -> &'static str {
    match expect.map(|e| e.decision.as_str()) {
        Some("Allow") => "Allow",
        Some("Deny") => "Deny",
        Some("ExplicitDeny") => "Explicit deny",
        Some("ImplicitDeny") => "Implicit deny",
        _ => "",
    }
}

/// Whether a request's text fields contain `needle` (lowercase).
pub fn mentions(request: &RequestInput, from: Option<&str>, needle: &str) -> bool {
    let has = |s: &str| {
        s.as_bytes()
            .windows(needle.len().max(1))
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    needle.is_empty()
        || has(&request.action)
        || has(&request.resource)
        || has(&request.principal)
        || from.is_some_and(has)
}

#[cfg(test)]
mod tests;
