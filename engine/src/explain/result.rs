//! [`StatementResults`]: what evaluation found for a policy's statements,
//! kept compact, and the full [`StatementTrace`]s they read as.
//!
//! Evaluation decides every element of every statement: each action and
//! resource pattern's match, each principal entry's match, each policy
//! variable's substituted value, and each condition with all its
//! comparisons. A [`StatementResult`] keeps those results (bits, matches,
//! substituted text, compact condition results); its policy's
//! [`StatementResults`] keeps one shared reference to the policy and the
//! request, instead of copying the patterns, values and spans into every
//! statement. [`StatementResults::trace`] pairs the two into the
//! element-by-element [`StatementTrace`], and that is what the results
//! serialize as, so JSON readers see one shape.

use std::ops::Deref;
use std::rc::Rc;

use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};
use smallvec::SmallVec;

use super::{
    Check, PatternCheck, PatternResult, PrincipalCheck, PrincipalEntryResult, PrincipalMatch,
    StatementRef, StatementTrace,
};
use crate::bits::Bits;
use crate::condition::result::{ConditionParts, ConditionResult};
use crate::condition::ConditionTrace;
use crate::policy::{Effect, Policy, PrincipalSpec, Statement};
use crate::source::Span;
use crate::text::{shared_text, Text};

/// One statement's results against the request. Its policy's
/// [`StatementResults`] reads it as a [`StatementTrace`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatementResult {
    /// The statement's 0-based index in its policy.
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
}

/// A policy's statement results, in document order, with the policy and
/// request they are read against. Derefs to the results; serializes as
/// their traces.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatementResults {
    results: Vec<StatementResult>,
    /// The statements' substituted patterns and conditions, together.
    details: Vec<Details>,
    source: Option<TraceSource>,
}

/// What statements are read against: their policy and the request's
/// principal, action and resource. One per policy, shared by its statements.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TraceSource {
    pub policy_name: Text,
    pub policy: Rc<Policy>,
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
    pub principal: Option<(bool, Vec<Option<PrincipalMatch>>)>,
    /// Whether the principal element is `NotPrincipal`.
    pub not_principal: bool,
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
    pub details: Option<u32>,
    /// Whether every condition holds (true without conditions).
    pub conditions_hold: bool,
    /// Rules outside the statement's text that its evaluation relied on,
    /// for the explanation's notes ([`Noted`] bits).
    pub noted: u8,
}

/// Bits of [`ElementResults::noted`].
pub(crate) struct Noted;

impl Noted {
    /// A `Principal` entry has `${…}`, which is not a policy variable there.
    pub const PRINCIPAL_VARIABLE: u8 = 32;
    /// A `Date*` condition read a date without a time zone or a bare year.
    pub const DATE_FORM: u8 = 64;
    /// A `NotResource` pattern's policy variable had no value.
    pub const NOT_RESOURCE_UNRESOLVED: u8 = 1;
    /// `Null` tested a key given with an empty list.
    pub const NULL_EMPTY_LIST: u8 = 2;
    /// Another operator met a key given with an empty list.
    pub const EMPTY_LIST_AS_MISSING: u8 = 4;
    /// A key with several values met an operator without a set qualifier.
    pub const MULTIVALUED_WITHOUT_QUALIFIER: u8 = 8;
    /// A policy variable was substituted in a `Bool` condition.
    pub const BOOL_VARIABLE: u8 = 16;
}

/// A resource pattern with policy variables, after substitution.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Substituted {
    /// The pattern's index in its element.
    pub index: usize,
    /// The text after substitution, cut to
    /// [`MAX_SHOWN_SUBSTITUTION_BYTES`](crate::limits::MAX_SHOWN_SUBSTITUTION_BYTES).
    pub text: Option<Text>,
    /// The whole text's length in bytes (more than `text`'s when it was
    /// cut; the literal length when the text was too long to build).
    pub length: usize,
    /// The key of the first variable with no value (and no default), when
    /// it could not be substituted.
    pub unresolved: Option<Text>,
    /// Whether the literal text was longer than any request value, so the
    /// pattern was not built and matches nothing.
    pub too_long: bool,
}

/// The rarer results, kept out of line (in one allocation for a statement
/// with one substituted pattern and one condition).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Details {
    /// Resource patterns with policy variables.
    pub resolved: Vec<Substituted>,
    /// Each condition, evaluated.
    pub conditions: SmallVec<[ConditionResult; 1]>,
}

/// The note of a substituted resource pattern that was too long to build,
/// or too long to show whole: its length, never its text.
fn length_note(substituted: &Substituted, negated: bool) -> Option<Text> {
    let length = crate::limits::thousands(substituted.length);
    if substituted.too_long {
        let effect = if negated {
            "matches no resource (it excludes nothing)"
        } else {
            "matches no resource"
        };
        return Some(Text::from(format!(
            "after substitution this pattern has {length} bytes of literal text, longer than any request value, so it {effect}"
        )));
    }
    let shown = substituted.text.as_ref().map_or(0, |t| t.len());
    (shown < substituted.length).then(|| {
        Text::from(format!(
            "after substitution this pattern is {length} bytes long; only its first {} bytes are shown",
            crate::limits::thousands(shown)
        ))
    })
}

impl StatementResult {
    /// Whether the statement has a `NotPrincipal` element.
    pub fn has_not_principal(&self) -> bool {
        self.elements.not_principal
    }

    /// Whether every element other than the principal matched.
    pub fn matched_apart_from_principal(&self) -> bool {
        let e = &self.elements;
        e.action_matched && e.resource_matched != Some(false) && e.conditions_hold
    }
}

impl Deref for StatementResults {
    type Target = [StatementResult];

    fn deref(&self) -> &[StatementResult] {
        &self.results
    }
}

impl<'a> IntoIterator for &'a StatementResults {
    type Item = &'a StatementResult;
    type IntoIter = std::slice::Iter<'a, StatementResult>;

    fn into_iter(self) -> Self::IntoIter {
        self.results.iter()
    }
}

impl StatementResults {
    /// The results of `policy`'s statements (named `source.policy_name`).
    pub(crate) fn new(
        results: Vec<StatementResult>,
        details: Vec<Details>,
        source: TraceSource,
    ) -> Self {
        StatementResults {
            results,
            details,
            source: Some(source),
        }
    }

    /// The substituted patterns and conditions of `result`.
    fn details_of(&self, result: &StatementResult) -> Option<&Details> {
        let index = usize::try_from(result.elements.details?).ok()?;
        self.details.get(index)
    }

    /// The statement `result` is about, in the policy.
    fn statement(&self, result: &StatementResult) -> Option<&Statement> {
        self.source.as_ref()?.policy.statements.get(result.index)
    }

    /// Which statement `result` is: its policy's name, its Sid (or `#N`)
    /// and index. `result` is one of these results.
    pub fn at(&self, result: &StatementResult) -> StatementRef {
        StatementRef {
            policy: self
                .source
                .as_ref()
                .map(|s| s.policy_name.clone())
                .unwrap_or_default(),
            statement: self
                .statement(result)
                .map_or_else(|| Statement::label_for(result.index), |s| s.label.clone()),
            index: result.index,
        }
    }

    /// Whether `result` is the statement `at` names.
    pub fn is(&self, result: &StatementResult, at: &StatementRef) -> bool {
        result.index == at.index
            && self
                .source
                .as_ref()
                .is_some_and(|s| s.policy_name == at.policy)
    }

    /// Each condition's trace of `result`, in the order of its `Condition`
    /// block.
    pub fn conditions(&self, result: &StatementResult) -> Vec<ConditionTrace> {
        let results = self
            .details_of(result)
            .map_or(&[][..], |d| &d.conditions[..]);
        self.statement(result)
            .map(|s| {
                s.conditions
                    .iter()
                    .zip(results)
                    .map(|(entry, result)| result.trace(&ConditionParts::from(entry)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// What matched in `result`, element by element, without building its
    /// trace: for the one-line summary.
    pub(crate) fn gist<'a>(&'a self, result: &'a StatementResult) -> Option<MatchGist<'a>> {
        let statement = self.statement(result)?;
        let source = self.source.as_ref()?;
        let e = &result.elements;
        let principal = statement.principal.as_ref().map(|element| {
            let first_match = match &element.spec {
                PrincipalSpec::Any(_) => Some((None, None)),
                PrincipalSpec::Entries(list) => e.principal.as_ref().and_then(|(_, entries)| {
                    list.iter()
                        .zip(entries)
                        .find(|(_, m)| m.is_some())
                        .map(|(entry, _)| (Some(&entry.value.value), None))
                }),
            };
            ElementGist {
                negated: element.negated,
                request_value: &source.principal,
                first_match,
            }
        });
        let action = ElementGist {
            negated: statement.action.negated,
            request_value: &source.action,
            first_match: statement
                .action
                .patterns
                .iter()
                .enumerate()
                .find(|(i, _)| e.action_patterns.contains(*i))
                .map(|(_, p)| (Some(&p.value), None)),
        };
        let resource = statement.resource.as_ref().map(|element| {
            let resolved = self.details_of(result).map_or(&[][..], |d| &d.resolved[..]);
            ElementGist {
                negated: element.negated,
                request_value: &source.resource,
                first_match: element
                    .patterns
                    .iter()
                    .enumerate()
                    .find(|(i, _)| e.resource_patterns.contains(*i))
                    .map(|(i, p)| {
                        let substituted = resolved
                            .iter()
                            .find(|r| r.index == i)
                            .and_then(|r| r.text.as_ref());
                        (Some(&p.value), substituted)
                    }),
            }
        });
        Some(MatchGist {
            principal,
            action,
            resource,
            conditions: &statement.conditions,
        })
    }

    /// Each element's check of `result`, in the order Principal, Action,
    /// Resource, Condition: the results with the policy's patterns, values
    /// and spans.
    pub fn checks(&self, result: &StatementResult) -> Vec<Check> {
        let (Some(statement), Some(source)) = (self.statement(result), self.source.as_ref()) else {
            return Vec::new();
        };
        let e = &result.elements;
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
                    unresolved: None,
                    span: p.span,
                })
                .collect(),
            span: action.span,
        }));
        if let (Some(resource), Some(matched)) = (&statement.resource, e.resource_matched) {
            let resolved = self.details_of(result).map_or(&[][..], |d| &d.resolved[..]);
            checks.push(Check::Resource(PatternCheck {
                negated: resource.negated,
                matched,
                request_value: source.resource.clone(),
                patterns: resource
                    .patterns
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        let substituted = resolved.iter().find(|r| r.index == i);
                        let text = substituted.and_then(|r| r.text.clone());
                        let unresolved = substituted.and_then(|r| r.unresolved.clone());
                        let note = unresolved
                            .as_ref()
                            .map(|key| {
                                Text::from(if resource.negated {
                                    format!("policy variable `${{{key}}}` has no value in the request and no default, so this pattern matches no resource and the NotResource element does not match (the statement does not apply)")
                                } else {
                                    format!("policy variable `${{{key}}}` has no value in the request and no default, so this pattern matches no resource")
                                })
                            })
                            .or_else(|| substituted.and_then(|r| length_note(r, resource.negated)));
                        PatternResult {
                            pattern: p.value.clone(),
                            resolved: text,
                            matched: e.resource_patterns.contains(i),
                            note,
                            unresolved,
                            span: p.span,
                        }
                    })
                    .collect(),
                span: resource.span,
            }));
        }
        for condition in self.conditions(result) {
            checks.push(Check::Condition(Box::new(condition)));
        }
        checks
    }

    /// The whole trace of `result`.
    pub fn trace(&self, result: &StatementResult) -> StatementTrace {
        StatementTrace {
            at: self.at(result),
            effect: result.effect,
            matched: result.matched,
            principal_match: result.principal_match,
            span: result.span,
            checks: self.checks(result),
        }
    }

    /// Every statement's trace, in document order.
    pub fn traces(&self) -> impl Iterator<Item = StatementTrace> + '_ {
        self.results.iter().map(|r| self.trace(r))
    }
}

/// What matched in a statement, element by element.
pub(crate) struct MatchGist<'a> {
    pub principal: Option<ElementGist<'a>>,
    pub action: ElementGist<'a>,
    pub resource: Option<ElementGist<'a>>,
    pub conditions: &'a [crate::policy::ConditionEntry],
}

/// One element of a [`MatchGist`].
pub(crate) struct ElementGist<'a> {
    pub negated: bool,
    /// The request's value the element was matched against.
    pub request_value: &'a Text,
    /// The first pattern or entry that matched (`None` inside for the bare
    /// `"*"` principal), with its substituted text.
    pub first_match: Option<(Option<&'a Text>, Option<&'a Text>)>,
}

impl Serialize for StatementResults {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.results.len()))?;
        for trace in self.traces() {
            seq.serialize_element(&trace)?;
        }
        seq.end()
    }
}
