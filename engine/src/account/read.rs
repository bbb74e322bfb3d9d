//! Reading `get-account-authorization-details` files with the spanned JSON
//! reader, so every problem has a file, a JSON path and a line and column.

use std::collections::HashMap;

use super::decode::{dedent, percent_decode};
use super::{
    Account, AccountRead, Attachment, Document, Group, ImportDiagnostic, InlinePolicy, Location,
    ManagedPolicy, Role, User,
};
use crate::diagnostics::Diagnostic;
use crate::json::{parse_json, Json, JsonValue};
use crate::source::Span;

/// Reads the files (`name`, `text`), in order, into one account. Entities
/// that appear in several files (the same file given twice) are kept once.
pub fn read_account<N: AsRef<str>, T: AsRef<str>>(files: &[(N, T)]) -> AccountRead {
    let mut reader = AccountReader::new(
        files
            .iter()
            .map(|(n, t)| (n.as_ref().to_owned(), t.as_ref().to_owned()))
            .collect(),
    );
    while !reader.step(usize::MAX) {}
    reader.finish()
}

/// ARNs already read (a map, not a set: the account's indexes use the same
/// map type, so the web app's module carries its code once).
type Seen = HashMap<String, usize>;

/// The path segment `[i]`.
fn index(i: usize) -> String {
    let mut s = String::from("[");
    s.push_str(&i.to_string());
    s.push(']');
    s
}

/// The path segment `.key`.
fn dot(key: &str) -> String {
    let mut s = String::from(".");
    s.push_str(key);
    s
}

/// Whether `arn` is new (and remembers it).
fn first_time(seen: &mut Seen, arn: &str) -> bool {
    seen.insert(arn.to_owned(), 0).is_none()
}

/// The lists of the response, in the order an element is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Users,
    Groups,
    Roles,
    Policies,
}

impl List {
    fn of(key: &str) -> Option<List> {
        Some(match key {
            "UserDetailList" => List::Users,
            "GroupDetailList" => List::Groups,
            "RoleDetailList" => List::Roles,
            "Policies" => List::Policies,
            _ => return None,
        })
    }

    fn key(self) -> &'static str {
        match self {
            List::Users => "UserDetailList",
            List::Groups => "GroupDetailList",
            List::Roles => "RoleDetailList",
            List::Policies => "Policies",
        }
    }
}

/// Where the reader is in the current file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before the opening `{`.
    Start,
    /// Between members of the top-level object.
    Members,
    /// Inside one of the lists, before element `index`.
    Elements(List, usize),
    /// The file is done (read, or abandoned after an error).
    Done,
}

/// Reads account files a piece at a time, so a page can show progress and
/// stay responsive (and cancel by dropping the reader): the top-level lists
/// are split into their elements with a byte scan, and each element is
/// parsed with the spanned JSON reader on its own. Where the scan cannot
/// follow the text, the whole file goes through the JSON reader, which
/// reports the syntax error exactly.
#[derive(Debug)]
pub struct AccountReader {
    files: Vec<(String, String)>,
    file: usize,
    pos: usize,
    phase: Phase,
    /// Line starts of the current file, up to `indexed` (extended as the
    /// scan advances, so no slice scans the whole file at once).
    lines: Vec<usize>,
    indexed: usize,
    saw_list: bool,
    /// Just after a value (a `,` or the closing bracket must follow).
    after_value: bool,
    /// Just after a `,` (a value must follow).
    after_comma: bool,
    first_key: Option<String>,
    done_bytes: usize,
    total_bytes: usize,
    account: Account,
    diagnostics: Vec<ImportDiagnostic>,
    seen: Seen,
}

/// Extends `lines` (the starts of the lines of `text` before `indexed`) up
/// to byte `upto`.
fn index_lines(lines: &mut Vec<usize>, indexed: &mut usize, text: &str, upto: usize) {
    let upto = upto.min(text.len());
    if let Some(bytes) = text.as_bytes().get(*indexed..upto) {
        let from = *indexed;
        lines.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| from + i + 1),
        );
        *indexed = upto;
    }
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        pos += 1;
    }
    pos
}

/// The end of the string starting at `pos` (its opening quote).
fn skip_string(bytes: &[u8], pos: usize) -> Option<usize> {
    let mut i = pos + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// The end of the JSON value starting at `pos`, by counting brackets
/// outside strings; `None` when the text ends first or is not a value.
fn skip_value(bytes: &[u8], pos: usize) -> Option<usize> {
    match bytes.get(pos)? {
        b'"' => skip_string(bytes, pos),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = pos;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = skip_string(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = pos;
            while let Some(b) = bytes.get(i) {
                if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                i += 1;
            }
            (i > pos).then_some(i)
        }
    }
}

impl AccountReader {
    /// A reader of `files` (`name`, `text`), read in order.
    pub fn new(files: Vec<(String, String)>) -> Self {
        let total_bytes = files.iter().map(|(_, t)| t.len()).sum();
        let mut reader = AccountReader {
            files,
            file: 0,
            pos: 0,
            phase: Phase::Start,
            lines: Vec::new(),
            indexed: 0,
            saw_list: false,
            after_value: false,
            after_comma: false,
            first_key: None,
            done_bytes: 0,
            total_bytes,
            account: Account::default(),
            diagnostics: Vec::new(),
            seen: HashMap::new(),
        };
        reader.open();
        reader
    }

    fn open(&mut self) {
        self.pos = 0;
        self.phase = Phase::Start;
        self.saw_list = false;
        self.after_value = false;
        self.after_comma = false;
        self.first_key = None;
        self.lines = vec![0];
        self.indexed = 0;
        if let Some((name, _)) = self.files.get(self.file) {
            self.account.files.push(name.clone());
        }
    }

    /// Bytes read so far and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.done_bytes + self.pos, self.total_bytes)
    }

    /// Reads about `budget` bytes more; `true` when every file is read.
    pub fn step(&mut self, budget: usize) -> bool {
        let start = self.done_bytes + self.pos;
        while self.file < self.files.len() {
            if self.done_bytes + self.pos >= start.saturating_add(budget) {
                return false;
            }
            if self.phase == Phase::Done {
                self.done_bytes += self.files.get(self.file).map_or(0, |(_, t)| t.len());
                self.file += 1;
                self.open();
                continue;
            }
            self.advance();
        }
        self.pos = 0;
        true
    }

    /// The account and every diagnostic.
    pub fn finish(mut self) -> AccountRead {
        while !self.step(usize::MAX) {}
        self.account.index();
        AccountRead {
            account: self.account,
            diagnostics: self.diagnostics,
        }
    }

    fn reader<'a>(
        &'a mut self,
        base: usize,
        path: String,
    ) -> Option<(FileReader<'a>, &'a mut Account, &'a mut Seen)> {
        let (name, text) = self.files.get(self.file)?;
        index_lines(&mut self.lines, &mut self.indexed, text, text.len());
        Some((
            FileReader {
                file: name,
                text,
                base,
                lines: &self.lines,
                path,
                out: &mut self.diagnostics,
            },
            &mut self.account,
            &mut self.seen,
        ))
    }

    /// The scan lost its way at the current position: read the whole file
    /// with the JSON reader, which names the exact syntax error (the scan
    /// follows every well-formed object, so valid JSON here is not one).
    fn fallback(&mut self) {
        self.phase = Phase::Done;
        let Some((mut r, account, seen)) = self.reader(0, String::from("$")) else {
            return;
        };
        let _ = (account, seen);
        match parse_json(r.text) {
            // The scan follows every JSON object, so valid JSON here is
            // something else than an object.
            Ok(json) => r.push(
                Diagnostic::error(
                    "not-account-details",
                    format!("the file holds {}, not the output of `aws iam get-account-authorization-details`", json.type_name()),
                    json.span,
                )
                .with_help("export the account with `aws iam get-account-authorization-details > details.json`"),
            ),
            Err(e) => {
                let mut d = Diagnostic::error("json-syntax", e.message, e.span);
                d.help = e.help;
                r.push(d);
            }
        }
        self.pos = self.files.get(self.file).map_or(0, |(_, t)| t.len());
    }

    /// One move of the scan: past the opening brace, one member, or one
    /// list element.
    fn advance(&mut self) {
        let Some((_, text)) = self.files.get(self.file) else {
            self.phase = Phase::Done;
            return;
        };
        let bytes = text.as_bytes();
        let at = skip_ws(bytes, self.pos);
        match self.phase {
            Phase::Done => {}
            Phase::Start => {
                if bytes.get(at) == Some(&b'{') {
                    self.pos = at + 1;
                    self.phase = Phase::Members;
                } else {
                    self.fallback();
                }
            }
            Phase::Members => match bytes.get(at) {
                Some(b'}') if !self.after_comma => {
                    if skip_ws(bytes, at + 1) != bytes.len() {
                        return self.fallback();
                    }
                    self.pos = bytes.len();
                    self.phase = Phase::Done;
                    if !self.saw_list {
                        self.not_account_details();
                    }
                }
                Some(b',') if self.after_value => {
                    self.pos = at + 1;
                    self.after_value = false;
                    self.after_comma = true;
                }
                Some(b'"') if !self.after_value => {
                    self.after_comma = false;
                    self.after_value = true;
                    self.member(at);
                }
                _ => self.fallback(),
            },
            Phase::Elements(list, index) => match bytes.get(at) {
                Some(b']') if !self.after_comma => {
                    self.pos = at + 1;
                    self.phase = Phase::Members;
                    self.after_value = true;
                }
                Some(b',') if self.after_value => {
                    self.pos = at + 1;
                    self.after_value = false;
                    self.after_comma = true;
                }
                Some(_) if !self.after_value => match skip_value(bytes, at) {
                    Some(end) => {
                        self.after_comma = false;
                        self.after_value = true;
                        self.element(list, index, at, end);
                        if self.phase == Phase::Elements(list, index) {
                            self.phase = Phase::Elements(list, index + 1);
                            self.pos = end;
                        }
                    }
                    None => self.fallback(),
                },
                _ => self.fallback(),
            },
        }
    }

    /// A top-level member starting at `at` (its key's quote).
    fn member(&mut self, at: usize) {
        let files = std::mem::take(&mut self.files);
        let outcome = match files.get(self.file) {
            Some((name, text)) => self.member_in(name, text, at),
            None => Some(at),
        };
        self.files = files;
        match outcome {
            Some(end) => self.pos = end,
            None => self.fallback(),
        }
    }

    /// Reads the member at `at` of `text`; the end of what was read, or
    /// `None` when the scan must fall back.
    fn member_in(&mut self, name: &str, text: &str, at: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let key_end = skip_string(bytes, at)?;
        let JsonValue::String(key) = parse_json(text.get(at..key_end)?).ok()?.value else {
            return None;
        };
        let key = key.into_owned();
        let colon = skip_ws(bytes, key_end);
        if bytes.get(colon) != Some(&b':') {
            return None;
        }
        let value = skip_ws(bytes, colon + 1);
        if self.first_key.is_none() {
            self.first_key = Some(key.clone());
        }
        if let (Some(list), Some(b'[')) = (List::of(&key), bytes.get(value)) {
            self.saw_list = true;
            self.phase = Phase::Elements(list, 0);
            self.after_value = false;
            return Some(value + 1);
        }
        let end = skip_value(bytes, value)?;
        let json = parse_json(text.get(value..end)?).ok()?;
        index_lines(&mut self.lines, &mut self.indexed, text, end);
        let mut r = FileReader {
            file: name,
            text,
            base: value,
            lines: &self.lines,
            path: String::from("$"),
            out: &mut self.diagnostics,
        };
        if let Some(list) = List::of(&key) {
            // A list that is not an array: reported as the tree reader does.
            self.saw_list = true;
            let (account, seen) = (&mut self.account, &mut self.seen);
            r.list(&json, list.key(), |r, item| {
                r.entity_of(list, item, account, seen)
            });
        } else if key == "IsTruncated" && matches!(json.value, JsonValue::Bool(true)) {
            r.base = 0;
            r.truncated(Span::new(at, key_end));
        }
        Some(end)
    }

    /// Element `index` of `list`, the text `at..end`.
    fn element(&mut self, list: List, index: usize, at: usize, end: usize) {
        let files = std::mem::take(&mut self.files);
        let parsed = files.get(self.file).and_then(|(name, text)| {
            let json = parse_json(text.get(at..end)?).ok()?;
            index_lines(&mut self.lines, &mut self.indexed, text, end);
            let mut r = FileReader {
                file: name,
                text,
                base: at,
                lines: &self.lines,
                path: format!("$.{}[{index}]", list.key()),
                out: &mut self.diagnostics,
            };
            r.entity_of(list, &json, &mut self.account, &mut self.seen);
            Some(())
        });
        self.files = files;
        if parsed.is_none() {
            self.fallback();
        }
    }

    fn not_account_details(&mut self) {
        let first = self.first_key.clone();
        if let Some((mut r, _, _)) = self.reader(0, String::from("$")) {
            r.not_account_details(first.as_deref(), Span::new(0, 1));
        }
    }
}

struct FileReader<'a> {
    file: &'a str,
    text: &'a str,
    /// Where the JSON being read starts in the file: its spans are relative.
    base: usize,
    lines: &'a [usize],
    path: String,
    out: &'a mut Vec<ImportDiagnostic>,
}

impl FileReader<'_> {
    /// Line and column of byte `offset` of the file.
    fn line_col(&self, offset: usize) -> (u32, u32) {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.lines.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.lines.get(line).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (
            u32::try_from(line + 1).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    }

    /// `span` (relative to the JSON being read) in the file.
    fn absolute(&self, span: Span) -> Span {
        Span::new(
            span.start as usize + self.base,
            span.end as usize + self.base,
        )
    }

    fn location(&self, span: Span) -> Location {
        let (line, column) = self.line_col(self.absolute(span).start as usize);
        Location {
            file: self.file.to_owned(),
            path: self.path.clone(),
            line,
            column,
        }
    }

    fn push(&mut self, mut diagnostic: Diagnostic) {
        let at = self.location(diagnostic.span);
        diagnostic.span = self.absolute(diagnostic.span);
        diagnostic.line = at.line;
        diagnostic.column = at.column;
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

    fn not_account_details(&mut self, first_key: Option<&str>, span: Span) {
        let help = match first_key {
            Some("Statement" | "Version") => {
                "this looks like a single policy: import it as a policy, not as account details"
            }
            Some("policies" | "request") => "this looks like a scenario: import it as a scenario",
            _ => {
                "export the account with `aws iam get-account-authorization-details > details.json`"
            }
        };
        self.push(
            Diagnostic::error(
                "not-account-details",
                "the file has none of `UserDetailList`, `GroupDetailList`, `RoleDetailList` and `Policies`",
                span,
            )
            .with_help(help),
        );
    }

    fn truncated(&mut self, key_span: Span) {
        let d = Diagnostic::warning(
            "truncated-page",
            "this page says `IsTruncated`: the account continues in another page",
            key_span,
        )
        .with_help("give every page of the export (or export with the AWS CLI, which follows `Marker` itself)");
        self.within(".IsTruncated", |r| r.push(d));
    }

    fn entity_of(&mut self, list: List, item: &Json<'_>, account: &mut Account, seen: &mut Seen) {
        match list {
            List::Users => {
                if let Some(u) = self.user(item) {
                    if first_time(seen, &u.arn) {
                        account.users.push(u);
                    }
                }
            }
            List::Groups => {
                if let Some(g) = self.group(item) {
                    if first_time(seen, &g.arn) {
                        account.groups.push(g);
                    }
                }
            }
            List::Roles => {
                if let Some(role) = self.role(item) {
                    if first_time(seen, &role.arn) {
                        account.roles.push(role);
                    }
                }
            }
            List::Policies => {
                if let Some(p) = self.managed_policy(item) {
                    if first_time(seen, &p.arn) {
                        account.policies.push(p);
                    }
                }
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
        self.within(&dot(name), |r| {
            let JsonValue::Array(items) = &value.value else {
                r.type_error(value, &format!("`{name}`"), "an array");
                return;
            };
            for (i, item) in items.iter().enumerate() {
                r.within(&index(i), |r| each(r, item));
            }
        });
    }

    /// The string member `key` of `object`; `None` (and an error when
    /// `required`) when absent or not a string.
    fn string(
        &mut self,
        object: &Json<'_>,
        key: &str,
        what: &str,
        required: bool,
    ) -> Option<String> {
        match object.get(key) {
            Some(value) => match value.as_str() {
                Some(s) => Some(s.to_owned()),
                None => {
                    self.within(&dot(key), |r| {
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
                        .with_help(format!(
                            "every entry of this list has `{key}`; was the file edited by hand?"
                        )),
                    );
                }
                None
            }
        }
    }

    fn entity<'j>(
        &mut self,
        item: &'j Json<'j>,
        what: &str,
        name_key: &str,
    ) -> Option<(String, String, String)> {
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
        let trust = item
            .get("AssumeRolePolicyDocument")
            .and_then(|d| self.within(".AssumeRolePolicyDocument", |r| r.document(d)));
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
            matches!(
                v.get("IsDefaultVersion").map(|b| &b.value),
                Some(JsonValue::Bool(true))
            ) || (default_version.is_some()
                && v.get("VersionId").and_then(Json::as_str) == default_version.as_deref())
        };
        let chosen = versions.iter().enumerate().find(|(_, v)| is_default(v));
        let document = match chosen {
            Some((i, version)) => self.within(
                &(String::from(".PolicyVersionList") + &index(i)),
                |r| match version.get("Document") {
                    Some(d) => r.within(".Document", |r| r.document(d)),
                    None => {
                        r.push(Diagnostic::error(
                            "account-missing-field",
                            format!("the default version of `{name}` has no `Document`"),
                            Span::new(version.span.start as usize, version.span.start as usize + 1),
                        ));
                        None
                    }
                },
            ),
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
                let (text, removed) = dedent(self.absolute(value.span).slice(self.text));
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
                            let span = if self.absolute(value.span).slice(self.text).len()
                                == s.len() + 2
                            {
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
                self.type_error(
                    value,
                    "a policy document",
                    "an object or its URL-encoded text",
                );
                None
            }
        }
    }

    fn inline_policies(&mut self, item: &Json<'_>, key: &str) -> Vec<InlinePolicy> {
        let Some(list) = item.get(key) else {
            return Vec::new();
        };
        self.within(&dot(key), |r| {
            let JsonValue::Array(items) = &list.value else {
                r.type_error(list, &format!("`{key}`"), "an array");
                return Vec::new();
            };
            let mut out = Vec::with_capacity(items.len());
            for (i, p) in items.iter().enumerate() {
                r.within(&index(i), |r| {
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
                r.within(&index(i), |r| {
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
            self.within(&dot(key), |r| {
                r.type_error(list, &format!("`{key}`"), "an array of names");
            });
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, v) in items.iter().enumerate() {
            match v.as_str() {
                Some(s) => out.push(s.to_owned()),
                None => self.within(&(dot(key) + &index(i)), |r| {
                    r.type_error(v, "a name", "a string")
                }),
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
                r.within(&index(i), |r| {
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
