//! Writing a scenario back to JSON text.

use super::{Expectation, RequestInput, Scenario};
use crate::json::{parse_json, JsonValue};
use crate::request::{ContextScalar, ContextValue};

/// How policy documents are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentStyle {
    /// Each document as a JSON string holding its exact text (share links:
    /// restores every character, even of a policy with syntax errors).
    Text,
    /// Each document as an embedded JSON object when its text is a valid
    /// JSON object (readable files), else as a string.
    Embedded,
}

pub(super) fn quote(text: &str) -> String {
    crate::json::write::quoted(text)
}

fn scalar(value: &ContextScalar) -> String {
    match value {
        ContextScalar::String(s) => quote(s),
        ContextScalar::Number(n) => n.to_string(),
        ContextScalar::Bool(b) => b.to_string(),
    }
}

pub(super) fn context_value(value: &ContextValue) -> String {
    match value {
        ContextValue::Single(s) => scalar(s),
        ContextValue::List(items) => {
            let items: Vec<String> = items.iter().map(scalar).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// Indents every line after the first by `indent`.
fn indent_rest(text: &str, indent: &str) -> String {
    text.trim()
        .lines()
        .collect::<Vec<_>>()
        .join(&format!("\n{indent}"))
}

pub(super) fn write_scenario(scenario: &Scenario, style: DocumentStyle) -> String {
    let mut out = String::from("{\n");
    for (field, value) in [
        ("name", &scenario.name),
        ("description", &scenario.description),
        ("rule", &scenario.rule),
    ] {
        if let Some(v) = value {
            out.push_str(&format!("  \"{field}\": {},\n", quote(v)));
        }
    }
    out.push_str("  \"policies\": [");
    for (i, policy) in scenario.policies.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(&format!(
            "    {{ \"name\": {}, \"type\": \"{}\"",
            quote(&policy.name),
            policy.policy_type.as_str()
        ));
        if let Some(level) = &policy.level {
            out.push_str(&format!(", \"level\": {}", quote(level)));
        }
        if let Some(account) = &policy.account {
            out.push_str(&format!(", \"account\": {}", quote(account)));
        }
        if !policy.enabled {
            out.push_str(", \"enabled\": false");
        }
        if let Some(origin) = &policy.origin {
            out.push_str(&format!(",\n      \"origin\": {}", quote(origin)));
        }
        let embeddable = style == DocumentStyle::Embedded
            && matches!(
                parse_json(&policy.text).map(|j| j.value),
                Ok(JsonValue::Object(_))
            );
        let document = if embeddable {
            indent_rest(&policy.text, "      ")
        } else {
            quote(&policy.text)
        };
        out.push_str(&format!(",\n      \"document\": {document} }}"));
    }
    out.push_str(if scenario.policies.is_empty() {
        "]"
    } else {
        "\n  ]"
    });
    if !scenario.requests.no_request {
        write_request(&mut out, &scenario.request, "  ");
    }
    if let Some(expect) = &scenario.expect {
        out.push_str(",\n  \"expect\": ");
        write_expect(&mut out, expect);
    }
    super::requests::write_lists(&mut out, &scenario.requests);
    out.push_str("\n}\n");
    out
}

/// Writes `"request": {…}` (after a comma) with `indent` before the key.
fn write_request(out: &mut String, r: &RequestInput, indent: &str) {
    out.push_str(&format!(
        ",\n{indent}\"request\": {{\n{indent}  \"principal\": {},\n{indent}  \"action\": {},\n{indent}  \"resource\": {}",
        quote(&r.principal),
        quote(&r.action),
        quote(&r.resource)
    ));
    write_account_and_context(out, r.resource_account.as_deref(), &r.context, indent);
    if !r.principal_tags.is_empty() {
        let entries: Vec<String> = r
            .principal_tags
            .iter()
            .map(|(k, v)| format!("{indent}    {}: {}", quote(k), quote(v)))
            .collect();
        out.push_str(&format!(
            ",\n{indent}  \"principal_tags\": {{\n{}\n{indent}  }}",
            entries.join(",\n")
        ));
    }
    out.push_str(&format!("\n{indent}}}"));
}

/// Writes `resource_account` and `context` (each after a comma) when given.
pub(super) fn write_account_and_context(
    out: &mut String,
    account: Option<&str>,
    context: &[(String, ContextValue)],
    indent: &str,
) {
    if let Some(account) = account {
        out.push_str(&format!(
            ",\n{indent}  \"resource_account\": {}",
            quote(account)
        ));
    }
    if !context.is_empty() {
        let entries: Vec<String> = context
            .iter()
            .map(|(k, v)| format!("{indent}    {}: {}", quote(k), context_value(v)))
            .collect();
        out.push_str(&format!(
            ",\n{indent}  \"context\": {{\n{}\n{indent}  }}",
            entries.join(",\n")
        ));
    }
}

/// Writes an `expect` object.
pub(super) fn write_expect(out: &mut String, expect: &Expectation) {
    out.push_str(&format!("{{ \"decision\": {}", quote(&expect.decision)));
    if let Some(determining) = &expect.determining {
        let items: Vec<String> = determining
            .iter()
            .map(|d| {
                format!(
                    "{{ \"policy\": {}, \"statement\": {} }}",
                    quote(&d.policy),
                    quote(&d.statement)
                )
            })
            .collect();
        out.push_str(&format!(", \"determining\": [{}]", items.join(", ")));
    }
    if let Some(notes) = &expect.notes {
        let items: Vec<String> = notes.iter().map(|n| quote(n)).collect();
        out.push_str(&format!(", \"notes\": [{}]", items.join(", ")));
    }
    out.push_str(" }");
}
