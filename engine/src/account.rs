//! A whole account's IAM configuration, as `aws iam
//! get-account-authorization-details` writes it, and the scenario of any
//! principal in it.
//!
//! [`read_account`] reads one or more files (the pages of a paginated
//! export) into an [`Account`]: users, groups, roles and managed policies
//! with the default version of each. Policy documents may be JSON objects
//! (what the AWS CLI writes) or URL-encoded JSON text (what the raw API
//! returns). Unknown fields are ignored, because the format grows; every
//! problem is an [`ImportDiagnostic`] naming the file, the JSON path and the
//! line and column. Documents are kept as text and parsed only when a
//! principal is simulated, so a large account reads quickly.
//!
//! [`Account::import`] turns one principal into a [`Scenario`] whose
//! policies are labelled with their origin (see [`convert`]).

pub mod convert;
mod decode;
pub mod generate;
mod read;
pub mod who_can;

use std::collections::HashMap;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Severity};

pub use convert::{ImportOptions, Imported, MissingPolicy};
pub use read::{read_account, AccountReader};
pub use who_can::{Deciding, RowOutcome, WhoCan, WhoCanQuery, WhoCanRow};

/// Where something was written: a file, a JSON path and a position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Location {
    /// The file's name as given.
    pub file: String,
    /// The JSON path, e.g. `$.UserDetailList[2].UserPolicyList[0].PolicyDocument`.
    pub path: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub column: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A problem met while reading account files or importing a principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ImportDiagnostic {
    /// Where (file, JSON path, line and column); empty when it is about no
    /// place in a file (e.g. an unknown principal).
    pub at: Location,
    /// What, with a stable code, the message and help. Its `span` and
    /// position point into the file (or, for a policy, into its document).
    pub diagnostic: Diagnostic,
}

impl ImportDiagnostic {
    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.diagnostic.severity == Severity::Error
    }
}

impl std::fmt::Display for ImportDiagnostic {
    /// `FILE:LINE:COLUMN: error: MESSAGE (at `PATH`) (help: ...)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let d = &self.diagnostic;
        if self.at.file.is_empty() {
            write!(f, "import: {}: {}", d.severity, d.message)?;
        } else {
            write!(f, "{}: {}: {}", self.at, d.severity, d.message)?;
        }
        if !self.at.path.is_empty() {
            write!(f, " (at `{}`)", self.at.path)?;
        }
        if let Some(help) = &d.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// A policy document's text and where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The JSON text (decoded when it was URL-encoded; re-indented from the
    /// file when it was an object).
    pub text: String,
    /// Where the document starts.
    pub at: Location,
    /// For a document written as an object: how many columns of
    /// indentation were removed from its second and later lines (so a
    /// position in `text` maps back to the file). `None` when it was a
    /// string (positions then map only to the string's start).
    pub dedent: Option<u32>,
}

/// An inline policy of a user, group or role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlinePolicy {
    /// `PolicyName`.
    pub name: String,
    /// `PolicyDocument`.
    pub document: Document,
}

/// A managed policy attached to a user, group or role (or set as a
/// permissions boundary).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// `PolicyName` (from the ARN when absent).
    pub name: String,
    /// `PolicyArn`.
    pub arn: String,
}

/// An IAM user (`UserDetailList`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// `UserName`.
    pub name: String,
    /// `Path`.
    pub path: String,
    /// `Arn`.
    pub arn: String,
    /// `UserPolicyList`.
    pub inline: Vec<InlinePolicy>,
    /// `AttachedManagedPolicies`.
    pub attached: Vec<Attachment>,
    /// `GroupList`: group names.
    pub groups: Vec<String>,
    /// `PermissionsBoundary.PermissionsBoundaryArn`.
    pub boundary: Option<Attachment>,
    /// `Tags`: key and value.
    pub tags: Vec<(String, String)>,
}

/// An IAM group (`GroupDetailList`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `GroupName`.
    pub name: String,
    /// `Path`.
    pub path: String,
    /// `Arn`.
    pub arn: String,
    /// `GroupPolicyList`.
    pub inline: Vec<InlinePolicy>,
    /// `AttachedManagedPolicies`.
    pub attached: Vec<Attachment>,
}

/// An IAM role (`RoleDetailList`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// `RoleName`.
    pub name: String,
    /// `Path`.
    pub path: String,
    /// `Arn`.
    pub arn: String,
    /// `AssumeRolePolicyDocument`: the trust policy.
    pub trust: Option<Document>,
    /// `RolePolicyList`.
    pub inline: Vec<InlinePolicy>,
    /// `AttachedManagedPolicies`.
    pub attached: Vec<Attachment>,
    /// `PermissionsBoundary.PermissionsBoundaryArn`.
    pub boundary: Option<Attachment>,
    /// `Tags`.
    pub tags: Vec<(String, String)>,
    /// `InstanceProfileList[].InstanceProfileName`.
    pub instance_profiles: Vec<String>,
    /// `RoleLastUsed.LastUsedDate`, when the role was ever used.
    pub last_used: Option<String>,
}

/// A managed policy (`Policies`), with its default version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedPolicy {
    /// `PolicyName`.
    pub name: String,
    /// `Path`.
    pub path: String,
    /// `Arn`.
    pub arn: String,
    /// `DefaultVersionId`.
    pub default_version: Option<String>,
    /// The default version's document (`IsDefaultVersion`, or the version
    /// named by `DefaultVersionId`); `None` when the file lacks it.
    pub document: Option<Document>,
    /// How many versions the file lists.
    pub versions: usize,
}

impl ManagedPolicy {
    /// Whether AWS manages it (`arn:aws:iam::aws:policy/…`).
    pub fn is_aws_managed(&self) -> bool {
        is_aws_managed(&self.arn)
    }
}

/// Whether a policy ARN names an AWS managed policy.
pub fn is_aws_managed(arn: &str) -> bool {
    arn.split(':').nth(4) == Some("aws")
}

/// The kinds of principal an account file lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// An IAM user.
    User,
    /// An IAM group (simulated as a member with no policies of its own).
    Group,
    /// An IAM role (simulated as a session of the role).
    Role,
}

impl EntityKind {
    /// `user`, `group` or `role`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::Role => "role",
        }
    }
}

/// One entry of the principal picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct PrincipalSummary {
    /// User, group or role.
    pub kind: EntityKind,
    /// Its name.
    pub name: String,
    /// Its path (`/` by default).
    pub path: String,
    /// Its ARN.
    pub arn: String,
    /// How many policies simulating it brings (inline, attached, through
    /// groups, boundary).
    pub policies: usize,
    /// For a user: its groups. For a group: its members.
    pub groups: Vec<String>,
}

/// The account: everything read from its files.
#[derive(Debug, Clone, Default)]
pub struct Account {
    /// The files' names, in the order given.
    pub files: Vec<String>,
    /// Users, in file order.
    pub users: Vec<User>,
    /// Groups.
    pub groups: Vec<Group>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Managed policies.
    pub policies: Vec<ManagedPolicy>,
    // One map type for every index (each map type adds its own code to the
    // web app's module).
    policy_index: HashMap<String, usize>,
    group_index: HashMap<String, usize>,
    /// Users are numbered first, then groups, then roles.
    arn_index: HashMap<String, usize>,
}

impl Account {
    /// The managed policy with this ARN, when the file has it.
    pub fn policy(&self, arn: &str) -> Option<&ManagedPolicy> {
        self.policy_index
            .get(arn)
            .and_then(|&i| self.policies.get(i))
    }

    /// The group named `name`.
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.group_index.get(name).and_then(|&i| self.groups.get(i))
    }

    /// The user, group or role with this ARN.
    pub fn find(&self, arn: &str) -> Option<(EntityKind, usize)> {
        let i = *self.arn_index.get(arn)?;
        let (users, groups) = (self.users.len(), self.groups.len());
        Some(if i < users {
            (EntityKind::User, i)
        } else if i < users + groups {
            (EntityKind::Group, i - users)
        } else {
            (EntityKind::Role, i - users - groups)
        })
    }

    /// The role named `name`.
    pub fn role_named(&self, name: &str) -> Option<&Role> {
        self.roles.iter().find(|r| r.name == name)
    }

    /// The user, group or role as a picker entry.
    pub fn summary(&self, kind: EntityKind, index: usize) -> Option<PrincipalSummary> {
        Some(match kind {
            EntityKind::User => {
                let u = self.users.get(index)?;
                let through_groups: usize = u
                    .groups
                    .iter()
                    .filter_map(|g| self.group(g))
                    .map(|g| g.inline.len() + g.attached.len())
                    .sum();
                PrincipalSummary {
                    kind,
                    name: u.name.clone(),
                    path: u.path.clone(),
                    arn: u.arn.clone(),
                    policies: u.inline.len()
                        + u.attached.len()
                        + through_groups
                        + usize::from(u.boundary.is_some()),
                    groups: u.groups.clone(),
                }
            }
            EntityKind::Group => {
                let g = self.groups.get(index)?;
                PrincipalSummary {
                    kind,
                    name: g.name.clone(),
                    path: g.path.clone(),
                    arn: g.arn.clone(),
                    policies: g.inline.len() + g.attached.len(),
                    groups: self
                        .users
                        .iter()
                        .filter(|u| u.groups.contains(&g.name))
                        .map(|u| u.name.clone())
                        .collect(),
                }
            }
            EntityKind::Role => {
                let r = self.roles.get(index)?;
                PrincipalSummary {
                    kind,
                    name: r.name.clone(),
                    path: r.path.clone(),
                    arn: r.arn.clone(),
                    policies: r.inline.len() + r.attached.len() + usize::from(r.boundary.is_some()),
                    groups: Vec::new(),
                }
            }
        })
    }

    /// Every user, group and role, users first, each in file order.
    pub fn principals(&self) -> Vec<PrincipalSummary> {
        // Group members in one pass over the users (not one per group).
        let mut members: Vec<Vec<String>> = vec![Vec::new(); self.groups.len()];
        for u in &self.users {
            for g in &u.groups {
                if let Some(list) = self.group_index.get(g).and_then(|&i| members.get_mut(i)) {
                    list.push(u.name.clone());
                }
            }
        }
        let mut members = members.into_iter();
        let mut out = Vec::with_capacity(self.users.len() + self.groups.len() + self.roles.len());
        out.extend((0..self.users.len()).filter_map(|i| self.summary(EntityKind::User, i)));
        out.extend(self.groups.iter().map(|g| PrincipalSummary {
            kind: EntityKind::Group,
            name: g.name.clone(),
            path: g.path.clone(),
            arn: g.arn.clone(),
            policies: g.inline.len() + g.attached.len(),
            groups: members.next().unwrap_or_default(),
        }));
        out.extend((0..self.roles.len()).filter_map(|i| self.summary(EntityKind::Role, i)));
        out
    }

    /// The principals whose name, path or ARN contains `query` (any case),
    /// at most `limit` of them; exact name matches first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<PrincipalSummary> {
        let query = query.trim().to_lowercase();
        let mut all = self.principals();
        if !query.is_empty() {
            all.retain(|p| {
                p.name.to_lowercase().contains(&query)
                    || p.path.to_lowercase().contains(&query)
                    || p.arn.to_lowercase().contains(&query)
            });
            crate::sorting::sort_by_key(&mut all, |p| p.name.to_lowercase() != query);
        }
        all.truncate(limit);
        all
    }

    fn index(&mut self) {
        self.policy_index = self
            .policies
            .iter()
            .enumerate()
            .map(|(i, p)| (p.arn.clone(), i))
            .collect();
        self.group_index = self
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.name.clone(), i))
            .collect();
        let arns = self
            .users
            .iter()
            .map(|u| &u.arn)
            .chain(self.groups.iter().map(|g| &g.arn))
            .chain(self.roles.iter().map(|r| &r.arn));
        self.arn_index = arns.enumerate().map(|(i, arn)| (arn.clone(), i)).collect();
    }
}

/// The result of reading account files.
#[derive(Debug, Clone, Default)]
pub struct AccountRead {
    /// What could be read (entities with errors are left out).
    pub account: Account,
    /// Every problem, in file order.
    pub diagnostics: Vec<ImportDiagnostic>,
}

impl AccountRead {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(ImportDiagnostic::is_error)
    }
}

#[cfg(test)]
mod tests;
