//! Condition keys: AWS's global keys, which of them are multivalued, and
//! warnings for a condition that likely does not mean what it says.
//!
//! From [AWS global condition context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
//! and [Single-valued vs. multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).

use crate::diagnostics::Diagnostic;
use crate::source::Span;

use super::operator::{closest_or_prefix, BaseOperator, ConditionOperator, SetQualifier};

/// AWS global condition keys, spelled as AWS spells them. The tag families
/// (`aws:PrincipalTag/KEY`, `aws:RequestTag/KEY`, `aws:ResourceTag/KEY`) are
/// in [`TAG_KEY_FAMILIES`] and matched by prefix.
pub const GLOBAL_CONDITION_KEYS: &[&str] = &[
    // Principal properties.
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalOrgID",
    // The organization's management account: not on AWS's global keys
    // page, but AWS uses it in its own managed policies
    // (`AWSSSOMasterAccountAdministrator`); `"documented": false` in
    // `engine/data/global-keys.json`, and so in the catalogue.
    "aws:PrincipalOrgMasterAccountId",
    "aws:PrincipalIsAWSService",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
    "aws:PrincipalType",
    "aws:userid",
    "aws:username",
    // Role session properties.
    "aws:AssumedRoot",
    "aws:FederatedProvider",
    "aws:TokenIssueTime",
    "aws:SignInSessionArn",
    "aws:MultiFactorAuthAge",
    "aws:MultiFactorAuthPresent",
    "aws:ChatbotSourceArn",
    "aws:Ec2InstanceSourceVpc",
    "aws:Ec2InstanceSourcePrivateIPv4",
    "aws:SourceIdentity",
    // Network properties.
    "aws:SourceIp",
    "aws:SourceVpc",
    "aws:SourceVpcArn",
    "aws:SourceVpce",
    "aws:VpceAccount",
    "aws:VpceOrgID",
    "aws:VpceOrgPaths",
    "aws:VpcSourceIp",
    // Resource properties.
    "aws:ResourceAccount",
    "aws:ResourceOrgID",
    "aws:ResourceOrgPaths",
    // Request properties.
    "aws:CalledVia",
    "aws:CalledViaFirst",
    "aws:CalledViaLast",
    "aws:CalledViaAWSMCP",
    "aws:ViaAWSService",
    "aws:ViaAWSMCPService",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:referer",
    "aws:RequestedRegion",
    "aws:TagKeys",
    "aws:SecureTransport",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:UserAgent",
    "aws:IsMcpServiceAction",
];

/// The one global key Access Analyzer names as deprecated and unsupported
/// (`UNSUPPORTED_GLOBAL_CONDITION_KEY`, `DEPRECATED_GLOBAL_CONDITION_KEY`):
/// `aws:PrincipalArn` and `aws:SourceArn` replace it.
const UNSUPPORTED_GLOBAL_KEY: &str = "aws:ARN";

/// Global keys that name a tag: the tag key follows the `/`.
pub const TAG_KEY_FAMILIES: &[&str] = &["aws:PrincipalTag/", "aws:RequestTag/", "aws:ResourceTag/"];

/// Keys whose request value can be a list. The global ones are documented
/// as multivalued; the service keys are `ArrayOf…` in the Service
/// Authorization Reference.
const MULTIVALUED_KEYS: &[&str] = &[
    "aws:CalledVia",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceNamesList",
    "aws:ResourceOrgPaths",
    "aws:SourceOrgPaths",
    "aws:TagKeys",
    "aws:VpceOrgPaths",
    "dynamodb:Attributes",
    "dynamodb:LeadingKeys",
    "kms:EncryptionContextKeys",
    "kms:GrantOperations",
    "sts:TransitiveTagKeys",
    "cognito-identity.amazonaws.com:amr",
];

/// Whether `key` (any case) is known to be multivalued.
pub fn is_multivalued_key(key: &str) -> bool {
    MULTIVALUED_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// The global key `key` names (any case), as AWS spells it; a tag key is
/// returned as its family, such as `aws:ResourceTag/`.
pub fn global_key(key: &str) -> Option<&'static str> {
    GLOBAL_CONDITION_KEYS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(key))
        .or_else(|| {
            TAG_KEY_FAMILIES.iter().find(|family| {
                key.get(..family.len())
                    .is_some_and(|prefix| prefix.eq_ignore_ascii_case(family))
                    && key.len() > family.len()
            })
        })
        .copied()
}

/// Whether `key` is a global key known to take a single value.
fn is_known_single_valued(key: &str) -> bool {
    global_key(key).is_some() && !is_multivalued_key(key)
}

fn is_global_namespace(key: &str) -> bool {
    key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

/// The global key the author of `key` probably meant.
fn suggest_key(key: &str) -> Option<String> {
    if let Some((family, tag)) = key.split_once('/') {
        let families = TAG_KEY_FAMILIES.iter().map(|f| f.trim_end_matches('/'));
        return closest_or_prefix(family, families).map(|f| format!("{f}/{tag}"));
    }
    if let Some(family) = TAG_KEY_FAMILIES
        .iter()
        .find(|f| f.trim_end_matches('/').eq_ignore_ascii_case(key))
    {
        return Some(format!("{family}TAG-KEY"));
    }
    closest_or_prefix(key, GLOBAL_CONDITION_KEYS.iter().copied()).map(str::to_owned)
}

/// Warnings for one condition (operator and key) that AWS accepts but that
/// likely do not do what the author meant:
/// - `unknown-global-condition-key`: an `aws:` key AWS does not define
///   (key names are case-insensitive, so only spelling matters);
/// - `unsupported-global-condition-key`: `aws:ARN`, deprecated;
/// - `set-qualifier-on-single-valued-key`: `ForAllValues:`/`ForAnyValue:` on
///   a key known to be single-valued, which AWS warns can be overly permissive;
/// - `multivalued-key-without-set-qualifier`: a key known to be multivalued
///   with an operator that has no set qualifier (`Null` excepted);
/// - `for-all-values-with-allow`: `ForAllValues:` in an `Allow` statement,
///   which also holds when the key is missing;
/// - `set-qualifier-on-null`: a set qualifier on `Null`, where it does nothing.
pub fn lint_condition(
    operator: &ConditionOperator,
    operator_span: Span,
    key: &str,
    key_span: Span,
    effect_is_allow: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let is_null = operator.base == BaseOperator::Null;
    if key.eq_ignore_ascii_case(UNSUPPORTED_GLOBAL_KEY) {
        out.push(
            Diagnostic::warning(
                "unsupported-global-condition-key",
                format!("`{key}` is a deprecated global key that AWS no longer supports, so the condition does not test what it says"),
                key_span,
            )
            .with_help("use `aws:PrincipalArn` for the ARN of the principal making the request, or `aws:SourceArn` for the resource on whose behalf a service calls"),
        );
    } else if is_global_namespace(key) && global_key(key).is_none() {
        let diagnostic = Diagnostic::warning(
            "unknown-global-condition-key",
            format!("unknown global condition key `{key}`"),
            key_span,
        );
        out.push(match suggest_key(key) {
            Some(s) => diagnostic.with_help(format!("did you mean `{s}`?")),
            None => diagnostic.with_help(
                "AWS global condition keys are listed in \"AWS global condition context keys\"",
            ),
        });
    }
    match operator.qualifier {
        Some(qualifier) if is_null => out.push(
            Diagnostic::warning(
                "set-qualifier-on-null",
                format!("`{qualifier}:` has no effect on `Null`"),
                operator_span,
            )
            .with_help("`Null` only tests whether the key is present; write `Null`"),
        ),
        Some(qualifier) if is_known_single_valued(key) => out.push(
            Diagnostic::warning(
                "set-qualifier-on-single-valued-key",
                format!("`{qualifier}:` used with `{key}`, which is a single-valued key"),
                operator_span,
            )
            .with_help(format!(
                "set qualifiers are for multivalued keys and can make a policy overly permissive; write `{}`",
                ConditionOperator { qualifier: None, ..*operator }
            )),
        ),
        None if !is_null && is_multivalued_key(key) => out.push(
            Diagnostic::warning(
                "multivalued-key-without-set-qualifier",
                format!("`{key}` is a multivalued key but `{operator}` has no set qualifier"),
                operator_span,
            )
            .with_help(format!(
                "write `ForAllValues:{operator}` (every value must match) or `ForAnyValue:{operator}` (at least one must)"
            )),
        ),
        _ => {}
    }
    // A list of tag keys that is missing means no tags: nothing outside the
    // allowed set can be added, which is what AWS's documented pattern
    // (`ForAllValues:StringEquals` on `aws:TagKeys`) relies on.
    let tag_keys = key.len() >= 7
        && key
            .get(key.len() - 7..)
            .is_some_and(|end| end.eq_ignore_ascii_case("TagKeys"));
    if effect_is_allow
        && !is_null
        && !tag_keys
        && operator.qualifier == Some(SetQualifier::ForAllValues)
    {
        out.push(
            Diagnostic::warning(
                "for-all-values-with-allow",
                format!("`{operator}` also holds when `{key}` is missing from the request, so this `Allow` applies to requests without it"),
                operator_span,
            )
            .with_help(format!(
                "to require the key, add `\"Null\": {{\"{key}\": \"false\"}}` to the condition"
            )),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(name: &str) -> ConditionOperator {
        ConditionOperator::parse(name).unwrap()
    }

    fn codes(name: &str, key: &str, allow: bool) -> Vec<&'static str> {
        lint_condition(&op(name), Span::new(0, 5), key, Span::new(10, 20), allow)
            .iter()
            .map(|d| d.code)
            .collect()
    }

    #[test]
    fn multivalued_keys_are_case_insensitive() {
        for key in [
            "aws:TagKeys",
            "AWS:tagkeys",
            "aws:CalledVia",
            "aws:PrincipalOrgPaths",
            "aws:PrincipalServiceNamesList",
            "aws:ResourceOrgPaths",
            "dynamodb:LeadingKeys",
        ] {
            assert!(is_multivalued_key(key), "{key}");
        }
        for key in [
            "aws:SourceIp",
            "aws:CalledViaFirst",
            "aws:ResourceTag/x",
            "s3:prefix",
        ] {
            assert!(!is_multivalued_key(key), "{key}");
        }
    }

    #[test]
    fn global_keys_resolve_in_any_case() {
        assert_eq!(global_key("aws:sourceip"), Some("aws:SourceIp"));
        assert_eq!(global_key("aws:SourceIP"), Some("aws:SourceIp"));
        assert_eq!(global_key("AWS:ResourceTag/Team"), Some("aws:ResourceTag/"));
        assert_eq!(global_key("aws:ResourceTag/"), None);
        assert_eq!(global_key("aws:SourceIpAddress"), None);
        for key in GLOBAL_CONDITION_KEYS {
            assert!(key.starts_with("aws:"), "{key}");
        }
    }

    #[test]
    fn unknown_global_keys_get_suggestions() {
        let cases = [
            ("aws:SourceIpAddress", Some("aws:SourceIp")),
            ("aws:SourceIpp", Some("aws:SourceIp")),
            ("aws:PrincipalOrgId", None),
            ("aws:PrincipleArn", Some("aws:PrincipalArn")),
            ("aws:ResourceTags/team", Some("aws:ResourceTag/team")),
            ("aws:ResourceTag", Some("aws:ResourceTag/TAG-KEY")),
            ("aws:Frobnicate", None),
        ];
        for (key, want) in cases {
            let diagnostics = lint_condition(
                &op("StringEquals"),
                Span::new(0, 5),
                key,
                Span::new(10, 20),
                false,
            );
            if key == "aws:PrincipalOrgId" {
                assert!(diagnostics.is_empty(), "keys are case-insensitive");
                continue;
            }
            let d = diagnostics.first().unwrap_or_else(|| panic!("{key}"));
            assert_eq!(d.code, "unknown-global-condition-key");
            assert_eq!(d.span, Span::new(10, 20));
            let help = d.help.clone().unwrap();
            match want {
                Some(s) => assert_eq!(help, format!("did you mean `{s}`?"), "{key}"),
                None => assert!(!help.starts_with("did you mean"), "{key}: {help}"),
            }
        }
        assert!(codes("StringEquals", "aws:SourceIP", false).is_empty());
        assert!(codes("StringEquals", "s3:whatever", false).is_empty());
        assert!(codes("StringEquals", "aws:PrincipalTag/team", false).is_empty());
    }

    #[test]
    fn set_qualifier_lints() {
        assert_eq!(
            codes("ForAnyValue:StringEquals", "aws:SourceVpce", false),
            ["set-qualifier-on-single-valued-key"]
        );
        assert_eq!(
            codes("ForAllValues:StringEquals", "aws:RequestTag/team", false),
            ["set-qualifier-on-single-valued-key"]
        );
        assert!(codes("ForAnyValue:StringEquals", "aws:TagKeys", false).is_empty());
        assert!(codes("ForAnyValue:StringEquals", "s3:unknownkey", false).is_empty());
        assert_eq!(
            codes("StringEquals", "aws:TagKeys", false),
            ["multivalued-key-without-set-qualifier"]
        );
        assert!(codes("Null", "aws:TagKeys", true).is_empty());
        assert_eq!(
            codes("ForAllValues:Null", "aws:TagKeys", true),
            ["set-qualifier-on-null"]
        );
        assert!(
            codes("ForAllValues:StringLike", "aws:TagKeys", true).is_empty(),
            "a missing list of tag keys adds no tag"
        );
        assert_eq!(
            codes("ForAllValues:StringEquals", "kms:GrantOperations", true),
            ["for-all-values-with-allow"]
        );
        assert!(codes("ForAllValues:StringLike", "aws:TagKeys", false).is_empty());
        assert!(codes("ForAnyValue:StringLike", "aws:TagKeys", true).is_empty());
        let d = lint_condition(
            &op("ForAnyValue:StringEqualsIfExists"),
            Span::new(0, 5),
            "aws:SourceVpce",
            Span::new(10, 20),
            false,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span, Span::new(0, 5));
        assert!(d[0]
            .help
            .as_deref()
            .unwrap()
            .ends_with("write `StringEqualsIfExists`"));
    }
}
