//! What the editor offers at the caret, from the service catalogue:
//! service prefixes and then actions inside an `Action`/`NotAction` string,
//! and condition keys (those of the statement's actions, then the global
//! ones) for a key inside a `Condition` operator's block. Also what to show
//! about the action under the caret or the mouse.
//!
//! It reads the JSON with the highlighter's tolerant tokenizer, so it works
//! on the half-typed text of an editor.

use iam_engine::catalog::{AccessLevel, Catalog, ConditionKey};

use super::tokens::{tokenize, Token, TokenKind};

/// At most this many suggestions are listed.
pub const MAX_ITEMS: usize = 200;

/// At most this many actions of a statement (after expanding wildcards)
/// contribute condition keys.
const MAX_STATEMENT_ACTIONS: usize = 400;

/// Where the caret is, for completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteKind {
    /// In a string of an `Action` or `NotAction` value.
    Action,
    /// In a key of a condition operator's block; the statement's `Action`
    /// values.
    ConditionKey {
        /// The statement's actions, as written (wildcards included).
        actions: Vec<String>,
    },
}

/// A string the caret is in, where something can be completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// What the string is.
    pub kind: SiteKind,
    /// Byte range of the string's content (inside the quotes).
    pub start: usize,
    /// End of the content (before the closing quote, or the line end).
    pub end: usize,
    /// The content from its start to the caret.
    pub typed: String,
    /// The whole content.
    pub content: String,
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// What the list shows, such as `s3:GetObject`.
    pub label: String,
    /// The grey text beside it: an access level, a service name, a key type.
    pub detail: String,
    /// What replaces the string's content.
    pub insert: String,
    /// Whether to suggest again after inserting (a service prefix leads to
    /// its actions).
    pub continues: bool,
}

/// Suggestions for a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// Byte range the chosen item replaces.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// The suggestions, best first.
    pub items: Vec<Item>,
}

/// What the editor says about an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionInfo {
    /// `s3:GetObject`.
    pub name: String,
    /// Its access level.
    pub access_level: AccessLevel,
    /// Its resource types, `*` marking required ones (`object*`).
    pub resource_types: Vec<String>,
}

impl ActionInfo {
    /// One line: `s3:GetObject: Read; resource types: object, accesspointobject`.
    pub fn summary(&self) -> String {
        let types = if self.resource_types.is_empty() {
            "no resource types (use \"*\")".to_owned()
        } else {
            format!("resource types: {}", self.resource_types.join(", "))
        };
        format!("{}: {}; {types}", self.name, self.access_level)
    }
}

/// A container being read.
#[derive(Debug, Clone)]
struct Frame {
    object: bool,
    /// Index of the opening token.
    open: usize,
    /// In an object: the key of the current entry.
    key: Option<String>,
    /// In an object: a key is expected next.
    expecting_key: bool,
}

fn token_text<'t>(text: &'t str, token: &Token) -> &'t str {
    text.get(token.start..token.end).unwrap_or_default()
}

/// A string token's content range (without its quotes).
fn content_range(text: &str, token: &Token) -> (usize, usize) {
    let raw = token_text(text, token);
    let start = token.start + 1;
    let end = if raw.len() >= 2 && raw.ends_with('"') {
        token.end - 1
    } else {
        token.end
    };
    (start, end.max(start))
}

fn unquote(text: &str, token: &Token) -> String {
    let (start, end) = content_range(text, token);
    text.get(start..end).unwrap_or_default().to_owned()
}

fn is_string(token: &Token) -> bool {
    matches!(token.kind, TokenKind::String | TokenKind::Key)
}

/// The string values of key `key` in the object opened at token `open`
/// (a string, or the strings of an array).
fn object_values(text: &str, tokens: &[Token], open: usize, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut collecting = false;
    for token in tokens.iter().skip(open) {
        let t = token_text(text, token);
        match (token.kind, t) {
            (TokenKind::Punct, "{" | "[") => depth += 1,
            (TokenKind::Punct, "}" | "]") => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
                if depth == 1 {
                    collecting = false;
                }
            }
            (TokenKind::Punct, ",") if depth == 1 => collecting = false,
            (TokenKind::Key, _) if depth == 1 => collecting = unquote(text, token) == key,
            (TokenKind::String, _) if collecting && depth <= 2 => out.push(unquote(text, token)),
            _ => {}
        }
    }
    out
}

/// The completion site at byte offset `caret`, if the caret is in a string
/// where something can be completed.
pub fn site_at(text: &str, caret: usize) -> Option<Site> {
    let tokens = tokenize(text);
    let mut frames: Vec<Frame> = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if token.start >= caret {
            return None;
        }
        let t = token_text(text, token);
        if is_string(token) {
            let (start, end) = content_range(text, token);
            let in_key = frames.last().is_some_and(|f| f.object && f.expecting_key);
            if caret >= start && caret <= end {
                let typed = text.get(start..caret)?.to_owned();
                let content = text.get(start..end)?.to_owned();
                let kind = classify(text, &tokens, &frames, in_key)?;
                return Some(Site {
                    kind,
                    start,
                    end,
                    typed,
                    content,
                });
            }
            if in_key {
                if let Some(f) = frames.last_mut() {
                    f.key = Some(unquote(text, token));
                }
            }
            continue;
        }
        if token.kind != TokenKind::Punct {
            continue;
        }
        match t {
            "{" | "[" => frames.push(Frame {
                object: t == "{",
                open: i,
                key: None,
                expecting_key: t == "{",
            }),
            "}" | "]" => {
                frames.pop();
            }
            ":" => {
                if let Some(f) = frames.last_mut() {
                    f.expecting_key = false;
                }
            }
            "," => {
                if let Some(f) = frames.last_mut().filter(|f| f.object) {
                    f.expecting_key = true;
                    f.key = None;
                }
            }
            _ => {}
        }
    }
    None
}

/// What a string at the end of `frames` is.
fn classify(text: &str, tokens: &[Token], frames: &[Frame], in_key: bool) -> Option<SiteKind> {
    let n = frames.len();
    let top = frames.last()?;
    let is_action_key =
        |f: &Frame| f.object && matches!(f.key.as_deref(), Some("Action" | "NotAction"));
    if !in_key {
        // "Action": "…"  or  "Action": ["…"]
        if is_action_key(top)
            || (!top.object && n >= 2 && frames.get(n - 2).is_some_and(is_action_key))
        {
            return Some(SiteKind::Action);
        }
        return None;
    }
    // "Condition": { "Operator": { "…": … } }
    let operator = frames.get(n.checked_sub(2)?)?;
    let statement = frames.get(n.checked_sub(3)?)?;
    if top.object
        && operator.object
        && operator.key.is_some()
        && statement.object
        && statement.key.as_deref() == Some("Condition")
    {
        let actions = object_values(text, tokens, statement.open, "Action");
        return Some(SiteKind::ConditionKey { actions });
    }
    None
}

fn starts_with_folded(name: &str, typed: &str) -> bool {
    name.get(..typed.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(typed))
}

/// Suggestions at byte offset `caret` of `text`.
pub fn complete(catalog: &Catalog, text: &str, caret: usize) -> Option<Completion> {
    let site = site_at(text, caret)?;
    let items = match &site.kind {
        SiteKind::Action => action_items(catalog, &site.typed),
        SiteKind::ConditionKey { actions } => key_items(catalog, actions, &site.typed),
    };
    if items.is_empty() {
        return None;
    }
    Some(Completion {
        start: site.start,
        end: site.end,
        items,
    })
}

fn action_items(catalog: &Catalog, typed: &str) -> Vec<Item> {
    if typed.contains(['*', '?']) {
        return Vec::new();
    }
    match typed.split_once(':') {
        Some((prefix, partial)) => {
            let Some(service) = catalog.service(prefix) else {
                return Vec::new();
            };
            service
                .actions()
                .filter(|a| starts_with_folded(a.name(), partial))
                .take(MAX_ITEMS)
                .map(|a| Item {
                    label: a.full_name(),
                    detail: a.access_level().to_string(),
                    insert: a.full_name(),
                    continues: false,
                })
                .collect()
        }
        None => catalog
            .services()
            .filter(|s| starts_with_folded(s.prefix(), typed))
            .take(MAX_ITEMS)
            .map(|s| Item {
                label: s.prefix().to_owned(),
                detail: s.name().to_owned(),
                insert: format!("{}:", s.prefix()),
                continues: true,
            })
            .collect(),
    }
}

fn key_items(catalog: &Catalog, actions: &[String], typed: &str) -> Vec<Item> {
    let mut service_keys = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let expanded = actions
        .iter()
        .flat_map(|a| catalog.actions_matching(a))
        .take(MAX_STATEMENT_ACTIONS);
    for action in expanded {
        for key in action.applicable_condition_keys() {
            if !key.is_global() && seen.insert(key.name()) {
                service_keys.push(key);
            }
        }
    }
    service_keys.sort_by_key(|k| k.name().to_ascii_lowercase());
    let globals = catalog.global_keys();
    let item = |key: iam_engine::catalog::ConditionKey<'_>| {
        let name = key.name();
        // A template inserts its fixed part; the person types the rest.
        let insert = match name.find("${").or_else(|| name.find('<')) {
            Some(at) => name.get(..at).unwrap_or(name).to_owned(),
            None => name.to_owned(),
        };
        let scope = match (key.is_global(), key.is_documented()) {
            (_, false) => format!(", global; {UNDOCUMENTED}"),
            (true, true) => ", global".to_owned(),
            (false, true) => String::new(),
        };
        Item {
            label: name.to_owned(),
            detail: format!("{}{scope}", key.key_type()),
            insert,
            continues: false,
        }
    };
    service_keys
        .into_iter()
        .chain(globals)
        .filter(|k| starts_with_folded(k.name(), typed) || catalog_template_fits(k, typed))
        .take(MAX_ITEMS)
        .map(item)
        .collect()
}

/// Whether `typed` already goes past a template's fixed part
/// (`aws:PrincipalTag/Te` for `aws:PrincipalTag/${TagKey}`).
fn catalog_template_fits(key: &iam_engine::catalog::ConditionKey<'_>, typed: &str) -> bool {
    let name = key.name();
    match name.find("${").or_else(|| name.find('<')) {
        Some(at) => name
            .get(..at)
            .is_some_and(|fixed| typed.len() > fixed.len() && starts_with_folded(typed, fixed)),
        None => false,
    }
}

/// What the editor says of a key AWS uses but does not document
/// ([`ConditionKey::is_documented`]).
pub const UNDOCUMENTED: &str =
    "used by AWS in its managed policies, but not on AWS's global condition keys page";

/// One line about a condition key: `aws:SourceIp: IPAddress; global
/// condition key`, and for an undocumented one, [`UNDOCUMENTED`].
pub fn key_summary(key: &ConditionKey<'_>) -> String {
    let scope = if key.is_global() {
        "global condition key"
    } else {
        "condition key"
    };
    let mut line = format!("{}: {}; {scope}", key.name(), key.key_type());
    if !key.is_documented() {
        line.push_str("; ");
        line.push_str(UNDOCUMENTED);
    }
    line
}

/// One line about the known action or condition key whose string contains
/// byte `offset` (an `Action`/`NotAction` value, or a key in a condition
/// operator's block): the editor's status line and tooltip.
pub fn info_at(catalog: &Catalog, text: &str, offset: usize) -> Option<String> {
    let site = site_at(text, offset)?;
    match site.kind {
        SiteKind::Action => action_info_of(catalog, &site.content).map(|i| i.summary()),
        SiteKind::ConditionKey { .. } => catalog
            .condition_key(&site.content)
            .map(|k| key_summary(&k)),
    }
}

/// What to say about the action whose string contains byte `offset`, if it
/// is a known action in an `Action`/`NotAction` value.
pub fn action_info(catalog: &Catalog, text: &str, offset: usize) -> Option<ActionInfo> {
    let site = site_at(text, offset)?;
    if site.kind != SiteKind::Action {
        return None;
    }
    action_info_of(catalog, &site.content)
}

fn action_info_of(catalog: &Catalog, name: &str) -> Option<ActionInfo> {
    let action = catalog.action(name)?;
    Some(ActionInfo {
        name: action.full_name(),
        access_level: action.access_level(),
        resource_types: action
            .resource_types()
            .map(|rt| {
                let name = rt.resource_type().name();
                if rt.required() {
                    format!("{name}*")
                } else {
                    name.to_owned()
                }
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_engine::catalog::BUNDLED;

    fn catalog() -> Catalog {
        Catalog::decode(BUNDLED).unwrap()
    }

    /// The text with `|` removed, and the caret where it was.
    fn at(marked: &str) -> (String, usize) {
        let caret = marked.find('|').unwrap();
        (marked.replacen('|', "", 1), caret)
    }

    #[test]
    fn finds_action_strings() {
        let (text, caret) = at(r#"{"Statement": [{"Effect": "Allow", "Action": "s3:Ge|"#);
        let site = site_at(&text, caret).unwrap();
        assert_eq!(site.kind, SiteKind::Action);
        assert_eq!(site.typed, "s3:Ge");
        let (text, caret) =
            at(r#"{"Statement": {"NotAction": ["s3:GetObject", "iam:|Pass"], "Resource": "*"}}"#);
        let site = site_at(&text, caret).unwrap();
        assert_eq!(site.kind, SiteKind::Action);
        assert_eq!(
            (site.typed.as_str(), site.content.as_str()),
            ("iam:", "iam:Pass")
        );
        // Not in a string, in a key, or in another element.
        for marked in [
            r#"{"Action": |"s3:Get"}"#,
            r#"{"Act|ion": "s3:Get"}"#,
            r#"{"Resource": "arn:aws:s3:::b|"}"#,
            r#"{"Action": "s3:Get"}|"#,
        ] {
            let (text, caret) = at(marked);
            assert_eq!(site_at(&text, caret), None, "{marked}");
        }
    }

    #[test]
    fn suggests_services_then_actions() {
        let catalog = catalog();
        let (text, caret) = at(r#"{"Statement": [{"Action": "s3|"#);
        let completion = complete(&catalog, &text, caret).unwrap();
        let first = &completion.items[0];
        assert_eq!(first.label, "s3");
        assert_eq!(first.insert, "s3:");
        assert!(first.continues);
        assert_eq!(first.detail, "Amazon S3");
        assert_eq!(completion.start, text.find("s3").unwrap());

        let (text, caret) = at(r#"{"Statement": [{"Action": "s3:Get|"#);
        let completion = complete(&catalog, &text, caret).unwrap();
        let get = completion
            .items
            .iter()
            .find(|i| i.label == "s3:GetObject")
            .unwrap();
        assert_eq!(get.detail, "Read");
        assert!(completion
            .items
            .iter()
            .all(|i| i.label.starts_with("s3:Get")));
        // Any case.
        let (text, caret) = at(r#"{"Action": ["S3:getobjectt|"]}"#);
        let labels: Vec<String> = complete(&catalog, &text, caret)
            .unwrap()
            .items
            .into_iter()
            .map(|i| i.label)
            .collect();
        assert_eq!(labels, ["s3:GetObjectTagging", "s3:GetObjectTorrent"]);
        // Nothing for wildcards or unknown services.
        for marked in [r#"{"Action": "s3:Get*|"}"#, r#"{"Action": "nope:|"}"#] {
            let (text, caret) = at(marked);
            assert_eq!(complete(&catalog, &text, caret), None, "{marked}");
        }
    }

    #[test]
    fn suggests_condition_keys_of_the_statement() {
        let catalog = catalog();
        let (text, caret) = at(
            r#"{"Statement": [{"Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "*",
                "Condition": {"StringEquals": {"iam:P|": "ec2.amazonaws.com"}}}]}"#,
        );
        let site = site_at(&text, caret).unwrap();
        assert_eq!(
            site.kind,
            SiteKind::ConditionKey {
                actions: vec!["iam:PassRole".to_owned()]
            }
        );
        let items = complete(&catalog, &text, caret).unwrap().items;
        assert_eq!(items[0].label, "iam:PassedToService");
        assert_eq!(items[0].detail, "String");
        // Global keys too, after the statement's, with their type.
        let (text, caret) =
            at(r#"{"Statement": {"Action": "s3:GetObject", "Condition": {"IpAddress": {"aws:Sou|"#);
        let items = complete(&catalog, &text, caret).unwrap().items;
        let ip = items.iter().find(|i| i.label == "aws:SourceIp").unwrap();
        assert_eq!(ip.detail, "IPAddress, global");
        // The statement's actions may come after the condition, with wildcards.
        let (text, caret) = at(
            r#"{"Statement": {"Condition": {"StringLike": {"s3:|": "x"}}, "Action": "s3:List*"}}"#,
        );
        let items = complete(&catalog, &text, caret).unwrap().items;
        assert!(items.iter().any(|i| i.label == "s3:prefix"), "{items:?}");
        // A template inserts its fixed part.
        let (text, caret) = at(
            r#"{"Statement": {"Action": "s3:GetObject", "Condition": {"StringEquals": {"aws:PrincipalT|"#,
        );
        let items = complete(&catalog, &text, caret).unwrap().items;
        let tag = items
            .iter()
            .find(|i| i.label == "aws:PrincipalTag/${TagKey}")
            .unwrap();
        assert_eq!(tag.insert, "aws:PrincipalTag/");
        // Not an operator's position, nor a value.
        for marked in [
            r#"{"Statement": {"Condition": {"String|Equals": {}}}}"#,
            r#"{"Statement": {"Condition": {"StringEquals": {"aws:SourceIp": "1.2|"}}}}"#,
        ] {
            let (text, caret) = at(marked);
            assert_eq!(site_at(&text, caret), None, "{marked}");
        }
    }

    #[test]
    fn describes_the_action_under_the_caret() {
        let catalog = catalog();
        let (text, caret) = at(r#"{"Action": ["s3:Get|Object", "s3:Nope"]}"#);
        let info = action_info(&catalog, &text, caret).unwrap();
        assert_eq!(info.name, "s3:GetObject");
        assert_eq!(info.access_level, AccessLevel::Read);
        assert!(info.resource_types.contains(&"object".to_owned()));
        assert!(info
            .summary()
            .starts_with("s3:GetObject: Read; resource types: "));
        let (text, caret) = at(r#"{"Action": ["s3:GetObject", "s3:No|pe"]}"#);
        assert_eq!(action_info(&catalog, &text, caret), None);
        let (text, caret) = at(r#"{"Action": "iam:PassR|ole"}"#);
        let info = action_info(&catalog, &text, caret).unwrap();
        assert_eq!(info.resource_types, ["role*"]);
    }

    #[test]
    fn describes_the_condition_key_under_the_caret() {
        let catalog = catalog();
        let policy = |key: &str| {
            at(&format!(
                r#"{{"Statement": {{"Action": "s3:GetObject", "Condition": {{"StringEquals": {{"{key}": "x"}}}}}}}}"#
            ))
        };
        let (text, caret) = policy("aws:PrincipalOrgMaster|AccountId");
        let info = info_at(&catalog, &text, caret).unwrap();
        assert_eq!(
            info,
            format!(
                "aws:PrincipalOrgMasterAccountId: String; global condition key; {UNDOCUMENTED}"
            )
        );
        assert!(info.contains("managed policies") && info.contains("not on AWS's global"));
        let (text, caret) = policy("aws:Source|Ip");
        assert_eq!(
            info_at(&catalog, &text, caret).unwrap(),
            "aws:SourceIp: IPAddress; global condition key"
        );
        let (text, caret) = policy("s3:pre|fix");
        assert_eq!(
            info_at(&catalog, &text, caret).unwrap(),
            "s3:prefix: String; condition key"
        );
        let (text, caret) = policy("aws:No|Such");
        assert_eq!(info_at(&catalog, &text, caret), None);
        // An action is described as before.
        let (text, caret) = at(r#"{"Action": "s3:Get|Object"}"#);
        assert!(info_at(&catalog, &text, caret)
            .unwrap()
            .starts_with("s3:GetObject: Read; "));
    }

    #[test]
    fn completion_says_a_key_is_undocumented() {
        let catalog = catalog();
        let (text, caret) = at(
            r#"{"Statement": {"Action": "s3:GetObject", "Condition": {"StringEquals": {"aws:PrincipalOrgM|"#,
        );
        let items = complete(&catalog, &text, caret).unwrap().items;
        let master = items
            .iter()
            .find(|i| i.label == "aws:PrincipalOrgMasterAccountId")
            .unwrap();
        assert_eq!(master.detail, format!("String, global; {UNDOCUMENTED}"));
        let (text, caret) = at(
            r#"{"Statement": {"Action": "s3:GetObject", "Condition": {"StringEquals": {"aws:SourceI|"#,
        );
        let items = complete(&catalog, &text, caret).unwrap().items;
        let ip = items.iter().find(|i| i.label == "aws:SourceIp").unwrap();
        assert_eq!(ip.detail, "IPAddress, global");
    }

    #[test]
    fn never_panics_on_odd_text() {
        let catalog = catalog();
        let samples = [
            "",
            "\"",
            "{\"Action\": \"",
            "{\"Action\": [\"é|",
            "]]]}}}",
            "{\"Condition\": {\"A\": {\"",
        ];
        for sample in samples {
            for caret in 0..=sample.len() {
                if sample.is_char_boundary(caret) {
                    let _ = complete(&catalog, sample, caret);
                    let _ = action_info(&catalog, sample, caret);
                    let _ = info_at(&catalog, sample, caret);
                }
            }
        }
    }
}
