//! PLACEHOLDER: replaced by the condition-operator module on branch `condition`.
#![allow(missing_docs, dead_code)]

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::request::Context;
use crate::source::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionOperator {
    pub qualifier: Option<SetQualifier>,
    pub name: String,
    pub if_exists: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown condition operator `{name}`")]
pub struct UnknownOperatorError {
    pub name: String,
    pub suggestion: Option<String>,
}

impl ConditionOperator {
    pub fn parse(name: &str) -> Result<ConditionOperator, UnknownOperatorError> {
        Ok(ConditionOperator {
            qualifier: None,
            name: name.to_owned(),
            if_exists: false,
        })
    }
    pub fn name(&self) -> String {
        self.name.clone()
    }
    pub fn check_policy_value(
        &self,
        _value: &PolicyValue,
        _variables_enabled: bool,
    ) -> Option<Diagnostic> {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicyValueKind {
    String,
    Number,
    Bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyValue {
    pub text: String,
    pub kind: PolicyValueKind,
    pub span: Span,
}

pub struct ConditionInput<'a> {
    pub operator: &'a ConditionOperator,
    pub operator_span: Span,
    pub key: &'a str,
    pub key_span: Span,
    pub values: &'a [PolicyValue],
    pub context: &'a Context,
    pub variables_enabled: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConditionOutcome {
    Match,
    NoMatch,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionTrace {
    pub operator: String,
    pub operator_span: Span,
    pub key: String,
    pub key_span: Span,
    pub request_values: Option<Vec<String>>,
    pub outcome: ConditionOutcome,
}

pub fn evaluate_condition(input: &ConditionInput<'_>) -> ConditionTrace {
    let request_values: Option<Vec<String>> = input
        .context
        .value(input.key)
        .map(|v| v.scalars().iter().map(|s| s.as_text()).collect());
    let matched = request_values
        .as_ref()
        .is_some_and(|rv| rv.iter().any(|r| input.values.iter().any(|p| &p.text == r)));
    ConditionTrace {
        operator: input.operator.name(),
        operator_span: input.operator_span,
        key: input.key.to_owned(),
        key_span: input.key_span,
        request_values,
        outcome: if matched {
            ConditionOutcome::Match
        } else {
            ConditionOutcome::NoMatch
        },
    }
}

pub const GLOBAL_CONDITION_KEYS: &[&str] = &["aws:SourceIp"];

pub fn is_multivalued_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("aws:TagKeys")
}

pub fn lint_condition(
    _operator: &ConditionOperator,
    _operator_span: Span,
    _key: &str,
    _key_span: Span,
    _effect_is_allow: bool,
) -> Vec<Diagnostic> {
    Vec::new()
}
