//! A policy's findings in the app: the parser's diagnostics and the
//! engine's validation ([`iam_engine::validate`]) merged into one list
//! without duplicates, how each severity looks, and applying a finding's
//! quick fix to the text. No DOM here, so it is unit-tested natively.

use iam_engine::validate::{parser_diagnostics, validate_policy, PolicyKind};
use iam_engine::{Catalog, Diagnostic, Fix, ScenarioPolicy, Severity};

use crate::extended_checks::ExtendedChecks;

/// Every finding of one policy: the parser's diagnostics (with their Access
/// Analyzer codes and the size quota of the policy's kind) and the
/// validation findings, with the catalogue when it is loaded and the
/// checks module's when it is ([`ExtendedChecks`]). A resource-based policy
/// that can only be a role's trust policy is checked as one
/// ([`PolicyKind::of_policy`]). Sorted by position, then severity; no two
/// share a span and a code.
pub fn policy_findings(
    policy: &ScenarioPolicy,
    catalog: Option<&Catalog>,
    checks: Option<&ExtendedChecks>,
) -> Vec<Diagnostic> {
    let kind = PolicyKind::of_policy(policy.policy_type, policy.parsed.policy.as_deref());
    let mut all = parser_diagnostics(&policy.text, &policy.parsed, kind, catalog);
    all.extend(validate_policy(&policy.text, &policy.parsed, kind, catalog));
    if let Some(checks) = checks.filter(|_| policy.parsed.policy.is_some()) {
        all.extend(checks.findings(&policy.text, kind));
    }
    dedup(all)
}

/// Drops repeated findings: the same span reported under the same code, or
/// under the same Access Analyzer issue code (the parser and a validation
/// check can both see one fault), counting a dropped finding's codes too.
/// The most serious one is kept, and of equally serious ones the first. The
/// result is sorted by position.
pub fn dedup(mut findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    // A stable sort: among equals the original order is kept.
    findings.sort_by_key(|d| (d.span.start, d.span.end, d.severity));
    let mut out: Vec<Diagnostic> = Vec::with_capacity(findings.len());
    // The codes seen at the current span, kept or not.
    let mut seen: Vec<(&'static str, Option<&'static str>)> = Vec::new();
    let mut span = None;
    for d in findings {
        if span != Some(d.span) {
            span = Some(d.span);
            seen.clear();
        }
        let repeated = seen
            .iter()
            .any(|(code, aws)| *code == d.code || (aws.is_some() && *aws == d.aws_issue_code));
        seen.push((d.code, d.aws_issue_code));
        if !repeated {
            out.push(d);
        }
    }
    out
}

/// How a severity looks in the problems list and the gutter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// The CSS modifier: `error`, `security`, `warning` or `suggestion`.
    pub class: &'static str,
    /// The visible label: "Error", "Security warning", ...
    pub label: &'static str,
}

/// The look of `severity`.
pub fn look(severity: Severity) -> Look {
    match severity {
        Severity::Error => Look {
            class: "error",
            label: "Error",
        },
        Severity::SecurityWarning => Look {
            class: "security",
            label: "Security warning",
        },
        Severity::Warning => Look {
            class: "warning",
            label: "Warning",
        },
        Severity::Suggestion => Look {
            class: "suggestion",
            label: "Suggestion",
        },
    }
}

/// How many findings of each severity `findings` has, as words ("1 error,
/// 2 warnings, 1 suggestion"), with the look of the most serious; `None`
/// when there are none.
pub fn summary<'a>(findings: impl IntoIterator<Item = &'a Diagnostic>) -> Option<(String, Look)> {
    let mut counts = [0usize; 4];
    for d in findings {
        if let Some(n) = Severity::ALL
            .iter()
            .position(|s| *s == d.severity)
            .and_then(|i| counts.get_mut(i))
        {
            *n += 1;
        }
    }
    let mut parts = Vec::new();
    let mut worst = None;
    for (severity, n) in Severity::ALL.iter().zip(counts) {
        if n == 0 {
            continue;
        }
        worst = worst.or(Some(*severity));
        let word = look(*severity).label.to_lowercase();
        parts.push(format!("{n} {word}{}", if n == 1 { "" } else { "s" }));
    }
    worst.map(|w| (parts.join(", "), look(w)))
}

/// The order of the problems list: most serious first, then by position.
pub fn list_order(findings: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = findings.iter().collect();
    sorted.sort_by_key(|d| (d.severity, d.line, d.column));
    sorted
}

/// The worst severity of `findings` on each line (index 0 unused; lines
/// past `lines` count as the last line), with their messages joined by
/// line breaks (the gutter marker's tooltip).
pub fn worst_by_line(findings: &[Diagnostic], lines: usize) -> Vec<Option<(Severity, String)>> {
    let mut marks: Vec<Option<(Severity, String)>> = vec![None; lines + 1];
    for d in findings {
        let line = (d.line.max(1) as usize).min(lines);
        if let Some(slot) = marks.get_mut(line) {
            match slot {
                Some((worst, msg)) => {
                    *worst = (*worst).min(d.severity);
                    msg.push('\n');
                    msg.push_str(&d.message);
                }
                None => *slot = Some((d.severity, d.message.clone())),
            }
        }
    }
    marks
}

/// Text in our message style split into plain text (`false`) and code
/// (`true`, written in backticks): "`Permit` is not an effect" gives
/// `Permit` and " is not an effect".
pub fn code_parts(text: &str) -> Vec<(bool, String)> {
    text.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| (i % 2 == 1, part.to_owned()))
        .collect()
}

/// A quick fix's title for its button, as [`code_parts`] splits it, with
/// the first letter capitalized: "replace with `s3:GetObject`" gives
/// "Replace with " and `s3:GetObject`.
pub fn title_parts(title: &str) -> Vec<(bool, String)> {
    let mut parts = code_parts(title);
    if let Some((false, first)) = parts.first_mut() {
        let mut chars = first.chars();
        if let Some(c) = chars.next() {
            *first = std::iter::once(c.to_ascii_uppercase())
                .chain(chars)
                .collect();
        }
    }
    parts
}

/// The title without backticks, capitalized (for labels and tooltips).
pub fn plain_title(title: &str) -> String {
    title_parts(title)
        .into_iter()
        .map(|(_, s)| s)
        .collect::<String>()
}

/// The text after applying `fix` to `text`, and the byte offset where the
/// caret goes (the end of the last edit's new text); `None` when an edit
/// does not fit the text (the text changed since the finding).
pub fn apply_fix(text: &str, fix: &Fix) -> Option<(String, usize)> {
    let fixed = fix.apply(text)?;
    let last = fix.edits.last()?;
    // Every edit before the last one shifts it by its change in length.
    let shift: isize = fix
        .edits
        .iter()
        .take(fix.edits.len().saturating_sub(1))
        .map(|e| e.replacement.len() as isize - e.span.len() as isize)
        .sum();
    let caret = (last.span.start as isize + shift) as usize + last.replacement.len();
    let caret = caret.min(fixed.len());
    Some((fixed, caret))
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_engine::{Edit, PolicyType, Span};

    fn policy(text: &str) -> ScenarioPolicy {
        ScenarioPolicy::new("p", PolicyType::Identity, text)
    }

    /// `StringLike` with `*`: a catalogue-free finding with a quick fix.
    const NULL_FALSE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": "*",
    "Condition": {"StringLike": {"aws:PrincipalTag/team": "*"}}
  }]
}"#;

    #[test]
    fn findings_without_a_catalogue_include_validation() {
        let found = policy_findings(&policy(NULL_FALSE), None, None);
        let null = found
            .iter()
            .find(|d| d.aws_issue_code == Some("EQUIVALENT_TO_NULL_FALSE"));
        let null = null.expect("the Null-false finding");
        assert!(null.learn_more.is_some());
        assert!(null.fix.is_some());
        assert!(null.line > 1 && null.column > 1);
    }

    #[test]
    fn a_resource_policy_that_can_only_be_a_trust_policy_gets_its_size_quota() {
        let principals: Vec<String> = (0..90)
            .map(|i| format!("\"arn:aws:iam::{:012}:root\"", 111_122_223_333u64 + i))
            .collect();
        let text = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": [{}]}}, "Action": "sts:AssumeRole"}}]}}"#,
            principals.join(", ")
        );
        let size = |policy_type: PolicyType| {
            let p = ScenarioPolicy::new("p", policy_type, &text);
            policy_findings(&p, None, None)
                .into_iter()
                .find(|d| d.code == "size-limit")
                .map(|d| d.message)
        };
        // About 3,000 characters: over a trust policy's 2,048, well within a
        // bucket policy's 20,480.
        let message = size(PolicyType::Resource).expect("the trust policy quota");
        assert!(message.contains("role trust policy"), "{message}");
        assert!(size(PolicyType::Identity).is_none());
    }

    #[test]
    fn parser_diagnostics_are_kept_once() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allw", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let p = policy(text);
        let found = policy_findings(&p, None, None);
        let raw = &p.parsed.diagnostics;
        assert!(!raw.is_empty());
        for d in raw {
            let n = found
                .iter()
                .filter(|f| f.code == d.code && f.span == d.span)
                .count();
            assert_eq!(n, 1, "{} once", d.code);
        }
    }

    #[test]
    fn catalogue_findings_appear_with_a_catalogue() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjcet", "Resource": "*"}]}"#;
        let p = policy(text);
        assert!(policy_findings(&p, None, None)
            .iter()
            .all(|d| d.aws_issue_code != Some("INVALID_ACTION")));
        let catalog = Catalog::bundled().expect("the bundled catalogue decodes");
        let found = policy_findings(&p, Some(&catalog), None);
        let d = found
            .iter()
            .find(|d| d.aws_issue_code == Some("INVALID_ACTION"))
            .expect("INVALID_ACTION");
        let fix = d.fix.as_deref().expect("a did-you-mean fix");
        let (fixed, _) = apply_fix(text, fix).expect("applies");
        assert!(fixed.contains("\"s3:GetObject\""), "{fixed}");
    }

    #[test]
    fn pasted_no_break_spaces_have_a_fix_that_leaves_a_valid_policy() {
        let text = "{\n\u{a0}\"Version\": \"2012-10-17\",\n\u{a0}\"Statement\": []\n}";
        let p = policy(text);
        let found = policy_findings(&p, None, None);
        let d = found.first().expect("the syntax error");
        assert_eq!((d.line, d.column), (2, 1));
        let fix = d.fix.as_deref().expect("a fix for every such space");
        let (fixed, caret) = apply_fix(text, fix).expect("applies");
        assert_eq!(fixed, text.replace('\u{a0}', " "));
        // The caret lands after the last replaced space.
        assert_eq!(fixed.get(caret..caret + 11), Some("\"Statement\""));
        assert!(!policy(&fixed).parsed.has_errors());
    }

    fn diag(code: &'static str, severity: Severity, start: usize, end: usize) -> Diagnostic {
        let mut d = Diagnostic::warning(code, "m", Span::new(start, end));
        d.severity = severity;
        d
    }

    #[test]
    fn dedup_keeps_the_most_serious_and_sorts() {
        let mut a = diag("x", Severity::Warning, 5, 9);
        a.aws_issue_code = Some("SAME");
        let mut b = diag("y", Severity::Error, 5, 9);
        b.aws_issue_code = Some("SAME");
        let c = diag("x", Severity::Warning, 5, 9);
        let other_span = diag("x", Severity::Warning, 1, 3);
        let other_code = diag("z", Severity::Warning, 5, 9);
        let out = dedup(vec![a, c, b, other_span, other_code]);
        let got: Vec<(&str, Severity, u32)> = out
            .iter()
            .map(|d| (d.code, d.severity, d.span.start))
            .collect();
        assert_eq!(
            got,
            vec![
                ("x", Severity::Warning, 1),
                ("y", Severity::Error, 5),
                ("z", Severity::Warning, 5)
            ]
        );
    }

    #[test]
    fn looks_are_distinct() {
        let classes: Vec<&str> = Severity::ALL.iter().map(|s| look(*s).class).collect();
        assert_eq!(classes, ["error", "security", "warning", "suggestion"]);
        assert_eq!(look(Severity::SecurityWarning).label, "Security warning");
    }

    #[test]
    fn summaries_count_each_severity() {
        let all = [
            diag("a", Severity::Suggestion, 0, 1),
            diag("b", Severity::Warning, 0, 1),
            diag("c", Severity::Warning, 0, 1),
            diag("d", Severity::SecurityWarning, 0, 1),
        ];
        let (text, worst) = summary(&all).expect("some");
        assert_eq!(text, "1 security warning, 2 warnings, 1 suggestion");
        assert_eq!(worst.class, "security");
        assert_eq!(summary(&all[..0]), None);
    }

    #[test]
    fn list_is_most_serious_first_then_by_position() {
        let mut a = diag("a", Severity::Suggestion, 0, 1);
        a.line = 1;
        let mut b = diag("b", Severity::Warning, 0, 1);
        b.line = 4;
        let mut c = diag("c", Severity::Warning, 0, 1);
        c.line = 2;
        let mut d = diag("d", Severity::Error, 0, 1);
        d.line = 9;
        let all = [a, b, c, d];
        let codes: Vec<&str> = list_order(&all).iter().map(|d| d.code).collect();
        assert_eq!(codes, ["d", "c", "b", "a"]);
    }

    #[test]
    fn gutter_marks_the_worst_of_each_line() {
        let mut a = diag("a", Severity::Suggestion, 0, 1);
        a.line = 2;
        let mut b = diag("b", Severity::SecurityWarning, 0, 1);
        b.line = 2;
        let mut c = diag("c", Severity::Warning, 0, 1);
        c.line = 40;
        let marks = worst_by_line(&[a, b, c], 3);
        assert_eq!(marks.len(), 4);
        assert_eq!(marks[1], None);
        assert_eq!(
            marks[2],
            Some((Severity::SecurityWarning, "m\nm".to_owned()))
        );
        assert_eq!(marks[3].as_ref().map(|m| m.0), Some(Severity::Warning));
    }

    #[test]
    fn titles_split_code_and_capitalize() {
        assert_eq!(
            title_parts("replace with `s3:GetObject`"),
            vec![
                (false, "Replace with ".to_owned()),
                (true, "s3:GetObject".to_owned())
            ]
        );
        assert_eq!(
            plain_title("rewrite as `Null: true`"),
            "Rewrite as Null: true"
        );
        assert_eq!(
            title_parts("`a` b"),
            vec![(true, "a".to_owned()), (false, " b".to_owned())]
        );
        assert_eq!(
            code_parts("`Permit` is not an effect"),
            vec![
                (true, "Permit".to_owned()),
                (false, " is not an effect".to_owned())
            ]
        );
        // An unpaired backtick leaves the rest as code, losing nothing.
        assert_eq!(
            code_parts("a `b"),
            vec![(false, "a ".to_owned()), (true, "b".to_owned())]
        );
    }

    #[test]
    fn fixes_apply_and_place_the_caret() {
        let text = "abc def ghi";
        let fix = Fix {
            title: "t".to_owned(),
            edits: vec![
                Edit {
                    span: Span::new(0, 3),
                    replacement: "A".to_owned(),
                },
                Edit {
                    span: Span::new(8, 11),
                    replacement: "GHIJ".to_owned(),
                },
            ],
        };
        let (fixed, caret) = apply_fix(text, &fix).expect("fits");
        assert_eq!(fixed, "A def GHIJ");
        assert_eq!(caret, fixed.len());
        let stale = Fix {
            title: "t".to_owned(),
            edits: vec![Edit {
                span: Span::new(8, 40),
                replacement: String::new(),
            }],
        };
        assert_eq!(apply_fix(text, &stale), None);
    }

    #[test]
    fn the_null_false_fix_rewrites_the_condition() {
        let found = policy_findings(&policy(NULL_FALSE), None, None);
        let fix = found
            .iter()
            .find_map(|d| {
                d.fix
                    .as_deref()
                    .filter(|_| d.aws_issue_code == Some("EQUIVALENT_TO_NULL_FALSE"))
            })
            .expect("a fix");
        let (fixed, _) = apply_fix(NULL_FALSE, fix).expect("fits");
        assert_ne!(fixed, NULL_FALSE);
        let again = policy_findings(&policy(&fixed), None, None);
        assert!(
            again
                .iter()
                .all(|d| d.aws_issue_code != Some("EQUIVALENT_TO_NULL_FALSE")),
            "{fixed}"
        );
        assert!(again.iter().all(|d| !d.is_error()), "{fixed}");
    }
}
