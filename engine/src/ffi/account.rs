//! Account files in, answers out: the principal listing and the import of
//! one principal, shared by the JavaScript API (and natively tested).

use serde::Serialize;

use crate::account::who_can::{WhoCanCounts, WhoCanJson, WhoCanRowJson};
use crate::account::WhoCanQuery;
use crate::account::{
    read_account, AccountRead, ImportDiagnostic, ImportOptions, MissingPolicy, PrincipalSummary,
};
use crate::json::write::{
    numbers_read, sorted_members, to_json_string, Sorted, SortedJson, SERDE_JSON_DEPTH,
};
use crate::json::{parse_json_nested, Json, JsonValue};
use crate::policy::PolicyType;
use crate::request::{parse_json_number, ContextScalar, ContextValue};
use crate::scenario::{DocumentStyle, ScenarioPolicy};

/// What reading account files gives: the principals to pick from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AccountListing {
    /// The files were read (perhaps with warnings, or errors in some
    /// entries, which are then left out).
    Read {
        /// Users, then groups, then roles, each in file order.
        principals: Vec<PrincipalSummary>,
        /// How many managed policies the files hold.
        managed_policies: usize,
        /// Every problem, each with its file, JSON path, line and column.
        diagnostics: Vec<ImportDiagnostic>,
    },
    /// No file could be read as account details.
    Invalid {
        /// Why.
        diagnostics: Vec<ImportDiagnostic>,
    },
}

/// The scenario of one principal, or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ImportAnswer {
    /// The principal's scenario.
    Imported {
        /// The scenario (the scenario JSON format, documents as objects):
        /// give it to `evaluate` as it is, or change its request first.
        #[cfg_attr(feature = "wasm", tsify(type = "ScenarioInput"))]
        scenario: SortedJson,
        /// Who was imported.
        principal: PrincipalSummary,
        /// Managed policies attached but absent from the files.
        missing: Vec<MissingPolicy>,
        /// Problems met reading the files and in the imported policies.
        diagnostics: Vec<ImportDiagnostic>,
    },
    /// The files could not be read, or the principal is not in them.
    Invalid {
        /// Why.
        diagnostics: Vec<ImportDiagnostic>,
    },
}

fn nothing_read(read: &AccountRead) -> bool {
    let a = &read.account;
    read.has_errors()
        && a.users.is_empty()
        && a.groups.is_empty()
        && a.roles.is_empty()
        && a.policies.is_empty()
}

/// Reads account files (`name`, `text`) and lists their principals.
pub fn list_account_principals<N: AsRef<str>, T: AsRef<str>>(files: &[(N, T)]) -> AccountListing {
    let read = read_account(files);
    if nothing_read(&read) {
        return AccountListing::Invalid {
            diagnostics: read.diagnostics,
        };
    }
    AccountListing::Read {
        principals: read.account.principals(),
        managed_policies: read.account.policies.len(),
        diagnostics: read.diagnostics,
    }
}

/// Reads account files and imports `principal` (see
/// [`crate::account::Account::import`]).
pub fn import_account<N: AsRef<str>, T: AsRef<str>>(
    files: &[(N, T)],
    principal: &str,
    options: &ImportOptions,
) -> ImportAnswer {
    let read = read_account(files);
    if nothing_read(&read) {
        return ImportAnswer::Invalid {
            diagnostics: read.diagnostics,
        };
    }
    let mut diagnostics = read.diagnostics;
    match read.account.import(principal, options) {
        Ok(imported) => {
            // Written as serde_json wrote the `Value` it read from this
            // text (keys sorted).
            let scenario = SortedJson(imported.scenario.to_json(DocumentStyle::Embedded));
            diagnostics.extend(imported.diagnostics);
            ImportAnswer::Imported {
                scenario,
                principal: imported.principal,
                missing: imported.missing,
                diagnostics,
            }
        }
        Err(d) => {
            diagnostics.push(*d);
            ImportAnswer::Invalid { diagnostics }
        }
    }
}

/// The answer of `whoCan`: `{counts, diagnostics, rows, status:
/// "checked"}` or `{diagnostics, status: "invalid"}`, keys in that
/// (alphabetical) order, as the `serde_json::Value` it was once built as
/// wrote them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhoCanAnswer {
    /// How many rows of each decision (checked only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<WhoCanCounts>,
    /// Problems met reading the files and the query (each with its file,
    /// JSON path, line and column), keys sorted.
    pub diagnostics: SortedJson,
    /// One row per principal and action (checked only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<WhoCanRowJson>>,
    /// `checked` or `invalid`.
    pub status: &'static str,
}

impl WhoCanAnswer {
    /// The answer when nothing could be decided.
    pub fn invalid(diagnostics: &[ImportDiagnostic]) -> Self {
        WhoCanAnswer {
            counts: None,
            diagnostics: SortedJson::of(diagnostics),
            rows: None,
            status: "invalid",
        }
    }
}

/// Reads account files and decides one request for many of their users
/// and roles (see [`crate::account::Account::who_can`]). `query` is the
/// JSON text of a `WhoCanQuery` (`actions`, `resource`,
/// `resource_policy`, `resource_account`, `context`, `principals`, `kind`,
/// `session`), read as serde_json reads it (the last of duplicate keys;
/// text serde_json refuses is no object); the answer is `{status:
/// "checked", counts, rows, diagnostics}` (rows as
/// [`crate::account::WhoCan::to_json`] writes them) or `{status:
/// "invalid", diagnostics}`.
pub fn who_can<N: AsRef<str>, T: AsRef<str>>(files: &[(N, T)], query: &str) -> WhoCanAnswer {
    let read = read_account(files);
    if nothing_read(&read) {
        return WhoCanAnswer::invalid(&read.diagnostics);
    }
    let mut diagnostics = read.diagnostics;
    let account = read.account;
    let parsed = parse_json_nested(query, SERDE_JSON_DEPTH)
        .ok()
        .filter(numbers_read);
    let (query, picks, kind) = match who_can_query(parsed.as_ref()) {
        Ok(parsed) => parsed,
        Err(d) => {
            diagnostics.push(*d);
            return WhoCanAnswer::invalid(&diagnostics);
        }
    };
    let principals = if picks.is_empty() {
        account.who_can_all()
    } else {
        match account.who_can_principals(&picks) {
            Ok(p) => p,
            Err(d) => {
                diagnostics.push(*d);
                return WhoCanAnswer::invalid(&diagnostics);
            }
        }
    };
    let principals: Vec<_> = principals
        .into_iter()
        .filter(|(k, _)| kind.as_deref().is_none_or(|want| want == k.as_str()))
        .collect();
    match account.who_can(&principals, &query) {
        Ok(answer) => {
            let WhoCanJson { counts, rows } = answer.to_json();
            WhoCanAnswer {
                counts: Some(counts),
                diagnostics: SortedJson::of(&diagnostics),
                rows: Some(rows),
                status: "checked",
            }
        }
        Err(errors) => {
            diagnostics.extend(errors.into_iter().map(|diagnostic| ImportDiagnostic {
                at: crate::account::Location::default(),
                diagnostic,
            }));
            WhoCanAnswer::invalid(&diagnostics)
        }
    }
}

/// The query, the principals asked for and the kind kept, from JSON
/// (`None`: not JSON serde_json reads).
fn who_can_query(
    value: Option<&Json<'_>>,
) -> Result<(WhoCanQuery, Vec<String>, Option<String>), Box<ImportDiagnostic>> {
    let wrong = |what: &str, help: &str| {
        Box::new(ImportDiagnostic {
            at: crate::account::Location::default(),
            diagnostic: crate::Diagnostic::error(
                "wrong-type",
                format!("the query's {what}"),
                crate::Span::default(),
            )
            .with_help(help.to_owned()),
        })
    };
    let Some(JsonValue::Object(members)) = value.map(|v| &v.value) else {
        return Err(wrong(
            "shape is not an object",
            "pass {actions: [\"s3:GetObject\"], resource: \"arn:aws:s3:::bucket/key\"}",
        ));
    };
    let members = sorted_members(members);
    let get = |key: &str| members.iter().find(|m| m.key == key).map(|m| &m.value);
    let strings = |key: &str| -> Result<Vec<String>, Box<ImportDiagnostic>> {
        let not_strings = || wrong(&format!("`{key}` is not a list of strings"), "give strings");
        match get(key).map(|v| &v.value) {
            None | Some(JsonValue::Null) => Ok(Vec::new()),
            Some(JsonValue::String(s)) => Ok(vec![s.to_string()]),
            Some(JsonValue::Array(items)) => items
                .iter()
                .map(|i| match &i.value {
                    JsonValue::String(s) => Some(s.to_string()),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()
                .ok_or_else(not_strings),
            Some(_) => Err(not_strings()),
        }
    };
    let text = |key: &str| -> Result<Option<String>, Box<ImportDiagnostic>> {
        match get(key).map(|v| &v.value) {
            None | Some(JsonValue::Null) => Ok(None),
            Some(JsonValue::String(s)) => Ok(Some(s.to_string())),
            Some(_) => Err(wrong(&format!("`{key}` is not a string"), "give a string")),
        }
    };
    let mut context = Vec::new();
    match get("context").map(|v| &v.value) {
        None | Some(JsonValue::Null) => {}
        Some(JsonValue::Object(keys)) => {
            for member in sorted_members(keys) {
                let key = &member.key;
                let scalar = |v: &Json<'_>| match &v.value {
                    JsonValue::String(s) => Some(ContextScalar::from(&**s)),
                    JsonValue::Number(n) => parse_json_number(n).map(ContextScalar::Number),
                    JsonValue::Bool(b) => Some(ContextScalar::Bool(*b)),
                    _ => None,
                };
                let value = match &member.value.value {
                    JsonValue::Array(items) => items
                        .iter()
                        .map(scalar)
                        .collect::<Option<Vec<_>>>()
                        .map(ContextValue::List),
                    _ => scalar(&member.value).map(ContextValue::Single),
                };
                let value = value.ok_or_else(|| {
                    wrong(
                        &format!(
                            "context key `{key}` has no string, number, boolean or list value"
                        ),
                        "give e.g. {\"aws:SourceIp\": \"203.0.113.7\"}",
                    )
                })?;
                context.push((key.to_string(), value));
            }
        }
        Some(_) => return Err(wrong("`context` is not an object", "give {key: value}")),
    }
    let resource_policy = match get("resource_policy") {
        None => None,
        Some(policy) => match &policy.value {
            JsonValue::Null => None,
            JsonValue::String(s) => Some(s.to_string()),
            JsonValue::Object(_) => Some(to_json_string(&Sorted(policy)).unwrap_or_default()),
            _ => {
                return Err(wrong(
                    "`resource_policy` is not a policy",
                    "give the policy as text or as an object",
                ))
            }
        },
    };
    let query = WhoCanQuery {
        actions: strings("actions")?,
        resource: text("resource")?.unwrap_or_else(|| "*".to_owned()),
        resource_account: text("resource_account")?,
        resource_policy: resource_policy.map(|text| {
            ScenarioPolicy::new("ResourcePolicy", PolicyType::Resource, text)
                .with_origin("resource-based policy given for the check")
        }),
        context,
        session: text("session")?,
    };
    Ok((query, strings("principals")?, text("kind")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::generate::generate;

    #[test]
    fn lists_and_imports() {
        let text = generate(7, 20_000);
        let files = [("details.json", text.as_str())];
        let AccountListing::Read {
            principals,
            managed_policies,
            diagnostics,
        } = list_account_principals(&files)
        else {
            panic!("not read");
        };
        assert!(diagnostics.is_empty());
        assert!(managed_policies >= 4);
        assert_eq!(principals[0].name, "alice");
        let answer = import_account(&files, "alice", &ImportOptions::default());
        let ImportAnswer::Imported {
            scenario, missing, ..
        } = &answer
        else {
            panic!("{answer:?}");
        };
        assert!(missing.is_empty());
        let scenario = serde_json::to_value(scenario).unwrap();
        assert_eq!(scenario["policies"][1]["name"], "DeveloperAccess");
        assert_eq!(scenario["policies"][1]["document"]["Version"], "2012-10-17");
        assert_eq!(scenario["request"]["principal_tags"]["team"], "dev");
        let evaluated = crate::ffi::evaluate_scenario_text(&scenario.to_string());
        assert!(evaluated.is_ok());
        let json = serde_json::to_value(&answer).unwrap();
        assert_eq!(json["status"], "imported");
        assert_eq!(json["principal"]["kind"], "user");
    }

    #[test]
    fn bad_files_and_unknown_principals_are_diagnostics() {
        let answer = import_account(&[("x.json", "{")], "alice", &ImportOptions::default());
        let ImportAnswer::Invalid { diagnostics } = answer else {
            panic!()
        };
        assert_eq!(diagnostics[0].diagnostic.code, "json-syntax");
        assert_eq!(diagnostics[0].at.file, "x.json");
        let text = generate(7, 0);
        let answer = import_account(
            &[("d.json", text.as_str())],
            "nobody",
            &ImportOptions::default(),
        );
        let ImportAnswer::Invalid { diagnostics } = answer else {
            panic!()
        };
        assert_eq!(diagnostics[0].diagnostic.code, "unknown-principal");
        assert!(matches!(
            list_account_principals(&[("x.json", "[]")]),
            AccountListing::Invalid { .. }
        ));
    }

    /// `who_can`'s answer to `query`, as a value.
    fn who_can_value(files: &[(&str, &str)], query: serde_json::Value) -> serde_json::Value {
        let answer = who_can(files, &query.to_string());
        let text = to_json_string(&answer).unwrap();
        // Keys sorted, as the `serde_json::Value` the answer was once.
        assert_eq!(text, serde_json::to_value(&answer).unwrap().to_string());
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn who_can_from_json() {
        let text = generate(7, 20_000);
        let files = [("details.json", text.as_str())];
        let answer = who_can_value(
            &files,
            serde_json::json!({
                "actions": "s3:PutObject",
                "resource": "arn:aws:s3:::dev-bucket/x",
                "resource_policy": { "Version": "2012-10-17", "Statement": {
                    "Sid": "NoCarol", "Effect": "Deny",
                    "Principal": { "AWS": "arn:aws:iam::111122223333:user/carol" },
                    "Action": "s3:*", "Resource": "*" } },
                "principals": ["alice", "bob", "carol", "arn:aws:iam::111122223333:role/ci/DeployRole"],
                "kind": "user",
                "context": { "aws:SourceIp": "203.0.113.7", "aws:TagKeys": ["a", "b"] }
            }),
        );
        assert_eq!(answer["status"], "checked", "{answer}");
        let rows = answer["rows"].as_array().unwrap();
        let got: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r["name"].as_str().unwrap(), r["decision"].as_str().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                ("alice", "Allow"),
                ("bob", "ImplicitDeny"),
                ("carol", "ExplicitDeny")
            ]
        );
        assert_eq!(rows[2]["deciding"][0]["policy"], "ResourcePolicy");
        assert_eq!(answer["counts"]["allow"], 1);
        assert_eq!(answer["diagnostics"], serde_json::json!([]));
        for bad in [
            serde_json::json!("s3:GetObject"),
            serde_json::json!({ "actions": 7 }),
            serde_json::json!({ "actions": [] }),
            serde_json::json!({ "actions": "s3:GetObject", "context": { "k": {} } }),
            serde_json::json!({ "actions": "s3:GetObject", "principals": ["nobody"] }),
            serde_json::json!({ "actions": "s3:GetObject", "resource_policy": "{" }),
        ] {
            let answer = who_can_value(&files, bad.clone());
            assert_eq!(answer["status"], "invalid", "{bad}: {answer}");
            assert!(answer["diagnostics"][0]["diagnostic"]["message"].is_string());
        }
    }
}
