//! The request being authorized: principal, action, resource and context.

pub mod context;

pub use context::{Context, ContextEntry, ContextScalar, ContextValue, ValueOrigin};
