//! `iam-engine`: parses AWS IAM policies with precise diagnostics and decides
//! requests exactly as AWS documents, with a step-by-step explanation.

pub mod account;
pub mod authorize;
mod bits;
pub mod catalog;
pub mod condition;
pub mod diagnostics;
mod evaluate;
pub mod explain;
pub mod ffi;
pub mod json;
pub mod limits;
pub mod matching;
pub mod parse;
pub mod policy;
pub mod request;
pub mod scenario;
mod sorting;
pub mod source;
pub mod suggest;
pub mod suite;
pub mod text;
pub mod validate;
pub mod visible;
#[cfg(feature = "wasm")]
mod wasm;

pub use diagnostics::{Diagnostic, Edit, Fix, Severity};
pub use source::{LineCol, SourceText, Span, Spanned};
pub use text::Text;

/// The engine's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use authorize::{evaluate, EvaluationError};
pub use catalog::Catalog;
pub use explain::{Decision, Evaluation};
pub use policy::PolicyType;
pub use scenario::{Scenario, ScenarioParse, ScenarioPolicy};
