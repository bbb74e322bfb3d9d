//! From the engine's trace to what the explanation shows: names, marks,
//! which policies and statements belong to which step, which statement the
//! caret is in. No DOM here, so it is unit-tested natively.

use iam_engine::condition::{ConditionTrace, SetQualifier};
use iam_engine::explain::{
    Check, PolicyTrace, PrincipalMatch, Stage, StageOutcome, StatementRef, StatementResult,
    StatementTrace, Step,
};
use iam_engine::policy::Effect;
use iam_engine::source::Span;
use iam_engine::{Decision, Evaluation, PolicyType};

use crate::workspace::PolicyDraft;

/// The stage as the `data-stage` attribute writes it (the engine's JSON name).
pub fn stage_slug(stage: Stage) -> &'static str {
    match stage {
        Stage::DenyEvaluation => "deny_evaluation",
        Stage::ResourceControlPolicies => "resource_control_policies",
        Stage::ServiceControlPolicies => "service_control_policies",
        Stage::ResourcePolicies => "resource_policies",
        Stage::PermissionsBoundary => "permissions_boundary",
        Stage::SessionPolicies => "session_policies",
        Stage::IdentityPolicies => "identity_policies",
    }
}

/// The outcome as the `data-outcome` attribute writes it (the engine's JSON name).
pub fn outcome_slug(outcome: StageOutcome) -> &'static str {
    match outcome {
        StageOutcome::ExplicitDeny => "explicit_deny",
        StageOutcome::NoDeny => "no_deny",
        StageOutcome::Allowed => "allowed",
        StageOutcome::ImplicitDeny => "implicit_deny",
        StageOutcome::NoMatch => "no_match",
        StageOutcome::NotPresent => "not_present",
        StageOutcome::NotApplicable => "not_applicable",
        StageOutcome::NotReached => "not_reached",
    }
}

/// The CSS modifier of a decision (`allow`, `explicit-deny`, `implicit-deny`).
pub fn decision_class(decision: Decision) -> &'static str {
    match decision {
        Decision::Allow => "allow",
        Decision::ExplicitDeny => "explicit-deny",
        Decision::ImplicitDeny => "implicit-deny",
    }
}

/// A tone for a stage outcome: `good`, `bad` or `neutral`.
pub fn outcome_tone(outcome: StageOutcome) -> &'static str {
    match outcome {
        StageOutcome::NoDeny | StageOutcome::Allowed => "good",
        StageOutcome::ExplicitDeny | StageOutcome::ImplicitDeny => "bad",
        _ => "neutral",
    }
}

/// The policy type a stage looks at (`None` for deny evaluation, which looks
/// at every applicable policy).
pub fn stage_policy_type(stage: Stage) -> Option<PolicyType> {
    match stage {
        Stage::DenyEvaluation => None,
        Stage::ResourceControlPolicies => Some(PolicyType::Rcp),
        Stage::ServiceControlPolicies => Some(PolicyType::Scp),
        Stage::ResourcePolicies => Some(PolicyType::Resource),
        Stage::PermissionsBoundary => Some(PolicyType::PermissionsBoundary),
        Stage::SessionPolicies => Some(PolicyType::Session),
        Stage::IdentityPolicies => Some(PolicyType::Identity),
    }
}

/// The stage that shows a statement: `Deny`s in deny evaluation, `Allow`s
/// in their policy type's stage.
pub fn statement_stage(policy_type: PolicyType, effect: Effect) -> Stage {
    if effect == Effect::Deny {
        return Stage::DenyEvaluation;
    }
    match policy_type {
        PolicyType::Identity => Stage::IdentityPolicies,
        PolicyType::Resource => Stage::ResourcePolicies,
        PolicyType::PermissionsBoundary => Stage::PermissionsBoundary,
        PolicyType::Scp => Stage::ServiceControlPolicies,
        PolicyType::Rcp => Stage::ResourceControlPolicies,
        PolicyType::Session => Stage::SessionPolicies,
    }
}

/// One policy as a step shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct StepPolicy<'a> {
    /// Its index in `evaluation.policies` (and in the workspace).
    pub index: usize,
    /// Its trace.
    pub trace: &'a PolicyTrace,
    /// The statements this step is about (`Deny`s or `Allow`s).
    pub statements: Vec<&'a StatementResult>,
    /// How many statements of the other effect it has (shown elsewhere).
    pub other_effect: usize,
}

/// The policies and statements a step looks at. Deny evaluation shows the
/// `Deny` statements of every policy it looked at; every other stage shows
/// the `Allow` statements of the policies of its type, including ones that
/// do not apply (with their reason).
pub fn step_policies<'a>(evaluation: &'a Evaluation, step: &Step) -> Vec<StepPolicy<'a>> {
    let effect = if step.stage == Stage::DenyEvaluation {
        Effect::Deny
    } else {
        Effect::Allow
    };
    evaluation
        .policies
        .iter()
        .enumerate()
        .filter(|(_, p)| match stage_policy_type(step.stage) {
            Some(t) => p.policy_type == t,
            None => step.policies.contains(&p.name),
        })
        .map(|(index, trace)| {
            let statements: Vec<&StatementResult> = trace
                .statements
                .iter()
                .filter(|s| s.effect == effect)
                .collect();
            StepPolicy {
                index,
                trace,
                other_effect: trace.statements.len() - statements.len(),
                statements,
            }
        })
        .collect()
}

/// The element's name as written: `Action`, `NotResource`, `Condition`, ….
pub fn element_name(check: &Check) -> &'static str {
    match check {
        Check::Action(c) if c.negated => "NotAction",
        Check::Action(_) => "Action",
        Check::Resource(c) if c.negated => "NotResource",
        Check::Resource(_) => "Resource",
        Check::Principal(c) if c.negated => "NotPrincipal",
        Check::Principal(_) => "Principal",
        Check::Condition(_) => "Condition",
    }
}

/// The text to highlight for an element.
pub fn check_span(check: &Check) -> Span {
    match check {
        Check::Action(c) | Check::Resource(c) => c.span,
        Check::Principal(c) => c.span,
        Check::Condition(c) => condition_span(c),
    }
}

/// A condition's text: from its operator to its last value.
pub fn condition_span(c: &ConditionTrace) -> Span {
    c.comparisons
        .iter()
        .map(|cmp| cmp.span)
        .fold(c.operator_span.join(c.key_span), |a, b| {
            if b.is_empty() {
                a
            } else {
                a.join(b)
            }
        })
}

/// How a principal entry named the request's principal.
pub fn principal_match_text(m: Option<PrincipalMatch>) -> &'static str {
    match m {
        Some(PrincipalMatch::Everyone) => "matches everyone",
        Some(PrincipalMatch::Exact) => "names the principal itself",
        Some(PrincipalMatch::RoleArn) => "names the role of this session",
        Some(PrincipalMatch::Account) => "names the principal's account",
        Some(PrincipalMatch::Service) => "names this service",
        Some(PrincipalMatch::NotListed) => "does not list the principal",
        None => "does not name the principal",
    }
}

/// A match mark and its words.
pub fn mark(matched: bool) -> (&'static str, &'static str) {
    if matched {
        ("✓", "matches")
    } else {
        ("✗", "does not match")
    }
}

/// What the element's outcome means for its statement, in a few words.
pub fn check_verdict(check: &Check) -> &'static str {
    let matched = check.matched();
    match check {
        Check::Condition(_) if matched => "holds",
        Check::Condition(_) => "does not hold",
        Check::Action(c) | Check::Resource(c) if c.negated => {
            if matched {
                "matches (no pattern lists the request)"
            } else if c.patterns.iter().any(|p| p.matched) {
                "does not match (a pattern lists the request)"
            } else {
                "does not match (a pattern's policy variable has no value)"
            }
        }
        Check::Principal(c) if c.negated => {
            if matched {
                "matches (the principal is not listed)"
            } else {
                "does not match (the principal is listed)"
            }
        }
        _ => mark(matched).1,
    }
}

/// The condition's operator as written, with its qualifier.
pub fn operator_label(c: &ConditionTrace) -> String {
    match c.qualifier {
        Some(q) if !c.operator.starts_with(q.name()) => format!("{}:{}", q.name(), c.operator),
        _ => c.operator.to_string(),
    }
}

/// How a set qualifier reads.
pub fn qualifier_rule(q: SetQualifier) -> &'static str {
    match q {
        SetQualifier::ForAllValues => "every request value must match a policy value",
        SetQualifier::ForAnyValue => "at least one request value must match a policy value",
    }
}

/// A one-line summary of why a statement did not match: the elements that
/// failed, or that all matched.
pub fn statement_gist(s: &StatementTrace) -> String {
    let failed: Vec<&str> = s
        .checks
        .iter()
        .filter(|c| !c.matched())
        .map(element_name)
        .collect();
    if s.matched {
        "every element matches".to_owned()
    } else if failed.is_empty() {
        "does not match".to_owned()
    } else {
        match failed.split_last() {
            Some((last, [])) => format!("{last} does not match"),
            Some((last, rest)) => format!("{} and {last} do not match", rest.join(", ")),
            None => "does not match".to_owned(),
        }
    }
}

/// The key of a statement in the open/closed map.
pub fn statement_key(stage: Stage, at: &StatementRef) -> String {
    format!("{}/{}/{}", stage_slug(stage), at.policy, at.index)
}

/// The draft id of the policy at `index` of the evaluation, when the
/// workspace still holds it there (same order, same name).
pub fn draft_id(drafts: &[PolicyDraft], evaluation: &Evaluation, index: usize) -> Option<u32> {
    let trace = evaluation.policies.get(index)?;
    drafts
        .get(index)
        .filter(|d| d.name == trace.name)
        .map(|d| d.id)
}

/// The statement whose text holds the caret (`draft id`, byte offset), and
/// the stage that shows it.
pub fn statement_at_caret(
    drafts: &[PolicyDraft],
    evaluation: &Evaluation,
    caret: (u32, usize),
) -> Option<(Stage, StatementRef)> {
    let (id, offset) = caret;
    let index = drafts.iter().position(|d| d.id == id)?;
    if draft_id(drafts, evaluation, index) != Some(id) {
        return None;
    }
    let policy = evaluation.policies.get(index)?;
    let offset = u32::try_from(offset).ok()?;
    policy
        .statements
        .iter()
        .find(|s| s.span.start <= offset && offset <= s.span.end)
        .map(|s| {
            (
                statement_stage(policy.policy_type, s.effect),
                policy.statements.at(s),
            )
        })
}

/// Whether a step starts open: the steps that decided.
pub fn step_open_by_default(step: &Step) -> bool {
    step.decisive
}

/// Whether a statement starts open: the ones that produced its step's
/// outcome, and every statement of a step that decided because none matched.
pub fn statement_open_by_default(step: &Step, policy: &PolicyTrace, s: &StatementResult) -> bool {
    step.statements.iter().any(|at| policy.statements.is(s, at))
        || (step.decisive && step.statements.is_empty())
}

/// Whether a condition operator is negated (`StringNotEquals`,
/// `NotIpAddress`, …): it holds when no policy value matches.
pub fn is_negated_operator(c: &ConditionTrace) -> bool {
    c.operator.contains("Not")
}

/// Text with `backtick` spans split out: `(text, is_code)` pieces.
pub fn code_spans(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        let after = rest.get(open + 1..).unwrap_or("");
        let Some(close) = after.find('`') else {
            break;
        };
        if open > 0 {
            out.push((rest.get(..open).unwrap_or(""), false));
        }
        out.push((after.get(..close).unwrap_or(""), true));
        rest = after.get(close + 1..).unwrap_or("");
    }
    if !rest.is_empty() {
        out.push((rest, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::Workspace;

    fn evaluate(file: &str) -> (Workspace, Evaluation) {
        let ws = Workspace::from_scenario_text(file).unwrap();
        let (scenario, bad) = ws.to_scenario();
        assert!(bad.is_empty());
        (ws, iam_engine::evaluate(&scenario).unwrap())
    }

    const G02: &str = include_str!("../../../../tests/corpus/gallery/02-s3-admin-deny-secret.json");
    const G03: &str = include_str!("../../../../tests/corpus/gallery/03-cross-account-bucket.json");
    const G11: &str = include_str!("../../../../tests/corpus/gallery/11-notaction-trap.json");
    const G13: &str = include_str!("../../../../tests/corpus/gallery/13-kms-key-policy.json");
    const G12: &str = include_str!("../../../../tests/corpus/gallery/12-forallvalues-trap.json");

    #[test]
    fn slugs_are_the_engines_json_names() {
        let (_, e) = evaluate(G03);
        for step in &e.steps {
            let json = serde_json::to_value(step).unwrap();
            assert_eq!(json["stage"], stage_slug(step.stage));
            assert_eq!(json["outcome"], outcome_slug(step.outcome));
        }
        for o in StageOutcome::ALL {
            assert_eq!(serde_json::to_value(o).unwrap(), outcome_slug(o));
        }
    }

    #[test]
    fn deny_evaluation_shows_denies_and_other_stages_show_allows() {
        let (_, e) = evaluate(G02);
        let deny = &e.steps[0];
        let shown = step_policies(&e, deny);
        assert_eq!(shown.len(), 1);
        assert!(shown[0].statements.iter().all(|s| s.effect == Effect::Deny));
        assert!(!shown[0].statements.is_empty());
        assert!(shown[0]
            .statements
            .iter()
            .any(|s| statement_open_by_default(deny, shown[0].trace, s)));
        let identity = e
            .steps
            .iter()
            .find(|s| s.stage == Stage::IdentityPolicies)
            .unwrap();
        let shown = step_policies(&e, identity);
        assert!(shown[0]
            .statements
            .iter()
            .all(|s| s.effect == Effect::Allow));
        assert_eq!(
            shown[0].statements.len() + shown[0].other_effect,
            shown[0].trace.statements.len()
        );
        // Stages without policies of their type show none.
        let scp = e
            .steps
            .iter()
            .find(|s| s.stage == Stage::ServiceControlPolicies)
            .unwrap();
        assert!(step_policies(&e, scp).is_empty());
    }

    #[test]
    fn cross_account_steps_map_to_their_policies() {
        let (ws, e) = evaluate(G03);
        let resource = e
            .steps
            .iter()
            .find(|s| s.stage == Stage::ResourcePolicies)
            .unwrap();
        let shown = step_policies(&e, resource);
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].trace.name, "PartnerBucketPolicy");
        assert_eq!(
            draft_id(&ws.policies, &e, shown[0].index),
            Some(ws.policies[shown[0].index].id)
        );
        let principal = shown[0]
            .trace
            .statements
            .checks(shown[0].statements[0])
            .into_iter()
            .find_map(|c| match c {
                Check::Principal(p) => Some(p),
                _ => None,
            })
            .unwrap();
        assert!(principal.matched);
        assert!(principal
            .entries
            .iter()
            .any(|en| principal_match_text(en.matched) == "names the principal's account"));
    }

    #[test]
    fn spans_point_at_the_drafts_text() {
        let (ws, e) = evaluate(G03);
        for (i, p) in e.policies.iter().enumerate() {
            let text = &ws.policies[i].text;
            for s in &p.statements {
                assert!(s.span.slice(text).starts_with('{'), "{:?}", s.span);
                for c in &p.statements.checks(s) {
                    let t = check_span(c).slice(text);
                    assert!(
                        t.starts_with(&format!("\"{}\"", element_name(c)))
                            || matches!(c, Check::Condition(_)),
                        "{t}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_caret_finds_its_statement_and_stage() {
        let (ws, e) = evaluate(G02);
        let draft = &ws.policies[0];
        let deny = e.policies[0]
            .statements
            .iter()
            .find(|s| s.effect == Effect::Deny)
            .unwrap();
        let inside = deny.span.start as usize + 3;
        let (stage, at) = statement_at_caret(&ws.policies, &e, (draft.id, inside)).unwrap();
        assert_eq!(stage, Stage::DenyEvaluation);
        assert_eq!(at, e.policies[0].statements.at(deny));
        assert_eq!(statement_at_caret(&ws.policies, &e, (draft.id, 0)), None);
        assert_eq!(statement_at_caret(&ws.policies, &e, (999, inside)), None);
        // A renamed draft no longer maps to the (older) evaluation.
        let mut renamed = ws.policies.clone();
        renamed[0].name = "Other".into();
        assert_eq!(draft_id(&renamed, &e, 0), None);
    }

    #[test]
    fn elements_conditions_and_gists_read_well() {
        let (ws, e) = evaluate(G12);
        let cond = e
            .policies
            .iter()
            .flat_map(|p| p.statements.iter().flat_map(|s| p.statements.conditions(s)))
            .next()
            .unwrap();
        assert_eq!(operator_label(&cond), "ForAllValues:StringEquals");
        assert_eq!(cond.request_values, None);
        assert!(!cond.note.as_ref().unwrap().to_string().is_empty());
        let text = &ws.policies[0].text;
        assert!(condition_span(&cond)
            .slice(text)
            .starts_with("\"ForAllValues:StringEquals\""));
        let (_, e) = evaluate(G11);
        let notaction = e
            .policies
            .iter()
            .flat_map(|p| p.statements.iter().flat_map(|s| p.statements.checks(s)))
            .find(|c| element_name(c) == "NotAction")
            .unwrap();
        assert!(check_verdict(&notaction).contains("pattern lists the request"));
        let unmatched = e
            .policies
            .iter()
            .flat_map(|p| p.statements.traces())
            .find(|s| !s.matched);
        if let Some(s) = unmatched {
            assert!(statement_gist(&s).ends_with("not match"));
        }
        let (_, e) = evaluate(G13);
        let admins = e.policies[0].statements.trace(&e.policies[0].statements[0]);
        assert_eq!(statement_gist(&admins), "Principal and Action do not match");
        assert_eq!(mark(true), ("✓", "matches"));
        assert_eq!(
            code_spans("request value `abc` is not a number"),
            [
                ("request value ", false),
                ("abc", true),
                (" is not a number", false)
            ]
        );
        assert_eq!(
            code_spans("`a``b` c `d"),
            [("a", true), ("b", true), (" c `d", false)]
        );
        assert_eq!(code_spans(""), []);
        assert_eq!(decision_class(Decision::ExplicitDeny), "explicit-deny");
    }
}
