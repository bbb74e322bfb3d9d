//! Account files in, answers out: the principal listing and the import of
//! one principal, shared by the JavaScript API (and natively tested).

use serde::Serialize;

use crate::account::{
    read_account, AccountRead, ImportDiagnostic, ImportOptions, MissingPolicy, PrincipalSummary,
};
use crate::json::{parse_json_nested, Json, JsonValue};
use crate::request::parse_json_number;
use crate::scenario::DocumentStyle;

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
        scenario: serde_json::Value,
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
            let text = imported.scenario.to_json(DocumentStyle::Embedded);
            let scenario = json_value(&text).unwrap_or(serde_json::Value::Null);
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

/// The levels of arrays and objects `serde_json::from_str` reads.
const SERDE_JSON_DEPTH: usize = 127;

/// `text` as a [`serde_json::Value`], as `serde_json::from_str` reads it
/// (object keys sorted, the last of duplicate keys kept), with the engine's
/// own JSON reader: the JavaScript package then needs no second JSON
/// reader. `None` when serde_json would fail.
fn json_value(text: &str) -> Option<serde_json::Value> {
    fn convert(json: &Json<'_>) -> Option<serde_json::Value> {
        use serde_json::Value;
        Some(match &json.value {
            JsonValue::Null => Value::Null,
            JsonValue::Bool(b) => Value::Bool(*b),
            JsonValue::Number(n) => Value::Number(parse_json_number(n)?),
            JsonValue::String(s) => Value::String(s.clone().into_owned()),
            JsonValue::Array(items) => {
                Value::Array(items.iter().map(convert).collect::<Option<_>>()?)
            }
            JsonValue::Object(members) => {
                let mut map = serde_json::Map::new();
                for m in members {
                    map.insert(m.key.clone().into_owned(), convert(&m.value)?);
                }
                Value::Object(map)
            }
        })
    }
    convert(&parse_json_nested(text, SERDE_JSON_DEPTH).ok()?)
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
    fn values_read_as_serde_json_reads_them() {
        for text in [
            r#"{"b": [1, -0, 2.5, 1e400], "a": null}"#,
            r#"{"b": [1, -0, 2.5e-3, "x\u00e9\n"], "a": {"z": true, "y": false}, "b": 3}"#,
            "[]",
            "  \"text\"  ",
            "[1, 2",
            r#"{"a": 1,}"#,
            &format!("{}{}", "[".repeat(127), "]".repeat(127)),
            &format!("{}{}", "[".repeat(128), "]".repeat(128)),
        ] {
            let theirs: Option<serde_json::Value> = serde_json::from_str(text).ok();
            let ours = json_value(text);
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(
                ours.map(|v| v.to_string()),
                theirs.map(|v| v.to_string()),
                "{text}"
            );
        }
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
}
