//! The Access Analyzer equivalents of the parser's diagnostics: its issue
//! code, its reference entry, and its finding type where that differs from
//! the parser's severity (for example `NotPrincipal` with `Allow` is a
//! security warning).

use crate::diagnostics::{Diagnostic, Severity};

/// Adds the Access Analyzer issue code, "learn more" address and severity
/// to a parser diagnostic that has an equivalent check.
pub(super) fn tag(d: Diagnostic) -> Diagnostic {
    if d.aws_issue_code.is_some() {
        return d;
    }
    let message = d.message.as_str();
    let (code, anchor, severity) = match d.code {
        "json-syntax" => ("JSON_SYNTAX_ERROR", "error-json-syntax-error", None),
        "missing-version" => ("MISSING_VERSION", "general-warning-missing-version", None),
        "invalid-version" => ("INVALID_VERSION", "error-invalid-version", None),
        "missing-statement" => ("MISSING_STATEMENT", "error-missing-statement", None),
        "missing-effect" => ("MISSING_EFFECT", "error-missing-effect", None),
        "invalid-effect" => ("INVALID_EFFECT", "error-invalid-effect", None),
        "missing-action" => ("MISSING_ACTION", "error-missing-action", None),
        "missing-resource" => ("MISSING_RESOURCE", "error-missing-resource", None),
        "missing-principal" => ("MISSING_PRINCIPAL", "error-missing-principal", None),
        "principal-not-allowed" => ("UNSUPPORTED_PRINCIPAL", "error-unsupported-principal", None),
        "duplicate-sid" => ("UNIQUE_SIDS_REQUIRED", "error-unique-sids-required", None),
        "invalid-sid" => ("UNSUPPORTED_SID", "error-unsupported-sid", None),
        "conflicting-elements" => (
            "UNSUPPORTED_ELEMENT_COMBINATION",
            "error-unsupported-element-combination",
            None,
        ),
        "unknown-element"
            if message.ends_with("in `Principal`") || message.ends_with("in `NotPrincipal`") =>
        {
            ("INVALID_PRINCIPAL_KEY", "error-invalid-principal-key", None)
        }
        "unknown-element" => (
            "INVALID_POLICY_ELEMENT",
            "error-invalid-policy-element",
            None,
        ),
        "wrong-type" => ("DATA_TYPE_MISMATCH", "error-data-type-mismatch", None),
        "invalid-condition-value"
            if message.ends_with("is not an IP address or CIDR range")
                && !d
                    .help
                    .as_deref()
                    .is_some_and(|h| h.starts_with("policy variables")) =>
        {
            (
                "TYPE_MISMATCH_IP_RANGE",
                "error-type-mismatch-ip-range",
                None,
            )
        }
        "unknown-condition-operator" | "unknown-set-qualifier" => (
            "INVALID_CONDITION_OPERATOR",
            "error-invalid-condition-operator",
            None,
        ),
        "null-if-exists" => ("NULL_WITH_IF_EXISTS", "error-null-with-if-exists", None),
        "duplicate-element" if message.contains("appears twice under") => (
            "DUPLICATE_KEYS_WITH_DIFFERENT_CASE",
            "error-duplicate-keys-with-different-case",
            None,
        ),
        "notprincipal-allow" => (
            "ALLOW_WITH_NOT_PRINCIPAL",
            "security-warning-allow-with-not-principal",
            Some(Severity::SecurityWarning),
        ),
        "literal-wildcard" => (
            "WILDCARD_WITHOUT_LIKE_OPERATOR",
            "general-warning-wildcard-without-like-operator",
            None,
        ),
        "multivalued-key-without-set-qualifier" => {
            ("MISSING_QUALIFIER", "error-missing-qualifier", None)
        }
        "set-qualifier-on-single-valued-key" if message.starts_with("`ForAllValues:`") => (
            "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
            "security-warning-forallvalues-with-single-valued-key",
            Some(Severity::SecurityWarning),
        ),
        "set-qualifier-on-null" => (
            "NULL_WITH_QUALIFIER",
            "suggestion-null-with-qualifier",
            Some(Severity::Suggestion),
        ),
        "unknown-global-condition-key" => (
            "INVALID_GLOBAL_CONDITION_KEY",
            "error-invalid-global-condition-key",
            None,
        ),
        "unsupported-global-condition-key" => (
            "UNSUPPORTED_GLOBAL_CONDITION_KEY",
            "error-unsupported-global-condition-key",
            None,
        ),
        "literal-variable" => (
            "VARIABLE_UNSUPPORTED_IN_VERSION",
            "error-variable-unsupported-in-version",
            None,
        ),
        "invalid-resource" if message.ends_with("is not an ARN") => {
            ("INVALID_ARN_PREFIX", "error-invalid-arn-prefix", None)
        }
        "invalid-resource" if message.contains("of the 6 parts of an ARN") => {
            ("MISSING_ARN_FIELD", "error-missing-arn-field", None)
        }
        "rcp-principal" => (
            "RCP_SYNTAX_ERROR_PRINCIPAL",
            "error-rcp-syntax-error-principal",
            None,
        ),
        "rcp-allow" => (
            "RCP_SYNTAX_ERROR_ALLOW",
            "error-rcp-syntax-error-allow",
            None,
        ),
        "not-supported"
            if message.starts_with("resource control policies do not support `NotAction`") =>
        {
            (
                "RCP_SYNTAX_ERROR_NOTACTION",
                "error-rcp-syntax-error-notaction",
                None,
            )
        }
        "invalid-principal" if message.starts_with("wildcards are not allowed") => (
            "UNSUPPORTED_WILDCARD_IN_PRINCIPAL",
            "error-unsupported-wildcard-in-principal",
            None,
        ),
        _ => return d,
    };
    let mut d = d.with_aws_issue(code, anchor);
    if let Some(severity) = severity {
        d.severity = severity;
    }
    d
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};

    #[test]
    fn parser_diagnostics_carry_access_analyzer_codes() {
        let text = r#"{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:SourceVpc": "vpc-1"}}}}"#;
        let found = validate(text, PolicyKind::Managed, None);
        let codes: Vec<_> = found
            .iter()
            .map(|d| (d.code, d.aws_issue_code, d.severity))
            .collect();
        assert!(
            codes.contains(&(
                "missing-version",
                Some("MISSING_VERSION"),
                crate::Severity::Warning
            )),
            "{codes:?}"
        );
        assert!(
            codes.contains(&(
                "set-qualifier-on-single-valued-key",
                Some("FORALLVALUES_WITH_SINGLE_VALUED_KEY"),
                crate::Severity::SecurityWarning
            )),
            "{codes:?}"
        );
        let learn = found.iter().find_map(|d| d.learn_more.clone()).unwrap();
        let ip = validate(
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.300", "${aws:username}"]}}}}"#,
            PolicyKind::Managed,
            None,
        );
        let ip: Vec<_> = ip
            .iter()
            .filter(|d| d.code == "invalid-condition-value")
            .map(|d| d.aws_issue_code)
            .collect();
        assert_eq!(ip, [Some("TYPE_MISMATCH_IP_RANGE"), None]);
        assert!(learn.starts_with("https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-"), "{learn}");
    }
}
