//! The JavaScript API of the npm package `iam-policy-engine` (feature `wasm`).
//!
//! The functions, exported with wasm-bindgen:
//!
//! - `evaluate(scenario)`: the scenario as a JS object or as JSON text, in;
//!   the same [`Answer`] as `iam-eval` prints, out, as plain JS objects.
//! - `validate(policyText, policyType)`: one policy's diagnostics and
//!   validation findings; with the catalogue loaded, also the findings that
//!   need AWS's vocabulary (unknown actions, condition key types, …).
//! - `loadCatalog(bytes)`: loads the service catalogue (`catalog.bin`,
//!   shipped in the package) for `validate`; returns what it holds.
//! - `version()`: the engine's version.
//! - `listAccountPrincipals(files)` and `importAccount(files, principal,
//!   options)`: the users, groups and roles of `aws iam
//!   get-account-authorization-details` output, and the scenario of one of
//!   them (see [`crate::account`]).
//! - `whoCan(files, query)`: who of the account's users and roles may do
//!   an action on a resource, one row each (see [`crate::account::who_can`]).
//!
//! Bad input never throws and never traps: every problem comes back as
//! diagnostics (`{status: "invalid", diagnostics}` from `evaluate`). The
//! TypeScript types in the package's `.d.ts` are generated from the Rust
//! types by tsify, so they cannot drift from what is returned.
//!
//! The answers are plain objects (never `Map`s); a Rust `None` is `null`,
//! as the `.d.ts` says (`T | null`); fields the engine skips when empty
//! (`help`, `policy` of a diagnostic) are absent (`help?: string`).

use js_sys::{JsString, JSON};
use serde::{Deserialize, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use std::cell::RefCell;

use crate::catalog::Catalog;
use crate::diagnostics::Diagnostic;
use crate::ffi::{evaluate_scenario_text, validate_policy_text, Answer};
use crate::limits::{
    describe_bytes, thousands, MAX_POLICY_BYTES, MAX_SCENARIO_BYTES, TOO_LARGE_POLICY_HELP,
    TOO_LARGE_SCENARIO_HELP,
};
use crate::policy::PolicyType;
use crate::source::{SourceText, Span};

/// The engine's shared text ([`crate::Text`]) is a plain string in JS.
#[wasm_bindgen(typescript_custom_section)]
const TEXT_TYPE: &str = "/** Text the engine shares between the policy and the trace: a plain string. */\nexport type Text = string;";

/// Evaluates a scenario: policies plus a request.
///
/// `scenario` is a scenario object or its JSON text. An object is written
/// as JSON with `JSON.stringify(scenario, null, 2)` and read like text, so
/// diagnostics' `line`, `column` and `span` point into that text.
#[wasm_bindgen(unchecked_return_type = "Answer")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "ScenarioInput | string")] scenario: JsValue,
) -> JsValue {
    let answer = match scenario_text(&scenario) {
        Ok(text) => Answer::from(evaluate_scenario_text(&text)),
        Err(diagnostic) => Answer::Invalid {
            diagnostics: vec![diagnostic],
        },
    };
    to_js(&answer).unwrap_or_else(|message| {
        let diagnostics = vec![internal_error(message)];
        to_js(&Answer::Invalid { diagnostics }).unwrap_or(JsValue::NULL)
    })
}

thread_local! {
    /// The catalogue `loadCatalog` loaded, for `validate`.
    static CATALOG: RefCell<Option<Catalog>> = const { RefCell::new(None) };
}

/// The kinds of policy `validate` takes: the scenario's policy types, plus
/// the finer kinds whose size quota differs.
#[wasm_bindgen(typescript_custom_section)]
const POLICY_KIND_TYPE: &str = "/** A policy type, or a finer kind with its own size quota: the inline policies of a user, group or role, or a role trust policy. */\nexport type PolicyKind = PolicyType | \"inline-user\" | \"inline-group\" | \"inline-role\" | \"role-trust\";";

/// The diagnostics and findings of one policy's text: each with its
/// `severity` (`error`, `security_warning`, `warning`, `suggestion`),
/// `code`, `line`, `column`, byte `span`, and where Access Analyzer has the
/// same check its `aws_issue_code` and `learn_more` address; some carry a
/// quick `fix`. After `loadCatalog`, the findings that need AWS's
/// vocabulary are included (unknown actions and condition keys, operator
/// types, resource types). An unknown `policyType` gives one
/// `unknown-policy-type` diagnostic. Never throws.
#[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
pub fn validate(
    #[wasm_bindgen(js_name = "policyText", unchecked_param_type = "string")] policy_text: JsValue,
    #[wasm_bindgen(js_name = "policyType", unchecked_param_type = "PolicyKind")]
    policy_type: JsValue,
) -> JsValue {
    let policy_type = policy_type.as_string().unwrap_or_default();
    let diagnostics = match policy_text_of(&policy_text) {
        Ok(text) => CATALOG.with(|catalog| {
            let catalog = catalog.borrow();
            validate_policy_text(&text, &policy_type, catalog.as_ref())
                .unwrap_or_else(|d| vec![located(*d)])
        }),
        Err(diagnostic) => vec![diagnostic],
    };
    to_js(&diagnostics)
        .unwrap_or_else(|message| to_js(&vec![internal_error(message)]).unwrap_or(JsValue::NULL))
}

/// What a loaded catalogue holds.
#[derive(Debug, Clone, Serialize, Tsify)]
#[tsify(missing_as_null)]
pub struct CatalogSummary {
    /// The file's format version.
    pub format_version: u32,
    /// Where the data comes from: `package@version`.
    pub source: String,
    /// The date of the data (`YYYY-MM-DD`).
    pub data_date: String,
    /// Services (service prefixes).
    pub services: usize,
    /// Actions, over all services.
    pub actions: usize,
    /// Resource types, over all services.
    pub resource_types: usize,
    /// Condition keys, global ones included.
    pub condition_keys: usize,
}

/// The answer of `loadCatalog`.
#[derive(Debug, Clone, Serialize, Tsify)]
#[tsify(missing_as_null)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CatalogLoad {
    /// The catalogue is loaded; `validate` uses it from now on.
    Loaded {
        /// What it holds.
        catalog: CatalogSummary,
    },
    /// The bytes are not a catalogue this engine reads; the catalogue
    /// loaded before, if any, stays.
    Invalid {
        /// Why.
        diagnostics: Vec<Diagnostic>,
    },
}

/// Loads the service catalogue from the bytes of the package's
/// `catalog.bin` (e.g. `new Uint8Array(await (await fetch(url)).arrayBuffer())`
/// or `readFileSync(...)` in Node). Never throws: bytes that are not a
/// catalogue give `{status: "invalid", diagnostics}`.
#[wasm_bindgen(js_name = "loadCatalog", unchecked_return_type = "CatalogLoad")]
pub fn load_catalog(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
) -> JsValue {
    let answer = match bytes.dyn_ref::<js_sys::Uint8Array>() {
        None => CatalogLoad::Invalid {
            diagnostics: vec![wrong_type(
                "the catalogue",
                "a Uint8Array",
                "pass the bytes of catalog.bin as a Uint8Array",
                &bytes,
            )],
        },
        Some(array) => match Catalog::decode(&array.to_vec()) {
            Ok(catalog) => {
                let info = catalog.info();
                let summary = CatalogSummary {
                    format_version: info.format_version,
                    source: info.source.clone(),
                    data_date: info.data_date.clone(),
                    services: info.counts.services,
                    actions: info.counts.actions,
                    resource_types: info.counts.resource_types,
                    condition_keys: info.counts.condition_keys,
                };
                CATALOG.with(|slot| *slot.borrow_mut() = Some(catalog));
                CatalogLoad::Loaded { catalog: summary }
            }
            Err(e) => CatalogLoad::Invalid {
                diagnostics: vec![located(
                    Diagnostic::error("invalid-catalog", e.to_string(), Span::default())
                        .with_help("load the catalog.bin shipped with this version of the package"),
                )],
            },
        },
    };
    to_js(&answer).unwrap_or_else(|message| {
        to_js(&CatalogLoad::Invalid {
            diagnostics: vec![internal_error(message)],
        })
        .unwrap_or(JsValue::NULL)
    })
}

/// Decides every request of a scenario (`request`, `requests`, `matrix`)
/// against its policies, prepared once: compact results (decision,
/// deciding statements, expectation met), never the whole explanation.
///
/// Wildcard request actions such as `s3:Get*` expand through `actions`,
/// a list of known actions (`service:Name`), when given, else through the
/// catalogue loaded with `loadCatalog` (which also checks each resource
/// against its action's resource types); with neither, a wildcard action
/// is an error that says what to load. Never throws.
#[wasm_bindgen(js_name = "evaluateMany", unchecked_return_type = "ManyAnswer")]
pub fn evaluate_many(
    #[wasm_bindgen(unchecked_param_type = "ScenarioInput | string")] scenario: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[] | undefined")] actions: JsValue,
) -> JsValue {
    let answer = match scenario_text(&scenario).and_then(|text| Ok((text, actions_of(&actions)?))) {
        Ok((text, list)) => with_vocabulary(list.as_ref(), |vocabulary| {
            crate::ffi::evaluate_many_text(&text, vocabulary)
        }),
        Err(diagnostic) => crate::ffi::ManyAnswer::Invalid {
            diagnostics: vec![diagnostic],
        },
    };
    to_js(&answer).unwrap_or_else(|message| {
        let diagnostics = vec![internal_error(message)];
        to_js(&crate::ffi::ManyAnswer::Invalid { diagnostics }).unwrap_or(JsValue::NULL)
    })
}

/// The whole explanation of one request of a scenario, by its `index` in
/// `evaluateMany`'s results: the same [`Answer`] as `evaluate` gives for a
/// scenario with just that request. Never throws.
#[wasm_bindgen(js_name = "explainRequest", unchecked_return_type = "Answer")]
pub fn explain_request(
    #[wasm_bindgen(unchecked_param_type = "ScenarioInput | string")] scenario: JsValue,
    index: usize,
    #[wasm_bindgen(unchecked_param_type = "string[] | undefined")] actions: JsValue,
) -> JsValue {
    let answer = match scenario_text(&scenario).and_then(|text| Ok((text, actions_of(&actions)?))) {
        Ok((text, list)) => with_vocabulary(list.as_ref(), |vocabulary| {
            crate::ffi::explain_request_text(&text, index, vocabulary)
        }),
        Err(diagnostic) => Answer::Invalid {
            diagnostics: vec![diagnostic],
        },
    };
    to_js(&answer).unwrap_or_else(|message| {
        let diagnostics = vec![internal_error(message)];
        to_js(&Answer::Invalid { diagnostics }).unwrap_or(JsValue::NULL)
    })
}

/// Runs `f` with the vocabulary for wildcard request actions: the list
/// given, else the catalogue loaded with `loadCatalog`, else none.
fn with_vocabulary<T>(
    list: Option<&crate::suite::ActionList>,
    f: impl FnOnce(Option<&dyn crate::suite::Vocabulary>) -> T,
) -> T {
    match list {
        Some(list) => f(Some(list)),
        None => CATALOG.with(|slot| {
            let loaded = slot.borrow();
            f(loaded.as_ref().map(|c| c as &dyn crate::suite::Vocabulary))
        }),
    }
}

/// The list of known actions, `None` when not given.
fn actions_of(value: &JsValue) -> Result<Option<crate::suite::ActionList>, Diagnostic> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let not_a_list = || {
        wrong_type(
            "the actions",
            "a list of action names",
            "pass e.g. [\"s3:GetObject\", \"s3:PutObject\"]",
            value,
        )
    };
    let list = value.dyn_ref::<js_sys::Array>().ok_or_else(not_a_list)?;
    let names: Option<Vec<String>> = list.iter().map(|v| v.as_string()).collect();
    names
        .map(|names| Some(crate::suite::ActionList::new(names)))
        .ok_or_else(not_a_list)
}

/// The users, groups and roles of account files (the output of `aws iam
/// get-account-authorization-details`; several files for a paginated
/// export), for a principal picker. `files` are `{name, text}` objects or
/// plain texts (named `file 1`, `file 2`, …). Never throws.
#[wasm_bindgen(
    js_name = "listAccountPrincipals",
    unchecked_return_type = "AccountListing"
)]
pub fn list_account_principals(
    #[wasm_bindgen(unchecked_param_type = "(AccountFile | string)[]")] files: JsValue,
) -> JsValue {
    let answer = match account_files(&files) {
        Ok(files) => crate::ffi::account::list_account_principals(&files),
        Err(d) => crate::ffi::account::AccountListing::Invalid {
            diagnostics: vec![d],
        },
    };
    to_js(&answer).unwrap_or(JsValue::NULL)
}

/// The scenario of one principal of account files: every policy AWS
/// evaluates for it, each with its `origin`, its tags as `principal_tags`,
/// and the managed policies the files lack in `missing`. `principal` is a
/// user, group or role ARN, a role session ARN, or a unique name;
/// `options` may set the role session's name and the request's action and
/// resource (for `sts:AssumeRole*` on a role of the files, its trust policy
/// is added). Never throws.
#[wasm_bindgen(js_name = "importAccount", unchecked_return_type = "ImportAnswer")]
pub fn import_account(
    #[wasm_bindgen(unchecked_param_type = "(AccountFile | string)[]")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] principal: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ImportAccountOptions | undefined")] options: JsValue,
) -> JsValue {
    use crate::ffi::account::ImportAnswer;
    let answer = match (account_files(&files), principal.as_string()) {
        (Ok(files), Some(principal)) => {
            let options = import_options(&options);
            let options = crate::account::ImportOptions {
                session: options.session,
                action: options.action,
                resource: options.resource,
            };
            crate::ffi::account::import_account(&files, &principal, &options)
        }
        (Err(d), _) => ImportAnswer::Invalid {
            diagnostics: vec![d],
        },
        (_, None) => ImportAnswer::Invalid {
            diagnostics: vec![account_diagnostic(wrong_type(
                "the principal",
                "a string",
                "pass the ARN of a user, group or role of the files",
                &principal,
            ))],
        },
    };
    to_js(&answer).unwrap_or(JsValue::NULL)
}

/// The options of `importAccount`: each of `session`, `action` and
/// `resource` a string, or absent (`undefined` or `null`). Options that are
/// not an object, or that give any of these as something else, are all
/// ignored (the defaults apply), as serde's reading of
/// [`ImportAccountOptions`] did.
fn import_options(options: &JsValue) -> ImportAccountOptions {
    if !options.is_object() {
        return ImportAccountOptions::default();
    }
    let field = |name: &str| -> Result<Option<String>, ()> {
        let value = js_sys::Reflect::get(options, &JsValue::from_str(name)).map_err(|_| ())?;
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        value.as_string().map(Some).ok_or(())
    };
    match (field("session"), field("action"), field("resource")) {
        (Ok(session), Ok(action), Ok(resource)) => ImportAccountOptions {
            session,
            action,
            resource,
        },
        _ => ImportAccountOptions::default(),
    }
}

#[wasm_bindgen(typescript_custom_section)]
const WHO_CAN_TYPES: &str = r#"/** What `whoCan` asks: one request for many principals of the account. */
export interface WhoCanQuery {
  /** The action, or several (one row per principal and action). */
  actions: string | string[];
  /** The resource ARN (default `*`). */
  resource?: string;
  /** A resource-based policy (e.g. the bucket policy), as text or object, added to every principal's policies. */
  resource_policy?: string | object | null;
  /** The resource's account, when its ARN does not say. */
  resource_account?: string | null;
  /** Context keys of the request (the principals' tags are added as `aws:PrincipalTag/...`). */
  context?: Record<string, string | number | boolean | (string | number | boolean)[]>;
  /** Only these principals (ARNs or unique names); a group means its member users. Default: every user and role. */
  principals?: string[];
  /** Only users, or only roles. */
  kind?: "user" | "role";
  /** The session name of roles (default `simulated-session`). */
  session?: string | null;
}
/** A statement that decided a row, with its policy's origin. */
export interface WhoCanDeciding { policy: string; origin: string | null; statement: string; index: number }
/** One principal and action. `decision` is `null` when the principal's policies have errors (see `diagnostics`). */
export interface WhoCanRow {
  kind: "user" | "role"; name: string; arn: string;
  /** The request's principal: the user's ARN or the role session's. */
  principal: string; action: string;
  decision: Decision | null;
  /** The stage of the flow that decided (e.g. `permissions_boundary` for a boundary's implicit deny). */
  stage: Stage | null;
  deciding: WhoCanDeciding[];
  /** Attached managed policies the files lack: the decision may differ from AWS's. */
  missing: string[];
  diagnostics: Diagnostic[];
}
export type WhoCanAnswer =
  | { status: "checked"; counts: { allow: number; explicit_deny: number; implicit_deny: number; invalid: number };
      rows: WhoCanRow[]; diagnostics: ImportDiagnostic[] }
  | { status: "invalid"; diagnostics: ImportDiagnostic[] };"#;

/// Who of an account's users and roles may do an action on a resource:
/// the files are read (as for `importAccount`), each principal's own
/// policies (its groups', its boundary, its tags; a role as a session),
/// plus the `resource_policy` given, decide the request, one row each with
/// the decision and the deciding statement. The full explanation of a row:
/// `importAccount` that principal with the same action and resource, then
/// `evaluate`. Never throws.
#[wasm_bindgen(js_name = "whoCan", unchecked_return_type = "WhoCanAnswer")]
pub fn who_can(
    #[wasm_bindgen(unchecked_param_type = "(AccountFile | string)[]")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "WhoCanQuery")] query: JsValue,
) -> JsValue {
    // Not JSON (`undefined`, a cycle): read as no object, as before.
    let query = JSON::stringify(&query)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default();
    let answer = match account_files(&files) {
        Ok(files) => crate::ffi::account::who_can(&files, &query),
        Err(d) => crate::ffi::account::WhoCanAnswer::invalid(&[d]),
    };
    to_js(&answer).unwrap_or(JsValue::NULL)
}

/// The largest account file read, in UTF-16 units (real exports reach tens
/// of megabytes).
const MAX_ACCOUNT_FILE: usize = 512 * 1024 * 1024;

fn account_diagnostic(diagnostic: Diagnostic) -> crate::account::ImportDiagnostic {
    crate::account::ImportDiagnostic {
        at: crate::account::Location::default(),
        diagnostic,
    }
}

/// The files as (name, text) pairs, or why they cannot be.
fn account_files(
    files: &JsValue,
) -> Result<Vec<(String, String)>, crate::account::ImportDiagnostic> {
    let Some(array) = files.dyn_ref::<js_sys::Array>() else {
        return Err(account_diagnostic(wrong_type(
            "the files",
            "an array of {name, text} objects or of texts",
            "pass [{name: \"details.json\", text: await file.text()}]",
            files,
        )));
    };
    let mut out = Vec::new();
    for (i, item) in array.iter().enumerate() {
        let default_name = format!("file {}", i + 1);
        let (name, text) = if item.is_string() {
            (default_name, item)
        } else {
            let get = |key: &str| {
                js_sys::Reflect::get(&item, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
            };
            (get("name").as_string().unwrap_or(default_name), get("text"))
        };
        match checked_string(
            &text,
            MAX_ACCOUNT_FILE,
            "account file",
            "split the export into several files (aws iam get-account-authorization-details pages its output)",
        ) {
            Some(Ok(text)) => out.push((name, text)),
            Some(Err(d)) => return Err(account_diagnostic(d)),
            None => {
                return Err(account_diagnostic(wrong_type(
                    &format!("`{name}`"),
                    "the file's text",
                    "read the file first, e.g. await file.text()",
                    &text,
                )))
            }
        }
    }
    Ok(out)
}

/// The engine's version (the crate's and the npm package's).
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_owned()
}

/// The scenario's JSON text, or why there is none.
fn scenario_text(scenario: &JsValue) -> Result<String, Diagnostic> {
    let text = if scenario.is_string() {
        scenario.clone()
    } else if scenario.is_object() {
        JSON::stringify_with_replacer_and_space(scenario, &JsValue::NULL, &JsValue::from(2))
            .map(JsValue::from)
            .map_err(|e| {
                located(
                    Diagnostic::error(
                        "not-json",
                        format!(
                            "the scenario object cannot be written as JSON: {}",
                            js_error_message(&e)
                        ),
                        Span::default(),
                    )
                    .with_help("pass plain objects, arrays, strings, numbers and booleans (no cycles, no BigInt)"),
                )
            })?
    } else {
        return Err(wrong_type(
            "the scenario",
            "a scenario object or its JSON text",
            "pass an object like {policies: [...], request: {...}} or its JSON text",
            scenario,
        ));
    };
    match checked_string(
        &text,
        MAX_SCENARIO_BYTES,
        "scenario",
        TOO_LARGE_SCENARIO_HELP,
    ) {
        Some(result) => result,
        // `JSON.stringify` gives `undefined` for e.g. a `toJSON` returning it.
        None => Err(located(Diagnostic::error(
            "not-json",
            "the scenario object cannot be written as JSON",
            Span::default(),
        ))),
    }
}

/// The policy text, or why there is none.
fn policy_text_of(text: &JsValue) -> Result<String, Diagnostic> {
    let not_text = || {
        wrong_type(
            "the policy",
            "the policy's JSON text",
            "pass the text, e.g. JSON.stringify(policy)",
            text,
        )
    };
    checked_string(text, MAX_POLICY_BYTES, "policy", TOO_LARGE_POLICY_HELP)
        .unwrap_or_else(|| Err(not_text()))
}

/// Copies a JS string into Rust, refusing one that is longer than `limit`
/// (bytes of UTF-8) before copying it: a string of more UTF-16 units than
/// that has at least as many bytes. `None` when `value` is not a string.
fn checked_string(
    value: &JsValue,
    limit: usize,
    what: &str,
    help: &str,
) -> Option<Result<String, Diagnostic>> {
    let js = value.dyn_ref::<JsString>()?;
    let length = js.length() as usize;
    if length > limit {
        return Some(Err(located(
            Diagnostic::error(
                "too-large",
                format!(
                    "the {what} is {} characters long (at least as many bytes), over the limit of {}",
                    thousands(length),
                    describe_bytes(limit)
                ),
                Span::default(),
            )
            .with_help(help),
        )));
    }
    value.as_string().map(Ok)
}

/// Serializes `value` into plain JS objects, `None` as `null`: as JSON text
/// read back with `JSON.parse`. One serializer (the engine's
/// [`crate::json::write`], serde_json's text with less code per type)
/// instead of a second one per type keeps the module small (see
/// BENCHMARKS.md, "Engine WebAssembly package size" and "Engine package
/// size, second round").
///
/// Writing JSON fails only for a map whose keys are not strings, which no
/// answer has.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, String> {
    let text = crate::json::write::to_json_string(value)
        .map_err(|_| "the answer could not be written as JSON".to_owned())?;
    JSON::parse(&text).map_err(|e| js_error_message(&e))
}

/// A diagnostic for the (never expected) failure to build the answer.
fn internal_error(message: String) -> Diagnostic {
    located(
        Diagnostic::error(
            "internal-error",
            format!("the engine could not return its answer: {message}"),
            Span::default(),
        )
        .with_help("please report this with the scenario that caused it"),
    )
}

/// `what` was given as something other than `expected`.
fn wrong_type(what: &str, expected: &str, help: &str, value: &JsValue) -> Diagnostic {
    let got = if value.is_null() {
        "null".to_owned()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    };
    located(
        Diagnostic::error(
            "wrong-type",
            format!("{what} must be {expected}, not {got}"),
            Span::default(),
        )
        .with_help(help),
    )
}

/// Line 1, column 1: for diagnostics about the input as a whole.
fn located(diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.locate(&SourceText::new(""))
}

/// The message of a thrown JS value.
fn js_error_message(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(e) => JsValue::from(e.message()).as_string().unwrap_or_default(),
        None => error.as_string().unwrap_or_default(),
    }
}

// ---------------------------------------------------------------------------
// The scenario as JavaScript writes it. These types exist for their
// TypeScript declarations (`evaluate(scenario: ScenarioInput | string)`):
// the engine reads the scenario from its JSON text with its own reader, which
// keeps positions and reports every problem as a diagnostic.
// ---------------------------------------------------------------------------

/// A scenario: policies plus a request (the scenario JSON format).
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct ScenarioInput {
    /// A short name.
    #[tsify(optional)]
    pub name: Option<String>,
    /// What the scenario teaches.
    #[tsify(optional)]
    pub description: Option<String>,
    /// The documented AWS rule the scenario pins.
    #[tsify(optional)]
    pub rule: Option<String>,
    /// The policies, each with a unique name.
    pub policies: Vec<ScenarioPolicyInput>,
    /// The request to decide (required unless `requests` or `matrix` is
    /// given; `evaluate` decides only this one).
    #[tsify(optional)]
    pub request: Option<ScenarioRequestInput>,
    /// What the scenario expects (test corpora); the engine does not use it
    /// to decide.
    #[tsify(optional)]
    pub expect: Option<ScenarioExpectInput>,
    /// More requests against the same policies (`evaluateMany`).
    #[tsify(optional)]
    pub requests: Option<Vec<ScenarioListedRequestInput>>,
    /// Actions × principals × resources with a shared context
    /// (`evaluateMany`); one matrix or a list of them.
    #[tsify(optional, type = "MatrixInput | MatrixInput[]")]
    pub matrix: Option<serde_json::Value>,
}

/// One entry of `requests`: a request, optionally named, optionally with
/// what it expects (`Deny` accepts either kind of deny).
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct ScenarioListedRequestInput {
    /// A name for reports.
    #[tsify(optional)]
    pub name: Option<String>,
    /// The request (its action may be a wildcard such as `s3:Get*`, expanded
    /// through the catalogue).
    #[serde(flatten)]
    pub request: ScenarioRequestInput,
    /// What it expects.
    #[tsify(optional)]
    pub expect: Option<CaseExpectInput>,
    /// What single actions of its wildcard action expect instead of
    /// `expect` (the last entry naming an action wins).
    #[tsify(optional)]
    pub expectations: Option<Vec<EntryExpectationInput>>,
}

/// What one action of a wildcard entry of `requests` expects.
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct EntryExpectationInput {
    /// One action the entry's wildcard covers (any case).
    pub action: String,
    /// What it expects; `null`: nothing.
    pub expect: Option<CaseExpectInput>,
}

/// What requests of a matrix expect instead of the matrix's `expect`.
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct MatrixExpectationInput {
    /// One action the matrix's actions cover (any case).
    pub action: String,
    /// One of the matrix's principals (omitted: every one).
    #[tsify(optional)]
    pub principal: Option<String>,
    /// One of the matrix's resources (omitted: every one).
    #[tsify(optional)]
    pub resource: Option<String>,
    /// What they expect; `null`: nothing.
    pub expect: Option<CaseExpectInput>,
}

/// A principal of a matrix with its tags (from which its requests derive
/// `aws:PrincipalTag/KEY`).
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct MatrixPrincipalInput {
    /// The principal (an ARN).
    pub arn: String,
    /// Its tags.
    #[tsify(optional)]
    pub tags: Option<std::collections::BTreeMap<String, String>>,
}

/// A matrix: every action × principal × resource.
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct MatrixInput {
    /// A name shared by its requests.
    #[tsify(optional)]
    pub name: Option<String>,
    /// The principals: ARNs, or objects of an ARN and its tags.
    #[tsify(type = "(string | MatrixPrincipalInput)[]")]
    pub principals: Vec<serde_json::Value>,
    /// The actions (wildcards expand through the catalogue).
    pub actions: Vec<String>,
    /// The resources.
    pub resources: Vec<String>,
    /// The resources' account, when the ARNs lack it.
    #[tsify(optional)]
    pub resource_account: Option<String>,
    /// Condition keys shared by every request.
    #[tsify(optional, type = "Record<string, ContextValue>")]
    pub context: Option<serde_json::Value>,
    /// What every request of the matrix expects.
    #[tsify(optional)]
    pub expect: Option<CaseExpectInput>,
    /// What single requests expect instead (the last entry naming a
    /// request wins).
    #[tsify(optional)]
    pub expectations: Option<Vec<MatrixExpectationInput>>,
}

/// What a request of a list expects.
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct CaseExpectInput {
    /// The expected decision; `Deny` accepts either kind of deny.
    #[tsify(type = "Decision | \"Deny\"")]
    pub decision: String,
    /// The statements expected to decide it.
    #[tsify(optional)]
    pub determining: Option<Vec<ScenarioStatementName>>,
}

/// One policy of a scenario.
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct ScenarioPolicyInput {
    /// Its name, unique within the scenario.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub policy_type: PolicyType,
    /// For SCPs and RCPs: the organization level (`root`, an OU, `account`).
    #[tsify(optional)]
    pub level: Option<String>,
    /// For resource-based policies: the 12-digit account that owns the resource.
    #[tsify(optional)]
    pub account: Option<String>,
    /// `false` to keep the policy but leave it out of the decision.
    #[tsify(optional)]
    pub enabled: Option<bool>,
    /// Where the policy came from, for people.
    #[tsify(optional)]
    pub origin: Option<String>,
    /// The policy document, as an object or as its JSON text.
    #[tsify(type = "PolicyDocument | string")]
    pub document: serde_json::Value,
}

/// The request of a scenario.
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct ScenarioRequestInput {
    /// Principal ARN (`arn:aws:iam::111122223333:user/alice`), service
    /// principal (`ec2.amazonaws.com`), or `*` for anonymous.
    pub principal: String,
    /// `service:Operation`, e.g. `s3:GetObject`.
    pub action: String,
    /// Resource ARN or `*`.
    pub resource: String,
    /// The 12-digit account that owns the resource, when the ARN lacks it.
    #[tsify(optional)]
    pub resource_account: Option<String>,
    /// Condition keys and their values (lists for multivalued keys).
    #[tsify(optional, type = "Record<string, ContextValue>")]
    pub context: Option<serde_json::Value>,
    /// The principal's tags; the engine derives `aws:PrincipalTag/KEY`
    /// from them (a value in `context` wins).
    #[tsify(optional)]
    pub principal_tags: Option<std::collections::BTreeMap<String, String>>,
}

/// What a scenario expects.
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct ScenarioExpectInput {
    /// The expected decision; `Deny` accepts either kind of deny.
    #[tsify(type = "Decision | \"Deny\"")]
    pub decision: String,
    /// The statements expected to decide it.
    #[tsify(optional)]
    pub determining: Option<Vec<ScenarioStatementName>>,
    /// The codes of the notes the explanation is expected to carry.
    #[tsify(optional)]
    pub notes: Option<Vec<String>>,
}

/// A statement named by policy name and Sid (or `#N` for its 0-based index).
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct ScenarioStatementName {
    /// The policy's name in the scenario.
    pub policy: String,
    /// The statement's Sid, or `#N`.
    pub statement: String,
}

/// An IAM policy document, as AWS's JSON policy grammar writes it.
#[derive(Tsify, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
pub struct PolicyDocument {
    /// `2012-10-17` (policy variables work) or `2008-10-17`.
    #[tsify(optional, type = "\"2012-10-17\" | \"2008-10-17\"")]
    pub version: Option<String>,
    /// An optional identifier.
    #[tsify(optional)]
    pub id: Option<String>,
    /// One statement or a list of them.
    #[tsify(type = "PolicyStatement | PolicyStatement[]")]
    pub statement: serde_json::Value,
}

/// One statement of a policy document.
#[derive(Tsify, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
pub struct PolicyStatement {
    /// The statement id.
    #[tsify(optional)]
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    #[tsify(type = "Effect")]
    pub effect: String,
    /// Who (resource-based policies): `"*"` or `{AWS: …, Service: …}`.
    #[tsify(optional, type = "PrincipalValue")]
    pub principal: Option<serde_json::Value>,
    /// Everyone except (resource-based policies).
    #[tsify(optional, type = "PrincipalValue")]
    pub not_principal: Option<serde_json::Value>,
    /// Actions, `service:Operation` with `*` and `?` wildcards.
    #[tsify(optional, type = "string | string[]")]
    pub action: Option<serde_json::Value>,
    /// Every action except these.
    #[tsify(optional, type = "string | string[]")]
    pub not_action: Option<serde_json::Value>,
    /// Resource ARNs with wildcards and policy variables.
    #[tsify(optional, type = "string | string[]")]
    pub resource: Option<serde_json::Value>,
    /// Every resource except these.
    #[tsify(optional, type = "string | string[]")]
    pub not_resource: Option<serde_json::Value>,
    /// Operator → condition key → value(s).
    #[tsify(
        optional,
        type = "Record<string, Record<string, ContextScalar | ContextScalar[]>>"
    )]
    pub condition: Option<serde_json::Value>,
}

/// A principal element: `"*"`, or principals by kind (`AWS`, `Service`,
/// `Federated`, `CanonicalUser`).
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct PrincipalValue(
    #[tsify(type = "\"*\" | Partial<Record<PrincipalKind, string | string[]>>")] serde_json::Value,
);

/// One file of `aws iam get-account-authorization-details` output.
#[derive(Tsify, Deserialize)]
#[allow(dead_code)]
pub struct AccountFile {
    /// Its name, used in diagnostics.
    pub name: String,
    /// Its JSON text.
    pub text: String,
}

/// How to import a principal.
#[derive(Tsify, Deserialize, Default)]
#[serde(default)]
pub struct ImportAccountOptions {
    /// A role's session name (default `simulated-session`).
    #[tsify(optional)]
    pub session: Option<String>,
    /// The request's action (default `s3:ListAllMyBuckets`).
    #[tsify(optional)]
    pub action: Option<String>,
    /// The request's resource (default `*`).
    #[tsify(optional)]
    pub resource: Option<String>,
}
