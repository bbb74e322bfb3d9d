//! Checks of condition key names that need no catalogue:
//! `INVALID_CONDITION_KEY_FORMAT` (a key without `SERVICE:`) and
//! `MISSING_PAIRED_CONDITION_KEYS` (a key that narrows access only
//! together with another).

use super::Context;
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::Effect;

/// A condition key without `:`, such as `SourceIp`: every key is
/// `aws:NAME`, `SERVICE:NAME` or `PROVIDER:NAME`, so no request has it.
pub(super) fn key_format(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        for entry in &statement.conditions {
            let key = entry.key.value.as_str();
            if key.contains(':') || key.contains("${") {
                continue; // variables: `variable-not-allowed`
            }
            let mut d = Diagnostic::new(
                Severity::Warning,
                "invalid-condition-key-format",
                format!(
                    "`{key}` has no prefix, so it is not a condition key and no request has it"
                ),
                entry.key.span,
            )
            .with_aws_issue(
                "INVALID_CONDITION_KEY_FORMAT",
                "error-invalid-condition-key-format",
            );
            d = match crate::condition::global_key(&format!("aws:{key}")) {
                Some(global) if !global.ends_with('/') => {
                    let json = format!("\"{global}\"");
                    d.with_help(format!("did you mean the global key `{global}`?"))
                        .with_fix(
                            format!("replace with `{global}`"),
                            vec![(entry.key.span, json)],
                        )
                }
                _ => d.with_help(
                    "write keys as `aws:NAME` (global) or `SERVICE:NAME`, as in `s3:prefix`",
                ),
            };
            out.push(d);
        }
    }
}

/// Keys that, alone, match requests from more places than their author
/// likely means, and the keys any one of which narrows them: a private
/// address (`aws:VpcSourceIp`) is the same in every VPC.
const PAIRED_KEYS: &[(&str, &[&str])] = &[(
    "aws:VpcSourceIp",
    &["aws:SourceVpc", "aws:SourceVpce", "aws:SourceVpcArn"],
)];

/// An `Allow` with a condition on a key of [`PAIRED_KEYS`] and none on
/// its partners. `Deny` statements are left alone: another condition
/// there narrows the denial.
pub(super) fn paired_keys(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let has = |conditions: &[crate::policy::ConditionEntry], key: &str| {
        conditions
            .iter()
            .any(|c| c.key.value.eq_ignore_ascii_case(key))
    };
    for statement in &cx.policy.statements {
        if statement.effect.value != Effect::Allow {
            continue;
        }
        for (key, partners) in PAIRED_KEYS {
            let Some(entry) = statement
                .conditions
                .iter()
                .find(|c| c.key.value.eq_ignore_ascii_case(key))
            else {
                continue;
            };
            if partners.iter().any(|p| has(&statement.conditions, p)) {
                continue;
            }
            let Some(first) = partners.first() else {
                continue;
            };
            out.push(
                Diagnostic::new(
                    Severity::SecurityWarning,
                    "missing-paired-condition-key",
                    format!("`{key}` without `{first}` matches the address in any VPC, including VPCs of other accounts"),
                    entry.key.span,
                )
                .with_help(format!(
                    "add a condition on `{first}` (or `aws:SourceVpce`) to the same statement, so that the address is checked in your VPC"
                ))
                .with_aws_issue(
                    "MISSING_PAIRED_CONDITION_KEYS",
                    "security-warning-missing-paired-condition-keys",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};

    fn found(condition: &str, effect: &str) -> Vec<crate::Diagnostic> {
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "{effect}", "Action": "s3:GetObject",
            "Resource": "*", "Condition": {condition}}}}}"#
        );
        validate(&text, PolicyKind::Managed, None)
    }

    #[test]
    fn key_without_prefix() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "*", "Condition": {"IpAddress": {"SourceIp": "203.0.113.0/24"}}}}"#;
        let all = validate(text, PolicyKind::Managed, None);
        let d = all
            .iter()
            .find(|d| d.code == "invalid-condition-key-format")
            .unwrap();
        assert_eq!(d.aws_issue_code, Some("INVALID_CONDITION_KEY_FORMAT"));
        let fixed = d.fix.as_ref().unwrap().apply(text).unwrap();
        assert!(
            fixed.contains(r#"{"aws:SourceIp": "203.0.113.0/24"}"#),
            "{fixed}"
        );
        let all = found(
            r#"{"StringEquals": {"s3:prefix": "a", "aws:SourceVpc": "vpc-1"}}"#,
            "Allow",
        );
        assert!(!all.iter().any(|d| d.code == "invalid-condition-key-format"));
    }

    #[test]
    fn vpc_source_ip_needs_a_vpc() {
        let alone = r#"{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}"#;
        let count = |all: Vec<crate::Diagnostic>| {
            all.iter()
                .filter(|d| d.code == "missing-paired-condition-key")
                .count()
        };
        assert_eq!(count(found(alone, "Allow")), 1);
        assert_eq!(count(found(alone, "Deny")), 0);
        let paired = r#"{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}, "StringEquals": {"aws:sourcevpc": "vpc-1"}}"#;
        assert_eq!(count(found(paired, "Allow")), 0);
    }
}
