//! One statement of a policy and its elements.

use serde::Serialize;
use smallvec::SmallVec;

use crate::condition::{ConditionOperator, PolicyValue, PreparedValues};
use crate::matching::{Pattern, Template};
use crate::source::{Span, Spanned};
use crate::text::Text;

/// `Allow` or `Deny` (case-sensitive in AWS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum Effect {
    /// Grants the matched requests (when nothing denies them).
    Allow,
    /// Denies the matched requests, overriding any allow.
    Deny,
}

impl std::fmt::Display for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        })
    }
}

/// One statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// 0-based position in the policy.
    pub index: usize,
    /// `Sid`, when given.
    pub sid: Option<Spanned<Text>>,
    /// The Sid, or `#N` (0-based index) for a statement without one.
    pub label: Text,
    /// `Effect`.
    pub effect: Spanned<Effect>,
    /// `Principal` or `NotPrincipal`, when given.
    pub principal: Option<PrincipalElement>,
    /// `Action` or `NotAction`.
    pub action: ActionElement,
    /// `Resource` or `NotResource`; `None` where the policy type allows
    /// leaving it out (role trust policies, SCPs), meaning every resource.
    pub resource: Option<ResourceElement>,
    /// The `Condition` block, one entry per operator and key.
    pub conditions: Vec<ConditionEntry>,
    /// The whole statement object.
    pub span: Span,
}

impl Statement {
    /// The Sid, or `#N` (0-based index) for a statement without one.
    pub fn label(&self) -> &Text {
        &self.label
    }

    /// The label of a statement without a Sid at `index`: `#N`.
    pub fn label_for(index: usize) -> Text {
        Text::from(format!("#{index}"))
    }

    /// The entries of the statement's `Principal` (not `NotPrincipal`),
    /// when it is an object of `AWS`/`Service`/`Federated`/… entries.
    pub fn principal_entries(&self) -> Option<&[PrincipalEntry]> {
        self.principal
            .as_ref()
            .filter(|p| !p.negated)
            .and_then(|p| p.spec.entries())
    }

    /// The entries of its `Principal` or `NotPrincipal` object; none for
    /// `"*"` or no element.
    pub fn listed_principals(&self) -> &[PrincipalEntry] {
        self.principal
            .as_ref()
            .and_then(|p| p.spec.entries())
            .unwrap_or_default()
    }
}

/// `Action` (or `NotAction` when `negated`).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionElement {
    /// Whether this is `NotAction`.
    pub negated: bool,
    /// The action patterns, e.g. `s3:Get*`.
    pub patterns: Vec<Spanned<Text>>,
    /// The same patterns compiled for matching (same order).
    /// Inline for up to two patterns: evaluation reads them for every
    /// statement, so they sit in the statement itself.
    pub compiled: SmallVec<[Pattern; 2]>,
    /// The element including its key.
    pub span: Span,
}

/// `Resource` (or `NotResource` when `negated`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceElement {
    /// Whether this is `NotResource`.
    pub negated: bool,
    /// The resource patterns (ARNs with wildcards and variables, or `*`).
    pub patterns: Vec<Spanned<Text>>,
    /// The same patterns split into text and policy variables (same order).
    /// Inline for one pattern, like [`ActionElement::compiled`].
    pub templates: SmallVec<[Template; 1]>,
    /// The element including its key.
    pub span: Span,
}

/// `Principal` (or `NotPrincipal` when `negated`).
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalElement {
    /// Whether this is `NotPrincipal`.
    pub negated: bool,
    /// What it names.
    pub spec: PrincipalSpec,
    /// The element including its key.
    pub span: Span,
}

/// The value of a principal element.
#[derive(Debug, Clone, PartialEq)]
pub enum PrincipalSpec {
    /// `"*"`: everyone, including anonymous users.
    Any(Span),
    /// An object of `AWS` / `Service` / `Federated` / `CanonicalUser` entries.
    Entries(Vec<PrincipalEntry>),
}

impl PrincipalSpec {
    /// Its entries, unless it is `"*"`.
    pub fn entries(&self) -> Option<&[PrincipalEntry]> {
        match self {
            PrincipalSpec::Entries(entries) => Some(entries),
            PrincipalSpec::Any(_) => None,
        }
    }
}

/// The kinds of principal AWS names in a principal element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub enum PrincipalKind {
    /// `AWS`: accounts, users, roles, sessions, or `*`.
    #[serde(rename = "AWS")]
    Aws,
    /// `Service`: service principals such as `ec2.amazonaws.com`.
    Service,
    /// `Federated`: identity providers.
    Federated,
    /// `CanonicalUser`: S3 canonical user ids.
    CanonicalUser,
}

impl PrincipalKind {
    /// The key as written in policies.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// One principal named in a principal element.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalEntry {
    /// Which key it was under.
    pub kind: PrincipalKind,
    /// The value as written.
    pub value: Spanned<Text>,
}

/// One operator + key of a `Condition` block, with its values.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionEntry {
    /// The operator, e.g. `StringLikeIfExists`.
    pub operator: Spanned<ConditionOperator>,
    /// The operator's canonical name (`ForAnyValue:StringLike`).
    pub operator_name: Text,
    /// The condition key as written, e.g. `aws:SourceIp`.
    pub key: Spanned<Text>,
    /// The values (one or more), ORed.
    pub values: Vec<PolicyValue>,
    /// The values read as the operator's type, once.
    pub prepared: PreparedValues,
}

impl ConditionEntry {
    /// Whether its key is `name` (condition keys ignore case).
    pub fn is_key(&self, name: &str) -> bool {
        self.key.value.eq_ignore_ascii_case(name)
    }
}
