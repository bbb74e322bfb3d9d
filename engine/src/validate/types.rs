//! Condition operators against the type of their key, from the catalogue:
//! `TYPE_MISMATCH`, `STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS`, and the
//! set qualifiers for service keys the built-in lists do not know
//! (`MISSING_QUALIFIER`, `FORALLVALUES_WITH_SINGLE_VALUED_KEY`).

use super::Context;
use crate::catalog::{Catalog, KeyType};
use crate::condition::{
    global_key, is_multivalued_key, BaseOperator, OperatorFamily, SetQualifier,
};
use crate::diagnostics::{Diagnostic, Severity};

/// The operator family that fits a key type, and an example operator.
fn family_of(key_type: KeyType) -> (OperatorFamily, &'static str) {
    match key_type.element() {
        KeyType::Arn => (OperatorFamily::Arn, "ArnEquals"),
        KeyType::Bool => (OperatorFamily::Bool, "Bool"),
        KeyType::Date => (OperatorFamily::Date, "DateGreaterThan"),
        KeyType::Numeric => (OperatorFamily::Numeric, "NumericLessThan"),
        KeyType::IpAddress => (OperatorFamily::IpAddress, "IpAddress"),
        KeyType::Binary => (OperatorFamily::Binary, "BinaryEquals"),
        _ => (OperatorFamily::String, "StringEquals"),
    }
}

/// Whether an operator of `family` compares values of `key_type` as AWS
/// intends. String operators also compare ARNs (as text); ARN operators
/// also compare strings that hold ARNs; dates may be written as epoch
/// seconds.
fn fits(family: OperatorFamily, key_type: KeyType, key: &str) -> bool {
    let element = key_type.element();
    match family {
        OperatorFamily::Null => true,
        OperatorFamily::String => matches!(element, KeyType::String | KeyType::Arn),
        OperatorFamily::Arn => matches!(element, KeyType::Arn | KeyType::String),
        OperatorFamily::Numeric => {
            element == KeyType::Numeric || key.eq_ignore_ascii_case("aws:EpochTime")
        }
        OperatorFamily::Date => element == KeyType::Date,
        OperatorFamily::Bool => element == KeyType::Bool,
        OperatorFamily::IpAddress => element == KeyType::IpAddress,
        OperatorFamily::Binary => element == KeyType::Binary,
    }
}

pub(super) fn operator_types(cx: &Context<'_>, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        for entry in &statement.conditions {
            let key = entry.key.value.as_str();
            let Some(known) = catalog.condition_key(key) else {
                continue;
            };
            let key_type = known.key_type();
            let op = &entry.operator.value;
            let family = op.family();
            let name = &entry.operator_name;
            if !fits(family, key_type, key) {
                let (wanted, example) = family_of(key_type);
                out.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "type-mismatch",
                        format!(
                            "`{key}` is of type {}, but `{name}` compares {} values",
                            key_type.as_str(),
                            family.label()
                        ),
                        entry.operator.span,
                    )
                    .with_help(format!(
                        "use {} operator such as `{example}`",
                        article(wanted.label())
                    ))
                    .with_aws_issue("TYPE_MISMATCH", "general-warning-type-mismatch"),
                );
            } else if key_type.element() == KeyType::Arn
                && matches!(
                    op.base,
                    BaseOperator::StringLike | BaseOperator::StringNotLike
                )
            {
                let arn_op = if op.base == BaseOperator::StringLike {
                    "ArnLike"
                } else {
                    "ArnNotLike"
                };
                out.push(
                    Diagnostic::new(
                        Severity::SecurityWarning,
                        "string-like-on-arn-key",
                        format!("`{key}` holds an ARN; `{name}` lets `*` run across the ARN's `:` separators"),
                        entry.operator.span,
                    )
                    .with_help(format!("use `{arn_op}`, which matches each part of the ARN separately"))
                    .with_aws_issue(
                        "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
                        "security-warning-string-like-operator-with-arn-condition-keys",
                    ),
                );
            }
            // Set qualifiers for keys the built-in lists do not type.
            let built_in = global_key(key).is_some() || is_multivalued_key(key);
            let audience = super::federation::is_audience_key(key);
            if built_in || audience || family == OperatorFamily::Null {
                continue;
            }
            match op.qualifier {
                None if key_type.is_array() => out.push(
                    Diagnostic::new(
                        Severity::Warning,
                        "multivalued-key-without-set-qualifier",
                        format!("`{key}` is a multivalued key ({}) but `{name}` has no set qualifier", key_type.as_str()),
                        entry.operator.span,
                    )
                    .with_help(format!(
                        "write `ForAllValues:{name}` (every value must match) or `ForAnyValue:{name}` (at least one must)"
                    ))
                    .with_aws_issue("MISSING_QUALIFIER", "error-missing-qualifier"),
                ),
                Some(qualifier) if !key_type.is_array() => {
                    let d = Diagnostic::new(
                        if qualifier == SetQualifier::ForAllValues {
                            Severity::SecurityWarning
                        } else {
                            Severity::Warning
                        },
                        "set-qualifier-on-single-valued-key",
                        format!("`{qualifier}:` used with `{key}`, which is a single-valued key ({})", key_type.as_str()),
                        entry.operator.span,
                    )
                    .with_help("set qualifiers are for multivalued keys and can make a policy overly permissive; remove the qualifier");
                    out.push(if qualifier == SetQualifier::ForAllValues {
                        d.with_aws_issue(
                            "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                            "security-warning-forallvalues-with-single-valued-key",
                        )
                    } else {
                        d
                    });
                }
                _ => {}
            }
        }
    }
}

/// `label` with its article: "an IP address", "a numeric".
fn article(label: &str) -> String {
    if label.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) {
        format!("an {label}")
    } else {
        format!("a {label}")
    }
}
