//! `REDUNDANT_ACTION` and `REDUNDANT_RESOURCE`: a pattern that another
//! pattern of the same element already covers adds nothing.

use super::glob::covers;
use super::Context;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{Span, Spanned};
use crate::text::Text;

/// The index of the first other pattern that covers `patterns[index]`. Of
/// two patterns that cover each other, the later one is the redundant one.
fn covered_by(patterns: &[Spanned<Text>], index: usize, ignore_case: bool) -> Option<usize> {
    let this = patterns.get(index)?.value.as_str();
    patterns.iter().enumerate().position(|(i, other)| {
        if i == index {
            return false;
        }
        let other = other.value.as_str();
        covers(other, this, ignore_case) && (i < index || !covers(this, other, ignore_case))
    })
}

/// The span that removes `patterns[index]` from its array, with one comma.
pub(super) fn removal_span(patterns: &[Spanned<Text>], index: usize) -> Option<Span> {
    let this = patterns.get(index)?.span;
    if let Some(before) = index.checked_sub(1).and_then(|i| patterns.get(i)) {
        return Some(Span::new(before.span.end as usize, this.end as usize));
    }
    let after = patterns.get(index + 1)?;
    Some(Span::new(this.start as usize, after.span.start as usize))
}

/// A suggestion to remove a redundant pattern, with its fix.
fn redundant(
    code: &'static str,
    aws: (&'static str, &'static str),
    what: &str,
    patterns: &[Spanned<Text>],
    index: usize,
    by: usize,
) -> Option<Diagnostic> {
    let this = patterns.get(index)?;
    let other = patterns.get(by)?;
    let message = if this.value.eq_ignore_ascii_case(&other.value) {
        format!("the {what} `{}` is listed twice", this.value)
    } else {
        format!(
            "the {what} `{}` is redundant: `{}` already covers it",
            this.value, other.value
        )
    };
    let mut d = Diagnostic::new(Severity::Suggestion, code, message, this.span)
        .with_help(format!(
            "remove `{}`; the statement grants exactly the same without it",
            this.value
        ))
        .with_aws_issue(aws.0, aws.1);
    if let Some(span) = removal_span(patterns, index) {
        d = d.with_fix(
            format!("remove `{}`", this.value),
            vec![(span, String::new())],
        );
    }
    Some(d)
}

/// Actions of an `Action` element that another action of it covers
/// (`s3:GetObject` beside `s3:Get*`). Action names are case-insensitive.
pub(super) fn redundant_actions(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        let patterns = &statement.action.patterns;
        if statement.action.negated || patterns.len() < 2 {
            continue;
        }
        for index in 0..patterns.len() {
            if let Some(by) = covered_by(patterns, index, true) {
                out.extend(redundant(
                    "redundant-action",
                    ("REDUNDANT_ACTION", "suggestion-redundant-action"),
                    "action",
                    patterns,
                    index,
                    by,
                ));
            }
        }
    }
}

/// Resources of a `Resource` element that another resource of it covers.
/// ARNs are case-sensitive; patterns with policy variables are left alone
/// (their values are known only per request).
pub(super) fn redundant_resources(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        let Some(resource) = &statement.resource else {
            continue;
        };
        let patterns = &resource.patterns;
        if resource.negated || patterns.len() < 2 {
            continue;
        }
        let fixed: Vec<Spanned<Text>> = patterns
            .iter()
            .map(|p| {
                if p.value.contains("${") {
                    // Never covers nor is covered: no wildcard, unique text.
                    Spanned::new(Text::from("\u{0}variable"), p.span)
                } else {
                    p.clone()
                }
            })
            .collect();
        for index in 0..fixed.len() {
            if fixed
                .get(index)
                .is_some_and(|p| p.value.starts_with('\u{0}'))
            {
                continue;
            }
            if let Some(by) = covered_by(&fixed, index, false) {
                out.extend(redundant(
                    "redundant-resource",
                    ("REDUNDANT_RESOURCE", "suggestion-redundant-resource"),
                    "resource",
                    patterns,
                    index,
                    by,
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};

    fn codes(text: &str) -> Vec<(&'static str, String)> {
        validate(text, PolicyKind::Managed, None)
            .into_iter()
            .filter(|d| d.code.starts_with("redundant"))
            .map(|d| (d.code, d.message))
            .collect()
    }

    #[test]
    fn covered_actions_and_resources_are_redundant() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Action": ["iam:Get*", "iam:List*", "iam:GetCredentialReport", "iam:*CredentialReport", "IAM:list*"],
            "Resource": ["arn:aws:iam::111122223333:role/jane-admin", "arn:aws:iam::111122223333:role/jane*",
                         "arn:aws:iam::111122223333:role/${aws:username}"]}}"#;
        let found = codes(text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found[0]
                .1
                .contains("`iam:GetCredentialReport` is redundant: `iam:Get*`"),
            "{found:?}"
        );
        assert!(
            found[1].1.contains("`IAM:list*` is listed twice"),
            "{found:?}"
        );
        assert_eq!(found[2].0, "redundant-resource");
    }

    #[test]
    fn the_fix_removes_the_item_and_one_comma() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:GetObject", "s3:Get*"], "Resource": "*"}}"#;
        let d = validate(text, PolicyKind::Managed, None)
            .into_iter()
            .find(|d| d.code == "redundant-action")
            .unwrap();
        let fixed = d.fix.unwrap().apply(text).unwrap();
        assert!(fixed.contains(r#""Action": ["s3:Get*"]"#), "{fixed}");
    }
}
