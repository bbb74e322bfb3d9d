//! Keeping a suite's results live as the person edits: the requests are
//! expanded again only when they (or the catalogue) change; the decisions
//! are made again when the policies or the requests change, a slice of
//! [`SLICE`] requests per task, so the first rows show at once and the
//! page stays responsive while tens of thousands are decided; a change of
//! expectations alone decides nothing again.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use iam_engine::scenario::{Expectation, RequestList, RowExpectation};
use iam_engine::suite::Case;
use iam_engine::Catalog;
use yew::prelude::*;

use super::{without_expectations, Results, SLICE};
use crate::workspace::{PolicyDraft, RequestDraft, Workspace};

/// What the expansion depends on: the requests without expectations, the
/// panel's request and the catalogue (by identity).
type ExpandKey = (RequestList, RequestDraft, Option<usize>);

/// What the expectations depend on: the lists, the top-level `expect` and
/// the panel's matrix's expectations.
type ExpectsKey = (
    RequestList,
    Option<Box<Expectation>>,
    Option<Expectation>,
    Vec<RowExpectation>,
);

fn expects_key(workspace: &Workspace) -> ExpectsKey {
    let more = &workspace.request.more;
    (
        workspace.requests.clone(),
        workspace.expect.clone(),
        more.matrix_expect.clone(),
        more.matrix_expectations.clone(),
    )
}

/// The panel's request without its matrix's expectations.
fn request_without_expectations(workspace: &Workspace) -> RequestDraft {
    let mut request = workspace.request.clone();
    request.more.matrix_expect = None;
    request.more.matrix_expectations.clear();
    request
}

#[derive(Default)]
struct Live {
    expand_key: Option<ExpandKey>,
    expanded: Option<Result<Rc<Vec<Case>>, Box<Results>>>,
    policies: Option<Vec<PolicyDraft>>,
    expects: Option<ExpectsKey>,
    results: Rc<Results>,
    timer: Option<Timeout>,
}

/// The results of `workspace`'s suite, kept live as the module says.
#[hook]
pub fn use_results(workspace: &Workspace, catalog: Option<Rc<Catalog>>) -> Rc<Results> {
    let live = use_mut_ref(Live::default);
    let rerender = use_force_update();
    let mut l = live.borrow_mut();
    let expand_key: ExpandKey = (
        without_expectations(&workspace.requests),
        request_without_expectations(workspace),
        catalog.as_ref().map(|c| Rc::as_ptr(c) as usize),
    );
    let mut restart = false;
    if l.expand_key.as_ref() != Some(&expand_key) {
        l.expanded = Some(Results::expand(workspace, catalog.as_deref()));
        l.expand_key = Some(expand_key);
        restart = true;
    }
    if restart || l.policies.as_ref() != Some(&workspace.policies) {
        l.timer = None;
        l.policies = Some(workspace.policies.clone());
        l.expects = Some(expects_key(workspace));
        let results = match &l.expanded {
            Some(Ok(cases)) => Results::start(workspace, cases.clone()).advance(SLICE),
            Some(Err(results)) => (**results).clone(),
            None => Results::default(),
        };
        l.results = Rc::new(results);
    } else if l
        .expects
        .as_ref()
        .is_none_or(|k| *k != expects_key(workspace))
    {
        l.expects = Some(expects_key(workspace));
        l.results = Rc::new(l.results.with_expectations(workspace));
    }
    if !l.results.done() && l.results.problem.is_none() && l.timer.is_none() {
        let live = live.clone();
        l.timer = Some(Timeout::new(0, move || {
            let mut l = live.borrow_mut();
            l.results = Rc::new(l.results.advance(SLICE));
            l.timer = None;
            drop(l);
            rerender.force_update();
        }));
    }
    l.results.clone()
}
