//! Reading a scenario file with the spanned JSON reader.

use super::{
    Expectation, RequestInput, RequestSpans, Scenario, ScenarioParse, ScenarioPolicy, StatementName,
};
use crate::diagnostics::Diagnostic;
use crate::json::{parse_json_lazy, parse_json_unchecked, Json, JsonError, JsonValue, Member};
use crate::limits::{
    MAX_SCENARIO_BYTES, MAX_SCENARIO_DEPTH, SCENARIO_NESTING, TOO_LARGE_SCENARIO_HELP,
};
use crate::parse::parse_policy;
use crate::parse::values::{known_members, type_error};
use crate::policy::PolicyType;
use crate::request::{parse_json_number, ContextScalar, ContextValue};
use crate::source::{SourceText, Span};
use crate::suggest::closest;
use crate::text::Text;

const SCENARIO_FIELDS: &[&str] = &[
    "name",
    "description",
    "rule",
    "policies",
    "request",
    "expect",
    "requests",
    "matrix",
];
const POLICY_FIELDS: &[&str] = &[
    "name", "type", "level", "account", "enabled", "origin", "document",
];
pub(super) const REQUEST_FIELDS: &[&str] = &[
    "principal",
    "action",
    "resource",
    "resource_account",
    "context",
    "principal_tags",
];
const EXPECT_FIELDS: &[&str] = &["decision", "determining", "notes"];
/// The fields of an `expect` in `requests` and `matrix`: their compact
/// results carry no notes to check.
pub(super) const CASE_EXPECT_FIELDS: &[&str] = &["decision", "determining"];
const DETERMINING_FIELDS: &[&str] = &["policy", "statement"];
/// The decisions an `expect` may name: `Deny` is either kind of deny.
pub(super) const DECISIONS: &[&str] = &["Allow", "Deny", "ExplicitDeny", "ImplicitDeny"];

pub(super) fn read_scenario(text: &str) -> ScenarioParse {
    let source = SourceText::new(text);
    let mut out = Vec::new();
    let scenario = if text.len() > MAX_SCENARIO_BYTES {
        out.push(crate::limits::too_large(
            "scenario",
            text.len(),
            MAX_SCENARIO_BYTES,
            TOO_LARGE_SCENARIO_HELP,
        ));
        None
    } else {
        // Policy documents are read once each, from their own text: the
        // scenario's pass only finds where each ends.
        match parse_json_unchecked(text, "document", MAX_SCENARIO_DEPTH) {
            Ok((json, unchecked)) => {
                let scenario = read_root(&json, &source, &mut out);
                // Each document left unchecked must have read as JSON on its
                // own; otherwise the whole text is checked, and its first
                // syntax error is the scenario's (as if read in one pass).
                let read = scenario.as_ref().map_or(0, |s| {
                    s.policies
                        .iter()
                        .filter(|p| p.text_offset.is_some() && p.parsed.policy.is_some())
                        .count()
                });
                match parse_json_lazy_if(read != unchecked, text) {
                    Ok(()) => scenario,
                    Err(e) => {
                        out.clear();
                        syntax_error(e, &mut out);
                        None
                    }
                }
            }
            Err(e) => {
                syntax_error(e, &mut out);
                None
            }
        }
    };
    let mut diagnostics: Vec<Diagnostic> = out.into_iter().map(|d| d.locate(&source)).collect();
    if let Some(s) = &scenario {
        for policy in s.policies.iter().filter(|p| p.enabled) {
            for d in &policy.parsed.diagnostics {
                let d = d.clone().in_policy(&policy.name);
                diagnostics.push(match policy.text_offset {
                    Some(offset) => shift(d, offset).locate(&source),
                    None => d,
                });
            }
        }
        diagnostics.extend(s.check_policies().into_iter().map(|d| d.locate(&source)));
        if !s.requests.no_request {
            if let Err(errors) = s.build_request() {
                diagnostics.extend(errors.into_iter().map(|d| d.locate(&source)));
            }
        }
        diagnostics.extend(s.requests.check().into_iter().map(|d| d.locate(&source)));
    }
    ScenarioParse {
        scenario,
        diagnostics,
    }
}

/// Checks the whole of `text` when `needed` (see [`parse_json_unchecked`]).
fn parse_json_lazy_if(needed: bool, text: &str) -> Result<(), JsonError> {
    if needed {
        parse_json_lazy(text, "document", MAX_SCENARIO_DEPTH)?;
    }
    Ok(())
}

/// The scenario's JSON syntax error (or nesting past the limit) as its
/// diagnostic.
fn syntax_error(e: JsonError, out: &mut Vec<Diagnostic>) {
    if e.code == "too-deep" {
        out.push(
            Diagnostic::error(
                e.code,
                format!(
                    "the scenario is nested more than {MAX_SCENARIO_DEPTH} levels deep, the limit ({} for a policy document, plus {SCENARIO_NESTING} for the scenario around it)",
                    crate::limits::MAX_DEPTH
                ),
                e.span,
            )
            .with_help("IAM policies need only a few levels of objects and arrays; look for brackets that are never closed"),
        );
    } else {
        let mut d = Diagnostic::error(e.code, e.message, e.span);
        if let Some(help) = e.help {
            d = d.with_help(help);
        }
        out.push(d);
    }
}

fn shift(mut d: Diagnostic, offset: usize) -> Diagnostic {
    d.span = Span::new(d.span.start as usize + offset, d.span.end as usize + offset);
    d
}

pub(super) fn find<'a>(members: &[&'a Member<'a>], name: &str) -> Option<&'a Json<'a>> {
    members.iter().find(|m| m.key == name).map(|m| &m.value)
}

pub(super) fn optional_string(
    members: &[&Member<'_>],
    name: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = find(members, name)?;
    match value.as_str() {
        Some(s) => Some(s.to_owned()),
        None => {
            out.push(type_error(value, name, "a string"));
            None
        }
    }
}

pub(super) fn required_string(
    members: &[&Member<'_>],
    name: &str,
    parent: &Json<'_>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<(String, Span)> {
    match find(members, name) {
        Some(value) => match value.as_str() {
            Some(s) => Some((s.to_owned(), value.span)),
            None => {
                out.push(type_error(value, name, "a string"));
                None
            }
        },
        None => {
            out.push(
                Diagnostic::error(
                    "missing-field",
                    format!("{what} has no `{name}`"),
                    Span::new(parent.span.start as usize, parent.span.start as usize + 1),
                )
                .with_help(format!("add \"{name}\": …")),
            );
            None
        }
    }
}

fn read_root(
    json: &Json<'_>,
    source: &SourceText<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Scenario> {
    let text = source.text();
    let Some(members) = json.as_object() else {
        out.push(type_error(
            json,
            "a scenario",
            "an object with `policies` and `request`",
        ));
        return None;
    };
    let misplaced = |key: &str| {
        (key == "Statement" || key == "Version").then(|| {
            "this looks like a policy, not a scenario: put it in {\"policies\": [{\"name\": …, \"type\": \"identity\", \"document\": <the policy>}], \"request\": {…}}".to_owned()
        })
    };
    let known = known_members(members, SCENARIO_FIELDS, "the scenario", &misplaced, out);
    let name = optional_string(&known, "name", out);
    let description = optional_string(&known, "description", out);
    let rule = optional_string(&known, "rule", out);
    let policies = match find(&known, "policies") {
        Some(value) => match &value.value {
            JsonValue::Array(items) => items
                .iter()
                .filter_map(|item| read_policy(item, text, out))
                .collect(),
            _ => {
                out.push(type_error(value, "policies", "an array of policies"));
                Vec::new()
            }
        },
        None => {
            out.push(
                Diagnostic::error(
                    "missing-field",
                    "the scenario has no `policies`",
                    Span::new(json.span.start as usize, json.span.start as usize + 1),
                )
                .with_help("add \"policies\": [ … ] (it may be empty)"),
            );
            Vec::new()
        }
    };
    let before_lists = out.len();
    let requests = super::requests::read_lists(&known, source, out);
    let request = match find(&known, "request") {
        Some(value) => read_request(value, REQUEST_FIELDS, "the request", out)?,
        // Lists stand for `request` only when they hold a request: an
        // empty or unreadable one leaves nothing to write back or decide.
        None if requests.as_ref().is_some_and(|l| !l.is_empty()) => RequestInput::default(),
        // Their errors say why.
        None if requests.is_some() && out.len() > before_lists => return None,
        None => {
            out.push(
                Diagnostic::error(
                    "missing-field",
                    "the scenario has no `request`",
                    Span::new(json.span.start as usize, json.span.start as usize + 1),
                )
                .with_help("add \"request\": {\"principal\": …, \"action\": …, \"resource\": …}, or \"requests\": [ … ] for several"),
            );
            return None;
        }
    };
    let expect = find(&known, "expect").and_then(|v| read_expect(v, EXPECT_FIELDS, DECISIONS, out));
    let requests = match requests {
        Some(mut list) => {
            list.no_request = find(&known, "request").is_none();
            list
        }
        None => super::RequestList::default(),
    };
    Some(Scenario {
        name,
        description,
        rule,
        policies,
        request,
        expect,
        requests,
    })
}

fn read_policy(item: &Json<'_>, text: &str, out: &mut Vec<Diagnostic>) -> Option<ScenarioPolicy> {
    let Some(members) = item.as_object() else {
        out.push(type_error(
            item,
            "each policy",
            "an object with `name`, `type` and `document`",
        ));
        return None;
    };
    let known = known_members(
        members,
        POLICY_FIELDS,
        "a policy entry",
        &|key| {
            (key == "Statement" || key == "Version")
                .then(|| "put the policy itself under \"document\"".to_owned())
        },
        out,
    );
    let (name, _) = required_string(&known, "name", item, "a policy entry", out)?;
    let (type_name, type_span) = required_string(&known, "type", item, "a policy entry", out)?;
    let Some(policy_type) = PolicyType::parse(&type_name) else {
        let names: Vec<&str> = PolicyType::ALL.iter().map(|t| t.as_str()).collect();
        let help = match closest(&type_name, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("the types are {}", crate::parse::values::list(&names)),
        };
        out.push(
            Diagnostic::error(
                "unknown-policy-type",
                format!("unknown policy type `{type_name}`"),
                type_span,
            )
            .with_help(help)
            .in_policy(&name),
        );
        return None;
    };
    let level = optional_string(&known, "level", out);
    if let (Some(_), false) = (&level, policy_type.has_levels()) {
        if let Some(m) = known.iter().find(|m| m.key == "level") {
            out.push(
                Diagnostic::error(
                    "misplaced-field",
                    format!(
                        "only SCPs and RCPs have a `level`, and `{name}` is of type `{}`",
                        policy_type.as_str()
                    ),
                    m.key_span,
                )
                .with_help("remove `level`, or change `type` to \"scp\" or \"rcp\"")
                .in_policy(&name),
            );
        }
    }
    let account = optional_string(&known, "account", out);
    if let Some(m) = known.iter().find(|m| m.key == "account") {
        if policy_type != PolicyType::Resource {
            out.push(
                Diagnostic::error(
                    "misplaced-field",
                    format!(
                        "only resource-based policies have an `account`, and `{name}` is of type `{}`",
                        policy_type.as_str()
                    ),
                    m.key_span,
                )
                .with_help(
                    "remove `account`; identity-side policies belong to the request's principal",
                )
                .in_policy(&name),
            );
        } else if account
            .as_ref()
            .is_some_and(|a| a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()))
        {
            out.push(
                Diagnostic::error(
                    "invalid-account",
                    "`account` must be a 12-digit account id",
                    m.value.span,
                )
                .with_help("write all 12 digits in quotes, e.g. \"444455556666\"")
                .in_policy(&name),
            );
        }
    }
    let enabled = match find(&known, "enabled") {
        Some(value) => match value.value {
            JsonValue::Bool(b) => b,
            _ => {
                out.push(
                    type_error(value, "enabled", "`true` or `false`")
                        .with_help(
                            "write `false` to keep the policy but leave it out of the decision",
                        )
                        .in_policy(&name),
                );
                true
            }
        },
        None => true,
    };
    let origin = optional_string(&known, "origin", out);
    let Some(document) = find(&known, "document") else {
        out.push(
            Diagnostic::error(
                "missing-field",
                format!("the policy `{name}` has no `document`"),
                Span::new(item.span.start as usize, item.span.start as usize + 1),
            )
            .with_help("add \"document\": {\"Version\": \"2012-10-17\", \"Statement\": [ … ]}")
            .in_policy(&name),
        );
        return None;
    };
    let (policy_text, text_offset, parsed) = match &document.value {
        JsonValue::String(s) => (s.to_string(), None, parse_policy(s, policy_type)),
        JsonValue::Object(_) => {
            let slice = document.span.slice(text).to_owned();
            // Re-read relative to the slice so spans point into the policy's
            // own text (and the policy's limits apply as to a text).
            let relative = parse_policy(&slice, policy_type);
            (slice, Some(document.span.start as usize), relative)
        }
        _ => {
            out.push(
                type_error(
                    document,
                    "document",
                    "a policy object or the policy's text as a string",
                )
                .in_policy(&name),
            );
            return None;
        }
    };
    Some(ScenarioPolicy {
        name,
        policy_type,
        level,
        account,
        enabled,
        origin,
        text: policy_text,
        text_offset,
        parsed,
    })
}

/// Reads a request object whose fields may be `fields` (the request's, or
/// with a list entry's `name` and `expect`, which the caller reads).
pub(super) fn read_request(
    value: &Json<'_>,
    fields: &[&str],
    what: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<RequestInput> {
    let Some(members) = value.as_object() else {
        out.push(type_error(value, what, "an object"));
        return None;
    };
    let known = known_members(members, fields, what, &|_| None, out);
    let principal = required_string(&known, "principal", value, what, out);
    let action = required_string(&known, "action", value, what, out);
    let resource = required_string(&known, "resource", value, what, out);
    let resource_account = find(&known, "resource_account").and_then(|v| match v.as_str() {
        Some(s) => Some((s.to_owned(), v.span)),
        None => {
            out.push(
                type_error(v, "resource_account", "a string of 12 digits")
                    .with_help("quote the account id: \"444455556666\""),
            );
            None
        }
    });
    let context = match find(&known, "context") {
        Some(v) => read_context(v, out),
        None => Vec::new(),
    };
    let principal_tags = match find(&known, "principal_tags") {
        Some(v) => read_principal_tags(v, out),
        None => Vec::new(),
    };
    let ((principal, principal_span), (action, action_span), (resource, resource_span)) =
        (principal?, action?, resource?);
    Some(RequestInput {
        principal,
        action,
        resource,
        resource_account: resource_account.as_ref().map(|(a, _)| a.clone()),
        context,
        principal_tags,
        spans: RequestSpans {
            request: value.span,
            principal: principal_span,
            action: action_span,
            resource: resource_span,
            resource_account: resource_account.map(|(_, s)| s).unwrap_or_default(),
        },
    })
}

fn scalar(item: &Json<'_>) -> Option<ContextScalar> {
    match &item.value {
        JsonValue::String(s) => Some(ContextScalar::String(Text::from(&**s))),
        JsonValue::Bool(b) => Some(ContextScalar::Bool(*b)),
        JsonValue::Number(n) => parse_json_number(n).map(ContextScalar::Number),
        _ => None,
    }
}

pub(super) fn read_context(
    value: &Json<'_>,
    out: &mut Vec<Diagnostic>,
) -> Vec<(String, ContextValue)> {
    let Some(members) = value.as_object() else {
        out.push(type_error(
            value,
            "context",
            "an object of condition keys, e.g. {\"aws:SourceIp\": \"203.0.113.7\"}",
        ));
        return Vec::new();
    };
    let mut entries: Vec<(String, ContextValue)> = Vec::with_capacity(members.len());
    // The keys so far, ASCII letters lower-cased (a set: many keys cost no
    // more than a few).
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for m in members {
        // Compared without spaces around it, with a warning.
        let key = crate::request::clean_key(&m.key);
        out.extend(crate::request::key_spaces_warning(&m.key, m.key_span));
        if !seen.insert(key.to_ascii_lowercase()) {
            out.push(
                Diagnostic::error("duplicate-context-key", format!("the context key `{key}` is given twice"), m.key_span)
                    .with_help("condition keys are case-insensitive; keep one and use a list for several values"),
            );
            continue;
        }
        let value = match &m.value.value {
            JsonValue::Array(items) => {
                let scalars: Vec<ContextScalar> = items.iter().filter_map(scalar).collect();
                if scalars.len() != items.len() {
                    out.push(type_error(
                        &m.value,
                        &m.key,
                        "a list of strings, numbers or booleans",
                    ));
                    continue;
                }
                ContextValue::List(scalars)
            }
            _ => match scalar(&m.value) {
                Some(s) => ContextValue::Single(s),
                None => {
                    out.push(
                        type_error(
                            &m.value,
                            &m.key,
                            "a string, number, boolean, or a list of them",
                        )
                        .with_help("to test a missing key, leave it out of the context"),
                    );
                    continue;
                }
            },
        };
        // Kept as written (an export writes it back so, and the app shows
        // it with the warning); the request reads it trimmed.
        entries.push((m.key.to_string(), value));
    }
    entries
}

pub(super) fn read_principal_tags(
    value: &Json<'_>,
    out: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let Some(members) = value.as_object() else {
        out.push(type_error(
            value,
            "principal_tags",
            "an object of tag keys and values, e.g. {\"team\": \"dev\"}",
        ));
        return Vec::new();
    };
    let mut tags: Vec<(String, String)> = Vec::with_capacity(members.len());
    for m in members {
        if tags.iter().any(|(k, _)| k.eq_ignore_ascii_case(&m.key)) {
            out.push(
                Diagnostic::error(
                    "duplicate-principal-tag",
                    format!("the principal tag `{}` is given twice", m.key),
                    m.key_span,
                )
                .with_help("tag keys are case-insensitive in conditions; keep one"),
            );
            continue;
        }
        match m.value.as_str() {
            Some(v) => tags.push((m.key.to_string(), v.to_owned())),
            None => out.push(type_error(
                &m.value,
                &m.key,
                "a string (tag values are text)",
            )),
        }
    }
    tags
}

/// Reads `expect`, whose fields must be among `fields` and whose decision
/// must be one of `decisions`.
pub(super) fn read_expect(
    value: &Json<'_>,
    fields: &[&str],
    decisions: &[&str],
    out: &mut Vec<Diagnostic>,
) -> Option<Expectation> {
    let Some(members) = value.as_object() else {
        out.push(type_error(
            value,
            "expect",
            "an object such as {\"decision\": \"Allow\"}",
        ));
        return None;
    };
    let known = known_members(members, fields, "`expect`", &|_| None, out);
    let (decision, span) = required_string(&known, "decision", value, "`expect`", out)?;
    if !decisions.contains(&decision.as_str()) {
        let help = match closest(&decision, decisions.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "the decisions are {}",
                crate::parse::values::list(decisions)
            ),
        };
        out.push(
            Diagnostic::error(
                "unknown-decision",
                format!("unknown decision `{decision}`"),
                span,
            )
            .with_help(help),
        );
        return None;
    }
    let determining = find(&known, "determining").and_then(|v| {
        let JsonValue::Array(items) = &v.value else {
            out.push(type_error(
                v,
                "determining",
                "an array of {\"policy\": …, \"statement\": …}",
            ));
            return None;
        };
        let names: Vec<StatementName> = items
            .iter()
            .filter_map(|item| {
                let Some(members) = item.as_object() else {
                    out.push(type_error(item, "each determining statement", "an object"));
                    return None;
                };
                let known = known_members(
                    members,
                    DETERMINING_FIELDS,
                    "a determining statement",
                    &|_| None,
                    out,
                );
                let (policy, _) =
                    required_string(&known, "policy", item, "a determining statement", out)?;
                let (statement, _) =
                    required_string(&known, "statement", item, "a determining statement", out)?;
                Some(StatementName { policy, statement })
            })
            .collect();
        Some(names)
    });
    let notes = find(&known, "notes").and_then(|v| {
        let strings: Option<Vec<String>> = match &v.value {
            JsonValue::Array(items) => items
                .iter()
                .map(|item| match &item.value {
                    JsonValue::String(code) => Some(code.to_string()),
                    _ => None,
                })
                .collect(),
            _ => None,
        };
        if strings.is_none() {
            out.push(type_error(
                v,
                "notes",
                "an array of note codes such as [\"sts-get-caller-identity\"]",
            ));
        }
        strings
    });
    Some(Expectation {
        decision,
        determining,
        notes,
    })
}
