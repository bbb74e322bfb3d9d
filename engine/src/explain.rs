//! The explanation: a structured trace of how a request was decided.
//!
//! The trace is built on the same code path that decides, so it cannot
//! drift from the decision. Every statement-level node carries the span of
//! the text it is about, relative to its policy's own text, so a UI can
//! highlight exactly what matched.

use std::borrow::Cow;

use serde::Serialize;

mod result;

pub(crate) use crate::bits::Bits;
pub(crate) use result::{Details, ElementGist, ElementResults, Noted, Substituted, TraceSource};
pub use result::{StatementResult, StatementResults};

use crate::condition::ConditionTrace;
use crate::diagnostics::Diagnostic;
use crate::policy::{Effect, PolicyType, PrincipalKind};
use crate::request::ContextEntry;
use crate::source::Span;
use crate::text::Text;

/// The three answers AWS gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum Decision {
    /// Some policy allows and nothing denies or withholds.
    Allow,
    /// A `Deny` statement matched.
    ExplicitDeny,
    /// No required `Allow` matched.
    ImplicitDeny,
}

impl Decision {
    /// The name used in JSON and on the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "Allow",
            Decision::ExplicitDeny => "ExplicitDeny",
            Decision::ImplicitDeny => "ImplicitDeny",
        }
    }

    /// Parses `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    pub fn parse(text: &str) -> Option<Decision> {
        [
            Decision::Allow,
            Decision::ExplicitDeny,
            Decision::ImplicitDeny,
        ]
        .into_iter()
        .find(|d| d.as_str() == text)
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The whole result of evaluating a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// One paragraph a learner understands, naming the deciding statements.
    pub summary: String,
    /// The request as the engine understood it.
    pub request: RequestTrace,
    /// The evaluation flow in AWS's order, every stage present.
    pub steps: Vec<Step>,
    /// The statements that decided it (matching `Deny`s for an explicit
    /// deny; the granting `Allow`s for an allow; empty for an implicit deny).
    pub determining: Vec<StatementRef>,
    /// Across accounts: the principal's side and the resource's side.
    pub cross_account: Option<CrossAccountTrace>,
    /// Every policy, every statement, every element.
    pub policies: Vec<PolicyTrace>,
    /// Condition keys the policies reference that the request lacks.
    pub missing_context_keys: Vec<MissingKey>,
    /// Warnings met on the way (from the policies and the request).
    pub diagnostics: Vec<Diagnostic>,
    /// Rules outside the policies' text that took part: a service's own
    /// authorization rule (which may decide on its own), or a choice the
    /// engine made where AWS's documentation is silent.
    pub notes: Vec<Note>,
}

/// What kind of rule a [`Note`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// A rule AWS documents for one service or resource that changes a
    /// decision without any policy saying so.
    ServiceRule,
    /// AWS does not document this case; the engine keeps one choice
    /// (recorded in `docs/semantics.md`).
    Undocumented,
    /// A rule of the policy language that the policy's text does not show
    /// (for example, where policy variables are not substituted).
    LanguageRule,
}

/// A rule outside the policies' text that took part in the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Note {
    /// Service rule or undocumented choice.
    pub kind: NoteKind,
    /// A stable identifier, e.g. `sts-get-caller-identity`.
    pub code: &'static str,
    /// Whether the rule decided the request on its own, whatever the
    /// policies say (the steps then show what the policies alone give).
    pub decisive: bool,
    /// What the rule is and how it applied, in a sentence or two.
    pub message: String,
    /// The AWS page that documents the rule (its title), or, for an
    /// undocumented case, the page that comes closest.
    pub source: &'static str,
}

/// The request after parsing and derivation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct RequestTrace {
    /// The principal as written.
    pub principal: String,
    /// "IAM user alice of account 111122223333", ….
    pub principal_description: String,
    /// `user`, `assumed_role`, `root`, `service`, `anonymous`, ….
    pub principal_kind: &'static str,
    /// The principal's account, when it has one.
    pub principal_account: Option<String>,
    /// The action.
    pub action: Text,
    /// The resource.
    pub resource: Text,
    /// The resource's account and where it came from.
    pub resource_account: Option<String>,
    /// How the resource account was found.
    pub resource_account_source: &'static str,
    /// Whether principal and resource are in different accounts.
    pub cross_account: bool,
    /// The full context: given and derived keys.
    pub context: Vec<ContextEntry>,
}

/// A statement, by policy name and Sid (or `#N`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct StatementRef {
    /// The policy's name.
    pub policy: Text,
    /// The Sid, or `#N` for the statement at 0-based index N.
    pub statement: Text,
    /// The statement's 0-based index in its policy.
    pub index: usize,
}

/// The stages of AWS's evaluation flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Any matching `Deny` in any applicable policy.
    DenyEvaluation,
    /// Resource control policies of the resource's account.
    ResourceControlPolicies,
    /// Service control policies of the principal's account.
    ServiceControlPolicies,
    /// Resource-based policies.
    ResourcePolicies,
    /// The principal's permissions boundary.
    PermissionsBoundary,
    /// The session policy.
    SessionPolicies,
    /// The principal's identity-based policies.
    IdentityPolicies,
}

impl Stage {
    /// Every stage, in AWS's evaluation order.
    pub const ALL: [Stage; 7] = [
        Stage::DenyEvaluation,
        Stage::ResourceControlPolicies,
        Stage::ServiceControlPolicies,
        Stage::ResourcePolicies,
        Stage::PermissionsBoundary,
        Stage::SessionPolicies,
        Stage::IdentityPolicies,
    ];

    /// A short title: "Resource control policies".
    pub fn title(self) -> &'static str {
        match self {
            Stage::DenyEvaluation => "Explicit deny",
            Stage::ResourceControlPolicies => "Resource control policies (RCPs)",
            Stage::ServiceControlPolicies => "Service control policies (SCPs)",
            Stage::ResourcePolicies => "Resource-based policies",
            Stage::PermissionsBoundary => "Permissions boundary",
            Stage::SessionPolicies => "Session policies",
            Stage::IdentityPolicies => "Identity-based policies",
        }
    }
}

/// What a stage found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum StageOutcome {
    /// A `Deny` matched: the request is denied.
    ExplicitDeny,
    /// No `Deny` matched: evaluation goes on.
    NoDeny,
    /// An `Allow` matched at this stage (at every level, for SCPs and RCPs).
    Allowed,
    /// Policies are present but no `Allow` matched where one was needed.
    ImplicitDeny,
    /// Policies are present but no `Allow` matched, and none was needed.
    NoMatch,
    /// No policy of this type was given, so it does not apply.
    NotPresent,
    /// Policies of this type were given but do not apply to this request.
    NotApplicable,
    /// An earlier stage already decided.
    NotReached,
}

impl StageOutcome {
    /// Every outcome.
    pub const ALL: [StageOutcome; 8] = [
        StageOutcome::ExplicitDeny,
        StageOutcome::NoDeny,
        StageOutcome::Allowed,
        StageOutcome::ImplicitDeny,
        StageOutcome::NoMatch,
        StageOutcome::NotPresent,
        StageOutcome::NotApplicable,
        StageOutcome::NotReached,
    ];
}

/// One stage of the flow.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Step {
    /// Which stage.
    pub stage: Stage,
    /// What it found.
    pub outcome: StageOutcome,
    /// Whether this stage decided the request.
    pub decisive: bool,
    /// The policies this stage looked at.
    pub policies: Vec<Text>,
    /// The statements that produced the outcome.
    pub statements: Vec<StatementRef>,
    /// For SCPs and RCPs: each level and whether it allowed.
    pub levels: Vec<LevelTrace>,
    /// Which side it belongs to across accounts.
    pub side: Option<Side>,
    /// Why, in a sentence.
    #[cfg_attr(feature = "wasm", tsify(type = "string"))]
    pub detail: Cow<'static, str>,
}

/// An organization level of SCPs or RCPs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct LevelTrace {
    /// The level's name (`root`, an OU, `account`).
    pub level: Text,
    /// The policies attached there.
    pub policies: Vec<Text>,
    /// Whether some `Allow` there matched.
    pub allowed: bool,
}

/// The two sides of a cross-account request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The principal's account: identity policies, boundary, session, SCPs.
    Principal,
    /// The resource's account: resource-based policies, RCPs.
    Resource,
}

/// The verdicts of both sides of a cross-account request.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct CrossAccountTrace {
    /// The principal's account.
    pub principal_account: String,
    /// The resource's account.
    pub resource_account: String,
    /// The principal's side.
    pub principal_side: SideVerdict,
    /// The resource's side.
    pub resource_side: SideVerdict,
}

/// Whether one side allows, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct SideVerdict {
    /// Whether this side allows.
    pub allowed: bool,
    /// The reasons, one sentence each.
    pub reasons: Vec<String>,
    /// The statements that allowed (or denied) on this side.
    pub statements: Vec<StatementRef>,
}

/// One policy's trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct PolicyTrace {
    /// The policy's name.
    pub name: Text,
    /// Its type.
    pub policy_type: PolicyType,
    /// For SCPs and RCPs: its level.
    pub level: Option<Text>,
    /// Whether it is switched on (a switched-off policy is listed but takes
    /// no part in the decision).
    pub enabled: bool,
    /// Where it came from (imported policies), e.g. "group Developers,
    /// attached managed policy ReadOnlyAccess".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Text>,
    /// Whether it takes part in this request.
    pub applies: bool,
    /// Why not, when it does not.
    pub not_applicable_reason: Option<&'static str>,
    /// Every statement's results; they serialize as [`StatementTrace`]s.
    #[cfg_attr(feature = "wasm", tsify(type = "StatementTrace[]"))]
    pub statements: StatementResults,
}

/// One statement's trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct StatementTrace {
    /// Which statement.
    pub at: StatementRef,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// Whether every element matched the request.
    pub matched: bool,
    /// For resource-based policies: how the principal element matched.
    pub principal_match: Option<PrincipalMatch>,
    /// The statement's span in its policy text.
    pub span: Span,
    /// Each element's check, in the order Principal, Action, Resource, Condition.
    pub checks: Vec<Check>,
}

/// How a principal element matched the request's principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum PrincipalMatch {
    /// `"*"` or `{"AWS": "*"}`: everyone.
    Everyone,
    /// The principal's own ARN (user, role session, federated user).
    Exact,
    /// The ARN of the role the session belongs to.
    RoleArn,
    /// The principal's account (id or root ARN).
    Account,
    /// A service principal.
    Service,
    /// `NotPrincipal` that does not list the principal.
    NotListed,
}

/// The check of one element.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// `Action` / `NotAction`.
    Action(PatternCheck),
    /// `Resource` / `NotResource`.
    Resource(PatternCheck),
    /// `Principal` / `NotPrincipal`.
    Principal(PrincipalCheck),
    /// One operator and key of the `Condition` block (boxed: it is the
    /// largest check and the rarest).
    Condition(Box<ConditionTrace>),
}

impl Check {
    /// Whether the element matched the request.
    pub fn matched(&self) -> bool {
        match self {
            Check::Action(c) | Check::Resource(c) => c.matched,
            Check::Principal(c) => c.matched,
            Check::Condition(c) => c.outcome == crate::condition::ConditionOutcome::Match,
        }
    }
}

/// An action or resource element's check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct PatternCheck {
    /// Whether it is `NotAction` / `NotResource`.
    pub negated: bool,
    /// Whether the element (after negation) matched.
    pub matched: bool,
    /// The request's value.
    pub request_value: Text,
    /// Each pattern and whether it matched the value.
    pub patterns: Vec<PatternResult>,
    /// The element's span.
    pub span: Span,
}

/// One pattern of an action or resource element.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct PatternResult {
    /// The pattern as written.
    pub pattern: Text,
    /// After policy-variable substitution, when that changed it.
    pub resolved: Option<Text>,
    /// Whether it matched the request value.
    pub matched: bool,
    /// Why it could not match, e.g. an unresolved variable.
    pub note: Option<Text>,
    /// The key of a policy variable that has no value in the request (and
    /// no default): the pattern then matches no resource.
    pub unresolved: Option<Text>,
    /// Its span.
    pub span: Span,
}

/// A principal element's check.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct PrincipalCheck {
    /// Whether it is `NotPrincipal`.
    pub negated: bool,
    /// Whether the element (after negation) matched.
    pub matched: bool,
    /// The request's principal.
    pub request_value: Text,
    /// Each entry and whether it names the principal.
    pub entries: Vec<PrincipalEntryResult>,
    /// The element's span.
    pub span: Span,
}

/// One entry of a principal element.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct PrincipalEntryResult {
    /// `AWS`, `Service`, … (`None` for the bare `"*"`).
    pub kind: Option<PrincipalKind>,
    /// The value as written.
    pub value: Text,
    /// How it named the principal, if it did.
    pub matched: Option<PrincipalMatch>,
    /// Its span.
    pub span: Span,
}

/// A condition key referenced by policies that the request does not give.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct MissingKey {
    /// The key as first written in a policy.
    pub key: Text,
    /// The statements that reference it.
    pub referenced_by: Vec<StatementRef>,
}
