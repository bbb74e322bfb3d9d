//! `REDUNDANT_ACTION` and `REDUNDANT_RESOURCE`: a pattern that another
//! pattern of the same element already covers adds nothing.

use super::glob::{arn_covers, covers};
use super::Context;
use crate::diagnostics::{Diagnostic, Severity};
use crate::source::{Span, Spanned};
use crate::text::Text;

/// How a pattern can cover others.
enum Shape {
    /// No wildcard: covers only the same text.
    Literal,
    /// `PREFIX*`: covers every pattern that starts with `PREFIX`.
    Prefix(usize),
    /// Any other use of wildcards.
    Other,
}

fn shape(norm: &str) -> Shape {
    match norm.find(['*', '?']) {
        None => Shape::Literal,
        Some(i) if i + 1 == norm.len() && norm.ends_with('*') => Shape::Prefix(i),
        Some(_) => Shape::Other,
    }
}

/// For each pattern another pattern of the element covers, the pair
/// (redundant, covering), in document order. Of two patterns that cover
/// each other, the later one is redundant. Linear in practice (policies
/// such as `ReadOnlyAccess` list thousands of actions): equal texts and
/// `PREFIX*` patterns are looked up by text; only patterns with other
/// wildcards are compared pairwise.
fn redundant_pairs(patterns: &[Spanned<Text>], ignore_case: bool) -> Vec<(usize, usize)> {
    use std::collections::HashMap;
    let norms: Vec<String> = patterns
        .iter()
        .map(|p| {
            if ignore_case {
                p.value.to_ascii_lowercase()
            } else {
                p.value.to_string()
            }
        })
        .collect();
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut prefixes: HashMap<&str, usize> = HashMap::new();
    let mut others: Vec<usize> = Vec::new();
    for (i, norm) in norms.iter().enumerate() {
        first.entry(norm.as_str()).or_insert(i);
        match shape(norm) {
            Shape::Prefix(len) => {
                prefixes.entry(norm.get(..len).unwrap_or("")).or_insert(i);
            }
            Shape::Other => others.push(i),
            Shape::Literal => {}
        }
    }
    let mut lengths: Vec<usize> = prefixes.keys().map(|p| p.len()).collect();
    crate::sorting::sort(&mut lengths);
    lengths.dedup();
    // The literal text around the wildcards of each `Other` pattern.
    let ends: Vec<(&str, &str)> = others
        .iter()
        .map(|&j| {
            let t = norms.get(j).map_or("", String::as_str);
            let head = t.find(['*', '?']).and_then(|k| t.get(..k)).unwrap_or(t);
            let tail = t
                .rfind(['*', '?'])
                .and_then(|k| t.get(k + 1..))
                .unwrap_or("");
            (head, tail)
        })
        .collect();
    let text = |j: usize| norms.get(j).map_or("", String::as_str);
    // Actions are compared whole (after case folding), resources part by part.
    let covers = |general: &str, specific: &str| {
        if ignore_case {
            covers(general, specific, false)
        } else {
            arn_covers(general, specific)
        }
    };
    // `j` covers `i`, and of two that cover each other the earlier wins.
    let wins = |j: usize, i: usize| j != i && (j < i || !covers(text(i), text(j)));
    let mut pairs = Vec::new();
    for (i, norm) in norms.iter().enumerate() {
        if let Some(&j) = first.get(norm.as_str()) {
            if j != i {
                pairs.push((i, j));
                continue;
            }
        }
        // A `PREFIX*` whose prefix starts this text covers it.
        let by_prefix = lengths
            .iter()
            .take_while(|&&k| k <= norm.len())
            .filter_map(|&k| norm.get(..k).and_then(|head| prefixes.get(head)))
            .copied()
            .filter(|&j| wins(j, i))
            .min();
        let by_other = || {
            others
                .iter()
                .zip(&ends)
                .filter(|(_, (head, tail))| norm.starts_with(head) && norm.ends_with(tail))
                .map(|(&j, _)| j)
                .find(|&j| covers(text(j), norm) && wins(j, i))
        };
        if let Some(j) = by_prefix.or_else(by_other) {
            pairs.push((i, j));
        }
    }
    pairs
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
        for (index, by) in redundant_pairs(patterns, true) {
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
        for (index, by) in redundant_pairs(&fixed, false) {
            if fixed
                .get(index)
                .is_some_and(|p| p.value.starts_with('\u{0}'))
            {
                continue;
            }
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
