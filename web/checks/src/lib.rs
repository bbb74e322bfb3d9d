//! The checks module: the validation checks that the app's main module is
//! built without (the engine's feature `extended-checks`: condition values,
//! condition keys and variables, federated and service principals, RCP
//! keys, redundant statements, role trust policies, and actions that do not
//! support a condition key), as a WebAssembly module of its own.
//!
//! The app (`web/`) loads it with the service catalogue, after the first
//! decision is painted (`web/src/extended_checks.rs`), hands it the
//! catalogue's bytes once, and then calls [`extended_findings`] for each
//! policy as it computes the policy's findings. The findings cross as JSON
//! text, the same objects [`iam_engine::Diagnostic`] serializes to for the
//! JavaScript package.

use std::cell::RefCell;

use iam_engine::parse::parse_policy;
use iam_engine::validate::{extended_findings as findings_of, PolicyKind};
use iam_engine::Catalog;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The service catalogue, once [`load_catalog`] has decoded it.
    static CATALOG: RefCell<Option<Catalog>> = const { RefCell::new(None) };
}

/// Decodes the service catalogue (`catalog.bin`'s bytes) for the checks
/// that need it; without it those checks are skipped.
#[wasm_bindgen]
pub fn load_catalog(bytes: &[u8]) -> Result<(), JsError> {
    let catalog = Catalog::decode(bytes).map_err(|e| JsError::new(&e.to_string()))?;
    CATALOG.with(|c| *c.borrow_mut() = Some(catalog));
    Ok(())
}

/// The extended checks' findings on the policy `text` of kind `kind` (a
/// name as `iam-eval validate --type` takes it, such as `identity` or
/// `resource`), as a JSON array of diagnostics with their lines, columns
/// and byte spans in `text`. A policy that does not parse has none (the
/// app's main module reports why).
#[wasm_bindgen]
pub fn extended_findings(text: &str, kind: &str) -> Result<String, JsError> {
    let kind = PolicyKind::parse(kind)
        .ok_or_else(|| JsError::new(&format!("`{kind}` is not a policy kind")))?;
    Ok(findings_json(text, kind))
}

/// [`extended_findings`] for a known kind.
pub fn findings_json(text: &str, kind: PolicyKind) -> String {
    let parsed = parse_policy(text, kind.policy_type());
    let findings = CATALOG.with(|c| findings_of(text, &parsed, kind, c.borrow().as_ref()));
    // Diagnostics always serialize (strings, numbers and options only).
    iam_engine::json::write::to_json_string(&findings).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redundant_statement_is_found_and_written_as_json() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
]}"#;
        let json = findings_json(text, PolicyKind::Managed);
        assert!(json.starts_with('['), "{json}");
        assert!(json.contains(r#""code":"redundant-statement""#), "{json}");
        assert!(json.contains(r#""line":3"#), "{json}");
    }

    #[test]
    fn a_policy_that_does_not_parse_has_no_findings_here() {
        assert_eq!(findings_json("{", PolicyKind::Managed), "[]");
    }

    #[test]
    fn an_unknown_kind_is_an_error_not_a_panic() {
        assert!(PolicyKind::parse("bucket").is_none());
    }
}
