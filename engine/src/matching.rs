//! Matching of policy patterns against request values: wildcards, ARNs,
//! actions and policy variables.

pub mod action;
pub mod arn;
pub mod variables;
pub mod wildcard;

pub use action::{action_matches, ActionName};
pub use arn::{arn_matches, Arn};
pub use variables::{Template, TemplatePiece, Unresolved};
pub use wildcard::{Pattern, PatternToken};
