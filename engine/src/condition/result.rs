//! [`ConditionResult`]: what evaluating one condition found, kept compact,
//! and the [`ConditionTrace`] it reads as.
//!
//! Evaluation decides every comparison of a condition. The result keeps the
//! outcome, the request's values, one bit per comparison, and the notes and
//! substituted values there are; the operator, key and policy values stay
//! in the policy. [`ConditionResult::trace`] puts the two together.

use smallvec::SmallVec;

use super::evaluate::{Comparison, ComparisonNote, ConditionOutcome, ConditionTrace, PolicyValue};
use super::operator::{BaseOperator, ConditionOperator};
use crate::bits::Bits;
use crate::policy::ConditionEntry;
use crate::source::Span;
use crate::text::Text;

/// What a condition is, as the policy writes it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConditionParts<'a> {
    pub operator: &'a ConditionOperator,
    pub operator_name: &'a Text,
    pub operator_span: Span,
    pub key: &'a Text,
    pub key_span: Span,
    pub values: &'a [PolicyValue],
}

impl<'a> From<&'a ConditionEntry> for ConditionParts<'a> {
    fn from(entry: &'a ConditionEntry) -> Self {
        ConditionParts {
            operator: &entry.operator.value,
            operator_name: &entry.operator_name,
            operator_span: entry.operator.span,
            key: &entry.key.value,
            key_span: entry.key.span,
            values: &entry.values,
        }
    }
}

/// What evaluating one condition found.
///
/// Comparisons are numbered request value by policy value (request value
/// `r`, policy value `p`: `r * values + p`); for `Null`, which compares no
/// request value, one per policy value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ConditionResult {
    /// Whether the condition holds.
    pub outcome: ConditionOutcome,
    /// The rule that decided, when it was not (only) the comparisons.
    pub note: Option<ComparisonNote>,
    /// The request's values for the key; `None` when the key is missing.
    pub request_values: Option<SmallVec<[Text; 1]>>,
    /// The comparisons that matched (by the base test, before negation).
    pub matches: Bits,
    /// The comparisons with a note, by number.
    pub notes: Vec<(usize, ComparisonNote)>,
    /// Policy values after variable substitution, where it changed them.
    pub resolved: Vec<(usize, Text)>,
}

impl ConditionResult {
    /// A result with no comparisons yet.
    pub fn new(request_values: Option<SmallVec<[Text; 1]>>) -> Self {
        ConditionResult {
            outcome: ConditionOutcome::NoMatch,
            note: None,
            request_values,
            matches: Bits::default(),
            notes: Vec::new(),
            resolved: Vec::new(),
        }
    }

    /// The [`Noted`](crate::explain::Noted) rules this
    /// result relied on: `Null` or a plain operator on a key given with an
    /// empty list, several values without a set qualifier.
    pub fn undocumented(&self) -> u8 {
        use crate::explain::Noted as U;
        match &self.note {
            Some(ComparisonNote::NullCheck { .. })
                if self.request_values.as_ref().is_some_and(|v| v.is_empty()) =>
            {
                U::NULL_EMPTY_LIST
            }
            Some(
                ComparisonNote::KeyMissing {
                    empty_list: true, ..
                }
                | ComparisonNote::KeyMissingIfExists { empty_list: true },
            ) => U::EMPTY_LIST_AS_MISSING,
            Some(ComparisonNote::MultivaluedWithoutSetQualifier { .. }) => {
                U::MULTIVALUED_WITHOUT_QUALIFIER
            }
            _ => 0,
        }
    }

    /// Whether a policy value's variable was substituted, to a text too
    /// long to build or otherwise.
    pub fn substituted_a_variable(&self) -> bool {
        !self.resolved.is_empty()
            || self.notes.iter().any(|(_, n)| {
                matches!(
                    n,
                    ComparisonNote::UnresolvedVariable { .. }
                        | ComparisonNote::SubstitutionTooLong { .. }
                )
            })
    }

    /// Records comparison `number`.
    pub fn record(&mut self, number: usize, matched: bool, note: Option<ComparisonNote>) {
        if matched {
            self.matches.insert(number);
        }
        if let Some(note) = note {
            self.notes.push((number, note));
        }
    }

    /// The condition's trace: this result with the policy's operator, key
    /// and values.
    pub fn trace(&self, parts: &ConditionParts<'_>) -> ConditionTrace {
        let comparison = |number: usize, request_value: Option<&Text>, index: usize| {
            let value = parts.values.get(index);
            let note = self
                .notes
                .iter()
                .find(|(n, _)| *n == number)
                .map(|(_, note)| note.clone());
            let unresolved = match &note {
                Some(ComparisonNote::UnresolvedVariable { key }) => Some(key.clone()),
                _ => None,
            };
            Comparison {
                request_value: request_value.cloned(),
                policy_value: value.map(|v| v.text.clone()).unwrap_or_default(),
                resolved_value: self
                    .resolved
                    .iter()
                    .find(|(i, _)| *i == index)
                    .map(|(_, text)| text.clone()),
                span: value.map(|v| v.span).unwrap_or_default(),
                matched: self.matches.contains(number),
                note,
                unresolved,
            }
        };
        let count = parts.values.len();
        let comparisons = if parts.operator.base == BaseOperator::Null {
            (0..count).map(|p| comparison(p, None, p)).collect()
        } else {
            self.request_values
                .iter()
                .flatten()
                .enumerate()
                .flat_map(|(r, value)| (0..count).map(move |p| (r * count + p, value, p)))
                .map(|(number, value, p)| comparison(number, Some(value), p))
                .collect()
        };
        ConditionTrace {
            operator: parts.operator_name.clone(),
            operator_span: parts.operator_span,
            key: parts.key.clone(),
            key_span: parts.key_span,
            qualifier: parts.operator.qualifier,
            if_exists: parts.operator.if_exists,
            request_values: self.request_values.as_ref().map(|v| v.to_vec()),
            comparisons,
            outcome: self.outcome,
            note: self.note.clone(),
        }
    }
}
