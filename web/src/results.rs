//! The results of a suite (`requests` and `matrix`) for the results table:
//! every request decided once per change of the workspace, compactly (the
//! decision and the deciding statements), with what it expects; and the
//! table's filters, text search and sorting over them. No DOM here, so it
//! is unit-tested natively.

mod live;
mod order;

use std::rc::Rc;

use iam_engine::scenario::{Expectation, ExpectationIndex, RequestInput, RequestList};
use iam_engine::suite::{self, Case, CaseOrigin, Detail, PolicySet, Verdict, Vocabulary};
use iam_engine::{Catalog, Decision, Evaluation, Scenario};

pub use live::use_results;
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

/// One row: a request's outcome and whether it meets its expectation.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The outcome.
    pub outcome: Outcome,
    /// Whether it meets its expectation (`None`: no expectation, or not
    /// decided).
    pub met: Option<bool>,
}

/// Counts for the filters and the summary line (of the rows decided).
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
    /// Not decided yet (large suites are decided in slices).
    pub queued: usize,
}

impl Counts {
    fn add(&mut self, row: &Row) {
        match row.outcome.decision() {
            Some(Decision::Allow) => self.allowed += 1,
            Some(Decision::ExplicitDeny) => self.explicit += 1,
            Some(Decision::ImplicitDeny) => self.implicit += 1,
            None if matches!(row.outcome, Outcome::Pending) => self.pending += 1,
            None => self.invalid += 1,
        }
        match row.met {
            Some(true) => self.passing += 1,
            Some(false) => self.failing += 1,
            None => {}
        }
    }
}

/// Requests decided in one slice of work (a few milliseconds).
pub const SLICE: usize = 1_500;

/// A suite's results, or why there are none. Large suites are decided in
/// slices ([`Results::advance`]); the rows not decided yet are queued.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// The scenario the requests belong to (for deciding and explaining).
    pub scenario: Option<Rc<Scenario>>,
    /// Every request, in the scenario's order (expectations left out).
    pub cases: Rc<Vec<Case>>,
    /// What each request expects.
    pub expects: Rc<Vec<Option<Expectation>>>,
    /// The rows decided so far, slice by slice.
    slices: Vec<Rc<[Row]>>,
    /// How many rows are decided.
    pub decided: usize,
    /// The counts.
    pub counts: Counts,
    /// Why nothing was decided (a policy with an error, a bad entry).
    pub problem: Option<String>,
}

/// Before the catalogue loads: a wildcard action stands for itself, and its
/// rows wait. With it: its actions (whether a resource fits its action is
/// asked only for the rows drawn, [`resource_warning`]).
struct Expanding<'c>(Option<&'c Catalog>);

impl Vocabulary for Expanding<'_> {
    fn actions_matching(&self, pattern: &str) -> Vec<String> {
        match self.0 {
            Some(catalog) => Vocabulary::actions_matching(catalog, pattern),
            None => vec![pattern.to_owned()],
        }
    }

    fn resource_fit(&self, _action: &str, _resource: &str) -> suite::ResourceFit {
        suite::ResourceFit::Fits
    }
}

/// Whether `case` is a wildcard waiting for the catalogue.
fn waits(case: &Case) -> bool {
    case.expanded_from.as_deref() == Some(case.request.action.as_str())
}

/// `list` with its expectations left out: what the expansion depends on.
pub fn without_expectations(list: &RequestList) -> RequestList {
    let mut list = list.clone();
    for case in &mut list.cases {
        case.expect = None;
        case.expectations.clear();
    }
    for matrix in &mut list.matrices {
        matrix.expect = None;
        matrix.expectations.clear();
    }
    list
}

/// What each of `cases` expects in `scenario` (the workspace's, whose
/// lists start with the request panel's matrix when it holds one).
pub fn expectations_of(cases: &[Case], scenario: &Scenario) -> Vec<Option<Expectation>> {
    let list = &scenario.requests;
    let matrices: Vec<ExpectationIndex<'_>> =
        list.matrices.iter().map(ExpectationIndex::new).collect();
    // The index of the wildcard entry last met (its rows follow each other).
    let mut entry: Option<(usize, ExpectationIndex<'_>)> = None;
    cases
        .iter()
        .map(|case| match case.origin {
            CaseOrigin::Request => scenario.expect.clone(),
            CaseOrigin::Listed(i) => {
                let listed = list.cases.get(i)?;
                if listed.expectations.is_empty() {
                    return listed.expect.clone();
                }
                if entry.as_ref().is_none_or(|(at, _)| *at != i) {
                    entry = Some((i, ExpectationIndex::for_case(listed)));
                }
                entry
                    .as_ref()
                    .and_then(|(_, index)| index.expect_for(&case.request))
                    .cloned()
            }
            CaseOrigin::Matrix(m) => matrices
                .get(m)
                .and_then(|e| e.expect_for(&case.request))
                .cloned(),
        })
        .collect()
}

impl Results {
    /// Decides every request of `workspace`'s suite (nothing when it has
    /// none) at once, expanding wildcard actions through `catalog`.
    pub fn compute(workspace: &Workspace, catalog: Option<&Catalog>) -> Results {
        let cases = match Results::expand(workspace, catalog) {
            Ok(cases) => cases,
            Err(results) => return *results,
        };
        let mut results = Results::start(workspace, cases);
        while !results.done() {
            results = results.advance(usize::MAX);
        }
        results
    }

    /// The workspace's requests, expanded (expectations left out); the
    /// results to show instead when that fails.
    pub fn expand(
        workspace: &Workspace,
        catalog: Option<&Catalog>,
    ) -> Result<Rc<Vec<Case>>, Box<Results>> {
        if !workspace.has_suite() {
            return Err(Box::default());
        }
        let (mut scenario, bad_rows) = workspace.to_scenario();
        if !bad_rows.is_empty() {
            return Err(Box::new(Results::problem(
                "a context value of the request cannot be read",
            )));
        }
        scenario.requests = without_expectations(&scenario.requests);
        scenario.expect = None;
        match suite::expand(&scenario, Some(&Expanding(catalog))) {
            Ok(cases) => Ok(Rc::new(cases)),
            Err(errors) => Err(Box::new(Results::problem(
                errors.first().map_or("", |e| e.message.as_str()),
            ))),
        }
    }

    /// Results for `cases` (as [`Results::expand`] gives them for
    /// `workspace`'s requests) against `workspace`'s policies, with none
    /// decided yet; a problem when a policy has an error.
    pub fn start(workspace: &Workspace, cases: Rc<Vec<Case>>) -> Results {
        let (mut scenario, bad_rows) = workspace.to_scenario();
        if !bad_rows.is_empty() {
            return Results::problem("a context value of the request cannot be read");
        }
        let expects = Rc::new(expectations_of(&cases, &scenario));
        // Deciding needs only the policies; the cases hold the requests.
        scenario.requests = RequestList::default();
        let scenario = Rc::new(scenario);
        if PolicySet::prepare(&scenario).is_err() {
            return Results::problem("a policy has an error: fix it to see the results");
        }
        Results {
            counts: Counts {
                total: cases.len(),
                queued: cases.len(),
                ..Counts::default()
            },
            scenario: Some(scenario),
            cases,
            expects,
            slices: Vec::new(),
            decided: 0,
            problem: None,
        }
    }

    /// Whether every row is decided.
    pub fn done(&self) -> bool {
        self.decided >= self.cases.len()
    }

    /// These results with up to `rows` more requests decided.
    pub fn advance(&self, rows: usize) -> Results {
        let mut next = self.clone();
        let (Some(scenario), Some(todo)) = (
            &self.scenario,
            self.cases
                .get(self.decided..self.decided.saturating_add(rows).min(self.cases.len())),
        ) else {
            return next;
        };
        let Ok(set) = PolicySet::prepare(scenario) else {
            return Results::problem("a policy has an error: fix it to see the results");
        };
        let mut verdicts = set
            .decide_all(
                todo.iter().filter(|c| !waits(c)).map(|c| &c.request),
                Detail::Decision,
            )
            .into_iter();
        let slice: Rc<[Row]> = todo
            .iter()
            .enumerate()
            .map(|(i, case)| {
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
                let expect = self.expects.get(self.decided + i).and_then(Option::as_ref);
                let met = met(&outcome, expect);
                let row = Row { outcome, met };
                next.counts.add(&row);
                row
            })
            .collect();
        next.decided += slice.len();
        next.counts.queued = self.cases.len() - next.decided;
        next.slices.push(slice);
        next
    }

    /// These results with the expectations of `workspace` (the requests
    /// and policies unchanged: nothing is decided again).
    pub fn with_expectations(&self, workspace: &Workspace) -> Results {
        let expects = expectations_of(&self.cases, &workspace.to_scenario().0);
        let mut counts = Counts {
            total: self.counts.total,
            queued: self.counts.queued,
            ..Counts::default()
        };
        let mut index = 0;
        let slices = self
            .slices
            .iter()
            .map(|slice| {
                slice
                    .iter()
                    .map(|row| {
                        let expect = expects.get(index).and_then(Option::as_ref);
                        index += 1;
                        let row = Row {
                            met: met(&row.outcome, expect),
                            outcome: row.outcome.clone(),
                        };
                        counts.add(&row);
                        row
                    })
                    .collect()
            })
            .collect();
        Results {
            expects: Rc::new(expects),
            slices,
            counts,
            ..self.clone()
        }
    }

    /// Row `index`, when decided.
    pub fn row(&self, index: usize) -> Option<&Row> {
        let slice = self.slices.get(index / SLICE.max(1));
        // Every slice but the last has SLICE rows, unless decided at once.
        match slice {
            Some(s) if self.slices.len() == 1 || s.len() == SLICE => s.get(index % SLICE),
            _ => self.row_slow(index),
        }
    }

    fn row_slow(&self, mut index: usize) -> Option<&Row> {
        for slice in &self.slices {
            if index < slice.len() {
                return slice.get(index);
            }
            index -= slice.len();
        }
        None
    }

    /// Every decided row, in order.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.slices.iter().flat_map(|s| s.iter())
    }

    fn problem(why: &str) -> Results {
        Results {
            problem: Some(why.to_owned()),
            ..Results::default()
        }
    }

    /// What request `index` expects.
    pub fn expect(&self, index: usize) -> Option<&Expectation> {
        self.expects.get(index).and_then(Option::as_ref)
    }

    /// The whole explanation of request `index`, built on demand.
    pub fn explain(&self, index: usize) -> Option<Evaluation> {
        let scenario = self.scenario.as_ref()?;
        let case = self.cases.get(index)?;
        if waits(case) {
            return None;
        }
        PolicySet::prepare(scenario)
            .ok()?
            .explain(&case.request)
            .ok()
    }

    /// How the workspace names request `index`, to set its expectation;
    /// `None` when it cannot be set on its own (a matrix's wildcard waiting
    /// for the catalogue). A wildcard entry of `requests` waiting for it is
    /// the entry (its own `expect`); expanded, each action is its own.
    pub fn key(&self, index: usize) -> Option<RowKey> {
        let case = self.cases.get(index)?;
        match case.origin {
            CaseOrigin::Request => Some(RowKey::Request),
            CaseOrigin::Listed(i) if case.expanded_from.is_none() || waits(case) => {
                Some(RowKey::Listed(i))
            }
            CaseOrigin::Listed(i) => Some(RowKey::Expanded {
                index: i,
                action: case.request.action.clone(),
            }),
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

/// Whether `outcome` meets `expect` (`None` without an expectation or a
/// decision).
fn met(outcome: &Outcome, expect: Option<&Expectation>) -> Option<bool> {
    match (outcome, expect) {
        (Outcome::Decided(v), Some(expect)) => Some(suite::meets(expect, v)),
        _ => None,
    }
}

/// The warning for a request whose resource its action does not act on
/// (from the catalogue's ARN formats): AWS would reject the call.
pub fn resource_warning(catalog: &Catalog, request: &RequestInput) -> Option<String> {
    let resource = request.resource.trim();
    if resource == "*" {
        return None;
    }
    match Vocabulary::resource_fit(catalog, &request.action, resource) {
        suite::ResourceFit::Fits => None,
        suite::ResourceFit::NoFit(types) if types.is_empty() => Some(format!(
            "{} acts on no resource type: AWS evaluates it against *",
            request.action
        )),
        suite::ResourceFit::NoFit(types) => {
            let mut out = format!(
                "{} does not act on this resource (AWS would reject the call); its resource types:",
                request.action
            );
            for (name, _) in types.iter().take(4) {
                out.push(' ');
                out.push_str(name);
            }
            Some(out)
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
