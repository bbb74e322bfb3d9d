//! One principal of an account as a scenario: every policy AWS would
//! evaluate for it, each labelled with where it came from.
//!
//! - a user: its inline policies, its attached managed policies, each of its
//!   groups' inline and attached policies, and its permissions boundary;
//! - a role (simulated as a session of the role): its inline and attached
//!   policies and its permissions boundary;
//! - a group: its inline and attached policies, for a member with no
//!   policies of its own;
//! - for an `sts:AssumeRole*` request on a role of the account, that role's
//!   trust policy as the resource-based policy.
//!
//! The principal's tags become `principal_tags` of the request, from which
//! the engine derives `aws:PrincipalTag/…` (shown as derived). A managed
//! policy attached but absent from the files is listed in
//! [`Imported::missing`], never an error.

use std::collections::HashSet;

use serde::Serialize;

use super::{
    is_aws_managed, Account, Attachment, Document, EntityKind, ImportDiagnostic, Location,
    PrincipalSummary,
};
use crate::diagnostics::Diagnostic;
use crate::parse::{parse_policy, ParsedPolicy};
use crate::policy::PolicyType;
use crate::scenario::{RequestInput, Scenario, ScenarioPolicy};
use crate::source::Span;
use crate::suggest::closest;

/// The request to simulate, and how to name a role's session.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportOptions {
    /// The role session's name (roles only; default [`DEFAULT_SESSION`]).
    pub session: Option<String>,
    /// The request's action (default [`DEFAULT_ACTION`]).
    pub action: Option<String>,
    /// The request's resource (default `*`).
    pub resource: Option<String>,
}

/// The session name of a simulated role session when none is given.
pub const DEFAULT_SESSION: &str = "simulated-session";
/// The request's action when none is given.
pub const DEFAULT_ACTION: &str = "s3:ListAllMyBuckets";

/// A managed policy the principal has but the files do not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify))]
pub struct MissingPolicy {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// Where the principal gets it, e.g. "group Developers, attached managed policy".
    pub origin: String,
    /// Whether AWS manages it (exports filtered to local policies lack these).
    pub aws_managed: bool,
    /// Why it is missing: not in the file, or no default version.
    pub reason: String,
}

/// A principal's scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The policies (labelled with their origin) and the request.
    pub scenario: Scenario,
    /// Who was imported.
    pub principal: PrincipalSummary,
    /// Managed policies attached but not in the files: the decision may
    /// differ from AWS's until they are added.
    pub missing: Vec<MissingPolicy>,
    /// Errors in the imported policies, located in the files.
    pub diagnostics: Vec<ImportDiagnostic>,
}

fn not_found(message: String, help: String) -> Box<ImportDiagnostic> {
    Box::new(ImportDiagnostic {
        at: Location::default(),
        diagnostic: Diagnostic::error("unknown-principal", message, Span::default())
            .with_help(help),
    })
}

/// The account id of an ARN.
fn account_of(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or("")
}

impl Account {
    /// Resolves `principal` (a user, group or role ARN, a role session ARN
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`, or a unique name)
    /// to an entity of the account and the session name it implies.
    pub fn resolve(
        &self,
        principal: &str,
    ) -> Result<(EntityKind, usize, Option<String>), Box<ImportDiagnostic>> {
        let principal = principal.trim();
        if let Some((kind, i)) = self.find(principal) {
            return Ok((kind, i, None));
        }
        if let Some(rest) = principal
            .strip_prefix("arn:")
            .and_then(|r| r.split_once(":sts::"))
            .map(|(_, r)| r)
        {
            let parts: Vec<&str> = rest.splitn(2, ':').collect();
            if let [account, resource] = parts.as_slice() {
                if let Some(("assumed-role", role_session)) = resource.split_once('/') {
                    if let Some((role, session)) = role_session.split_once('/') {
                        if let Some(i) = self
                            .roles
                            .iter()
                            .position(|r| r.name == role && account_of(&r.arn) == *account)
                        {
                            return Ok((EntityKind::Role, i, Some(session.to_owned())));
                        }
                    }
                }
            }
        }
        if !principal.starts_with("arn:") {
            let named: Vec<(EntityKind, usize)> = self.principals_named(principal).collect();
            match named.as_slice() {
                [(kind, i)] => return Ok((*kind, *i, None)),
                [] => {}
                _ => {
                    return Err(not_found(
                        format!("several principals are named `{principal}`"),
                        "give the ARN of the one to simulate".to_owned(),
                    ))
                }
            }
        }
        let arns = self
            .users
            .iter()
            .map(|u| u.arn.as_str())
            .chain(self.roles.iter().map(|r| r.arn.as_str()))
            .chain(self.groups.iter().map(|g| g.arn.as_str()));
        let help = match closest(principal, arns) {
            Some(arn) => format!("did you mean `{arn}`?"),
            None if self.users.is_empty() && self.roles.is_empty() => {
                "the files list no users or roles".to_owned()
            }
            None => "give the ARN of a user, role or group the files list (`iam-eval import FILE --list` shows them)".to_owned(),
        };
        Err(not_found(
            format!("`{principal}` is not a user, role or group of the files"),
            help,
        ))
    }

    fn principals_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = (EntityKind, usize)> + 's {
        let users = self
            .users
            .iter()
            .enumerate()
            .filter(move |(_, u)| u.name == name)
            .map(|(i, _)| (EntityKind::User, i));
        let roles = self
            .roles
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.name == name)
            .map(|(i, _)| (EntityKind::Role, i));
        let groups = self
            .groups
            .iter()
            .enumerate()
            .filter(move |(_, g)| g.name == name)
            .map(|(i, _)| (EntityKind::Group, i));
        users.chain(roles).chain(groups)
    }

    /// The scenario of `principal` (see [`Account::resolve`] for what it
    /// may be) for the request in `options`.
    pub fn import(
        &self,
        principal: &str,
        options: &ImportOptions,
    ) -> Result<Imported, Box<ImportDiagnostic>> {
        let (kind, index, arn_session) = self.resolve(principal)?;
        let mut options = options.clone();
        if options.session.is_none() {
            options.session = arn_session;
        }
        self.import_entity(kind, index, &options)
    }

    /// The scenario of the user, group or role number `index` of its kind
    /// (see [`Account::find`]) for the request in `options`.
    pub fn import_entity(
        &self,
        kind: EntityKind,
        index: usize,
        options: &ImportOptions,
    ) -> Result<Imported, Box<ImportDiagnostic>> {
        self.import_entity_with(kind, index, options, None)
    }

    /// [`Account::import_entity`], reusing documents parsed for earlier
    /// principals from `parsed` (many principals share managed policies).
    pub(crate) fn import_entity_with(
        &self,
        kind: EntityKind,
        index: usize,
        options: &ImportOptions,
        parsed: Option<&mut ParsedDocuments>,
    ) -> Result<Imported, Box<ImportDiagnostic>> {
        let summary = self.summary(kind, index).ok_or_else(|| {
            not_found(
                "the principal is not in the files".to_owned(),
                String::new(),
            )
        })?;
        let mut b = Builder {
            parsed,
            shared: false,
            account: self,
            policies: Vec::new(),
            names: HashSet::new(),
            missing: Vec::new(),
            diagnostics: Vec::new(),
        };
        let mut tags: Vec<(String, String)> = Vec::new();
        let request_principal = match kind {
            EntityKind::User => {
                let Some(u) = self.users.get(index) else {
                    return Err(not_found("the user is gone".to_owned(), String::new()));
                };
                let who = format!("user {}", u.name);
                for p in &u.inline {
                    b.document(
                        &p.name,
                        PolicyType::Identity,
                        &p.document,
                        format!("{who}, inline policy {}", p.name),
                    );
                }
                for a in &u.attached {
                    b.managed(
                        a,
                        PolicyType::Identity,
                        &format!("{who}, attached managed policy"),
                    );
                }
                for group in &u.groups {
                    match self.group(group) {
                        Some(g) => b.group(g),
                        None => b.missing.push(MissingPolicy {
                            name: group.clone(),
                            arn: format!("arn:aws:iam::{}:group/{group}", account_of(&u.arn)),
                            origin: format!("{who}, member of group {group}"),
                            aws_managed: false,
                            reason: "the group is not in the files, so its policies are unknown"
                                .to_owned(),
                        }),
                    }
                }
                if let Some(boundary) = &u.boundary {
                    b.managed(
                        boundary,
                        PolicyType::PermissionsBoundary,
                        &format!("permissions boundary of {who}: managed policy"),
                    );
                }
                tags.clone_from(&u.tags);
                u.arn.clone()
            }
            EntityKind::Role => {
                let Some(r) = self.roles.get(index) else {
                    return Err(not_found("the role is gone".to_owned(), String::new()));
                };
                let who = format!("role {}", r.name);
                for p in &r.inline {
                    b.document(
                        &p.name,
                        PolicyType::Identity,
                        &p.document,
                        format!("{who}, inline policy {}", p.name),
                    );
                }
                for a in &r.attached {
                    b.managed(
                        a,
                        PolicyType::Identity,
                        &format!("{who}, attached managed policy"),
                    );
                }
                if let Some(boundary) = &r.boundary {
                    b.managed(
                        boundary,
                        PolicyType::PermissionsBoundary,
                        &format!("permissions boundary of {who}: managed policy"),
                    );
                }
                tags.clone_from(&r.tags);
                let session = options
                    .session
                    .clone()
                    .unwrap_or_else(|| DEFAULT_SESSION.to_owned());
                format!(
                    "arn:aws:sts::{}:assumed-role/{}/{session}",
                    account_of(&r.arn),
                    r.name
                )
            }
            EntityKind::Group => {
                let Some(g) = self.groups.get(index) else {
                    return Err(not_found("the group is gone".to_owned(), String::new()));
                };
                b.group(g);
                format!(
                    "arn:aws:iam::{}:user/member-of-{}",
                    account_of(&g.arn),
                    g.name
                )
            }
        };
        let action = options
            .action
            .clone()
            .unwrap_or_else(|| DEFAULT_ACTION.to_owned());
        let resource = options.resource.clone().unwrap_or_else(|| "*".to_owned());
        if action.to_ascii_lowercase().starts_with("sts:assumerole") {
            let target = self
                .find(&resource)
                .filter(|(k, _)| *k == EntityKind::Role)
                .and_then(|(_, i)| self.roles.get(i));
            if let Some(role) = target {
                match &role.trust {
                    Some(trust) => {
                        let origin = format!("trust policy of role {}", role.name);
                        if let Some(p) = b.document(
                            &format!("{}/TrustPolicy", role.name),
                            PolicyType::Resource,
                            trust,
                            origin,
                        ) {
                            p.account = Some(account_of(&role.arn).to_owned());
                        }
                    }
                    None => b.missing.push(MissingPolicy {
                        name: format!("{}/TrustPolicy", role.name),
                        arn: role.arn.clone(),
                        origin: format!("trust policy of role {}", role.name),
                        aws_managed: false,
                        reason: "the role has no `AssumeRolePolicyDocument` in the files"
                            .to_owned(),
                    }),
                }
            }
        }
        let kind_word = match kind {
            EntityKind::User => "user",
            EntityKind::Role => "a session of role",
            EntityKind::Group => "a member of group",
        };
        let mut description = format!(
            "Imported from {}: {} policies of {kind_word} {}.",
            self.files.join(", "),
            b.policies.len(),
            summary.name
        );
        if !b.missing.is_empty() {
            let names: Vec<&str> = b.missing.iter().map(|m| m.name.as_str()).collect();
            description.push_str(&format!(
                " Not in the files (the decision may differ from AWS's): {}.",
                names.join(", ")
            ));
        }
        let scenario = Scenario {
            name: Some(format!("{} ({})", summary.name, summary.kind.as_str())),
            description: Some(description),
            rule: None,
            policies: b.policies,
            request: RequestInput {
                principal: request_principal,
                action,
                resource,
                principal_tags: tags,
                ..RequestInput::default()
            },
            requests: Default::default(),
            expect: None,
        };
        Ok(Imported {
            scenario,
            principal: summary,
            missing: b.missing,
            diagnostics: b.diagnostics,
        })
    }
}

/// Documents of an account already parsed, by their place in the account
/// (a document's address is stable while the account is borrowed) and the
/// type they were parsed as.
pub(crate) type ParsedDocuments = std::collections::HashMap<(usize, PolicyType), ParsedPolicy>;

struct Builder<'a, 'p> {
    parsed: Option<&'p mut ParsedDocuments>,
    /// Whether the document being added is shared by several principals
    /// (a managed policy, a group's inline policy): only those are kept in
    /// `parsed`, the others would only fill memory.
    shared: bool,
    account: &'a Account,
    policies: Vec<ScenarioPolicy>,
    names: HashSet<String>,
    missing: Vec<MissingPolicy>,
    diagnostics: Vec<ImportDiagnostic>,
}

impl Builder<'_, '_> {
    /// A name no other policy of the scenario has.
    fn unique(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_owned();
        let mut n = 1;
        while self.names.contains(&name) {
            n += 1;
            name = format!("{wanted} ({n})");
        }
        self.names.insert(name.clone());
        name
    }

    fn document(
        &mut self,
        name: &str,
        policy_type: PolicyType,
        document: &Document,
        origin: String,
    ) -> Option<&mut ScenarioPolicy> {
        let name = self.unique(name);
        let cache = self.parsed.as_deref_mut().filter(|_| self.shared);
        let policy = match cache {
            Some(cache) => {
                let key = (std::ptr::from_ref(document) as usize, policy_type);
                let parsed = cache
                    .entry(key)
                    .or_insert_with(|| parse_policy(&document.text, policy_type))
                    .clone();
                ScenarioPolicy {
                    name,
                    policy_type,
                    level: None,
                    account: None,
                    enabled: true,
                    origin: None,
                    text: document.text.clone(),
                    text_offset: None,
                    parsed,
                }
            }
            None => ScenarioPolicy::new(name, policy_type, document.text.as_str()),
        }
        .with_origin(origin);
        for d in policy.parsed.diagnostics.iter().filter(|d| d.is_error()) {
            let mut at = document.at.clone();
            if let Some(removed) = document.dedent {
                at.column = if d.line <= 1 {
                    at.column.saturating_add(d.column).saturating_sub(1)
                } else {
                    d.column.saturating_add(removed)
                };
                at.line = at.line.saturating_add(d.line).saturating_sub(1);
            }
            self.diagnostics.push(ImportDiagnostic {
                at,
                diagnostic: d.clone().in_policy(&policy.name),
            });
        }
        self.policies.push(policy);
        self.policies.last_mut()
    }

    fn managed(&mut self, attachment: &Attachment, policy_type: PolicyType, origin: &str) {
        let account = self.account;
        let origin = format!("{origin} {}", attachment.name);
        match account.policy(&attachment.arn) {
            Some(policy) => match &policy.document {
                Some(document) => {
                    let version = policy
                        .default_version
                        .as_deref()
                        .map(|v| format!(", version {v}"))
                        .unwrap_or_default();
                    let origin = format!("{origin} ({}{version})", attachment.arn);
                    self.shared = true;
                    self.document(&attachment.name, policy_type, document, origin);
                    self.shared = false;
                }
                None => self.missing.push(MissingPolicy {
                    name: attachment.name.clone(),
                    arn: attachment.arn.clone(),
                    origin,
                    aws_managed: is_aws_managed(&attachment.arn),
                    reason: "the file lists the policy without its default version's document"
                        .to_owned(),
                }),
            },
            None => self.missing.push(MissingPolicy {
                name: attachment.name.clone(),
                arn: attachment.arn.clone(),
                origin,
                aws_managed: is_aws_managed(&attachment.arn),
                reason: "not in the file".to_owned(),
            }),
        }
    }

    fn group(&mut self, group: &super::Group) {
        let who = format!("group {}", group.name);
        for p in &group.inline {
            self.shared = true;
            self.document(
                &format!("{}/{}", group.name, p.name),
                PolicyType::Identity,
                &p.document,
                format!("{who}, inline policy {}", p.name),
            );
            self.shared = false;
        }
        for a in &group.attached {
            self.managed(
                a,
                PolicyType::Identity,
                &format!("{who}, attached managed policy"),
            );
        }
    }
}
