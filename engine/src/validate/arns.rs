//! The parts of the ARNs in `Resource` and `NotResource`: partition,
//! service, region and account. Without a catalogue, their shape (a known
//! partition, a lower-case service, a region code, a 12-digit account);
//! with one, whether the service's resource types have a region and an
//! account in their ARN formats (an S3 bucket has neither, an SQS queue
//! both). A part that no ARN of the service can have means the pattern
//! never matches. Parts with wildcards or policy variables are left alone,
//! and so is what the parser reports (empty partition or service, a
//! wildcard in the service).

use std::borrow::Cow;

use super::glob::{arn_segments, intersects, placeholders_as_stars};
use super::Context;
use crate::catalog::Catalog;
use crate::condition::{BaseOperator, OperatorFamily};
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::Span;

/// AWS's partitions ("Identify AWS resources with Amazon Resource Names",
/// and the SDKs' partition list): commercial, China, GovCloud (US), the
/// isolated ones and the European Sovereign Cloud.
const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// The six parts of an ARN pattern, policy variables already `*`.
struct Parts<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account: &'a str,
    resource: &'a str,
}

/// Splits `text` (`${...}` replaced by `*`) into the parts of an ARN;
/// `None` when it is not `arn:` and six parts.
fn parts(text: &str) -> Option<Parts<'_>> {
    let ["arn", partition, service, region, account, resource] = arn_segments(text)? else {
        return None;
    };
    Some(Parts {
        partition,
        service,
        region,
        account,
        resource,
    })
}

/// Whether a part is plain text: no wildcard, no policy variable (those
/// are `*` by now), not empty.
fn literal(part: &str) -> bool {
    !part.is_empty() && !part.contains(['*', '?'])
}

/// Whether `region` is shaped like a region code: lower-case words joined
/// by `-`, at least two, then a number (`us-east-1`, `us-gov-west-1`,
/// `eusc-de-east-1`). An availability zone (`us-east-1a`) is not.
fn looks_like_region(region: &str) -> bool {
    let Some((words, number)) = region.rsplit_once('-') else {
        return false;
    };
    let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase());
    !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && words.contains('-')
        && words.split('-').all(word)
}

/// Whether `account` is an account id (12 digits) or `aws`, the owner
/// of AWS managed resources such as `arn:aws:iam::aws:policy/...`.
fn valid_account(account: &str) -> bool {
    account == "aws" || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
}

/// `value` as a JSON string (in quotes), when it needs no escaping.
fn quoted(value: &str) -> Option<String> {
    (!value.contains(['"', '\\']) && !value.chars().any(char::is_control))
        .then(|| format!("\"{value}\""))
}

/// Every ARN pattern of `Resource` and `NotResource`, with `${...}`
/// replaced by `*`, and its span.
fn patterns<'p>(cx: &'p Context<'_>) -> impl Iterator<Item = (Cow<'p, str>, &'p str, Span)> + 'p {
    cx.policy
        .statements
        .iter()
        .filter_map(|s| s.resource.as_ref())
        .flat_map(|r| r.patterns.iter())
        .filter(|p| p.value.starts_with("arn:"))
        .map(|p| {
            let raw = p.value.as_str();
            let text = if raw.contains("${") {
                Cow::Owned(placeholders_as_stars(raw))
            } else {
                Cow::Borrowed(raw)
            };
            (text, raw, p.span)
        })
}

/// The checks of each part's shape: `INVALID_PARTITION`,
/// `INVALID_ARN_SERVICE_CASE`, `INVALID_ARN_REGION`, `INVALID_ARN_ACCOUNT`.
pub(super) fn arn_parts(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (text, raw, span) in patterns(cx) {
        let Some(p) = parts(&text) else {
            continue;
        };
        if literal(p.partition) && !PARTITIONS.contains(&p.partition) {
            let mut d = Diagnostic::new(
                Severity::Warning,
                "invalid-partition",
                format!("`{}` in `{raw}` is not an AWS partition, so the ARN never matches", p.partition),
                span,
            )
            .with_help("the partition is `aws` in commercial regions, `aws-cn` in China, `aws-us-gov` in GovCloud (US)")
            .with_aws_issue("INVALID_PARTITION", "error-invalid-partition");
            let lower = p.partition.to_ascii_lowercase();
            if PARTITIONS.contains(&lower.as_str()) {
                d = with_part_fixed(d, raw, span, 1, &lower);
            }
            out.push(d);
        }
        if literal(p.service) && p.service.bytes().any(|b| b.is_ascii_uppercase()) {
            let lower = p.service.to_ascii_lowercase();
            let d = Diagnostic::new(
                Severity::Warning,
                "arn-service-case",
                format!("the service `{}` in `{raw}` has capitals; services in ARNs are lower case and resources match case-sensitively, so it never matches", p.service),
                span,
            )
            .with_help(format!("write `{lower}`"))
            .with_aws_issue("INVALID_ARN_SERVICE_CASE", "error-invalid-arn-service-case");
            out.push(with_part_fixed(d, raw, span, 2, &lower));
        }
        if literal(p.region) && !looks_like_region(p.region) {
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    "invalid-arn-region",
                    format!("`{}` in `{raw}` is not a region code, so the ARN never matches", p.region),
                    span,
                )
                .with_help("a region code looks like `us-east-1` (an availability zone such as `us-east-1a` is not a region); use `*` for any region")
                .with_aws_issue("INVALID_ARN_REGION", "error-invalid-arn-region"),
            );
        }
        if literal(p.account) && !valid_account(p.account) {
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    "invalid-arn-account",
                    format!("`{}` in `{raw}` is not a 12-digit account id, so the ARN never matches", p.account),
                    span,
                )
                .with_help("write the account id without hyphens, e.g. `111122223333`, or `*` for any account")
                .with_aws_issue("INVALID_ARN_ACCOUNT", "error-invalid-arn-account"),
            );
        }
    }
}

/// Whether condition key `key` holds a region code: `aws:RequestedRegion`
/// and service keys named `Region` (`ec2:Region`).
fn region_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("aws:RequestedRegion")
        || key
            .split_once(':')
            .is_some_and(|(_, name)| name.eq_ignore_ascii_case("Region"))
}

/// `INVALID_REGION`: a value of a region key (string operators) that is
/// not shaped like a region code never equals the request's region.
/// Whether the region exists, or the service runs there, needs the live
/// list of regions, which changes: not judged.
pub(super) fn condition_regions(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for entry in cx.policy.statements.iter().flat_map(|s| &s.conditions) {
        let op = &entry.operator.value;
        if op.family() != OperatorFamily::String || !region_key(&entry.key.value) {
            continue;
        }
        let ignore_case = matches!(
            op.base,
            BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase
        );
        for value in &entry.values {
            let text = value.text.as_str();
            let shaped = if ignore_case {
                looks_like_region(&text.to_ascii_lowercase())
            } else {
                looks_like_region(text)
            };
            if text.contains(['*', '?', '$']) || shaped {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    "invalid-region",
                    format!("`{text}` is not a region code, so `{}` never equals it", entry.key.value),
                    value.span,
                )
                .with_help("a region code looks like `us-east-1`, in lower case (an availability zone such as `us-east-1a` is not a region)")
                .with_aws_issue("INVALID_REGION", "error-invalid-region"),
            );
        }
    }
}

/// Adds a quick fix that replaces part `index` (1 = partition, 2 = service)
/// of the ARN `raw` with `part`, when `raw` has no policy variable before
/// it (its `:` would shift the parts).
fn with_part_fixed(d: Diagnostic, raw: &str, span: Span, index: usize, part: &str) -> Diagnostic {
    let mut fields: Vec<&str> = raw.splitn(6, ':').collect();
    let clean = fields.iter().take(index + 1).all(|f| !f.contains("${"));
    let Some(slot) = fields.get_mut(index).filter(|_| clean) else {
        return d;
    };
    *slot = part;
    let fixed = fields.join(":");
    match quoted(&fixed) {
        Some(replacement) => {
            d.with_fix(format!("replace with `{fixed}`"), vec![(span, replacement)])
        }
        None => d,
    }
}

/// Whether the resource part of an ARN pattern fits a format's resource
/// part. Most formats are a literal and one trailing placeholder
/// (`role/${RoleNameWithPath}`): then it is a comparison of the literal
/// heads, the general intersection only for the rest.
fn fits_resource(pattern: &str, format: &str) -> bool {
    let head_of = |t: &str| t.find(['*', '?', '$']).unwrap_or(t.len());
    let lit = head_of(format);
    let (literal, rest) = format.split_at(lit);
    let one_placeholder = rest.starts_with("${") && rest.find('}') == Some(rest.len() - 1);
    if one_placeholder {
        let head = head_of(pattern);
        let agree = pattern
            .bytes()
            .zip(literal.bytes())
            .take(head.min(lit))
            .all(|(a, b)| a == b);
        let wild_next = pattern.get(head..).is_some_and(|r| r.starts_with('*'));
        if !agree {
            return false;
        }
        if head >= lit || wild_next {
            return true;
        }
    }
    intersects(pattern, format)
}

/// What the ARN formats of a service say about one part of an ARN.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum PartFault {
    /// The region is empty, but every matching resource type has one.
    MissingRegion,
    /// A region is given, but no matching resource type has one.
    RegionNotAllowed,
    /// An account is given, but no matching resource type has one.
    AccountNotAllowed,
}

/// What is wrong with the region or account of the ARN pattern `text`
/// (`${...}` replaced by `*`), judged by the ARN formats of its service's
/// resource types whose resource part fits the pattern's; `None` when
/// nothing is, or when no format fits (that is `INVALID_ARN_RESOURCE`).
pub(super) fn part_fault(catalog: &Catalog, text: &str) -> Option<PartFault> {
    let p = parts(text)?;
    if !literal(p.service) || p.resource.is_empty() {
        return None;
    }
    let can_be_empty = |part: &str| intersects(part, "");
    // The rules that could fault this ARN, each still true while every
    // format that fits says so: (region required, region forbidden,
    // account forbidden). An empty account is not judged: AWS-owned
    // resources (SSM documents, public parameters) have none, though the
    // formats show `${Account}`.
    let mut rules = (
        p.region.is_empty(),
        !p.region.is_empty() && !can_be_empty(p.region),
        !can_be_empty(p.account),
    );
    if rules == (false, false, false) {
        return None;
    }
    let service = catalog.service(p.service)?;
    let prefix = p.service.to_ascii_lowercase();
    let mut any = false;
    for format in service
        .resource_types()
        .flat_map(|rt| rt.arn_formats())
        .flat_map(|f| f.split(", "))
    {
        let Some(f) = parts(format) else {
            continue;
        };
        let placeholder = f.region.starts_with("${") && f.region.ends_with('}');
        let flips = (rules.0 && !placeholder)
            || (rules.1 && !f.region.is_empty())
            || (rules.2 && !f.account.is_empty());
        if (any && !flips) || f.service != prefix || !fits_resource(p.resource, f.resource) {
            continue;
        }
        any = true;
        rules.0 &= placeholder;
        rules.1 &= f.region.is_empty();
        rules.2 &= f.account.is_empty();
        if rules == (false, false, false) {
            return None;
        }
    }
    if !any {
        None
    } else if rules.0 {
        Some(PartFault::MissingRegion)
    } else if rules.1 {
        Some(PartFault::RegionNotAllowed)
    } else if rules.2 {
        Some(PartFault::AccountNotAllowed)
    } else {
        None
    }
}

/// The region and account checks against the catalogue's ARN formats:
/// `MISSING_ARN_REGION`, `ARN_REGION_NOT_ALLOWED`, `ARN_ACCOUNT_NOT_ALLOWED`.
pub(super) fn regions_and_accounts(cx: &Context<'_>, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for (text, raw, span) in patterns(cx) {
        let Some(fault) = part_fault(catalog, &text) else {
            continue;
        };
        let service = parts(&text).map(|p| p.service).unwrap_or_default();
        let (code, message, help, aws) = match fault {
            PartFault::MissingRegion => (
                "missing-arn-region",
                format!("`{raw}` has no region, but every `{service}` resource it could name has one, so it never matches"),
                "put the region between the service and the account, e.g. `us-east-1`, or `*` for any region",
                Some(("MISSING_ARN_REGION", "error-missing-arn-region")),
            ),
            PartFault::RegionNotAllowed => (
                "arn-region-not-allowed",
                format!("`{raw}` has a region, but the `{service}` resources it could name have none in their ARNs, so it never matches"),
                "leave the region empty (`::`), as these resources are global",
                Some(("ARN_REGION_NOT_ALLOWED", "error-arn-region-not-allowed")),
            ),
            PartFault::AccountNotAllowed => (
                "arn-account-not-allowed",
                format!("`{raw}` has an account, but the `{service}` resources it could name have none in their ARNs, so it never matches"),
                "leave the account empty (`::`): these resource names are unique across accounts",
                Some(("ARN_ACCOUNT_NOT_ALLOWED", "error-arn-account-not-allowed")),
            ),
        };
        let mut d = Diagnostic::new(Severity::Warning, code, message, span).with_help(help);
        if let Some((issue, anchor)) = aws {
            d = d.with_aws_issue(issue, anchor);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_shapes() {
        for ok in [
            "us-east-1",
            "us-gov-west-1",
            "cn-north-1",
            "eusc-de-east-1",
            "us-isob-east-1",
        ] {
            assert!(looks_like_region(ok), "{ok}");
        }
        for bad in [
            "us-east-1a",
            "useast-1",
            "US-EAST-1",
            "us-east",
            "global",
            "us--1",
            "east-1",
        ] {
            assert!(!looks_like_region(bad), "{bad}");
        }
    }

    #[test]
    fn accounts() {
        assert!(valid_account("111122223333"));
        assert!(valid_account("aws"));
        assert!(!valid_account("11112222333"));
        assert!(!valid_account("1111-2222-3333"));
    }

    /// The codes of this module that `validate` reports for `resources`.
    fn codes(resources: &[&str]) -> Vec<&'static str> {
        let catalog = Catalog::bundled().expect("catalog");
        let policy = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": resources}]
        })
        .to_string();
        crate::validate::validate(
            &policy,
            crate::validate::PolicyKind::Managed,
            Some(&catalog),
        )
        .into_iter()
        .map(|d| d.code)
        .filter(|c| c.contains("arn") || c.contains("partition"))
        .collect()
    }

    #[test]
    fn real_world_forms_pass() {
        let ok = [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:sqs:${aws:RequestedRegion}:${aws:PrincipalAccount}:jobs",
            "arn:aws-us-gov:s3:::reports/*",
            "arn:aws-eusc:s3:::reports",
            "arn:aws-iso-b:ec2:us-isob-east-1:111122223333:instance/*",
            "arn:aws:ec2:*::image/*",
            "arn:aws:ssm:*::document/AWS-*",
            "arn:aws:ssm:us-east-1::parameter/aws/service/*",
            "arn:aws:s3:::${aws:username}/*",
            "arn:aws:execute-api:us-east-1:*:api/*",
            "arn:*:s3:::reports",
            "arn:aws:dynamodb:us-*:111122223333:table/t",
        ];
        assert_eq!(codes(&ok), Vec::<&str>::new());
    }

    #[test]
    fn each_fault_found() {
        let bad = [
            "arn:AWS:s3:::reports",
            "arn:aws:S3:::reports",
            "arn:aws:sqs:useast1:111122223333:jobs",
            "arn:aws:sqs:us-east-1:11112222333:jobs",
            "arn:aws:sqs::111122223333:jobs",
            "arn:aws:s3:us-*::reports",
            "arn:aws:s3::111122223333:reports",
        ];
        assert_eq!(
            codes(&bad),
            [
                "invalid-partition",
                "arn-service-case",
                "invalid-arn-region",
                "invalid-arn-account",
                "missing-arn-region",
                "arn-region-not-allowed",
                "arn-account-not-allowed"
            ]
        );
    }

    #[test]
    fn region_values_in_conditions() {
        let policy = |op: &str, key: &str, value: &str| {
            serde_json::json!({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
                    "Condition": {op: {key: [value]}}}]
            })
            .to_string()
        };
        let found = |op: &str, key: &str, value: &str| {
            crate::validate::validate(
                &policy(op, key, value),
                crate::validate::PolicyKind::Managed,
                None,
            )
            .iter()
            .any(|d| d.code == "invalid-region")
        };
        assert!(found("StringEquals", "aws:RequestedRegion", "us-east-1a"));
        assert!(found("StringNotEquals", "ec2:Region", "US-EAST-1"));
        assert!(!found(
            "StringEquals",
            "aws:RequestedRegion",
            "us-gov-west-1"
        ));
        assert!(!found(
            "StringEqualsIgnoreCase",
            "aws:RequestedRegion",
            "US-EAST-1"
        ));
        assert!(!found("StringLike", "aws:RequestedRegion", "eu-*"));
        assert!(!found(
            "StringEquals",
            "aws:RequestedRegion",
            "${aws:PrincipalTag/region}"
        ));
        assert!(!found("StringEquals", "s3:prefix", "home"));
    }

    #[test]
    fn partition_case_fixed_in_not_resource() {
        let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:AWS:s3:::reports"}]}"#;
        let found = crate::validate::validate(policy, crate::validate::PolicyKind::Managed, None);
        let d = found
            .iter()
            .find(|d| d.code == "invalid-partition")
            .expect("invalid-partition");
        let fixed = d.fix.as_ref().and_then(|f| f.apply(policy)).expect("a fix");
        assert!(
            fixed.contains(r#""NotResource": "arn:aws:s3:::reports""#),
            "{fixed}"
        );
        let variable = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:${aws:PrincipalTag/p}:S3:::r"}]}"#;
        let found = crate::validate::validate(variable, crate::validate::PolicyKind::Managed, None);
        let d = found
            .iter()
            .find(|d| d.code == "arn-service-case")
            .expect("arn-service-case");
        assert!(d.fix.is_none(), "a variable before the service: no fix");
    }

    #[test]
    fn fits_resource_agrees_with_intersects() {
        let formats = [
            "role/${RoleNameWithPath}",
            "${BucketName}",
            "${BucketName}/${ObjectName}",
            "user/${UserNameWithPath}",
            "accesspoint/${AccessPointName}",
        ];
        let patterns = [
            "role/*",
            "ro*",
            "r?le/x",
            "role/admin",
            "user/*",
            "*",
            "reports",
            "reports/*",
            "access*",
            "accesspoint",
            "rol",
            "role$x",
            "",
        ];
        for f in formats {
            for p in patterns {
                assert_eq!(fits_resource(p, f), intersects(p, f), "{p} vs {f}");
            }
        }
    }

    #[test]
    fn faults_from_formats() {
        let catalog = Catalog::bundled().expect("catalog");
        let fault = |t: &str| part_fault(&catalog, t);
        assert_eq!(
            fault("arn:aws:s3:us-east-1::reports"),
            Some(PartFault::RegionNotAllowed)
        );
        assert_eq!(
            fault("arn:aws:s3::111122223333:reports"),
            Some(PartFault::AccountNotAllowed)
        );
        assert_eq!(
            fault("arn:aws:sqs::111122223333:jobs"),
            Some(PartFault::MissingRegion)
        );
        assert_eq!(
            fault("arn:aws:sqs:us-east-1::jobs"),
            None,
            "an empty account is not judged"
        );
        assert_eq!(fault("arn:aws:iam::aws:policy/ReadOnlyAccess"), None);
        assert_eq!(
            fault("arn:aws:s3:*:*:reports"),
            None,
            "wildcards may be empty"
        );
        assert_eq!(
            fault("arn:aws:s3:us-west-2:111122223333:accesspoint/ap"),
            None,
            "access points have both"
        );
        assert_eq!(
            fault("arn:aws:iam:us-east-1:111122223333:role/r"),
            Some(PartFault::RegionNotAllowed)
        );
        assert_eq!(fault("arn:aws:nosuchservice:us-east-1::x"), None);
    }
}
