//! The document level: `Version`, `Id`, `Statement`, size limits and
//! duplicate `Sid`s.

use super::statement::parse_statement;
use super::values::{known_members, string, type_error};
use crate::diagnostics::Diagnostic;
use crate::json::{Json, JsonValue};
use crate::policy::{Policy, PolicyType, PolicyVersion};
use crate::source::{Span, Spanned};
use crate::validate::PolicyKind;

const DOCUMENT_ELEMENTS: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// Parses the top level of a policy document. `text` is the document's own
/// text (for the size check).
pub(super) fn parse_document(
    json: &Json<'_>,
    text: &str,
    policy_type: PolicyType,
    out: &mut Vec<Diagnostic>,
) -> Option<Policy> {
    let Some(members) = json.as_object() else {
        out.push(
            Diagnostic::error(
                "wrong-type",
                format!("a policy must be a JSON object, found {}", json.type_name()),
                json.span,
            )
            .with_help("a policy looks like {\"Version\": \"2012-10-17\", \"Statement\": [ … ]}"),
        );
        return None;
    };
    check_size(text, policy_type, json.span, out);
    let misplaced = |key: &str| {
        STATEMENT_ELEMENTS.contains(&key).then(|| {
            format!(
                "`{key}` belongs inside a statement: put it in an object in the `Statement` array"
            )
        })
    };
    let known = known_members(members, DOCUMENT_ELEMENTS, "the policy", &misplaced, out);
    let find = |name: &str| known.iter().find(|m| m.key == name).map(|m| &m.value);

    let version = find("Version").and_then(|v| parse_version(v, policy_type, out));
    if version.is_none() && find("Version").is_none() && policy_type == PolicyType::Rcp {
        out.push(
            Diagnostic::error(
                "rcp-version",
                "a resource control policy must have \"Version\": \"2012-10-17\"",
                Span::new(json.span.start as usize, json.span.start as usize + 1),
            )
            .with_help("add \"Version\": \"2012-10-17\" at the top of the policy"),
        );
    } else if version.is_none() && find("Version").is_none() {
        out.push(
            Diagnostic::warning(
                "missing-version",
                "the policy has no `Version`, so AWS reads it as version 2008-10-17",
                Span::new(json.span.start as usize, json.span.start as usize + 1),
            )
            .with_help("add \"Version\": \"2012-10-17\"; under 2008-10-17 policy variables like `${aws:username}` are literal text"),
        );
    }
    let id = find("Id").and_then(|v| string(v, "Id", out));
    let variables_enabled = matches!(
        version.as_ref().map(|v| v.value),
        Some(PolicyVersion::V2012_10_17)
    );

    let statements = match find("Statement") {
        None => {
            out.push(
                Diagnostic::error("missing-statement", "the policy has no `Statement`", json.span)
                    .with_help("add \"Statement\": [ { \"Effect\": \"Allow\", \"Action\": …, \"Resource\": … } ]"),
            );
            Vec::new()
        }
        Some(value) => {
            let values = statement_values(value, out);
            // Statements are large: room for all of them at once.
            let mut statements = Vec::with_capacity(values.len());
            statements.extend(values.into_iter().enumerate().filter_map(|(index, stmt)| {
                let Some(members) = stmt.as_object() else {
                    out.push(
                        Diagnostic::error(
                            "wrong-type",
                            format!("each statement must be an object, found {}", stmt.type_name()),
                            stmt.span,
                        )
                        .with_help("write each statement as {\"Effect\": …, \"Action\": …, \"Resource\": …}"),
                    );
                    return None;
                };
                let members = known_members(
                    members,
                    STATEMENT_ELEMENTS,
                    "a statement",
                    &|key| {
                        DOCUMENT_ELEMENTS.contains(&key).then(|| {
                            format!("`{key}` belongs at the top of the policy, beside `Statement`")
                        })
                    },
                    out,
                );
                parse_statement(
                    index,
                    stmt.span,
                    &members,
                    policy_type,
                    variables_enabled,
                    out,
                )
            }));
            statements
        }
    };
    check_duplicate_sids(&statements, out);
    super::lints::lint_policy(&statements, policy_type, out);
    let context_keys = statements
        .iter()
        .flat_map(|s| {
            super::statement::context_keys(s, variables_enabled)
                .into_iter()
                .map(move |key| (s.index, key))
        })
        .collect();
    Some(Policy {
        version,
        id,
        statements,
        context_keys,
        span: json.span,
    })
}

fn statement_values<'a>(value: &'a Json<'a>, out: &mut Vec<Diagnostic>) -> Vec<&'a Json<'a>> {
    match &value.value {
        JsonValue::Object(_) => vec![value],
        JsonValue::Array(items) => {
            if items.is_empty() {
                out.push(
                    Diagnostic::warning(
                        "empty-statement",
                        "`Statement` is empty: this policy allows and denies nothing",
                        value.span,
                    )
                    .with_help("add a statement, or remove the policy"),
                );
            }
            items.iter().collect()
        }
        _ => {
            out.push(type_error(
                value,
                "Statement",
                "an object or an array of objects",
            ));
            Vec::new()
        }
    }
}

fn parse_version(
    value: &Json<'_>,
    policy_type: PolicyType,
    out: &mut Vec<Diagnostic>,
) -> Option<Spanned<PolicyVersion>> {
    let Some(text) = value.as_str() else {
        out.push(type_error(value, "Version", "a string"));
        return None;
    };
    let version = match text {
        "2012-10-17" => PolicyVersion::V2012_10_17,
        "2008-10-17" => PolicyVersion::V2008_10_17,
        other => {
            let help = if other.len() == 10 && other.starts_with("20") {
                "`Version` is not a date you choose: it names the policy language; write \"2012-10-17\""
            } else {
                "write \"Version\": \"2012-10-17\""
            };
            out.push(
                Diagnostic::error(
                    "invalid-version",
                    format!("`{other}` is not a policy language version"),
                    value.span,
                )
                .with_help(help),
            );
            return None;
        }
    };
    if version == PolicyVersion::V2008_10_17 && policy_type == PolicyType::Rcp {
        out.push(
            Diagnostic::error(
                "rcp-version",
                "a resource control policy must use version 2012-10-17",
                value.span,
            )
            .with_help("write \"Version\": \"2012-10-17\""),
        );
        return None;
    } else if version == PolicyVersion::V2008_10_17 {
        out.push(
            Diagnostic::warning(
                "old-version",
                "version 2008-10-17 is the old policy language: policy variables are literal text",
                value.span,
            )
            .with_help("use \"2012-10-17\" unless you need the old behaviour"),
        );
    }
    Some(Spanned::new(version, value.span))
}

fn check_duplicate_sids(statements: &[crate::policy::Statement], out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::with_capacity(statements.len());
    for sid in statements.iter().filter_map(|s| s.sid.as_ref()) {
        if !seen.insert(sid.value.as_str()) {
            out.push(
                Diagnostic::error(
                    "duplicate-sid",
                    format!("two statements have the `Sid` `{}`", sid.value),
                    sid.span,
                )
                .with_help("a `Sid` must be unique within its policy; rename one of them"),
            );
        }
    }
}

/// Characters that are not whitespace. Bytes first: JSON's own whitespace is
/// ASCII, so only text with non-ASCII bytes needs the per-character path.
pub(crate) fn non_whitespace_chars(text: &str) -> usize {
    if text.is_ascii() {
        text.bytes().filter(|b| !b.is_ascii_whitespace()).count()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    }
}

/// AWS's size quotas, counted without whitespace, for the kind of policy a
/// policy of `policy_type` is taken to be (see [`PolicyKind::quota`]).
fn check_size(text: &str, policy_type: PolicyType, span: Span, out: &mut Vec<Diagnostic>) {
    if let Some(d) = size_diagnostic(text, PolicyKind::of(policy_type), span) {
        out.push(d);
    }
}

/// The `size-limit` warning for `text` as a policy of `kind`, if it is over
/// the quota. `span` is the document's span.
pub(crate) fn size_diagnostic(text: &str, kind: PolicyKind, span: Span) -> Option<Diagnostic> {
    let quota = kind.quota();
    // A character takes at least a byte: a text no longer than the quota
    // in bytes is within it, without counting.
    if text.len() <= quota.limit {
        return None;
    }
    let size = non_whitespace_chars(text);
    if size <= quota.limit {
        return None;
    }
    let d = Diagnostic::warning(
        "size-limit",
        format!(
            "the policy has {size} characters without whitespace; AWS allows {} for {}",
            quota.limit, quota.what
        ),
        Span::new(span.start as usize, span.start as usize + 1),
    )
    .with_help(
        "AWS would reject it; the playground still evaluates it; split it into several policies",
    );
    Some(match quota.aws_issue {
        Some((code, anchor)) => d.with_aws_issue(code, anchor),
        None => d,
    })
}
