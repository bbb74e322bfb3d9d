//! Evaluating one condition: an operator, a key and the policy's values for
//! it, against the request context.
//!
//! The rules, from [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html),
//! [Conditions with multiple context keys or values](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html)
//! and [Single-valued vs. multivalued context keys](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
//!
//! - The policy values of one key are ORed: a request value *matches* when it
//!   matches at least one of them. A negated operator (`StringNotEquals`,
//!   `NotIpAddress`, …) holds for a request value that matches none of them.
//! - Key missing: a positive operator does not match, a negated one holds;
//!   `…IfExists` holds; `Null` with `true` holds exactly when the key is
//!   missing, with `false` exactly when it is present.
//! - `ForAllValues:` holds when every request value holds (matches some
//!   policy value, or for a negated operator matches none), and also when
//!   the key is missing or has no values. `ForAnyValue:` holds when at least
//!   one request value holds, and not when the key is missing or empty.
//! - A key present with an empty list is treated exactly like a missing key.
//! - **A multivalued request value with an operator that has no set
//!   qualifier.** AWS documents only that "multivalued context keys require
//!   a condition set operator" (Single-valued vs. multivalued context keys)
//!   and does not define the result otherwise. We read the values like the
//!   single-valued case generalised: a positive operator holds when *any*
//!   request value matches some policy value (as `ForAnyValue:`), and a
//!   negated operator holds only when *no* request value matches any policy
//!   value (the negation of the positive reading, unlike
//!   `ForAnyValue:StringNotEquals`). With one value both readings are the
//!   plain rule. The trace carries a `multivalued_without_set_qualifier`
//!   note, and `lint_condition` warns about such policies.
//! - A request value that cannot be read as the operator's type (not a
//!   number for `Numeric*`, not a date, not an IP address, not a boolean,
//!   not base64) does not hold, for positive and negated operators alike.
//!   A policy value that cannot be read, or whose policy variable has no
//!   value and no default, matches nothing: a positive operator fails on it
//!   and a negated one holds.
//! - Policy variables are substituted in the values of String, ARN and Bool
//!   operators (under policy version 2012-10-17); substituted text is
//!   literal, even in `StringLike` and `ArnLike`.
//! - `BinaryEquals` reads the request value as base64 too (a JSON request
//!   context can only carry bytes as text) and compares the decoded bytes.

use std::borrow::Cow;
use std::net::IpAddr;

use serde::Serialize;
use smallvec::SmallVec;

use crate::limits::{CASE_FOLDING_GROWTH, MAX_SHOWN_SUBSTITUTION_BYTES, MAX_SUBSTITUTED_BYTES};
use crate::matching::{arn_matches, shown_substitution, Pattern, Template, TooLong, Unsubstituted};
use crate::request::{Context, ContextScalar, ContextValue};
use crate::source::Span;
use crate::text::Text;

use super::date::Instant;
use super::ip::{Containment, IpRange};
use super::operator::{parse_bool, BaseOperator, ConditionOperator, OperatorFamily, SetQualifier};
use super::result::{ConditionParts, ConditionResult};
use super::{base64, date, ip, number};

/// One value of a condition key as written in the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyValue {
    /// The text (JSON numbers and booleans converted to text).
    pub text: Text,
    /// What JSON type it was written as.
    pub kind: PolicyValueKind,
    /// Where it was written.
    pub span: Span,
}

impl PolicyValue {
    /// A value written as a JSON string.
    pub fn string(text: impl Into<Text>, span: Span) -> Self {
        PolicyValue {
            text: text.into(),
            kind: PolicyValueKind::String,
            span,
        }
    }
}

/// The JSON type a policy value was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyValueKind {
    /// `"text"`.
    String,
    /// `10`.
    Number,
    /// `true`.
    Bool,
}

/// Everything needed to evaluate one condition.
#[derive(Debug, Clone, Copy)]
pub struct ConditionInput<'a> {
    /// The operator.
    pub operator: &'a ConditionOperator,
    /// Its canonical name.
    pub operator_name: &'a Text,
    /// Where the operator name was written.
    pub operator_span: Span,
    /// The condition key, as written.
    pub key: &'a Text,
    /// Where the key was written.
    pub key_span: Span,
    /// The policy's values for the key (ORed).
    pub values: &'a [PolicyValue],
    /// The request context.
    pub context: &'a Context,
    /// Whether policy variables are substituted (policy version 2012-10-17).
    pub variables_enabled: bool,
    /// The values read ahead of time ([`PreparedValues::new`]; the default
    /// reads every value at evaluation).
    pub prepared: &'a PreparedValues,
}

/// Whether the condition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum ConditionOutcome {
    /// The condition holds.
    Match,
    /// The condition does not hold.
    NoMatch,
}

impl ConditionOutcome {
    /// `Match` for `true`.
    pub fn from_bool(holds: bool) -> Self {
        if holds {
            ConditionOutcome::Match
        } else {
            ConditionOutcome::NoMatch
        }
    }

    /// Whether it is `Match`.
    pub fn is_match(self) -> bool {
        self == ConditionOutcome::Match
    }
}

/// How one condition was decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ConditionTrace {
    /// The operator's canonical name.
    pub operator: Text,
    /// Where the operator was written.
    pub operator_span: Span,
    /// The key as written.
    pub key: Text,
    /// Where the key was written.
    pub key_span: Span,
    /// The set qualifier, if any.
    pub qualifier: Option<SetQualifier>,
    /// Whether the operator ends in `IfExists`.
    pub if_exists: bool,
    /// The request's values for the key; `None` when the key is missing.
    pub request_values: Option<Vec<Text>>,
    /// Every request value compared with every policy value.
    pub comparisons: Vec<Comparison>,
    /// The result.
    pub outcome: ConditionOutcome,
    /// The rule that decided the outcome, when it was not (only) the comparisons.
    pub note: Option<ComparisonNote>,
}

/// One request value compared with one policy value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Comparison {
    /// The request value; `None` for `Null`, which tests the key itself.
    pub request_value: Option<Text>,
    /// The policy value as written.
    pub policy_value: Text,
    /// The policy value after variable substitution, when it differs.
    pub resolved_value: Option<Text>,
    /// Where the policy value was written.
    pub span: Span,
    /// Whether the request value matched the policy value, by the base test
    /// without negation (for `StringNotEquals`, whether they were equal).
    pub matched: bool,
    /// Why it could not be compared, when it could not.
    pub note: Option<ComparisonNote>,
    /// The key of the policy variable in the policy value that has no value
    /// in the request (and no default): the value is then effectively
    /// null, equal to and like nothing.
    pub unresolved: Option<Text>,
}

/// Which side of a comparison a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum ValueSide {
    /// The request context.
    Request,
    /// The policy.
    Policy,
}

impl ValueSide {
    fn label(self) -> &'static str {
        match self {
            ValueSide::Request => "request value",
            ValueSide::Policy => "policy value",
        }
    }
}

/// Why a comparison or a condition came out as it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComparisonNote {
    /// A value of a `Numeric*` condition is not a number.
    NotANumber {
        /// The text.
        value: Text,
        /// Where it came from.
        side: ValueSide,
    },
    /// A value of a `Date*` condition is not a date.
    NotADate {
        /// The text.
        value: Text,
        /// Where it came from.
        side: ValueSide,
    },
    /// A value of an IP condition is not an address (request) or range (policy).
    NotAnIp {
        /// The text.
        value: Text,
        /// Where it came from.
        side: ValueSide,
    },
    /// A value of a `Bool` or `Null` condition is not `true` or `false`.
    NotABool {
        /// The text.
        value: Text,
        /// Where it came from.
        side: ValueSide,
    },
    /// A value of a `BinaryEquals` condition is not base64.
    InvalidBase64 {
        /// The text.
        value: Text,
        /// Where it came from.
        side: ValueSide,
    },
    /// An IPv4 address against an IPv6 range or the other way round.
    IpFamilyMismatch {
        /// Whether the request address is IPv6 (and the range IPv4).
        request_is_ipv6: bool,
    },
    /// A policy variable with no value in the request and no default.
    UnresolvedVariable {
        /// The key the variable names.
        key: Text,
    },
    /// A policy value's literal text after variable substitution is longer
    /// than any request value it is compared with, so it was not built: it
    /// equals and is like no value (as a comparison would find).
    SubstitutionTooLong {
        /// The literal text's length in bytes.
        length: usize,
    },
    /// The key is missing (or has no values) and the operator has neither
    /// `IfExists` nor a set qualifier.
    KeyMissing {
        /// Whether the operator is negated (and so holds).
        negated: bool,
        /// Whether the key is present with an empty list.
        empty_list: bool,
    },
    /// The key is missing (or has no values), so `…IfExists` holds.
    KeyMissingIfExists {
        /// Whether the key is present with an empty list.
        empty_list: bool,
    },
    /// The key is missing (or has no values): `ForAllValues:` holds,
    /// `ForAnyValue:` does not.
    SetWithNoValues {
        /// The qualifier.
        qualifier: SetQualifier,
        /// Whether the key is present with an empty list.
        empty_list: bool,
    },
    /// `Null` tested whether the key is present.
    NullCheck {
        /// Whether the key has a value in the request.
        key_present: bool,
    },
    /// Several request values and no set qualifier (see the module docs).
    MultivaluedWithoutSetQualifier {
        /// How many values the request has.
        value_count: usize,
        /// Whether the operator is negated (holds only when no value matches).
        negated: bool,
    },
}

impl ComparisonNote {
    /// Whether the note says the request value cannot be read.
    fn is_request_unreadable(&self) -> bool {
        matches!(
            self,
            ComparisonNote::NotANumber {
                side: ValueSide::Request,
                ..
            } | ComparisonNote::NotADate {
                side: ValueSide::Request,
                ..
            } | ComparisonNote::NotAnIp {
                side: ValueSide::Request,
                ..
            } | ComparisonNote::NotABool {
                side: ValueSide::Request,
                ..
            } | ComparisonNote::InvalidBase64 {
                side: ValueSide::Request,
                ..
            }
        )
    }
}

fn key_state(empty_list: bool) -> &'static str {
    if empty_list {
        "the key has no values in the request"
    } else {
        "the key is not in the request"
    }
}

impl std::fmt::Display for ComparisonNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ComparisonNote::NotANumber { value, side } => {
                write!(f, "{} `{value}` is not a number", side.label())
            }
            ComparisonNote::NotADate { value, side } => {
                write!(f, "{} `{value}` is not a date", side.label())
            }
            ComparisonNote::NotAnIp { value, side } => match side {
                ValueSide::Request => write!(f, "request value `{value}` is not an IP address"),
                ValueSide::Policy => {
                    write!(
                        f,
                        "policy value `{value}` is not an IP address or CIDR range"
                    )
                }
            },
            ComparisonNote::NotABool { value, side } => {
                write!(f, "{} `{value}` is not `true` or `false`", side.label())
            }
            ComparisonNote::InvalidBase64 { value, side } => {
                write!(f, "{} `{value}` is not valid base64", side.label())
            }
            ComparisonNote::IpFamilyMismatch { request_is_ipv6 } => {
                f.write_str(if *request_is_ipv6 {
                    "an IPv6 address is never in an IPv4 range"
                } else {
                    "an IPv4 address is never in an IPv6 range"
                })
            }
            ComparisonNote::UnresolvedVariable { key } => write!(
                f,
                "policy variable `${{{key}}}` has no value in the request and no default"
            ),
            ComparisonNote::SubstitutionTooLong { length } => write!(
                f,
                "the policy value after substitution has {} bytes of literal text, longer than any request value, so it equals and is like none",
                crate::limits::thousands(*length)
            ),
            ComparisonNote::KeyMissing {
                negated,
                empty_list,
            } => write!(
                f,
                "{}, so {}",
                key_state(*empty_list),
                if *negated {
                    "the negated operator holds"
                } else {
                    "the condition does not match"
                }
            ),
            ComparisonNote::KeyMissingIfExists { empty_list } => {
                write!(f, "{}, so `…IfExists` holds", key_state(*empty_list))
            }
            ComparisonNote::SetWithNoValues {
                qualifier,
                empty_list,
            } => write!(
                f,
                "{}, so `{qualifier}:` {}",
                key_state(*empty_list),
                match qualifier {
                    SetQualifier::ForAllValues => "holds",
                    SetQualifier::ForAnyValue => "does not match",
                }
            ),
            ComparisonNote::NullCheck { key_present } => f.write_str(if *key_present {
                "the key is present in the request"
            } else {
                "the key is absent from the request"
            }),
            ComparisonNote::MultivaluedWithoutSetQualifier {
                value_count,
                negated,
            } => write!(
                f,
                "the key has {value_count} values and no set qualifier, so the condition {}",
                if *negated {
                    "holds only when no value matches"
                } else {
                    "holds when any value matches"
                }
            ),
        }
    }
}

/// A wildcard pattern, borrowed or owned (boxed: patterns are large, and
/// operands are moved around).
#[derive(Debug, Clone, PartialEq)]
enum PatternRef<'v> {
    Borrowed(&'v Pattern),
    Owned(Box<Pattern>),
}

impl std::ops::Deref for PatternRef<'_> {
    type Target = Pattern;

    fn deref(&self) -> &Pattern {
        match self {
            PatternRef::Borrowed(p) => p,
            PatternRef::Owned(p) => p,
        }
    }
}

/// A policy value ready to compare.
#[derive(Debug, Clone, PartialEq)]
enum PolicyOperand<'v> {
    /// `pattern` is there for the operators that match wildcards.
    Text {
        text: Cow<'v, str>,
        pattern: Option<PatternRef<'v>>,
    },
    Number(f64),
    Date(Instant),
    Bool(bool),
    Bytes(Cow<'v, [u8]>),
    Range(IpRange),
    /// A substituted text with more literal text than the request values
    /// it is compared with: it equals and is like none of them, so it was
    /// not built.
    Unmatchable,
}

impl PolicyOperand<'_> {
    /// The same operand, borrowing what it holds.
    fn borrowed(&self) -> PolicyOperand<'_> {
        match self {
            PolicyOperand::Text { text, pattern } => PolicyOperand::Text {
                text: Cow::Borrowed(text),
                pattern: pattern.as_deref().map(PatternRef::Borrowed),
            },
            PolicyOperand::Number(n) => PolicyOperand::Number(*n),
            PolicyOperand::Date(d) => PolicyOperand::Date(*d),
            PolicyOperand::Bool(b) => PolicyOperand::Bool(*b),
            PolicyOperand::Bytes(b) => PolicyOperand::Bytes(Cow::Borrowed(b)),
            PolicyOperand::Range(r) => PolicyOperand::Range(*r),
            PolicyOperand::Unmatchable => PolicyOperand::Unmatchable,
        }
    }

    /// The same operand, owning what it holds.
    fn into_owned(self) -> PolicyOperand<'static> {
        match self {
            PolicyOperand::Text { text, pattern } => PolicyOperand::Text {
                text: Cow::Owned(text.into_owned()),
                pattern: pattern.map(|p| match p {
                    PatternRef::Owned(p) => PatternRef::Owned(p),
                    PatternRef::Borrowed(p) => PatternRef::Owned(Box::new(p.clone())),
                }),
            },
            PolicyOperand::Number(n) => PolicyOperand::Number(n),
            PolicyOperand::Date(d) => PolicyOperand::Date(d),
            PolicyOperand::Bool(b) => PolicyOperand::Bool(b),
            PolicyOperand::Bytes(b) => PolicyOperand::Bytes(Cow::Owned(b.into_owned())),
            PolicyOperand::Range(r) => PolicyOperand::Range(r),
            PolicyOperand::Unmatchable => PolicyOperand::Unmatchable,
        }
    }
}

/// A condition's policy values read as its operator's type once, when the
/// policy is parsed: numbers, dates, booleans, bytes, IP ranges and
/// wildcard patterns (and why a value cannot be read). Values with policy
/// variables, and plain text, are read at evaluation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PreparedValues(Vec<Option<Result<PolicyOperand<'static>, ComparisonNote>>>);

impl PreparedValues {
    /// Reads `values` for `operator`.
    pub fn new(
        operator: &ConditionOperator,
        values: &[PolicyValue],
        variables_enabled: bool,
    ) -> Self {
        let base = operator.base;
        PreparedValues(
            values
                .iter()
                .map(|value| {
                    let has_variables =
                        base.supports_variables() && variables_enabled && value.text.contains("${");
                    if has_variables {
                        return None;
                    }
                    match read_fixed_value(base, value) {
                        Ok(PolicyOperand::Text { pattern: None, .. }) => None,
                        read => Some(read.map(PolicyOperand::into_owned)),
                    }
                })
                .collect(),
        )
    }
}

/// A request value ready to compare.
#[derive(Debug)]
enum RequestOperand<'t> {
    Text(&'t str),
    Number(f64),
    Date(Instant),
    Bool(bool),
    Bytes(Vec<u8>),
    Address(IpAddr),
}

struct PreparedValue<'v> {
    resolved_value: Option<Text>,
    operand: Result<PolicyOperand<'v>, ComparisonNote>,
}

/// Reads policy value `index` for comparison with request values of at most
/// `request_len` bytes.
fn prepare_policy_value<'v>(
    input: &ConditionInput<'v>,
    index: usize,
    value: &'v PolicyValue,
    request_len: usize,
) -> PreparedValue<'v> {
    if let Some(Some(read)) = input.prepared.0.get(index) {
        return PreparedValue {
            resolved_value: None,
            operand: read
                .as_ref()
                .map(PolicyOperand::borrowed)
                .map_err(Clone::clone),
        };
    }
    let base = input.operator.base;
    let text = value.text.as_str();
    if !(base.supports_variables() && input.variables_enabled && text.contains("${")) {
        return PreparedValue {
            resolved_value: None,
            operand: read_fixed_value(base, value),
        };
    }
    // The literal length, from the values' lengths alone, decides what is
    // built. Past the limit: too long for any request value, reported.
    // Past the request values' length (ignoring case: 12 times it; `Bool`:
    // `false`'s 5 bytes): equal to and like none of them, as a comparison
    // would find, with only its shown part built. Otherwise built, never
    // longer than the request value (no more work than comparing).
    let template = Template::parse(text, true);
    let lookup = |key: &str| input.context.single_text(key);
    let length = match template.literal_len(&lookup) {
        Ok(length) => length,
        Err(unresolved) => {
            return PreparedValue {
                resolved_value: None,
                operand: Err(ComparisonNote::UnresolvedVariable {
                    key: Text::from(unresolved.key),
                }),
            }
        }
    };
    let growth = match base {
        BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase => {
            CASE_FOLDING_GROWTH
        }
        _ => 1,
    };
    let limit = MAX_SUBSTITUTED_BYTES
        .max(request_len)
        .saturating_mul(growth);
    if length > limit {
        return PreparedValue {
            resolved_value: None,
            operand: Err(ComparisonNote::SubstitutionTooLong { length }),
        };
    }
    let is_bool = base.family() == OperatorFamily::Bool;
    let could_match = if is_bool {
        length <= "false".len()
    } else {
        length <= request_len.saturating_mul(growth)
    };
    if !could_match {
        let shown = template
            .resolve_text(&lookup, MAX_SHOWN_SUBSTITUTION_BYTES)
            .map(|(shown, _)| shown)
            .unwrap_or_default();
        return PreparedValue {
            operand: if is_bool {
                Err(ComparisonNote::NotABool {
                    value: shown.clone(),
                    side: ValueSide::Policy,
                })
            } else {
                Ok(PolicyOperand::Unmatchable)
            },
            resolved_value: (shown.as_str() != text).then_some(shown),
        };
    }
    let resolved = template.resolve(&lookup, limit);
    match resolved {
        Err(Unsubstituted::Unresolved(unresolved)) => PreparedValue {
            resolved_value: None,
            operand: Err(ComparisonNote::UnresolvedVariable {
                key: Text::from(unresolved.key),
            }),
        },
        Err(Unsubstituted::TooLong(TooLong { length })) => PreparedValue {
            resolved_value: None,
            operand: Err(ComparisonNote::SubstitutionTooLong { length }),
        },
        Ok(resolved) => {
            let resolved_value =
                (resolved.text != text).then(|| shown_substitution(&resolved.text));
            let operand = if base.family() == OperatorFamily::Bool {
                parse_bool(&resolved.text)
                    .map(PolicyOperand::Bool)
                    .ok_or_else(|| ComparisonNote::NotABool {
                        value: shown_substitution(&resolved.text),
                        side: ValueSide::Policy,
                    })
            } else {
                Ok(PolicyOperand::Text {
                    text: Cow::Owned(resolved.text),
                    pattern: base
                        .uses_wildcards()
                        .then(|| PatternRef::Owned(Box::new(resolved.pattern))),
                })
            };
            PreparedValue {
                resolved_value,
                operand,
            }
        }
    }
}

/// Reads a policy value without policy variables as `base`'s type.
fn read_fixed_value(
    base: BaseOperator,
    value: &PolicyValue,
) -> Result<PolicyOperand<'_>, ComparisonNote> {
    let text = value.text.as_str();
    let bad =
        |make: fn(Text, ValueSide) -> ComparisonNote| make(value.text.clone(), ValueSide::Policy);
    match base.family() {
        OperatorFamily::Bool | OperatorFamily::Null => parse_bool(text)
            .map(PolicyOperand::Bool)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotABool { value, side })),
        OperatorFamily::String | OperatorFamily::Arn => Ok(PolicyOperand::Text {
            text: Cow::Borrowed(text),
            // Only the operators that match wildcards need a pattern.
            pattern: base
                .uses_wildcards()
                .then(|| PatternRef::Owned(Box::new(Pattern::wildcard(text)))),
        }),
        OperatorFamily::Numeric => number::parse_number(text)
            .map(PolicyOperand::Number)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotANumber { value, side })),
        OperatorFamily::Date => date::parse_date(text)
            .map(PolicyOperand::Date)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotADate { value, side })),
        OperatorFamily::Binary => base64::decode(text)
            .map(|b| PolicyOperand::Bytes(Cow::Owned(b)))
            .ok_or_else(|| bad(|value, side| ComparisonNote::InvalidBase64 { value, side })),
        OperatorFamily::IpAddress => IpRange::parse(text)
            .map(PolicyOperand::Range)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotAnIp { value, side })),
    }
}

fn prepare_request_value(
    base: BaseOperator,
    text: &Text,
) -> Result<RequestOperand<'_>, ComparisonNote> {
    let bad = |make: fn(Text, ValueSide) -> ComparisonNote| make(text.clone(), ValueSide::Request);
    match base.family() {
        OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Null => {
            Ok(RequestOperand::Text(text))
        }
        OperatorFamily::Numeric => number::parse_number(text)
            .map(RequestOperand::Number)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotANumber { value, side })),
        OperatorFamily::Date => date::parse_date(text)
            .map(RequestOperand::Date)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotADate { value, side })),
        OperatorFamily::Bool => parse_bool(text)
            .map(RequestOperand::Bool)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotABool { value, side })),
        OperatorFamily::Binary => base64::decode(text)
            .map(RequestOperand::Bytes)
            .ok_or_else(|| bad(|value, side| ComparisonNote::InvalidBase64 { value, side })),
        OperatorFamily::IpAddress => ip::parse_address(text)
            .map(RequestOperand::Address)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotAnIp { value, side })),
    }
}

/// The base test (without negation) of one request value against one policy value.
fn compare(
    base: BaseOperator,
    request: &RequestOperand<'_>,
    policy: &PolicyOperand<'_>,
) -> (bool, Option<ComparisonNote>) {
    use BaseOperator as B;
    let matched = match (request, policy) {
        (RequestOperand::Text(r), PolicyOperand::Text { text, pattern }) => match base {
            B::StringEquals | B::StringNotEquals => *r == text.as_ref(),
            B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => {
                if r.is_ascii() && text.is_ascii() {
                    r.eq_ignore_ascii_case(text)
                } else {
                    r.to_lowercase() == text.to_lowercase()
                }
            }
            B::StringLike | B::StringNotLike => pattern.as_ref().is_some_and(|p| p.matches(r)),
            B::ArnEquals | B::ArnLike | B::ArnNotEquals | B::ArnNotLike => {
                pattern.as_ref().is_some_and(|p| arn_matches(p, r))
            }
            _ => false,
        },
        (RequestOperand::Number(r), PolicyOperand::Number(p)) => match base {
            B::NumericEquals | B::NumericNotEquals => r == p,
            B::NumericLessThan => r < p,
            B::NumericLessThanEquals => r <= p,
            B::NumericGreaterThan => r > p,
            B::NumericGreaterThanEquals => r >= p,
            _ => false,
        },
        (RequestOperand::Date(r), PolicyOperand::Date(p)) => match base {
            B::DateEquals | B::DateNotEquals => r == p,
            B::DateLessThan => r < p,
            B::DateLessThanEquals => r <= p,
            B::DateGreaterThan => r > p,
            B::DateGreaterThanEquals => r >= p,
            _ => false,
        },
        (RequestOperand::Bool(r), PolicyOperand::Bool(p)) => r == p,
        (RequestOperand::Bytes(r), PolicyOperand::Bytes(p)) => r.as_slice() == p.as_ref(),
        (RequestOperand::Address(a), PolicyOperand::Range(range)) => match range.contains(*a) {
            Containment::Inside => true,
            Containment::Outside => false,
            Containment::OtherFamily => {
                return (
                    false,
                    Some(ComparisonNote::IpFamilyMismatch {
                        request_is_ipv6: a.is_ipv6(),
                    }),
                )
            }
        },
        _ => false,
    };
    (matched, None)
}

/// How one request value fared against all the policy values.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ValueTest {
    /// It matched at least one policy value.
    Matched,
    /// It matched none.
    NotMatched,
    /// It could not be read as the operator's type.
    Unreadable,
}

/// Evaluates one condition and explains the result. Never panics.
pub fn evaluate_condition(input: &ConditionInput<'_>) -> ConditionTrace {
    decide_condition(input).trace(&ConditionParts {
        operator: input.operator,
        operator_name: input.operator_name,
        operator_span: input.operator_span,
        key: input.key,
        key_span: input.key_span,
        values: input.values,
    })
}

/// Evaluates one condition, keeping what decided it compactly.
pub(crate) fn decide_condition(input: &ConditionInput<'_>) -> ConditionResult {
    let operator = input.operator;
    let request_values: Option<SmallVec<[Text; 1]>> =
        input.context.value(input.key).map(|v| match v {
            ContextValue::Single(scalar) => smallvec::smallvec![scalar.as_text()],
            ContextValue::List(list) => list.iter().map(ContextScalar::as_text).collect(),
        });
    let empty_list = request_values.as_ref().is_some_and(|v| v.is_empty());
    let key_present = request_values.as_ref().is_some_and(|v| !v.is_empty());
    let mut result = ConditionResult::new(request_values);

    if operator.base == BaseOperator::Null {
        decide_null(input, key_present, &mut result);
        return result;
    }

    let negated = operator.is_negated();
    let values = match &result.request_values {
        Some(values) if !values.is_empty() => values,
        _ => {
            let (holds, note) = missing_key_rule(operator, negated, empty_list);
            result.outcome = ConditionOutcome::from_bool(holds);
            result.note = Some(note);
            return result;
        }
    };

    // With one request value (the usual case) each policy value is read
    // as it is compared; with several, read once for all of them.
    let single = values.len() == 1;
    let mut prepared: Vec<PreparedValue<'_>> = Vec::new();
    if !single {
        let longest = values.iter().map(|v| v.len()).max().unwrap_or(0);
        prepared = input
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| prepare_policy_value(input, i, v, longest))
            .collect();
        for (i, p) in prepared.iter_mut().enumerate() {
            if let Some(text) = p.resolved_value.take() {
                result.resolved.push((i, text));
            }
        }
    }
    let count = input.values.len();
    // Each request value holds or not; fold them as the qualifier says.
    let mut all_hold = true;
    let mut any_holds = false;
    for (r, request_text) in values.iter().enumerate() {
        let request = prepare_request_value(operator.base, request_text);
        let mut test = ValueTest::NotMatched;
        for (p, value) in input.values.iter().enumerate() {
            let read_now;
            let prepared = if single {
                let mut now = prepare_policy_value(input, p, value, request_text.len());
                if let Some(text) = now.resolved_value.take() {
                    result.resolved.push((p, text));
                }
                read_now = now;
                &read_now
            } else {
                match prepared.get(p) {
                    Some(prepared) => prepared,
                    None => continue,
                }
            };
            let (matched, note) = match (&request, &prepared.operand) {
                (Err(note), _) | (_, Err(note)) => (false, Some(note.clone())),
                (Ok(r), Ok(p)) => compare(operator.base, r, p),
            };
            if note
                .as_ref()
                .is_some_and(ComparisonNote::is_request_unreadable)
            {
                test = ValueTest::Unreadable;
            } else if matched && test == ValueTest::NotMatched {
                test = ValueTest::Matched;
            }
            if matched {
                result.matches.insert(r * count + p);
            }
            if let Some(note) = note {
                result.notes.push((r * count + p, note));
            }
        }
        if request.is_err() {
            test = ValueTest::Unreadable;
        }
        let holds = match test {
            ValueTest::Unreadable => false,
            ValueTest::Matched => !negated,
            ValueTest::NotMatched => negated,
        };
        all_hold &= holds;
        any_holds |= holds;
    }

    let holds = match operator.qualifier {
        Some(SetQualifier::ForAllValues) => all_hold,
        Some(SetQualifier::ForAnyValue) => any_holds,
        None => {
            if values.len() > 1 {
                result.note = Some(ComparisonNote::MultivaluedWithoutSetQualifier {
                    value_count: values.len(),
                    negated,
                });
            }
            if negated {
                all_hold
            } else {
                any_holds
            }
        }
    };
    result.outcome = ConditionOutcome::from_bool(holds);
    result
}

/// The outcome and note for a key the request does not have (or has with
/// no values): `…IfExists` holds, `ForAllValues:` holds, `ForAnyValue:`
/// does not, and otherwise only a negated operator holds.
fn missing_key_rule(
    operator: &ConditionOperator,
    negated: bool,
    empty_list: bool,
) -> (bool, ComparisonNote) {
    if operator.if_exists {
        return (true, ComparisonNote::KeyMissingIfExists { empty_list });
    }
    match operator.qualifier {
        Some(qualifier) => (
            qualifier == SetQualifier::ForAllValues,
            ComparisonNote::SetWithNoValues {
                qualifier,
                empty_list,
            },
        ),
        None => (
            negated,
            ComparisonNote::KeyMissing {
                negated,
                empty_list,
            },
        ),
    }
}

/// `Null`: each policy value `true` holds when the key is absent, `false`
/// when it is present; the values are ORed. A set qualifier changes nothing.
fn decide_null(input: &ConditionInput<'_>, key_present: bool, result: &mut ConditionResult) {
    let mut holds = false;
    for (i, value) in input.values.iter().enumerate() {
        let (matched, note) = match parse_bool(&value.text) {
            Some(expect_absent) => (expect_absent != key_present, None),
            None => (
                false,
                Some(ComparisonNote::NotABool {
                    value: value.text.clone(),
                    side: ValueSide::Policy,
                }),
            ),
        };
        holds |= matched;
        result.record(i, matched, note);
    }
    result.outcome = ConditionOutcome::from_bool(holds);
    result.note = Some(ComparisonNote::NullCheck { key_present });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::{ContextValue, ValueOrigin};

    /// A request value for the key under test.
    #[derive(Clone, Copy)]
    enum Req<'a> {
        Missing,
        One(&'a str),
        Many(&'a [&'a str]),
    }
    use Req::{Many, Missing, One};

    const KEY: &str = "test:Key";

    fn context(req: Req<'_>) -> Context {
        let mut ctx = Context::new();
        ctx.insert(
            "aws:username",
            ContextValue::string("alice"),
            ValueOrigin::Request,
        );
        ctx.insert(
            "aws:PrincipalTag/team",
            ContextValue::string("a*b"),
            ValueOrigin::Request,
        );
        ctx.insert(
            "aws:TagKeys",
            ContextValue::List(vec!["x".into(), "y".into()]),
            ValueOrigin::Request,
        );
        match req {
            Missing => {}
            One(v) => ctx.insert(KEY, ContextValue::string(v), ValueOrigin::Request),
            Many(vs) => ctx.insert(
                KEY,
                ContextValue::List(vs.iter().map(|v| ContextScalar::from(*v)).collect()),
                ValueOrigin::Request,
            ),
        }
        ctx
    }

    fn values(texts: &[&str]) -> Vec<PolicyValue> {
        let mut at = 100;
        texts
            .iter()
            .map(|t| {
                let v = PolicyValue::string(*t, Span::new(at, at + t.len()));
                at += t.len() + 3;
                v
            })
            .collect()
    }

    fn trace_with(op: &str, policy: &[&str], req: Req<'_>, variables: bool) -> ConditionTrace {
        let operator = ConditionOperator::parse(op).unwrap();
        let ctx = context(req);
        let values = values(policy);
        let prepared = PreparedValues::new(&operator, &values, variables);
        let unprepared = PreparedValues::default();
        let [ahead, late] = [&prepared, &unprepared].map(|prepared| {
            evaluate_condition(&ConditionInput {
                operator: &operator,
                operator_name: &Text::from(operator.name()),
                operator_span: Span::new(1, 2),
                key: &Text::from(KEY),
                key_span: Span::new(3, 4),
                values: &values,
                context: &ctx,
                variables_enabled: variables,
                prepared,
            })
        });
        // Values read at parse time give exactly what reading them late gives.
        assert_eq!(ahead, late, "{op} {policy:?}");
        ahead
    }

    fn trace(op: &str, policy: &[&str], req: Req<'_>) -> ConditionTrace {
        trace_with(op, policy, req, true)
    }

    fn holds(op: &str, policy: &[&str], req: Req<'_>) -> bool {
        trace(op, policy, req).outcome.is_match()
    }

    fn check_table(cases: &[(&str, &[&str], Req<'_>, bool)]) {
        for (op, policy, req, want) in cases {
            let t = trace(op, policy, *req);
            assert_eq!(
                t.outcome.is_match(),
                *want,
                "{op} {policy:?} against {:?}: {t:#?}",
                t.request_values
            );
        }
    }

    #[test]
    fn string_operators() {
        check_table(&[
            ("StringEquals", &["abc"], One("abc"), true),
            ("StringEquals", &["abc"], One("ABC"), false),
            ("StringEquals", &["x", "abc"], One("abc"), true),
            ("StringEquals", &["a*"], One("abc"), false),
            ("StringEquals", &["a*"], One("a*"), true),
            ("StringNotEquals", &["abc"], One("abc"), false),
            ("StringNotEquals", &["abc"], One("ABC"), true),
            ("StringNotEquals", &["x", "abc"], One("abc"), false),
            ("StringNotEquals", &["x", "y"], One("abc"), true),
            ("StringEqualsIgnoreCase", &["abc"], One("ABC"), true),
            ("StringEqualsIgnoreCase", &["ÄBC"], One("äbc"), true),
            ("StringEqualsIgnoreCase", &["abc"], One("abd"), false),
            ("StringNotEqualsIgnoreCase", &["abc"], One("ABC"), false),
            ("StringNotEqualsIgnoreCase", &["abc"], One("abd"), true),
            ("StringLike", &["a*c"], One("abbbc"), true),
            ("StringLike", &["a?c"], One("abc"), true),
            ("StringLike", &["a?c"], One("abbc"), false),
            ("StringLike", &["A*"], One("abc"), false),
            ("StringLike", &["", "home/"], One(""), true),
            ("StringNotLike", &["a*"], One("abc"), false),
            ("StringNotLike", &["b*", "c*"], One("abc"), true),
        ]);
    }

    #[test]
    fn numeric_operators() {
        check_table(&[
            ("NumericEquals", &["10"], One("10"), true),
            ("NumericEquals", &["01"], One("1"), true),
            ("NumericEquals", &["1.0"], One("1"), true),
            ("NumericEquals", &["10"], One("11"), false),
            ("NumericNotEquals", &["10"], One("11"), true),
            ("NumericNotEquals", &["10"], One("10.0"), false),
            ("NumericLessThan", &["10"], One("9"), true),
            ("NumericLessThan", &["10"], One("10"), false),
            ("NumericLessThanEquals", &["10"], One("10"), true),
            ("NumericLessThanEquals", &["10"], One("10.5"), false),
            ("NumericGreaterThan", &["10"], One("11"), true),
            ("NumericGreaterThan", &["10"], One("10"), false),
            ("NumericGreaterThanEquals", &["10"], One("10"), true),
            ("NumericGreaterThanEquals", &["10"], One("-10"), false),
            ("NumericLessThan", &["5", "20"], One("10"), true),
        ]);
    }

    #[test]
    fn date_operators() {
        let day = "2020-01-01T00:00:00Z";
        check_table(&[
            ("DateEquals", &[day], One("2020-01-01T00:00:00Z"), true),
            ("DateEquals", &[day], One("2020-01-01"), true),
            ("DateEquals", &[day], One("1577836800"), true),
            ("DateEquals", &[day], One("2020-01-01T01:00:00+01:00"), true),
            ("DateEquals", &[day], One("2020-01-01T00:00:00.001Z"), false),
            ("DateNotEquals", &[day], One("2020-01-02"), true),
            ("DateNotEquals", &[day], One("1577836800"), false),
            ("DateLessThan", &[day], One("2019-12-31T23:59:59Z"), true),
            ("DateLessThan", &[day], One("2020-01-01T00:00:00Z"), false),
            (
                "DateLessThanEquals",
                &[day],
                One("2020-01-01T00:00:00Z"),
                true,
            ),
            (
                "DateLessThanEquals",
                &[day],
                One("2020-01-01T00:00:00.5Z"),
                false,
            ),
            (
                "DateGreaterThan",
                &[day],
                One("2020-01-01T00:00:00.5Z"),
                true,
            ),
            ("DateGreaterThan", &["1577836800"], One("2019-06-01"), false),
            (
                "DateGreaterThanEquals",
                &["2020-01-01"],
                One("2020-01-01T00:00:00-00:00"),
                true,
            ),
            (
                "DateGreaterThanEquals",
                &["2020-01-01"],
                One("2019-12-31T23:00:00-02:00"),
                true,
            ),
            (
                "DateGreaterThanEquals",
                &["2020-01-01"],
                One("2019-12-31T23:00:00+02:00"),
                false,
            ),
        ]);
    }

    #[test]
    fn bool_binary_ip_arn_operators() {
        let arn = "arn:aws:iam::123456789012:role/Admin";
        check_table(&[
            ("Bool", &["true"], One("true"), true),
            ("Bool", &["true"], One("TRUE"), true),
            ("Bool", &["True"], One("true"), true),
            ("Bool", &["false"], One("true"), false),
            ("Bool", &["false"], One("false"), true),
            ("BinaryEquals", &["QmluYXJ5"], One("QmluYXJ5"), true),
            ("BinaryEquals", &["QmluYXJ5"], One("QmluYXJ6"), false),
            ("BinaryEquals", &["Zg=="], One("Zg"), true),
            ("IpAddress", &["203.0.113.0/24"], One("203.0.113.77"), true),
            ("IpAddress", &["203.0.113.0/24"], One("203.0.114.1"), false),
            ("IpAddress", &["0.0.0.0/0"], One("192.0.2.1"), true),
            ("IpAddress", &["192.0.2.1"], One("192.0.2.1"), true),
            ("IpAddress", &["192.0.2.1/32"], One("192.0.2.2"), false),
            ("IpAddress", &["2001:db8::/32"], One("2001:db8:ffff::1"), true),
            ("IpAddress", &["2001:db8::1/128"], One("2001:db8::1"), true),
            ("IpAddress", &["::/0"], One("192.0.2.1"), false),
            ("IpAddress", &["10.0.0.0/8", "2001:db8::/32"], One("2001:db8::5"), true),
            ("NotIpAddress", &["203.0.113.0/24"], One("203.0.113.77"), false),
            ("NotIpAddress", &["203.0.113.0/24"], One("198.51.100.1"), true),
            ("NotIpAddress", &["0.0.0.0/0"], One("2001:db8::1"), true),
            ("ArnEquals", &[arn], One(arn), true),
            ("ArnEquals", &["arn:aws:iam::*:role/*"], One(arn), true),
            ("ArnLike", &["arn:aws:iam::*:role/*"], One(arn), true),
            ("ArnLike", &["arn:aws:iam::*:role/Admin?"], One(arn), false),
            ("ArnLike", &["arn:aws:iam::*:ROLE/*"], One(arn), false),
            ("ArnNotEquals", &[arn], One(arn), false),
            ("ArnNotLike", &["arn:aws:iam::*:user/*"], One(arn), true),
            ("ArnNotLike", &["arn:aws:iam::*:role/*"], One(arn), false),
            // AWS's own example: ArnLike matches segment by segment, StringLike does not.
            (
                "ArnLike",
                &["arn:aws:someservice:*:111122223333:finance/*"],
                One("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"),
                false,
            ),
            (
                "StringLike",
                &["arn:aws:someservice:*:111122223333:finance/*"],
                One("arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt"),
                true,
            ),
        ]);
    }

    #[test]
    fn ip_family_mismatch_is_noted() {
        let t = trace("IpAddress", &["10.0.0.0/8"], One("2001:db8::1"));
        assert_eq!(
            t.comparisons[0].note,
            Some(ComparisonNote::IpFamilyMismatch {
                request_is_ipv6: true
            })
        );
    }

    /// Every operator with the key missing: positive false, negated true,
    /// `IfExists` true, set qualifiers by their rule.
    #[test]
    fn missing_key_for_every_operator() {
        for base in BaseOperator::ALL {
            if base == BaseOperator::Null {
                continue;
            }
            let name = base.name();
            let policy: &[&str] = &["x"];
            let t = trace(name, policy, Missing);
            assert_eq!(t.outcome.is_match(), base.is_negated(), "{name}");
            assert_eq!(t.request_values, None);
            assert!(t.comparisons.is_empty());
            assert_eq!(
                t.note,
                Some(ComparisonNote::KeyMissing {
                    negated: base.is_negated(),
                    empty_list: false
                })
            );
            let t = trace(&format!("{name}IfExists"), policy, Missing);
            assert!(t.outcome.is_match(), "{name}IfExists");
            assert_eq!(
                t.note,
                Some(ComparisonNote::KeyMissingIfExists { empty_list: false })
            );
            assert!(
                holds(&format!("ForAllValues:{name}"), policy, Missing),
                "{name}"
            );
            assert!(
                !holds(&format!("ForAnyValue:{name}"), policy, Missing),
                "{name}"
            );
            assert!(
                holds(&format!("ForAnyValue:{name}IfExists"), policy, Missing),
                "{name}"
            );
            // An empty list counts as missing.
            assert_eq!(holds(name, policy, Many(&[])), base.is_negated(), "{name}");
            assert!(
                holds(&format!("ForAllValues:{name}"), policy, Many(&[])),
                "{name}"
            );
            assert!(
                !holds(&format!("ForAnyValue:{name}"), policy, Many(&[])),
                "{name}"
            );
        }
    }

    #[test]
    fn if_exists_with_key_present_evaluates_normally() {
        check_table(&[
            ("StringEqualsIfExists", &["abc"], One("abc"), true),
            ("StringEqualsIfExists", &["abc"], One("abd"), false),
            ("StringNotEqualsIfExists", &["abc"], One("abc"), false),
            ("NumericLessThanIfExists", &["10"], One("20"), false),
            (
                "DateLessThanIfExists",
                &["2020-01-01"],
                One("2019-01-01"),
                true,
            ),
            ("BoolIfExists", &["true"], One("false"), false),
            ("BinaryEqualsIfExists", &["Zg=="], One("Zg=="), true),
            ("IpAddressIfExists", &["10.0.0.0/8"], One("11.0.0.1"), false),
            (
                "NotIpAddressIfExists",
                &["10.0.0.0/8"],
                One("11.0.0.1"),
                true,
            ),
            (
                "ArnLikeIfExists",
                &["arn:aws:s3:::b/*"],
                One("arn:aws:s3:::b/k"),
                true,
            ),
            (
                "ArnNotLikeIfExists",
                &["arn:aws:s3:::b/*"],
                One("arn:aws:s3:::b/k"),
                false,
            ),
        ]);
    }

    #[test]
    fn null_operator() {
        check_table(&[
            ("Null", &["true"], Missing, true),
            ("Null", &["true"], One("x"), false),
            ("Null", &["false"], Missing, false),
            ("Null", &["false"], One("x"), true),
            ("Null", &["TRUE"], Missing, true),
            ("Null", &["true"], Many(&[]), true),
            ("Null", &["false"], Many(&["a", "b"]), true),
            ("Null", &["true", "false"], One("x"), true),
            ("Null", &["maybe"], Missing, false),
            ("ForAnyValue:Null", &["true"], Missing, true),
        ]);
        let t = trace("Null", &["false"], One("x"));
        assert_eq!(
            t.note,
            Some(ComparisonNote::NullCheck { key_present: true })
        );
        assert_eq!(t.comparisons[0].request_value, None);
        assert!(t.comparisons[0].matched);
        let t = trace("Null", &["maybe"], Missing);
        assert_eq!(
            t.comparisons[0].note,
            Some(ComparisonNote::NotABool {
                value: "maybe".into(),
                side: ValueSide::Policy
            })
        );
    }

    #[test]
    fn set_qualifiers() {
        let ab: &[&str] = &["a", "b"];
        check_table(&[
            // ForAllValues: every request value is in the policy set.
            ("ForAllValues:StringEquals", ab, Many(&["a"]), true),
            ("ForAllValues:StringEquals", ab, Many(&["a", "b"]), true),
            ("ForAllValues:StringEquals", ab, Many(&["a", "c"]), false),
            ("ForAllValues:StringEquals", ab, Many(&["c"]), false),
            ("ForAllValues:StringEquals", ab, One("a"), true),
            ("ForAllValues:StringEquals", ab, Missing, true),
            ("ForAllValues:StringEquals", ab, Many(&[]), true),
            // ForAnyValue: at least one request value is in the policy set.
            ("ForAnyValue:StringEquals", ab, Many(&["a", "c"]), true),
            ("ForAnyValue:StringEquals", ab, Many(&["c", "d"]), false),
            ("ForAnyValue:StringEquals", ab, Many(&["b"]), true),
            ("ForAnyValue:StringEquals", ab, Missing, false),
            ("ForAnyValue:StringEquals", ab, Many(&[]), false),
            // Negated: ForAllValues = no request value is in the set.
            ("ForAllValues:StringNotEquals", ab, Many(&["c", "d"]), true),
            ("ForAllValues:StringNotEquals", ab, Many(&["a", "d"]), false),
            ("ForAllValues:StringNotEquals", ab, Missing, true),
            ("ForAllValues:StringNotEquals", ab, Many(&[]), true),
            // Negated: ForAnyValue = some request value is not in the set.
            ("ForAnyValue:StringNotEquals", ab, Many(&["a", "d"]), true),
            ("ForAnyValue:StringNotEquals", ab, Many(&["a", "b"]), false),
            ("ForAnyValue:StringNotEquals", ab, Missing, false),
            ("ForAnyValue:StringNotEquals", ab, Many(&[]), false),
            // Other families.
            (
                "ForAllValues:StringLike",
                &["Created*"],
                Many(&["CreatedBy", "CreatedAt"]),
                true,
            ),
            (
                "ForAllValues:StringLike",
                &["Created*"],
                Many(&["CreatedBy", "Owner"]),
                false,
            ),
            (
                "ForAnyValue:StringLike",
                &["Created*"],
                Many(&["Owner", "CreatedAt"]),
                true,
            ),
            (
                "ForAllValues:StringNotLike",
                &["aws:*"],
                Many(&["team", "owner"]),
                true,
            ),
            (
                "ForAnyValue:NumericLessThan",
                &["10"],
                Many(&["20", "5"]),
                true,
            ),
            (
                "ForAllValues:NumericLessThan",
                &["10"],
                Many(&["20", "5"]),
                false,
            ),
            (
                "ForAnyValue:IpAddress",
                &["10.0.0.0/8"],
                Many(&["192.0.2.1", "10.1.1.1"]),
                true,
            ),
            (
                "ForAllValues:ArnLike",
                &["arn:aws:iam::*:role/*"],
                Many(&["arn:aws:iam::1:role/a", "arn:aws:iam::2:role/b"]),
                true,
            ),
            (
                "ForAnyValue:ArnNotLike",
                &["arn:aws:iam::*:role/*"],
                Many(&["arn:aws:iam::1:role/a", "arn:aws:iam::2:user/b"]),
                true,
            ),
            (
                "ForAllValues:StringEqualsIgnoreCase",
                ab,
                Many(&["A", "B"]),
                true,
            ),
            (
                "ForAnyValue:DateGreaterThan",
                &["2020-01-01"],
                Many(&["2019-01-01", "2021-01-01"]),
                true,
            ),
            (
                "ForAllValues:BoolIfExists",
                &["true"],
                Many(&["true", "TRUE"]),
                true,
            ),
        ]);
    }

    #[test]
    fn multivalued_request_without_set_qualifier() {
        let ab: &[&str] = &["a", "b"];
        check_table(&[
            ("StringEquals", ab, Many(&["c", "a"]), true),
            ("StringEquals", ab, Many(&["c", "d"]), false),
            ("StringNotEquals", ab, Many(&["c", "d"]), true),
            ("StringNotEquals", ab, Many(&["c", "a"]), false),
            ("StringEquals", ab, Many(&["a"]), true),
        ]);
        let t = trace("StringNotEquals", ab, Many(&["c", "a"]));
        assert_eq!(
            t.note,
            Some(ComparisonNote::MultivaluedWithoutSetQualifier {
                value_count: 2,
                negated: true
            })
        );
        assert_eq!(t.comparisons.len(), 4);
        assert_eq!(trace("StringEquals", ab, Many(&["a"])).note, None);
    }

    #[test]
    fn unreadable_request_values_never_hold() {
        let cases: &[(&str, &str, &str, ComparisonNote)] = &[
            (
                "NumericEquals",
                "10",
                "ten",
                ComparisonNote::NotANumber {
                    value: "ten".into(),
                    side: ValueSide::Request,
                },
            ),
            (
                "DateLessThan",
                "2020-01-01",
                "soon",
                ComparisonNote::NotADate {
                    value: "soon".into(),
                    side: ValueSide::Request,
                },
            ),
            (
                "IpAddress",
                "10.0.0.0/8",
                "localhost",
                ComparisonNote::NotAnIp {
                    value: "localhost".into(),
                    side: ValueSide::Request,
                },
            ),
            (
                "Bool",
                "true",
                "yes",
                ComparisonNote::NotABool {
                    value: "yes".into(),
                    side: ValueSide::Request,
                },
            ),
            (
                "BinaryEquals",
                "Zg==",
                "%%%",
                ComparisonNote::InvalidBase64 {
                    value: "%%%".into(),
                    side: ValueSide::Request,
                },
            ),
        ];
        let negations = [
            ("NumericEquals", "NumericNotEquals"),
            ("DateLessThan", "DateNotEquals"),
            ("IpAddress", "NotIpAddress"),
        ];
        for (op, policy, request, note) in cases {
            let t = trace(op, &[policy], One(request));
            assert!(!t.outcome.is_match(), "{op}");
            assert!(!t.comparisons[0].matched);
            assert_eq!(t.comparisons[0].note.as_ref(), Some(note), "{op}");
            if let Some((_, negated)) = negations.iter().find(|(p, _)| p == op) {
                assert!(!holds(negated, &[policy], One(request)), "{negated}");
                assert!(!holds(
                    &format!("ForAllValues:{negated}"),
                    &[policy],
                    Many(&[request])
                ));
                assert!(!holds(
                    &format!("ForAnyValue:{negated}"),
                    &[policy],
                    Many(&[request])
                ));
            }
        }
        // One unreadable value spoils ForAllValues but not ForAnyValue.
        assert!(!holds(
            "ForAllValues:NumericLessThan",
            &["10"],
            Many(&["1", "x"])
        ));
        assert!(holds(
            "ForAnyValue:NumericLessThan",
            &["10"],
            Many(&["1", "x"])
        ));
    }

    #[test]
    fn unreadable_policy_values_match_nothing() {
        let t = trace("NumericEquals", &["ten", "5"], One("5"));
        assert!(t.outcome.is_match());
        assert_eq!(
            t.comparisons[0].note,
            Some(ComparisonNote::NotANumber {
                value: "ten".into(),
                side: ValueSide::Policy
            })
        );
        assert!(!holds("NumericEquals", &["ten"], One("5")));
        assert!(holds("NumericNotEquals", &["ten"], One("5")));
        assert!(!holds("IpAddress", &["10.0.0.0/33"], One("10.0.0.1")));
        assert!(holds("NotIpAddress", &["10.0.0.0/33"], One("10.0.0.1")));
        assert!(!holds("DateEquals", &["never"], One("2020-01-01")));
        assert!(!holds("BinaryEquals", &["!!"], One("Zg==")));
    }

    #[test]
    fn policy_variables() {
        // Resolved, used as literal text in Like patterns.
        let t = trace(
            "StringLike",
            &["home/${aws:username}/*"],
            One("home/alice/notes"),
        );
        assert!(t.outcome.is_match());
        assert_eq!(t.comparisons[0].policy_value, "home/${aws:username}/*");
        assert_eq!(
            t.comparisons[0].resolved_value.as_deref(),
            Some("home/alice/*")
        );
        assert!(holds("StringEquals", &["${aws:username}"], One("alice")));
        assert!(!holds("StringEquals", &["${aws:username}"], One("bob")));
        assert!(holds(
            "StringLike",
            &["team/${aws:PrincipalTag/team}"],
            One("team/a*b")
        ));
        assert!(!holds(
            "StringLike",
            &["team/${aws:PrincipalTag/team}"],
            One("team/axxb")
        ));
        assert!(holds(
            "ArnLike",
            &["arn:aws:iam::*:user/${aws:username}"],
            One("arn:aws:iam::123456789012:user/alice")
        ));
        assert!(holds(
            "ArnNotEquals",
            &["arn:aws:iam::*:user/${aws:username}"],
            One("arn:aws:iam::1:user/bob")
        ));
        // Bool takes variables too (AWS's Condition operators page).
        assert!(holds("Bool", &["${test:flag, 'true'}"], One("true")));
        // Defaults.
        assert!(holds(
            "StringEquals",
            &["${aws:PrincipalTag/dept, 'none'}"],
            One("none")
        ));
        // Escapes.
        assert!(holds("StringLike", &["a${*}"], One("a*")));
        assert!(!holds("StringLike", &["a${*}"], One("ab")));
        // Unresolved: positive fails, negated holds.
        let t = trace("StringEquals", &["${aws:PrincipalTag/missing}"], One("x"));
        assert!(!t.outcome.is_match());
        assert_eq!(
            t.comparisons[0].note,
            Some(ComparisonNote::UnresolvedVariable {
                key: "aws:PrincipalTag/missing".into()
            })
        );
        assert!(holds(
            "StringNotEquals",
            &["${aws:PrincipalTag/missing}"],
            One("x")
        ));
        assert!(holds(
            "StringEquals",
            &["${aws:PrincipalTag/missing}", "x"],
            One("x")
        ));
        // A multivalued key is not a variable value.
        assert!(!holds("StringEquals", &["${aws:TagKeys}"], One("x")));
        // Disabled (policy version 2008-10-17): literal text.
        let t = trace_with(
            "StringEquals",
            &["${aws:username}"],
            One("${aws:username}"),
            false,
        );
        assert!(t.outcome.is_match());
        assert_eq!(t.comparisons[0].resolved_value, None);
        // Numeric operators do not substitute.
        assert!(!holds("NumericEquals", &["${test:n, '5'}"], One("5")));
    }

    #[test]
    fn trace_records_everything() {
        let t = trace(
            "ForAnyValue:StringLikeIfExists",
            &["a*", "b*"],
            Many(&["abc", "zzz"]),
        );
        assert_eq!(t.operator, "ForAnyValue:StringLikeIfExists");
        assert_eq!(t.qualifier, Some(SetQualifier::ForAnyValue));
        assert!(t.if_exists);
        assert_eq!(t.key, KEY);
        assert_eq!(t.operator_span, Span::new(1, 2));
        assert_eq!(t.key_span, Span::new(3, 4));
        assert_eq!(
            t.request_values,
            Some(vec![Text::from("abc"), Text::from("zzz")])
        );
        let summary: Vec<(Option<&str>, &str, bool)> = t
            .comparisons
            .iter()
            .map(|c| {
                (
                    c.request_value.as_deref(),
                    c.policy_value.as_str(),
                    c.matched,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (Some("abc"), "a*", true),
                (Some("abc"), "b*", false),
                (Some("zzz"), "a*", false),
                (Some("zzz"), "b*", false),
            ]
        );
        assert_eq!(t.comparisons[1].span, Span::new(105, 107));
        assert_eq!(t.outcome, ConditionOutcome::Match);
        assert_eq!(t.note, None);
    }

    #[test]
    fn request_scalars_are_read_as_text() {
        let mut ctx = Context::new();
        ctx.insert(
            "s3:max-keys",
            ContextValue::Single(ContextScalar::Number(serde_json::Number::from(7))),
            ValueOrigin::Request,
        );
        ctx.insert(
            "aws:SecureTransport",
            ContextValue::Single(ContextScalar::Bool(false)),
            ValueOrigin::Request,
        );
        let run = |op: &str, key: &str, value: &str| {
            let operator = ConditionOperator::parse(op).unwrap();
            let values = [PolicyValue::string(value, Span::default())];
            evaluate_condition(&ConditionInput {
                operator: &operator,
                operator_name: &Text::from(operator.name()),
                operator_span: Span::default(),
                key: &Text::from(key),
                key_span: Span::default(),
                prepared: &PreparedValues::new(&operator, &values, true),
                values: &values,
                context: &ctx,
                variables_enabled: true,
            })
            .outcome
            .is_match()
        };
        assert!(run("NumericLessThanEquals", "S3:MAX-KEYS", "10"));
        assert!(run("Bool", "aws:securetransport", "false"));
        assert!(!run("Bool", "aws:SecureTransport", "true"));
    }

    #[test]
    fn serializes_as_data() {
        let t = trace("StringEquals", &["x"], Missing);
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["outcome"], "no_match");
        assert_eq!(json["request_values"], serde_json::Value::Null);
        assert_eq!(json["note"]["kind"], "key_missing");
        assert_eq!(json["note"]["negated"], false);
        let t = trace("ForAllValues:NumericEquals", &["1"], Many(&["x"]));
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["qualifier"], "ForAllValues");
        assert_eq!(json["comparisons"][0]["note"]["kind"], "not_a_number");
        assert_eq!(json["comparisons"][0]["note"]["side"], "request");
        assert_eq!(json["outcome"], "no_match");
    }

    #[test]
    fn notes_display_short_phrases() {
        let cases = [
            (
                ComparisonNote::NotANumber {
                    value: "abc".into(),
                    side: ValueSide::Request,
                },
                "request value `abc` is not a number",
            ),
            (
                ComparisonNote::NotAnIp {
                    value: "1.2.3".into(),
                    side: ValueSide::Policy,
                },
                "policy value `1.2.3` is not an IP address or CIDR range",
            ),
            (
                ComparisonNote::UnresolvedVariable {
                    key: "aws:username".into(),
                },
                "policy variable `${aws:username}` has no value in the request and no default",
            ),
            (
                ComparisonNote::KeyMissing {
                    negated: true,
                    empty_list: false,
                },
                "the key is not in the request, so the negated operator holds",
            ),
            (
                ComparisonNote::KeyMissingIfExists { empty_list: true },
                "the key has no values in the request, so `…IfExists` holds",
            ),
            (
                ComparisonNote::SetWithNoValues {
                    qualifier: SetQualifier::ForAllValues,
                    empty_list: false,
                },
                "the key is not in the request, so `ForAllValues:` holds",
            ),
            (
                ComparisonNote::NullCheck { key_present: false },
                "the key is absent from the request",
            ),
        ];
        for (note, want) in cases {
            assert_eq!(note.to_string(), want);
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        let odd = [
            "",
            "*",
            "?",
            "${",
            "${}",
            "${aws:username",
            "${*}${?}${$}",
            "arn:",
            "arn:::::",
            "::",
            "/",
            "0/0",
            "::/129",
            "255.255.255.255/32",
            "9999-12-31T23:59:59.999999999+23:59",
            "0000-01-01",
            "-99999999999999999999",
            "1e308",
            "é",
            "\u{0}",
            "====",
            "A",
            "true ",
            " false",
            "nan",
            "-0",
            "99999999999999999999999999999999999999999",
        ];
        for base in BaseOperator::ALL {
            for qualifier in [
                None,
                Some(SetQualifier::ForAllValues),
                Some(SetQualifier::ForAnyValue),
            ] {
                for if_exists in [false, base != BaseOperator::Null] {
                    let name = ConditionOperator {
                        qualifier,
                        base,
                        if_exists,
                    }
                    .name();
                    for policy in odd {
                        let value = PolicyValue::string(policy, Span::default());
                        let operator = ConditionOperator::parse(&name).unwrap();
                        let _ = operator.check_policy_value(&value, true);
                        for request in [One(policy), Many(&odd), Missing] {
                            let _ = trace(&name, &[policy, "x"], request);
                        }
                    }
                }
            }
        }
    }

    /// The table in AWS's "Multivalued context key examples" (Deny with
    /// `ForAllValues:StringNotLike` on `aws:TagKeys`).
    #[test]
    fn aws_documented_for_all_values_string_not_like() {
        let policy: &[&str] = &["key1*"];
        check_table(&[
            (
                "ForAllValues:StringNotLike",
                policy,
                Many(&["key1:legal"]),
                false,
            ),
            (
                "ForAllValues:StringNotLike",
                policy,
                Many(&["key1:hr", "key1:personnel"]),
                false,
            ),
            (
                "ForAllValues:StringNotLike",
                policy,
                Many(&["key2:audit"]),
                true,
            ),
            ("ForAllValues:StringNotLike", policy, Missing, true),
        ]);
    }
}
