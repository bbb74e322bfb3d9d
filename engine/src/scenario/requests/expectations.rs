//! Per-request expectations: a matrix's `expectations`, and those of an
//! entry of `requests` whose wildcard action expands into many requests.
//! Each says what one request expects when it differs from the shared
//! `expect` (a test suite built row by row, as the playground's results
//! table does).
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
//! An entry names one action as the matrix (or the entry of `requests`)
//! expands it: an action one of its actions covers (a wildcard's actions
//! one by one, any case); a matrix's entry optionally one principal and
//! one resource of the matrix (omitted: every one). The last entry naming
//! a request wins; `"expect": null` leaves that request without
//! expectation.

use std::collections::HashMap;

use super::{Located, Matrix, RequestCase};
use crate::diagnostics::Diagnostic;
use crate::json::{Json, JsonValue, Member};
use crate::matching::action_matches;
use crate::parse::values::{known_members, type_error};
use crate::scenario::read::{find, optional_string, read_expect, required_string};
use crate::scenario::write::{quote, write_expect};
use crate::scenario::{Expectation, RequestInput};
use crate::source::Span;

use super::CASE_DECISIONS;

const MATRIX_FIELDS: &[&str] = &["action", "principal", "resource", "expect"];
const CASE_FIELDS: &[&str] = &["action", "expect"];

/// One entry of `expectations` (of a matrix, or of an entry of `requests`).
#[derive(Debug, Clone, PartialEq)]
pub struct RowExpectation {
    /// The action (one action of the matrix or entry as expanded).
    pub action: String,
    /// The principal, when the entry names one (matrices only).
    pub principal: Option<String>,
    /// The resource, when the entry names one (matrices only).
    pub resource: Option<String>,
    /// What the requests it names expect; `None` (`null`): nothing.
    pub expect: Option<Expectation>,
    /// Where the entry was written.
    pub span: Span,
}

impl RowExpectation {
    /// Whether the entry names `request` (a request of its matrix or entry).
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

/// What each request of a matrix (or of a wildcard entry of `requests`)
/// expects: its `expectations` by lowercase action, looked up once per
/// request, else the shared `expect`.
pub struct ExpectationIndex<'m> {
    shared: Option<&'m Expectation>,
    by_action: HashMap<String, Vec<&'m RowExpectation>>,
}

impl<'m> ExpectationIndex<'m> {
    /// The lookup for `matrix`.
    pub fn new(matrix: &'m Matrix) -> Self {
        Self::of(matrix.expect.as_ref(), &matrix.expectations)
    }

    /// The lookup for an entry of `requests`.
    pub fn for_case(case: &'m RequestCase) -> Self {
        Self::of(case.expect.as_ref(), &case.expectations)
    }

    fn of(shared: Option<&'m Expectation>, entries: &'m [RowExpectation]) -> Self {
        let mut by_action: HashMap<String, Vec<&RowExpectation>> = HashMap::new();
        for entry in entries {
            by_action
                .entry(entry.action.to_ascii_lowercase())
                .or_default()
                .push(entry);
        }
        ExpectationIndex { shared, by_action }
    }

    /// What `request` (one of the matrix's or entry's) expects: the last
    /// entry naming it, else the shared `expect`.
    pub fn expect_for(&self, request: &RequestInput) -> Option<&'m Expectation> {
        if self.by_action.is_empty() {
            return self.shared;
        }
        let entries = self
            .by_action
            .get(&request.action.trim().to_ascii_lowercase());
        match entries.and_then(|e| e.iter().rev().find(|e| e.names(request))) {
            Some(entry) => entry.expect.as_ref(),
            None => self.shared,
        }
    }
}

/// Reads a matrix's `expectations`; checks that each entry's action is one
/// the matrix's actions cover, and its principal and resource the
/// matrix's.
pub(super) fn read_expectations(
    value: &Json<'_>,
    principals: &[Located],
    actions: &[Located],
    resources: &[Located],
    out: &mut Vec<Diagnostic>,
) -> Vec<RowExpectation> {
    read_entries(
        value,
        MATRIX_FIELDS,
        out,
        |entry, known, action_span, out| {
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
            if !actions
                .iter()
                .any(|a| action_matches(a.text.trim(), &entry.action))
            {
                out.push(outside("action", &entry.action, action_span));
            }
            for (field, given, list) in [
                ("principal", &entry.principal, principals),
                ("resource", &entry.resource, resources),
            ] {
                if let Some(text) = given {
                    if !list.iter().any(|l| l.text == *text) {
                        let span = find(known, field).map_or(entry.span, |v| v.span);
                        out.push(outside(field, text, span));
                    }
                }
            }
        },
    )
}

/// Reads the `expectations` of an entry of `requests` whose action is
/// `action`; checks that each names an action `action` covers.
pub(super) fn read_case_expectations(
    value: &Json<'_>,
    action: &str,
    out: &mut Vec<Diagnostic>,
) -> Vec<RowExpectation> {
    let action = action.trim();
    read_entries(value, CASE_FIELDS, out, |entry, _, action_span, out| {
        if !action_matches(action, &entry.action) {
            out.push(
                Diagnostic::error(
                    "expectation-outside-entry",
                    format!(
                        "the expectation's action `{}` is not one the request's action `{action}` covers",
                        entry.action
                    ),
                    action_span,
                )
                .with_help("name an action the entry's wildcard matches, or give it its own entry of `requests`"),
            );
        }
    })
}

/// Reads a list of expectation entries with `fields`, checking each with
/// `check` (the entry, its fields, its action's span).
fn read_entries(
    value: &Json<'_>,
    fields: &[&str],
    out: &mut Vec<Diagnostic>,
    check: impl Fn(&RowExpectation, &[&Member<'_>], Span, &mut Vec<Diagnostic>),
) -> Vec<RowExpectation> {
    let JsonValue::Array(items) = &value.value else {
        out.push(type_error(
            value,
            "expectations",
            "a list of {\"action\": …, \"expect\": …}",
        ));
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let Some(members) = item.as_object() else {
                out.push(type_error(item, "each expectation", "an object"));
                return None;
            };
            let known: Vec<&Member<'_>> =
                known_members(members, fields, "an expectation", &|_| None, out);
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
            let entry = RowExpectation {
                action: action.trim().to_owned(),
                principal,
                resource,
                expect,
                span: item.span,
            };
            check(&entry, &known, action_span, out);
            Some(entry)
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
