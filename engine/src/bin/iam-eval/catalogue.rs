//! The action catalogue `iam-eval` expands wildcard request actions with.

use iam_engine::suite::Vocabulary;

/// The catalogue of AWS actions, when this build has one.
pub fn vocabulary() -> Option<Box<dyn Vocabulary>> {
    None
}
