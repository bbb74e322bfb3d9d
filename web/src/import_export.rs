//! Import and export of scenarios: the pure part (what a pasted or dropped
//! text becomes, the download's file name) is natively tested; the browser
//! part downloads a file and reads a picked or dropped one.

use iam_engine::json::parse_json_nested;
use iam_engine::limits::{
    describe_bytes, thousands, MAX_POLICY_BYTES, MAX_SCENARIO_BYTES, MAX_SCENARIO_DEPTH,
    TOO_LARGE_POLICY_HELP, TOO_LARGE_SCENARIO_HELP,
};
use iam_engine::scenario::DocumentStyle;
use iam_engine::{PolicyType, SourceText};
use wasm_bindgen::JsCast;

use crate::workspace::{PolicyDraft, Workspace};

/// What an imported text became.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The workspace to show.
    pub workspace: Workspace,
    /// What happened, for the notice.
    pub message: String,
}

/// Refuses an input of `size` bytes over the scenario limit, saying the
/// limit, the size and what to do (`source`: "the pasted text", "`a.json`").
pub fn check_size(source: &str, size: usize) -> Result<(), String> {
    if size > MAX_SCENARIO_BYTES {
        return Err(format!(
            "{source} is {} bytes, over the limit of {} ({TOO_LARGE_SCENARIO_HELP})",
            thousands(size),
            describe_bytes(MAX_SCENARIO_BYTES)
        ));
    }
    Ok(())
}

/// Reads a scenario file, or a single policy (which is added to `current`
/// as a new identity policy). The error names the line and column and says
/// what is wrong (YAML, JSON syntax, a scenario field, a size limit…).
pub fn import_text(text: &str, current: &Workspace, source: &str) -> Result<Imported, String> {
    check_size(source, text.len())?;
    let json = match parse_json_nested(text, MAX_SCENARIO_DEPTH) {
        Ok(json) => json,
        Err(e) => {
            let at = SourceText::new(text).line_col(e.span.start);
            let help = e.help.map(|h| format!(" ({h})")).unwrap_or_default();
            return Err(format!(
                "{source} cannot be read: line {}, column {}: {}{help}",
                at.line, at.column, e.message
            ));
        }
    };
    if ["UserDetailList", "GroupDetailList", "RoleDetailList"]
        .iter()
        .any(|k| json.get(k).is_some())
    {
        return Err(format!(
            "{source} is the output of `aws iam get-account-authorization-details`, not a scenario: open “Account…” to load it and pick a user, role or group to simulate"
        ));
    }
    let is_policy = json.get("policies").is_none()
        && (json.get("Statement").is_some() || json.get("Version").is_some());
    if is_policy {
        let policy = text.trim();
        if policy.len() > MAX_POLICY_BYTES {
            return Err(format!(
                "{source} is a policy of {} bytes, over the limit of {} ({TOO_LARGE_POLICY_HELP})",
                thousands(policy.len()),
                describe_bytes(MAX_POLICY_BYTES)
            ));
        }
        let mut workspace = current.clone();
        let id = workspace.take_id();
        let name = workspace.unused_name("ImportedPolicy");
        workspace.policies.push(PolicyDraft {
            id,
            name: name.clone(),
            policy_type: PolicyType::Identity,
            level: String::new(),
            account: String::new(),
            text: policy.to_owned(),
            collapsed: false,
            enabled: true,
            origin: None,
        });
        return Ok(Imported {
            workspace,
            message: format!(
                "{source} is a single policy: added it as the identity policy `{name}` (change its type in its editor)"
            ),
        });
    }
    match Workspace::from_scenario_text(text) {
        Ok(workspace) => {
            let name = workspace
                .name
                .clone()
                .map(|n| format!(" “{}”", crate::gallery::display_title(&n)))
                .unwrap_or_default();
            Ok(Imported {
                workspace,
                message: format!("Loaded the scenario{name} from {source}"),
            })
        }
        Err(diagnostics) => Err(match diagnostics.iter().find(|d| d.is_error()) {
            Some(d) => {
                let help = d
                    .help
                    .as_ref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                format!(
                    "{source} is not a scenario: line {}, column {}: {}{help}",
                    d.line, d.column, d.message
                )
            }
            None => format!("{source} is not a scenario"),
        }),
    }
}

/// The download's file name, from the scenario's name.
pub fn file_name(workspace: &Workspace) -> String {
    let slug: String = workspace
        .name
        .as_deref()
        .unwrap_or("")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug: String = slug.chars().take(60).collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "iam-scenario.json".to_owned()
    } else {
        format!("{slug}.json")
    }
}

/// The file's text: readable embedded policy objects.
pub fn export_text(workspace: &Workspace) -> String {
    let mut text = workspace.to_json(DocumentStyle::Embedded);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// Starts a download of `text` as `name` (a `blob:` URL: nothing is sent).
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| format!("the download could not start: {e:?}");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document = gloo::utils::document();
    let anchor: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "the download could not start".to_owned())?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // Revoke later: some browsers read the URL after `click` returns.
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Reads a picked or dropped file's text.
pub async fn read_file(file: web_sys::File) -> Result<String, String> {
    let name = file.name();
    // `size` is a whole number of bytes; the cast saturates.
    check_size(&format!("`{name}`"), file.size() as usize)?;
    wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| format!("`{name}` could not be read as text"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery::EXAMPLES;

    #[test]
    fn a_scenario_file_round_trips_through_export() {
        let ws = EXAMPLES[2].workspace();
        let text = export_text(&ws);
        assert!(text.contains("\"document\": {"), "{text}");
        let imported = import_text(&text, &Workspace::default(), "the file").unwrap();
        assert_eq!(imported.workspace.policies.len(), ws.policies.len());
        assert_eq!(imported.workspace.request, ws.request);
        for (a, b) in imported.workspace.policies.iter().zip(&ws.policies) {
            assert_eq!(a.text, b.text);
        }
        assert!(
            imported.message.contains("“Cross-account bucket access"),
            "{}",
            imported.message
        );
    }

    #[test]
    fn a_single_policy_becomes_a_new_identity_policy() {
        let current = EXAMPLES[0].workspace();
        let policy = "{\"Version\": \"2012-10-17\", \"Statement\": []}\n";
        let imported = import_text(policy, &current, "the pasted text").unwrap();
        let added = imported.workspace.policies.last().unwrap();
        assert_eq!(added.policy_type, PolicyType::Identity);
        assert_eq!(added.text, policy.trim());
        assert_eq!(added.name, "ImportedPolicy");
        assert_eq!(
            imported.workspace.policies.len(),
            current.policies.len() + 1
        );
        assert_eq!(imported.workspace.request, current.request);
    }

    #[test]
    fn yaml_and_bad_json_say_what_and_where() {
        let yaml = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n";
        let e = import_text(yaml, &Workspace::default(), "the pasted text").unwrap_err();
        assert!(e.contains("YAML"), "{e}");
        assert!(e.contains("line 1, column 1"), "{e}");

        let bad = "{\n  \"policies\": [\n    {\"name\": \"A\",, }\n  ]\n}";
        let e = import_text(bad, &Workspace::default(), "the file").unwrap_err();
        assert!(
            e.starts_with("the file cannot be read: line 3, column"),
            "{e}"
        );

        let wrong = "{\"policies\": 5, \"request\": {}}";
        let e = import_text(wrong, &Workspace::default(), "the file").unwrap_err();
        assert!(e.starts_with("the file is not a scenario: line 1"), "{e}");
    }

    #[test]
    fn account_details_point_to_the_account_dialog() {
        let e = import_text(
            "{\"UserDetailList\": []}",
            &Workspace::default(),
            "`d.json`",
        )
        .unwrap_err();
        assert!(e.contains("open “Account…”"), "{e}");
    }

    #[test]
    fn imports_are_read_up_to_the_limits() {
        let ws = EXAMPLES[2].workspace();
        let text = export_text(&ws);
        let at = format!("{text}{}", " ".repeat(MAX_SCENARIO_BYTES - text.len()));
        assert!(import_text(&at, &Workspace::default(), "the file").is_ok());
        let over = format!("{at} ");
        let e = import_text(&over, &Workspace::default(), "the file").unwrap_err();
        assert_eq!(
            e,
            format!("the file is 4,194,305 bytes, over the limit of 4 MiB (4,194,304 bytes) ({TOO_LARGE_SCENARIO_HELP})")
        );
        assert_eq!(check_size("`a.json`", MAX_SCENARIO_BYTES), Ok(()));
        assert!(check_size("`a.json`", MAX_SCENARIO_BYTES + 1)
            .unwrap_err()
            .starts_with("`a.json` is 4,194,305 bytes, over the limit"));

        // A single policy: at most 1 MiB (surrounding whitespace aside).
        let policy = "{\"Version\": \"2012-10-17\", \"Statement\": []}";
        let body = policy.strip_suffix('}').unwrap();
        let sized = |n: usize| format!("{body}{}}}", " ".repeat(n - policy.len()));
        let imported = import_text(
            &format!("\n{}\n", sized(MAX_POLICY_BYTES)),
            &Workspace::default(),
            "the pasted text",
        )
        .unwrap();
        assert_eq!(
            imported.workspace.policies.last().unwrap().text.len(),
            MAX_POLICY_BYTES
        );
        let e = import_text(
            &sized(MAX_POLICY_BYTES + 1),
            &Workspace::default(),
            "the pasted text",
        )
        .unwrap_err();
        assert!(
            e.starts_with("the pasted text is a policy of 1,048,577 bytes, over the limit of 1 MiB (1,048,576 bytes) (AWS's own quotas"),
            "{e}"
        );

        // Nesting: a scenario may nest as deep as a policy plus its frame.
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_SCENARIO_DEPTH + 1),
            "]".repeat(MAX_SCENARIO_DEPTH + 1)
        );
        let e = import_text(&deep, &Workspace::default(), "the file").unwrap_err();
        assert!(e.contains("nested more than 67 levels deep"), "{e}");
    }

    /// Found by the `import` fuzz target: a context key written with spaces
    /// around it shows as written, is evaluated trimmed, and an export of it
    /// imports back to the same scenario.
    #[test]
    fn a_spaced_context_key_survives_export() {
        let text = r#"{"policies": [], "request": {"principal": "arn:aws:iam::111122223333:user/alice",
            "action": "s3:GetObject", "resource": "*", "context": {"  aws:SecureTransport": false}}}"#;
        let ws = import_text(text, &Workspace::default(), "the file")
            .unwrap()
            .workspace;
        assert_eq!(ws.request.context[0].key, "  aws:SecureTransport");
        let again = import_text(&export_text(&ws), &Workspace::default(), "the export")
            .unwrap()
            .workspace;
        assert_eq!(
            again.to_scenario().0.request.context,
            ws.to_scenario().0.request.context
        );
        assert_eq!(
            again.to_scenario().0.request.context[0].0,
            "aws:SecureTransport"
        );
    }

    #[test]
    fn file_names_come_from_the_scenario_name() {
        let ws = EXAMPLES[0].workspace();
        assert_eq!(
            file_name(&ws),
            "gallery-01-users-manage-their-own-password-and-access-keys.json"
        );
        assert_eq!(file_name(&Workspace::default()), "iam-scenario.json");
    }
}
