//! Checks of service condition keys whose misuse leaves a gap that the
//! policy's author did not mean: `s3:prefix` in a negative context
//! (`S3_PREFIX_IN_NEGATIVE_CONTEXT`) and `dynamodb:Attributes` without
//! `dynamodb:Select` (`DYNAMODB_ATTRIBUTES_WITHOUT_SELECT`); and in role
//! trust policies, keys whose values only an action that sets them
//! brings (`MISSING_ACTION_FOR_CONDITION_KEY`).

use super::Context;
use super::PolicyKind;
use crate::condition::{BaseOperator, OperatorFamily};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::{ConditionEntry, Effect, Statement};

/// `s3:prefix` in a `Deny` with a positive string operator, or in an
/// `Allow` with a negated one: a request with a shorter prefix (`priv`
/// for `private/`) falls outside the condition and lists the objects the
/// author meant to keep out of reach.
pub(super) fn s3_prefix_in_negative_context(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        let deny = statement.effect.value == Effect::Deny;
        for entry in &statement.conditions {
            let op = &entry.operator.value;
            if !entry.is_key("s3:prefix") || op.family() != OperatorFamily::String {
                continue;
            }
            if deny == op.is_negated() {
                continue;
            }
            let name = &entry.operator_name;
            let (effect, fix) = if deny {
                ("Deny", "deny with `StringNotLike` on the prefixes to allow")
            } else {
                ("Allow", "allow with `StringLike` on the prefixes to allow")
            };
            out.push(
                Diagnostic::new(
                    Severity::SecurityWarning,
                    "s3-prefix-in-negative-context",
                    format!("`s3:prefix` with `{name}` in a `{effect}` does not keep those prefixes from being listed: a request with a shorter prefix falls outside the condition"),
                    entry.key.span,
                )
                .with_help(format!("{fix}, so that a request with any other prefix, or none, is not allowed"))
                .with_aws_issue(
                    "S3_PREFIX_IN_NEGATIVE_CONTEXT",
                    "security-warning-s3-prefix-in-negative-context",
                ),
            );
        }
    }
}

/// Whether `entry` requires `dynamodb:Select` to be `SPECIFIC_ATTRIBUTES`
/// (`StringEquals`, with or without `IfExists`, and that value only).
fn selects_specific_attributes(entry: &ConditionEntry) -> bool {
    let op = &entry.operator.value;
    entry.is_key("dynamodb:Select")
        && op.base == BaseOperator::StringEquals
        && op.qualifier.is_none()
        && !entry.values.is_empty()
        && entry.values.iter().all(|v| v.text == "SPECIFIC_ATTRIBUTES")
}

/// An `Allow` that limits `dynamodb:Attributes` without requiring
/// `dynamodb:Select` = `SPECIFIC_ATTRIBUTES`: DynamoDB checks the
/// attributes only of requests that name them, so a read that names none
/// returns whole items.
pub(super) fn dynamodb_attributes_without_select(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        if statement.effect.value != Effect::Allow {
            continue;
        }
        let conditions = &statement.conditions;
        if conditions.iter().any(selects_specific_attributes) {
            continue;
        }
        let Some(attributes) = conditions.iter().find(|e| e.is_key("dynamodb:Attributes")) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Severity::SecurityWarning,
                "dynamodb-attributes-without-select",
                "`dynamodb:Attributes` limits only requests that name their attributes: a read that names none returns whole items",
                attributes.key.span,
            )
            .with_help("also require `\"StringEquals\": {\"dynamodb:Select\": \"SPECIFIC_ATTRIBUTES\"}` in this statement (`StringEqualsIfExists` for actions without `Select`)")
            .with_aws_issue(
                "DYNAMODB_ATTRIBUTES_WITHOUT_SELECT",
                "security-warning-dynamodb-attributes-without-select",
            ),
        );
    }
}

/// The action a role trust policy's statement must allow for a request to
/// carry `key`: session tags come with `sts:TagSession`, a source identity
/// with `sts:SetSourceIdentity`.
fn setting_action(key: &str) -> Option<&'static str> {
    let lower = key.to_ascii_lowercase();
    if lower.starts_with("aws:requesttag/")
        || lower == "aws:tagkeys"
        || lower == "sts:transitivetagkeys"
    {
        Some("sts:TagSession")
    } else if lower == "sts:sourceidentity" {
        Some("sts:SetSourceIdentity")
    } else {
        None
    }
}

/// Whether the statement's `Action` allows `action` (a `NotAction`
/// statement is left alone).
fn allows_action(statement: &Statement, action: &str) -> bool {
    let element = &statement.action;
    element.negated
        || element
            .compiled
            .iter()
            .any(|p| p.matches_ignore_case(action))
}

/// In a role trust policy, an `Allow` whose condition reads session tags
/// or the source identity without allowing the action that sets them:
/// requests that set them are refused, and the others lack the key.
pub(super) fn missing_action_for_key(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.kind != PolicyKind::RoleTrust {
        return;
    }
    for statement in &cx.policy.statements {
        if statement.effect.value != Effect::Allow {
            continue;
        }
        let mut reported: Vec<&str> = Vec::new();
        for entry in &statement.conditions {
            let key = entry.key.value.as_str();
            let Some(action) = setting_action(key) else {
                continue;
            };
            if allows_action(statement, action) || reported.contains(&action) {
                continue;
            }
            reported.push(action);
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    "missing-action-for-condition-key",
                    format!("`{key}` has a value only in requests that `{action}` allows, and this statement does not allow `{action}`"),
                    entry.key.span,
                )
                .with_help(format!("add `{action}` to the statement's `Action`"))
                .with_aws_issue(
                    "MISSING_ACTION_FOR_CONDITION_KEY",
                    "error-missing-action-for-condition-key",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};

    /// The codes of this module's findings for one statement.
    fn codes(effect: &str, action: &str, condition: &str) -> Vec<&'static str> {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "{effect}", "Action": "{action}",
            "Resource": "*", "Condition": {condition}}}}}"#
        );
        validate(&text, PolicyKind::Managed, None)
            .iter()
            .map(|d| d.code)
            .filter(|c| c.starts_with("s3-") || c.starts_with("dynamodb-"))
            .collect()
    }

    /// The codes of a role trust policy's findings from this module.
    fn trust_codes(statement: &str) -> Vec<&'static str> {
        let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{statement}]}}"#);
        validate(&text, PolicyKind::RoleTrust, None)
            .iter()
            .map(|d| d.code)
            .filter(|c| *c == "missing-action-for-condition-key")
            .collect()
    }

    #[test]
    fn session_keys_need_the_action_that_sets_them() {
        let principal = r#""Principal": {"AWS": "arn:aws:iam::111122223333:role/ci""#;
        let without = format!(
            r#"{{"Effect": "Allow", {principal}}}, "Action": "sts:AssumeRole", "Condition": {{"StringEquals": {{"aws:RequestTag/project": "blue", "aws:TagKeys": "project", "sts:SourceIdentity": "alice"}}}}}}"#
        );
        assert_eq!(
            trust_codes(&without),
            [
                "missing-action-for-condition-key",
                "missing-action-for-condition-key"
            ],
            "one finding per missing action"
        );
        let with = without.replace(
            r#""Action": "sts:AssumeRole""#,
            r#""Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]"#,
        );
        assert!(trust_codes(&with).is_empty());
        let star = without.replace(r#""sts:AssumeRole""#, r#""sts:*""#);
        assert!(trust_codes(&star).is_empty());
        // Identity policies tag resources with `aws:RequestTag`: not checked.
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "ec2:CreateTags", "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestTag/project": "blue"}}}}"#;
        assert!(!validate(text, PolicyKind::Managed, None)
            .iter()
            .any(|d| d.code == "missing-action-for-condition-key"));
    }

    #[test]
    fn s3_prefix_in_a_negative_context() {
        let warned = [
            ("Deny", r#"{"StringLike": {"s3:prefix": "private/*"}}"#),
            ("Deny", r#"{"StringEquals": {"S3:Prefix": "private/"}}"#),
            ("Allow", r#"{"StringNotLike": {"s3:prefix": "private/*"}}"#),
            (
                "Allow",
                r#"{"StringNotEqualsIfExists": {"s3:prefix": "private/"}}"#,
            ),
        ];
        for (effect, condition) in warned {
            assert_eq!(
                codes(effect, "s3:ListBucket", condition),
                ["s3-prefix-in-negative-context"],
                "{effect} {condition}"
            );
        }
        // AWS's two recommended forms.
        for (effect, condition) in [
            (
                "Allow",
                r#"{"StringLike": {"s3:prefix": ["home/", "home/alice/*"]}}"#,
            ),
            (
                "Deny",
                r#"{"StringNotLike": {"s3:prefix": "home/alice/*"}}"#,
            ),
            ("Deny", r#"{"Null": {"s3:prefix": "true"}}"#),
        ] {
            assert!(
                codes(effect, "s3:ListBucket", condition).is_empty(),
                "{effect} {condition}"
            );
        }
    }

    #[test]
    fn dynamodb_attributes_need_select() {
        let attributes = r#""ForAllValues:StringEquals": {"dynamodb:Attributes": ["id", "name"]}"#;
        assert_eq!(
            codes("Allow", "dynamodb:GetItem", &format!("{{{attributes}}}")),
            ["dynamodb-attributes-without-select"]
        );
        for select in [
            r#""StringEquals": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}"#,
            r#""StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"}"#,
        ] {
            let condition = format!("{{{attributes}, {select}}}");
            assert!(
                codes("Allow", "dynamodb:GetItem", &condition).is_empty(),
                "{select}"
            );
        }
        // Allowing any `Select` leaves the gap open.
        let condition = format!(
            r#"{{{attributes}, "StringEquals": {{"dynamodb:Select": ["SPECIFIC_ATTRIBUTES", "ALL_ATTRIBUTES"]}}}}"#
        );
        assert_eq!(
            codes("Allow", "dynamodb:GetItem", &condition),
            ["dynamodb-attributes-without-select"]
        );
        // A Deny is left alone: requiring `Select` there would not help.
        let condition = r#"{"ForAnyValue:StringEquals": {"dynamodb:Attributes": ["ssn"]}}"#;
        assert!(codes("Deny", "dynamodb:GetItem", condition).is_empty());
    }
}
