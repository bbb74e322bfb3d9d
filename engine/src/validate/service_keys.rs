//! Checks of service condition keys whose misuse leaves a gap that the
//! policy's author did not mean: `s3:prefix` in a negative context
//! (`S3_PREFIX_IN_NEGATIVE_CONTEXT`) and `dynamodb:Attributes` without
//! `dynamodb:Select` (`DYNAMODB_ATTRIBUTES_WITHOUT_SELECT`).

use super::Context;
use crate::condition::{BaseOperator, OperatorFamily};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::{ConditionEntry, Effect};

/// Whether `entry` is about `key` (condition keys ignore case).
fn is_key(entry: &ConditionEntry, key: &str) -> bool {
    entry.key.value.eq_ignore_ascii_case(key)
}

/// `s3:prefix` in a `Deny` with a positive string operator, or in an
/// `Allow` with a negated one: a request with a shorter prefix (`priv`
/// for `private/`) falls outside the condition and lists the objects the
/// author meant to keep out of reach.
pub(super) fn s3_prefix_in_negative_context(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        let deny = statement.effect.value == Effect::Deny;
        for entry in &statement.conditions {
            let op = &entry.operator.value;
            if !is_key(entry, "s3:prefix") || op.family() != OperatorFamily::String {
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
    is_key(entry, "dynamodb:Select")
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
        let Some(attributes) = conditions.iter().find(|e| is_key(e, "dynamodb:Attributes")) else {
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
