//! From policy text to a [`Policy`], collecting every error and warning with
//! its exact place.
//!
//! Parsing never stops at the first problem in a well-formed JSON document:
//! each statement and element is checked and every diagnostic is returned.
//! A policy with errors is still returned when its shape allowed it, so a UI
//! can highlight what it understood; evaluation refuses policies with errors.

mod document;
mod lints;
mod statement;
pub(crate) mod values;

pub(crate) use document::size_diagnostic;
pub(crate) use statement::unique_id_kind;

use std::rc::Rc;

use crate::diagnostics::{has_errors, Diagnostic};
use crate::json::{foreign_space, foreign_space_edits, parse_json, Json};
use crate::policy::{Policy, PolicyType};
use crate::source::SourceText;

/// Largest policy text the engine reads ([`crate::limits::MAX_POLICY_BYTES`]).
pub use crate::limits::MAX_POLICY_BYTES;

/// The result of parsing one policy.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedPolicy {
    /// The policy, when its JSON shape could be read (even with errors).
    /// Shared: the explanation of an evaluation refers to it.
    pub policy: Option<Rc<Policy>>,
    /// Errors and warnings, in document order, with line and column filled in.
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedPolicy {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }

    /// The policy when it has no errors.
    pub fn valid_policy(&self) -> Option<&Policy> {
        if self.has_errors() {
            None
        } else {
            self.policy.as_deref()
        }
    }
}

/// Parses policy `text` written for a policy of type `policy_type`.
pub fn parse_policy(text: &str, policy_type: PolicyType) -> ParsedPolicy {
    if text.len() > MAX_POLICY_BYTES {
        let d = crate::limits::too_large(
            "policy",
            text.len(),
            MAX_POLICY_BYTES,
            crate::limits::TOO_LARGE_POLICY_HELP,
        )
        .locate(&SourceText::new(text));
        return ParsedPolicy {
            policy: None,
            diagnostics: vec![d],
        };
    }
    match parse_json(text) {
        Ok(json) => parse_policy_json(&json, text, policy_type),
        Err(e) => {
            let foreign = e.span.slice(text).chars().next().and_then(foreign_space);
            let mut d = Diagnostic::error(e.code, e.message, e.span);
            if let Some(help) = e.help {
                d = d.with_help(help);
            }
            if foreign.is_some() {
                d = with_foreign_space_fix(d, text);
            }
            ParsedPolicy {
                policy: None,
                diagnostics: vec![d.locate(&SourceText::new(text))],
            }
        }
    }
}

/// Adds the quick fix that turns every space JSON does not accept outside
/// strings into a plain space, and deletes every invisible one: pasted text
/// seldom has just one.
fn with_foreign_space_fix(d: Diagnostic, text: &str) -> Diagnostic {
    let edits = foreign_space_edits(text);
    let spaces = edits.iter().filter(|(_, r)| !r.is_empty()).count();
    let invisible = edits.len() - spaces;
    let replace = match spaces {
        0 => None,
        1 => Some("replace the unusual space with a plain one".to_owned()),
        n => Some(format!("replace the {n} unusual spaces with plain ones")),
    };
    let delete = match invisible {
        0 => None,
        1 => Some("delete the invisible character".to_owned()),
        n => Some(format!("delete the {n} invisible characters")),
    };
    let title = match (replace, delete) {
        (Some(r), Some(x)) => format!("{r} and {x}"),
        (Some(t), None) | (None, Some(t)) => t,
        (None, None) => return d,
    };
    d.with_fix(title, edits)
}

/// Parses a policy already read as JSON; `text` is the text its spans point
/// into (used for the size check and for line and column numbers).
pub fn parse_policy_json(json: &Json<'_>, text: &str, policy_type: PolicyType) -> ParsedPolicy {
    let mut diagnostics = Vec::new();
    let policy =
        document::parse_document(json, json.span.slice(text), policy_type, &mut diagnostics);
    if !diagnostics.is_empty() {
        // Only index lines when there is something to locate.
        let source = SourceText::new(text);
        crate::diagnostics::sort_by_position(&mut diagnostics);
        diagnostics = diagnostics.into_iter().map(|d| d.locate(&source)).collect();
    }
    ParsedPolicy {
        policy: policy.map(Rc::new),
        diagnostics,
    }
}

#[cfg(test)]
mod tests;
