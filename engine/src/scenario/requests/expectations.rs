//! A matrix's `expectations`: what one request of the matrix expects, when it
//! differs from the matrix's shared `expect` (a test suite built row by row,
//! as the playground's results table does).
//!
//! ```json
//! "matrix": {
//!   "principals": ["arn:aws:iam::111122223333:user/alice"],
//!   "actions": ["s3:*"],
//!   "resources": ["arn:aws:s3:::reports/q3.csv"],
//!   "expect": { "decision": "Deny" },
//!   "expectations": [
//!     { "action": "s3:GetObject", "expect": { "decision": "Allow" } },
//!     { "action": "s3:PutObject", "resource": "arn:aws:s3:::reports/q3.csv", "expect": null } ] }
//! ```
//! An entry names one action as the matrix expands it (a wildcard's
//! actions one by one, any case), and optionally one principal and one
//! resource of the matrix (omitted: every one). The last entry naming a
//! request wins; `"expect": null` leaves that request without expectation.

use std::collections::HashMap;

use super::{Located, Matrix};
use crate::diagnostics::Diagnostic;
use crate::json::{Json, JsonValue, Member};
use crate::parse::values::{known_members, type_error};
use crate::scenario::read::{find, optional_string, read_expect, required_string};
use crate::scenario::write::{quote, write_expect};
use crate::scenario::{Expectation, RequestInput};
use crate::source::Span;

use super::{is_wildcard_action, CASE_DECISIONS};

const FIELDS: &[&str] = &["action", "principal", "resource", "expect"];

/// One entry of a matrix's `expectations`.
#[derive(Debug, Clone, PartialEq)]
pub struct RowExpectation {
    /// The action (one action of the matrix as expanded).
    pub action: String,
    /// The principal, when the entry names one.
    pub principal: Option<String>,
    /// The resource, when the entry names one.
    pub resource: Option<String>,
    /// What the requests it names expect; `None` (`null`): nothing.
    pub expect: Option<Expectation>,
    /// Where the entry was written.
    pub span: Span,
}

impl RowExpectation {
    /// Whether the entry names `request` (a request of its matrix).
    pub fn names(&self, request: &RequestInput) -> bool {
        self.action.eq_ignore_ascii_case(request.action.trim())
            && self
                .principal
                .as_deref()
                .is_none_or(|p| p == request.principal)
            && self
                .resource
                .as_deref()
                .is_none_or(|r| r == request.resource)
    }
}

/// What each request of a matrix expects: its `expectations` entries by
/// lowercase action, looked up once per request.
pub struct MatrixExpectations<'m> {
    matrix: &'m Matrix,
    by_action: HashMap<String, Vec<&'m RowExpectation>>,
}

impl<'m> MatrixExpectations<'m> {
    /// The lookup for `matrix`.
    pub fn new(matrix: &'m Matrix) -> Self {
        let mut by_action: HashMap<String, Vec<&RowExpectation>> = HashMap::new();
        for entry in &matrix.expectations {
            by_action
                .entry(entry.action.to_ascii_lowercase())
                .or_default()
                .push(entry);
        }
        MatrixExpectations { matrix, by_action }
    }

    /// What `request` (one of the matrix's) expects: the last entry naming
    /// it, else the matrix's `expect`.
    pub fn expect_for(&self, request: &RequestInput) -> Option<&'m Expectation> {
        if self.by_action.is_empty() {
            return self.matrix.expect.as_ref();
        }
        let entries = self
            .by_action
            .get(&request.action.trim().to_ascii_lowercase());
        match entries.and_then(|e| e.iter().rev().find(|e| e.names(request))) {
            Some(entry) => entry.expect.as_ref(),
            None => self.matrix.expect.as_ref(),
        }
    }
}

/// Reads `expectations`; checks that each entry's principal and resource
/// (and its action, when the matrix has no wildcard) are the matrix's.
pub(super) fn read_expectations(
    value: &Json<'_>,
    principals: &[Located],
    actions: &[Located],
    resources: &[Located],
    out: &mut Vec<Diagnostic>,
) -> Vec<RowExpectation> {
    let JsonValue::Array(items) = &value.value else {
        out.push(type_error(
            value,
            "expectations",
            "a list of {\"action\": …, \"expect\": …}",
        ));
        return Vec::new();
    };
    let wildcards = actions.iter().any(|a| is_wildcard_action(a.text.trim()));
    items
        .iter()
        .filter_map(|item| {
            let Some(members) = item.as_object() else {
                out.push(type_error(item, "each expectation", "an object"));
                return None;
            };
            let known: Vec<&Member<'_>> =
                known_members(members, FIELDS, "an expectation", &|_| None, out);
            let (action, action_span) =
                required_string(&known, "action", item, "an expectation", out)?;
            let principal = optional_string(&known, "principal", out);
            let resource = optional_string(&known, "resource", out);
            let expect = match find(&known, "expect") {
                Some(v) if matches!(v.value, JsonValue::Null) => None,
                Some(v) => Some(read_expect(
                    v,
                    super::super::read::CASE_EXPECT_FIELDS,
                    CASE_DECISIONS,
                    out,
                )?),
                None => {
                    out.push(
                        Diagnostic::error(
                            "missing-field",
                            "an expectation has no `expect`",
                            Span::new(item.span.start as usize, item.span.start as usize + 1),
                        )
                        .with_help("add \"expect\": { \"decision\": \"Allow\" } (or null)"),
                    );
                    return None;
                }
            };
            let outside = |field: &str, text: &str, span: Span| {
                Diagnostic::error(
                    "expectation-outside-matrix",
                    format!("the expectation's {field} `{text}` is not one of the matrix's"),
                    span,
                )
                .with_help(format!(
                    "name one of the matrix's {field}s, or add it to them"
                ))
            };
            if !wildcards
                && !actions
                    .iter()
                    .any(|a| a.text.trim().eq_ignore_ascii_case(action.trim()))
            {
                out.push(outside("action", &action, action_span));
            }
            for (field, given, list) in [
                ("principal", &principal, principals),
                ("resource", &resource, resources),
            ] {
                if let Some(text) = given {
                    if !list.iter().any(|l| l.text == *text) {
                        let span = find(&known, field).map_or(item.span, |v| v.span);
                        out.push(outside(field, text, span));
                    }
                }
            }
            Some(RowExpectation {
                action: action.trim().to_owned(),
                principal,
                resource,
                expect,
                span: item.span,
            })
        })
        .collect()
}

/// The `"expectations": [ … ]` field of a matrix, one entry a line,
/// indented by `indent`.
pub(super) fn write_expectations(entries: &[RowExpectation], indent: &str) -> String {
    let mut out = String::from("\"expectations\": [");
    for (i, e) in entries.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(indent);
        out.push_str("    { \"action\": ");
        out.push_str(&quote(&e.action));
        if let Some(p) = &e.principal {
            out.push_str(", \"principal\": ");
            out.push_str(&quote(p));
        }
        if let Some(r) = &e.resource {
            out.push_str(", \"resource\": ");
            out.push_str(&quote(r));
        }
        out.push_str(", \"expect\": ");
        match &e.expect {
            Some(expect) => write_expect(&mut out, expect),
            None => out.push_str("null"),
        }
        out.push_str(" }");
    }
    out.push('\n');
    out.push_str(indent);
    out.push_str("  ]");
    out
}
