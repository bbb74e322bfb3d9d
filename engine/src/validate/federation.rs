//! Checks of federated principals and of role trust principals:
//! `MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL`,
//! `MISSING_GITHUB_REPO_CONDITION_KEY`,
//! `SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED`,
//! `FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE`, `CONFIRM_AUDIENCE_CLAIM_TYPE` and
//! `REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY`.
//!
//! An OIDC provider's claims reach the request as condition keys named
//! after the provider (`accounts.google.com:aud`,
//! `oidc.eks.REGION.amazonaws.com/id/ID:sub`, …): a statement that trusts a
//! provider and reads none of its keys trusts every token the provider
//! issues, to anyone.

use super::glob::{arn_segments, covers};
use super::Context;
use crate::condition::{BaseOperator, SetQualifier};
use crate::diagnostics::{Diagnostic, Severity};
use crate::matching::action_matches;
use crate::policy::{ConditionEntry, Effect, PrincipalEntry, PrincipalKind, Statement};
use crate::source::Span;

/// The issuer of GitHub Actions' OIDC tokens (an enterprise's own issuer
/// adds `/ENTERPRISE`).
const GITHUB: &str = "token.actions.githubusercontent.com";

/// The provider named by a `Federated` principal, as its condition keys
/// begin (`accounts.google.com`, the host and path after `oidc-provider/`
/// in an ARN); `None` for SAML providers, patterns and anything else.
fn oidc_prefix(value: &str) -> Option<&str> {
    if value.contains(['*', '?', '$']) {
        return None;
    }
    match value.split_once(":oidc-provider/") {
        Some((_, host)) if !host.is_empty() => Some(host),
        Some(_) => None,
        None => (!value.starts_with("arn:") && value.contains('.')).then_some(value),
    }
}

/// Whether `key` is one of `provider`'s keys (`PROVIDER:claim`).
fn is_key_of(key: &str, provider: &str) -> bool {
    key.len() > provider.len()
        && key
            .get(..provider.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(provider))
        && key
            .get(provider.len()..)
            .is_some_and(|r| r.starts_with(':'))
}

/// Whether `key` is `provider:claim`.
fn is_claim(key: &str, provider: &str, claim: &str) -> bool {
    is_key_of(key, provider)
        && key
            .get(provider.len() + 1..)
            .is_some_and(|c| c.eq_ignore_ascii_case(claim))
}

/// Whether the GitHub issuer `provider` is GitHub's (or an enterprise's).
fn is_github(provider: &str) -> bool {
    let lower = provider.to_ascii_lowercase();
    lower == GITHUB || lower.starts_with(&format!("{GITHUB}/"))
}

/// Whether `entry` limits a claim to the values listed (a positive string
/// operator, not a negated one or `Null`).
fn limits(entry: &ConditionEntry) -> bool {
    matches!(
        entry.operator.value.base,
        BaseOperator::StringEquals
            | BaseOperator::StringEqualsIgnoreCase
            | BaseOperator::StringLike
    )
}

/// The OIDC `Federated` principals that allowing statements trust without a
/// condition on the provider's keys; for GitHub, without one on
/// `token.actions.githubusercontent.com:sub`, or with a `:sub` pattern that
/// lets in any repository or any branch.
pub(super) fn oidc_principals(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        if statement.effect.value != Effect::Allow || !allows_web_identity(statement) {
            continue;
        }
        let Some(entries) = statement.principal_entries() else {
            continue;
        };
        for entry in entries
            .iter()
            .filter(|e| e.kind == PrincipalKind::Federated)
        {
            let Some(provider) = oidc_prefix(&entry.value.value) else {
                continue;
            };
            let denied = |claim: Option<&str>| deny_reads(&cx.policy.statements, provider, claim);
            if is_github(provider) {
                if !denied(Some("sub")) {
                    github(statement, entry, provider, out);
                }
            } else if !denied(None)
                && !statement
                    .conditions
                    .iter()
                    .any(|c| is_key_of(&c.key.value, provider))
            {
                out.push(
                    Diagnostic::new(
                        Severity::SecurityWarning,
                        "oidc-principal-without-condition",
                        format!(
                            "the OIDC provider `{provider}` is trusted with no condition on its keys, so any token it issues, to any application or user, can assume the role"
                        ),
                        entry.value.span,
                    )
                    .with_help(format!(
                        "add conditions on the provider's claims, such as `{provider}:aud` (your application's client id) and `{provider}:sub`"
                    ))
                    .with_aws_issue(
                        "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL",
                        "security-warning-missing-condition-key-for-oidc-principal",
                    ),
                );
            }
        }
    }
}

/// Whether a `Deny` statement of the policy has a condition on `provider`'s
/// keys (on its `claim` when given): such a deny restricts the tokens
/// accepted, even where the allowing statement does not.
fn deny_reads(statements: &[Statement], provider: &str, claim: Option<&str>) -> bool {
    statements
        .iter()
        .filter(|s| s.effect.value == Effect::Deny)
        .flat_map(|s| &s.conditions)
        .any(|c| match claim {
            Some(claim) => is_claim(&c.key.value, provider, claim),
            None => is_key_of(&c.key.value, provider),
        })
}

/// Whether the statement's actions take in `sts:AssumeRoleWithWebIdentity`
/// (a statement allowing only `sts:TagSession` lets no one assume the role).
fn allows_web_identity(statement: &Statement) -> bool {
    let action = &statement.action;
    let listed = action
        .patterns
        .iter()
        .any(|p| action_matches(&p.value, "sts:AssumeRoleWithWebIdentity"));
    listed != action.negated
}

/// The GitHub checks of one statement trusting the GitHub issuer `provider`.
fn github(
    statement: &Statement,
    entry: &PrincipalEntry,
    provider: &str,
    out: &mut Vec<Diagnostic>,
) {
    let subjects: Vec<&ConditionEntry> = statement
        .conditions
        .iter()
        .filter(|c| is_claim(&c.key.value, provider, "sub") && limits(c))
        .collect();
    if subjects.is_empty() {
        out.push(
            Diagnostic::new(
                Severity::SecurityWarning,
                "github-oidc-without-repository",
                format!(
                    "GitHub's OIDC provider is trusted without a condition on `{provider}:sub`, so workflows of any GitHub repository, anyone's, can assume the role"
                ),
                entry.value.span,
            )
            .with_help(format!(
                "add `\"StringLike\": {{\"{provider}:sub\": \"repo:ORG/REPO:ref:refs/heads/BRANCH\"}}` naming your repository and branch"
            ))
            .with_aws_issue(
                "MISSING_GITHUB_REPO_CONDITION_KEY",
                "security-warning-missing-github-repo-condition-key",
            ),
        );
        return;
    }
    let branch_limited = statement
        .conditions
        .iter()
        .any(|c| is_claim(&c.key.value, provider, "ref") && limits(c));
    for condition in subjects {
        if condition.operator.value.base != BaseOperator::StringLike {
            continue;
        }
        for value in &condition.values {
            if !value.text.contains(['*', '?']) || !broad_subject(&value.text, branch_limited) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    "github-subject-too-broad",
                    format!(
                        "the wildcard in `{}` lets workflows of more repositories or branches than one assume the role",
                        value.text
                    ),
                    value.span,
                )
                .with_help(format!(
                    "name the repository and branch (`repo:ORG/REPO:ref:refs/heads/BRANCH`); when the subject names an environment instead, limit the branch with `{provider}:ref`"
                ))
                .with_aws_issue(
                    "SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED",
                    "general-warning-specific-github-repo-and-branch-recommended",
                ),
            );
        }
    }
}

/// Subjects of any branch, tag, environment or pull request of a
/// repository: a pattern matching one of these leaves the branch open.
const ANY_BRANCH: [&str; 4] = [
    "ref:refs/heads/\u{7f}",
    "ref:refs/tags/\u{7f}",
    "environment:\u{7f}",
    "pull_request",
];

/// Whether the `:sub` pattern `subject` (with a wildcard) lets in more than
/// one repository, or any branch of one when no `:ref` condition limits the
/// branch.
fn broad_subject(subject: &str, branch_limited: bool) -> bool {
    let Some((repository, context)) = subject
        .strip_prefix("repo:")
        .and_then(|rest| rest.split_once(':'))
    else {
        return true;
    };
    if repository.contains(['*', '?']) || !repository.contains('/') {
        return true;
    }
    !branch_limited && ANY_BRANCH.iter().any(|probe| covers(context, probe, false))
}

/// Whether `key` is an OIDC provider's audience key (`PROVIDER:aud`, the
/// provider a host name): the checks below own its set qualifiers.
pub(super) fn is_audience_key(key: &str) -> bool {
    key.rsplit_once(':')
        .is_some_and(|(p, c)| p.contains('.') && c.eq_ignore_ascii_case("aud"))
}

/// Set qualifiers on an OIDC audience key (`PROVIDER:aud`), which holds a
/// single value: `ForAnyValue:` (a security warning: a token meant for
/// several audiences, one of them yours, passes) and `ForAllValues:` (a
/// suggestion: confirm the claim's type).
pub(super) fn audience_qualifiers(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        for entry in &statement.conditions {
            let Some(qualifier) = entry.operator.value.qualifier else {
                continue;
            };
            let key = &entry.key.value;
            if !is_audience_key(key) {
                continue;
            }
            let plain = entry
                .operator_name
                .split_once(':')
                .map_or(&*entry.operator_name, |(_, b)| b);
            let mut d = match qualifier {
                SetQualifier::ForAnyValue => Diagnostic::new(
                    Severity::SecurityWarning,
                    "foranyvalue-on-audience",
                    format!(
                        "`ForAnyValue:` on the audience key `{key}` accepts a token meant for several audiences as soon as one of them is listed"
                    ),
                    entry.operator.span,
                )
                .with_aws_issue(
                    "FORANYVALUE_WITH_AUDIENCE_CLAIM_TYPE",
                    "security-warning-foranyvalue-with-audience-claim-type",
                ),
                SetQualifier::ForAllValues => Diagnostic::new(
                    Severity::Suggestion,
                    "qualifier-on-audience",
                    format!(
                        "`ForAllValues:` on the audience key `{key}`: the `aud` claim is usually a single value, which takes no set qualifier"
                    ),
                    entry.operator.span,
                )
                .with_aws_issue(
                    "CONFIRM_AUDIENCE_CLAIM_TYPE",
                    "suggestion-confirm-audience-claim-type",
                ),
            };
            d = d.with_help(format!(
                "write `{plain}` unless your identity provider issues several audiences in one token"
            ));
            if let Some(edit) = unqualify_edit(&statement.conditions, entry, plain) {
                d = d.with_fix(format!("replace with `{plain}`"), vec![edit]);
            }
            out.push(d);
        }
    }
}

/// The edit that drops the qualifier of `entry`'s operator: only when the
/// operator block holds just this key and the statement has no block of
/// the plain operator yet.
fn unqualify_edit(
    conditions: &[ConditionEntry],
    entry: &ConditionEntry,
    plain: &str,
) -> Option<(Span, String)> {
    let alone = conditions
        .iter()
        .filter(|c| c.operator.span == entry.operator.span)
        .count()
        == 1;
    let taken = conditions.iter().any(|c| &*c.operator_name == plain);
    (alone && !taken).then(|| (entry.operator.span, format!("\"{plain}\"")))
}

/// `(partition, account, role name)` of a role ARN
/// (`arn:aws:iam::111122223333:role/PATH/NAME`).
fn role(arn: &str) -> Option<(&str, &str, &str)> {
    let ["arn", partition, "iam", "", account, rest] = arn_segments(arn)? else {
        return None;
    };
    let name = rest.strip_prefix("role/")?.rsplit('/').next()?;
    Some((partition, account, name))
}

/// `(partition, account, role name)` of an assumed-role session ARN
/// (`arn:aws:sts::111122223333:assumed-role/NAME/SESSION`).
fn session(arn: &str) -> Option<(&str, &str, &str)> {
    let ["arn", partition, "sts" | "iam", "", account, rest] = arn_segments(arn)? else {
        return None;
    };
    let (name, session) = rest.strip_prefix("assumed-role/")?.split_once('/')?;
    (!name.is_empty() && !session.is_empty()).then_some((partition, account, name))
}

/// An assumed-role session listed in a `Principal` beside its role: the
/// role already covers every session of it.
pub(super) fn redundant_sessions(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    use super::PolicyKind;
    if !matches!(cx.kind, PolicyKind::RoleTrust | PolicyKind::Resource) {
        return;
    }
    for statement in &cx.policy.statements {
        let Some(entries) = statement.principal_entries() else {
            continue;
        };
        let plain = |e: &PrincipalEntry| {
            e.kind == PrincipalKind::Aws && !e.value.value.contains(['*', '?', '$'])
        };
        for (i, entry) in entries.iter().enumerate().filter(|(_, e)| plain(e)) {
            let Some(of) = session(&entry.value.value) else {
                continue;
            };
            let Some(parent) = entries.iter().find(|e| {
                plain(e)
                    && role(&e.value.value).is_some_and(|(p, a, n)| {
                        p == of.0 && a == of.1 && n.eq_ignore_ascii_case(of.2)
                    })
            }) else {
                continue;
            };
            let mut d = Diagnostic::new(
                Severity::Suggestion,
                "redundant-role-session",
                format!(
                    "the session `{}` is redundant: its role `{}` is listed too, which covers all of the role's sessions",
                    entry.value.value, parent.value.value
                ),
                entry.value.span,
            )
            .with_help("remove the assumed-role principal; the statement applies the same without it")
            .with_aws_issue(
                "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY",
                "suggestion-redundant-principal-in-role-trust-policy",
            );
            if let Some(span) = removal(entries, i) {
                d = d.with_fix(
                    format!("remove `{}`", entry.value.value),
                    vec![(span, String::new())],
                );
            }
            out.push(d);
        }
    }
}

/// The span that removes `entries[index]` from its array with one comma:
/// a neighbour under the same key shares the array.
fn removal(entries: &[PrincipalEntry], index: usize) -> Option<Span> {
    let this = entries.get(index)?;
    let same = |e: &&PrincipalEntry| e.kind == this.kind;
    if let Some(before) = index
        .checked_sub(1)
        .and_then(|i| entries.get(i))
        .filter(same)
    {
        return Some(Span::new(
            before.value.span.end as usize,
            this.value.span.end as usize,
        ));
    }
    let after = entries.get(index + 1).filter(same)?;
    Some(Span::new(
        this.value.span.start as usize,
        after.value.span.start as usize,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::{validate, PolicyKind};

    fn trust(principal: &str, condition: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {principal},
            "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {condition}}}]}}"#
        )
    }

    fn codes(text: &str) -> Vec<&'static str> {
        validate(text, PolicyKind::RoleTrust, None)
            .iter()
            .filter_map(|d| d.aws_issue_code)
            .collect()
    }

    const GH: &str = r#"{"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}"#;

    #[test]
    fn the_usual_github_trust_is_quiet() {
        let text = trust(
            GH,
            r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"},
                "StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/repo:ref:refs/heads/main"}}"#,
        );
        assert_eq!(codes(&text), Vec::<&str>::new());
        let text = trust(
            GH,
            r#"{"StringLike": {"token.actions.githubusercontent.com:sub": ["repo:org/repo:ref:refs/heads/release/*", "repo:org/repo:environment:prod"]}}"#,
        );
        assert_eq!(codes(&text), Vec::<&str>::new());
    }

    #[test]
    fn github_without_subject_or_with_a_wide_one() {
        let text = trust(
            GH,
            r#"{"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}"#,
        );
        assert_eq!(codes(&text), ["MISSING_GITHUB_REPO_CONDITION_KEY"]);
        assert_eq!(
            codes(&trust(GH, "{}")),
            ["MISSING_GITHUB_REPO_CONDITION_KEY"]
        );
        let negated =
            r#"{"StringNotLike": {"token.actions.githubusercontent.com:sub": "repo:evil/*"}}"#;
        assert_eq!(
            codes(&trust(GH, negated)),
            ["MISSING_GITHUB_REPO_CONDITION_KEY"]
        );
        for wide in [
            "*",
            "repo:*",
            "repo:org/*",
            "repo:org/*:ref:refs/heads/main",
            "repo:org/repo:*",
            "repo:org/repo:ref:refs/heads/*",
            "repo:org/repo:environment:*",
        ] {
            let text = trust(
                GH,
                &format!(
                    r#"{{"StringLike": {{"token.actions.githubusercontent.com:sub": "{wide}"}}}}"#
                ),
            );
            let found = codes(&text);
            assert!(
                found.contains(&"SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"),
                "{wide}"
            );
            assert!(
                !found.contains(&"MISSING_GITHUB_REPO_CONDITION_KEY"),
                "{wide}"
            );
        }
        let guarded = format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {GH}, "Action": "sts:AssumeRoleWithWebIdentity"}},
            {{"Effect": "Deny", "Principal": {GH}, "Action": "sts:AssumeRoleWithWebIdentity",
              "Condition": {{"StringNotLike": {{"token.actions.githubusercontent.com:sub": "repo:org/app:*"}}}}}}]}}"#
        );
        assert!(!codes(&guarded).contains(&"MISSING_GITHUB_REPO_CONDITION_KEY"));
        let with_ref = r#"{"StringLike": {"token.actions.githubusercontent.com:sub": "repo:org/repo:*"},
            "StringEquals": {"token.actions.githubusercontent.com:ref": "refs/heads/main"}}"#;
        assert_eq!(codes(&trust(GH, with_ref)), Vec::<&str>::new());
        let equals_star =
            r#"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:org/repo:*"}}"#;
        assert!(!codes(&trust(GH, equals_star))
            .contains(&"SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"));
    }

    #[test]
    fn other_oidc_providers_need_a_condition_on_their_keys() {
        let eks = r#"{"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}"#;
        assert_eq!(
            codes(&trust(eks, "{}")),
            ["MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"]
        );
        let other = r#"{"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#;
        assert_eq!(
            codes(&trust(eks, other)),
            ["MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"]
        );
        let scoped = r#"{"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:default:app"}}"#;
        assert_eq!(codes(&trust(eks, scoped)), Vec::<&str>::new());
        let google = r#"{"Federated": "accounts.google.com"}"#;
        assert_eq!(
            codes(&trust(google, "{}")),
            ["MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"]
        );
        let tag_only = trust(eks, "{}").replace("sts:AssumeRoleWithWebIdentity", "sts:TagSession");
        assert_eq!(codes(&tag_only), Vec::<&str>::new());
        let saml = r#"{"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}"#;
        assert_eq!(
            codes(&trust(saml, "{}"))
                .into_iter()
                .filter(|c| c.contains("OIDC"))
                .count(),
            0
        );
    }

    #[test]
    fn qualified_audience() {
        let any = r#"{"ForAnyValue:StringEquals": {"accounts.google.com:aud": "app.apps.googleusercontent.com"}}"#;
        let google = r#"{"Federated": "accounts.google.com"}"#;
        let found = validate(&trust(google, any), PolicyKind::RoleTrust, None);
        let d = found
            .iter()
            .find(|d| d.code == "foranyvalue-on-audience")
            .unwrap();
        assert_eq!(d.severity, Severity::SecurityWarning);
        let fixed = d.fix.as_ref().unwrap().apply(&trust(google, any)).unwrap();
        assert!(
            fixed.contains(r#"{"StringEquals": {"accounts.google.com:aud""#),
            "{fixed}"
        );
        let all = r#"{"ForAllValues:StringEquals": {"accounts.google.com:aud": "app"}}"#;
        assert!(codes(&trust(google, all)).contains(&"CONFIRM_AUDIENCE_CLAIM_TYPE"));
        let amr = r#"{"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}"#;
        assert!(!codes(&trust(google, amr))
            .iter()
            .any(|c| c.contains("AUDIENCE")));
    }

    #[test]
    fn sessions_beside_their_role() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"AWS": ["arn:aws:iam::111122223333:role/ops/admin", "arn:aws:sts::111122223333:assumed-role/admin/alice", "arn:aws:sts::111122223333:assumed-role/other/bob"]}}]}"#;
        let found = validate(text, PolicyKind::RoleTrust, None);
        let d: Vec<_> = found
            .iter()
            .filter(|d| d.code == "redundant-role-session")
            .collect();
        assert_eq!(d.len(), 1);
        let fixed = d[0].fix.as_ref().unwrap().apply(text).unwrap();
        assert!(fixed.contains(r#"["arn:aws:iam::111122223333:role/ops/admin", "arn:aws:sts::111122223333:assumed-role/other/bob"]"#), "{fixed}");
        assert_eq!(role("arn:aws:iam::1:user/x"), None);
        assert_eq!(session("arn:aws:sts::1:assumed-role/x"), None);
    }
}
