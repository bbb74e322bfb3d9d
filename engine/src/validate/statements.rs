//! Checks on whole statements and on what a policy type accepts:
//! `REDUNDANT_STATEMENT` (a statement another one already covers), the RCP
//! service list (`RCP_SYNTAX_ERROR_ACTION`), unique ids in `Principal`
//! (`INVALID_ROLE_REFERENCE`, `INVALID_USER_REFERENCE`) and federated
//! principals outside role trust policies (`FEDERATED_PRINCIPAL_NOT_SUPPORTED`).

use std::collections::HashSet;

use super::glob::{arn_covers, covers, placeholders_as_stars};
use super::{Context, PolicyKind};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::{PrincipalElement, PrincipalEntry, PrincipalKind, PrincipalSpec, Statement};
use crate::source::{Span, Spanned};
use crate::text::Text;

/// The principal entries of a statement (none for `"*"` or no principal).
pub(super) fn entries(statement: &Statement) -> &[PrincipalEntry] {
    match statement.principal.as_ref().map(|p| &p.spec) {
        Some(PrincipalSpec::Entries(entries)) => entries,
        _ => &[],
    }
}

/// Action patterns, lower-cased: literals looked up by text, the others
/// (with wildcards) compared one by one.
struct ActionSet {
    literals: HashSet<String>,
    wild: Vec<String>,
}

impl ActionSet {
    fn new(patterns: &[Spanned<Text>]) -> Self {
        let mut set = ActionSet {
            literals: HashSet::new(),
            wild: Vec::new(),
        };
        for p in patterns {
            let lower = p.value.to_ascii_lowercase();
            if lower.contains(['*', '?']) {
                set.wild.push(lower);
            } else {
                set.literals.insert(lower);
            }
        }
        set
    }

    /// Whether some pattern of the set matches every action `pattern` matches.
    fn covers(&self, pattern: &str) -> bool {
        let lower = pattern.to_ascii_lowercase();
        self.literals.contains(&lower) || self.wild.iter().any(|g| covers(g, &lower, false))
    }
}

/// What decides whether one statement covers another, computed once.
struct Shape<'a> {
    statement: &'a Statement,
    /// The principal element, normalised (negated, sorted entries).
    principal: Option<(bool, Vec<(&'static str, String)>)>,
    /// The condition entries, normalised and sorted.
    conditions: Vec<(String, String, Vec<String>)>,
    actions: ActionSet,
}

fn principal_key(p: Option<&PrincipalElement>) -> Option<(bool, Vec<(&'static str, String)>)> {
    let p = p?;
    let mut list: Vec<(&'static str, String)> = match &p.spec {
        PrincipalSpec::Any(_) => vec![("*", "*".to_owned())],
        PrincipalSpec::Entries(entries) => entries
            .iter()
            .map(|e| (e.kind.as_str(), e.value.value.to_string()))
            .collect(),
    };
    list.sort();
    list.dedup();
    Some((p.negated, list))
}

fn shape(statement: &Statement) -> Shape<'_> {
    let mut conditions: Vec<(String, String, Vec<String>)> = statement
        .conditions
        .iter()
        .map(|c| {
            let mut values: Vec<String> = c.values.iter().map(|v| v.text.to_string()).collect();
            values.sort();
            values.dedup();
            (
                c.operator_name.to_string(),
                c.key.value.to_ascii_lowercase(),
                values,
            )
        })
        .collect();
    conditions.sort();
    Shape {
        statement,
        principal: principal_key(statement.principal.as_ref()),
        conditions,
        actions: ActionSet::new(&statement.action.patterns),
    }
}

/// Whether resource pattern `general` covers `specific`: a pattern with a
/// policy variable covers only the same text; a variable in `specific`
/// stands for any text.
fn resource_covers(general: &str, specific: &str) -> bool {
    if general == specific {
        return true;
    }
    !general.contains("${") && arn_covers(general, &placeholders_as_stars(specific))
}

/// Whether every request `b`'s resources match, `a`'s match too.
fn resources_cover(a: &Statement, b: &Statement) -> bool {
    let star = [Spanned::new(Text::from("*"), Span::default())];
    let parts = |s: &'_ Statement| match &s.resource {
        Some(r) => (r.negated, r.patterns.clone()),
        None => (false, star.to_vec()),
    };
    let ((a_neg, a_pat), (b_neg, b_pat)) = (parts(a), parts(b));
    match (a_neg, b_neg) {
        (false, false) => b_pat
            .iter()
            .all(|s| a_pat.iter().any(|g| resource_covers(&g.value, &s.value))),
        // `NotResource`: what `a` excludes, `b` excludes too.
        (true, true) => a_pat
            .iter()
            .all(|g| b_pat.iter().any(|s| resource_covers(&s.value, &g.value))),
        _ => false,
    }
}

/// Whether every action `b` matches, `a` matches too.
fn actions_cover(a: &Shape<'_>, b: &Shape<'_>) -> bool {
    let (x, y) = (&a.statement.action, &b.statement.action);
    match (x.negated, y.negated) {
        (false, false) => y.patterns.iter().all(|p| a.actions.covers(&p.value)),
        (true, true) => x.patterns.iter().all(|p| b.actions.covers(&p.value)),
        _ => false,
    }
}

/// Whether statement `a` grants (or denies) everything `b` does: same
/// effect and principal, conditions the same or none, and the actions and
/// resources of `b` within those of `a`.
fn statement_covers(a: &Shape<'_>, b: &Shape<'_>) -> bool {
    a.statement.effect.value == b.statement.effect.value
        && a.principal == b.principal
        && (a.conditions.is_empty() || a.conditions == b.conditions)
        && resources_cover(a.statement, b.statement)
        && actions_cover(a, b)
}

/// The span that removes `statement` from the `Statement` array with one
/// comma, when its neighbour in the array was parsed.
fn statement_removal(statements: &[Statement], position: usize) -> Option<Span> {
    let this = statements.get(position)?;
    let before = position.checked_sub(1).and_then(|i| statements.get(i));
    if let Some(before) = before.filter(|b| b.index + 1 == this.index) {
        return Some(Span::new(before.span.end as usize, this.span.end as usize));
    }
    let after = statements
        .get(position + 1)
        .filter(|a| a.index == this.index + 1)?;
    Some(Span::new(
        this.span.start as usize,
        after.span.start as usize,
    ))
}

/// `REDUNDANT_STATEMENT`: a statement another statement of the policy
/// already covers. Of two that cover each other, the later is reported.
pub(super) fn redundant_statements(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let statements = &cx.policy.statements;
    if statements.len() < 2 {
        return;
    }
    let shapes: Vec<Shape<'_>> = statements.iter().map(shape).collect();
    for (i, b) in shapes.iter().enumerate() {
        let by = shapes
            .iter()
            .enumerate()
            .find(|&(j, a)| j != i && statement_covers(a, b) && (j < i || !statement_covers(b, a)));
        let Some((_, a)) = by else { continue };
        let (this, other) = (b.statement, a.statement);
        let what = if statement_covers(b, a) {
            format!(
                "statement `{}` repeats statement `{}`",
                this.label, other.label
            )
        } else {
            let verb = match this.effect.value {
                crate::policy::Effect::Allow => "allows",
                crate::policy::Effect::Deny => "denies",
            };
            format!(
                "statement `{}` is redundant: statement `{}` already {verb} everything it does",
                this.label, other.label,
            )
        };
        let mut d = Diagnostic::new(Severity::Suggestion, "redundant-statement", what, this.span)
            .with_help(format!(
                "remove statement `{}`; the policy means the same without it, and a later edit to only one of the two would be easy to miss",
                this.label
            ))
            .with_aws_issue("REDUNDANT_STATEMENT", "suggestion-redundant-statement");
        if let Some(span) = statement_removal(statements, i) {
            d = d.with_fix(
                format!("remove statement `{}`", this.label),
                vec![(span, String::new())],
            );
        }
        out.push(d);
    }
}

/// The services whose actions resource control policies accept (AWS
/// Organizations, "List of AWS services that support RCPs").
const RCP_SERVICES: &[&str] = &[
    "s3",
    "sts",
    "kms",
    "sqs",
    "secretsmanager",
    "ecr",
    "aoss",
    "cognito-identity",
    "logs",
    "dynamodb",
];

/// `RCP_SYNTAX_ERROR_ACTION`: an RCP action of a service RCPs do not cover.
pub(super) fn rcp_actions(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.kind != PolicyKind::Rcp {
        return;
    }
    for statement in &cx.policy.statements {
        for pattern in &statement.action.patterns {
            let Some((service, _)) = pattern.value.split_once(':') else {
                continue;
            };
            let service = service.to_ascii_lowercase();
            if service.contains(['*', '?']) || RCP_SERVICES.contains(&service.as_str()) {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    "rcp-unsupported-service",
                    format!("resource control policies do not apply to `{service}`, so `{}` has no effect here", pattern.value),
                    pattern.span,
                )
                .with_help(format!("RCPs cover only some services ({}); control this service with an SCP or its own resource policies", RCP_SERVICES.join(", ")))
                .with_aws_issue("RCP_SYNTAX_ERROR_ACTION", "error-rcp-syntax-error-action"),
            );
        }
    }
}

/// `INVALID_ROLE_REFERENCE` and `INVALID_USER_REFERENCE`: a role or user
/// named by its unique id rather than its ARN.
pub(super) fn unique_ids(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        for entry in entries(statement) {
            if entry.kind != PrincipalKind::Aws {
                continue;
            }
            let id = &entry.value.value;
            let Some(kind) = crate::parse::unique_id_kind(id) else {
                continue;
            };
            let (issue, anchor) = if kind == "role" {
                (
                    "INVALID_ROLE_REFERENCE",
                    "general-warning-invalid-role-reference",
                )
            } else {
                (
                    "INVALID_USER_REFERENCE",
                    "general-warning-invalid-user-reference",
                )
            };
            out.push(
                Diagnostic::warning(
                    "principal-unique-id",
                    format!("`{id}` is the unique id of an IAM {kind}, not its ARN: it names only that one {kind}, so a {kind} deleted and created again with the same name does not match"),
                    entry.value.span,
                )
                .with_help(format!("name the {kind} by its ARN, `arn:aws:iam::111122223333:{kind}/NAME`; IAM shows an id here when the {kind} it named was deleted, and then the entry can go"))
                .with_aws_issue(issue, anchor),
            );
        }
    }
}

/// `FEDERATED_PRINCIPAL_NOT_SUPPORTED`: a `Federated` principal in a
/// resource-based policy that is not a role trust policy. Only statements
/// without any `sts` action are reported: a statement that can assume a
/// role is likely a trust policy validated as a plain resource policy.
pub(super) fn federated_principals(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.kind != PolicyKind::Resource {
        return;
    }
    for statement in &cx.policy.statements {
        let may_assume = statement.action.negated
            || statement.action.patterns.iter().any(|p| {
                let lower = p.value.to_ascii_lowercase();
                lower == "*" || lower.starts_with("sts:") || lower.starts_with("st*")
            });
        if may_assume {
            continue;
        }
        for entry in entries(statement) {
            if entry.kind != PrincipalKind::Federated {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    "federated-principal-not-supported",
                    format!("only a role trust policy can name an identity provider such as `{}`; in this policy it matches no request", entry.value.value),
                    entry.value.span,
                )
                .with_help("name the accounts, users, roles or services that need access; federated users reach a resource through a role that trusts their provider")
                .with_aws_issue("FEDERATED_PRINCIPAL_NOT_SUPPORTED", "error-federated-principal-not-supported"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};

    fn found(text: &str, kind: PolicyKind, code: &str) -> Vec<String> {
        validate(text, kind, None)
            .into_iter()
            .filter(|d| d.code == code)
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_covered_statement_is_redundant() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "Wide", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"},
            {"Sid": "Narrow", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
             "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
            {"Sid": "Deny", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Sid": "Other", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
        let got = found(text, PolicyKind::Managed, "redundant-statement");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("`Narrow` is redundant: statement `Wide`"),
            "{got:?}"
        );
    }

    #[test]
    fn conditions_principals_and_not_elements_keep_statements_apart() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b/*"},
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/${aws:username}"},
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/alice"}]}"#;
        assert!(found(text, PolicyKind::Managed, "redundant-statement").is_empty());
        let principals = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert!(found(principals, PolicyKind::Resource, "redundant-statement").is_empty());
    }

    #[test]
    fn a_repeated_statement_is_removed_by_the_fix() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let d = validate(text, PolicyKind::Managed, None)
            .into_iter()
            .find(|d| d.code == "redundant-statement")
            .unwrap();
        assert!(
            d.message.contains("`#1` repeats statement `#0`"),
            "{}",
            d.message
        );
        let fixed = d.fix.unwrap().apply(text).unwrap();
        assert_eq!(
            fixed,
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#
        );
    }

    #[test]
    fn rcp_actions_of_other_services_are_reported() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*",
            "Action": ["s3:GetObject", "ec2:RunInstances", "kms:*"], "Resource": "*"}}"#;
        let got = found(text, PolicyKind::Rcp, "rcp-unsupported-service");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("`ec2`"), "{got:?}");
    }

    #[test]
    fn unique_ids_are_accepted_and_reported() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Principal": {"AWS": ["AROA1234567890EXAMPLE", "AIDACKCEVSQ6C2EXAMPLE"]},
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#;
        let all = validate(text, PolicyKind::Resource, None);
        assert!(!all.iter().any(|d| d.is_error()), "{all:?}");
        let got: Vec<_> = all
            .iter()
            .filter(|d| d.code == "principal-unique-id")
            .map(|d| d.aws_issue_code)
            .collect();
        assert_eq!(
            got,
            [
                Some("INVALID_ROLE_REFERENCE"),
                Some("INVALID_USER_REFERENCE")
            ]
        );
    }

    #[test]
    fn federated_principals_outside_trust_policies() {
        let bucket = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#;
        assert_eq!(
            found(
                bucket,
                PolicyKind::Resource,
                "federated-principal-not-supported"
            )
            .len(),
            1
        );
        let trust = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}}"#;
        assert!(found(
            trust,
            PolicyKind::Resource,
            "federated-principal-not-supported"
        )
        .is_empty());
        assert!(found(
            bucket,
            PolicyKind::RoleTrust,
            "federated-principal-not-supported"
        )
        .is_empty());
    }
}
