//! The request context: condition keys and their values.
//!
//! Key names are case-insensitive (`aws:SourceIp` and `AWS:sourceip` are one
//! key), tag keys included. Values are strings, numbers, booleans, or lists
//! of them for multivalued keys such as `aws:TagKeys`.

use serde::Serialize;

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

    /// The entry for `key`, in any case. A linear scan: contexts hold a
    /// handful of keys, and most lookups spell the key as it was given.
    pub fn get(&self, key: &str) -> Option<&ContextEntry> {
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
