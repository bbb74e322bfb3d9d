//! The policy editor's logic, free of the DOM so it is unit-tested natively:
//! JSON tokens for syntax highlighting ([`tokens`]), the highlight layer's
//! segments with diagnostics and explanation highlights ([`segments`]),
//! keyboard edits such as auto-indent and Tab ([`edit`]), pretty-printing
//! ([`format`]), undo and redo ([`history`]), and byte offset to UTF-16
//! conversion for the browser's selection API ([`utf16`]), and completion
//! from the service catalogue ([`complete`]).

pub mod complete;
pub mod edit;
pub mod format;
pub mod history;
pub mod segments;
pub mod tokens;
pub mod utf16;
