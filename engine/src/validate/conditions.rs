//! Checks of `Condition` blocks that need no catalogue:
//! `EQUIVALENT_TO_NULL_FALSE` and `INVALID_SERVICE_PRINCIPAL_FORMAT`.

use super::Context;
use crate::condition::{BaseOperator, OperatorFamily};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::ConditionEntry;

/// `"StringLike": {"KEY": "*"}` holds exactly when the request has `KEY`:
/// `"Null": {"KEY": "false"}` says so directly.
pub(super) fn equivalent_to_null_false(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        let conditions = &statement.conditions;
        for entry in conditions {
            let op = &entry.operator.value;
            let like = matches!(op.base, BaseOperator::StringLike | BaseOperator::ArnLike);
            if !like || op.qualifier.is_some() || op.if_exists {
                continue;
            }
            let Some(star) = entry.values.iter().find(|v| v.text == "*") else {
                continue;
            };
            let key = &entry.key.value;
            let mut d = Diagnostic::new(
                Severity::Suggestion,
                "equivalent-to-null-false",
                format!(
                    "`{}` with `*` matches any value of `{key}`, so it only tests that the request has the key",
                    entry.operator_name
                ),
                star.span,
            )
            .with_help(format!("write `\"Null\": {{\"{key}\": \"false\"}}`, which says so directly"))
            .with_aws_issue("EQUIVALENT_TO_NULL_FALSE", "suggestion-equivalent-to-null-false");
            if let Some(edits) = null_false_edits(conditions, entry) {
                d = d.with_fix(
                    format!("replace with `\"Null\": {{\"{key}\": \"false\"}}`"),
                    edits,
                );
            }
            out.push(d);
        }
    }
}

/// The edits that turn the operator into `Null` and the value into
/// `"false"`: only when the operator block holds just this key, its only
/// value is `*`, and the statement has no `Null` block yet.
fn null_false_edits(
    conditions: &[ConditionEntry],
    entry: &ConditionEntry,
) -> Option<Vec<(crate::source::Span, String)>> {
    let alone = conditions
        .iter()
        .filter(|c| c.operator.span == entry.operator.span)
        .count()
        == 1;
    let has_null = conditions
        .iter()
        .any(|c| c.operator.value.base == BaseOperator::Null);
    let [value] = entry.values.as_slice() else {
        return None;
    };
    (alone && !has_null).then(|| {
        vec![
            (entry.operator.span, "\"Null\"".to_owned()),
            (value.span, "\"false\"".to_owned()),
        ]
    })
}

/// Condition keys whose values are service principals.
const SERVICE_PRINCIPAL_KEYS: &[&str] = &[
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "iam:PassedToService",
    "iam:AWSServiceName",
];

/// Whether `value` can be a service principal, or a pattern of some.
fn looks_like_service_principal(value: &str) -> bool {
    let charset = value.chars().all(|c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '*' | '?')
    });
    let suffix = [".amazonaws.com", ".amazonaws.com.cn", ".amazon.com"]
        .iter()
        .any(|s| value.ends_with(s));
    charset && value.contains('.') && (suffix || value.contains(['*', '?']))
}

/// A string condition on a key that holds service principals
/// (`iam:PassedToService`, `aws:CalledVia`, …) with a value no service
/// principal has, such as `ec2` for `ec2.amazonaws.com`.
pub(super) fn service_principal_format(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        for entry in &statement.conditions {
            let op = &entry.operator.value;
            if op.family() != OperatorFamily::String {
                continue;
            }
            let key = &entry.key.value;
            if !SERVICE_PRINCIPAL_KEYS
                .iter()
                .any(|k| k.eq_ignore_ascii_case(key))
            {
                continue;
            }
            for value in &entry.values {
                let text = value.text.as_str();
                if text.contains("${") || looks_like_service_principal(text) {
                    continue;
                }
                let suggestion = format!(
                    "{}.amazonaws.com",
                    text.trim_end_matches(".amazonaws.com").to_ascii_lowercase()
                );
                out.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "invalid-service-principal-format",
                        format!("`{text}` is not a service principal, so `{key}` never equals it"),
                        value.span,
                    )
                    .with_help(format!(
                        "service principals look like `{suggestion}` (`SERVICE.amazonaws.com`)"
                    ))
                    .with_aws_issue(
                        "INVALID_SERVICE_PRINCIPAL_FORMAT",
                        "error-invalid-service-principal-format",
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};

    fn policy(condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": "iam:PassRole",
            "Resource": "arn:aws:iam::111122223333:role/app", "Condition": {condition}}}}}"#
        )
    }

    #[test]
    fn string_like_star_is_null_false() {
        let text = policy(r#"{"StringLike": {"aws:ResourceTag/team": "*"}}"#);
        let found = validate(&text, PolicyKind::Managed, None);
        let d = found
            .iter()
            .find(|d| d.code == "equivalent-to-null-false")
            .unwrap();
        assert_eq!(d.aws_issue_code, Some("EQUIVALENT_TO_NULL_FALSE"));
        let fixed = d.fix.as_ref().unwrap().apply(&text).unwrap();
        assert!(
            fixed.contains(r#"{"Null": {"aws:ResourceTag/team": "false"}}"#),
            "{fixed}"
        );
        let found = validate(
            &policy(r#"{"StringLikeIfExists": {"aws:ResourceTag/team": "*"}}"#),
            PolicyKind::Managed,
            None,
        );
        assert!(!found.iter().any(|d| d.code == "equivalent-to-null-false"));
        let found = validate(
            &policy(r#"{"StringLike": {"aws:ResourceTag/team": ["*", "x"]}}"#),
            PolicyKind::Managed,
            None,
        );
        let d = found
            .iter()
            .find(|d| d.code == "equivalent-to-null-false")
            .unwrap();
        assert!(d.fix.is_none());
    }

    #[test]
    fn service_principals_need_their_domain() {
        let found = validate(
            &policy(
                r#"{"StringEquals": {"iam:PassedToService": ["ec2", "lambda.amazonaws.com", "ec2.amazonaws.com.cn", "ecs*"]}}"#,
            ),
            PolicyKind::Managed,
            None,
        );
        let bad: Vec<_> = found
            .iter()
            .filter(|d| d.code == "invalid-service-principal-format")
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(bad.len(), 2, "{bad:?}");
        assert!(bad[0].starts_with("`ec2` is not a service principal"));
    }
}
