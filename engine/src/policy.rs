//! The IAM policy language as a typed tree, each node with its source span.
//!
//! Reference: AWS's "IAM JSON policy element reference". Either/or elements
//! (`Action`/`NotAction`, …) are one type with a `negated` flag, so a
//! statement cannot hold both.

pub mod statement;

use serde::{Deserialize, Serialize};

pub use statement::{
    ActionElement, ConditionEntry, Effect, PrincipalElement, PrincipalEntry, PrincipalKind,
    PrincipalSpec, ResourceElement, Statement,
};

use crate::source::{Span, Spanned};
use crate::text::Text;

/// The kind of policy, which decides where it sits in the evaluation flow and
/// which elements it may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "kebab-case")]
pub enum PolicyType {
    /// Attached to the user, group or role making the request.
    Identity,
    /// Attached to the resource (bucket policy, key policy, role trust policy, …).
    Resource,
    /// The maximum permissions an identity policy can grant the principal.
    PermissionsBoundary,
    /// A service control policy of AWS Organizations (principal's account).
    Scp,
    /// A resource control policy of AWS Organizations (resource's account).
    Rcp,
    /// A session policy passed when assuming a role or federating.
    Session,
}

impl PolicyType {
    /// All types, in the order the scenario format lists them.
    pub const ALL: [PolicyType; 6] = [
        PolicyType::Identity,
        PolicyType::Resource,
        PolicyType::PermissionsBoundary,
        PolicyType::Scp,
        PolicyType::Rcp,
        PolicyType::Session,
    ];

    /// The name used in the scenario format (`permissions-boundary`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity",
            PolicyType::Resource => "resource",
            PolicyType::PermissionsBoundary => "permissions-boundary",
            PolicyType::Scp => "scp",
            PolicyType::Rcp => "rcp",
            PolicyType::Session => "session",
        }
    }

    /// A label for people: "identity-based policy", "SCP", ….
    pub fn label(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity-based policy",
            PolicyType::Resource => "resource-based policy",
            PolicyType::PermissionsBoundary => "permissions boundary",
            PolicyType::Scp => "service control policy (SCP)",
            PolicyType::Rcp => "resource control policy (RCP)",
            PolicyType::Session => "session policy",
        }
    }

    /// Parses the scenario-format name.
    pub fn parse(name: &str) -> Option<PolicyType> {
        PolicyType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Whether this type is an organization policy with levels.
    pub fn has_levels(self) -> bool {
        matches!(self, PolicyType::Scp | PolicyType::Rcp)
    }
}

impl std::fmt::Display for PolicyType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The policy language version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicyVersion {
    /// `2012-10-17`: the current language, with policy variables.
    #[serde(rename = "2012-10-17")]
    V2012_10_17,
    /// `2008-10-17`: the old language; `${...}` is literal text.
    #[serde(rename = "2008-10-17")]
    V2008_10_17,
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `Version`, when given.
    pub version: Option<Spanned<PolicyVersion>>,
    /// `Id`, when given.
    pub id: Option<Spanned<String>>,
    /// The statements, in document order.
    pub statements: Vec<Statement>,
    /// The condition keys the statements read, with the index of the
    /// statement reading each: every `Condition` key, and the key of each
    /// policy variable without a default in condition values and resource
    /// patterns (statement by statement, in that order, repeats kept).
    pub context_keys: Vec<(usize, Text)>,
    /// The whole document.
    pub span: Span,
}

impl Policy {
    /// Whether `${...}` are policy variables (only under 2012-10-17).
    pub fn variables_enabled(&self) -> bool {
        matches!(
            self.version.as_ref().map(|v| v.value),
            Some(PolicyVersion::V2012_10_17)
        )
    }
}
