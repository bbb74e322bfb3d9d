//! [`Text`]: immutable shared text, so the explanation can name patterns,
//! keys and values without copying them.
//!
//! The policy model holds its patterns, keys and values as `Text`, and the
//! request its action, resource and context values; a trace node that
//! shows one of them clones the `Text`, which costs a reference count, not
//! an allocation. It serializes as a plain JSON string.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

use serde::{Serialize, Serializer};

/// A [`Text`] of a string literal, allocated once per call site and shared
/// after that: for the names and values the engine writes itself.
macro_rules! shared_text {
    ($literal:expr) => {{
        thread_local! {
            static CELL: $crate::text::Text = $crate::text::Text::from($literal);
        }
        CELL.with(|text| text.clone())
    }};
}
pub(crate) use shared_text;

/// Immutable text shared by reference count. Derefs to `str`.
///
/// The count is not atomic: the engine runs on one thread (a browser page,
/// the CLI), and an evaluation clones and drops hundreds of these, so
/// atomic counting would cost more than the rest of its bookkeeping. Values
/// that hold `Text` (policies, scenarios, evaluations) stay on the thread
/// that made them; send their JSON across threads instead.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Rc<str>);

impl Text {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::from("")
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Self {
        Text(Rc::from(value))
    }
}

impl From<String> for Text {
    fn from(value: String) -> Self {
        Text(Rc::from(value))
    }
}

impl From<&String> for Text {
    fn from(value: &String) -> Self {
        Text::from(value.as_str())
    }
}

impl From<Text> for String {
    fn from(value: Text) -> Self {
        value.as_str().to_owned()
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<Text> for String {
    fn eq(&self, other: &Text) -> bool {
        self == other.as_str()
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Text;

    #[test]
    fn clones_share_and_compare_as_text() {
        let a = Text::from("s3:Get*");
        let b = a.clone();
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(a, "s3:Get*");
        assert_eq!("s3:Get*".to_owned(), a);
        assert_eq!(format!("{a} {a:?}"), "s3:Get* \"s3:Get*\"");
        assert_eq!(
            serde_json::to_string(&a).ok().as_deref(),
            Some("\"s3:Get*\"")
        );
        assert_eq!(Text::default().len(), 0);
    }
}
