//! The request context: condition keys and their values.
//!
//! Key names are case-insensitive (`aws:SourceIp` and `AWS:sourceip` are one
//! key), tag keys included. Values are strings, numbers, booleans, or lists
//! of them for multivalued keys such as `aws:TagKeys`.

use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::source::Span;
use crate::text::{shared_text, Text};

mod number;

pub use number::parse_json_number;

/// One value of a context key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(untagged)]
pub enum ContextScalar {
    /// A string.
    String(Text),
    /// A JSON number, kept as written (integer or decimal).
    Number(#[cfg_attr(feature = "wasm", tsify(type = "number"))] serde_json::Number),
    /// A boolean.
    Bool(bool),
}

impl ContextScalar {
    /// The value as AWS sees it on the wire: text. A string is shared, not
    /// copied.
    pub fn as_text(&self) -> Text {
        match self {
            ContextScalar::String(s) => s.clone(),
            ContextScalar::Number(n) => Text::from(n.to_string()),
            ContextScalar::Bool(true) => shared_text!("true"),
            ContextScalar::Bool(false) => shared_text!("false"),
        }
    }
}

impl From<&str> for ContextScalar {
    fn from(value: &str) -> Self {
        ContextScalar::String(Text::from(value))
    }
}

/// The value of a context key: one scalar, or a list for multivalued keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(untagged)]
pub enum ContextValue {
    /// A single-valued key.
    Single(ContextScalar),
    /// A multivalued key (possibly empty).
    List(Vec<ContextScalar>),
}

impl ContextValue {
    /// A single string value.
    pub fn string(value: impl Into<Text>) -> Self {
        ContextValue::Single(ContextScalar::String(value.into()))
    }

    /// All the values: one for a single-valued key, each element of a list.
    pub fn scalars(&self) -> &[ContextScalar] {
        match self {
            ContextValue::Single(s) => std::slice::from_ref(s),
            ContextValue::List(list) => list,
        }
    }

    /// Whether the value is a list.
    pub fn is_list(&self) -> bool {
        matches!(self, ContextValue::List(_))
    }

    /// The text of a single value; `None` for a list (policy variables only
    /// take single-valued keys).
    pub fn single_text(&self) -> Option<Text> {
        match self {
            ContextValue::Single(s) => Some(s.as_text()),
            ContextValue::List(_) => None,
        }
    }
}

/// Where a context value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum ValueOrigin {
    /// Written in the request.
    Request,
    /// Derived by the engine from the principal, action or resource.
    Derived,
}

/// A context key with its value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ContextEntry {
    /// The key as it was written (or as AWS spells a derived key).
    pub key: Text,
    /// The value.
    pub value: ContextValue,
    /// Whether the request gave it or the engine derived it.
    pub origin: ValueOrigin,
}

/// The condition keys of a request, looked up case-insensitively.
///
/// Requests carry a handful of keys, so they live in a vector ordered by
/// lower-cased key and are compared without allocating.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Context {
    entries: Vec<ContextEntry>,
}

/// A context key as the engine reads it: without spaces around it. AWS's
/// condition keys never contain spaces, so `" aws:SourceIp "` can only mean
/// `aws:SourceIp`; every reader (scenario files, the CLI, JavaScript, the
/// app and share links) reads it so and warns with [`key_spaces_warning`].
pub fn clean_key(key: &str) -> &str {
    key.trim()
}

/// The warning for a context key written with spaces (or other white space)
/// around it, which is read without them; `None` for a clean key.
pub fn key_spaces_warning(key: &str, span: Span) -> Option<Diagnostic> {
    let clean = clean_key(key);
    if clean.len() == key.len() {
        return None;
    }
    let shown = key.replace(['\n', '\r', '\t'], " ");
    Some(if clean.is_empty() {
        Diagnostic::warning(
            "context-key-spaces",
            format!("the context key `{shown}` is only spaces, so it names no key"),
            span,
        )
        .with_help("remove it, or write a condition key such as `aws:SourceIp`")
    } else {
        Diagnostic::warning(
            "context-key-spaces",
            format!("the context key `{shown}` has spaces around it and is read as `{clean}`"),
            span,
        )
        .with_help(format!(
            "condition keys never contain spaces: write `{clean}`"
        ))
    })
}

/// Up to this many keys, a lookup scans them; beyond, it searches.
const SCAN_KEYS: usize = 16;

/// Orders two keys as their lower-cased forms would be ordered.
fn compare_keys(a: &str, b: &str) -> std::cmp::Ordering {
    // Byte by byte while the text is ASCII (keys share long prefixes such
    // as `aws:Principal`); characters beyond ASCII fold as Unicode does.
    let mut ascii = true;
    for (x, y) in a.bytes().zip(b.bytes()) {
        if x == y {
            continue;
        }
        if !(x.is_ascii() && y.is_ascii()) {
            ascii = false;
            break;
        }
        let (lx, ly) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
        if lx != ly {
            return lx.cmp(&ly);
        }
    }
    if ascii {
        // One is a prefix of the other, letter case aside.
        a.len().cmp(&b.len())
    } else {
        a.chars()
            .flat_map(char::to_lowercase)
            .cmp(b.chars().flat_map(char::to_lowercase))
    }
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Context::default()
    }

    /// An empty context with room for `capacity` keys.
    pub fn with_capacity(capacity: usize) -> Self {
        Context {
            entries: Vec::with_capacity(capacity),
        }
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|e| compare_keys(&e.key, key))
    }

    /// Sets `key` (replacing any value under the same key in any case).
    pub fn insert(&mut self, key: &str, value: ContextValue, origin: ValueOrigin) {
        let entry = ContextEntry {
            key: Text::from(key),
            value,
            origin,
        };
        match self.position(key) {
            Ok(i) => {
                if let Some(slot) = self.entries.get_mut(i) {
                    *slot = entry;
                }
            }
            Err(i) => self.entries.insert(i, entry),
        }
    }

    /// Sets every key of `entries`, in order (a later value under the same
    /// key, in any case, replaces an earlier one), sorting once: as
    /// [`Context::insert`] for each, without its cost of moving the keys
    /// after the one inserted.
    pub fn extend<'k>(
        &mut self,
        entries: impl IntoIterator<Item = (&'k str, ContextValue)>,
        origin: ValueOrigin,
    ) {
        self.entries
            .extend(entries.into_iter().map(|(key, value)| ContextEntry {
                key: Text::from(key),
                value,
                origin,
            }));
        // Stable: of equal keys, the later stays later, and the later one is
        // kept.
        self.entries.sort_by(|a, b| compare_keys(&a.key, &b.key));
        self.entries.dedup_by(|later, kept| {
            let same = compare_keys(&later.key, &kept.key).is_eq();
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
    }

    /// Sets `key` only when no value is present (derived keys never override
    /// what the request gave).
    pub fn insert_if_absent(
        &mut self,
        key: impl Into<Text>,
        value: ContextValue,
        origin: ValueOrigin,
    ) {
        let key = key.into();
        if let Err(i) = self.position(&key) {
            self.entries.insert(i, ContextEntry { key, value, origin });
        }
    }

    /// The entry for `key`, in any case. A linear scan for a handful of
    /// keys (most lookups spell the key as it was given), a binary search
    /// beyond: a request of many keys costs no more than a logarithm a
    /// lookup.
    pub fn get(&self, key: &str) -> Option<&ContextEntry> {
        if self.entries.len() > SCAN_KEYS {
            // At most one entry compares equal (`insert` keeps one); the
            // scan's test decides, so both ways find the same entry.
            let entry = self.position(key).ok().and_then(|i| self.entries.get(i))?;
            let same = if key.is_ascii() {
                entry.key.eq_ignore_ascii_case(key)
            } else {
                compare_keys(&entry.key, key).is_eq()
            };
            return same.then_some(entry);
        }
        // Keys are usually spelled as the request gave them: try that first
        // (the last byte tells most keys of one length apart cheaply).
        let last = key.as_bytes().last();
        if let Some(entry) = self.entries.iter().find(|e| {
            let bytes = e.key.as_bytes();
            bytes.len() == key.len() && bytes.last() == last && bytes == key.as_bytes()
        }) {
            return Some(entry);
        }
        if key.is_ascii() {
            self.entries
                .iter()
                .find(|e| e.key.len() == key.len() && e.key.eq_ignore_ascii_case(key))
        } else {
            self.entries
                .iter()
                .find(|e| compare_keys(&e.key, key).is_eq())
        }
    }

    /// The value for `key`, in any case.
    pub fn value(&self, key: &str) -> Option<&ContextValue> {
        self.get(key).map(|e| &e.value)
    }

    /// Whether `key` is present.
    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The text of a single-valued key, for policy variables.
    pub fn single_text(&self, key: &str) -> Option<Text> {
        self.value(key).and_then(ContextValue::single_text)
    }

    /// All entries, ordered by lower-cased key.
    pub fn entries(&self) -> impl Iterator<Item = &ContextEntry> {
        self.entries.iter()
    }

    /// All entries, ordered by lower-cased key, by value.
    pub fn into_entries(self) -> Vec<ContextEntry> {
        self.entries
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extend_and_search_agree_with_insert_and_scan() {
        // Keys that collide in case, in Unicode case (the Kelvin sign),
        // and by prefix; more than `SCAN_KEYS` of them so lookups search.
        let keys = [
            "b", "a", "B", "ab", "k", "\u{212A}", "K", "é", "É", "aws:x", "AWS:X", "z", "y", "x",
            "w", "v", "u", "t", "s", "r", "q", "p", "a",
        ];
        let mut one_by_one = Context::new();
        for (i, key) in keys.iter().enumerate() {
            one_by_one.insert(
                key,
                ContextValue::string(i.to_string().as_str()),
                ValueOrigin::Request,
            );
        }
        let mut at_once = Context::new();
        at_once.insert("m", ContextValue::string("old"), ValueOrigin::Derived);
        at_once.insert("Z", ContextValue::string("old"), ValueOrigin::Derived);
        one_by_one.insert("m", ContextValue::string("old"), ValueOrigin::Derived);
        at_once.extend(
            keys.iter()
                .enumerate()
                .map(|(i, key)| (*key, ContextValue::string(i.to_string().as_str()))),
            ValueOrigin::Request,
        );
        assert_eq!(at_once, one_by_one);
        assert!(at_once.len() > SCAN_KEYS);
        for probe in keys
            .iter()
            .chain(&["c", "AB", "\u{212A}", "k", "M", "aws:X ", ""])
        {
            let scanned = one_by_one.entries().find(|e| {
                if probe.is_ascii() {
                    e.key.eq_ignore_ascii_case(probe)
                } else {
                    compare_keys(&e.key, probe).is_eq()
                }
            });
            assert_eq!(at_once.get(probe), scanned, "{probe:?}");
        }
    }

    #[test]
    fn keys_are_case_insensitive() {
        let mut ctx = Context::new();
        ctx.insert(
            "aws:SourceIp",
            ContextValue::string("203.0.113.7"),
            ValueOrigin::Request,
        );
        assert!(ctx.contains("AWS:SOURCEIP"));
        assert_eq!(
            ctx.single_text("aws:sourceip").as_deref(),
            Some("203.0.113.7")
        );
        ctx.insert_if_absent(
            "aws:sourceIP",
            ContextValue::string("x"),
            ValueOrigin::Derived,
        );
        assert_eq!(
            ctx.get("aws:SourceIp").map(|e| e.origin),
            Some(ValueOrigin::Request)
        );
        assert_eq!(ctx.len(), 1);
    }

    #[test]
    fn lists_have_no_single_text() {
        let v = ContextValue::List(vec!["a".into(), "b".into()]);
        assert_eq!(v.single_text(), None);
        assert_eq!(v.scalars().len(), 2);
        let n = ContextScalar::Number(serde_json::Number::from(5));
        assert_eq!(n.as_text(), "5");
    }
}
