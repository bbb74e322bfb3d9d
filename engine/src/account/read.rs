//! Reading `get-account-authorization-details` files with the spanned JSON
//! reader, so every problem has a file, a JSON path and a line and column.

use std::collections::HashSet;

use super::decode::{dedent, percent_decode};
use super::{
    Account, AccountRead, Attachment, Document, Group, ImportDiagnostic, InlinePolicy, Location,
    ManagedPolicy, Role, User,
};
use crate::diagnostics::Diagnostic;
use crate::json::{parse_json, Json, JsonValue};
use crate::source::{SourceText, Span};

/// The top-level lists of the response.
const LISTS: &[&str] = &[
    "UserDetailList",
    "GroupDetailList",
    "RoleDetailList",
    "Policies",
];

/// Reads the files (`name`, `text`), in order, into one account. Entities
/// that appear in several files (the same file given twice) are kept once.
pub fn read_account<N: AsRef<str>, T: AsRef<str>>(files: &[(N, T)]) -> AccountRead {
    let mut account = Account::default();
    let mut diagnostics = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for (name, text) in files {
        let name = name.as_ref();
        account.files.push(name.to_owned());
        let mut reader = FileReader {
            file: name,
            text: text.as_ref(),
            source: SourceText::new(text.as_ref()),
            path: String::from("$"),
            out: &mut diagnostics,
        };
        reader.read(&mut account, &mut seen);
    }
    account.index();
    AccountRead {
        account,
        diagnostics,
    }
}

struct FileReader<'a, 'o> {
    file: &'a str,
    text: &'a str,
    source: SourceText<'a>,
    path: String,
    out: &'o mut Vec<ImportDiagnostic>,
}

impl FileReader<'_, '_> {
    fn location(&self, span: Span) -> Location {
        let at = self.source.line_col(span.start);
        Location {
            file: self.file.to_owned(),
            path: self.path.clone(),
            line: at.line,
            column: at.column,
        }
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        let at = self.location(diagnostic.span);
        let diagnostic = diagnostic.locate(&self.source);
        self.out.push(ImportDiagnostic { at, diagnostic });
    }

    /// Runs `f` with `segment` appended to the JSON path.
    fn within<R>(&mut self, segment: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.path.len();
        self.path.push_str(segment);
        let result = f(self);
        self.path.truncate(len);
        result
    }

    fn type_error(&mut self, value: &Json<'_>, what: &str, expected: &str) {
        self.push(Diagnostic::error(
            "account-type",
            format!("{what} is {}, not {expected}", value.type_name()),
            value.span,
        ));
    }

    fn read(&mut self, account: &mut Account, seen: &mut HashSet<String>) {
        let text = self.text;
        let json = match parse_json(text) {
            Ok(json) => json,
            Err(e) => {
                let mut d = Diagnostic::error("json-syntax", e.message, e.span);
                d.help = e.help;
                self.push(d);
                return;
            }
        };
        let Some(members) = json.as_object() else {
            self.push(
                Diagnostic::error(
                    "not-account-details",
                    format!("the file holds {}, not the output of `aws iam get-account-authorization-details`", json.type_name()),
                    json.span,
                )
                .with_help("export the account with `aws iam get-account-authorization-details > details.json`"),
            );
            return;
        };
        if !members.iter().any(|m| LISTS.contains(&&*m.key)) {
            let help = if members.iter().any(|m| m.key == "Statement") {
                "this looks like a single policy: import it as a policy, not as account details"
            } else if members.iter().any(|m| m.key == "policies") {
                "this looks like a scenario: import it as a scenario"
            } else {
                "export the account with `aws iam get-account-authorization-details > details.json`"
            };
            self.push(
                Diagnostic::error(
                    "not-account-details",
                    "the file has none of `UserDetailList`, `GroupDetailList`, `RoleDetailList` and `Policies`",
                    Span::new(json.span.start as usize, json.span.start as usize + 1),
                )
                .with_help(help),
            );
            return;
        }
        for m in members {
            match &*m.key {
                "UserDetailList" => self.list(&m.value, "UserDetailList", |r, item| {
                    if let Some(u) = r.user(item) {
                        if seen.insert(u.arn.clone()) {
                            account.users.push(u);
                        }
                    }
                }),
                "GroupDetailList" => self.list(&m.value, "GroupDetailList", |r, item| {
                    if let Some(g) = r.group(item) {
                        if seen.insert(g.arn.clone()) {
                            account.groups.push(g);
                        }
                    }
                }),
                "RoleDetailList" => self.list(&m.value, "RoleDetailList", |r, item| {
                    if let Some(role) = r.role(item) {
                        if seen.insert(role.arn.clone()) {
                            account.roles.push(role);
                        }
                    }
                }),
                "Policies" => self.list(&m.value, "Policies", |r, item| {
                    if let Some(p) = r.managed_policy(item) {
                        if seen.insert(p.arn.clone()) {
                            account.policies.push(p);
                        }
                    }
                }),
                "IsTruncated" if matches!(m.value.value, JsonValue::Bool(true)) => {
                    let d = Diagnostic::warning(
                        "truncated-page",
                        "this page says `IsTruncated`: the account continues in another page",
                        m.key_span,
                    )
                    .with_help("give every page of the export (or export with the AWS CLI, which follows `Marker` itself)");
                    self.within(".IsTruncated", |r| r.push(d));
                }
                _ => {}
            }
        }
    }

    /// Calls `each` for every element of the array `value` (the list `name`).
    fn list<'j>(
        &mut self,
        value: &'j Json<'j>,
        name: &str,
        mut each: impl FnMut(&mut Self, &'j Json<'j>),
    ) {
        self.within(&format!(".{name}"), |r| {
            let JsonValue::Array(items) = &value.value else {
                r.type_error(value, &format!("`{name}`"), "an array");
                return;
            };
            for (i, item) in items.iter().enumerate() {
                r.within(&format!("[{i}]"), |r| each(r, item));
            }
        });
    }

    /// The string member `key` of `object`; `None` (and an error when
    /// `required`) when absent or not a string.
    fn string(&mut self, object: &Json<'_>, key: &str, what: &str, required: bool) -> Option<String> {
        match object.get(key) {
            Some(value) => match value.as_str() {
                Some(s) => Some(s.to_owned()),
                None => {
                    self.within(&format!(".{key}"), |r| {
                        r.type_error(value, &format!("`{key}`"), "a string");
                    });
                    None
                }
            },
            None => {
                if required {
                    self.push(
                        Diagnostic::error(
                            "account-missing-field",
                            format!("{what} has no `{key}`"),
                            Span::new(object.span.start as usize, object.span.start as usize + 1),
                        )
                        .with_help(format!("every entry of this list has `{key}`; was the file edited by hand?")),
                    );
                }
                None
            }
        }
    }

    fn entity<'j>(&mut self, item: &'j Json<'j>, what: &str, name_key: &str) -> Option<(String, String, String)> {
        if item.as_object().is_none() {
            self.type_error(item, what, "an object");
            return None;
        }
        let arn = self.string(item, "Arn", what, true)?;
        let name = self
            .string(item, name_key, what, false)
            .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(&arn).to_owned());
        let path = self
            .string(item, "Path", what, false)
            .unwrap_or_else(|| "/".to_owned());
        Some((name, path, arn))
    }

    fn user(&mut self, item: &Json<'_>) -> Option<User> {
        let (name, path, arn) = self.entity(item, "a user", "UserName")?;
        Some(User {
            inline: self.inline_policies(item, "UserPolicyList"),
            attached: self.attachments(item),
            groups: self.strings(item, "GroupList"),
            boundary: self.boundary(item),
            tags: self.tags(item),
            name,
            path,
            arn,
        })
    }

    fn group(&mut self, item: &Json<'_>) -> Option<Group> {
        let (name, path, arn) = self.entity(item, "a group", "GroupName")?;
        Some(Group {
            inline: self.inline_policies(item, "GroupPolicyList"),
            attached: self.attachments(item),
            name,
            path,
            arn,
        })
    }

    fn role(&mut self, item: &Json<'_>) -> Option<Role> {
        let (name, path, arn) = self.entity(item, "a role", "RoleName")?;
        let trust = item.get("AssumeRolePolicyDocument").and_then(|d| {
            self.within(".AssumeRolePolicyDocument", |r| r.document(d))
        });
        let instance_profiles = match item.get("InstanceProfileList") {
            Some(Json {
                value: JsonValue::Array(items),
                ..
            }) => items
                .iter()
                .filter_map(|p| p.get("InstanceProfileName").and_then(Json::as_str))
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        };
        let last_used = item
            .get("RoleLastUsed")
            .and_then(|u| u.get("LastUsedDate"))
            .and_then(Json::as_str)
            .map(str::to_owned);
        Some(Role {
            trust,
            inline: self.inline_policies(item, "RolePolicyList"),
            attached: self.attachments(item),
            boundary: self.boundary(item),
            tags: self.tags(item),
            instance_profiles,
            last_used,
            name,
            path,
            arn,
        })
    }

    fn managed_policy(&mut self, item: &Json<'_>) -> Option<ManagedPolicy> {
        let (name, path, arn) = self.entity(item, "a managed policy", "PolicyName")?;
        let default_version = self.string(item, "DefaultVersionId", "a managed policy", false);
        let Some(list) = item.get("PolicyVersionList") else {
            return Some(ManagedPolicy {
                name,
                path,
                arn,
                default_version,
                document: None,
                versions: 0,
            });
        };
        let JsonValue::Array(versions) = &list.value else {
            self.within(".PolicyVersionList", |r| {
                r.type_error(list, "`PolicyVersionList`", "an array");
            });
            return None;
        };
        let is_default = |v: &Json<'_>| {
            matches!(v.get("IsDefaultVersion").map(|b| &b.value), Some(JsonValue::Bool(true)))
                || (default_version.is_some()
                    && v.get("VersionId").and_then(Json::as_str) == default_version.as_deref())
        };
        let chosen = versions
            .iter()
            .enumerate()
            .find(|(_, v)| is_default(v));
        let document = match chosen {
            Some((i, version)) => self.within(&format!(".PolicyVersionList[{i}]"), |r| {
                match version.get("Document") {
                    Some(d) => r.within(".Document", |r| r.document(d)),
                    None => {
                        r.push(Diagnostic::error(
                            "account-missing-field",
                            format!("the default version of `{name}` has no `Document`"),
                            Span::new(version.span.start as usize, version.span.start as usize + 1),
                        ));
                        None
                    }
                }
            }),
            None if !versions.is_empty() => {
                self.within(".PolicyVersionList", |r| {
                    r.push(
                        Diagnostic::warning(
                            "no-default-version",
                            format!("no version of `{name}` is marked `IsDefaultVersion`"),
                            list.span,
                        )
                        .with_help("the policy is treated as missing; AWS evaluates only the default version"),
                    );
                });
                None
            }
            None => None,
        };
        Some(ManagedPolicy {
            name,
            path,
            arn,
            default_version,
            document,
            versions: versions.len(),
        })
    }

    /// A policy document: an object, or its text (URL-encoded or not).
    fn document(&mut self, value: &Json<'_>) -> Option<Document> {
        let at = self.location(value.span);
        match &value.value {
            JsonValue::Object(_) => {
                let (text, removed) = dedent(value.span.slice(self.text));
                Some(Document {
                    text,
                    at,
                    dedent: Some(removed),
                })
            }
            JsonValue::String(s) => {
                let trimmed = s.trim_start();
                let text = if trimmed.starts_with('{') {
                    s.to_string()
                } else {
                    match percent_decode(s) {
                        Ok(text) => text,
                        Err(e) => {
                            // Point at the string when escapes make offsets differ.
                            let span = if value.span.slice(self.text).len() == s.len() + 2 {
                                let start = value.span.start as usize + 1 + e.at;
                                Span::new(start, start + 1)
                            } else {
                                value.span
                            };
                            self.push(
                                Diagnostic::error(
                                    "bad-url-encoding",
                                    format!("the policy document cannot be URL-decoded: {}", e.message),
                                    span,
                                )
                                .with_help("a document is a JSON object or its URL-encoded text, as `get-account-authorization-details` returns it"),
                            );
                            return None;
                        }
                    }
                };
                Some(Document {
                    text,
                    at,
                    dedent: None,
                })
            }
            _ => {
                self.type_error(value, "a policy document", "an object or its URL-encoded text");
                None
            }
        }
    }

    fn inline_policies(&mut self, item: &Json<'_>, key: &str) -> Vec<InlinePolicy> {
        let Some(list) = item.get(key) else {
            return Vec::new();
        };
        self.within(&format!(".{key}"), |r| {
            let JsonValue::Array(items) = &list.value else {
                r.type_error(list, &format!("`{key}`"), "an array");
                return Vec::new();
            };
            let mut out = Vec::with_capacity(items.len());
            for (i, p) in items.iter().enumerate() {
                r.within(&format!("[{i}]"), |r| {
                    if p.as_object().is_none() {
                        r.type_error(p, "an inline policy", "an object");
                        return;
                    }
                    let Some(name) = r.string(p, "PolicyName", "an inline policy", true) else {
                        return;
                    };
                    let Some(d) = p.get("PolicyDocument") else {
                        r.push(Diagnostic::error(
                            "account-missing-field",
                            format!("the inline policy `{name}` has no `PolicyDocument`"),
                            Span::new(p.span.start as usize, p.span.start as usize + 1),
                        ));
                        return;
                    };
                    if let Some(document) = r.within(".PolicyDocument", |r| r.document(d)) {
                        out.push(InlinePolicy { name, document });
                    }
                });
            }
            out
        })
    }

    fn attachments(&mut self, item: &Json<'_>) -> Vec<Attachment> {
        let Some(list) = item.get("AttachedManagedPolicies") else {
            return Vec::new();
        };
        self.within(".AttachedManagedPolicies", |r| {
            let JsonValue::Array(items) = &list.value else {
                r.type_error(list, "`AttachedManagedPolicies`", "an array");
                return Vec::new();
            };
            let mut out = Vec::with_capacity(items.len());
            for (i, a) in items.iter().enumerate() {
                r.within(&format!("[{i}]"), |r| {
                    if a.as_object().is_none() {
                        r.type_error(a, "an attached policy", "an object");
                        return;
                    }
                    if let Some(arn) = r.string(a, "PolicyArn", "an attached policy", true) {
                        let name = r
                            .string(a, "PolicyName", "an attached policy", false)
                            .unwrap_or_else(|| arn.rsplit('/').next().unwrap_or(&arn).to_owned());
                        out.push(Attachment { name, arn });
                    }
                });
            }
            out
        })
    }

    fn boundary(&mut self, item: &Json<'_>) -> Option<Attachment> {
        let b = item.get("PermissionsBoundary")?;
        self.within(".PermissionsBoundary", |r| {
            if b.as_object().is_none() {
                r.type_error(b, "`PermissionsBoundary`", "an object");
                return None;
            }
            let arn = r.string(b, "PermissionsBoundaryArn", "`PermissionsBoundary`", true)?;
            let name = arn.rsplit('/').next().unwrap_or(&arn).to_owned();
            Some(Attachment { name, arn })
        })
    }

    fn strings(&mut self, item: &Json<'_>, key: &str) -> Vec<String> {
        let Some(list) = item.get(key) else {
            return Vec::new();
        };
        let JsonValue::Array(items) = &list.value else {
            self.within(&format!(".{key}"), |r| {
                r.type_error(list, &format!("`{key}`"), "an array of names");
            });
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            match v.as_str() {
                Some(s) => out.push(s.to_owned()),
                None => self.within(&format!(".{key}[{i}]"), |r| r.type_error(v, "a name", "a string")),
            }
        }
        out
    }

    fn tags(&mut self, item: &Json<'_>) -> Vec<(String, String)> {
        let Some(list) = item.get("Tags") else {
            return Vec::new();
        };
        self.within(".Tags", |r| {
            let JsonValue::Array(items) = &list.value else {
                r.type_error(list, "`Tags`", "an array of {\"Key\": …, \"Value\": …}");
                return Vec::new();
            };
            let mut out: Vec<(String, String)> = Vec::with_capacity(items.len());
            for (i, t) in items.iter().enumerate() {
                r.within(&format!("[{i}]"), |r| {
                    if t.as_object().is_none() {
                        r.type_error(t, "a tag", "an object");
                        return;
                    }
                    let key = r.string(t, "Key", "a tag", true);
                    let value = r.string(t, "Value", "a tag", false).unwrap_or_default();
                    if let Some(key) = key {
                        if !out.iter().any(|(k, _)| k.eq_ignore_ascii_case(&key)) {
                            out.push((key, value));
                        }
                    }
                });
            }
            out
        })
    }
}
