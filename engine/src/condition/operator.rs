//! Condition operator names: `StringEquals`, `ForAnyValue:StringLikeIfExists`, …
//!
//! From [IAM JSON policy elements: Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html):
//! a name is an optional set qualifier (`ForAllValues:` or `ForAnyValue:`),
//! a base operator, and an optional `IfExists` suffix, which every operator
//! except `Null` accepts. Names are case-sensitive.

use serde::Serialize;

use crate::text::Text;

use crate::diagnostics::Diagnostic;
use crate::matching::Template;
use crate::source::Span;
use crate::suggest::closest;

use super::evaluate::PolicyValue;
use super::{base64, date, ip, number};

/// `ForAllValues:` or `ForAnyValue:`, for multivalued context keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum SetQualifier {
    /// Every request value must match (true when there are none).
    ForAllValues,
    /// At least one request value must match (false when there are none).
    ForAnyValue,
}

impl SetQualifier {
    /// The qualifier as written, without the colon.
    pub fn name(self) -> &'static str {
        match self {
            SetQualifier::ForAllValues => "ForAllValues",
            SetQualifier::ForAnyValue => "ForAnyValue",
        }
    }

    fn from_name(name: &str) -> Option<SetQualifier> {
        match name {
            "ForAllValues" => Some(SetQualifier::ForAllValues),
            "ForAnyValue" => Some(SetQualifier::ForAnyValue),
            _ => None,
        }
    }
}

impl std::fmt::Display for SetQualifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The kind of value an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorFamily {
    /// `String*`.
    String,
    /// `Numeric*`.
    Numeric,
    /// `Date*`.
    Date,
    /// `Bool`.
    Bool,
    /// `BinaryEquals`.
    Binary,
    /// `IpAddress`, `NotIpAddress`.
    IpAddress,
    /// `Arn*`.
    Arn,
    /// `Null`.
    Null,
}

impl OperatorFamily {
    /// A short name for messages, such as "numeric".
    pub fn label(self) -> &'static str {
        match self {
            OperatorFamily::String => "string",
            OperatorFamily::Numeric => "numeric",
            OperatorFamily::Date => "date",
            OperatorFamily::Bool => "boolean",
            OperatorFamily::Binary => "binary",
            OperatorFamily::IpAddress => "IP address",
            OperatorFamily::Arn => "ARN",
            OperatorFamily::Null => "Null",
        }
    }
}

/// A condition operator without qualifier or `IfExists`; each variant is the
/// AWS operator of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum BaseOperator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

impl BaseOperator {
    /// Every base operator.
    pub const ALL: [BaseOperator; 27] = [
        BaseOperator::StringEquals,
        BaseOperator::StringNotEquals,
        BaseOperator::StringEqualsIgnoreCase,
        BaseOperator::StringNotEqualsIgnoreCase,
        BaseOperator::StringLike,
        BaseOperator::StringNotLike,
        BaseOperator::NumericEquals,
        BaseOperator::NumericNotEquals,
        BaseOperator::NumericLessThan,
        BaseOperator::NumericLessThanEquals,
        BaseOperator::NumericGreaterThan,
        BaseOperator::NumericGreaterThanEquals,
        BaseOperator::DateEquals,
        BaseOperator::DateNotEquals,
        BaseOperator::DateLessThan,
        BaseOperator::DateLessThanEquals,
        BaseOperator::DateGreaterThan,
        BaseOperator::DateGreaterThanEquals,
        BaseOperator::Bool,
        BaseOperator::BinaryEquals,
        BaseOperator::IpAddress,
        BaseOperator::NotIpAddress,
        BaseOperator::ArnEquals,
        BaseOperator::ArnLike,
        BaseOperator::ArnNotEquals,
        BaseOperator::ArnNotLike,
        BaseOperator::Null,
    ];

    /// The name as AWS spells it.
    pub fn name(self) -> &'static str {
        use BaseOperator as B;
        match self {
            B::StringEquals => "StringEquals",
            B::StringNotEquals => "StringNotEquals",
            B::StringEqualsIgnoreCase => "StringEqualsIgnoreCase",
            B::StringNotEqualsIgnoreCase => "StringNotEqualsIgnoreCase",
            B::StringLike => "StringLike",
            B::StringNotLike => "StringNotLike",
            B::NumericEquals => "NumericEquals",
            B::NumericNotEquals => "NumericNotEquals",
            B::NumericLessThan => "NumericLessThan",
            B::NumericLessThanEquals => "NumericLessThanEquals",
            B::NumericGreaterThan => "NumericGreaterThan",
            B::NumericGreaterThanEquals => "NumericGreaterThanEquals",
            B::DateEquals => "DateEquals",
            B::DateNotEquals => "DateNotEquals",
            B::DateLessThan => "DateLessThan",
            B::DateLessThanEquals => "DateLessThanEquals",
            B::DateGreaterThan => "DateGreaterThan",
            B::DateGreaterThanEquals => "DateGreaterThanEquals",
            B::Bool => "Bool",
            B::BinaryEquals => "BinaryEquals",
            B::IpAddress => "IpAddress",
            B::NotIpAddress => "NotIpAddress",
            B::ArnEquals => "ArnEquals",
            B::ArnLike => "ArnLike",
            B::ArnNotEquals => "ArnNotEquals",
            B::ArnNotLike => "ArnNotLike",
            B::Null => "Null",
        }
    }

    /// The base operator named exactly `name`.
    pub fn from_name(name: &str) -> Option<BaseOperator> {
        BaseOperator::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The family of values it compares.
    pub fn family(self) -> OperatorFamily {
        use BaseOperator as B;
        match self {
            B::StringEquals
            | B::StringNotEquals
            | B::StringEqualsIgnoreCase
            | B::StringNotEqualsIgnoreCase
            | B::StringLike
            | B::StringNotLike => OperatorFamily::String,
            B::NumericEquals
            | B::NumericNotEquals
            | B::NumericLessThan
            | B::NumericLessThanEquals
            | B::NumericGreaterThan
            | B::NumericGreaterThanEquals => OperatorFamily::Numeric,
            B::DateEquals
            | B::DateNotEquals
            | B::DateLessThan
            | B::DateLessThanEquals
            | B::DateGreaterThan
            | B::DateGreaterThanEquals => OperatorFamily::Date,
            B::Bool => OperatorFamily::Bool,
            B::BinaryEquals => OperatorFamily::Binary,
            B::IpAddress | B::NotIpAddress => OperatorFamily::IpAddress,
            B::ArnEquals | B::ArnLike | B::ArnNotEquals | B::ArnNotLike => OperatorFamily::Arn,
            B::Null => OperatorFamily::Null,
        }
    }

    /// Whether it is a negated operator ("matches none of the values"),
    /// which holds when the key is missing.
    pub fn is_negated(self) -> bool {
        use BaseOperator as B;
        matches!(
            self,
            B::StringNotEquals
                | B::StringNotEqualsIgnoreCase
                | B::StringNotLike
                | B::NumericNotEquals
                | B::DateNotEquals
                | B::NotIpAddress
                | B::ArnNotEquals
                | B::ArnNotLike
        )
    }

    /// Whether policy variables are substituted in its values: AWS documents
    /// them for the String, ARN and Bool operators only.
    pub fn supports_variables(self) -> bool {
        matches!(
            self.family(),
            OperatorFamily::String | OperatorFamily::Arn | OperatorFamily::Bool
        )
    }

    /// Whether `*` and `?` in its values are wildcards.
    pub fn uses_wildcards(self) -> bool {
        matches!(self, BaseOperator::StringLike | BaseOperator::StringNotLike)
            || self.family() == OperatorFamily::Arn
    }
}

impl std::fmt::Display for BaseOperator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A condition operator as written in a policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ConditionOperator {
    /// `ForAllValues:` or `ForAnyValue:`, if written.
    pub qualifier: Option<SetQualifier>,
    /// The operator proper.
    pub base: BaseOperator,
    /// Whether `IfExists` was appended.
    pub if_exists: bool,
}

const IF_EXISTS: &str = "IfExists";

impl ConditionOperator {
    /// An operator with no qualifier and no `IfExists`.
    pub fn plain(base: BaseOperator) -> Self {
        ConditionOperator {
            qualifier: None,
            base,
            if_exists: false,
        }
    }

    /// Parses an operator name as written in a policy, case-sensitively.
    pub fn parse(name: &str) -> Result<ConditionOperator, UnknownOperatorError> {
        let (qualifier, rest) = match name.split_once(':') {
            Some((prefix, rest)) => match SetQualifier::from_name(prefix) {
                Some(q) => (Some(q), rest),
                None => {
                    return Err(UnknownOperatorError::new(
                        name,
                        UnknownOperatorReason::UnknownSetQualifier {
                            prefix: prefix.to_owned(),
                        },
                    ))
                }
            },
            None => (None, name),
        };
        let (base_name, if_exists) = match rest.strip_suffix(IF_EXISTS) {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let Some(base) = BaseOperator::from_name(base_name) else {
            return Err(UnknownOperatorError::new(
                name,
                UnknownOperatorReason::Unknown,
            ));
        };
        if base == BaseOperator::Null && if_exists {
            return Err(UnknownOperatorError::new(
                name,
                UnknownOperatorReason::NullIfExists,
            ));
        }
        Ok(ConditionOperator {
            qualifier,
            base,
            if_exists,
        })
    }

    /// The canonical name, such as `ForAnyValue:StringLikeIfExists`.
    pub fn name(&self) -> String {
        let mut out = String::with_capacity(64);
        if let Some(q) = self.qualifier {
            out.push_str(q.name());
            out.push(':');
        }
        out.push_str(self.base.name());
        if self.if_exists {
            out.push_str(IF_EXISTS);
        }
        out
    }

    /// The canonical name as shared text.
    pub fn name_text(&self) -> Text {
        Text::from(self.name())
    }

    /// The family of values the operator compares.
    pub fn family(&self) -> OperatorFamily {
        self.base.family()
    }

    /// Whether the base operator is negated.
    pub fn is_negated(&self) -> bool {
        self.base.is_negated()
    }

    /// Checks one policy value against the operator's type, as when the
    /// policy is parsed: an error when the value can never be read (not a
    /// number for `Numeric*`, not a date for `Date*`, not `true`/`false` for
    /// `Bool` and `Null`, not base64 for `BinaryEquals`, not an IP address or
    /// CIDR range for `IpAddress`/`NotIpAddress`), a warning for wildcards
    /// that `StringEquals` takes literally. Values containing a policy
    /// variable are not checked when variables are enabled and the operator
    /// substitutes them.
    pub fn check_policy_value(
        &self,
        value: &PolicyValue,
        variables_enabled: bool,
    ) -> Option<Diagnostic> {
        let text = value.text.as_str();
        let has_variable =
            variables_enabled && Template::parse(text, true).variable_keys().next().is_some();
        if has_variable && self.base.supports_variables() {
            return None;
        }
        let shown = self.name();
        let (message, help) = match self.family() {
            OperatorFamily::String => {
                let literal_wildcards = !self.base.uses_wildcards()
                    && (text.contains('*') || text.contains('?'));
                return literal_wildcards.then(|| {
                    Diagnostic::warning(
                        "literal-wildcard",
                        format!("`*` and `?` in `{text}` are literal characters for `{shown}`"),
                        value.span,
                    )
                    .with_help("use `StringLike` to match a pattern")
                });
            }
            OperatorFamily::Arn => return None,
            OperatorFamily::Numeric => number::parse_number(text).is_none().then(|| {
                (
                    format!("`{text}` is not a number"),
                    format!("`{shown}` compares integers or decimals like `10` or `2.5`"),
                )
            }),
            OperatorFamily::Date => date::parse_date(text).is_none().then(|| {
                (
                    format!("`{text}` is not a date"),
                    "write it in ISO 8601 like `2020-01-01T00:00:00Z` or as epoch seconds like `1577836800`".to_owned(),
                )
            }),
            OperatorFamily::Bool => parse_bool(text).is_none().then(|| {
                (
                    format!("`{text}` is not a boolean"),
                    format!("`{shown}` takes `true` or `false`"),
                )
            }),
            OperatorFamily::Null => parse_bool(text).is_none().then(|| {
                (
                    format!("`{text}` is not a boolean"),
                    "`Null` takes `true` (the key is absent) or `false` (the key is present)".to_owned(),
                )
            }),
            OperatorFamily::Binary => base64::decode(text).is_none().then(|| {
                (
                    format!("`{text}` is not valid base64"),
                    "`BinaryEquals` takes base64-encoded bytes like `QmluYXJ5`".to_owned(),
                )
            }),
            OperatorFamily::IpAddress => ip::IpRange::parse(text).is_none().then(|| {
                (
                    format!("`{text}` is not an IP address or CIDR range"),
                    "write it like `203.0.113.0/24` or `2001:db8::/32`".to_owned(),
                )
            }),
        }?;
        let diagnostic = Diagnostic::error("invalid-condition-value", message, value.span);
        Some(if has_variable {
            diagnostic.with_help(format!(
                "policy variables cannot be used with {} condition operators",
                self.family().label()
            ))
        } else {
            diagnostic.with_help(help)
        })
    }
}

/// `true` or `false`, in any case, as `Bool` and `Null` read them.
pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

impl std::fmt::Display for ConditionOperator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

impl std::str::FromStr for ConditionOperator {
    type Err = UnknownOperatorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ConditionOperator::parse(s)
    }
}

/// Why an operator name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum UnknownOperatorReason {
    /// No operator has this name.
    Unknown,
    /// `NullIfExists`: `IfExists` cannot be added to `Null`.
    NullIfExists,
    /// The text before `:` is not `ForAllValues` or `ForAnyValue`.
    UnknownSetQualifier {
        /// The text before the colon.
        prefix: String,
    },
}

/// A condition operator name that AWS does not accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message())]
pub struct UnknownOperatorError {
    /// The name as written.
    pub name: String,
    /// Why it was rejected.
    pub reason: UnknownOperatorReason,
    /// The operator the author probably meant, such as `StringEquals`.
    pub suggestion: Option<String>,
}

impl UnknownOperatorError {
    fn new(name: &str, reason: UnknownOperatorReason) -> Self {
        let suggestion = match &reason {
            UnknownOperatorReason::NullIfExists => Some("Null".to_owned()),
            _ => suggest_operator(name),
        };
        UnknownOperatorError {
            name: name.to_owned(),
            reason,
            suggestion,
        }
    }

    /// The name as written.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Why it was rejected.
    pub fn reason(&self) -> &UnknownOperatorReason {
        &self.reason
    }

    /// The operator the author probably meant.
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }

    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self.reason {
            UnknownOperatorReason::Unknown => "unknown-condition-operator",
            UnknownOperatorReason::NullIfExists => "null-if-exists",
            UnknownOperatorReason::UnknownSetQualifier { .. } => "unknown-set-qualifier",
        }
    }

    /// What is wrong, in one line.
    pub fn message(&self) -> String {
        let name = &self.name;
        match &self.reason {
            UnknownOperatorReason::Unknown => format!("unknown condition operator `{name}`"),
            UnknownOperatorReason::NullIfExists => {
                "`IfExists` cannot be added to the `Null` condition operator".to_owned()
            }
            UnknownOperatorReason::UnknownSetQualifier { prefix } => {
                format!("unknown set qualifier `{prefix}:` in condition operator `{name}`")
            }
        }
    }

    /// What to do about it.
    pub fn help(&self) -> Option<String> {
        let suggestion = self.suggestion.as_deref();
        match (&self.reason, suggestion) {
            (UnknownOperatorReason::NullIfExists, _) => Some(
                "`Null` already tests whether the key exists; write `Null` with `true` or `false`"
                    .to_owned(),
            ),
            (UnknownOperatorReason::UnknownSetQualifier { .. }, Some(s)) => Some(format!(
                "did you mean `{s}`? the set qualifiers are `ForAllValues:` and `ForAnyValue:`"
            )),
            (UnknownOperatorReason::UnknownSetQualifier { .. }, None) => {
                Some("the set qualifiers are `ForAllValues:` and `ForAnyValue:`".to_owned())
            }
            (UnknownOperatorReason::Unknown, Some(s)) if s.eq_ignore_ascii_case(&self.name) => {
                Some(format!(
                    "condition operators are case-sensitive; did you mean `{s}`?"
                ))
            }
            (UnknownOperatorReason::Unknown, Some(s)) => Some(format!("did you mean `{s}`?")),
            (UnknownOperatorReason::Unknown, None) => None,
        }
    }

    /// The error as a diagnostic at `span` (the operator name in the policy).
    pub fn to_diagnostic(&self, span: Span) -> Diagnostic {
        let diagnostic = Diagnostic::error(self.code(), self.message(), span);
        match self.help() {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        }
    }
}

/// The candidate closest to `input` by edit distance, or else the longest
/// candidate (of at least four characters) that `input` starts with,
/// ignoring case: `Boolean` suggests `Bool`, and
/// `aws:SourceIpAddress` suggests `aws:SourceIp`.
pub(crate) fn closest_or_prefix<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    if let Some(found) = closest(input, candidates.clone()) {
        return Some(found);
    }
    let lower = input.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| {
            let c_lower = c.to_lowercase();
            c.chars().count() >= 4 && lower.starts_with(&c_lower)
        })
        .max_by_key(|c| c.len())
}

/// The closest valid operator name: the qualifier is matched on its own,
/// the rest against every base operator with and without `IfExists`.
fn suggest_operator(name: &str) -> Option<String> {
    let (qualifier, rest) = match name.split_once(':') {
        Some((prefix, rest)) => {
            let q = closest(prefix, ["ForAllValues", "ForAnyValue"])
                .and_then(SetQualifier::from_name)?;
            (Some(q), rest)
        }
        None => (None, name),
    };
    let candidates: Vec<String> = BaseOperator::ALL
        .iter()
        .flat_map(|b| {
            let with_suffix =
                (*b != BaseOperator::Null).then(|| format!("{}{IF_EXISTS}", b.name()));
            std::iter::once(b.name().to_owned()).chain(with_suffix)
        })
        .collect();
    let found = closest_or_prefix(rest, candidates.iter().map(String::as_str))?;
    let mut operator = ConditionOperator::parse(found).ok()?;
    operator.qualifier = qualifier;
    Some(operator.name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::condition::PolicyValueKind;

    #[test]
    fn parses_every_operator_with_every_qualifier_and_suffix() {
        for base in BaseOperator::ALL {
            for qualifier in [
                None,
                Some(SetQualifier::ForAllValues),
                Some(SetQualifier::ForAnyValue),
            ] {
                for if_exists in [false, true] {
                    let op = ConditionOperator {
                        qualifier,
                        base,
                        if_exists,
                    };
                    let parsed = ConditionOperator::parse(&op.name());
                    if base == BaseOperator::Null && if_exists {
                        assert!(parsed.is_err());
                    } else {
                        assert_eq!(parsed, Ok(op.clone()), "{}", op.name());
                    }
                }
            }
        }
    }

    #[test]
    fn parses_names() {
        let op = ConditionOperator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, BaseOperator::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.to_string(), "ForAnyValue:StringLikeIfExists");
        let op: ConditionOperator = "Null".parse().unwrap();
        assert_eq!(op, ConditionOperator::plain(BaseOperator::Null));
    }

    fn err(name: &str) -> UnknownOperatorError {
        ConditionOperator::parse(name).unwrap_err()
    }

    #[test]
    fn unknown_names_get_suggestions() {
        let cases = [
            ("StringEqual", Some("StringEquals")),
            ("stringequals", Some("StringEquals")),
            ("STRINGEQUALS", Some("StringEquals")),
            ("StringEqualz", Some("StringEquals")),
            ("StringEqualsIfExist", Some("StringEqualsIfExists")),
            ("stringlikeifexists", Some("StringLikeIfExists")),
            ("NumericLessThen", Some("NumericLessThan")),
            ("IPAddress", Some("IpAddress")),
            ("ArnEqual", Some("ArnEquals")),
            ("Boolean", Some("Bool")),
            ("ForAnyValue:StringEqual", Some("ForAnyValue:StringEquals")),
            ("ForAllValues:stringlike", Some("ForAllValues:StringLike")),
            ("Frobnicate", None),
            ("", None),
            ("IfExists", None),
            ("ForAllValues:", None),
        ];
        for (name, want) in cases {
            let e = err(name);
            assert_eq!(e.reason(), &UnknownOperatorReason::Unknown, "{name}");
            assert_eq!(e.suggestion(), want, "{name}");
            assert_eq!(e.code(), "unknown-condition-operator");
        }
        let e = err("stringequals");
        assert_eq!(e.to_string(), "unknown condition operator `stringequals`");
        assert_eq!(
            e.help().as_deref(),
            Some("condition operators are case-sensitive; did you mean `StringEquals`?")
        );
        assert_eq!(
            err("StringEqual").help().as_deref(),
            Some("did you mean `StringEquals`?")
        );
        assert_eq!(err("Frobnicate").help(), None);
    }

    #[test]
    fn null_if_exists_is_rejected_specifically() {
        let e = err("NullIfExists");
        assert_eq!(e.reason(), &UnknownOperatorReason::NullIfExists);
        assert_eq!(e.code(), "null-if-exists");
        assert_eq!(e.suggestion(), Some("Null"));
        assert!(e
            .to_string()
            .contains("`IfExists` cannot be added to the `Null`"));
        assert_eq!(
            err("ForAnyValue:NullIfExists").reason(),
            &UnknownOperatorReason::NullIfExists
        );
    }

    #[test]
    fn bad_set_qualifier_is_rejected_specifically() {
        let e = err("ForAllValue:StringEquals");
        assert_eq!(
            e.reason(),
            &UnknownOperatorReason::UnknownSetQualifier {
                prefix: "ForAllValue".into()
            }
        );
        assert_eq!(e.suggestion(), Some("ForAllValues:StringEquals"));
        assert_eq!(
            e.to_string(),
            "unknown set qualifier `ForAllValue:` in condition operator `ForAllValue:StringEquals`"
        );
        let d = e.to_diagnostic(Span::new(3, 27));
        assert_eq!(d.code, "unknown-set-qualifier");
        assert_eq!(d.span, Span::new(3, 27));
        assert!(d
            .help
            .unwrap()
            .starts_with("did you mean `ForAllValues:StringEquals`?"));
        assert_eq!(
            err("forallvalues:StringLike").suggestion(),
            Some("ForAllValues:StringLike")
        );
        assert_eq!(err("Whatever:StringLike").suggestion(), None);
        assert_eq!(
            err("ForAnyValues:StringLike").suggestion(),
            Some("ForAnyValue:StringLike")
        );
    }

    fn check(op: &str, text: &str, vars: bool) -> Option<Diagnostic> {
        let value = PolicyValue {
            text: text.into(),
            kind: PolicyValueKind::String,
            span: Span::new(10, 10 + text.len()),
        };
        ConditionOperator::parse(op)
            .unwrap()
            .check_policy_value(&value, vars)
    }

    #[test]
    fn policy_values_are_checked_by_type() {
        let valid = [
            ("NumericEquals", "10"),
            ("NumericLessThan", "-2.5"),
            ("DateGreaterThan", "2020-01-01T00:00:00Z"),
            ("DateLessThan", "1577836800"),
            ("Bool", "true"),
            ("Bool", "FALSE"),
            ("Null", "false"),
            ("BinaryEquals", "QmluYXJ5VmFsdWVJbkJhc2U2NA=="),
            ("IpAddress", "203.0.113.0/24"),
            ("NotIpAddress", "2001:db8::/32"),
            ("IpAddress", "10.0.0.1"),
            ("StringEquals", "anything"),
            ("StringLike", "a*b?"),
            ("ArnLike", "arn:aws:iam::*:role/*"),
            ("ArnEquals", "not an arn"),
        ];
        for (op, text) in valid {
            assert_eq!(check(op, text, true), None, "{op} {text}");
        }
        let invalid = [
            ("NumericEquals", "ten", "`ten` is not a number"),
            ("NumericGreaterThanIfExists", "1e3", "`1e3` is not a number"),
            ("DateEquals", "yesterday", "`yesterday` is not a date"),
            ("Bool", "yes", "`yes` is not a boolean"),
            ("Null", "1", "`1` is not a boolean"),
            (
                "BinaryEquals",
                "not base64!",
                "`not base64!` is not valid base64",
            ),
            (
                "IpAddress",
                "10.0.0.0/33",
                "`10.0.0.0/33` is not an IP address or CIDR range",
            ),
            (
                "ForAnyValue:NotIpAddress",
                "10.0.0",
                "`10.0.0` is not an IP address or CIDR range",
            ),
        ];
        for (op, text, want) in invalid {
            let d = check(op, text, true).unwrap_or_else(|| panic!("{op} {text}"));
            assert!(d.is_error());
            assert_eq!(d.code, "invalid-condition-value");
            assert_eq!(d.message, want);
            assert!(d.help.is_some(), "{op} {text}: the help says what to write");
            assert_eq!(d.span, Span::new(10, 10 + text.len()));
        }
    }

    #[test]
    fn policy_variables_skip_checks_only_where_supported() {
        assert_eq!(check("Bool", "${aws:PrincipalTag/flag}", true), None);
        assert_eq!(check("StringEquals", "${aws:username}", true), None);
        let d = check("NumericEquals", "${aws:PrincipalTag/n}", true).unwrap();
        assert_eq!(
            d.help.as_deref(),
            Some("policy variables cannot be used with numeric condition operators")
        );
        // Without variables the text is literal and checked.
        assert!(check("Bool", "${aws:PrincipalTag/flag}", false).is_some());
    }

    #[test]
    fn literal_wildcards_in_equality_warn() {
        let d = check("StringEquals", "prefix-*", false).unwrap();
        assert!(!d.is_error());
        assert_eq!(d.code, "literal-wildcard");
        assert_eq!(check("StringLike", "prefix-*", false), None);
        assert!(check("StringNotEqualsIgnoreCase", "a?", false).is_some());
    }

    #[test]
    fn operator_properties() {
        let negated: Vec<&str> = BaseOperator::ALL
            .iter()
            .filter(|b| b.is_negated())
            .map(|b| b.name())
            .collect();
        assert_eq!(
            negated,
            [
                "StringNotEquals",
                "StringNotEqualsIgnoreCase",
                "StringNotLike",
                "NumericNotEquals",
                "DateNotEquals",
                "NotIpAddress",
                "ArnNotEquals",
                "ArnNotLike"
            ]
        );
        assert_eq!(BaseOperator::ArnEquals.family(), OperatorFamily::Arn);
        assert!(BaseOperator::ArnEquals.uses_wildcards());
        assert!(!BaseOperator::StringEquals.uses_wildcards());
        assert!(!BaseOperator::NumericEquals.supports_variables());
    }
}
