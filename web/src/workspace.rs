//! The scenario a person is editing: policy drafts and the request form, as
//! plain data. Converts to and from the engine's [`Scenario`] (the one
//! interchange format), so drafts, share links, files and the gallery all
//! round-trip through the same code.

use iam_engine::request::{ContextScalar, ContextValue};
use iam_engine::scenario::{
    is_wildcard_action, DocumentStyle, Expectation, ExpectationIndex, Located, Matrix, RequestCase,
    RequestInput, RequestList, RowExpectation, TaggedPrincipals,
};
use iam_engine::{Diagnostic, PolicyType, Scenario, ScenarioPolicy};

/// One policy editor's content.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDraft {
    /// Stable id for keys and actions (not shown).
    pub id: u32,
    /// The policy's name, unique in the scenario.
    pub name: String,
    /// Its type.
    pub policy_type: PolicyType,
    /// Organization level (SCPs and RCPs).
    pub level: String,
    /// Owning account (resource-based policies); empty when not set.
    pub account: String,
    /// The policy text exactly as typed.
    pub text: String,
    /// Whether the editor is collapsed.
    pub collapsed: bool,
    /// Whether the policy is evaluated (switched off: kept, not evaluated).
    pub enabled: bool,
    /// Where it came from (an imported account), shown on its card.
    pub origin: Option<String>,
}

/// How a context row's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContextKind {
    /// Text.
    String,
    /// A JSON number.
    Number,
    /// `true` or `false`.
    Bool,
    /// Several values, one per line or separated by commas.
    List,
}

impl ContextKind {
    /// All kinds, for a select.
    pub const ALL: [ContextKind; 4] = [
        ContextKind::String,
        ContextKind::Number,
        ContextKind::Bool,
        ContextKind::List,
    ];

    /// The label shown in the select.
    pub fn label(self) -> &'static str {
        match self {
            ContextKind::String => "string",
            ContextKind::Number => "number",
            ContextKind::Bool => "boolean",
            ContextKind::List => "list",
        }
    }

    /// Parses a label.
    pub fn parse(label: &str) -> Option<ContextKind> {
        ContextKind::ALL.into_iter().find(|k| k.label() == label)
    }
}

/// One row of the request's context table.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextRow {
    /// Stable id.
    pub id: u32,
    /// The condition key.
    pub key: String,
    /// How the value is read.
    pub kind: ContextKind,
    /// The value as typed (a list: items separated by commas or new lines).
    pub value: String,
}

impl ContextRow {
    /// The typed value, or a message saying why it cannot be read.
    pub fn to_value(&self) -> Result<ContextValue, String> {
        let text = self.value.trim();
        match self.kind {
            ContextKind::String => Ok(ContextValue::Single(ContextScalar::String(
                self.value.as_str().into(),
            ))),
            // The engine's reader of JSON numbers: the app then carries no
            // second one (serde_json's deserializer).
            ContextKind::Number => iam_engine::request::parse_json_number(text)
                .map(|n| ContextValue::Single(ContextScalar::Number(n)))
                .ok_or_else(|| format!("`{text}` is not a number")),
            ContextKind::Bool => match text {
                "true" => Ok(ContextValue::Single(ContextScalar::Bool(true))),
                "false" => Ok(ContextValue::Single(ContextScalar::Bool(false))),
                _ => Err(format!("`{text}` is not `true` or `false`")),
            },
            ContextKind::List => Ok(ContextValue::List(
                text.split([',', '\n'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| ContextScalar::String(s.into()))
                    .collect(),
            )),
        }
    }

    /// A row showing `value` for `key`.
    pub fn from_value(id: u32, key: &str, value: &ContextValue) -> ContextRow {
        let (kind, value) = match value {
            ContextValue::Single(ContextScalar::String(s)) => (ContextKind::String, s.to_string()),
            ContextValue::Single(ContextScalar::Number(n)) => (ContextKind::Number, n.to_string()),
            ContextValue::Single(ContextScalar::Bool(b)) => (ContextKind::Bool, b.to_string()),
            ContextValue::List(items) => (
                ContextKind::List,
                items
                    .iter()
                    .map(ContextScalar::as_text)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        };
        ContextRow {
            id,
            key: key.to_owned(),
            kind,
            value,
        }
    }
}

/// The request form. Its principal, action and resource are the first of
/// each list; more than one value in a list, or a wildcard action, makes
/// the panel's request a matrix ([`RequestDraft::is_matrix`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestDraft {
    /// Principal ARN, service principal, or `*`.
    pub principal: String,
    /// `service:Operation`.
    pub action: String,
    /// Resource ARN or `*`.
    pub resource: String,
    /// Resource account; empty when not set.
    pub resource_account: String,
    /// Context rows.
    pub context: Vec<ContextRow>,
    /// The (first) principal's tags (from an imported account), from
    /// which the engine derives `aws:PrincipalTag/…`.
    pub principal_tags: Vec<(String, String)>,
    /// The values after the first of each list, and the name and
    /// expectation of the file's matrix the panel shows (boxed: most
    /// requests have none).
    pub more: Box<MoreValues>,
}

/// The request panel's values beyond the single request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MoreValues {
    /// Principals after the first; blank rows are kept while editing and
    /// not written.
    pub principals: Vec<String>,
    /// Actions after the first (wildcards allowed).
    pub actions: Vec<String>,
    /// Resources after the first.
    pub resources: Vec<String>,
    /// The name of the file's matrix the panel shows, written back with it.
    pub matrix_name: Option<String>,
    /// That matrix's expectation, written back with it.
    pub matrix_expect: Option<Expectation>,
    /// That matrix's per-row expectations (set in the results table).
    pub matrix_expectations: Vec<RowExpectation>,
    /// The tags of principals after the first (imported ones), by
    /// principal; a principal moved to the first row takes its tags along.
    pub principal_tags: TaggedPrincipals,
}

/// One of the request's lists: principals, actions or resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestField {
    /// The principals.
    Principal,
    /// The actions.
    Action,
    /// The resources.
    Resource,
}

impl RequestDraft {
    fn parts(&self, field: RequestField) -> (&String, &Vec<String>) {
        match field {
            RequestField::Principal => (&self.principal, &self.more.principals),
            RequestField::Action => (&self.action, &self.more.actions),
            RequestField::Resource => (&self.resource, &self.more.resources),
        }
    }

    /// Every row of `field` as typed, the first included (the rows shown).
    pub fn rows(&self, field: RequestField) -> impl Iterator<Item = &str> + '_ {
        let (first, more) = self.parts(field);
        std::iter::once(first.as_str()).chain(more.iter().map(String::as_str))
    }

    /// The values of `field` a request is made of: the rows that are not
    /// blank, trimmed; when every row is blank, the first (so an empty field
    /// is reported as before).
    pub fn values(&self, field: RequestField) -> Vec<&str> {
        let mut values: Vec<&str> = self
            .rows(field)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            values.push(self.parts(field).0.trim());
        }
        values
    }

    /// The tags of `principal` (one of the principals' values).
    pub fn tags_of(&self, principal: &str) -> &[(String, String)] {
        if principal == self.principal.trim() {
            return &self.principal_tags;
        }
        self.more
            .principal_tags
            .iter()
            .find(|(p, _)| p == principal)
            .map_or(&[], |(_, tags)| tags.as_slice())
    }

    /// Each principal with tags, with them (a matrix's `principal_tags`).
    pub fn tagged_principals(&self) -> TaggedPrincipals {
        let mut out = TaggedPrincipals::new();
        for p in self.values(RequestField::Principal) {
            let tags = self.tags_of(p);
            if !tags.is_empty() {
                out.push((p.to_owned(), tags.to_vec()));
            }
        }
        out
    }

    /// Sets the tags of `principal` (the first principal's, or another's).
    pub fn set_tags_of(&mut self, principal: &str, tags: Vec<(String, String)>) {
        if principal == self.principal.trim() {
            self.principal_tags = tags;
            return;
        }
        let others = &mut self.more.principal_tags;
        others.retain(|(p, _)| p != principal);
        if !tags.is_empty() {
            others.push((principal.to_owned(), tags));
        }
    }

    /// Replaces every row of `field` (the first goes in the single field).
    /// A new first principal brings its tags to the first row, and the
    /// former first keeps its own with its principal.
    pub fn set_rows(&mut self, field: RequestField, rows: Vec<String>) {
        if field == RequestField::Principal {
            let old = self.principal.trim().to_owned();
            let new = rows.first().map_or("", |r| r.trim());
            if new != old {
                let tags = self.tags_of(new).to_vec();
                let before = std::mem::replace(&mut self.principal_tags, tags);
                self.more.principal_tags.retain(|(p, _)| p != new);
                if !before.is_empty() && !old.is_empty() {
                    self.more.principal_tags.push((old, before));
                }
            }
        }
        let mut rows = rows.into_iter();
        let first = rows.next().unwrap_or_default();
        let more: Vec<String> = rows.collect();
        match field {
            RequestField::Principal => (self.principal, self.more.principals) = (first, more),
            RequestField::Action => (self.action, self.more.actions) = (first, more),
            RequestField::Resource => (self.resource, self.more.resources) = (first, more),
        }
    }

    /// How many requests the lists make, before wildcard actions expand.
    pub fn size(&self) -> usize {
        [
            RequestField::Action,
            RequestField::Resource,
            RequestField::Principal,
        ]
        .into_iter()
        .map(|f| self.values(f).len())
        .product()
    }

    /// Whether the panel's request is a matrix: a list holds more than one
    /// value, or the action is a wildcard (many actions). Otherwise it is
    /// the scenario's single `request`, exactly as before lists existed.
    pub fn is_matrix(&self) -> bool {
        [RequestField::Principal, RequestField::Resource]
            .into_iter()
            .any(|f| self.values(f).len() > 1)
            || {
                let actions = self.values(RequestField::Action);
                actions.len() > 1 || actions.iter().any(|a| is_wildcard_action(a))
            }
    }
}

/// Everything the person is editing.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Workspace {
    /// Title (from a gallery example or a loaded file).
    pub name: Option<String>,
    /// What it teaches.
    pub description: Option<String>,
    /// The policies, in order.
    pub policies: Vec<PolicyDraft>,
    /// The request.
    pub request: RequestDraft,
    /// The scenario's other requests (`requests` and `matrix`), kept as
    /// loaded so share links, drafts and Export carry a whole suite.
    pub requests: RequestList,
    /// What the request of the request panel expects, kept (and written)
    /// only while the workspace holds a suite (`requests` or `matrix`).
    pub expect: Option<Box<Expectation>>,
    /// The next free id for drafts and rows.
    pub next_id: u32,
}

/// Removes the indentation an embedded JSON object carries from its place in
/// a scenario file, so it reads naturally in an editor.
fn dedent(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    // The closing brace sits one level left of the members.
    let strip = rest.last().map_or(indent, |last| {
        indent.min(last.len() - last.trim_start().len())
    });
    let mut out = first.to_owned();
    for line in rest {
        out.push('\n');
        out.push_str(
            line.get(strip.min(line.len() - line.trim_start().len())..)
                .unwrap_or(line),
        );
    }
    out
}

impl Workspace {
    /// Allocates an id.
    pub fn take_id(&mut self) -> u32 {
        self.next_id += 1;
        self.next_id
    }

    /// A workspace showing `scenario`.
    pub fn from_scenario(scenario: &Scenario) -> Workspace {
        let mut ws = Workspace {
            name: scenario.name.clone(),
            description: scenario.description.clone(),
            ..Workspace::default()
        };
        for p in &scenario.policies {
            let id = ws.take_id();
            let text = if p.text_offset.is_some() {
                dedent(&p.text)
            } else {
                p.text.clone()
            };
            ws.policies.push(PolicyDraft {
                id,
                name: p.name.clone(),
                policy_type: p.policy_type,
                level: p.level.clone().unwrap_or_else(|| {
                    if p.policy_type.has_levels() {
                        "root".to_owned()
                    } else {
                        String::new()
                    }
                }),
                account: p.account.clone().unwrap_or_default(),
                text,
                collapsed: false,
                enabled: p.enabled,
                origin: p.origin.clone(),
            });
        }
        ws.requests = scenario.requests.clone();
        if !ws.requests.is_empty() && !ws.requests.no_request {
            ws.expect = scenario.expect.clone().map(Box::new);
        }
        // A file with only lists: its first matrix is the panel's request
        // (written back in its place, so the file round-trips); with no
        // matrix, the panel shows the first entry of `requests`, written
        // back as the scenario's `request`.
        let panel_matrix = (ws.requests.no_request && !ws.requests.matrices.is_empty())
            .then(|| ws.requests.matrices.remove(0));
        let first = (ws.requests.no_request && panel_matrix.is_none())
            .then(|| ws.requests.cases.first().map(|c| c.request.clone()));
        ws.requests.no_request = false;
        let r = match &first {
            Some(Some(request)) => request,
            _ => &scenario.request,
        };
        let (resource_account, context_values) = match &panel_matrix {
            Some(m) => (&m.resource_account, &m.context),
            None => (&r.resource_account, &r.context),
        };
        let mut context = Vec::new();
        for (key, value) in context_values {
            let id = ws.take_id();
            context.push(ContextRow::from_value(id, key, value));
        }
        ws.request = RequestDraft {
            principal: r.principal.clone(),
            action: r.action.clone(),
            resource: r.resource.clone(),
            resource_account: resource_account.clone().unwrap_or_default(),
            context,
            principal_tags: r.principal_tags.clone(),
            ..RequestDraft::default()
        };
        if let Some(m) = panel_matrix {
            let texts =
                |list: Vec<Located>| -> Vec<String> { list.into_iter().map(|l| l.text).collect() };
            ws.request
                .set_rows(RequestField::Principal, texts(m.principals.clone()));
            for (principal, tags) in m.principal_tags {
                ws.request.set_tags_of(&principal, tags);
            }
            ws.request.set_rows(RequestField::Action, texts(m.actions));
            ws.request
                .set_rows(RequestField::Resource, texts(m.resources));
            ws.request.more.matrix_name = m.name;
            ws.request.more.matrix_expect = m.expect;
            ws.request.more.matrix_expectations = m.expectations;
        }
        ws
    }

    /// Reads a scenario file's text into a workspace; the errors when the
    /// file's shape cannot be read (policy-level errors are kept in the
    /// drafts for the person to fix).
    pub fn from_scenario_text(text: &str) -> Result<Workspace, Vec<Diagnostic>> {
        let parsed = Scenario::parse(text);
        match parsed.scenario {
            Some(scenario) => Ok(Workspace::from_scenario(&scenario)),
            None => Err(parsed.diagnostics),
        }
    }

    /// The engine's scenario for this workspace (parses every policy), and
    /// the context rows that could not be read.
    pub fn to_scenario(&self) -> (Scenario, Vec<(u32, String)>) {
        let policies = self
            .policies
            .iter()
            .map(|d| {
                let mut p = ScenarioPolicy::new(d.name.clone(), d.policy_type, d.text.clone());
                if d.policy_type.has_levels() {
                    p.level = Some(if d.level.trim().is_empty() {
                        "root".to_owned()
                    } else {
                        d.level.trim().to_owned()
                    });
                }
                if d.policy_type == PolicyType::Resource && !d.account.trim().is_empty() {
                    p.account = Some(d.account.trim().to_owned());
                }
                p.enabled = d.enabled;
                p.origin.clone_from(&d.origin);
                p
            })
            .collect();
        let mut bad_rows = Vec::new();
        let context: Vec<(String, ContextValue)> = self
            .request
            .context
            .iter()
            .filter(|row| !row.key.trim().is_empty())
            .filter_map(|row| match row.to_value() {
                Ok(v) => Some((row.key.trim().to_owned(), v)),
                Err(e) => {
                    bad_rows.push((row.id, e));
                    None
                }
            })
            .collect();
        let r = &self.request;
        let resource_account = Some(r.resource_account.trim().to_owned()).filter(|a| !a.is_empty());
        let mut requests = self.requests.clone();
        // A matrix in the panel is the file's first matrix, and the file
        // has no `request`; `request` still holds the panel's first
        // combination, for the decision shown (not written).
        if r.is_matrix() {
            let located = |f: RequestField| -> Vec<Located> {
                r.values(f).into_iter().map(Located::new).collect()
            };
            requests.matrix_object |= requests.matrices.is_empty();
            requests.matrices.insert(
                0,
                Matrix {
                    name: r.more.matrix_name.clone(),
                    principals: located(RequestField::Principal),
                    principal_tags: r.tagged_principals(),
                    actions: located(RequestField::Action),
                    resources: located(RequestField::Resource),
                    resource_account: resource_account.clone(),
                    context: context.clone(),
                    expect: r.more.matrix_expect.clone(),
                    expectations: r.more.matrix_expectations.clone(),
                    span: Default::default(),
                },
            );
            requests.no_request = true;
        }
        let first = |f: RequestField| {
            r.values(f)
                .first()
                .map_or_else(String::new, |v| (*v).to_owned())
        };
        let request = RequestInput {
            principal: first(RequestField::Principal),
            action: first(RequestField::Action),
            resource: first(RequestField::Resource),
            resource_account,
            context,
            principal_tags: r.principal_tags.clone(),
            spans: Default::default(),
        };
        let scenario = Scenario {
            name: self.name.clone(),
            description: self.description.clone(),
            rule: None,
            policies,
            request,
            expect: self
                .expect
                .as_deref()
                .cloned()
                .filter(|_| !requests.is_empty() && !requests.no_request),
            requests,
        };
        (scenario, bad_rows)
    }

    /// The scenario as JSON text with every policy's exact text (drafts and
    /// share links), or with readable embedded objects (downloads).
    pub fn to_json(&self, style: DocumentStyle) -> String {
        self.to_scenario().0.to_json(style)
    }

    /// Sets what one request of the suite expects (`decision` `None`: no
    /// expectation); whether anything changed. A request of a matrix, or
    /// one action of a wildcard entry of `requests`, gets an entry of its
    /// `expectations` (none when the shared `expect` already says it).
    pub fn set_expectation(&mut self, row: &RowKey, decision: Option<&str>) -> bool {
        let wanted = decision.map(|d| Expectation {
            decision: d.to_owned(),
            determining: None,
            notes: None,
        });
        match row {
            RowKey::Request => {
                if self.expect.as_deref() == wanted.as_ref() {
                    return false;
                }
                self.expect = wanted.map(Box::new);
            }
            RowKey::Listed(index) => {
                let Some(case) = self.requests.cases.get_mut(*index) else {
                    return false;
                };
                if case.expect == wanted {
                    return false;
                }
                case.expect = wanted;
            }
            RowKey::Expanded { index, action } => {
                let Some(case) = self.requests.cases.get_mut(*index) else {
                    return false;
                };
                return set_action_expectation(case, action, wanted);
            }
            RowKey::Matrix {
                index,
                action,
                principal,
                resource,
            } => {
                // The index is the scenario's: the panel's matrix, when the
                // panel holds one, comes first.
                if self.request.is_matrix() && *index == 0 {
                    let (scenario, _) = self.to_scenario();
                    let Some(mut matrix) = scenario.requests.matrices.into_iter().next() else {
                        return false;
                    };
                    if !set_row_expectation(&mut matrix, action, principal, resource, wanted) {
                        return false;
                    }
                    self.request.more.matrix_expectations = matrix.expectations;
                } else {
                    let i = if self.request.is_matrix() {
                        index.saturating_sub(1)
                    } else {
                        *index
                    };
                    let Some(matrix) = self.requests.matrices.get_mut(i) else {
                        return false;
                    };
                    if !set_row_expectation(matrix, action, principal, resource, wanted) {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// Whether the workspace holds a suite (lists of requests, or a matrix
    /// in the request panel): the results table shows it.
    pub fn has_suite(&self) -> bool {
        !self.requests.is_empty() || self.request.is_matrix()
    }

    /// A fresh name like `Policy 3` not used by any policy.
    pub fn unused_name(&self, base: &str) -> String {
        (1..)
            .map(|n| {
                if n == 1 {
                    base.to_owned()
                } else {
                    format!("{base} {n}")
                }
            })
            .find(|candidate| !self.policies.iter().any(|p| &p.name == candidate))
            .unwrap_or_else(|| base.to_owned())
    }
}

/// Sets what `action` (one of its wildcard's) of the entry `case` expects;
/// whether the entry changed. An entry of its `expectations` is kept only
/// where it differs from the entry's own `expect`.
fn set_action_expectation(
    case: &mut RequestCase,
    action: &str,
    wanted: Option<Expectation>,
) -> bool {
    let before = case.expectations.clone();
    case.expectations
        .retain(|e| !e.action.eq_ignore_ascii_case(action));
    if case.expect != wanted {
        case.expectations.push(RowExpectation {
            action: action.to_owned(),
            principal: None,
            resource: None,
            expect: wanted,
            span: Default::default(),
        });
    }
    case.expectations != before
}

/// Sets what one request of `matrix` expects (`None`: nothing); whether
/// the matrix changed. An entry is kept only where it differs from what
/// the matrix would expect anyway.
fn set_row_expectation(
    matrix: &mut Matrix,
    action: &str,
    principal: &str,
    resource: &str,
    wanted: Option<Expectation>,
) -> bool {
    let before = matrix.expectations.clone();
    let exact = |e: &RowExpectation| {
        e.action.eq_ignore_ascii_case(action)
            && e.principal.as_deref() == Some(principal)
            && e.resource.as_deref() == Some(resource)
    };
    matrix.expectations.retain(|e| !exact(e));
    let request = RequestInput {
        principal: principal.to_owned(),
        action: action.to_owned(),
        resource: resource.to_owned(),
        ..RequestInput::default()
    };
    let inherited = ExpectationIndex::new(matrix).expect_for(&request).cloned();
    if inherited != wanted {
        matrix.expectations.push(RowExpectation {
            action: action.to_owned(),
            principal: Some(principal.to_owned()),
            resource: Some(resource.to_owned()),
            expect: wanted,
            span: Default::default(),
        });
    }
    matrix.expectations != before
}

/// One request of a suite, as the results table names it to set its
/// expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKey {
    /// The request panel's request.
    Request,
    /// The entry of `requests` at this index (its own `expect`).
    Listed(usize),
    /// One action of the wildcard entry of `requests` at `index`.
    Expanded {
        /// The entry's index.
        index: usize,
        /// The concrete action.
        action: String,
    },
    /// One request of the matrix at `index`: its action (as expanded),
    /// principal and resource.
    Matrix {
        /// The matrix's index.
        index: usize,
        /// The concrete action.
        action: String,
        /// The principal.
        principal: String,
        /// The resource.
        resource: String,
    },
}

/// A starter policy text for a new editor of `policy_type`.
pub fn template_for(policy_type: PolicyType) -> &'static str {
    match policy_type {
        PolicyType::Resource => "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": { \"AWS\": \"arn:aws:iam::111122223333:root\" },\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"arn:aws:s3:::examplebucket/*\"\n    }\n  ]\n}",
        PolicyType::Rcp => "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Principal\": \"*\",\n      \"Action\": \"*\",\n      \"Resource\": \"*\"\n    }\n  ]\n}",
        _ => "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"\n    }\n  ]\n}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GALLERY_02: &str =
        include_str!("../../tests/corpus/gallery/02-s3-admin-deny-secret.json");

    #[test]
    fn a_suite_travels_whole_and_shows_its_first_request() {
        let suite = include_str!("../../tests/corpus/requests/01-list-with-names.json");
        let ws = Workspace::from_scenario_text(suite).unwrap();
        assert_eq!(ws.request.action, "s3:GetObject");
        assert_eq!(ws.requests.cases.len(), 3);
        let again = Workspace::from_scenario_text(&ws.to_json(DocumentStyle::Text)).unwrap();
        assert_eq!(again.requests.cases.len(), 3);
        assert_eq!(again.requests.cases[2].expect, ws.requests.cases[2].expect);
        let (scenario, _) = again.to_scenario();
        assert!(iam_engine::evaluate(&scenario).is_ok());
        let cases = iam_engine::suite::expand(&scenario, None).unwrap();
        assert_eq!(cases.len(), 4, "the panel's request, then the list");
    }

    /// A workspace whose panel holds `actions` × `resources` × `principals`.
    fn with_lists(actions: &[&str], resources: &[&str], principals: &[&str]) -> Workspace {
        let mut ws = Workspace::from_scenario_text(GALLERY_02).unwrap();
        let owned = |l: &[&str]| l.iter().map(|v| (*v).to_owned()).collect();
        ws.request.set_rows(RequestField::Action, owned(actions));
        ws.request
            .set_rows(RequestField::Resource, owned(resources));
        ws.request
            .set_rows(RequestField::Principal, owned(principals));
        ws
    }

    const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

    /// Principals of an imported account in the panel's matrix each keep
    /// their tags: in the scenario (a principal with its tags), through
    /// its JSON, and when rows are removed or reordered.
    #[test]
    fn each_principal_of_the_matrix_keeps_its_tags() {
        const BOB: &str = "arn:aws:iam::111122223333:user/bob";
        let mut ws = with_lists(&["s3:GetObject"], &["arn:aws:s3:::b/k"], &[ALICE, BOB]);
        let tag = |v: &str| vec![("project".to_owned(), v.to_owned())];
        ws.request.set_tags_of(ALICE, tag("apollo"));
        ws.request.set_tags_of(BOB, tag("gemini"));
        assert_eq!(ws.request.principal_tags, tag("apollo"));
        let (scenario, _) = ws.to_scenario();
        let m = &scenario.requests.matrices[0];
        assert_eq!(m.tags_of(ALICE), tag("apollo").as_slice());
        assert_eq!(m.tags_of(BOB), tag("gemini").as_slice());
        let cases = iam_engine::suite::expand(&scenario, None).unwrap();
        assert_eq!(cases[1].request.principal_tags, tag("gemini"));

        let json = ws.to_json(DocumentStyle::Text);
        assert!(json.contains("{ \"arn\": \"arn:aws:iam::111122223333:user/bob\", \"tags\": { \"project\": \"gemini\" } }"), "{json}");
        let again = Workspace::from_scenario_text(&json).unwrap();
        assert_eq!(again.request.tags_of(ALICE), tag("apollo").as_slice());
        assert_eq!(again.request.tags_of(BOB), tag("gemini").as_slice());
        assert_eq!(again.to_json(DocumentStyle::Text), json);

        // Alice's row removed: bob is first, with his own tags.
        let mut ws = again;
        ws.request
            .set_rows(RequestField::Principal, vec![BOB.to_owned()]);
        assert_eq!(ws.request.principal_tags, tag("gemini"));
        // Back: each keeps their own.
        ws.request.set_rows(
            RequestField::Principal,
            vec![ALICE.to_owned(), BOB.to_owned()],
        );
        assert_eq!(ws.request.tags_of(ALICE), tag("apollo").as_slice());
        assert_eq!(ws.request.tags_of(BOB), tag("gemini").as_slice());
    }

    #[test]
    fn a_single_request_is_written_as_before() {
        let ws = Workspace::from_scenario_text(GALLERY_02).unwrap();
        assert!(!ws.request.is_matrix());
        let json = ws.to_json(DocumentStyle::Text);
        assert!(json.contains("\"request\": {"), "{json}");
        assert!(!json.contains("\"matrix\""), "{json}");
        let again = Workspace::from_scenario_text(&json).unwrap();
        assert_eq!(again.request, ws.request);
        assert_eq!(again.to_json(DocumentStyle::Text), json);
        // One value in each list (blank extra rows ignored) is still one request.
        let mut blank = ws.clone();
        blank.request.more.resources = vec!["  ".into()];
        assert!(!blank.request.is_matrix());
        assert_eq!(blank.to_json(DocumentStyle::Text), json);
    }

    #[test]
    fn a_matrix_round_trips_through_the_scenario_format() {
        let ws = with_lists(
            &["s3:GetObject", "s3:Put*"],
            &["arn:aws:s3:::examplebucket/a", "", "arn:aws:s3:::secret/b"],
            &[ALICE],
        );
        assert!(ws.request.is_matrix());
        assert_eq!(ws.request.size(), 4);
        let json = ws.to_json(DocumentStyle::Text);
        assert!(
            !json.contains("\"request\""),
            "the panel is the matrix: {json}"
        );
        assert!(json.contains("\"matrix\": {"), "{json}");
        assert!(
            json.contains(
                "\"resources\": [\"arn:aws:s3:::examplebucket/a\", \"arn:aws:s3:::secret/b\"]"
            ),
            "blank rows are not written: {json}"
        );
        let again = Workspace::from_scenario_text(&json).unwrap();
        assert_eq!(
            again.request.rows(RequestField::Action).collect::<Vec<_>>(),
            ["s3:GetObject", "s3:Put*"]
        );
        assert_eq!(again.request.values(RequestField::Resource).len(), 2);
        assert_eq!(again.request.context, ws.request.context);
        assert!(
            again.requests.is_empty(),
            "the matrix is the panel's, not a list's"
        );
        assert_eq!(again.to_json(DocumentStyle::Text), json);
        // The exported file is a suite `iam-eval test` runs: 2 × 2 requests
        // once the wildcard expands.
        let scenario = Scenario::parse(&json).scenario.unwrap();
        let vocabulary =
            iam_engine::suite::ActionList::new(["s3:GetObject", "s3:PutObject", "s3:PutObjectAcl"]);
        let cases = iam_engine::suite::expand(&scenario, Some(&vocabulary)).unwrap();
        assert_eq!(cases.len(), 6);
        assert_eq!(cases[0].request.principal, ALICE);
        // The decision shown is the panel's first request.
        let (scenario, _) = ws.to_scenario();
        assert_eq!(scenario.request.action, "s3:GetObject");
        assert_eq!(scenario.request.resource, "arn:aws:s3:::examplebucket/a");
    }

    #[test]
    fn a_wildcard_action_alone_makes_a_matrix() {
        let ws = with_lists(&["s3:Get*"], &["*"], &[ALICE]);
        assert!(ws.request.is_matrix());
        let json = ws.to_json(DocumentStyle::Text);
        assert!(json.contains("\"actions\": [\"s3:Get*\"]"), "{json}");
    }

    #[test]
    fn back_to_one_of_each_is_the_single_request_again() {
        let single = Workspace::from_scenario_text(GALLERY_02).unwrap();
        let mut ws = with_lists(
            &[single.request.action.as_str(), "s3:PutObject"],
            &[single.request.resource.as_str()],
            &[single.request.principal.as_str(), ALICE],
        );
        assert!(ws.to_json(DocumentStyle::Text).contains("\"matrix\""));
        ws.request
            .set_rows(RequestField::Action, vec![single.request.action.clone()]);
        ws.request.set_rows(
            RequestField::Principal,
            vec![single.request.principal.clone()],
        );
        assert_eq!(
            ws.to_json(DocumentStyle::Text),
            single.to_json(DocumentStyle::Text)
        );
    }

    #[test]
    fn a_matrix_file_opens_in_the_panel_with_its_name_and_expect() {
        let text = include_str!("../../tests/corpus/requests/02-matrix-with-context.json");
        let ws = Workspace::from_scenario_text(text).unwrap();
        assert!(ws.request.is_matrix());
        assert_eq!(ws.request.values(RequestField::Principal).len(), 2);
        assert_eq!(ws.request.context.len(), 1, "the matrix's context");
        assert!(ws.request.more.matrix_expect.is_some());
        let json = ws.to_json(DocumentStyle::Text);
        let (before, after) = (
            Scenario::parse(text).scenario.unwrap(),
            Scenario::parse(&json).scenario.unwrap(),
        );
        assert!(after.requests.no_request);
        let strip = |m: &Matrix| {
            let texts = |l: &[Located]| l.iter().map(|v| v.text.clone()).collect::<Vec<_>>();
            (
                texts(&m.principals),
                texts(&m.actions),
                texts(&m.resources),
                m.context.clone(),
                m.expect.clone(),
            )
        };
        assert_eq!(
            strip(&before.requests.matrices[0]),
            strip(&after.requests.matrices[0])
        );
        assert_eq!(
            Workspace::from_scenario_text(&json)
                .unwrap()
                .to_json(DocumentStyle::Text),
            json
        );
    }

    #[test]
    fn mixed_files_keep_their_lists_around_the_panel() {
        // `request` and two matrices: the panel shows the request.
        let text = include_str!("../../tests/corpus/requests/03-matrices-and-deny.json");
        let ws = Workspace::from_scenario_text(text).unwrap();
        assert!(!ws.request.is_matrix());
        assert_eq!(ws.requests.matrices.len(), 2);
        let json = ws.to_json(DocumentStyle::Text);
        assert!(json.contains("\"request\": {"));
        let again = Workspace::from_scenario_text(&json).unwrap();
        assert_eq!(again.requests.matrices.len(), 2);
        assert_eq!(again.to_json(DocumentStyle::Text), json);
        // The panel becomes a matrix: it is written first, without `request`,
        // and comes back to the panel; the file's matrices stay after it.
        let mut grown = ws.clone();
        grown.request.set_rows(
            RequestField::Resource,
            vec!["arn:aws:s3:::logs/x".into(), "arn:aws:s3:::logs/y".into()],
        );
        let json = grown.to_json(DocumentStyle::Text);
        let scenario = Scenario::parse(&json).scenario.unwrap();
        assert!(scenario.requests.no_request);
        assert_eq!(scenario.requests.matrices.len(), 3);
        assert_eq!(scenario.requests.matrices[1].name.as_deref(), Some("reads"));
        let back = Workspace::from_scenario_text(&json).unwrap();
        assert_eq!(back.request.values(RequestField::Resource).len(), 2);
        assert_eq!(back.requests.matrices.len(), 2);
        assert_eq!(back.to_json(DocumentStyle::Text), json);
        // And back to one resource: `request` again, the matrices unchanged.
        let mut single = back;
        single
            .request
            .set_rows(RequestField::Resource, vec!["arn:aws:s3:::logs/x".into()]);
        let scenario = Scenario::parse(&single.to_json(DocumentStyle::Text))
            .scenario
            .unwrap();
        assert!(!scenario.requests.no_request);
        assert_eq!(scenario.requests.matrices.len(), 2);
        assert_eq!(scenario.request.resource, "arn:aws:s3:::logs/x");
    }

    #[test]
    fn round_trips_a_gallery_scenario() {
        let ws = Workspace::from_scenario_text(GALLERY_02).unwrap();
        assert_eq!(ws.policies.len(), 1);
        assert!(
            ws.policies[0].text.starts_with("{\n  \"Version\""),
            "{}",
            ws.policies[0].text
        );
        let json = ws.to_json(DocumentStyle::Text);
        let again = Workspace::from_scenario_text(&json).unwrap();
        assert_eq!(again.policies[0].text, ws.policies[0].text);
        assert_eq!(again.request, ws.request);
        let (scenario, bad) = ws.to_scenario();
        assert!(bad.is_empty());
        let evaluation = iam_engine::evaluate(&scenario).unwrap();
        assert_eq!(evaluation.decision, iam_engine::Decision::ExplicitDeny);
    }

    #[test]
    fn context_rows_read_their_kinds() {
        let row = |kind, value: &str| ContextRow {
            id: 1,
            key: "k".into(),
            kind,
            value: value.into(),
        };
        assert!(matches!(
            row(ContextKind::Number, "5").to_value(),
            Ok(ContextValue::Single(ContextScalar::Number(_)))
        ));
        assert!(row(ContextKind::Number, "five").to_value().is_err());
        assert_eq!(
            row(ContextKind::Bool, "true").to_value(),
            Ok(ContextValue::Single(ContextScalar::Bool(true)))
        );
        assert_eq!(
            row(ContextKind::List, "a, b\nc")
                .to_value()
                .map(|v| v.scalars().len()),
            Ok(3)
        );
        let back = ContextRow::from_value(
            2,
            "aws:TagKeys",
            &ContextValue::List(vec!["a".into(), "b".into()]),
        );
        assert_eq!(
            (back.kind, back.value.as_str()),
            (ContextKind::List, "a, b")
        );
    }

    #[test]
    fn dedent_keeps_relative_indentation() {
        let text = "{\n        \"a\": [\n          1\n        ]\n      }";
        assert_eq!(dedent(text), "{\n  \"a\": [\n    1\n  ]\n}");
    }

    #[test]
    fn unused_names() {
        let mut ws = Workspace::default();
        assert_eq!(ws.unused_name("Policy"), "Policy");
        ws.policies.push(PolicyDraft {
            id: 1,
            name: "Policy".into(),
            policy_type: PolicyType::Identity,
            level: String::new(),
            account: String::new(),
            text: String::new(),
            collapsed: false,
            enabled: true,
            origin: None,
        });
        assert_eq!(ws.unused_name("Policy"), "Policy 2");
    }
}
