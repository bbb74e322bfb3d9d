//! `iam-engine`: parses AWS IAM policies with precise diagnostics and decides
//! requests exactly as AWS documents, with a step-by-step explanation.

pub mod condition;
pub mod diagnostics;
pub mod matching;
pub mod request;
pub mod source;
pub mod suggest;

pub use diagnostics::{Diagnostic, Severity};
pub use source::{LineCol, SourceText, Span, Spanned};

/// The engine's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
