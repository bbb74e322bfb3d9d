//! Matching of policy patterns against request values: wildcards, ARNs,
//! actions and policy variables.

pub mod action;
pub mod arn;
pub mod variables;
pub mod wildcard;

pub use action::{action_matches, ActionName};
pub use arn::{arn_matches, Arn};
pub use variables::{
    shown_substitution, Template, TemplatePiece, TooLong, Unresolved, Unsubstituted,
};
pub use wildcard::{Pattern, PatternToken};
