//! One policy set, many requests: a scenario's policies prepared once, any
//! number of requests decided against them with compact results, and one
//! request's full explanation built only when asked.
//!
//! ```
//! use iam_engine::suite::{expand, PolicySet};
//! use iam_engine::Scenario;
//!
//! let text = r#"{ "policies": [ { "name": "Dev", "type": "identity", "document":
//!     { "Version": "2012-10-17", "Statement": { "Effect": "Allow", "Action": "s3:Get*", "Resource": "*" } } } ],
//!   "matrix": { "principals": ["arn:aws:iam::111122223333:user/alice"],
//!               "actions": ["s3:GetObject", "s3:PutObject"], "resources": ["arn:aws:s3:::b/k"] } }"#;
//! let scenario = Scenario::parse(text).scenario.unwrap();
//! let set = PolicySet::prepare(&scenario).unwrap();
//! let cases = expand(&scenario, None).unwrap();
//! let decisions: Vec<_> = cases.iter().map(|c| set.decide(&c.request).unwrap().decision.as_str()).collect();
//! assert_eq!(decisions, ["Allow", "ImplicitDeny"]);
//! ```

mod check;
mod expand;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde::Serialize;

pub use check::{meets, Failure, SuiteReport};
pub use expand::{expand, expand_taking, ActionList, Case, CaseOrigin, ResourceFit, Vocabulary};

use crate::authorize::{
    authorize, flow, is_alias_management, policy_applies, resolve_resource_account, settle, Facts,
};
use crate::diagnostics::{has_errors, Diagnostic};
use crate::evaluate::{evaluate_policy, evaluate_policy_quick};
use crate::explain::{Decision, Evaluation, PolicyTrace, Stage, StatementRef};
use crate::policy::Policy;
use crate::request::Request;
use crate::scenario::{
    check_action_and_resource, check_request, RequestInput, Scenario, ScenarioPolicy,
};
use crate::text::Text;
use crate::EvaluationError;

/// A scenario's policies, parsed and checked once, ready for any number of
/// requests.
#[derive(Debug, Clone)]
pub struct PolicySet<'a> {
    scenario: &'a Scenario,
    /// The policies' warnings (a set with errors is not prepared).
    diagnostics: Vec<Diagnostic>,
    prepared: Vec<Prepared>,
    /// For each service prefix met so far (lowercase): for each policy, the
    /// statements whose action element can match an action of the service.
    candidates: RefCell<HashMap<String, Rc<[Vec<usize>]>>>,
}

/// What a policy needs per request, computed once.
#[derive(Debug, Clone)]
struct Prepared {
    name: Text,
    level: Option<Text>,
    policy: Option<Rc<Policy>>,
    /// For each statement: the services (lowercase) its `Action` patterns
    /// name, or `None` when it can match any service (`*`, a wildcard in
    /// the service prefix, `NotAction`).
    services: Vec<Option<Vec<String>>>,
}

/// The services (lowercase) an action element's patterns are limited to.
fn services_of(element: &crate::policy::ActionElement) -> Option<Vec<String>> {
    if element.negated {
        return None;
    }
    element
        .patterns
        .iter()
        .map(|p| {
            let (service, _) = p.value.split_once(':')?;
            (!service.contains(['*', '?'])).then(|| service.to_ascii_lowercase())
        })
        .collect()
}

/// How much of each result to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// The decision and the deciding statements.
    #[default]
    Decision,
    /// Also the one-paragraph summary (evaluates every element).
    Summary,
}

/// The compact result of one request: the decision and what decided it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Verdict {
    /// The decision.
    pub decision: Decision,
    /// The deciding statements (matching `Deny`s, or the granting `Allow`s;
    /// empty for an implicit deny).
    pub determining: Vec<StatementRef>,
    /// The summary, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl<'a> PolicySet<'a> {
    /// Prepares the scenario's policies; fails when any has an error.
    pub fn prepare(scenario: &'a Scenario) -> Result<Self, EvaluationError> {
        let diagnostics = scenario.policy_diagnostics();
        if has_errors(&diagnostics) {
            return Err(EvaluationError { diagnostics });
        }
        let prepared = scenario
            .policies
            .iter()
            .map(|p| Prepared {
                name: Text::from(&p.name),
                level: p
                    .policy_type
                    .has_levels()
                    .then(|| Text::from(p.level_name())),
                policy: p.parsed.policy.clone(),
                services: p
                    .parsed
                    .policy
                    .iter()
                    .flat_map(|policy| &policy.statements)
                    .map(|statement| services_of(&statement.action))
                    .collect(),
            })
            .collect();
        Ok(PolicySet {
            scenario,
            diagnostics,
            prepared,
            candidates: RefCell::new(HashMap::new()),
        })
    }

    /// For each policy, the statements that can match an action of the
    /// service of `action`.
    fn candidates(&self, action: &str) -> Rc<[Vec<usize>]> {
        let service = action
            .split_once(':')
            .map_or(action, |(s, _)| s)
            .to_ascii_lowercase();
        if let Some(found) = self.candidates.borrow().get(&service) {
            return Rc::clone(found);
        }
        let lists: Rc<[Vec<usize>]> = self
            .prepared
            .iter()
            .map(|p| {
                p.services
                    .iter()
                    .enumerate()
                    .filter(|(_, services)| services.as_ref().is_none_or(|s| s.contains(&service)))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        self.candidates
            .borrow_mut()
            .insert(service, Rc::clone(&lists));
        lists
    }

    /// Decides many requests; requests in a row with the same principal
    /// (and tags), resource account and context share their validated principal and
    /// derived context (only the action and resource change).
    pub fn decide_all<'r>(
        &self,
        inputs: impl IntoIterator<Item = &'r RequestInput>,
        detail: Detail,
    ) -> Vec<Result<Verdict, Vec<Diagnostic>>> {
        let mut base: Option<(&'r RequestInput, Request)> = None;
        inputs
            .into_iter()
            .map(|input| {
                let shares = base.as_ref().is_some_and(|(b, _)| {
                    b.principal == input.principal
                        && b.resource_account == input.resource_account
                        && b.context == input.context
                        && b.principal_tags == input.principal_tags
                });
                if !shares {
                    let request = check_request(input, false)?;
                    let verdict = self.decide_request(&request, detail);
                    base = Some((input, request));
                    return Ok(verdict);
                }
                check_action_and_resource(input)?;
                let Some((_, request)) = base.as_mut() else {
                    return Err(Vec::new());
                };
                request.action = Text::from(input.action.trim());
                request.resource = Text::from(input.resource.trim());
                Ok(self.decide_request(request, detail))
            })
            .collect()
    }

    /// The scenario the policies come from.
    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    /// The policies' warnings.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    fn policies(&self) -> &'a [ScenarioPolicy] {
        &self.scenario.policies
    }

    /// Decides one request: the decision and the deciding statements.
    pub fn decide(&self, input: &RequestInput) -> Result<Verdict, Vec<Diagnostic>> {
        self.decide_with(input, Detail::Decision)
    }

    /// Decides one request with as much detail as asked.
    pub fn decide_with(
        &self,
        input: &RequestInput,
        detail: Detail,
    ) -> Result<Verdict, Vec<Diagnostic>> {
        let request = check_request(input, false)?;
        Ok(self.decide_request(&request, detail))
    }

    /// Decides an already validated request.
    pub fn decide_request(&self, request: &Request, detail: Detail) -> Verdict {
        self.decide_staged(request, detail).0
    }

    /// Decides an already validated request, and names the first stage of
    /// the flow that decided it (e.g. the permissions boundary for an
    /// implicit deny the boundary caused).
    pub fn decide_staged(&self, request: &Request, detail: Detail) -> (Verdict, Option<Stage>) {
        let (resource_account, _) = resolve_resource_account(self.policies(), request);
        let facts = Facts::new(request, resource_account.as_deref());
        let alias_management = is_alias_management(request);
        let candidates = self.candidates(&request.action);
        let traces: Vec<PolicyTrace> = self
            .policies()
            .iter()
            .zip(&self.prepared)
            .enumerate()
            .map(|(index, (p, prepared))| {
                let applies = policy_applies(p, request, alias_management);
                let statements = match &prepared.policy {
                    Some(policy) if p.enabled && detail == Detail::Summary => {
                        evaluate_policy(&prepared.name, policy, request)
                    }
                    Some(policy) if applies.is_ok() => {
                        let candidates = candidates.get(index).map_or(&[][..], Vec::as_slice);
                        evaluate_policy_quick(&prepared.name, policy, request, candidates)
                    }
                    _ => Default::default(),
                };
                PolicyTrace {
                    name: prepared.name.clone(),
                    enabled: p.enabled,
                    origin: p.origin.as_deref().map(Text::from),
                    policy_type: p.policy_type,
                    level: prepared.level.clone(),
                    applies: applies.is_ok(),
                    not_applicable_reason: applies.err(),
                    statements,
                }
            })
            .collect();
        let mut outcome = flow::run(&facts, &traces);
        let summary = settle(&facts, &traces, &mut outcome, detail == Detail::Summary).summary;
        let stage = outcome.steps.iter().find(|s| s.decisive).map(|s| s.stage);
        let verdict = Verdict {
            decision: outcome.decision,
            determining: outcome.determining,
            summary,
        };
        (verdict, stage)
    }

    /// One request's whole explanation, exactly as [`crate::evaluate`] gives
    /// it for a scenario with this request.
    pub fn explain(&self, input: &RequestInput) -> Result<Evaluation, EvaluationError> {
        match check_request(input, false) {
            Ok(request) => Ok(authorize(
                self.policies(),
                &input.principal,
                request,
                self.diagnostics.clone(),
            )),
            Err(errors) => {
                let mut diagnostics = self.diagnostics.clone();
                diagnostics.extend(errors);
                Err(EvaluationError { diagnostics })
            }
        }
    }
}

#[cfg(test)]
mod tests;
