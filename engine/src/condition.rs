//! Condition operators: parsing operator names, checking policy values,
//! evaluating one condition against the request context with a trace, and
//! linting condition keys.
//!
//! The rules follow AWS's [Condition operators](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
//! reference; [`evaluate`] lists them, including the choices AWS leaves open.

mod base64;
mod date;
pub(crate) use date::{format_utc, is_undocumented_form as is_undocumented_date_form, parse_date};
pub mod evaluate;
mod ip;
pub(crate) use ip::IpRange;
pub mod keys;
mod number;
pub(crate) use number::{decimal_to_f64, parse_number};
pub mod operator;
pub(crate) mod result;

pub use evaluate::{
    evaluate_condition, Comparison, ComparisonNote, ConditionInput, ConditionOutcome,
    ConditionTrace, PolicyValue, PolicyValueKind, PreparedValues, ValueSide,
};
pub use keys::{
    global_key, is_multivalued_key, lint_condition, GLOBAL_CONDITION_KEYS, TAG_KEY_FAMILIES,
};
pub use operator::{
    BaseOperator, ConditionOperator, OperatorFamily, SetQualifier, UnknownOperatorError,
    UnknownOperatorReason,
};
