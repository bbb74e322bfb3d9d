//! Checks of `Condition` blocks that need no catalogue: a `*` value of a
//! wildcard operator (`EQUIVALENT_TO_NULL_FALSE`, `EQUIVALENT_TO_NULL_TRUE`,
//! `REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION`,
//! `REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION`) and
//! `INVALID_SERVICE_PRINCIPAL_FORMAT`.

use super::{key_in, Context};
use crate::condition::{BaseOperator, OperatorFamily};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::ConditionEntry;

/// What a `*` value makes of a wildcard operator (`StringLike`, `ArnLike`
/// and their negations), which AWS's checks name: a test of the key's
/// presence written the long way, a key that always matches, or one that
/// never does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StarMeaning {
    /// True exactly when the request has the key: `Null: false`.
    Present,
    /// True exactly when the request lacks the key: `Null: true`.
    Absent,
    /// True for every request.
    Always,
    /// True for no request.
    Never,
}

/// What `op` with a `*` among its values means, when it means one of the
/// [`StarMeaning`]s (AWS's rules for missing keys: a positive operator is
/// false, a negated one true, `IfExists` true, `ForAllValues` true,
/// `ForAnyValue` false).
fn star_meaning(op: &crate::condition::ConditionOperator) -> Option<StarMeaning> {
    use crate::condition::SetQualifier;
    let positive = matches!(op.base, BaseOperator::StringLike | BaseOperator::ArnLike);
    let negated = matches!(
        op.base,
        BaseOperator::StringNotLike | BaseOperator::ArnNotLike
    );
    Some(match (op.qualifier, op.if_exists) {
        // Every value matches `*`; a missing key makes IfExists true.
        (None, false) if positive => StarMeaning::Present,
        (None, false) if negated => StarMeaning::Absent,
        (None | Some(SetQualifier::ForAllValues), true) if positive => StarMeaning::Always,
        (Some(SetQualifier::ForAllValues), false) if positive => StarMeaning::Always,
        (Some(SetQualifier::ForAnyValue), false) if negated => StarMeaning::Never,
        _ => return None,
    })
}

/// A wildcard operator with a `*` value: `"StringLike": {"KEY": "*"}`
/// only tests that the request has `KEY` (`Null: false` says so
/// directly), `"StringNotLike": {"KEY": "*"}` that it lacks it
/// (`Null: true`), `StringLikeIfExists` or `ForAllValues:StringLike` with
/// `*` always match (the key is redundant), and
/// `ForAnyValue:StringNotLike` with `*` never does (the statement never
/// applies).
pub(super) fn star_values(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        let conditions = &statement.conditions;
        for entry in conditions {
            let Some(meaning) = star_meaning(&entry.operator.value) else {
                continue;
            };
            let Some(star) = entry.values.iter().find(|v| v.text == "*") else {
                continue;
            };
            out.push(star_finding(conditions, entry, star.span, meaning));
        }
    }
}

/// The finding for a `*` value of `entry` whose operator means `meaning`.
fn star_finding(
    conditions: &[ConditionEntry],
    entry: &ConditionEntry,
    star: crate::source::Span,
    meaning: StarMeaning,
) -> Diagnostic {
    let key = &entry.key.value;
    let op = &entry.operator_name;
    match meaning {
        StarMeaning::Present | StarMeaning::Absent => {
            let (null, tests, code, aws) = if meaning == StarMeaning::Present {
                ("false", "has", "equivalent-to-null-false", "EQUIVALENT_TO_NULL_FALSE")
            } else {
                ("true", "lacks", "equivalent-to-null-true", "EQUIVALENT_TO_NULL_TRUE")
            };
            let mut d = Diagnostic::new(
                Severity::Suggestion,
                code,
                format!("`{op}` with `*` matches any value of `{key}`, so it only tests that the request {tests} the key"),
                star,
            )
            .with_help(format!("write `\"Null\": {{\"{key}\": \"{null}\"}}`, which says so directly"))
            .with_aws_issue(aws, &format!("suggestion-equivalent-to-null-{null}"));
            if let Some(edits) = null_edits(conditions, entry, null) {
                d = d.with_fix(
                    format!("replace with `\"Null\": {{\"{key}\": \"{null}\"}}`"),
                    edits,
                );
            }
            d
        }
        StarMeaning::Always => Diagnostic::new(
            Severity::Suggestion,
            "condition-key-always-matches",
            format!("`{op}` with `*` matches every request, with or without `{key}`, so this key tests nothing"),
            star,
        )
        .with_help(format!("remove `{key}` from this condition; if the request must have it, write `\"Null\": {{\"{key}\": \"false\"}}`"))
        .with_aws_issue(
            "REDUNDANT_KEY_DUE_TO_WILDCARD_IN_CONDITION",
            "suggestion-redundant-key-due-to-wildcard-in-condition",
        ),
        StarMeaning::Never => Diagnostic::new(
            Severity::Suggestion,
            "condition-key-never-matches",
            format!("`{op}` with `*` never matches: every value of `{key}` matches `*`, and a request without the key fails `ForAnyValue`, so this statement never applies"),
            star,
        )
        .with_help(format!("remove `*` from the values of `{key}`, or the statement if it is not needed"))
        .with_aws_issue(
            "REDUNDANT_STATEMENT_DUE_TO_WILDCARD_IN_CONDITION",
            "suggestion-redundant-statement-due-to-wildcard-in-condition",
        ),
    }
}

/// The edits that turn the operator into `Null` and the value into
/// `null` (`"true"` or `"false"`): only when the operator block holds just
/// this key, its only value is `*`, and the statement has no `Null` block
/// yet.
fn null_edits(
    conditions: &[ConditionEntry],
    entry: &ConditionEntry,
    null: &str,
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
            (value.span, format!("\"{null}\"")),
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
            if !key_in(key, SERVICE_PRINCIPAL_KEYS) {
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

    /// The codes `validate` gives `condition`, in order.
    fn codes(condition: &str) -> Vec<&'static str> {
        validate(&policy(condition), PolicyKind::Managed, None)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn string_not_like_star_is_null_true() {
        let text = policy(r#"{"ArnNotLike": {"aws:SourceArn": "*"}}"#);
        let found = validate(&text, PolicyKind::Managed, None);
        let d = found
            .iter()
            .find(|d| d.code == "equivalent-to-null-true")
            .unwrap();
        assert_eq!(d.aws_issue_code, Some("EQUIVALENT_TO_NULL_TRUE"));
        assert!(d
            .learn_more
            .as_deref()
            .unwrap()
            .ends_with("suggestion-equivalent-to-null-true"));
        let fixed = d.fix.as_ref().unwrap().apply(&text).unwrap();
        assert!(
            fixed.contains(r#"{"Null": {"aws:SourceArn": "true"}}"#),
            "{fixed}"
        );
        // The fixed policy decides every request as the original did, so
        // nothing is left to say about it.
        assert!(validate(&fixed, PolicyKind::Managed, None).is_empty());
    }

    #[test]
    fn star_values_that_always_or_never_match() {
        for always in [
            r#"{"StringLikeIfExists": {"aws:ResourceTag/team": "*"}}"#,
            r#"{"ForAllValues:StringLike": {"aws:TagKeys": ["*"]}}"#,
            r#"{"ForAllValues:StringLikeIfExists": {"aws:TagKeys": ["x", "*"]}}"#,
        ] {
            assert_eq!(codes(always), ["condition-key-always-matches"], "{always}");
        }
        assert_eq!(
            codes(r#"{"ForAnyValue:StringNotLike": {"aws:TagKeys": "*"}}"#),
            ["condition-key-never-matches"]
        );
        // Without `*`, or where `*` means something else, nothing.
        for quiet in [
            r#"{"StringLikeIfExists": {"aws:ResourceTag/team": "blue*"}}"#,
            r#"{"ForAnyValue:StringLike": {"aws:TagKeys": "*"}}"#,
            r#"{"ForAllValues:StringNotLike": {"aws:TagKeys": "*"}}"#,
            r#"{"ForAnyValue:StringNotLikeIfExists": {"aws:TagKeys": "*"}}"#,
            r#"{"StringEquals": {"aws:ResourceTag/team": "*"}}"#,
        ] {
            let found = codes(quiet);
            assert!(
                !found
                    .iter()
                    .any(|c| c.starts_with("condition-key-") || c.starts_with("equivalent-")),
                "{quiet}: {found:?}"
            );
        }
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
