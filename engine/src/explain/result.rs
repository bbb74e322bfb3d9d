//! [`StatementResult`]: what evaluation found for one statement, kept
//! compact, and the full [`StatementTrace`] it reads as.
//!
//! Evaluation decides every element of every statement: each action and
//! resource pattern's match, each principal entry's match, each policy
//! variable's substituted value, and each condition with all its
//! comparisons. A `StatementResult` keeps those results (bits, matches,
//! substituted text, condition traces) next to a shared reference to the
//! policy and the request, instead of copying the patterns, values and spans
//! into every statement. [`StatementResult::trace`] pairs the two into the
//! element-by-element [`StatementTrace`], and that is what a result
//! serializes as, so JSON readers see one shape.

use std::sync::Arc;

use serde::{Serialize, Serializer};
use smallvec::SmallVec;

use super::{
    Check, PatternCheck, PatternResult, PrincipalCheck, PrincipalEntryResult, PrincipalMatch,
    StatementRef, StatementTrace,
};
use crate::condition::ConditionTrace;
use crate::policy::{Effect, Policy, PrincipalSpec, Statement};
use crate::source::Span;
use crate::text::{shared_text, Text};

/// One statement's results against the request. Serializes as its
/// [`StatementTrace`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatementResult {
    /// The statement's 0-based index in its policy ([`StatementResult::at`]
    /// names it).
    pub index: usize,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// Whether every element matched the request.
    pub matched: bool,
    /// For resource-based policies: how the principal element matched.
    pub principal_match: Option<PrincipalMatch>,
    /// The statement's span in its policy text.
    pub span: Span,
    pub(crate) elements: ElementResults,
    pub(crate) source: Arc<TraceSource>,
}

/// What statements are read against: their policy and the request's
/// principal, action and resource. One per policy, shared by its statements.
#[derive(Debug, PartialEq)]
pub(crate) struct TraceSource {
    pub policy_name: Text,
    pub policy: Arc<Policy>,
    pub principal: Text,
    pub action: Text,
    pub resource: Text,
}

/// The results of a statement's elements, in the order of its patterns,
/// entries and conditions.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ElementResults {
    /// Whether the principal element (after `NotPrincipal`) matched, and
    /// how each entry named the principal; `None` without the element.
    pub principal: Option<(bool, SmallVec<[Option<PrincipalMatch>; 3]>)>,
    /// Whether the action element (after `NotAction`) matched.
    pub action_matched: bool,
    /// Which action patterns matched.
    pub action_patterns: Bits,
    /// Whether the resource element (after `NotResource`) matched; `None`
    /// without the element.
    pub resource_matched: Option<bool>,
    /// Which resource patterns matched.
    pub resource_patterns: Bits,
    /// Substituted resource patterns and conditions, when there are any.
    pub details: Option<Box<Details>>,
}

/// The rarer results, kept out of line.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Details {
    /// Resource patterns with policy variables: (pattern index, the text
    /// after substitution, why it could not be substituted).
    pub resolved: Vec<(usize, Option<Text>, Option<Text>)>,
    /// Each condition, evaluated.
    pub conditions: Vec<ConditionTrace>,
}

/// A set of small indexes: the patterns that matched.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Bits(SmallVec<[u64; 1]>);

impl Bits {
    /// Adds `index`.
    pub fn insert(&mut self, index: usize) {
        let (word, bit) = (index / 64, index % 64);
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        if let Some(w) = self.0.get_mut(word) {
            *w |= 1 << bit;
        }
    }

    /// Whether `index` is in the set.
    pub fn contains(&self, index: usize) -> bool {
        self.0
            .get(index / 64)
            .is_some_and(|w| w & (1 << (index % 64)) != 0)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
}

impl StatementResult {
    /// Which statement: its policy's name, its Sid (or `#N`) and index.
    pub fn at(&self) -> StatementRef {
        StatementRef {
            policy: self.source.policy_name.clone(),
            statement: self.statement().map_or_else(
                || Text::from(format!("#{}", self.index)),
                |s| s.label.clone(),
            ),
            index: self.index,
        }
    }

    /// Whether this is the statement `at` names.
    pub fn is(&self, at: &StatementRef) -> bool {
        self.index == at.index && self.source.policy_name == at.policy
    }

    /// The statement in its policy.
    fn statement(&self) -> Option<&Statement> {
        self.source.policy.statements.get(self.index)
    }

    /// Whether the statement has a `NotPrincipal` element.
    pub fn has_not_principal(&self) -> bool {
        self.statement()
            .and_then(|s| s.principal.as_ref())
            .is_some_and(|p| p.negated)
    }

    /// Whether every element other than the principal matched.
    pub fn matched_apart_from_principal(&self) -> bool {
        let e = &self.elements;
        e.action_matched
            && e.resource_matched != Some(false)
            && e.details
                .as_ref()
                .is_none_or(|d| d.conditions.iter().all(|c| c.outcome.is_match()))
    }

    /// The conditions as evaluated.
    pub fn conditions(&self) -> &[ConditionTrace] {
        self.elements
            .details
            .as_ref()
            .map_or(&[], |d| d.conditions.as_slice())
    }

    /// Each element's check, in the order Principal, Action, Resource,
    /// Condition: the results with the policy's patterns, values and spans.
    pub fn checks(&self) -> Vec<Check> {
        let Some(statement) = self.statement() else {
            return Vec::new();
        };
        let e = &self.elements;
        let source = &self.source;
        let mut checks = Vec::with_capacity(3 + statement.conditions.len());
        if let (Some(element), Some((matched, entries))) = (&statement.principal, &e.principal) {
            let results = match &element.spec {
                PrincipalSpec::Any(span) => vec![PrincipalEntryResult {
                    kind: None,
                    value: shared_text!("*"),
                    matched: Some(PrincipalMatch::Everyone),
                    span: *span,
                }],
                PrincipalSpec::Entries(list) => list
                    .iter()
                    .zip(entries)
                    .map(|(entry, matched)| PrincipalEntryResult {
                        kind: Some(entry.kind),
                        value: entry.value.value.clone(),
                        matched: *matched,
                        span: entry.value.span,
                    })
                    .collect(),
            };
            checks.push(Check::Principal(PrincipalCheck {
                negated: element.negated,
                matched: *matched,
                request_value: source.principal.clone(),
                entries: results,
                span: element.span,
            }));
        }
        let action = &statement.action;
        checks.push(Check::Action(PatternCheck {
            negated: action.negated,
            matched: e.action_matched,
            request_value: source.action.clone(),
            patterns: action
                .patterns
                .iter()
                .enumerate()
                .map(|(i, p)| PatternResult {
                    pattern: p.value.clone(),
                    resolved: None,
                    matched: e.action_patterns.contains(i),
                    note: None,
                    span: p.span,
                })
                .collect(),
            span: action.span,
        }));
        if let (Some(resource), Some(matched)) = (&statement.resource, e.resource_matched) {
            let resolved = e.details.as_ref().map_or(&[][..], |d| &d.resolved[..]);
            checks.push(Check::Resource(PatternCheck {
                negated: resource.negated,
                matched,
                request_value: source.resource.clone(),
                patterns: resource
                    .patterns
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let (text, note) = resolved
                            .iter()
                            .find(|r| r.0 == i)
                            .map(|r| (r.1.clone(), r.2.clone()))
                            .unwrap_or_default();
                        PatternResult {
                            pattern: p.value.clone(),
                            resolved: text,
                            matched: e.resource_patterns.contains(i),
                            note,
                            span: p.span,
                        }
                    })
                    .collect(),
                span: resource.span,
            }));
        }
        for condition in self.conditions() {
            checks.push(Check::Condition(Box::new(condition.clone())));
        }
        checks
    }

    /// The whole trace of the statement.
    pub fn trace(&self) -> StatementTrace {
        StatementTrace {
            at: self.at(),
            effect: self.effect,
            matched: self.matched,
            principal_match: self.principal_match,
            span: self.span,
            checks: self.checks(),
        }
    }
}

impl Serialize for StatementResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.trace().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::Bits;

    #[test]
    fn bits_hold_any_index() {
        let mut bits = Bits::default();
        assert!(bits.is_empty());
        for i in [0, 5, 63, 64, 200] {
            bits.insert(i);
        }
        for i in [0, 5, 63, 64, 200] {
            assert!(bits.contains(i), "{i}");
        }
        for i in [1, 62, 65, 199, 201, 10_000] {
            assert!(!bits.contains(i), "{i}");
        }
        assert!(!bits.is_empty());
    }
}
