//! The decision flow over statement traces: which stage decides, and how.

use crate::evaluate::is_direct_grant;
use crate::explain::{
    CrossAccountTrace, Decision, LevelTrace, Note, NoteKind, PolicyTrace, PrincipalMatch, Side,
    SideVerdict, Stage, StageOutcome, StatementRef, StatementResult, Step,
};
use crate::policy::{Effect, PolicyType};
use std::borrow::Cow;

use crate::request::Principal;
use crate::text::{shared_text, Text};

/// The stages that granted.
type Stages = Vec<Stage>;

use super::Facts;

/// What the flow decided and why.
pub(crate) struct FlowOutcome {
    pub decision: Decision,
    pub steps: Vec<Step>,
    pub determining: Vec<StatementRef>,
    pub cross_account: Option<CrossAccountTrace>,
    pub reason: Reason,
    /// Service rules and undocumented choices the flow relied on.
    pub notes: Vec<Note>,
}

/// The deciding reason, for the summary.
pub(crate) enum Reason {
    /// Matching deny statements.
    ExplicitDeny {
        denied_by_not_principal_boundary: bool,
    },
    /// An SCP or RCP level without a matching allow.
    OrgLevel { stage: Stage, level: Text },
    /// A KMS key policy or role trust policy had to allow and did not.
    ResourcePolicyRequired { what: &'static str },
    /// Anonymous: only `"*"` resource policies can allow.
    Anonymous,
    /// A service principal needs a resource policy naming it.
    Service,
    /// The first identity-side stage that withheld its allow.
    Withheld { stage: Stage },
    /// Across accounts, one side or both withheld.
    CrossAccount {
        principal_side: bool,
        resource_side: bool,
    },
    /// Allowed through these stages.
    Allowed { via: Stages },
}

struct View<'a> {
    policies: &'a [PolicyTrace],
}

impl<'a> View<'a> {
    fn of_type(&self, t: PolicyType) -> impl Iterator<Item = &'a PolicyTrace> + '_ {
        // A switched-off policy counts as absent.
        self.policies
            .iter()
            .filter(move |p| p.enabled && p.policy_type == t)
    }

    fn present(&self, t: PolicyType) -> bool {
        self.of_type(t).next().is_some()
    }

    fn applicable(&self, t: PolicyType) -> impl Iterator<Item = &'a PolicyTrace> + '_ {
        self.of_type(t).filter(|p| p.applies)
    }

    fn names(&self, t: PolicyType) -> Vec<Text> {
        self.of_type(t).map(|p| p.name.clone()).collect()
    }

    fn matched(&self, t: PolicyType, effect: Effect) -> Founds<'a> {
        self.applicable(t)
            .flat_map(Found::all)
            .filter(|s| s.effect == effect && s.matched)
            .collect()
    }

    fn allows(&self, t: PolicyType) -> bool {
        self.applicable(t)
            .flat_map(|p| p.statements.iter())
            .any(|s| s.effect == Effect::Allow && s.matched)
    }
}

/// Statements found by the flow.
type Founds<'a> = Vec<Found<'a>>;

/// A statement's results with its policy's trace.
#[derive(Clone, Copy)]
struct Found<'a> {
    policy: &'a PolicyTrace,
    result: &'a StatementResult,
}

impl<'a> Found<'a> {
    /// Every statement of `policy`.
    fn all(policy: &'a PolicyTrace) -> impl Iterator<Item = Found<'a>> {
        policy
            .statements
            .iter()
            .map(move |result| Found { policy, result })
    }

    fn at(&self) -> StatementRef {
        self.policy.statements.at(self.result)
    }
}

impl std::ops::Deref for Found<'_> {
    type Target = StatementResult;

    fn deref(&self) -> &StatementResult {
        self.result
    }
}

fn refs(statements: &[Found<'_>]) -> Vec<StatementRef> {
    statements.iter().map(Found::at).collect()
}

fn step(
    stage: Stage,
    outcome: StageOutcome,
    policies: Vec<Text>,
    detail: impl Into<Cow<'static, str>>,
) -> Step {
    Step {
        stage,
        outcome,
        decisive: false,
        policies,
        statements: Vec::new(),
        levels: Vec::new(),
        side: None,
        detail: detail.into(),
    }
}

/// A resource-policy `Deny` with `NotPrincipal` always denies a principal
/// that has a permissions boundary (AWS "NotPrincipal", key points).
fn not_principal_boundary_denies(statement: &StatementResult, has_boundary: bool) -> bool {
    has_boundary
        && statement.effect == Effect::Deny
        && !statement.matched
        && statement.has_not_principal()
        && statement.matched_apart_from_principal()
}

fn org_levels(view: &View<'_>, t: PolicyType) -> Vec<LevelTrace> {
    let mut levels: Vec<LevelTrace> = Vec::new();
    for policy in view.applicable(t) {
        let level = policy.level.clone().unwrap_or_else(|| shared_text!("root"));
        let allowed = policy
            .statements
            .iter()
            .any(|s| s.effect == Effect::Allow && s.matched);
        match levels.iter_mut().find(|l| l.level == level) {
            Some(l) => {
                l.policies.push(policy.name.clone());
                l.allowed |= allowed;
            }
            None => levels.push(LevelTrace {
                level,
                policies: vec![policy.name.clone()],
                allowed,
            }),
        }
    }
    levels
}

fn is_assume_role(facts: &Facts<'_>) -> bool {
    let action = facts.request.action.to_ascii_lowercase();
    matches!(
        action.as_str(),
        "sts:assumerole"
            | "sts:assumerolewithsaml"
            | "sts:assumerolewithwebidentity"
            | "sts:tagsession"
            | "sts:setsourceidentity"
    ) && facts.request.resource.contains(":role/")
}

/// The outcome "allowed by resource-based policies alone".
fn allowed_by_resource_policies() -> (Decision, Reason, Stages, Option<CrossAccountTrace>) {
    (
        Decision::Allow,
        Reason::Allowed {
            via: vec![Stage::ResourcePolicies],
        },
        vec![Stage::ResourcePolicies],
        None,
    )
}

/// Runs the flow.
pub(crate) fn run(facts: &Facts<'_>, policies: &[PolicyTrace]) -> FlowOutcome {
    let view = View { policies };
    let principal = &facts.request.principal;
    let has_boundary = view
        .applicable(PolicyType::PermissionsBoundary)
        .next()
        .is_some();

    let mut notes = Vec::new();
    // 1. Explicit deny, in any applicable policy (except a bucket policy's
    // Deny for the bucket owner's root user asking for that policy).
    let mut ignored = 0;
    let mut denies: Founds<'_> = policies
        .iter()
        .filter(|p| p.applies)
        .flat_map(Found::all)
        .filter(|s| s.effect == Effect::Deny && s.matched)
        .filter(|s| {
            let skip = facts.root_bucket_policy && s.policy.policy_type == PolicyType::Resource;
            ignored += usize::from(skip);
            !skip
        })
        .collect();
    if facts.root_bucket_policy {
        notes.push(super::service::root_bucket_policy_note(
            facts.request,
            ignored,
        ));
    }
    let boundary_denies: Founds<'_> = view
        .applicable(PolicyType::Resource)
        .flat_map(Found::all)
        .filter(|s| not_principal_boundary_denies(s, has_boundary))
        .collect();
    let by_boundary_rule = denies.is_empty() && !boundary_denies.is_empty();
    denies.extend(boundary_denies);
    let mut steps = Vec::with_capacity(7);
    let all_names: Vec<Text> = policies
        .iter()
        .filter(|p| p.applies)
        .map(|p| p.name.clone())
        .collect();
    if !denies.is_empty() {
        let mut deny_step = step(
            Stage::DenyEvaluation,
            StageOutcome::ExplicitDeny,
            all_names,
            if by_boundary_rule {
                "a resource-based policy denies with NotPrincipal, which always denies a principal that has a permissions boundary"
            } else {
                "a Deny statement matches the request; an explicit deny overrides every allow"
            },
        );
        deny_step.decisive = true;
        deny_step.statements = refs(&denies);
        steps.push(deny_step);
        fill_not_reached(
            &mut steps,
            "not evaluated: an explicit deny already decided",
        );
        return FlowOutcome {
            decision: Decision::ExplicitDeny,
            steps,
            determining: refs(&denies),
            cross_account: None,
            reason: Reason::ExplicitDeny {
                denied_by_not_principal_boundary: by_boundary_rule,
            },
            notes,
        };
    }
    steps.push(step(
        Stage::DenyEvaluation,
        StageOutcome::NoDeny,
        all_names,
        "no Deny statement matches the request",
    ));

    // 2 and 3. RCPs (resource's account), then SCPs (principal's account).
    for (stage, t) in [
        (Stage::ResourceControlPolicies, PolicyType::Rcp),
        (Stage::ServiceControlPolicies, PolicyType::Scp),
    ] {
        let org_step = org_stage(&view, stage, t);
        if org_step.outcome == StageOutcome::ImplicitDeny {
            let level = org_step
                .levels
                .iter()
                .find(|l| !l.allowed)
                .map(|l| l.level.clone())
                .unwrap_or_default();
            let mut org_step = org_step;
            org_step.decisive = true;
            steps.push(org_step);
            fill_not_reached(
                &mut steps,
                "not evaluated: an earlier stage already decided",
            );
            return FlowOutcome {
                decision: Decision::ImplicitDeny,
                steps,
                determining: Vec::new(),
                cross_account: None,
                reason: Reason::OrgLevel { stage, level },
                notes,
            };
        }
        steps.push(org_step);
    }

    // 4 to 7. Resource-based, boundary, session and identity policies.
    let resource_allows = view.matched(PolicyType::Resource, Effect::Allow);
    let best_resource_match = resource_allows
        .iter()
        .filter_map(|s| s.principal_match)
        .min();
    let identity_allows = view.matched(PolicyType::Identity, Effect::Allow);
    let boundary_present = has_boundary;
    let boundary_allows = view.allows(PolicyType::PermissionsBoundary);
    let session_present = view.applicable(PolicyType::Session).next().is_some();
    let session_allows = view.allows(PolicyType::Session);
    let boundary_ok = !boundary_present || boundary_allows;
    // A federated-user session (GetFederationToken) without a session policy
    // has no permissions from identity-based policies.
    let federated = matches!(principal, Principal::FederatedUser { .. });
    let session_ok = if federated {
        session_present && session_allows
    } else {
        !session_present || session_allows
    };
    let root = matches!(principal, Principal::Root { .. });
    let identity_ok = root || !identity_allows.is_empty();
    let resource_required: Option<&'static str> = if facts.key_policy_required {
        Some("a KMS key policy")
    } else if is_assume_role(facts) {
        Some("the role's trust policy")
    } else {
        None
    };

    let stage_steps = StageInputs {
        view: &view,
        resource_allows: &resource_allows,
        identity_allows: &identity_allows,
        boundary_present,
        boundary_allows,
        session_present,
        session_allows,
        root,
    };

    let (decision, reason, via, cross) = match principal {
        Principal::Anonymous => {
            let everyone: Founds<'_> = resource_allows
                .iter()
                .copied()
                .filter(|s| {
                    matches!(
                        s.principal_match,
                        Some(PrincipalMatch::Everyone | PrincipalMatch::NotListed)
                    )
                })
                .collect();
            if everyone.is_empty() {
                (
                    Decision::ImplicitDeny,
                    Reason::Anonymous,
                    Stages::new(),
                    None,
                )
            } else {
                allowed_by_resource_policies()
            }
        }
        Principal::Service { .. } => {
            if resource_allows.is_empty() {
                (Decision::ImplicitDeny, Reason::Service, Stages::new(), None)
            } else {
                allowed_by_resource_policies()
            }
        }
        _ if facts.cross_account => {
            let resource_side = !resource_allows.is_empty();
            let principal_side = identity_ok && boundary_ok && session_ok;
            let cross =
                cross_account_trace(facts, &stage_steps, resource_side, principal_side, &view);
            if resource_side && principal_side {
                let mut via: Stages = vec![Stage::ResourcePolicies];
                if !root {
                    via.push(Stage::IdentityPolicies);
                }
                (
                    Decision::Allow,
                    Reason::Allowed { via: via.clone() },
                    via,
                    Some(cross),
                )
            } else {
                (
                    Decision::ImplicitDeny,
                    Reason::CrossAccount {
                        principal_side,
                        resource_side,
                    },
                    Stages::new(),
                    Some(cross),
                )
            }
        }
        _ => {
            let direct = best_resource_match.is_some_and(is_direct_grant);
            let via_role =
                best_resource_match == Some(PrincipalMatch::RoleArn) && boundary_ok && session_ok;
            let via_identity = identity_ok && boundary_ok && session_ok;
            let resource_names_principal =
                best_resource_match.is_some_and(|m| m != PrincipalMatch::Account);
            if let (Some(what), None) = (resource_required, best_resource_match) {
                (
                    Decision::ImplicitDeny,
                    Reason::ResourcePolicyRequired { what },
                    Stages::new(),
                    None,
                )
            } else if direct || via_role {
                // A grant naming the caller's own ARN is documented as not
                // limited; one to everyone is the undocumented case.
                let limited = !boundary_ok || !session_ok;
                let names_caller = resource_allows
                    .iter()
                    .any(|s| s.principal_match == Some(PrincipalMatch::Exact));
                if direct && limited && !names_caller {
                    notes.push(everyone_grant_note(principal, boundary_ok));
                }
                allowed_by_resource_policies()
            } else if via_identity && (resource_required.is_none() || best_resource_match.is_some())
            {
                let mut via: Stages = vec![Stage::IdentityPolicies];
                if resource_required.is_some() || !resource_allows.is_empty() {
                    via.insert(0, Stage::ResourcePolicies);
                }
                (
                    Decision::Allow,
                    Reason::Allowed { via: via.clone() },
                    via,
                    None,
                )
            } else {
                let stage = if !boundary_ok {
                    Stage::PermissionsBoundary
                } else if !session_ok {
                    Stage::SessionPolicies
                } else {
                    Stage::IdentityPolicies
                };
                let _ = resource_names_principal;
                (
                    Decision::ImplicitDeny,
                    Reason::Withheld { stage },
                    Stages::new(),
                    None,
                )
            }
        }
    };

    push_grant_steps(
        &mut steps,
        facts,
        &stage_steps,
        decision,
        &reason,
        &via,
        resource_required,
    );
    // Allow: every matching Allow of the resource-based policies, plus the
    // identity-based ones when they grant too (within boundary and session).
    let determining = if decision == Decision::Allow {
        let identity: &[Found<'_>] = if identity_ok && boundary_ok && session_ok {
            &identity_allows
        } else {
            &[]
        };
        resource_allows
            .iter()
            .chain(identity)
            .map(Found::at)
            .collect()
    } else {
        Vec::new()
    };
    FlowOutcome {
        decision,
        steps,
        determining,
        cross_account: cross,
        reason,
        notes,
    }
}

/// The note for a resource-based `Allow` to every principal (`"*"`, or
/// `NotPrincipal`) reaching a principal whose permissions boundary or
/// session policy does not allow: AWS documents the principal's own ARN
/// (not limited) and a role ARN (limited), not this case.
fn everyone_grant_note(principal: &Principal, boundary_ok: bool) -> Note {
    let limit = if boundary_ok {
        "session policy"
    } else {
        "permissions boundary"
    };
    let who = if matches!(principal, Principal::AssumedRole { .. }) {
        "a role session"
    } else {
        "this principal"
    };
    Note {
        kind: NoteKind::Undocumented,
        code: "resource-grant-to-everyone-vs-limits",
        decisive: true,
        message: format!("a resource-based policy allows every principal (\"*\") within the account, and the {limit} of {who} does not allow the request. AWS documents that a grant naming the session or user ARN is not limited by it and one naming the role ARN is; it does not say which applies to \"*\". We read \"*\" as naming the caller itself, so the grant is not limited and the request is allowed"),
        source: "IAM User Guide: Session policies; Permissions boundaries for IAM entities (silent on \"*\")",
    }
}

struct StageInputs<'a, 'b> {
    view: &'b View<'a>,
    resource_allows: &'b [Found<'a>],
    identity_allows: &'b [Found<'a>],
    boundary_present: bool,
    boundary_allows: bool,
    session_present: bool,
    session_allows: bool,
    root: bool,
}

/// What the boundary and session steps say.
struct LimitTexts {
    not_given: &'static str,
    allows: &'static str,
    not_needed: &'static str,
    must: &'static str,
}

fn org_stage(view: &View<'_>, stage: Stage, t: PolicyType) -> Step {
    let short = if t == PolicyType::Scp { "SCPs" } else { "RCPs" };
    if !view.present(t) {
        let detail = if t == PolicyType::Scp {
            "no SCPs given: the principal's account is treated as outside an organization"
        } else {
            "no RCPs given: the resource's account is treated as outside an organization"
        };
        return step(stage, StageOutcome::NotPresent, Vec::new(), detail);
    }
    if view.applicable(t).next().is_none() {
        let reason = view
            .of_type(t)
            .find_map(|p| p.not_applicable_reason)
            .unwrap_or_default();
        return step(
            stage,
            StageOutcome::NotApplicable,
            view.names(t),
            format!("{short} do not apply: {reason}"),
        );
    }
    let levels = org_levels(view, t);
    let allows = view.matched(t, Effect::Allow);
    let all_allow = levels.iter().all(|l| l.allowed);
    // "SCPs allow … (root, ou-1)" or "no SCPs attached at level `ou-1` …".
    let mut detail = String::with_capacity(128);
    let (separator, shown): (&str, &dyn Fn(&LevelTrace) -> bool) = if all_allow {
        detail.push_str(short);
        detail.push_str(" allow the request at every level (");
        (", ", &|_| true)
    } else {
        detail.push_str("no ");
        detail.push_str(short);
        detail.push_str(" attached at level `");
        ("`, `", &|l| !l.allowed)
    };
    for (i, level) in levels.iter().filter(|l| shown(l)).enumerate() {
        if i > 0 {
            detail.push_str(separator);
        }
        detail.push_str(&level.level);
    }
    detail.push_str(if all_allow {
        "); they never grant on their own"
    } else {
        "` allow the request; every level must allow"
    });
    let outcome = if all_allow {
        StageOutcome::Allowed
    } else {
        StageOutcome::ImplicitDeny
    };
    let mut s = step(stage, outcome, view.names(t), detail);
    s.statements = refs(&allows);
    s.levels = levels;
    s
}

/// Adds every stage not yet in `steps` as not reached, saying why.
fn fill_not_reached(steps: &mut Vec<Step>, detail: &'static str) {
    for stage in Stage::ALL {
        if !steps.iter().any(|s| s.stage == stage) {
            steps.push(step(stage, StageOutcome::NotReached, Vec::new(), detail));
        }
    }
}

fn cross_account_trace(
    facts: &Facts<'_>,
    inputs: &StageInputs<'_, '_>,
    resource_side: bool,
    principal_side: bool,
    view: &View<'_>,
) -> CrossAccountTrace {
    let principal_account = facts.principal_account.unwrap_or_default().to_owned();
    let resource_account = facts.resource_account.unwrap_or_default().to_owned();
    let mut principal_reasons = Vec::new();
    if inputs.root {
        principal_reasons.push(format!(
            "the root user of {principal_account} has every permission in its own account"
        ));
    } else if inputs.identity_allows.is_empty() {
        principal_reasons.push(format!(
            "no identity-based policy in {principal_account} allows the request"
        ));
    } else {
        principal_reasons.push("an identity-based policy allows the request".to_owned());
    }
    if inputs.boundary_present {
        principal_reasons.push(if inputs.boundary_allows {
            "the permissions boundary allows it".to_owned()
        } else {
            "the permissions boundary does not allow it".to_owned()
        });
    }
    if inputs.session_present {
        principal_reasons.push(if inputs.session_allows {
            "the session policy allows it".to_owned()
        } else {
            "the session policy does not allow it".to_owned()
        });
    }
    let resource_reasons = if resource_side {
        vec![format!(
            "a resource-based policy in {resource_account} allows the principal"
        )]
    } else if view.present(PolicyType::Resource) {
        vec![format!("no resource-based policy in {resource_account} allows this principal; across accounts the resource must grant access too")]
    } else {
        vec![format!("no resource-based policy was given; a request into another account ({resource_account}) needs the resource's policy to allow it")]
    };
    CrossAccountTrace {
        principal_account,
        resource_account,
        principal_side: SideVerdict {
            allowed: principal_side,
            reasons: principal_reasons,
            statements: refs(inputs.identity_allows),
        },
        resource_side: SideVerdict {
            allowed: resource_side,
            reasons: resource_reasons,
            statements: refs(inputs.resource_allows),
        },
    }
}

/// Pushes the resource, boundary, session and identity steps.
fn push_grant_steps(
    steps: &mut Vec<Step>,
    facts: &Facts<'_>,
    inputs: &StageInputs<'_, '_>,
    decision: Decision,
    reason: &Reason,
    via: &[Stage],
    resource_required: Option<&'static str>,
) {
    let view = inputs.view;
    let decisive_stage = match reason {
        Reason::Withheld { stage } => Some(*stage),
        Reason::ResourcePolicyRequired { .. } | Reason::Anonymous | Reason::Service => {
            Some(Stage::ResourcePolicies)
        }
        _ => None,
    };
    let cross = facts.cross_account;
    let side = |s: Side| cross.then_some(s);

    // Resource-based policies.
    let mut resource = if !view.present(PolicyType::Resource) {
        let detail = match resource_required {
            Some(what) => {
                format!("no resource-based policy given, but {what} must allow this request")
            }
            None if cross => {
                "no resource-based policy given; across accounts one must allow".to_owned()
            }
            None => "no resource-based policy given".to_owned(),
        };
        let outcome = if resource_required.is_some()
            || cross
            || decisive_stage == Some(Stage::ResourcePolicies)
        {
            StageOutcome::ImplicitDeny
        } else {
            StageOutcome::NotPresent
        };
        step(Stage::ResourcePolicies, outcome, Vec::new(), detail)
    } else if !inputs.resource_allows.is_empty() {
        let how = inputs
            .resource_allows
            .iter()
            .filter_map(|s| s.principal_match)
            .min();
        let detail = match how {
            Some(PrincipalMatch::Exact) => "an Allow names the principal itself, which grants access on its own within one account",
            Some(PrincipalMatch::Everyone) => "an Allow names every principal (\"*\"), which grants access on its own within one account",
            Some(PrincipalMatch::Service) => "an Allow names the service principal",
            Some(PrincipalMatch::RoleArn) => "an Allow names the session's role, which grants access but stays limited by the boundary and session policy",
            Some(PrincipalMatch::Account) => "an Allow names the principal's account: that only delegates to the account, so an identity-based policy must also allow",
            _ => "an Allow matches the request",
        };
        let detail = if cross {
            "an Allow names the principal or its account: the resource's side allows"
        } else {
            detail
        };
        let mut s = step(
            Stage::ResourcePolicies,
            StageOutcome::Allowed,
            view.names(PolicyType::Resource),
            detail,
        );
        s.statements = refs(inputs.resource_allows);
        s
    } else {
        let needed =
            resource_required.is_some() || cross || decisive_stage == Some(Stage::ResourcePolicies);
        let detail = match (resource_required, cross) {
            (Some(what), _) => format!("{what} must allow this request, and no statement in it does"),
            (None, true) => "no statement allows this principal; across accounts the resource's policy must".to_owned(),
            (None, false) => "no statement allows this principal; access can still come from identity-based policies".to_owned(),
        };
        step(
            Stage::ResourcePolicies,
            if needed {
                StageOutcome::ImplicitDeny
            } else {
                StageOutcome::NoMatch
            },
            view.names(PolicyType::Resource),
            detail,
        )
    };
    resource.side = side(Side::Resource);
    resource.decisive = (decision == Decision::Allow && via.contains(&Stage::ResourcePolicies))
        || decisive_stage == Some(Stage::ResourcePolicies)
        || (cross && resource.outcome == StageOutcome::ImplicitDeny);
    steps.push(resource);

    let resource_only = decision == Decision::Allow && !via.contains(&Stage::IdentityPolicies);
    for (stage, t, present, allows, label, says) in [
        (
            Stage::PermissionsBoundary,
            PolicyType::PermissionsBoundary,
            inputs.boundary_present,
            inputs.boundary_allows,
            "permissions boundary",
            LimitTexts {
                not_given: "no permissions boundary given, so it does not limit the request",
                allows: "the permissions boundary allows the request",
                not_needed: "the permissions boundary does not allow the request, but the resource-based policy names the principal directly, which the permissions boundary does not limit",
                must: "the permissions boundary does not allow the request; when present it must",
            },
        ),
        (
            Stage::SessionPolicies,
            PolicyType::Session,
            inputs.session_present,
            inputs.session_allows,
            "session policy",
            LimitTexts {
                not_given: "no session policy given, so it does not limit the request",
                allows: "the session policy allows the request",
                not_needed: "the session policy does not allow the request, but the resource-based policy names the principal directly, which the session policy does not limit",
                must: "the session policy does not allow the request; when present it must",
            },
        ),
    ] {
        let mut s = if !view.present(t) {
            step(stage, StageOutcome::NotPresent, Vec::new(), says.not_given)
        } else if !present {
            let reason = view
                .of_type(t)
                .find_map(|p| p.not_applicable_reason)
                .unwrap_or_default();
            step(
                stage,
                StageOutcome::NotApplicable,
                view.names(t),
                format!("the {label} does not apply: {reason}"),
            )
        } else if allows {
            let mut s = step(stage, StageOutcome::Allowed, view.names(t), says.allows);
            s.statements = refs(&view.matched(t, Effect::Allow));
            s
        } else if resource_only {
            step(stage, StageOutcome::NoMatch, view.names(t), says.not_needed)
        } else {
            step(stage, StageOutcome::ImplicitDeny, view.names(t), says.must)
        };
        s.side = side(Side::Principal);
        s.decisive =
            decisive_stage == Some(stage) || (cross && s.outcome == StageOutcome::ImplicitDeny);
        steps.push(s);
    }

    let mut identity = if inputs.root {
        step(Stage::IdentityPolicies, StageOutcome::NotApplicable, view.names(PolicyType::Identity), "the account root user is not limited by identity-based policies: it has every permission in its account")
    } else if !view.present(PolicyType::Identity)
        || view.applicable(PolicyType::Identity).next().is_none()
    {
        let reason = view
            .of_type(PolicyType::Identity)
            .find_map(|p| p.not_applicable_reason);
        let (outcome, detail) = match reason {
            Some(r) => (StageOutcome::NotApplicable, format!("identity-based policies do not apply: {r}")),
            None if resource_only || decision == Decision::Allow => (StageOutcome::NotPresent, "no identity-based policy given; not needed here".to_owned()),
            None if matches!(facts.request.principal, Principal::Anonymous | Principal::Service { .. }) => (StageOutcome::NotApplicable, "this principal has no identity-based policies".to_owned()),
            None => (StageOutcome::ImplicitDeny, "no identity-based policy given, so nothing grants the request from the principal's side".to_owned()),
        };
        step(
            Stage::IdentityPolicies,
            outcome,
            view.names(PolicyType::Identity),
            detail,
        )
    } else if !inputs.identity_allows.is_empty() {
        let mut s = step(
            Stage::IdentityPolicies,
            StageOutcome::Allowed,
            view.names(PolicyType::Identity),
            "an identity-based policy allows the request",
        );
        s.statements = refs(inputs.identity_allows);
        s
    } else if resource_only {
        step(Stage::IdentityPolicies, StageOutcome::NoMatch, view.names(PolicyType::Identity), "no identity-based policy allows the request, but within one account the resource-based policy's grant is enough")
    } else {
        step(
            Stage::IdentityPolicies,
            StageOutcome::ImplicitDeny,
            view.names(PolicyType::Identity),
            "no identity-based policy allows the request",
        )
    };
    identity.side = side(Side::Principal);
    identity.decisive = (decision == Decision::Allow && via.contains(&Stage::IdentityPolicies))
        || decisive_stage == Some(Stage::IdentityPolicies)
        || (cross && identity.outcome == StageOutcome::ImplicitDeny);
    steps.push(identity);
}
