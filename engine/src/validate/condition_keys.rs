//! Checks of condition keys: without a catalogue,
//! `INVALID_CONDITION_KEY_FORMAT` (a key without `SERVICE:`) and
//! `MISSING_PAIRED_CONDITION_KEYS` (a key that narrows access only
//! together with another); with one, `UNSUPPORTED_ACTION_FOR_CONDITION_KEY`
//! (a service's key on actions of that service that never have it).

use super::Context;
use crate::catalog::{Action, Catalog, ConditionKey};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::{ConditionEntry, Effect};

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
    let has = |conditions: &[ConditionEntry], key: &str| conditions.iter().any(|c| c.is_key(key));
    for statement in &cx.policy.statements {
        if statement.effect.value != Effect::Allow {
            continue;
        }
        for (key, partners) in PAIRED_KEYS {
            let Some(entry) = statement.conditions.iter().find(|c| c.is_key(key)) else {
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

/// The catalogue key of `entry` and its service's prefix, when it is a
/// service's own key.
fn service_key<'a>(
    catalog: &'a Catalog,
    entry: &ConditionEntry,
) -> Option<(ConditionKey<'a>, &'a str)> {
    let key = catalog
        .condition_key(&entry.key.value)
        .filter(|k| !k.is_global())?;
    let (prefix, _) = entry.key.value.split_once(':')?;
    Some((key, catalog.service(prefix)?.prefix()))
}

/// Whether the catalogue ties `key` to some action or resource type of
/// its service, so that support can be told per action: keys such as
/// `ec2:SourceInstanceARN`, listed for none, are in requests of many
/// actions and are left alone.
fn tied_to_actions(catalog: &Catalog, prefix: &str, key: ConditionKey<'_>, written: &str) -> bool {
    let Some(service) = catalog.service(prefix) else {
        return false;
    };
    service
        .resource_types()
        .any(|rt| any_covers(rt.condition_keys(), key, written))
        || service.actions().any(|a| {
            any_covers(a.condition_keys(), key, written)
                || a.resource_types()
                    .any(|rt| any_covers(rt.condition_keys(), key, written))
        })
}

/// Whether any of `keys` covers `key` (see [`covers`]).
fn any_covers<'a>(
    mut keys: impl Iterator<Item = ConditionKey<'a>>,
    key: ConditionKey<'_>,
    written: &str,
) -> bool {
    keys.any(|k| covers(k, key, written))
}

/// Whether the catalogue key `listed` (one an action lists) covers the key
/// `written`: the same key, or the same family of a key the reference
/// writes with a placeholder it does not mark (`ssm:resourceTag/tag-key`
/// for `ssm:resourceTag/team`): the same text up to `/`.
fn covers(listed: ConditionKey<'_>, key: ConditionKey<'_>, written: &str) -> bool {
    if listed == key {
        return true;
    }
    let Some(head) = written.find('/').and_then(|i| written.get(..=i)) else {
        return false;
    };
    listed
        .name()
        .get(..head.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(head))
}

/// Whether some pattern names an action exactly (no wildcard) with the
/// service prefix of the key `written`, which is not global.
fn names_actions_of(patterns: &[crate::source::Spanned<crate::text::Text>], written: &str) -> bool {
    let Some(colon) = written.find(':') else {
        return false;
    };
    let Some(head) = written.get(..=colon) else {
        return false;
    };
    !head.eq_ignore_ascii_case("aws:")
        && patterns.iter().any(|p| {
            p.value
                .get(..head.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(head))
                && !p.value.contains(['*', '?'])
        })
}

/// The actions named exactly (no wildcard) in `Action` that belong to
/// `prefix`, list keys of their own service, and list none covering `key`.
/// An action listing no key of its service is left alone: there the
/// reference is often incomplete (AWS's own policies use
/// `aws-marketplace:ProductId` with `aws-marketplace:Subscribe`).
fn unsupporting<'a>(
    catalog: &'a Catalog,
    patterns: &[crate::source::Spanned<crate::text::Text>],
    prefix: &str,
    key: ConditionKey<'a>,
    written: &str,
) -> Vec<Action<'a>> {
    let own = |k: &ConditionKey<'_>| {
        k.name()
            .split_once(':')
            .is_some_and(|(p, _)| p.eq_ignore_ascii_case(prefix))
    };
    patterns
        .iter()
        .filter(|p| !p.value.contains(['*', '?']))
        .filter_map(|p| catalog.action(&p.value))
        .filter(|a| a.service().prefix() == prefix)
        .filter(|a| !any_covers(action_keys(*a), key, written) && action_keys(*a).any(|k| own(&k)))
        .collect()
}

/// Every condition key that applies to `action` (its own, those listed
/// for it on its resource types, those of the types), as
/// [`Action::applicable_condition_keys`] without collecting them.
fn action_keys(action: Action<'_>) -> impl Iterator<Item = ConditionKey<'_>> {
    action
        .condition_keys()
        .chain(action.resource_types().flat_map(|rt| {
            rt.condition_keys()
                .chain(rt.resource_type().condition_keys())
        }))
}

/// A service's condition key on actions of that service that the Service
/// Authorization Reference does not list it for: their requests never have
/// the key, so the condition does not restrict them as written (it never
/// holds, or always holds with the negated operators). `…IfExists`
/// conditions are left alone: they say the key may be missing.
pub(super) fn unsupported_actions(cx: &Context<'_>, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        if statement.action.negated {
            continue;
        }
        for entry in &statement.conditions {
            if entry.operator.value.if_exists {
                continue; // `…IfExists` says so: the key may be missing
            }
            let written = &entry.key.value;
            if !names_actions_of(&statement.action.patterns, written) {
                continue; // most conditions: no catalogue look-up
            }
            let Some((key, prefix)) = service_key(catalog, entry) else {
                continue;
            };
            let actions = unsupporting(catalog, &statement.action.patterns, prefix, key, written);
            if actions.is_empty() || !tied_to_actions(catalog, prefix, key, written) {
                continue;
            }
            let names: Vec<String> = actions
                .iter()
                .map(|a| format!("`{}`", a.full_name()))
                .collect();
            let Some(first) = names.first() else {
                continue;
            };
            let (list, verb, its, it) = match names.len() {
                1 => (first.clone(), "does", "its", "it"),
                _ => (names.join(", "), "do", "their", "them"),
            };
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    "unsupported-action-for-condition-key",
                    format!("{list} {verb} not support `{written}`: the key is never in {its} requests, so this condition does not restrict {it} as written"),
                    entry.key.span,
                )
                .with_help("move these actions to a statement without this condition, or use a condition key they support (listed in the Service Authorization Reference)")
                .with_aws_issue(
                    "UNSUPPORTED_ACTION_FOR_CONDITION_KEY",
                    "error-unsupported-action-for-condition-key",
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

    fn with_catalog(actions: &str, condition: &str) -> Vec<String> {
        let catalog = crate::catalog::Catalog::bundled().unwrap();
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": {actions},
            "Resource": "*", "Condition": {condition}}}}}"#
        );
        validate(&text, PolicyKind::Managed, Some(&catalog))
            .into_iter()
            .filter(|d| d.code == "unsupported-action-for-condition-key")
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn actions_without_the_key() {
        let tag = r#"{"StringEquals": {"ec2:ResourceTag/team": "a"}}"#;
        let found = with_catalog(
            r#"["ec2:StartInstances", "ec2:DescribeInstances", "ec2:Describe*"]"#,
            tag,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].starts_with("`ec2:DescribeInstances` does not support `ec2:ResourceTag/team`")
        );
        let if_exists = r#"{"StringEqualsIfExists": {"ec2:ResourceTag/team": "a"}}"#;
        assert!(with_catalog(r#""ec2:DescribeInstances""#, if_exists).is_empty());
        // A family the reference writes with an unmarked placeholder.
        let ssm = r#"{"StringEquals": {"ssm:resourceTag/team": "a"}}"#;
        assert!(with_catalog(r#""ssm:DeregisterManagedInstance""#, ssm).is_empty());
        // An action that lists no key of its service: the reference may be incomplete.
        let product = r#"{"ForAnyValue:StringEquals": {"aws-marketplace:ProductId": "prod-1"}}"#;
        assert!(with_catalog(r#""aws-marketplace:Subscribe""#, product).is_empty());
        // A key the reference lists for no action (here a deprecated one):
        // support cannot be told per action.
        let spec = r#"{"StringEquals": {"kms:CustomerMasterKeySpec": "RSA_2048"}}"#;
        assert!(with_catalog(r#""kms:CreateKey""#, spec).is_empty());
    }
}
