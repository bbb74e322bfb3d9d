//! `requests` and `matrix`: many requests against one scenario's policies.
//!
//! ```json
//! { "policies": [ … ],
//!   "requests": [
//!     { "name": "alice reads reports", "principal": "arn:aws:iam::111122223333:user/alice",
//!       "action": "s3:GetObject", "resource": "arn:aws:s3:::reports/q3.csv",
//!       "expect": { "decision": "Allow" } } ],
//!   "matrix": {
//!     "principals": ["arn:aws:iam::111122223333:user/alice"],
//!     "actions": ["s3:GetObject", "s3:Put*"],
//!     "resources": ["arn:aws:s3:::reports/q3.csv", "arn:aws:s3:::secret/k"],
//!     "context": { "aws:SourceIp": "203.0.113.7" },
//!     "expect": { "decision": "Deny" } } }
//! ```
//! `matrix` may also be a list of such objects. An entry's `expect` may say
//! `Deny` for either kind of deny. Wildcard actions (`s3:Get*`, `*`) are
//! allowed here and expand through the action catalogue when evaluated; an
//! entry of `requests` with a wildcard action, like a matrix, may give some
//! of its actions their own expectation (`expectations`). A matrix's
//! principal may be an object with its tags:
//! `{ "arn": "arn:aws:iam::111122223333:user/alice", "tags": { "team": "dev" } }`.

mod expectations;

pub use expectations::{ExpectationIndex, RowExpectation};

use super::read::{
    find, optional_string, read_context, read_expect, read_principal_tags, read_request,
    required_string, CASE_EXPECT_FIELDS,
};
use super::write::{context_value, quote, write_expect};
use super::{
    action_and_resource_errors, request_principal, Expectation, RequestInput, RequestSpans,
};
use crate::diagnostics::Diagnostic;
use crate::json::{Json, JsonValue, Member};
use crate::parse::values::{known_members, type_error};
use crate::request::ContextValue;
use crate::source::{LineCol, SourceText, Span};

/// Decisions an entry of `requests` or `matrix` may expect.
pub(crate) const CASE_DECISIONS: &[&str] = super::read::DECISIONS;
/// The fields of an entry of `requests`: the request's, then `name` and
/// `expect`.
pub(super) const CASE_FIELDS: &[&str] = &[
    "principal",
    "action",
    "resource",
    "resource_account",
    "context",
    "principal_tags",
    "name",
    "expect",
    "expectations",
];
/// The fields of a matrix's principal given as an object.
const PRINCIPAL_FIELDS: &[&str] = &["arn", "tags"];
const MATRIX_FIELDS: &[&str] = &[
    "name",
    "principals",
    "actions",
    "resources",
    "resource_account",
    "context",
    "expect",
    "expectations",
];

/// Most requests a scenario may expand to.
pub const MAX_REQUESTS: usize = 250_000;

/// The requests of a scenario beyond `request`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestList {
    /// The `requests` entries, in order.
    pub cases: Vec<RequestCase>,
    /// The `matrix` entries, in order.
    pub matrices: Vec<Matrix>,
    /// Whether the file has no `request` (only `requests` or `matrix`);
    /// then [`super::Scenario::request`] is empty and is not written.
    pub no_request: bool,
    /// Whether `matrix` was one object rather than a list (written back so).
    pub matrix_object: bool,
    /// Where `requests` (or else `matrix`) was written.
    pub span: Span,
}

/// One entry of `requests`.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestCase {
    /// Its name, when given.
    pub name: Option<String>,
    /// The request (its action may be a wildcard).
    pub request: RequestInput,
    /// What it expects, when given.
    pub expect: Option<Expectation>,
    /// What single actions of its wildcard expect instead
    /// (`expectations`; the last entry naming an action wins).
    pub expectations: Vec<RowExpectation>,
    /// Where its action was written (line and column in the file), for a
    /// wildcard action (zero otherwise).
    pub action_at: LineCol,
    /// Where its resource was written.
    pub resource_at: LineCol,
}

/// Principals (as written) with their tags (key, value), in order.
pub type TaggedPrincipals = Vec<(String, Vec<(String, String)>)>;

/// A string of a matrix with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// The text.
    pub text: String,
    /// Its span in the file.
    pub span: Span,
    /// Its line and column in the file.
    pub at: LineCol,
}

impl Located {
    /// A string built in code (no position).
    pub fn new(text: impl Into<String>) -> Self {
        Located {
            text: text.into(),
            span: Span::default(),
            at: LineCol { line: 0, column: 0 },
        }
    }
}

/// One `matrix` entry: every action × principal × resource, sharing a
/// resource account, a context and an expectation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Matrix {
    /// Its name, when given (requests are named after it).
    pub name: Option<String>,
    /// The principals.
    pub principals: Vec<Located>,
    /// The tags of the principals given as `{ "arn": …, "tags": { … } }`
    /// (by principal, as written), from which each of their requests
    /// derives `aws:PrincipalTag/KEY`.
    pub principal_tags: TaggedPrincipals,
    /// The actions (wildcards allowed).
    pub actions: Vec<Located>,
    /// The resources.
    pub resources: Vec<Located>,
    /// The resources' account, when given.
    pub resource_account: Option<String>,
    /// The shared context.
    pub context: Vec<(String, ContextValue)>,
    /// What every request of the matrix expects, when given.
    pub expect: Option<Expectation>,
    /// What single requests expect instead (`expectations`; the last entry
    /// naming a request wins).
    pub expectations: Vec<RowExpectation>,
    /// Where the entry was written.
    pub span: Span,
}

impl Matrix {
    /// How many requests it makes before wildcard actions expand.
    pub fn size(&self) -> usize {
        self.actions
            .len()
            .saturating_mul(self.principals.len())
            .saturating_mul(self.resources.len())
    }

    /// The tags of `principal` (none unless given with it).
    pub fn tags_of(&self, principal: &str) -> &[(String, String)] {
        self.principal_tags
            .iter()
            .find(|(p, _)| p == principal)
            .map_or(&[], |(_, tags)| tags.as_slice())
    }

    /// The request for one action, principal and resource.
    pub fn request(
        &self,
        action: &Located,
        principal: &Located,
        resource: &Located,
    ) -> RequestInput {
        self.request_tagged(action, principal, self.tags_of(&principal.text), resource)
    }

    /// The request for one action, principal (with its `tags`, from
    /// [`Matrix::tags_of`]) and resource.
    pub fn request_tagged(
        &self,
        action: &Located,
        principal: &Located,
        tags: &[(String, String)],
        resource: &Located,
    ) -> RequestInput {
        RequestInput {
            principal: principal.text.clone(),
            action: action.text.clone(),
            resource: resource.text.clone(),
            resource_account: self.resource_account.clone(),
            context: self.context.clone(),
            principal_tags: tags.to_vec(),
            spans: RequestSpans {
                request: self.span,
                principal: principal.span,
                action: action.span,
                resource: resource.span,
                resource_account: Span::default(),
            },
        }
    }
}

impl RequestList {
    /// Whether the scenario has requests besides `request`.
    pub fn is_empty(&self) -> bool {
        self.cases.is_empty() && self.matrices.is_empty()
    }

    /// How many requests the lists hold before wildcard actions expand.
    pub fn len(&self) -> usize {
        self.matrices
            .iter()
            .fold(self.cases.len(), |n, m| n.saturating_add(m.size()))
    }

    /// The errors of the entries (each value checked once), with spans
    /// into the scenario file.
    pub fn check(&self) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = Vec::new();
        // Requests in a row often share their principal: it is checked once.
        let mut checked: Option<&str> = None;
        for case in &self.cases {
            let request = &case.request;
            if checked == Some(request.principal.as_str()) {
                out.extend(action_and_resource_errors(request, true));
                continue;
            }
            match request_principal(request, true) {
                Ok(_) => checked = Some(request.principal.as_str()),
                Err(errors) => out.extend(errors),
            }
        }
        for matrix in &self.matrices {
            // Every value appears in one of the first `longest` combinations.
            let longest = matrix
                .actions
                .len()
                .max(matrix.principals.len())
                .max(matrix.resources.len());
            let picks = (
                matrix.actions.len(),
                matrix.principals.len(),
                matrix.resources.len(),
            );
            for i in 0..longest {
                let (Some(a), Some(p), Some(r)) = (
                    matrix.actions.get(i % picks.0.max(1)),
                    matrix.principals.get(i % picks.1.max(1)),
                    matrix.resources.get(i % picks.2.max(1)),
                ) else {
                    break;
                };
                let mut request = matrix.request(a, p, r);
                request.spans.resource_account = matrix.span;
                if let Err(errors) = request_principal(&request, true) {
                    for e in errors {
                        if !out.iter().any(|o| o.span == e.span && o.code == e.code) {
                            out.push(e);
                        }
                    }
                }
            }
        }
        if self.len() > MAX_REQUESTS {
            out.push(
                Diagnostic::error(
                    "too-many-requests",
                    format!(
                        "the scenario makes {} requests; the engine evaluates at most {MAX_REQUESTS} at once",
                        self.len()
                    ),
                    self.span,
                )
                .with_help("split the suite into several files"),
            );
        }
        out
    }
}

/// Whether `action` is a wildcard action a catalogue can expand: `*`, or
/// `service:pattern` with `*` or `?` in the pattern.
pub fn is_wildcard_action(action: &str) -> bool {
    if action == "*" {
        return true;
    }
    // Bytes: `:`, `*`, `?` and spaces are ASCII.
    let wild = |b: &u8| matches!(b, b'*' | b'?');
    action.split_once(':').is_some_and(|(service, name)| {
        !service.is_empty()
            && !name.is_empty()
            && !service.as_bytes().iter().any(wild)
            && name.as_bytes().iter().any(wild)
            && !action.as_bytes().contains(&b' ')
    })
}

/// Reads `requests` and `matrix` from the scenario's members; `None` when
/// the file has neither.
pub(super) fn read_lists(
    known: &[&Member<'_>],
    source: &SourceText<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<RequestList> {
    let requests = find(known, "requests");
    let matrix = find(known, "matrix");
    if requests.is_none() && matrix.is_none() {
        return None;
    }
    let mut list = RequestList {
        span: requests.or(matrix).map(|v| v.span).unwrap_or_default(),
        ..RequestList::default()
    };
    if let Some(value) = requests {
        match &value.value {
            JsonValue::Array(items) => {
                list.cases.reserve(items.len());
                list.cases
                    .extend(items.iter().filter_map(|item| read_case(item, source, out)));
            }
            _ => out.push(type_error(value, "requests", "an array of requests")),
        }
    }
    if let Some(value) = matrix {
        match &value.value {
            JsonValue::Array(items) => {
                list.matrices = items
                    .iter()
                    .filter_map(|item| read_matrix(item, source, out))
                    .collect();
            }
            JsonValue::Object(_) => {
                list.matrix_object = true;
                list.matrices = read_matrix(value, source, out).into_iter().collect();
            }
            _ => out.push(type_error(
                value,
                "matrix",
                "an object of `actions`, `resources` and `principals` (or a list of them)",
            )),
        }
    }
    Some(list)
}

fn read_case(
    item: &Json<'_>,
    source: &SourceText<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<RequestCase> {
    let request = read_request(item, CASE_FIELDS, "a request of `requests`", out)?;
    let members = item.as_object().unwrap_or_default();
    let known: Vec<&Member<'_>> = members.iter().collect();
    let name = optional_string(&known, "name", out);
    let expect = find(&known, "expect")
        .and_then(|v| read_expect(v, CASE_EXPECT_FIELDS, CASE_DECISIONS, out));
    let expectations = find(&known, "expectations")
        .map(|v| expectations::read_case_expectations(v, &request.action, out))
        .unwrap_or_default();
    // Only a wildcard action can fail later (when expanded).
    let action_at = if is_wildcard_action(request.action.trim()) {
        source.line_col(request.spans.action.start)
    } else {
        LineCol { line: 0, column: 0 }
    };
    let resource_at = source.line_col(request.spans.resource.start);
    Some(RequestCase {
        name,
        request,
        expect,
        expectations,
        action_at,
        resource_at,
    })
}

/// Reads the strings `name` of a matrix; with `tagged` (its principals),
/// also objects of an `arn` and its `tags`.
fn read_strings(
    known: &[&Member<'_>],
    name: &str,
    parent: &Json<'_>,
    source: &SourceText<'_>,
    mut tagged: Option<&mut TaggedPrincipals>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Located> {
    let located = |span: Span, s: &str| Located {
        text: s.to_owned(),
        span,
        at: source.line_col(span.start),
    };
    let Some(value) = find(known, name) else {
        out.push(
            Diagnostic::error(
                "missing-field",
                format!("a matrix has no `{name}`"),
                Span::new(parent.span.start as usize, parent.span.start as usize + 1),
            )
            .with_help(format!("add \"{name}\": [ … ]")),
        );
        return Vec::new();
    };
    match &value.value {
        JsonValue::String(s) => vec![located(value.span, s)],
        JsonValue::Array(items) => {
            if items.is_empty() {
                out.push(
                    Diagnostic::error(
                        "empty-matrix",
                        format!("the matrix's `{name}` is empty, so it makes no request"),
                        value.span,
                    )
                    .with_help(format!("list at least one of its {name}")),
                );
            }
            let mut list = Vec::with_capacity(items.len());
            for item in items {
                match (item.as_str(), tagged.as_deref_mut()) {
                    (Some(s), _) => list.push(located(item.span, s)),
                    (None, Some(tagged)) if item.as_object().is_some() => {
                        if let Some((arn, span)) = read_tagged_principal(item, tagged, out) {
                            list.push(located(span, &arn));
                        }
                    }
                    (None, t) => out.push(type_error(
                        item,
                        name,
                        if t.is_some() {
                            "a list of strings, or objects of an `arn` and its `tags`"
                        } else {
                            "a list of strings"
                        },
                    )),
                }
            }
            list
        }
        _ => {
            out.push(type_error(value, name, "a list of strings"));
            Vec::new()
        }
    }
}

/// A principal of `principals` given as an object of an `arn` and its
/// `tags`: the principal, its tags added to `tagged`.
fn read_tagged_principal(
    item: &Json<'_>,
    tagged: &mut TaggedPrincipals,
    out: &mut Vec<Diagnostic>,
) -> Option<(String, Span)> {
    let members = item.as_object()?;
    let fields = known_members(members, PRINCIPAL_FIELDS, "a principal", &|_| None, out);
    let (arn, span) = required_string(&fields, "arn", item, "a principal", out)?;
    let tags = find(&fields, "tags")
        .map(|v| read_principal_tags(v, out))
        .unwrap_or_default();
    match tagged.iter().find(|(p, _)| *p == arn) {
        Some((_, earlier)) if *earlier != tags => out.push(
            Diagnostic::error(
                "conflicting-principal-tags",
                format!("the principal `{arn}` is given twice with different tags"),
                span,
            )
            .with_help("a principal has one set of tags; give it once"),
        ),
        Some(_) => {}
        None if tags.is_empty() => {}
        None => tagged.push((arn.clone(), tags)),
    }
    Some((arn, span))
}

fn read_matrix(
    item: &Json<'_>,
    source: &SourceText<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Matrix> {
    let Some(members) = item.as_object() else {
        out.push(type_error(
            item,
            "each matrix",
            "an object of `actions`, `resources` and `principals`",
        ));
        return None;
    };
    let known = known_members(members, MATRIX_FIELDS, "a matrix", &|_| None, out);
    let name = optional_string(&known, "name", out);
    let mut principal_tags = Vec::new();
    let principals = read_strings(
        &known,
        "principals",
        item,
        source,
        Some(&mut principal_tags),
        out,
    );
    let actions = read_strings(&known, "actions", item, source, None, out);
    let resources = read_strings(&known, "resources", item, source, None, out);
    let resource_account = optional_string(&known, "resource_account", out);
    let context = match find(&known, "context") {
        Some(v) => read_context(v, out),
        None => Vec::new(),
    };
    let expect = find(&known, "expect")
        .and_then(|v| read_expect(v, CASE_EXPECT_FIELDS, CASE_DECISIONS, out));
    let expectations = find(&known, "expectations")
        .map(|v| expectations::read_expectations(v, &principals, &actions, &resources, out))
        .unwrap_or_default();
    Some(Matrix {
        name,
        principals,
        principal_tags,
        actions,
        resources,
        resource_account,
        context,
        expect,
        expectations,
        span: item.span,
    })
}

fn inline_context(context: &[(String, ContextValue)]) -> String {
    let entries: Vec<String> = context
        .iter()
        .map(|(k, v)| format!("{}: {}", quote(k), context_value(v)))
        .collect();
    format!("{{ {} }}", entries.join(", "))
}

fn inline_tags(tags: &[(String, String)]) -> String {
    let entries: Vec<String> = tags
        .iter()
        .map(|(k, v)| format!("{}: {}", quote(k), quote(v)))
        .collect();
    format!("{{ {} }}", entries.join(", "))
}

/// A matrix's principals: strings, and objects for those with tags.
fn principal_list(m: &Matrix) -> String {
    let items: Vec<String> = m
        .principals
        .iter()
        .map(|p| match m.tags_of(&p.text) {
            [] => quote(&p.text),
            tags => format!(
                "{{ \"arn\": {}, \"tags\": {} }}",
                quote(&p.text),
                inline_tags(tags)
            ),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn string_list(items: &[Located]) -> String {
    let items: Vec<String> = items.iter().map(|l| quote(&l.text)).collect();
    format!("[{}]", items.join(", "))
}

/// Writes `requests` and `matrix` (each after a comma) when there are any.
pub(super) fn write_lists(out: &mut String, list: &RequestList) {
    if !list.cases.is_empty() {
        out.push_str(",\n  \"requests\": [");
        for (i, case) in list.cases.iter().enumerate() {
            out.push_str(if i == 0 { "\n    { " } else { ",\n    { " });
            if let Some(name) = &case.name {
                out.push_str(&format!("\"name\": {}, ", quote(name)));
            }
            let r = &case.request;
            out.push_str(&format!(
                "\"principal\": {}, \"action\": {}, \"resource\": {}",
                quote(&r.principal),
                quote(&r.action),
                quote(&r.resource)
            ));
            if let Some(account) = &r.resource_account {
                out.push_str(&format!(", \"resource_account\": {}", quote(account)));
            }
            if !r.context.is_empty() {
                out.push_str(&format!(", \"context\": {}", inline_context(&r.context)));
            }
            if !r.principal_tags.is_empty() {
                out.push_str(&format!(
                    ", \"principal_tags\": {}",
                    inline_tags(&r.principal_tags)
                ));
            }
            if let Some(expect) = &case.expect {
                out.push_str(", \"expect\": ");
                write_expect(out, expect);
            }
            if !case.expectations.is_empty() {
                out.push_str(", ");
                out.push_str(&expectations::write_expectations(&case.expectations, "  "));
            }
            out.push_str(" }");
        }
        out.push_str("\n  ]");
    }
    if list.matrices.is_empty() {
        return;
    }
    let single = list.matrix_object && list.matrices.len() == 1;
    out.push_str(if single {
        ",\n  \"matrix\": "
    } else {
        ",\n  \"matrix\": [\n    "
    });
    let indent = if single { "  " } else { "    " };
    for (i, m) in list.matrices.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n    ");
        }
        out.push('{');
        let mut fields: Vec<String> = Vec::new();
        if let Some(name) = &m.name {
            fields.push(format!("\"name\": {}", quote(name)));
        }
        fields.push(format!("\"principals\": {}", principal_list(m)));
        fields.push(format!("\"actions\": {}", string_list(&m.actions)));
        fields.push(format!("\"resources\": {}", string_list(&m.resources)));
        if let Some(account) = &m.resource_account {
            fields.push(format!("\"resource_account\": {}", quote(account)));
        }
        if !m.context.is_empty() {
            fields.push(format!("\"context\": {}", inline_context(&m.context)));
        }
        if let Some(expect) = &m.expect {
            let mut text = String::from("\"expect\": ");
            write_expect(&mut text, expect);
            fields.push(text);
        }
        if !m.expectations.is_empty() {
            fields.push(expectations::write_expectations(&m.expectations, indent));
        }
        for (j, field) in fields.iter().enumerate() {
            out.push_str(if j == 0 { "\n" } else { ",\n" });
            out.push_str(indent);
            out.push_str("  ");
            out.push_str(field);
        }
        out.push('\n');
        out.push_str(indent);
        out.push('}');
    }
    if !single {
        out.push_str("\n  ]");
    }
}
