//! The checks module in the app. The app's main module is built without
//! the engine's feature `extended-checks` (its size budget,
//! docs/validation.md); those checks (condition values, condition keys and
//! variables, federated and service principals, RCP keys, redundant
//! statements, role trust policies, actions that do not support a condition
//! key) run in a WebAssembly module of their own, `web/checks`, fetched from
//! [`CHECKS_MODULE_URL`] with the service catalogue, after the first
//! decision is painted ([`crate::catalog::CatalogProvider`]). Once loaded
//! it answers synchronously, so its findings join the others in the same
//! step ([`crate::findings::policy_findings`]).
//!
//! The module gets the catalogue's bytes once and each policy's text; its
//! findings come back as the JSON the engine writes for diagnostics, read
//! here by [`read_findings`] (no DOM, unit-tested natively).

use std::cell::RefCell;

use iam_engine::json::{parse_json, Json, JsonValue};
use iam_engine::validate::PolicyKind;
use iam_engine::{Diagnostic, Edit, Fix, Severity, Span};
use wasm_bindgen::prelude::*;

/// Where the checks module (its wasm-bindgen glue) is, relative to the page.
pub const CHECKS_MODULE_URL: &str = "checks/iam_playground_checks.js";

/// The module's answer for `(text, kind)`: its findings as JSON, or `None`
/// when the call failed.
type Run = dyn Fn(&str, PolicyKind) -> Option<String>;

/// A loaded checks module: the extended checks' findings on a policy.
pub struct ExtendedChecks {
    run: Box<Run>,
}

impl std::fmt::Debug for ExtendedChecks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExtendedChecks")
    }
}

impl ExtendedChecks {
    /// Checks that answer through `run` (the module's function, or a stand-in
    /// in tests).
    pub fn new(run: impl Fn(&str, PolicyKind) -> Option<String> + 'static) -> Self {
        ExtendedChecks { run: Box::new(run) }
    }

    /// The findings of the extended checks on the policy `text` of `kind`,
    /// located in `text`; none when the module could not answer.
    pub fn findings(&self, text: &str, kind: PolicyKind) -> Vec<Diagnostic> {
        (self.run)(text, kind)
            .map(|json| read_findings(&json, text))
            .unwrap_or_default()
    }
}

#[wasm_bindgen(inline_js = r#"
let loading = null;
let loaded = null;
export function load_checks_module(url, catalog) {
  if (!loading) {
    loading = import(new URL(url, document.baseURI).href)
      .then(async (m) => { await m.default(); if (catalog) m.load_catalog(catalog); loaded = m; })
      .catch((e) => { loading = null; throw e; });
  }
  return loading;
}
export function run_checks_module(text, kind) {
  return loaded.extended_findings(text, kind);
}
"#)]
extern "C" {
    /// Fetches and instantiates the module once and gives it the catalogue
    /// (when there is one).
    #[wasm_bindgen(catch)]
    async fn load_checks_module(
        url: &str,
        catalog: Option<js_sys::Uint8Array>,
    ) -> Result<(), JsValue>;
    /// The module's findings on `text` as JSON.
    #[wasm_bindgen(catch)]
    fn run_checks_module(text: &str, kind: &str) -> Result<String, JsValue>;
}

/// Loads the checks module (once) with the catalogue's bytes, or without
/// them when the catalogue could not be loaded (the checks that need it are
/// then skipped); the error says why the module could not be loaded.
pub async fn load(catalog: Option<&js_sys::Uint8Array>) -> Result<ExtendedChecks, String> {
    load_checks_module(CHECKS_MODULE_URL, catalog.cloned())
        .await
        .map_err(|e| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|| "unknown error".to_owned())
        })?;
    Ok(ExtendedChecks::new(|text, kind| {
        run_checks_module(text, kind.as_str()).ok()
    }))
}

thread_local! {
    /// The codes read so far, each kept once for the life of the page (a
    /// diagnostic's codes are `&'static str`; the module has a few dozen).
    /// (A list: a hash set's code costs the page's module more than a
    /// search through a few dozen codes costs time.)
    static CODES: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// `code` as a `&'static str`, allocated the first time it is seen.
fn intern(code: &str) -> &'static str {
    CODES.with(|codes| {
        let mut codes = codes.borrow_mut();
        if let Some(known) = codes.iter().find(|known| **known == code) {
            return *known;
        }
        let kept: &'static str = Box::leak(code.to_owned().into_boxed_str());
        codes.push(kept);
        kept
    })
}

/// The member `key` of the object `json` as a `u32`.
fn read_u32(json: &Json<'_>, key: &str) -> Option<u32> {
    match json.get(key)?.value {
        JsonValue::Number(n) => n.parse().ok(),
        _ => None,
    }
}

/// A span `{"start": n, "end": n}` that lies within a text of `len` bytes.
fn read_span(json: Option<&Json<'_>>, len: usize) -> Option<Span> {
    let json = json?;
    let span = Span {
        start: read_u32(json, "start")?,
        end: read_u32(json, "end")?,
    };
    (span.start <= span.end && span.end as usize <= len).then_some(span)
}

/// A quick fix `{"title", "edits": [{"span", "replacement"}]}`.
fn read_fix(json: &Json<'_>, len: usize) -> Option<Fix> {
    let JsonValue::Array(edits) = &json.get("edits")?.value else {
        return None;
    };
    let edits = edits
        .iter()
        .map(|e| {
            Some(Edit {
                span: read_span(e.get("span"), len)?,
                replacement: e.get("replacement")?.as_str()?.to_owned(),
            })
        })
        .collect::<Option<Vec<Edit>>>()?;
    Some(Fix {
        title: json.get("title")?.as_str()?.to_owned(),
        edits,
    })
}

/// One diagnostic as the engine serializes it.
fn read_finding(json: &Json<'_>, len: usize) -> Option<Diagnostic> {
    let text = |key: &str| json.get(key).and_then(Json::as_str);
    let mut d = Diagnostic::new(
        Severity::parse(text("severity")?)?,
        intern(text("code")?),
        text("message")?,
        read_span(json.get("span"), len)?,
    );
    d.help = text("help").map(str::to_owned);
    d.line = read_u32(json, "line")?;
    d.column = read_u32(json, "column")?;
    d.aws_issue_code = text("aws_issue_code").map(intern);
    d.learn_more = text("learn_more").map(str::to_owned);
    d.fix = json.get("fix").and_then(|f| read_fix(f, len)).map(Box::new);
    Some(d)
}

/// The findings in `json` (a JSON array of diagnostics about `text`, as the
/// checks module writes them). A finding that cannot be read, or whose span
/// does not fit `text`, is left out: the module and the page come from one
/// build, so that never happens unless a file is damaged.
pub fn read_findings(json: &str, text: &str) -> Vec<Diagnostic> {
    let Ok(Json {
        value: JsonValue::Array(items),
        ..
    }) = parse_json(json)
    else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| read_finding(item, text.len()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{"Version": "2012-10-17", "Statement": []}"#;

    #[test]
    fn a_finding_reads_back_as_the_engine_wrote_it() {
        let mut d = Diagnostic::new(
            Severity::SecurityWarning,
            "private-ip-address",
            "`10.0.0.1` is a private address",
            Span { start: 2, end: 9 },
        )
        .with_aws_issue("PRIVATE_IP_ADDRESS", "security-warning-private-ip-address");
        d.help = Some("use `aws:VpcSourceIp`".to_owned());
        d.line = 1;
        d.column = 3;
        d.fix = Some(Box::new(Fix {
            title: "Replace it".to_owned(),
            edits: vec![Edit {
                span: Span { start: 2, end: 9 },
                replacement: "\"Version\"".to_owned(),
            }],
        }));
        let json = iam_engine::json::write::to_json_string(&vec![d.clone()]).unwrap_or_default();
        assert_eq!(read_findings(&json, TEXT), vec![d]);
    }

    #[test]
    fn codes_are_kept_once() {
        assert!(std::ptr::eq(
            intern("redundant-statement"),
            intern("redundant-statement")
        ));
    }

    #[test]
    fn unreadable_answers_and_spans_outside_the_text_are_left_out() {
        assert!(read_findings("not json", TEXT).is_empty());
        assert!(read_findings("{}", TEXT).is_empty());
        let outside = r#"[{"severity":"warning","code":"x","message":"m","span":{"start":2,"end":999},"line":1,"column":3}]"#;
        assert!(read_findings(outside, TEXT).is_empty());
        let unknown_severity = r#"[{"severity":"fatal","code":"x","message":"m","span":{"start":2,"end":3},"line":1,"column":3}]"#;
        assert!(read_findings(unknown_severity, TEXT).is_empty());
    }

    #[test]
    fn the_checks_answer_through_their_function() {
        let checks = ExtendedChecks::new(|text, kind| {
            assert_eq!(kind, PolicyKind::Resource);
            Some(format!(
                r#"[{{"severity":"suggestion","code":"redundant-statement","message":"m","span":{{"start":0,"end":{}}},"line":1,"column":1}}]"#,
                text.len()
            ))
        });
        let findings = checks.findings(TEXT, PolicyKind::Resource);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].code, "redundant-statement");
        assert!(ExtendedChecks::new(|_, _| None)
            .findings(TEXT, PolicyKind::Managed)
            .is_empty());
    }
}
