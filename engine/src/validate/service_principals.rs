//! Service principals in resource-based policies, and the confused deputy:
//! `RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL` and
//! `RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL`, and keys a service
//! principal never carries (`UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL`).
//!
//! A service principal acts for every AWS customer. A resource policy that
//! lets `cloudtrail.amazonaws.com` write to a bucket, with no condition on
//! whose trail is writing, lets anyone's trail write there. The source keys
//! (`aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID`,
//! `aws:SourceOrgPaths`) say on whose behalf the service acts.

use super::{key_in, Context, PolicyKind, SOURCE_KEYS};
use crate::condition::BaseOperator;
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::{ConditionEntry, Effect, PrincipalKind, Statement};

/// Keys sometimes used to restrict a service principal that do not name
/// the resource it acts for (the caller's network, a header it sends, …).
const WEAKER_KEYS: [&str; 9] = [
    "aws:Referer",
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:UserAgent",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
];

/// Whether a positive condition of the statement names an account or ARN
/// some other way (`kms:EncryptionContext:aws:cloudtrail:arn`, …), which
/// ties the grant to the owner's resources too.
fn names_owner(statement: &Statement) -> bool {
    let is_account = |t: &str| t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit());
    statement.conditions.iter().any(|c| {
        let base = c.operator.value.base;
        base != BaseOperator::Null
            && !base.is_negated()
            && !c.operator.value.if_exists
            && c.values.iter().any(|v| {
                let t = v.text.as_str();
                is_account(t)
                    || t.strip_prefix("arn:")
                        .and_then(|r| r.split(':').nth(3))
                        .is_some_and(is_account)
            })
    })
}

/// Allowing statements of a resource-based policy that grant a service
/// principal access without a source key: a security warning, or a
/// suggestion where a weaker key stands in for one.
pub(super) fn service_principal_sources(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.kind != PolicyKind::Resource {
        return;
    }
    for statement in &cx.policy.statements {
        // A role trust statement validated as a plain resource policy: the
        // service assumes the role for its owner.
        if statement.effect.value != Effect::Allow || super::sts_actions_only(statement) {
            continue;
        }
        let Some(entries) = statement.principal_entries() else {
            continue;
        };
        let services: Vec<_> = entries
            .iter()
            .filter(|e| e.kind == PrincipalKind::Service)
            .collect();
        let Some(first) = services.first() else {
            continue;
        };
        let service_only = services.len() == entries.len();
        let conditions = &statement.conditions;
        let restricts = |c: &ConditionEntry| c.operator.value.base != BaseOperator::Null;
        if conditions
            .iter()
            .any(|c| restricts(c) && key_in(&c.key.value, &SOURCE_KEYS))
        {
            continue;
        }
        let names: Vec<String> = services
            .iter()
            .map(|e| format!("`{}`", e.value.value))
            .collect();
        let names = names.join(", ");
        let weaker: Vec<&ConditionEntry> = conditions
            .iter()
            .filter(|c| restricts(c) && key_in(&c.key.value, &WEAKER_KEYS))
            .filter(|c| !(service_only && identity_only(&c.key.value)))
            .collect();
        for c in &weaker {
            out.push(
                Diagnostic::new(
                    Severity::Suggestion,
                    "service-principal-weak-source-key",
                    format!(
                        "`{}` does not say on whose behalf {names} {}; the source keys do",
                        c.key.value,
                        if services.len() == 1 { "acts" } else { "act" }
                    ),
                    c.key.span,
                )
                .with_help("restrict the service principal with `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths` instead")
                .with_aws_issue(
                    "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
                    "suggestion-recommended-condition-key-for-service-principal",
                ),
            );
        }
        if weaker.is_empty() && !names_owner(statement) {
            let (verb, who) = if services.len() == 1 {
                ("is", "it")
            } else {
                ("are", "they")
            };
            out.push(
                Diagnostic::new(
                    Severity::SecurityWarning,
                    "service-principal-without-source",
                    format!(
                        "{names} {verb} granted access with no condition on the source, so {who} can use this access on behalf of any AWS account (the confused deputy problem)"
                    ),
                    first.value.span,
                )
                .with_help("add a condition on `aws:SourceArn` or `aws:SourceAccount` (or `aws:SourceOrgID`, `aws:SourceOrgPaths`) naming your own resources")
                .with_aws_issue(
                    "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
                    "security-warning-restrict-access-to-service-principal",
                ),
            );
        }
    }
}

/// Whether `key` describes an IAM identity in a way no service principal
/// has: membership of an organization (`aws:PrincipalOrgID`,
/// `aws:PrincipalOrgPaths`) or IAM tags (`aws:PrincipalTag/…`). AWS adds
/// these keys only for members of an organization and tagged users and roles.
fn identity_only(key: &str) -> bool {
    key_in(key, &["aws:PrincipalOrgID", "aws:PrincipalOrgPaths"])
        || key
            .get(..17)
            .is_some_and(|p| p.eq_ignore_ascii_case("aws:PrincipalTag/"))
}

/// Condition keys of identities in a statement whose principals are all
/// service principals: the request never has the key, so the condition
/// never matches (or, negated, always does).
pub(super) fn keys_services_lack(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        let Some(entries) = statement.principal_entries() else {
            continue;
        };
        if entries.is_empty() || entries.iter().any(|e| e.kind != PrincipalKind::Service) {
            continue;
        }
        for c in statement
            .conditions
            .iter()
            .filter(|c| identity_only(&c.key.value))
        {
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    "condition-key-not-for-service-principal",
                    format!(
                        "service principals never carry `{}`, so this condition does not test anything about the services this statement names",
                        c.key.value
                    ),
                    c.key.span,
                )
                .with_help("remove the key; to restrict a service principal, use `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOrgID` or `aws:SourceOrgPaths`")
                .with_aws_issue(
                    "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
                    "error-unsupported-condition-key-for-service-principal",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};

    fn bucket(condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
            "Principal": {{"Service": "cloudtrail.amazonaws.com"}}, "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::trail-bucket/AWSLogs/111122223333/*", "Condition": {condition}}}]}}"#
        )
    }

    fn codes(text: &str, kind: PolicyKind) -> Vec<&'static str> {
        validate(text, kind, None)
            .iter()
            .filter_map(|d| d.aws_issue_code)
            .collect()
    }

    #[test]
    fn source_keys_restrict_a_service_principal() {
        let ok = bucket(
            r#"{"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "AWS:SourceArn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}}"#,
        );
        assert_eq!(codes(&ok, PolicyKind::Resource), Vec::<&str>::new());
        let acl_only = bucket(r#"{"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}"#);
        assert_eq!(
            codes(&acl_only, PolicyKind::Resource),
            ["RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"]
        );
        assert_eq!(
            codes(&bucket("{}"), PolicyKind::Resource),
            ["RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"]
        );
        let present_only = bucket(r#"{"Null": {"aws:SourceArn": "false"}}"#);
        assert_eq!(
            codes(&present_only, PolicyKind::Resource),
            ["RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"]
        );
        let referer = bucket(r#"{"StringEquals": {"aws:Referer": "111122223333"}}"#);
        assert_eq!(
            codes(&referer, PolicyKind::Resource),
            ["RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"]
        );
        let context = bucket(
            r#"{"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111122223333:trail/*"}}"#,
        );
        assert_eq!(codes(&context, PolicyKind::Resource), Vec::<&str>::new());
        assert!(!codes(&bucket("{}"), PolicyKind::RoleTrust)
            .iter()
            .any(|c| c.contains("SERVICE_PRINCIPAL")));
    }

    #[test]
    fn identity_keys_with_only_service_principals() {
        let org = bucket(
            r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:SourceAccount": "111122223333"}}"#,
        );
        assert_eq!(
            codes(&org, PolicyKind::Resource),
            ["UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"]
        );
        let mixed = org.replace(
            r#"{"Service": "cloudtrail.amazonaws.com"}"#,
            r#"{"Service": "cloudtrail.amazonaws.com", "AWS": "arn:aws:iam::111122223333:root"}"#,
        );
        assert_eq!(codes(&mixed, PolicyKind::Resource), Vec::<&str>::new());
        let alone = bucket(r#"{"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}"#);
        assert_eq!(
            codes(&alone, PolicyKind::Resource),
            [
                "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL",
                "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL"
            ]
        );
    }

    #[test]
    fn trust_statements_and_denies_are_left_alone() {
        let trust = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]}"#;
        assert_eq!(codes(trust, PolicyKind::Resource), Vec::<&str>::new());
        let deny = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
            "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "s3:*", "Resource": "*"}]}"#;
        assert_eq!(codes(deny, PolicyKind::Resource), Vec::<&str>::new());
    }
}
