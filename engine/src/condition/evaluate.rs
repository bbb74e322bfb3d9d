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

use std::net::IpAddr;

use serde::Serialize;

use crate::matching::{arn_matches, Pattern, Template};
use crate::request::{Context, ContextScalar};
use crate::source::Span;

use super::date::Instant;
use super::ip::{Containment, IpRange};
use super::operator::{parse_bool, BaseOperator, ConditionOperator, OperatorFamily, SetQualifier};
use super::{base64, date, ip, number};

/// One value of a condition key as written in the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyValue {
    /// The text (JSON numbers and booleans converted to text).
    pub text: String,
    /// What JSON type it was written as.
    pub kind: PolicyValueKind,
    /// Where it was written.
    pub span: Span,
}

impl PolicyValue {
    /// A value written as a JSON string.
    pub fn string(text: impl Into<String>, span: Span) -> Self {
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
    /// Where the operator name was written.
    pub operator_span: Span,
    /// The condition key, as written.
    pub key: &'a str,
    /// Where the key was written.
    pub key_span: Span,
    /// The policy's values for the key (ORed).
    pub values: &'a [PolicyValue],
    /// The request context.
    pub context: &'a Context,
    /// Whether policy variables are substituted (policy version 2012-10-17).
    pub variables_enabled: bool,
}

/// Whether the condition holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
pub struct ConditionTrace {
    /// The operator's canonical name.
    pub operator: String,
    /// Where the operator was written.
    pub operator_span: Span,
    /// The key as written.
    pub key: String,
    /// Where the key was written.
    pub key_span: Span,
    /// The set qualifier, if any.
    pub qualifier: Option<SetQualifier>,
    /// Whether the operator ends in `IfExists`.
    pub if_exists: bool,
    /// The request's values for the key; `None` when the key is missing.
    pub request_values: Option<Vec<String>>,
    /// Every request value compared with every policy value.
    pub comparisons: Vec<Comparison>,
    /// The result.
    pub outcome: ConditionOutcome,
    /// The rule that decided the outcome, when it was not (only) the comparisons.
    pub note: Option<ComparisonNote>,
}

/// One request value compared with one policy value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The request value; `None` for `Null`, which tests the key itself.
    pub request_value: Option<String>,
    /// The policy value as written.
    pub policy_value: String,
    /// The policy value after variable substitution, when it differs.
    pub resolved_value: Option<String>,
    /// Where the policy value was written.
    pub span: Span,
    /// Whether the request value matched the policy value, by the base test
    /// without negation (for `StringNotEquals`, whether they were equal).
    pub matched: bool,
    /// Why it could not be compared, when it could not.
    pub note: Option<ComparisonNote>,
}

/// Which side of a comparison a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ComparisonNote {
    /// A value of a `Numeric*` condition is not a number.
    NotANumber {
        /// The text.
        value: String,
        /// Where it came from.
        side: ValueSide,
    },
    /// A value of a `Date*` condition is not a date.
    NotADate {
        /// The text.
        value: String,
        /// Where it came from.
        side: ValueSide,
    },
    /// A value of an IP condition is not an address (request) or range (policy).
    NotAnIp {
        /// The text.
        value: String,
        /// Where it came from.
        side: ValueSide,
    },
    /// A value of a `Bool` or `Null` condition is not `true` or `false`.
    NotABool {
        /// The text.
        value: String,
        /// Where it came from.
        side: ValueSide,
    },
    /// A value of a `BinaryEquals` condition is not base64.
    InvalidBase64 {
        /// The text.
        value: String,
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
        key: String,
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
            ComparisonNote::NotANumber { side: ValueSide::Request, .. }
                | ComparisonNote::NotADate { side: ValueSide::Request, .. }
                | ComparisonNote::NotAnIp { side: ValueSide::Request, .. }
                | ComparisonNote::NotABool { side: ValueSide::Request, .. }
                | ComparisonNote::InvalidBase64 { side: ValueSide::Request, .. }
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
                    write!(f, "policy value `{value}` is not an IP address or CIDR range")
                }
            },
            ComparisonNote::NotABool { value, side } => {
                write!(f, "{} `{value}` is not `true` or `false`", side.label())
            }
            ComparisonNote::InvalidBase64 { value, side } => {
                write!(f, "{} `{value}` is not valid base64", side.label())
            }
            ComparisonNote::IpFamilyMismatch { request_is_ipv6 } => f.write_str(if *request_is_ipv6 {
                "an IPv6 address is never in an IPv4 range"
            } else {
                "an IPv4 address is never in an IPv6 range"
            }),
            ComparisonNote::UnresolvedVariable { key } => write!(
                f,
                "policy variable `${{{key}}}` has no value in the request and no default"
            ),
            ComparisonNote::KeyMissing { negated, empty_list } => write!(
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

/// A policy value ready to compare.
enum PolicyOperand {
    Text { text: String, pattern: Pattern },
    Number(f64),
    Date(Instant),
    Bool(bool),
    Bytes(Vec<u8>),
    Range(IpRange),
}

/// A request value ready to compare.
enum RequestOperand<'t> {
    Text(&'t str),
    Number(f64),
    Date(Instant),
    Bool(bool),
    Bytes(Vec<u8>),
    Address(IpAddr),
}

struct PreparedValue {
    resolved_value: Option<String>,
    operand: Result<PolicyOperand, ComparisonNote>,
}

fn prepare_policy_value(input: &ConditionInput<'_>, value: &PolicyValue) -> PreparedValue {
    let base = input.operator.base;
    let text = value.text.as_str();
    let bad = |make: fn(String, ValueSide) -> ComparisonNote| make(text.to_owned(), ValueSide::Policy);
    if base.supports_variables() {
        let template = Template::parse(text, input.variables_enabled);
        let resolved = template.resolve(&|key| input.context.single_text(key));
        return match resolved {
            Err(unresolved) => PreparedValue {
                resolved_value: None,
                operand: Err(ComparisonNote::UnresolvedVariable { key: unresolved.key }),
            },
            Ok(resolved) => {
                let resolved_value = (resolved.text != text).then(|| resolved.text.clone());
                let operand = if base.family() == OperatorFamily::Bool {
                    parse_bool(&resolved.text).map(PolicyOperand::Bool).ok_or_else(|| {
                        ComparisonNote::NotABool {
                            value: resolved.text.clone(),
                            side: ValueSide::Policy,
                        }
                    })
                } else {
                    Ok(PolicyOperand::Text {
                        text: resolved.text,
                        pattern: resolved.pattern,
                    })
                };
                PreparedValue {
                    resolved_value,
                    operand,
                }
            }
        };
    }
    let operand = match base.family() {
        OperatorFamily::Numeric => number::parse_number(text)
            .map(PolicyOperand::Number)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotANumber { value, side })),
        OperatorFamily::Date => date::parse_date(text)
            .map(PolicyOperand::Date)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotADate { value, side })),
        OperatorFamily::Binary => base64::decode(text)
            .map(PolicyOperand::Bytes)
            .ok_or_else(|| bad(|value, side| ComparisonNote::InvalidBase64 { value, side })),
        OperatorFamily::IpAddress => IpRange::parse(text)
            .map(PolicyOperand::Range)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotAnIp { value, side })),
        OperatorFamily::Null => parse_bool(text)
            .map(PolicyOperand::Bool)
            .ok_or_else(|| bad(|value, side| ComparisonNote::NotABool { value, side })),
        // Handled above; kept total so no input can panic.
        OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Bool => {
            Ok(PolicyOperand::Text {
                text: text.to_owned(),
                pattern: Pattern::wildcard(text),
            })
        }
    };
    PreparedValue {
        resolved_value: None,
        operand,
    }
}

fn prepare_request_value(base: BaseOperator, text: &str) -> Result<RequestOperand<'_>, ComparisonNote> {
    let bad = |make: fn(String, ValueSide) -> ComparisonNote| make(text.to_owned(), ValueSide::Request);
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
    policy: &PolicyOperand,
) -> (bool, Option<ComparisonNote>) {
    use BaseOperator as B;
    let matched = match (request, policy) {
        (RequestOperand::Text(r), PolicyOperand::Text { text, pattern }) => match base {
            B::StringEquals | B::StringNotEquals => *r == text,
            B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => {
                r.to_lowercase() == text.to_lowercase()
            }
            B::StringLike | B::StringNotLike => pattern.matches(r),
            B::ArnEquals | B::ArnLike | B::ArnNotEquals | B::ArnNotLike => {
                arn_matches(pattern, r)
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
        (RequestOperand::Bytes(r), PolicyOperand::Bytes(p)) => r == p,
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
    let operator = input.operator;
    let request_values: Option<Vec<String>> = input.context.value(input.key).map(|v| {
        v.scalars()
            .iter()
            .map(ContextScalar::as_text)
            .collect::<Vec<_>>()
    });
    let mut trace = ConditionTrace {
        operator: operator.name(),
        operator_span: input.operator_span,
        key: input.key.to_owned(),
        key_span: input.key_span,
        qualifier: operator.qualifier,
        if_exists: operator.if_exists,
        request_values: request_values.clone(),
        comparisons: Vec::new(),
        outcome: ConditionOutcome::NoMatch,
        note: None,
    };
    let empty_list = request_values.as_ref().is_some_and(Vec::is_empty);
    let present = request_values.filter(|v| !v.is_empty());

    if operator.base == BaseOperator::Null {
        evaluate_null(input, present.is_some(), &mut trace);
        return trace;
    }

    let negated = operator.is_negated();
    let Some(values) = present else {
        let (holds, note) = if operator.if_exists {
            (true, ComparisonNote::KeyMissingIfExists { empty_list })
        } else {
            match operator.qualifier {
                Some(qualifier) => (
                    qualifier == SetQualifier::ForAllValues,
                    ComparisonNote::SetWithNoValues {
                        qualifier,
                        empty_list,
                    },
                ),
                None => (negated, ComparisonNote::KeyMissing { negated, empty_list }),
            }
        };
        trace.outcome = ConditionOutcome::from_bool(holds);
        trace.note = Some(note);
        return trace;
    };

    let prepared: Vec<PreparedValue> = input
        .values
        .iter()
        .map(|v| prepare_policy_value(input, v))
        .collect();
    let mut tests = Vec::with_capacity(values.len());
    for request_text in &values {
        let request = prepare_request_value(operator.base, request_text);
        let mut test = ValueTest::NotMatched;
        for (policy_value, prepared) in input.values.iter().zip(&prepared) {
            let (matched, note) = match (&request, &prepared.operand) {
                (Err(note), _) | (_, Err(note)) => (false, Some(note.clone())),
                (Ok(r), Ok(p)) => compare(operator.base, r, p),
            };
            if note.as_ref().is_some_and(ComparisonNote::is_request_unreadable) {
                test = ValueTest::Unreadable;
            } else if matched && test == ValueTest::NotMatched {
                test = ValueTest::Matched;
            }
            trace.comparisons.push(Comparison {
                request_value: Some(request_text.clone()),
                policy_value: policy_value.text.clone(),
                resolved_value: prepared.resolved_value.clone(),
                span: policy_value.span,
                matched,
                note,
            });
        }
        if request.is_err() {
            test = ValueTest::Unreadable;
        }
        tests.push(test);
    }

    let holds = |t: &ValueTest| match t {
        ValueTest::Unreadable => false,
        ValueTest::Matched => !negated,
        ValueTest::NotMatched => negated,
    };
    let result = match operator.qualifier {
        Some(SetQualifier::ForAllValues) => tests.iter().all(holds),
        Some(SetQualifier::ForAnyValue) => tests.iter().any(holds),
        None => {
            if values.len() > 1 {
                trace.note = Some(ComparisonNote::MultivaluedWithoutSetQualifier {
                    value_count: values.len(),
                    negated,
                });
            }
            if negated {
                tests.iter().all(holds)
            } else {
                tests.iter().any(holds)
            }
        }
    };
    trace.outcome = ConditionOutcome::from_bool(result);
    trace
}

/// `Null`: each policy value `true` holds when the key is absent, `false`
/// when it is present; the values are ORed. A set qualifier changes nothing.
fn evaluate_null(input: &ConditionInput<'_>, key_present: bool, trace: &mut ConditionTrace) {
    let mut holds = false;
    for value in input.values {
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
        trace.comparisons.push(Comparison {
            request_value: None,
            policy_value: value.text.clone(),
            resolved_value: None,
            span: value.span,
            matched,
            note,
        });
    }
    trace.outcome = ConditionOutcome::from_bool(holds);
    trace.note = Some(ComparisonNote::NullCheck { key_present });
}
