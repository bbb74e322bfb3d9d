//! Condition-key hygiene of resource control policies:
//! `RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY`,
//! `RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY` and
//! `RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK`.
//!
//! An RCP's `Deny` applies to every caller of the resource: IAM principals
//! and AWS services acting for someone. A condition that holds when its key
//! is missing (`StringNotEqualsIfExists`, a negated operator, `Null` true)
//! also holds for the callers that never carry the key: services have no
//! `aws:PrincipalOrgID`, IAM principals have no `aws:SourceAccount`, and some
//! service integrations send no source key at all. Such a deny must say
//! which callers it means with `aws:PrincipalIsAWSService` (and, for the
//! source keys, a `Null` check that the source is present).

use super::{key_in, Context, PolicyKind, SOURCE_KEYS};
use crate::condition::{BaseOperator, SetQualifier};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::{ConditionEntry, Effect, Statement};
use crate::source::Span;

/// Keys about the calling IAM principal, absent when a service calls.
const PRINCIPAL_KEYS: [&str; 4] = [
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
];

/// Whether `key` is about the calling IAM principal.
fn is_principal_key(key: &str) -> bool {
    key_in(key, &PRINCIPAL_KEYS)
        || key
            .get(..17)
            .is_some_and(|p| p.eq_ignore_ascii_case("aws:PrincipalTag/"))
}

/// Whether the condition holds when the request lacks its key.
fn holds_when_missing(entry: &ConditionEntry) -> bool {
    let op = &entry.operator.value;
    if op.base == BaseOperator::Null {
        return entry
            .values
            .iter()
            .any(|v| v.text.eq_ignore_ascii_case("true"));
    }
    match op.qualifier {
        Some(SetQualifier::ForAllValues) => true,
        Some(SetQualifier::ForAnyValue) => op.if_exists,
        None => op.if_exists || op.base.is_negated(),
    }
}

/// Whether the statement has `Bool`/`BoolIfExists` `aws:PrincipalIsAWSService`
/// set to `value` only.
fn requires_service(statement: &Statement, value: &str) -> bool {
    statement.conditions.iter().any(|c| {
        c.operator.value.base == BaseOperator::Bool
            && c.operator.value.qualifier.is_none()
            && c.key
                .value
                .eq_ignore_ascii_case("aws:PrincipalIsAWSService")
            && !c.values.is_empty()
            && c.values.iter().all(|v| v.text.eq_ignore_ascii_case(value))
    })
}

/// Whether the statement requires `aws:SourceAccount` or `aws:SourceArn` to
/// be present (`"Null": {"aws:SourceAccount": "false"}`).
fn requires_source(statement: &Statement) -> bool {
    statement.conditions.iter().any(|c| {
        c.operator.value.base == BaseOperator::Null
            && key_in(&c.key.value, &["aws:SourceAccount", "aws:SourceArn"])
            && !c.values.is_empty()
            && c.values
                .iter()
                .all(|v| v.text.eq_ignore_ascii_case("false"))
    })
}

/// The edit that adds `"OPERATOR": {"KEY": "VALUE"}` before the first
/// block of the statement's `Condition`: only when it has no `OPERATOR`
/// block yet (a second one would be a duplicate key).
fn add_block(
    statement: &Statement,
    operator: &str,
    key: &str,
    value: &str,
) -> Option<(Span, String)> {
    if statement
        .conditions
        .iter()
        .any(|c| &*c.operator_name == operator)
    {
        return None;
    }
    let first = statement
        .conditions
        .iter()
        .map(|c| c.operator.span.start)
        .min()?;
    Some((
        Span::new(first as usize, first as usize),
        format!("\"{operator}\": {{\"{key}\": \"{value}\"}}, "),
    ))
}

/// `d` with the fix `edit` adds, when there is one.
fn with_block(d: Diagnostic, edit: Option<(Span, String)>) -> Diagnostic {
    match edit {
        Some(edit) => {
            let title = format!("add `{}`", edit.1.trim_end_matches([',', ' ']));
            d.with_fix(title, vec![edit])
        }
        None => d,
    }
}

/// The three RCP checks, on each `Deny` statement of an RCP.
pub(super) fn rcp_condition_keys(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.kind != PolicyKind::Rcp {
        return;
    }
    for statement in &cx.policy.statements {
        if statement.effect.value != Effect::Deny {
            continue;
        }
        for entry in statement
            .conditions
            .iter()
            .filter(|c| holds_when_missing(c))
        {
            let key = &entry.key.value;
            if is_principal_key(key) && !requires_service(statement, "false") {
                let fix = add_block(
                    statement,
                    "BoolIfExists",
                    "aws:PrincipalIsAWSService",
                    "false",
                );
                out.push(with_block(
                    Diagnostic::new(
                        Severity::Warning,
                        "rcp-principal-key-without-service-check",
                        format!(
                            "this deny also holds for AWS services acting for you, which have no `{key}`"
                        ),
                        entry.key.span,
                    )
                    .with_help("add `\"BoolIfExists\": {\"aws:PrincipalIsAWSService\": \"false\"}` to the statement's `Condition` so that it applies to IAM principals only")
                    .with_aws_issue(
                        "RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY",
                        "general-warning-rcp-missing-related-principal-condition-key",
                    ),
                    fix,
                ));
            }
            if !key_in(key, &SOURCE_KEYS) {
                continue;
            }
            if !requires_service(statement, "true") {
                let fix = add_block(statement, "Bool", "aws:PrincipalIsAWSService", "true");
                out.push(with_block(
                    Diagnostic::new(
                        Severity::Warning,
                        "rcp-source-key-without-service-check",
                        format!(
                            "this deny also holds for your own IAM principals, whose requests have no `{key}`"
                        ),
                        entry.key.span,
                    )
                    .with_help("add `\"Bool\": {\"aws:PrincipalIsAWSService\": \"true\"}` to the statement's `Condition` so that it applies to service principals only")
                    .with_aws_issue(
                        "RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY",
                        "general-warning-rcp-missing-related-service-principal-condition-key",
                    ),
                    fix,
                ));
            }
            if !requires_source(statement) {
                let fix = add_block(statement, "Null", "aws:SourceAccount", "false");
                out.push(with_block(
                    Diagnostic::new(
                        Severity::Warning,
                        "rcp-source-key-without-null-check",
                        format!(
                            "this deny also holds for service integrations that send no `{key}`, which it likely should not block"
                        ),
                        entry.key.span,
                    )
                    .with_help("add `\"Null\": {\"aws:SourceAccount\": \"false\"}` (or the same on `aws:SourceArn`) so that it applies only when the service names a source")
                    .with_aws_issue(
                        "RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK",
                        "general-warning-rcp-missing-service-condition-key-null-check",
                    ),
                    fix,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};

    fn rcp(condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Principal": "*",
            "Action": ["s3:*", "sqs:*"], "Resource": "*", "Condition": {condition}}}]}}"#
        )
    }

    fn codes(condition: &str) -> Vec<&'static str> {
        validate(&rcp(condition), PolicyKind::Rcp, None)
            .iter()
            .filter_map(|d| d.aws_issue_code)
            .filter(|c| c.starts_with("RCP_MISSING"))
            .collect()
    }

    #[test]
    fn the_documented_perimeters_are_quiet() {
        let identity = r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:ResourceTag/dp:exclude:identity": "true"},
            "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}"#;
        assert_eq!(codes(identity), Vec::<&str>::new());
        let deputy = r#"{"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-a1b2c3d4e5", "aws:SourceAccount": ["111122223333"]},
            "Null": {"aws:SourceAccount": "false"}, "Bool": {"aws:PrincipalIsAWSService": "true"}}"#;
        assert_eq!(codes(deputy), Vec::<&str>::new());
        let positive = r#"{"StringEquals": {"aws:PrincipalTag/dp:include:network": "true"}}"#;
        assert_eq!(codes(positive), Vec::<&str>::new());
        let any = r#"{"ForAnyValue:StringNotLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*"}}"#;
        assert_eq!(codes(any), Vec::<&str>::new());
    }

    #[test]
    fn the_fixes_add_the_missing_blocks() {
        let mut text = rcp(r#"{"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}"#);
        for _ in 0..2 {
            let found = validate(&text, PolicyKind::Rcp, None);
            let d = found
                .iter()
                .find(|d| d.code.starts_with("rcp-source-key"))
                .unwrap();
            text = d.fix.as_ref().unwrap().apply(&text).unwrap();
        }
        let found = validate(&text, PolicyKind::Rcp, None);
        assert!(found.iter().all(|d| !d.code.starts_with("rcp-")), "{text}");
        let with_bool = rcp(
            r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}, "BoolIfExists": {"aws:ViaAWSService": "false"}}"#,
        );
        let found = validate(&with_bool, PolicyKind::Rcp, None);
        assert!(found
            .iter()
            .any(|d| d.code.starts_with("rcp-") && d.fix.is_none()));
    }

    #[test]
    fn missing_companions() {
        assert_eq!(
            codes(r#"{"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#),
            ["RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY"]
        );
        assert_eq!(
            codes(r#"{"StringNotEquals": {"aws:PrincipalTag/team": "x"}}"#),
            ["RCP_MISSING_RELATED_PRINCIPAL_CONDITION_KEY"]
        );
        assert_eq!(
            codes(r#"{"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}"#),
            [
                "RCP_MISSING_RELATED_SERVICE_PRINCIPAL_CONDITION_KEY",
                "RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK"
            ]
        );
        assert_eq!(
            codes(
                r#"{"StringNotEqualsIfExists": {"aws:SourceOrgID": "o-a1b2c3d4e5"}, "Bool": {"aws:PrincipalIsAWSService": "true"}}"#
            ),
            ["RCP_MISSING_SERVICE_CONDITION_KEY_NULL_CHECK"]
        );
    }
}
