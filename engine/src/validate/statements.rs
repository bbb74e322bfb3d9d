//! Checks on whole statements and on what a policy type accepts:
//! `REDUNDANT_STATEMENT` (a statement another one already covers), the RCP
//! service list (`RCP_SYNTAX_ERROR_ACTION`), unique ids in `Principal`
//! (`INVALID_ROLE_REFERENCE`, `INVALID_USER_REFERENCE`) and federated
//! principals outside role trust policies (`FEDERATED_PRINCIPAL_NOT_SUPPORTED`).

use std::cell::OnceCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::glob::{arn_covers, covers, placeholders_as_stars};
use super::{Context, PolicyKind};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::{PrincipalElement, PrincipalKind, PrincipalSpec, Statement};
use crate::source::Span;

/// FNV-1a over the ASCII-lower-cased bytes of `text`: a fast hash for the
/// short action texts of one policy.
fn folded_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Passes a precomputed hash through (the keys are [`folded_hash`]es).
#[derive(Default)]
struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Texts by the hash of a key, with the statement each comes from: a
/// multimap as one vector of entries chained by key (no allocation per key).
#[derive(Default)]
struct Chains<'a> {
    heads: HashMap<u64, usize, BuildHasherDefault<Identity>>,
    /// (text, statement, previous entry with the same key hash).
    entries: Vec<(&'a str, usize, Option<usize>)>,
}

impl<'a> Chains<'a> {
    fn insert(&mut self, key: &str, text: &'a str, statement: usize) {
        let prev = self.heads.insert(folded_hash(key), self.entries.len());
        self.entries.push((text, statement, prev));
    }

    /// The (text, statement) entries whose key hashes as `key` does.
    fn get(&self, key: &str) -> impl Iterator<Item = (&'a str, usize)> + '_ {
        let mut next = self.heads.get(&folded_hash(key)).copied();
        std::iter::from_fn(move || {
            let (text, statement, prev) = *self.entries.get(next?)?;
            next = prev;
            Some((text, statement))
        })
    }
}

/// The `Action` patterns (not `NotAction`) of statements, in practice of
/// one long statement, indexed to tell whether one covers a given pattern: literals by
/// text, `PREFIX*` patterns by the service part of the prefix (`""` when it
/// has no `:`, as in `*`), the others one by one.
#[derive(Default)]
struct ActionIndex<'a> {
    literals: Chains<'a>,
    prefixes: Chains<'a>,
    others: Vec<(&'a str, usize)>,
}

impl<'a> ActionIndex<'a> {
    fn new(statements: &'a [Statement]) -> Self {
        let mut index = ActionIndex::default();
        for (j, statement) in statements.iter().enumerate() {
            if statement.action.negated {
                continue;
            }
            for pattern in &statement.action.patterns {
                let text = pattern.value.as_str();
                match text.find(['*', '?']) {
                    None => index.literals.insert(text, text, j),
                    Some(i) if i + 1 == text.len() && text.ends_with('*') => {
                        let prefix = text.get(..i).unwrap_or("");
                        let service = prefix.split_once(':').map_or("", |(s, _)| s);
                        index.prefixes.insert(service, prefix, j);
                    }
                    Some(_) => index.others.push((text, j)),
                }
            }
        }
        index
    }

    /// Whether some indexed pattern matches every action `pattern` matches
    /// (for an index of one statement: whether that statement covers it).
    fn covers_any(&self, pattern: &str) -> bool {
        if !pattern.contains(['*', '?'])
            && self
                .literals
                .get(pattern)
                .any(|(t, _)| t.eq_ignore_ascii_case(pattern))
        {
            return true;
        }
        let service = pattern.split_once(':').map_or("", |(s, _)| s);
        let by_prefix = |key: &str| {
            self.prefixes.get(key).any(|(prefix, _)| {
                let head = pattern.as_bytes().get(..prefix.len());
                head.is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
            })
        };
        by_prefix("")
            || (!service.is_empty() && by_prefix(service))
            || self.others.iter().any(|(g, _)| covers(g, pattern, true))
    }
}

/// The statements that may cover others, by the services of their
/// `Action`: a statement covers another only if it names the other's first
/// service, or has a wildcard in a service part.
#[derive(Default)]
struct ServiceIndex<'a> {
    by_service: Chains<'a>,
    /// `Action` statements with a wildcard in a service part (or `*`).
    any_service: Vec<usize>,
}

/// The service part of an action pattern, or `None` when it has a wildcard.
fn service_of(pattern: &str) -> Option<&str> {
    let (service, _) = pattern.split_once(':')?;
    (!service.contains(['*', '?'])).then_some(service)
}

impl<'a> ServiceIndex<'a> {
    fn new(statements: &'a [Statement]) -> Self {
        let mut index = ServiceIndex::default();
        for (j, statement) in statements.iter().enumerate() {
            if statement.action.negated {
                continue;
            }
            // Patterns of one service are usually listed together: a
            // service is entered once per run (repeats are merged away in
            // `candidates`, where one statement's entries are adjacent).
            let mut last: Option<&str> = None;
            for pattern in &statement.action.patterns {
                match service_of(&pattern.value) {
                    None => {
                        index.any_service.push(j);
                        break;
                    }
                    Some(service) => {
                        if last.is_some_and(|s| s.eq_ignore_ascii_case(service)) {
                            continue;
                        }
                        last = Some(service);
                        index.by_service.insert(service, service, j);
                    }
                }
            }
        }
        index
    }

    /// The `Action` statements that may cover `statement` (an `Action` one).
    fn candidates(&self, statement: &Statement) -> Vec<usize> {
        let first = statement.action.patterns.first().map(|p| p.value.as_str());
        // Chains run from the last statement back: reversed, both lists
        // are in document order, and merge without sorting.
        let mut named: Vec<usize> = match first.and_then(service_of) {
            Some(service) => self
                .by_service
                .get(service)
                .filter(|(s, _)| s.eq_ignore_ascii_case(service))
                .map(|(_, j)| j)
                .collect(),
            None => Vec::new(),
        };
        named.reverse();
        let mut found = Vec::with_capacity(named.len() + self.any_service.len());
        let (mut x, mut y) = (named.iter().peekable(), self.any_service.iter().peekable());
        loop {
            let next = match (x.peek(), y.peek()) {
                (Some(&&a), Some(&&b)) if a <= b => x.next(),
                (Some(_), Some(_)) | (None, Some(_)) => y.next(),
                (Some(_), None) => x.next(),
                (None, None) => break,
            };
            if let Some(&j) = next {
                if found.last() != Some(&j) {
                    found.push(j);
                }
            }
        }
        found
    }
}

/// A principal element, normalised: negated, and the sorted entries.
type PrincipalKey = Option<(bool, Vec<(&'static str, String)>)>;

fn principal_key(p: Option<&PrincipalElement>) -> PrincipalKey {
    let p = p?;
    let mut list: Vec<(&'static str, String)> = match &p.spec {
        PrincipalSpec::Any(_) => vec![("*", "*".to_owned())],
        PrincipalSpec::Entries(entries) => entries
            .iter()
            .map(|e| (e.kind.as_str(), e.value.value.to_string()))
            .collect(),
    };
    list.sort();
    list.dedup();
    Some((p.negated, list))
}

/// A `Condition` block, normalised: (operator, key case-folded, value
/// set), sorted.
type ConditionsKey = Vec<(String, String, Vec<String>)>;

fn conditions_key(statement: &Statement) -> ConditionsKey {
    let mut conditions: Vec<(String, String, Vec<String>)> = statement
        .conditions
        .iter()
        .map(|c| {
            let mut values: Vec<String> = c.values.iter().map(|v| v.text.to_string()).collect();
            values.sort();
            values.dedup();
            (
                c.operator_name.to_string(),
                c.key.value.to_ascii_lowercase(),
                values,
            )
        })
        .collect();
    conditions.sort();
    conditions
}

/// Whether resource pattern `general` covers `specific`: a pattern with a
/// policy variable covers only the same text; a variable in `specific`
/// stands for any text.
fn resource_covers(general: &str, specific: &str) -> bool {
    if general == specific || general == "*" {
        return true;
    }
    if !general.contains(['*', '?']) || general.contains("${") {
        return false;
    }
    if specific.contains("${") {
        arn_covers(general, &placeholders_as_stars(specific))
    } else {
        arn_covers(general, specific)
    }
}

/// Whether every request `b`'s resources match, `a`'s match too. A
/// statement without `Resource` (trust policies, some SCPs) covers all.
fn resources_cover(a: &Statement, b: &Statement) -> bool {
    let (x, y) = match (&a.resource, &b.resource) {
        (None, _) => return true,
        (Some(x), None) => return !x.negated && x.patterns.iter().any(|p| p.value == "*"),
        (Some(x), Some(y)) => (x, y),
    };
    match (x.negated, y.negated) {
        (false, false) => y.patterns.iter().all(|s| {
            x.patterns
                .iter()
                .any(|g| resource_covers(&g.value, &s.value))
        }),
        // `NotResource`: what `a` excludes, `b` excludes too.
        (true, true) => x.patterns.iter().all(|g| {
            y.patterns
                .iter()
                .any(|s| resource_covers(&s.value, &g.value))
        }),
        _ => false,
    }
}

/// Whether `a`'s `NotAction` excludes no more than `b`'s does: each of its
/// patterns is covered by one of `b`'s, so every action `b` reaches `a`
/// reaches too.
fn not_actions_cover(a: &Statement, b: &Statement) -> bool {
    a.action.patterns.iter().all(|g| {
        b.action
            .patterns
            .iter()
            .any(|s| covers(&s.value, &g.value, true))
    })
}

/// What the search for covering statements reads: the statements, the
/// service index, and each statement's own action index, built when first
/// needed.
struct Search<'a> {
    statements: &'a [Statement],
    services: ServiceIndex<'a>,
    actions: Vec<OnceCell<ActionIndex<'a>>>,
    /// Each statement's principal and condition keys, built when needed.
    keys: Vec<OnceCell<(PrincipalKey, ConditionsKey)>>,
}

impl<'a> Search<'a> {
    fn new(statements: &'a [Statement]) -> Self {
        Search {
            statements,
            services: ServiceIndex::new(statements),
            actions: statements.iter().map(|_| OnceCell::new()).collect(),
            keys: statements.iter().map(|_| OnceCell::new()).collect(),
        }
    }

    /// Whether statement `j` grants (or denies) everything statement `i`
    /// does, its actions aside: same effect and principal, conditions the
    /// same or none, and `i`'s resources within `j`'s.
    fn covers_but_actions(&self, j: usize, i: usize) -> bool {
        let (Some(a), Some(b)) = (self.statements.get(j), self.statements.get(i)) else {
            return false;
        };
        let keys = |k: usize, s: &Statement| {
            self.keys.get(k).map(|cell| {
                cell.get_or_init(|| (principal_key(s.principal.as_ref()), conditions_key(s)))
            })
        };
        a.effect.value == b.effect.value
            && a.action.negated == b.action.negated
            && (a.conditions.is_empty() || a.conditions.len() == b.conditions.len())
            && match (keys(j, a), keys(i, b)) {
                (Some((pa, ca)), Some((pb, cb))) => {
                    pa == pb && (a.conditions.is_empty() || ca == cb)
                }
                _ => false,
            }
            && resources_cover(a, b)
    }

    /// A quick test before the others: whether statement `j` has the same
    /// effect and kind of action element as `b` and, for `Action`, a
    /// pattern that covers `b`'s first one.
    fn first_covered(&self, j: usize, b: &Statement) -> bool {
        let Some(a) = self.statements.get(j) else {
            return false;
        };
        if a.effect.value != b.effect.value || a.action.negated != b.action.negated {
            return false;
        }
        let Some(first) = b.action.patterns.first().filter(|_| !b.action.negated) else {
            return true;
        };
        self.covered_by(j, &first.value)
    }

    /// Whether a pattern of statement `j`'s `Action` covers `pattern`: a
    /// scan for short lists, the statement's own index for long ones.
    fn covered_by(&self, j: usize, pattern: &str) -> bool {
        let Some(a) = self.statements.get(j) else {
            return false;
        };
        if a.action.patterns.len() > 16 {
            return self.index(j).is_some_and(|index| index.covers_any(pattern));
        }
        a.action.patterns.iter().any(|g| {
            if g.value.contains(['*', '?']) {
                covers(&g.value, pattern, true)
            } else {
                g.value.eq_ignore_ascii_case(pattern)
            }
        })
    }

    /// Statement `j`'s own action index.
    fn index(&self, j: usize) -> Option<&ActionIndex<'a>> {
        let (a, cell) = (self.statements.get(j)?, self.actions.get(j)?);
        Some(cell.get_or_init(|| ActionIndex::new(std::slice::from_ref(a))))
    }

    /// Whether statement `j`'s `Action` covers every action of `b`'s.
    fn actions_cover(&self, j: usize, b: &Statement) -> bool {
        b.action
            .patterns
            .iter()
            .all(|p| self.covered_by(j, &p.value))
    }

    /// The statements that cover statement `i`, in document order.
    fn covering(&self, i: usize) -> Vec<usize> {
        let Some(b) = self.statements.get(i) else {
            return Vec::new();
        };
        let candidates: Vec<usize> = if b.action.negated {
            (0..self.statements.len()).collect()
        } else {
            self.services.candidates(b)
        };
        candidates
            .into_iter()
            .filter(|&j| j != i && self.first_covered(j, b) && self.covers_but_actions(j, i))
            .filter(|&j| {
                if b.action.negated {
                    self.statements
                        .get(j)
                        .is_some_and(|a| not_actions_cover(a, b))
                } else {
                    self.actions_cover(j, b)
                }
            })
            .collect()
    }
}

/// The span that removes `statement` from the `Statement` array with one
/// comma, when its neighbour in the array was parsed.
fn statement_removal(statements: &[Statement], position: usize) -> Option<Span> {
    let this = statements.get(position)?;
    let before = position.checked_sub(1).and_then(|i| statements.get(i));
    if let Some(before) = before.filter(|b| b.index + 1 == this.index) {
        return Some(Span::new(before.span.end as usize, this.span.end as usize));
    }
    let after = statements
        .get(position + 1)
        .filter(|a| a.index == this.index + 1)?;
    Some(Span::new(
        this.span.start as usize,
        after.span.start as usize,
    ))
}

/// `REDUNDANT_STATEMENT`: a statement another statement of the policy
/// already covers. Of two that cover each other, the later is reported.
pub(super) fn redundant_statements(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let statements = &cx.policy.statements;
    if statements.len() < 2 {
        return;
    }
    let search = Search::new(statements);
    for (i, this) in statements.iter().enumerate() {
        let mut mutual = false;
        let by = search.covering(i).into_iter().find(|&j| {
            // Of two statements that cover each other, the earlier stays.
            mutual = search.covering(j).contains(&i);
            j < i || !mutual
        });
        let Some(other) = by.and_then(|j| statements.get(j)) else {
            continue;
        };
        let what = if mutual {
            format!(
                "statement `{}` repeats statement `{}`",
                this.label, other.label
            )
        } else {
            let verb = match this.effect.value {
                crate::policy::Effect::Allow => "allows",
                crate::policy::Effect::Deny => "denies",
            };
            format!(
                "statement `{}` is redundant: statement `{}` already {verb} everything it does",
                this.label, other.label,
            )
        };
        let mut d = Diagnostic::new(Severity::Suggestion, "redundant-statement", what, this.span)
            .with_help(format!(
                "remove statement `{}`; the policy means the same without it, and a later edit to only one of the two would be easy to miss",
                this.label
            ))
            .with_aws_issue("REDUNDANT_STATEMENT", "suggestion-redundant-statement");
        if let Some(span) = statement_removal(statements, i) {
            d = d.with_fix(
                format!("remove statement `{}`", this.label),
                vec![(span, String::new())],
            );
        }
        out.push(d);
    }
}

/// The services whose actions resource control policies accept (AWS
/// Organizations, "List of AWS services that support RCPs").
const RCP_SERVICES: &[&str] = &[
    "s3",
    "sts",
    "kms",
    "sqs",
    "secretsmanager",
    "ecr",
    "aoss",
    "cognito-identity",
    "logs",
    "dynamodb",
];

/// `RCP_SYNTAX_ERROR_ACTION`: an RCP action of a service RCPs do not cover.
pub(super) fn rcp_actions(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.kind != PolicyKind::Rcp {
        return;
    }
    for statement in &cx.policy.statements {
        for pattern in &statement.action.patterns {
            let Some((service, _)) = pattern.value.split_once(':') else {
                continue;
            };
            let service = service.to_ascii_lowercase();
            if service.contains(['*', '?']) || RCP_SERVICES.contains(&service.as_str()) {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    "rcp-unsupported-service",
                    format!("resource control policies do not apply to `{service}`, so `{}` has no effect here", pattern.value),
                    pattern.span,
                )
                .with_help(format!("RCPs cover only some services ({}); control this service with an SCP or its own resource policies", RCP_SERVICES.join(", ")))
                .with_aws_issue("RCP_SYNTAX_ERROR_ACTION", "error-rcp-syntax-error-action"),
            );
        }
    }
}

/// `INVALID_ROLE_REFERENCE` and `INVALID_USER_REFERENCE`: a role or user
/// named by its unique id rather than its ARN.
pub(super) fn unique_ids(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        for entry in statement.listed_principals() {
            if entry.kind != PrincipalKind::Aws {
                continue;
            }
            let id = &entry.value.value;
            let Some(kind) = crate::parse::unique_id_kind(id) else {
                continue;
            };
            let (issue, anchor) = if kind == "role" {
                (
                    "INVALID_ROLE_REFERENCE",
                    "general-warning-invalid-role-reference",
                )
            } else {
                (
                    "INVALID_USER_REFERENCE",
                    "general-warning-invalid-user-reference",
                )
            };
            out.push(
                Diagnostic::warning(
                    "principal-unique-id",
                    format!("`{id}` is the unique id of an IAM {kind}, not its ARN: it names only that one {kind}, so a {kind} deleted and created again with the same name does not match"),
                    entry.value.span,
                )
                .with_help(format!("name the {kind} by its ARN, `arn:aws:iam::111122223333:{kind}/NAME`; IAM shows an id here when the {kind} it named was deleted, and then the entry can go"))
                .with_aws_issue(issue, anchor),
            );
        }
    }
}

/// `FEDERATED_PRINCIPAL_NOT_SUPPORTED`: a `Federated` principal in a
/// resource-based policy that is not a role trust policy. Only statements
/// without any `sts` action are reported: a statement that can assume a
/// role is likely a trust policy validated as a plain resource policy.
pub(super) fn federated_principals(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if cx.kind != PolicyKind::Resource {
        return;
    }
    for statement in &cx.policy.statements {
        let may_assume = statement.action.negated
            || statement.action.patterns.iter().any(|p| {
                let lower = p.value.to_ascii_lowercase();
                lower == "*" || lower.starts_with("sts:") || lower.starts_with("st*")
            });
        if may_assume {
            continue;
        }
        for entry in statement.listed_principals() {
            if entry.kind != PrincipalKind::Federated {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    "federated-principal-not-supported",
                    format!("only a role trust policy can name an identity provider such as `{}`; in this policy it matches no request", entry.value.value),
                    entry.value.span,
                )
                .with_help("name the accounts, users, roles or services that need access; federated users reach a resource through a role that trusts their provider")
                .with_aws_issue("FEDERATED_PRINCIPAL_NOT_SUPPORTED", "error-federated-principal-not-supported"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::{validate, PolicyKind};

    fn found(text: &str, kind: PolicyKind, code: &str) -> Vec<String> {
        validate(text, kind, None)
            .into_iter()
            .filter(|d| d.code == code)
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_covered_statement_is_redundant() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "Wide", "Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"},
            {"Sid": "Narrow", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
             "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
            {"Sid": "Deny", "Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
            {"Sid": "Other", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
        let got = found(text, PolicyKind::Managed, "redundant-statement");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("`Narrow` is redundant: statement `Wide`"),
            "{got:?}"
        );
    }

    #[test]
    fn conditions_principals_and_not_elements_keep_statements_apart() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
            {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b/*"},
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/${aws:username}"},
            {"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/alice"}]}"#;
        assert!(found(text, PolicyKind::Managed, "redundant-statement").is_empty());
        let principals = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:*", "Resource": "*"},
            {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:GetObject", "Resource": "*"}]}"#;
        assert!(found(principals, PolicyKind::Resource, "redundant-statement").is_empty());
    }

    #[test]
    fn not_action_statements_compare_what_they_exclude() {
        let text = r#"{"Version": "2012-10-17", "Statement": [
            {"Sid": "Narrow", "Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*"},
            {"Sid": "Wide", "Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}]}"#;
        let got = found(text, PolicyKind::Managed, "redundant-statement");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0].contains("`Narrow` is redundant: statement `Wide` already denies"),
            "{got:?}"
        );
    }

    #[test]
    fn a_repeated_statement_is_removed_by_the_fix() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let d = validate(text, PolicyKind::Managed, None)
            .into_iter()
            .find(|d| d.code == "redundant-statement")
            .unwrap();
        assert!(
            d.message.contains("`#1` repeats statement `#0`"),
            "{}",
            d.message
        );
        let fixed = d.fix.unwrap().apply(text).unwrap();
        assert_eq!(
            fixed,
            r#"{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#
        );
    }

    #[test]
    fn rcp_actions_of_other_services_are_reported() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*",
            "Action": ["s3:GetObject", "ec2:RunInstances", "kms:*"], "Resource": "*"}}"#;
        let got = found(text, PolicyKind::Rcp, "rcp-unsupported-service");
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("`ec2`"), "{got:?}");
    }

    #[test]
    fn unique_ids_are_accepted_and_reported() {
        let text = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Principal": {"AWS": ["AROA1234567890EXAMPLE", "AIDACKCEVSQ6C2EXAMPLE"]},
            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#;
        let all = validate(text, PolicyKind::Resource, None);
        assert!(!all.iter().any(|d| d.is_error()), "{all:?}");
        let got: Vec<_> = all
            .iter()
            .filter(|d| d.code == "principal-unique-id")
            .map(|d| d.aws_issue_code)
            .collect();
        assert_eq!(
            got,
            [
                Some("INVALID_ROLE_REFERENCE"),
                Some("INVALID_USER_REFERENCE")
            ]
        );
    }

    #[test]
    fn federated_principals_outside_trust_policies() {
        let bucket = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#;
        assert_eq!(
            found(
                bucket,
                PolicyKind::Resource,
                "federated-principal-not-supported"
            )
            .len(),
            1
        );
        let trust = r#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}}"#;
        assert!(found(
            trust,
            PolicyKind::Resource,
            "federated-principal-not-supported"
        )
        .is_empty());
        assert!(found(
            bucket,
            PolicyKind::RoleTrust,
            "federated-principal-not-supported"
        )
        .is_empty());
    }
}
