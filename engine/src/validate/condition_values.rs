//! Checks of the values in `Condition` blocks that need no catalogue: IP
//! ranges (`IMPROVE_IP_RANGE`, the private-address checks on
//! `aws:SourceIp`), dates that may not mean what they seem
//! (`INVALID_DATE_VALUE`), redundant numeric bounds
//! (`REDUNDANT_CONDITION_VALUE_NUM`), several booleans for one key
//! (`INVALID_CONDITION_MULTIPLE_BOOLEAN`) and identifiers of the wrong form
//! (`INVALID_VPC_FORMAT`, `INVALID_VPCE_FORMAT`, `INVALID_KMS_KEY_VALUE`).
//! GitHub subject patterns are `federation.rs`'s.
//!
//! Values the operator cannot read at all are the parser's
//! `invalid-condition-value` errors; these checks skip them.

use super::Context;
use crate::condition::operator::parse_bool;
use crate::condition::{
    format_utc, is_undocumented_date_form, parse_date, parse_number, BaseOperator, IpRange,
    OperatorFamily, PolicyValue, PolicyValueKind,
};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::ConditionEntry;
use crate::source::Span;

/// Runs every check of this module on each condition of the policy.
pub(super) fn condition_values(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let variables = cx.policy.variables_enabled();
    for statement in &cx.policy.statements {
        for entry in &statement.conditions {
            match entry.operator.value.family() {
                OperatorFamily::IpAddress => {
                    host_bits(entry, out);
                    private_source_ip(entry, out);
                }
                OperatorFamily::Date => dates(entry, out),
                OperatorFamily::Numeric => redundant_numbers(entry, out),
                OperatorFamily::Bool => multiple_booleans(entry, out),
                OperatorFamily::String | OperatorFamily::Arn => identifiers(entry, variables, out),
                _ => {}
            }
        }
    }
}

/// `text` as the JSON value that replaces `value`: a string unless the
/// value was written as a bare number or boolean. Only for texts without
/// characters JSON escapes (numbers, dates, addresses).
fn json_like(value: &PolicyValue, text: &str) -> String {
    match value.kind {
        PolicyValueKind::String => format!("\"{text}\""),
        PolicyValueKind::Number | PolicyValueKind::Bool => text.to_owned(),
    }
}

/// The span from the first value to the last: replacing it with one value
/// keeps the brackets around the values.
fn values_span(entry: &ConditionEntry) -> Option<Span> {
    let first = entry.values.first()?;
    let last = entry.values.last()?;
    Some(first.span.join(last.span))
}

/// `IMPROVE_IP_RANGE`: `10.0.0.1/8` has bits set after the prefix, which
/// AWS ignores: the range is `10.0.0.0/8`, and the author may have meant
/// the single address.
fn host_bits(entry: &ConditionEntry, out: &mut Vec<Diagnostic>) {
    for value in &entry.values {
        let text = value.text.as_str();
        let Some(range) = IpRange::parse(text).filter(IpRange::has_host_bits) else {
            continue;
        };
        let network = range.network().to_string();
        let address = text.split_once('/').map_or(text, |(a, _)| a);
        let single = if address.contains(':') { 128 } else { 32 };
        out.push(
            Diagnostic::new(
                Severity::Suggestion,
                "ip-range-host-bits",
                format!(
                    "`{text}` has bits set after its /{} prefix, which AWS ignores: it is the range `{network}`",
                    range.prefix()
                ),
                value.span,
            )
            .with_help(format!(
                "write `{network}`, or `{address}/{single}` if you meant only that address"
            ))
            .with_aws_issue("IMPROVE_IP_RANGE", "suggestion-improve-ip-range")
            .with_fix(
                format!("replace with `{network}`"),
                vec![(value.span, json_like(value, &network))],
            ),
        );
    }
}

/// Ranges `aws:SourceIp` never holds: AWS sees the public address a
/// request comes from, and a request through a VPC endpoint has no
/// `aws:SourceIp` at all. RFC 1918 private networks, shared address space
/// (RFC 6598, carrier-grade NAT), loopback and link-local addresses, IPv6
/// unique local (RFC 4193) and link-local addresses.
const PRIVATE_RANGES: [&str; 9] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "fc00::/7",
    "fe80::/10",
    "::1/128",
];

/// Whether every address of `range` is one `aws:SourceIp` never holds.
fn is_private(range: &IpRange) -> bool {
    PRIVATE_RANGES
        .iter()
        .filter_map(|t| IpRange::parse(t))
        .any(|private| range.is_within(&private))
}

/// `PRIVATE_IP_ADDRESS`, `PRIVATE_NOT_IP_ADDRESS` and their `_SUBSET`
/// suggestions: private ranges in an `aws:SourceIp` condition.
fn private_source_ip(entry: &ConditionEntry, out: &mut Vec<Diagnostic>) {
    if !entry.is_key("aws:SourceIp") {
        return;
    }
    let ranges: Vec<(&PolicyValue, bool)> = entry
        .values
        .iter()
        .filter_map(|v| IpRange::parse(&v.text).map(|r| (v, is_private(&r))))
        .collect();
    let private = ranges.iter().filter(|(_, p)| *p).count();
    if private == 0 {
        return;
    }
    let negated = entry.operator.value.base == BaseOperator::NotIpAddress;
    let op = &entry.operator_name;
    if private == ranges.len() {
        let (issue, anchor, effect) = if negated {
            (
                "PRIVATE_NOT_IP_ADDRESS",
                "error-private-not-ip-address",
                "holds for every request",
            )
        } else if entry.operator.value.if_exists {
            (
                "PRIVATE_IP_ADDRESS",
                "error-private-ip-address",
                "holds only for requests without the key (through a VPC endpoint)",
            )
        } else {
            (
                "PRIVATE_IP_ADDRESS",
                "error-private-ip-address",
                "never matches",
            )
        };
        out.push(
            Diagnostic::new(
                Severity::Warning,
                "private-source-ip",
                format!(
                    "`aws:SourceIp` never holds a private address, so `{op}` with only private ranges {effect}"
                ),
                entry.key.span,
            )
            .with_help(
                "for requests from your network through a VPC endpoint use `aws:VpcSourceIp` (with `aws:SourceVpc` or `aws:SourceVpce`); for requests over the internet list your public addresses",
            )
            .with_aws_issue(issue, anchor),
        );
        return;
    }
    let (issue, anchor) = if negated {
        (
            "PRIVATE_NOT_IP_ADDRESS_SUBSET",
            "suggestion-private-not-ip-address-subset",
        )
    } else {
        (
            "PRIVATE_IP_ADDRESS_SUBSET",
            "suggestion-private-ip-address-subset",
        )
    };
    for (value, _) in ranges.iter().filter(|(_, p)| *p) {
        out.push(
            Diagnostic::new(
                Severity::Suggestion,
                "private-source-ip-mixed",
                format!(
                    "`{}` is a private range, which `aws:SourceIp` never holds, so this value of `{op}` has no effect",
                    value.text
                ),
                value.span,
            )
            .with_help("move private ranges to a condition on `aws:VpcSourceIp`, which holds the address of requests through a VPC endpoint")
            .with_aws_issue(issue, anchor),
        );
    }
}

/// `INVALID_DATE_VALUE`: a `Date*` value that may not name the instant it
/// seems to: a bare four-digit number (a year, or seconds after 1970?),
/// epoch seconds (hard to review, easily milliseconds), a time without a
/// time zone. `aws:EpochTime` holds epoch seconds, so they are left alone
/// there.
fn dates(entry: &ConditionEntry, out: &mut Vec<Diagnostic>) {
    for value in &entry.values {
        let text = value.text.as_str();
        let Some(instant) = parse_date(text) else {
            continue;
        };
        let Some((message, help, replacement)) = date_problem(entry, text, instant) else {
            continue;
        };
        let mut d = Diagnostic::new(Severity::Warning, "ambiguous-date", message, value.span)
            .with_help(help)
            .with_aws_issue("INVALID_DATE_VALUE", "general-warning-invalid-date-value");
        if let Some(replacement) = replacement {
            d = d.with_fix(
                format!("replace with `{replacement}`"),
                vec![(value.span, format!("\"{replacement}\""))],
            );
        }
        out.push(d);
    }
}

/// What is unclear about a date value: message, help and the ISO 8601
/// text that says it plainly (when one can be given).
fn date_problem(
    entry: &ConditionEntry,
    text: &str,
    instant: i128,
) -> Option<(String, String, Option<String>)> {
    let op = &entry.operator_name;
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        let iso = format!("{text}-01-01T00:00:00Z");
        return Some((
            format!("`{text}` could be the year {text} or {text} seconds after 1970, so `{op}` may not compare the time you mean"),
            format!("write the full date and time, like `{iso}`"),
            Some(iso),
        ));
    }
    if parse_number(text).is_some() {
        if entry.is_key("aws:EpochTime") {
            return None;
        }
        if let Some(iso) = format_utc(instant) {
            return Some((
                format!("`{text}` is a time in epoch seconds ({iso}), which is easy to get wrong and hard to review"),
                format!("write it in ISO 8601: `{iso}`"),
                Some(iso),
            ));
        }
        let whole = instant % 1_000_000_000 == 0;
        let millis = format_utc(instant / 1_000_000_000 * 1_000_000).filter(|_| whole);
        if millis.is_none() && format_utc(instant - instant % 1_000_000_000).is_some() {
            return Some((
                format!("`{text}` is a time in epoch seconds, which is easy to get wrong and hard to review"),
                "write it in ISO 8601, like `2030-01-01T00:00:00Z`".to_owned(),
                None,
            ));
        }
        return Some((
            format!("`{text}` read as epoch seconds is after the year 9999, so `{op}` compares a time that never comes"),
            match &millis {
                Some(iso) => format!("if it is milliseconds, it is `{iso}`; write dates in ISO 8601"),
                None => "write dates in ISO 8601, like `2030-01-01T00:00:00Z`".to_owned(),
            },
            None,
        ));
    }
    if is_undocumented_date_form(text) {
        let utc = format!("{text}Z");
        return Some((
            format!("`{text}` has a time but no time zone, so the instant it names is not defined (read here as UTC)"),
            format!("add the time zone: `{utc}` for UTC, or an offset like `+01:00`"),
            Some(utc),
        ));
    }
    None
}

/// `REDUNDANT_CONDITION_VALUE_NUM`: the values of a key are ORed, so for
/// `NumericLessThan` only the greatest matters and for
/// `NumericGreaterThan` only the least.
fn redundant_numbers(entry: &ConditionEntry, out: &mut Vec<Diagnostic>) {
    use BaseOperator as B;
    let greatest = match entry.operator.value.base {
        B::NumericLessThan | B::NumericLessThanEquals => true,
        B::NumericGreaterThan | B::NumericGreaterThanEquals => false,
        _ => return,
    };
    if entry.values.len() < 2 {
        return;
    }
    let Some(numbers) = entry
        .values
        .iter()
        .map(|v| parse_number(&v.text))
        .collect::<Option<Vec<f64>>>()
    else {
        return;
    };
    let mut best = 0;
    for (i, n) in numbers.iter().enumerate() {
        let current = numbers.get(best).copied().unwrap_or(*n);
        if (greatest && *n > current) || (!greatest && *n < current) {
            best = i;
        }
    }
    let (Some(kept), Some(span)) = (entry.values.get(best), values_span(entry)) else {
        return;
    };
    let others: Vec<&PolicyValue> = (0..entry.values.len())
        .filter(|i| *i != best)
        .filter_map(|i| entry.values.get(i))
        .collect();
    let Some(first) = others.first() else {
        return;
    };
    let listed: Vec<String> = others.iter().map(|v| format!("`{}`", v.text)).collect();
    let (op, key) = (&entry.operator_name, &entry.key.value);
    out.push(
        Diagnostic::new(
            Severity::Suggestion,
            "redundant-condition-value",
            format!(
                "the values of `{key}` are ORed, so `{op}` with `{}` already covers {}",
                kept.text,
                listed.join(", ")
            ),
            first.span,
        )
        .with_help(format!("keep only `{}`", kept.text))
        .with_aws_issue(
            "REDUNDANT_CONDITION_VALUE_NUM",
            "suggestion-redundant-condition-value-num",
        )
        .with_fix(
            format!("keep only `{}`", kept.text),
            vec![(span, json_like(kept, &kept.text))],
        ),
    );
}

/// `INVALID_CONDITION_MULTIPLE_BOOLEAN`: a boolean key has one value, so
/// several values for `Bool` either repeat one or, with both `true` and
/// `false`, hold whenever the key is present.
fn multiple_booleans(entry: &ConditionEntry, out: &mut Vec<Diagnostic>) {
    if entry.values.len() < 2 {
        return;
    }
    let Some(booleans) = entry
        .values
        .iter()
        .map(|v| parse_bool(&v.text))
        .collect::<Option<Vec<bool>>>()
    else {
        return;
    };
    let (Some(first), Some(span)) = (entry.values.first(), values_span(entry)) else {
        return;
    };
    let mixed = booleans.windows(2).any(|w| w.first() != w.last());
    let key = &entry.key.value;
    let d = Diagnostic::new(
        Severity::Warning,
        "multiple-booleans",
        if mixed {
            format!("`{key}` is given both `true` and `false`, so `{}` holds whenever the request has the key", entry.operator_name)
        } else {
            format!("`{key}` has one boolean value, but the condition repeats `{}`", first.text)
        },
        span,
    )
    .with_aws_issue(
        "INVALID_CONDITION_MULTIPLE_BOOLEAN",
        "error-invalid-condition-multiple-boolean",
    );
    out.push(if mixed {
        d.with_help(format!("keep the one value you mean; to test only that the key is present, write `\"Null\": {{\"{key}\": \"false\"}}`"))
    } else {
        d.with_help(format!("write `{}` once", first.text)).with_fix(
            format!("keep one `{}`", first.text),
            vec![(span, json_like(first, &first.text))],
        )
    });
}

/// A condition key whose values are identifiers of one form.
struct IdentifierKey {
    /// The key.
    key: &'static str,
    /// What its values are, for messages.
    what: &'static str,
    /// Our code.
    code: &'static str,
    /// Access Analyzer's issue code and anchor.
    issue: (&'static str, &'static str),
}

/// Keys holding VPC, VPC endpoint and KMS key identifiers.
const IDENTIFIER_KEYS: [IdentifierKey; 7] = [
    IdentifierKey {
        key: "aws:SourceVpc",
        what: "vpc-",
        code: "invalid-vpc-id",
        issue: ("INVALID_VPC_FORMAT", "error-invalid-vpc-format"),
    },
    IdentifierKey {
        key: "aws:Ec2InstanceSourceVpc",
        what: "vpc-",
        code: "invalid-vpc-id",
        issue: ("INVALID_VPC_FORMAT", "error-invalid-vpc-format"),
    },
    IdentifierKey {
        key: "aws:SourceVpce",
        what: "vpce-",
        code: "invalid-vpce-id",
        issue: ("INVALID_VPCE_FORMAT", "error-invalid-vpce-format"),
    },
    kms_key("s3:x-amz-server-side-encryption-aws-kms-key-id"),
    kms_key("secretsmanager:KmsKeyArn"),
    kms_key("s3tables:KMSKeyArn"),
    kms_key("s3vectors:KmsKeyArn"),
];

/// A key that holds the ARN of a KMS key (typed ARN in the Service
/// Authorization Reference, described as the key's ARN).
const fn kms_key(key: &'static str) -> IdentifierKey {
    IdentifierKey {
        key,
        what: "key ARN",
        code: "invalid-kms-key-arn",
        issue: ("INVALID_KMS_KEY_VALUE", "error-invalid-kms-key-value"),
    }
}

/// `INVALID_VPC_FORMAT`, `INVALID_VPCE_FORMAT`, `INVALID_KMS_KEY_VALUE`:
/// a value the key can never hold, so equality never holds. Values with
/// policy variables are left alone, and so are patterns unless their
/// literal start already rules them out.
fn identifiers(entry: &ConditionEntry, variables: bool, out: &mut Vec<Diagnostic>) {
    let Some(rule) = IDENTIFIER_KEYS.iter().find(|k| entry.is_key(k.key)) else {
        return;
    };
    let base = entry.operator.value.base;
    let ignore_case = matches!(
        base,
        BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase
    );
    for value in &entry.values {
        let text = value.text.as_str();
        if variables && text.contains("${") {
            continue;
        }
        // `*` and `?` are literal for `StringEquals`, which the parser
        // already warns about; either way, only the literal start is known.
        let pattern = text.contains(['*', '?']);
        let problem = if rule.what == "key ARN" {
            kms_key_problem(text, pattern)
        } else {
            vpc_problem(rule, text, pattern, ignore_case)
        };
        let Some((message, help, fix)) = problem else {
            continue;
        };
        let mut d = Diagnostic::new(
            Severity::Warning,
            rule.code,
            format!("{message}, so `{}` never equals it", rule.key),
            value.span,
        )
        .with_help(help)
        .with_aws_issue(rule.issue.0, rule.issue.1);
        if let Some(fixed) = fix {
            d = d.with_fix(
                format!("replace with `{fixed}`"),
                vec![(value.span, format!("\"{fixed}\""))],
            );
        }
        out.push(d);
    }
}

/// Whether `id` is `prefix` and 8 or 17 letters or digits, as VPC and VPC
/// endpoint ids are.
fn is_vpc_style_id(id: &str, prefix: &str, ignore_case: bool) -> bool {
    let Some((head, rest)) = id.split_at_checked(prefix.len()) else {
        return false;
    };
    let head_ok = if ignore_case {
        head.eq_ignore_ascii_case(prefix)
    } else {
        head == prefix
    };
    head_ok && matches!(rest.len(), 8 | 17) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// What is wrong with a VPC or VPC endpoint id: message, help and the id
/// to write instead when the value is its ARN.
fn vpc_problem(
    rule: &IdentifierKey,
    text: &str,
    pattern: bool,
    ignore_case: bool,
) -> Option<(String, String, Option<String>)> {
    let prefix = rule.what;
    if pattern || is_vpc_style_id(text, prefix, ignore_case) {
        return None;
    }
    let name = if prefix == "vpc-" {
        "VPC"
    } else {
        "VPC endpoint"
    };
    let message = format!("`{text}` is not a {name} id");
    let example = format!("{prefix}1a2b3c4d");
    let from_arn = text
        .starts_with("arn:")
        .then(|| text.rsplit('/').next())
        .flatten()
        .filter(|id| is_vpc_style_id(id, prefix, false))
        .map(str::to_owned);
    let help = if let Some(id) = &from_arn {
        format!("the key holds the id, not the ARN: write `{id}`")
    } else if prefix == "vpc-" && text.starts_with("vpce-") {
        "this is a VPC endpoint id: test it with `aws:SourceVpce`".to_owned()
    } else {
        format!("{name} ids are `{prefix}` and 8 or 17 letters or digits, like `{example}`")
    };
    Some((message, help, from_arn))
}

/// What is wrong with a value of a key that holds the full KMS key ARN (`arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`): a key id, an
/// alias or anything else never equals it.
fn kms_key_problem(text: &str, pattern: bool) -> Option<(String, String, Option<String>)> {
    let literal = if pattern {
        text.split(['*', '?']).next().unwrap_or_default()
    } else {
        text
    };
    let fits = if pattern {
        (literal.len() < 4 && "arn:".starts_with(literal) || literal.starts_with("arn:"))
            && !literal.contains(":alias/")
    } else {
        is_kms_key_arn(text)
    };
    if fits {
        return None;
    }
    let message = if text.contains("alias/") {
        format!("`{text}` names an alias, but the key holds the ARN of the key itself")
    } else if !text.starts_with("arn:") {
        format!("`{text}` is not a key ARN (a key id, perhaps)")
    } else {
        format!("`{text}` is not a KMS key ARN")
    };
    let id = if text.starts_with("arn:") {
        "KEY-ID"
    } else {
        text
    };
    Some((
        message,
        format!("write the key ARN, like `arn:aws:kms:REGION:ACCOUNT:key/{id}`"),
        None,
    ))
}

/// Whether `text` is `arn:PARTITION:kms:REGION:ACCOUNT:key/KEY-ID` with a
/// 12-digit account.
fn is_kms_key_arn(text: &str) -> bool {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else {
        return false;
    };
    *arn == "arn"
        && !partition.is_empty()
        && *service == "kms"
        && !region.is_empty()
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && resource
            .strip_prefix("key/")
            .is_some_and(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};
    use crate::Diagnostic;

    /// The findings of `code` for a statement with `condition`.
    fn findings(condition: &str, code: &str) -> Vec<Diagnostic> {
        let text = policy(condition);
        validate(&text, PolicyKind::Managed, None)
            .into_iter()
            .filter(|d| d.code == code)
            .collect()
    }

    fn policy(condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": {{"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "*", "Condition": {condition}}}}}"#
        )
    }

    fn fixed(condition: &str, code: &str) -> String {
        let text = policy(condition);
        let d = findings(condition, code).into_iter().next().unwrap();
        d.fix.unwrap().apply(&text).unwrap()
    }

    #[test]
    fn host_bits_in_ranges() {
        let found = findings(
            r#"{"IpAddress": {"aws:SourceIp": ["203.0.113.9/24", "203.0.113.0/24", "198.51.100.7", "2001:db8::1/32"]}}"#,
            "ip-range-host-bits",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0]
            .message
            .contains("it is the range `203.0.113.0/24`"));
        assert!(found[1].message.contains("`2001:db8::/32`"));
        assert!(fixed(
            r#"{"IpAddress": {"aws:SourceIp": "10.1.2.3/8"}}"#,
            "ip-range-host-bits"
        )
        .contains(r#""aws:SourceIp": "10.0.0.0/8""#));
        assert!(findings(
            r#"{"IpAddress": {"aws:SourceIp": "not-an-ip/8"}}"#,
            "ip-range-host-bits"
        )
        .is_empty());
    }

    #[test]
    fn private_source_ips() {
        let all = findings(
            r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.1.0/24", "fd00::/8"]}}"#,
            "private-source-ip",
        );
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].aws_issue_code, Some("PRIVATE_IP_ADDRESS"));
        let not = findings(
            r#"{"NotIpAddress": {"aws:SourceIp": "172.16.0.0/12"}}"#,
            "private-source-ip",
        );
        assert_eq!(not[0].aws_issue_code, Some("PRIVATE_NOT_IP_ADDRESS"));
        assert!(not[0].message.ends_with("holds for every request"));
        let if_exists = findings(
            r#"{"IpAddressIfExists": {"aws:SourceIp": "10.0.0.0/8"}}"#,
            "private-source-ip",
        );
        assert!(if_exists[0]
            .message
            .contains("holds only for requests without the key"));
        let mixed = findings(
            r#"{"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24"]}}"#,
            "private-source-ip-mixed",
        );
        assert_eq!(mixed.len(), 1);
        assert_eq!(
            mixed[0].aws_issue_code,
            Some("PRIVATE_NOT_IP_ADDRESS_SUBSET")
        );
        // Ranges reaching outside the private blocks, and other keys.
        for condition in [
            r#"{"IpAddress": {"aws:SourceIp": ["10.0.0.0/7", "0.0.0.0/0"]}}"#,
            r#"{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}}"#,
            r#"{"IpAddress": {"aws:SourceIp": "172.32.0.0/16"}}"#,
        ] {
            assert!(
                findings(condition, "private-source-ip").is_empty(),
                "{condition}"
            );
            assert!(
                findings(condition, "private-source-ip-mixed").is_empty(),
                "{condition}"
            );
        }
    }

    #[test]
    fn unclear_dates() {
        let year = findings(
            r#"{"DateGreaterThan": {"aws:CurrentTime": "2021"}}"#,
            "ambiguous-date",
        );
        assert_eq!(year[0].aws_issue_code, Some("INVALID_DATE_VALUE"));
        assert!(fixed(
            r#"{"DateLessThan": {"aws:CurrentTime": 1672531200}}"#,
            "ambiguous-date"
        )
        .contains(r#""aws:CurrentTime": "2023-01-01T00:00:00Z""#));
        assert!(fixed(
            r#"{"DateLessThan": {"aws:CurrentTime": "2020-01-01T10:00:00"}}"#,
            "ambiguous-date"
        )
        .contains(r#""2020-01-01T10:00:00Z""#));
        let millis = findings(
            r#"{"DateLessThan": {"aws:CurrentTime": "1672531200000"}}"#,
            "ambiguous-date",
        );
        assert!(
            millis[0]
                .help
                .as_deref()
                .unwrap()
                .contains("2023-01-01T00:00:00Z"),
            "{millis:?}"
        );
        for condition in [
            r#"{"DateLessThan": {"aws:CurrentTime": "2020-01-01"}}"#,
            r#"{"DateLessThan": {"aws:CurrentTime": "2020-01-01T10:00:00+01:00"}}"#,
            r#"{"DateLessThan": {"aws:EpochTime": "1672531200"}}"#,
            r#"{"DateLessThan": {"aws:CurrentTime": "yesterday"}}"#,
        ] {
            assert!(
                findings(condition, "ambiguous-date").is_empty(),
                "{condition}"
            );
        }
    }

    #[test]
    fn fractional_epoch_seconds() {
        let found = findings(
            r#"{"DateLessThan": {"aws:CurrentTime": "1672531200.5"}}"#,
            "ambiguous-date",
        );
        assert!(
            found[0].message.contains("is a time in epoch seconds"),
            "{found:?}"
        );
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn redundant_numeric_bounds() {
        let condition =
            r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", "3600", "1200"]}}"#;
        let found = findings(condition, "redundant-condition-value");
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains("with `3600` already covers `2700`, `1200`"),
            "{}",
            found[0].message
        );
        assert!(fixed(condition, "redundant-condition-value")
            .contains(r#""aws:MultiFactorAuthAge": ["3600"]"#));
        let least = findings(
            r#"{"NumericGreaterThanEquals": {"s3:max-keys": [10, 5]}}"#,
            "redundant-condition-value",
        );
        assert!(least[0].message.contains("with `5` already covers `10`"));
        for condition in [
            r#"{"NumericEquals": {"s3:max-keys": ["10", "5"]}}"#,
            r#"{"NumericLessThan": {"s3:max-keys": "10"}}"#,
            r#"{"NumericLessThan": {"s3:max-keys": ["10", "x"]}}"#,
        ] {
            assert!(
                findings(condition, "redundant-condition-value").is_empty(),
                "{condition}"
            );
        }
    }

    #[test]
    fn several_booleans() {
        let mixed = findings(
            r#"{"Bool": {"aws:SecureTransport": ["true", "false"]}}"#,
            "multiple-booleans",
        );
        assert!(mixed[0].message.contains("holds whenever"));
        assert!(mixed[0].fix.is_none());
        assert!(fixed(
            r#"{"Bool": {"aws:SecureTransport": ["true", "True"]}}"#,
            "multiple-booleans"
        )
        .contains(r#""aws:SecureTransport": ["true"]"#));
        assert!(findings(
            r#"{"Bool": {"aws:SecureTransport": ["true"]}}"#,
            "multiple-booleans"
        )
        .is_empty());
    }

    #[test]
    fn vpc_and_endpoint_ids() {
        let found = findings(
            r#"{"StringEquals": {"aws:SourceVpc": ["vpc-1a2b3c4d", "vpc-11223344556677889", "vpc-123", "vpce-1a2b3c4d", "VPC-1a2b3c4d"]}}"#,
            "invalid-vpc-id",
        );
        let shown: Vec<_> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(shown.len(), 3, "{shown:?}");
        assert!(found[1].help.as_deref().unwrap().contains("aws:SourceVpce"));
        assert!(fixed(
            r#"{"StringEquals": {"aws:SourceVpc": "arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1a2b3c4d"}}"#,
            "invalid-vpc-id"
        )
        .contains(r#""aws:SourceVpc": "vpc-1a2b3c4d""#));
        let endpoint = findings(
            r#"{"StringNotEquals": {"aws:sourcevpce": ["vpce-1a2b3c4d", "vpc-1a2b3c4d"]}}"#,
            "invalid-vpce-id",
        );
        assert_eq!(endpoint.len(), 1);
        assert_eq!(endpoint[0].aws_issue_code, Some("INVALID_VPCE_FORMAT"));
        for condition in [
            r#"{"StringLike": {"aws:SourceVpc": "vpc-*"}}"#,
            r#"{"StringEquals": {"aws:SourceVpc": "vpc-*"}}"#,
            r#"{"StringEqualsIgnoreCase": {"aws:SourceVpc": "VPC-1A2B3C4D"}}"#,
            r#"{"StringEquals": {"aws:SourceVpc": "${aws:PrincipalTag/vpc}"}}"#,
        ] {
            assert!(
                findings(condition, "invalid-vpc-id").is_empty(),
                "{condition}"
            );
        }
    }

    #[test]
    fn kms_key_arns() {
        let key = "s3:x-amz-server-side-encryption-aws-kms-key-id";
        let found = findings(
            &format!(
                r#"{{"StringEquals": {{"{key}": ["arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "1234abcd-12ab-34cd-56ef-1234567890ab", "arn:aws:kms:us-east-1:111122223333:alias/app"]}}}}"#
            ),
            "invalid-kms-key-arn",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].aws_issue_code, Some("INVALID_KMS_KEY_VALUE"));
        assert!(found[1].message.contains("names an alias"));
        let patterns = findings(
            &format!(
                r#"{{"StringLike": {{"{key}": ["arn:aws:kms:*:111122223333:key/*", "*", "1234abcd-*"]}}}}"#
            ),
            "invalid-kms-key-arn",
        );
        assert_eq!(patterns.len(), 1, "{patterns:?}");
        let secrets = findings(
            r#"{"ArnEquals": {"secretsmanager:KmsKeyArn": "alias/app"}}"#,
            "invalid-kms-key-arn",
        );
        assert_eq!(secrets.len(), 1, "{secrets:?}");
        assert!(patterns[0].message.contains("`1234abcd-*`"));
    }
}
