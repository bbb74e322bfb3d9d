//! Reading the JSON shapes policy elements use: a string or an array of
//! strings, with type errors that say what was expected.

use crate::diagnostics::Diagnostic;
use crate::json::{Json, JsonValue, Member};
use crate::source::{Span, Spanned};
use crate::suggest::closest;
use crate::text::Text;

/// Reads a string or a non-empty array of strings. `element` names the
/// element in messages.
pub(crate) fn strings(
    value: &Json<'_>,
    element: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<Spanned<Text>>> {
    match &value.value {
        JsonValue::String(s) => Some(vec![Spanned::new(Text::from(&**s), value.span)]),
        JsonValue::Array(items) if items.is_empty() => {
            out.push(
                Diagnostic::error(
                    "empty-element",
                    format!("`{element}` is an empty array"),
                    value.span,
                )
                .with_help(format!(
                    "list at least one value in `{element}`, or remove the element"
                )),
            );
            None
        }
        JsonValue::Array(items) => {
            let mut strings = Vec::with_capacity(items.len());
            for item in items {
                match &item.value {
                    JsonValue::String(s) => strings.push(Spanned::new(Text::from(&**s), item.span)),
                    _ => out.push(type_error(item, element, "a string")),
                }
            }
            (strings.len() == items.len()).then_some(strings)
        }
        _ => {
            out.push(type_error(
                value,
                element,
                "a string or an array of strings",
            ));
            None
        }
    }
}

/// Reads a single string.
pub(crate) fn string(
    value: &Json<'_>,
    element: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Spanned<String>> {
    match &value.value {
        JsonValue::String(s) => Some(Spanned::new(s.to_string(), value.span)),
        _ => {
            out.push(type_error(value, element, "a string"));
            None
        }
    }
}

/// Reads a string, as shared text.
pub(crate) fn text(
    value: &Json<'_>,
    element: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Spanned<Text>> {
    match &value.value {
        JsonValue::String(s) => Some(Spanned::new(Text::from(&**s), value.span)),
        _ => {
            out.push(type_error(value, element, "a string"));
            None
        }
    }
}

/// A wrong-type error: "`Effect` must be a string, found a number".
pub(crate) fn type_error(value: &Json<'_>, element: &str, expected: &str) -> Diagnostic {
    Diagnostic::error(
        "wrong-type",
        format!(
            "`{element}` must be {expected}, found {}",
            value.type_name()
        ),
        value.span,
    )
    .with_help(match value.value {
        JsonValue::Number(_) | JsonValue::Bool(_) => "put the value in double quotes".to_owned(),
        _ => format!("write `{element}` as {expected}"),
    })
}

/// Checks the members of an object against the known element names,
/// reporting unknown (with a suggestion) and duplicate keys. Returns the
/// members that are known, first occurrence only.
pub(crate) fn known_members<'a>(
    members: &'a [Member<'a>],
    known: &[&str],
    context: &str,
    misplaced: &dyn Fn(&str) -> Option<String>,
    out: &mut Vec<Diagnostic>,
) -> Vec<&'a Member<'a>> {
    // Room for all at once: no growing.
    let mut seen: Vec<&'a Member<'a>> = Vec::with_capacity(members.len());
    for member in members {
        if let Some(first) = seen.iter().find(|m| m.key == member.key) {
            out.push(
                Diagnostic::error(
                    "duplicate-element",
                    format!("`{}` appears twice in {context}", member.key),
                    member.key_span,
                )
                .with_help(format!(
                    "an element can appear only once: keep only one `{}` (JSON readers silently drop one of the two)",
                    first.key
                )),
            );
            continue;
        }
        if known.contains(&member.key.as_ref()) {
            seen.push(member);
            continue;
        }
        let mut d = Diagnostic::error(
            "unknown-element",
            format!("unknown element `{}` in {context}", member.key),
            member.key_span,
        );
        if let Some(help) = misplaced(&member.key) {
            d = d.with_help(help);
        } else if let Some(suggestion) = closest(&member.key, known.iter().copied()) {
            d = d.with_help(format!("did you mean `{suggestion}`?"));
        } else {
            d = d.with_help(format!("the elements allowed here are {}", list(known)));
        }
        out.push(d);
    }
    seen
}

/// `a`, `b` and `c`.
pub(crate) fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// The span of a member from its key to the end of its value.
pub(crate) fn member_span(member: &Member<'_>) -> Span {
    member.key_span.join(member.value.span)
}
