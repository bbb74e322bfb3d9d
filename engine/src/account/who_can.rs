//! "Who can do X on Y?": one request decided for many principals of an
//! account, one compact row each.
//!
//! Each principal is converted as [`Account::import_entity`] does (its own
//! policies, its groups' policies, its permissions boundary, its tags; a
//! role as a session of the role; for `sts:AssumeRole*` on a role of the
//! account, that role's trust policy), the resource-based policy the person
//! gives (e.g. a bucket policy) is added to every principal's set, and the
//! request is decided on the compact path ([`PolicySet::decide_staged`]: the
//! decision, the deciding statements and the deciding stage, no trace).
//! The full explanation of one row is [`WhoCan::explain`]: the same
//! conversion and [`crate::evaluate`].
//!
//! Groups are not principals: nobody signs in as a group. Choosing a group
//! ([`Account::who_can_principals`]) chooses its member users, each decided
//! with all of their own policies.

use std::collections::HashSet;

use serde::Serialize;

use super::convert::ParsedDocuments;
use super::{Account, EntityKind, ImportDiagnostic, ImportOptions, Imported};
use crate::diagnostics::Diagnostic;
use crate::explain::{Decision, Evaluation, Stage};
use crate::json::write::SortedJson;
use crate::request::ContextValue;
use crate::scenario::{check_action_and_resource, check_request, RequestInput, ScenarioPolicy};
use crate::suite::{Detail, PolicySet};
use crate::EvaluationError;

/// The request asked about: the same for every principal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WhoCanQuery {
    /// The actions (one row per principal and action).
    pub actions: Vec<String>,
    /// The resource ARN (or `*`).
    pub resource: String,
    /// The resource's account, when it cannot be read from the ARN.
    pub resource_account: Option<String>,
    /// A resource-based policy (e.g. the bucket policy) added to every
    /// principal's policies.
    pub resource_policy: Option<ScenarioPolicy>,
    /// Context keys of the request (the principal's tags are added per
    /// principal as `aws:PrincipalTag/…`).
    pub context: Vec<(String, ContextValue)>,
    /// The session name of roles (default
    /// [`super::convert::DEFAULT_SESSION`]).
    pub session: Option<String>,
}

/// A statement that decided a row, with the policy's origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deciding {
    /// The policy's name in the principal's scenario.
    pub policy: String,
    /// Where the policy comes from ("group Developers, attached managed
    /// policy …", "resource-based policy" for the one given).
    pub origin: Option<String>,
    /// The statement's Sid, or `#N`.
    pub statement: String,
    /// The statement's 0-based index in its policy.
    pub index: usize,
}

/// What was decided for one principal and action.
#[derive(Debug, Clone, PartialEq)]
pub enum RowOutcome {
    /// Decided.
    Decided {
        /// The decision.
        decision: Decision,
        /// The first stage of the flow that decided it (for an implicit
        /// deny: the stage that withheld its allow, e.g. the boundary).
        stage: Option<Stage>,
        /// The deciding statements (none for an implicit deny).
        deciding: Vec<Deciding>,
    },
    /// Not decided: the principal's policies (or its request) have errors.
    Invalid {
        /// The errors, each naming its policy.
        diagnostics: Vec<Diagnostic>,
    },
}

/// One row: a principal, an action and the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct WhoCanRow {
    /// User or role.
    pub kind: EntityKind,
    /// Its index among the account's users or roles.
    pub index: usize,
    /// Its name.
    pub name: String,
    /// Its ARN (the role's, not the session's).
    pub arn: String,
    /// The request's principal: the user's ARN or the role session's.
    pub principal: String,
    /// The action.
    pub action: String,
    /// The decision, or why there is none.
    pub outcome: RowOutcome,
    /// The names of the policies it has that the files lack (the decision
    /// may differ from AWS's).
    pub missing: Vec<String>,
}

impl WhoCanRow {
    /// The decision, when decided.
    pub fn decision(&self) -> Option<Decision> {
        match self.outcome {
            RowOutcome::Decided { decision, .. } => Some(decision),
            RowOutcome::Invalid { .. } => None,
        }
    }
}

/// The answer: one row per principal and action, principals in the order
/// given, actions in the order given within each principal.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WhoCan {
    /// The rows.
    pub rows: Vec<WhoCanRow>,
}

impl WhoCan {
    /// How many rows are allowed, explicitly denied, implicitly denied and
    /// not decided.
    pub fn counts(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for row in &self.rows {
            let slot = match row.decision() {
                Some(Decision::Allow) => 0,
                Some(Decision::ExplicitDeny) => 1,
                Some(Decision::ImplicitDeny) => 2,
                None => 3,
            };
            if let Some(c) = counts.get_mut(slot) {
                *c += 1;
            }
        }
        counts
    }

    /// The answer as JSON for tools (`iam-eval import --who-can --format
    /// json` and the JavaScript `whoCan`):
    /// `{counts: {allow, explicit_deny, implicit_deny, invalid}, rows:
    /// [{action, arn, deciding: [{index, origin, policy, statement}],
    /// decision, diagnostics, kind, missing, name, principal, stage}]}`,
    /// every object's keys in alphabetical order; `decision` is `null` for
    /// a row with errors.
    pub fn to_json(&self) -> WhoCanJson {
        let [allow, explicit_deny, implicit_deny, invalid] = self.counts();
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let (decision, stage, deciding, diagnostics) = match &row.outcome {
                    RowOutcome::Decided {
                        decision,
                        stage,
                        deciding,
                    } => (
                        Some(decision.as_str()),
                        *stage,
                        deciding
                            .iter()
                            .map(|d| DecidingJson {
                                index: d.index,
                                origin: d.origin.clone(),
                                policy: d.policy.clone(),
                                statement: d.statement.clone(),
                            })
                            .collect(),
                        SortedJson::of(&[] as &[Diagnostic]),
                    ),
                    RowOutcome::Invalid { diagnostics } => {
                        (None, None, Vec::new(), SortedJson::of(diagnostics))
                    }
                };
                WhoCanRowJson {
                    action: row.action.clone(),
                    arn: row.arn.clone(),
                    deciding,
                    decision,
                    diagnostics,
                    kind: row.kind.as_str(),
                    missing: row.missing.clone(),
                    name: row.name.clone(),
                    principal: row.principal.clone(),
                    stage,
                }
            })
            .collect();
        WhoCanJson {
            counts: WhoCanCounts {
                allow,
                explicit_deny,
                implicit_deny,
                invalid,
            },
            rows,
        }
    }
}

/// [`WhoCan`] as JSON ([`WhoCan::to_json`]). The fields of these types
/// are in alphabetical order: the JSON was first built as a
/// `serde_json::Value`, which sorts them, and tools may have its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhoCanJson {
    /// How many rows of each outcome.
    pub counts: WhoCanCounts,
    /// The rows.
    pub rows: Vec<WhoCanRowJson>,
}

/// How many rows are allowed, explicitly denied, implicitly denied and not
/// decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WhoCanCounts {
    /// Allowed.
    pub allow: usize,
    /// Explicitly denied.
    pub explicit_deny: usize,
    /// Implicitly denied.
    pub implicit_deny: usize,
    /// Not decided (errors).
    pub invalid: usize,
}

/// One row of [`WhoCanJson`] (see [`WhoCanRow`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhoCanRowJson {
    /// The action.
    pub action: String,
    /// The user's or role's ARN.
    pub arn: String,
    /// The deciding statements.
    pub deciding: Vec<DecidingJson>,
    /// The decision; `None` for a row with errors.
    pub decision: Option<&'static str>,
    /// The errors of a row with errors, keys sorted.
    pub diagnostics: SortedJson,
    /// `user` or `role`.
    pub kind: &'static str,
    /// The policies the files lack.
    pub missing: Vec<String>,
    /// The user's or role's name.
    pub name: String,
    /// The request's principal.
    pub principal: String,
    /// The deciding stage.
    pub stage: Option<Stage>,
}

/// A deciding statement of [`WhoCanRowJson`] (see [`Deciding`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecidingJson {
    /// The statement's 0-based index in its policy.
    pub index: usize,
    /// Where the policy comes from.
    pub origin: Option<String>,
    /// The policy's name.
    pub policy: String,
    /// The statement's Sid, or `#N`.
    pub statement: String,
}

/// Whether an action is `sts:AssumeRole*` (the import then adds the target
/// role's trust policy).
fn assumes_role(action: &str) -> bool {
    action
        .trim()
        .to_ascii_lowercase()
        .starts_with("sts:assumerole")
}

impl Account {
    /// Every user and every role, users first, each in file order: the
    /// principals "who can" asks about by default.
    pub fn who_can_all(&self) -> Vec<(EntityKind, usize)> {
        let users = (0..self.users.len()).map(|i| (EntityKind::User, i));
        let roles = (0..self.roles.len()).map(|i| (EntityKind::Role, i));
        users.chain(roles).collect()
    }

    /// The principals named by `picks` (ARNs, role session ARNs or unique
    /// names, as [`Account::resolve`] reads them), in order and without
    /// repeats. A group stands for its member users: groups are not
    /// principals, a group's policies act only through its members.
    pub fn who_can_principals<S: AsRef<str>>(
        &self,
        picks: &[S],
    ) -> Result<Vec<(EntityKind, usize)>, Box<ImportDiagnostic>> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for pick in picks {
            let (kind, index, _) = self.resolve(pick.as_ref())?;
            match kind {
                EntityKind::Group => {
                    let Some(group) = self.groups.get(index) else {
                        continue;
                    };
                    for (i, user) in self.users.iter().enumerate() {
                        if user.groups.contains(&group.name) && seen.insert((EntityKind::User, i)) {
                            out.push((EntityKind::User, i));
                        }
                    }
                }
                _ => {
                    if seen.insert((kind, index)) {
                        out.push((kind, index));
                    }
                }
            }
        }
        Ok(out)
    }

    /// Decides `query` for each of `principals` (users and roles; a group
    /// is skipped, see [`Account::who_can_principals`]). Fails only when the
    /// query itself is wrong: no action, a malformed action or resource, or
    /// errors in the resource-based policy. A principal whose own policies
    /// have errors gets an [`RowOutcome::Invalid`] row.
    pub fn who_can(
        &self,
        principals: &[(EntityKind, usize)],
        query: &WhoCanQuery,
    ) -> Result<WhoCan, Vec<Diagnostic>> {
        check_query(query)?;
        let mut rows = Vec::with_capacity(principals.len() * query.actions.len());
        let (assume, other): (Vec<&String>, Vec<&String>) =
            query.actions.iter().partition(|a| assumes_role(a));
        // Documents parsed once for every principal that has them.
        let mut parsed = ParsedDocuments::new();
        for &(kind, index) in principals {
            if kind == EntityKind::Group {
                continue;
            }
            // A trust policy joins the set only for `sts:AssumeRole*`, so
            // those actions get their own conversion.
            for actions in [&other, &assume] {
                let Some(first) = actions.first() else {
                    continue;
                };
                match self.who_can_convert(kind, index, first, query, Some(&mut parsed)) {
                    Ok(imported) => decide_rows(&imported, index, actions, &mut rows),
                    Err(d) => {
                        let (name, arn) = self.name_and_arn(kind, index);
                        rows.extend(actions.iter().map(|action| WhoCanRow {
                            kind,
                            index,
                            name: name.clone(),
                            arn: arn.clone(),
                            principal: arn.clone(),
                            action: (*action).clone(),
                            outcome: RowOutcome::Invalid {
                                diagnostics: vec![d.diagnostic.clone()],
                            },
                            missing: Vec::new(),
                        }));
                    }
                }
            }
        }
        Ok(WhoCan { rows })
    }

    /// The scenario of a row with everything the "who can" query adds (the
    /// resource-based policy, the context): what [`WhoCan::explain`]
    /// evaluates, and what the app loads into the workspace.
    pub fn who_can_import(
        &self,
        kind: EntityKind,
        index: usize,
        action: &str,
        query: &WhoCanQuery,
    ) -> Result<Imported, Box<ImportDiagnostic>> {
        self.who_can_convert(kind, index, action, query, None)
    }

    fn who_can_convert(
        &self,
        kind: EntityKind,
        index: usize,
        action: &str,
        query: &WhoCanQuery,
        parsed: Option<&mut ParsedDocuments>,
    ) -> Result<Imported, Box<ImportDiagnostic>> {
        let options = ImportOptions {
            session: query.session.clone(),
            action: Some(action.trim().to_owned()),
            resource: Some(query.resource.trim().to_owned()),
        };
        let mut imported = self.import_entity_with(kind, index, &options, parsed)?;
        let scenario = &mut imported.scenario;
        if let Some(policy) = &query.resource_policy {
            let mut policy = policy.clone();
            let wanted = policy.name.clone();
            let mut n = 1;
            while scenario.policies.iter().any(|p| p.name == policy.name) {
                n += 1;
                policy.name = format!("{wanted} ({n})");
            }
            if policy.origin.is_none() {
                policy.origin = Some("resource-based policy given for the check".to_owned());
            }
            scenario.policies.push(policy);
        }
        scenario.request.resource_account = query.resource_account.clone();
        scenario.request.context = query.context.clone();
        Ok(imported)
    }

    /// The full explanation of one principal and action: the conversion
    /// [`Account::who_can_import`] gives, evaluated as [`crate::evaluate`]
    /// does.
    pub fn who_can_explain(
        &self,
        kind: EntityKind,
        index: usize,
        action: &str,
        query: &WhoCanQuery,
    ) -> Result<Evaluation, EvaluationError> {
        let imported = self
            .who_can_import(kind, index, action, query)
            .map_err(|d| EvaluationError {
                diagnostics: vec![d.diagnostic],
            })?;
        crate::evaluate(&imported.scenario)
    }

    fn name_and_arn(&self, kind: EntityKind, index: usize) -> (String, String) {
        let found = match kind {
            EntityKind::User => self.users.get(index).map(|u| (&u.name, &u.arn)),
            EntityKind::Role => self.roles.get(index).map(|r| (&r.name, &r.arn)),
            EntityKind::Group => self.groups.get(index).map(|g| (&g.name, &g.arn)),
        };
        found
            .map(|(n, a)| (n.clone(), a.clone()))
            .unwrap_or_default()
    }
}

/// The query's own errors: no action, a malformed action or resource, a
/// resource-based policy with errors.
fn check_query(query: &WhoCanQuery) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    if query.actions.is_empty() {
        errors.push(
            Diagnostic::error(
                "missing-action",
                "no action to check".to_owned(),
                crate::Span::default(),
            )
            .with_help("give an action, e.g. `s3:GetObject`".to_owned()),
        );
    }
    for action in &query.actions {
        let input = RequestInput {
            principal: "*".to_owned(),
            action: action.clone(),
            resource: query.resource.clone(),
            ..RequestInput::default()
        };
        if let Err(found) = check_action_and_resource(&input) {
            for d in found {
                if !errors.contains(&d) {
                    errors.push(d);
                }
            }
        }
    }
    if let Some(policy) = &query.resource_policy {
        errors.extend(
            policy
                .parsed
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.clone().in_policy(&policy.name)),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Decides `actions` for one converted principal, one row each.
fn decide_rows(imported: &Imported, index: usize, actions: &[&String], rows: &mut Vec<WhoCanRow>) {
    let scenario = &imported.scenario;
    let summary = &imported.principal;
    let missing: Vec<String> = imported.missing.iter().map(|m| m.name.clone()).collect();
    let set = PolicySet::prepare(scenario);
    let checked = set
        .as_ref()
        .map_err(|e| e.diagnostics.clone())
        .and_then(|_| check_request(&scenario.request, false));
    for action in actions {
        let outcome = match (&set, &checked) {
            (Ok(set), Ok(request)) => {
                let mut request = request.clone();
                request.action = crate::Text::from(action.trim());
                let (verdict, stage) = set.decide_staged(&request, Detail::Decision);
                let deciding = verdict
                    .determining
                    .iter()
                    .map(|r| Deciding {
                        policy: r.policy.to_string(),
                        origin: scenario.policy(&r.policy).and_then(|p| p.origin.clone()),
                        statement: r.statement.to_string(),
                        index: r.index,
                    })
                    .collect();
                RowOutcome::Decided {
                    decision: verdict.decision,
                    stage,
                    deciding,
                }
            }
            (_, Err(diagnostics)) => RowOutcome::Invalid {
                diagnostics: diagnostics.clone(),
            },
            (Err(e), _) => RowOutcome::Invalid {
                diagnostics: e.diagnostics.clone(),
            },
        };
        rows.push(WhoCanRow {
            kind: summary.kind,
            index,
            name: summary.name.clone(),
            arn: summary.arn.clone(),
            principal: scenario.request.principal.clone(),
            action: (*action).clone(),
            outcome,
            missing: missing.clone(),
        });
    }
}

#[cfg(test)]
mod tests;
