//! Warnings for what AWS accepts but is likely a mistake.

use std::borrow::Cow;

use crate::diagnostics::Diagnostic;
use crate::policy::{Effect, PolicyType, Statement};

/// Runs every statement-level lint.
pub(super) fn lint_policy(
    statements: &[Statement],
    policy_type: PolicyType,
    out: &mut Vec<Diagnostic>,
) {
    for statement in statements {
        lint_s3_resource_level(statement, out);
        lint_not_action_allow(statement, policy_type, out);
    }
}

/// Whether `text` contains `word` (lowercase ASCII), ignoring ASCII case.
fn contains_ignoring_case(text: &str, word: &str) -> bool {
    text.as_bytes()
        .windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

fn is_s3_object_action(name: &str) -> bool {
    !name.contains('*')
        && (contains_ignoring_case(name, "object")
            || name.eq_ignore_ascii_case("abortmultipartupload")
            || name.eq_ignore_ascii_case("listmultipartuploadparts"))
}

fn is_s3_bucket_action(name: &str) -> bool {
    !name.contains('*')
        && !contains_ignoring_case(name, "object")
        && contains_ignoring_case(name, "bucket")
}

/// `s3:GetObject` on `arn:aws:s3:::bucket` (no key) never matches, and
/// `s3:ListBucket` on `arn:aws:s3:::bucket/*` never matches either.
fn lint_s3_resource_level(statement: &Statement, out: &mut Vec<Diagnostic>) {
    let Some(resource) = &statement.resource else {
        return;
    };
    if statement.action.negated || resource.negated {
        return;
    }
    let s3_names: Vec<&str> = statement
        .action
        .patterns
        .iter()
        .filter_map(|p| p.value.split_once(':'))
        .filter(|(service, _)| service.eq_ignore_ascii_case("s3"))
        .map(|(_, name)| name)
        .collect();
    if s3_names.is_empty() || s3_names.len() != statement.action.patterns.len() {
        return;
    }
    let s3_resources: Vec<&str> = resource
        .patterns
        .iter()
        .filter_map(|p| p.value.strip_prefix("arn:aws:s3:::"))
        .collect();
    if s3_resources.is_empty() || s3_resources.len() != resource.patterns.len() {
        return;
    }
    // A `/` inside a policy variable (`${aws:PrincipalTag/team}`) is not a
    // key separator: look at the text outside variables only.
    let literal: Vec<Cow<'_, str>> = s3_resources.iter().map(|r| outside_variables(r)).collect();
    let bucket_only = literal
        .iter()
        .all(|r| !r.contains('/') && !r.ends_with('*'));
    let objects_only = literal.iter().all(|r| r.contains('/'));
    if bucket_only && s3_names.iter().all(|n| is_s3_object_action(n)) {
        out.push(
            Diagnostic::warning(
                "s3-object-action-on-bucket",
                "these S3 object actions name only bucket ARNs, so they never match an object",
                resource.span,
            )
            .with_help("object actions need object ARNs: add `/*`, e.g. `arn:aws:s3:::bucket/*`"),
        );
    } else if objects_only && s3_names.iter().all(|n| is_s3_bucket_action(n)) {
        out.push(
            Diagnostic::warning(
                "s3-bucket-action-on-object",
                "these S3 bucket actions name only object ARNs, so they never match the bucket",
                resource.span,
            )
            .with_help("bucket actions such as s3:ListBucket need the bucket ARN, e.g. `arn:aws:s3:::bucket`"),
        );
    }
}

/// `text` with every `${...}` removed.
fn outside_variables(text: &str) -> Cow<'_, str> {
    if !text.contains("${") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or(""));
        match rest.get(start..).and_then(|r| r.find('}')) {
            Some(end) => rest = rest.get(start + end + 1..).unwrap_or(""),
            None => {
                rest = rest.get(start..).unwrap_or("");
                break;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `Allow` + `NotAction` grants every other action of every service.
fn lint_not_action_allow(
    statement: &Statement,
    policy_type: PolicyType,
    out: &mut Vec<Diagnostic>,
) {
    let grants = matches!(policy_type, PolicyType::Identity | PolicyType::Resource);
    if grants && statement.effect.value == Effect::Allow && statement.action.negated {
        out.push(
            Diagnostic::warning(
                "notaction-allow",
                "`NotAction` with `Allow` allows every action not listed, in every AWS service",
                statement.action.span,
            )
            .with_help("if you meant to deny these actions, use `Deny` with `Action`; otherwise narrow `Resource`"),
        );
    }
}
