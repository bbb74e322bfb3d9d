//! Checks for the app's decoders (share links, import), which live in the
//! web crate (`iam-playground`, compiled natively here).

use iam_playground::import_export::{export_text, import_text};
use iam_playground::share_link::{fragment_for, workspace_from_fragment};
use iam_playground::workspace::Workspace;

/// What the app evaluates for a workspace (the scenario it builds: request
/// fields and context keys trimmed, context rows read as typed values),
/// with each policy's text through `text`; and the rows it cannot read.
#[derive(Debug, PartialEq)]
struct Meant {
    name: Option<String>,
    description: Option<String>,
    policies: Vec<(String, iam_engine::PolicyType, Option<String>, Option<String>, String)>,
    request: (String, String, String, Option<String>),
    context: Vec<(String, iam_engine::request::ContextValue)>,
    unreadable_rows: usize,
}

fn meant(ws: &Workspace, text: impl Fn(&str) -> String) -> Meant {
    let (scenario, bad_rows) = ws.to_scenario();
    Meant {
        name: scenario.name.clone(),
        description: scenario.description.clone(),
        policies: scenario
            .policies
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.policy_type,
                    p.level.clone(),
                    p.account.clone(),
                    text(&p.text),
                )
            })
            .collect(),
        request: (
            scenario.request.principal.clone(),
            scenario.request.action.clone(),
            scenario.request.resource.clone(),
            scenario.request.resource_account.clone(),
        ),
        context: scenario.request.context.clone(),
        unreadable_rows: bad_rows.len(),
    }
}

/// A message for the person: not empty, about `subject`, one line, and
/// without a Rust debug dump.
pub fn check_message(message: &str, subject: &str) {
    assert!(
        message.starts_with(subject),
        "message not about {subject}: {message}"
    );
    assert!(!message.contains('\n'), "message on several lines: {message}");
    assert!(!message.contains("Some("), "debug output in: {message}");
}

/// A share link: an error explains itself; a workspace it opens, shared
/// again, opens to the same scenario (every policy's exact text).
pub fn check_link(fragment: &str) {
    match workspace_from_fragment(fragment) {
        None => panic!("`#s=` not taken for a share link"),
        Some(Err(e)) => {
            let message = e.to_string();
            check_message(&message, "the share link");
            assert!(!message.ends_with('.'), "final period: {message}");
            assert!(!e.help().is_empty());
        }
        Some(Ok(ws)) => {
            let again = match workspace_from_fragment(&fragment_for(&ws)) {
                Some(Ok(again)) => again,
                other => panic!("a shared workspace does not open again: {other:?}"),
            };
            assert_eq!(
                meant(&ws, str::to_owned),
                meant(&again, str::to_owned),
                "a share link lost data"
            );
        }
    }
}

/// `text` without the whitespace between JSON tokens (strings kept exactly).
pub fn json_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}

/// An imported workspace, exported and imported again, is the same
/// scenario: policies written as objects may be re-indented (their JSON
/// tokens stay), everything else is exact.
pub fn check_export_round_trip(ws: &Workspace) {
    let exported = export_text(ws);
    let again = match import_text(&exported, &Workspace::default(), "the export") {
        Ok(imported) => imported.workspace,
        Err(e) => panic!("an export does not import: {e}\n{exported}"),
    };
    assert_eq!(
        meant(ws, json_tokens),
        meant(&again, json_tokens),
        "export and import lost data:\n{exported}"
    );
}
