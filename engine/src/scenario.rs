//! The scenario format: policies plus a request, the one interchange format
//! of the CLI, the corpus, share links and the JavaScript API.
//!
//! ```json
//! { "policies": [ { "name": "Dev", "type": "identity", "document": { … } } ],
//!   "request": { "principal": "arn:aws:iam::111122223333:user/alice",
//!                "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
//!                "resource_account": "111122223333", "context": { "aws:SourceIp": "203.0.113.7" } } }
//! ```
//! Corpus files may add `name`, `description`, `rule` and `expect`. Unknown
//! fields are errors with a suggestion, so a typo cannot silently change a
//! scenario.
//!
//! Besides `request`, a scenario may hold `requests` (a list, each entry
//! optionally with a `name` and an `expect`) and `matrix` (actions ×
//! resources × principals with a shared context): see [`RequestList`].

mod read;
mod requests;
mod write;

use serde::Serialize;

use crate::diagnostics::{has_errors, Diagnostic};
use crate::parse::{parse_policy, ParsedPolicy};
use crate::policy::PolicyType;
use crate::request::{Context, ContextValue, Principal, Request, ValueOrigin};
use crate::source::Span;

pub use requests::is_wildcard_action;
pub use requests::{
    ExpectationIndex, Located, Matrix, RequestCase, RequestList, RowExpectation, TaggedPrincipals,
    MAX_REQUESTS,
};
pub use write::DocumentStyle;

/// A complete scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// A short name (corpus and gallery).
    pub name: Option<String>,
    /// What the scenario teaches.
    pub description: Option<String>,
    /// The documented AWS rule a corpus case pins.
    pub rule: Option<String>,
    /// The policies, in the order given.
    pub policies: Vec<ScenarioPolicy>,
    /// The request (empty when the file has only `requests` or `matrix`:
    /// see [`RequestList::no_request`]).
    pub request: RequestInput,
    /// What a corpus case expects.
    pub expect: Option<Expectation>,
    /// More requests against the same policies: `requests` and `matrix`.
    pub requests: RequestList,
}

/// One policy of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioPolicy {
    /// Its name, unique within the scenario.
    pub name: String,
    /// Its type.
    pub policy_type: PolicyType,
    /// For SCPs and RCPs: the organization level (`root`, an OU, `account`).
    pub level: Option<String>,
    /// For resource-based policies: the account that owns the resource.
    pub account: Option<String>,
    /// Whether it is evaluated (`true` unless switched off). A switched-off
    /// policy stays in the scenario but takes no part in the decision, as
    /// the console simulator's toggle.
    pub enabled: bool,
    /// Where the policy came from, for people (e.g. "group Developers,
    /// attached managed policy ReadOnlyAccess"); imported policies have one.
    pub origin: Option<String>,
    /// The document text; every span in `parsed` points into it.
    pub text: String,
    /// Where `text` starts in the scenario file, when the document was an
    /// embedded JSON object (so diagnostics can point into the file).
    pub text_offset: Option<usize>,
    /// The parsed document with its diagnostics (relative to `text`).
    pub parsed: ParsedPolicy,
}

impl ScenarioPolicy {
    /// Parses `text` as a policy named `name` of type `policy_type`.
    pub fn new(name: impl Into<String>, policy_type: PolicyType, text: impl Into<String>) -> Self {
        let text = text.into();
        let parsed = parse_policy(&text, policy_type);
        ScenarioPolicy {
            name: name.into(),
            policy_type,
            level: None,
            account: None,
            enabled: true,
            origin: None,
            text,
            text_offset: None,
            parsed,
        }
    }

    /// Switches the policy on or off.
    pub fn with_enabled(mut self, enabled: bool) -> Self {
        self.enabled = enabled;
        self
    }

    /// Sets where the policy came from.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// Sets the organization level (SCPs and RCPs).
    pub fn with_level(mut self, level: impl Into<String>) -> Self {
        self.level = Some(level.into());
        self
    }

    /// Sets the owning account (resource-based policies).
    pub fn with_account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// The level this SCP or RCP sits at (`root` when not given).
    pub fn level_name(&self) -> &str {
        self.level.as_deref().unwrap_or("root")
    }
}

/// The request as written in a scenario, before validation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RequestInput {
    /// Principal ARN, service principal, or `*`.
    pub principal: String,
    /// `service:Operation`.
    pub action: String,
    /// Resource ARN or `*`.
    pub resource: String,
    /// The resource's account, when given.
    pub resource_account: Option<String>,
    /// Context keys and values in the order given.
    pub context: Vec<(String, ContextValue)>,
    /// The principal's tags (key, value), from which the engine derives
    /// `aws:PrincipalTag/KEY` (a value given in `context` wins).
    pub principal_tags: Vec<(String, String)>,
    /// Where each field was written (zero spans when built in code).
    pub spans: RequestSpans,
}

/// Source spans of the request's fields in the scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestSpans {
    /// The `request` object.
    pub request: Span,
    /// `principal`'s value.
    pub principal: Span,
    /// `action`'s value.
    pub action: Span,
    /// `resource`'s value.
    pub resource: Span,
    /// `resource_account`'s value.
    pub resource_account: Span,
}

/// What a corpus case (or one request of a list) expects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Expectation {
    /// `Allow`, `ExplicitDeny`, `ImplicitDeny`, or `Deny` (either kind of
    /// deny).
    #[cfg_attr(feature = "wasm", tsify(type = "Decision | \"Deny\""))]
    pub decision: String,
    /// The statements that decided it, when the case says.
    pub determining: Option<Vec<StatementName>>,
    /// The codes of the notes the explanation must carry (service rules,
    /// undocumented choices), when the case says.
    pub notes: Option<Vec<String>>,
}

/// A statement named by policy name and Sid (or `#N` for its 0-based index).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct StatementName {
    /// The policy's name in the scenario.
    pub policy: String,
    /// The statement's Sid, or `#N`.
    pub statement: String,
}

/// The result of reading a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioParse {
    /// The scenario, when the file's shape could be read.
    pub scenario: Option<Scenario>,
    /// Every diagnostic: the file's, each policy's and the request's, each
    /// with its policy name and line and column.
    pub diagnostics: Vec<Diagnostic>,
}

impl ScenarioParse {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

impl Scenario {
    /// Reads a scenario from its JSON text.
    pub fn parse(text: &str) -> ScenarioParse {
        read::read_scenario(text)
    }

    /// Writes the scenario as JSON text.
    pub fn to_json(&self, style: DocumentStyle) -> String {
        write::write_scenario(self, style)
    }

    /// The policy named `name`.
    pub fn policy(&self, name: &str) -> Option<&ScenarioPolicy> {
        self.policies.iter().find(|p| p.name == name)
    }

    /// Every policy diagnostic plus the request's, each naming its policy,
    /// with line and column relative to the policy's own text.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let mut all = self.policy_diagnostics();
        if let Err(errors) = self.build_request() {
            all.extend(errors);
        }
        all
    }

    /// The policies' own diagnostics and the checks across policies, each
    /// naming its policy (no request checks).
    pub fn policy_diagnostics(&self) -> Vec<Diagnostic> {
        self.policies
            .iter()
            .filter(|p| p.enabled)
            .flat_map(|p| {
                p.parsed
                    .diagnostics
                    .iter()
                    .map(|d| d.clone().in_policy(&p.name))
            })
            .chain(self.check_policies())
            .collect()
    }

    /// Checks across policies: unique names, levels and accounts only where
    /// they mean something.
    pub fn check_policies(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        // A handful of policies are compared pairwise; many go through a set.
        let mut names = std::collections::HashSet::new();
        let many = self.policies.len() > 16;
        for (i, policy) in self.policies.iter().enumerate() {
            let repeated = if many {
                !names.insert(policy.name.as_str())
            } else {
                self.policies.iter().take(i).any(|p| p.name == policy.name)
            };
            if repeated {
                out.push(
                    Diagnostic::error(
                        "duplicate-policy-name",
                        format!("two policies are named `{}`", policy.name),
                        Span::default(),
                    )
                    .with_help(
                        "give each policy its own name; explanations refer to policies by name",
                    )
                    .in_policy(&policy.name),
                );
            }
            if policy.name.trim().is_empty() {
                out.push(
                    Diagnostic::error(
                        "empty-policy-name",
                        "a policy has an empty name",
                        Span::default(),
                    )
                    .with_help("name it, e.g. \"DevGroup\""),
                );
            }
        }
        out
    }

    /// Validates the request and completes its context.
    pub fn build_request(&self) -> Result<Request, Vec<Diagnostic>> {
        build_request(&self.request)
    }
}

/// Validates a request input and derives its context keys.
pub fn build_request(input: &RequestInput) -> Result<Request, Vec<Diagnostic>> {
    check_request(input, false)
}

/// Validates a request input; with `wildcard_actions`, an action with `*`
/// or `?` passes (a request of a list, expanded through the catalogue later).
pub(crate) fn check_request(
    input: &RequestInput,
    wildcard_actions: bool,
) -> Result<Request, Vec<Diagnostic>> {
    let principal = request_principal(input, wildcard_actions)?;
    // Room for what the request gives and the keys derived from the principal.
    let mut context = Context::with_capacity(input.context.len() + 8);
    // Keys without spaces around them, as every reader warns
    // (`key_spaces_warning`).
    context.extend(
        input
            .context
            .iter()
            .map(|(key, value)| (crate::request::clean_key(key), value.clone())),
        ValueOrigin::Request,
    );
    for (key, value) in &input.principal_tags {
        context.insert_if_absent(
            crate::text::Text::from(format!("aws:PrincipalTag/{key}")),
            ContextValue::string(value.as_str()),
            ValueOrigin::Derived,
        );
    }
    Ok(Request::new(
        principal,
        input.action.trim(),
        input.resource.trim(),
        input.resource_account.clone(),
        context,
    ))
}

/// Checks every field of a request input; its principal when they are valid.
pub(crate) fn request_principal(
    input: &RequestInput,
    wildcard_actions: bool,
) -> Result<Principal, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let spans = &input.spans;
    let principal = match Principal::parse(&input.principal) {
        Ok(p) => Some(p),
        Err(e) => {
            errors.push(
                Diagnostic::error(
                    "invalid-request-principal",
                    format!("request principal: {}", e.message),
                    spans.principal,
                )
                .with_help(e.help),
            );
            None
        }
    };
    errors.extend(action_and_resource_errors(input, wildcard_actions));
    match principal {
        Some(principal) if errors.is_empty() => Ok(principal),
        _ => Err(errors),
    }
}

/// Checks a request's action and resource (when only they changed).
pub(crate) fn check_action_and_resource(input: &RequestInput) -> Result<(), Vec<Diagnostic>> {
    let errors = action_and_resource_errors(input, false);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

pub(crate) fn action_and_resource_errors(
    input: &RequestInput,
    wildcard_actions: bool,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let spans = &input.spans;
    let action = input.action.trim();
    let action_ok = (wildcard_actions && requests::is_wildcard_action(action))
        || action.split_once(':').is_some_and(|(s, n)| {
            !s.is_empty() && !n.is_empty() && !action.contains(['*', '?', ' '])
        });
    if !action_ok {
        errors.push(
            Diagnostic::error(
                "invalid-request-action",
                format!("request action: `{action}` is not an action"),
                spans.action,
            )
            .with_help("a request has one concrete action such as `s3:GetObject` (no wildcards)"),
        );
    }
    let resource = input.resource.trim();
    if resource != "*" && crate::matching::Arn::check(resource).is_err() {
        errors.push(
            Diagnostic::error("invalid-request-resource", format!("request resource: `{resource}` is not an ARN"), spans.resource)
                .with_help("write the resource's ARN, e.g. `arn:aws:s3:::examplebucket/report.csv`, or `*` for actions without a resource"),
        );
    }
    if let Some(account) = &input.resource_account {
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(
                Diagnostic::error(
                    "invalid-resource-account",
                    format!("request resource_account: `{account}` is not a 12-digit account id"),
                    spans.resource_account,
                )
                .with_help("write the account id with all 12 digits, e.g. \"444455556666\""),
            );
        }
    }
    errors
}

#[cfg(test)]
mod tests;
