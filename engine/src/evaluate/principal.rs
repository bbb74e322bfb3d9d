//! Matching a principal element against the request's principal.
//!
//! Rules (AWS "IAM JSON policy elements: Principal" and "NotPrincipal"):
//! an account id and `arn:aws:iam::ID:root` stand for the account and every
//! principal in it; a role ARN matches the role's sessions; a session ARN
//! matches only that session; `"*"` matches everyone, anonymous included.
//! `NotPrincipal` excludes a principal only when every part of its identity
//! is listed: the account and the user, or the account, the role and the
//! session (AWS checks the account first, then the role, then the session).

use crate::explain::PrincipalMatch;
use crate::policy::{PrincipalElement, PrincipalKind, PrincipalSpec};
use crate::request::Principal;

/// Checks `element`: how each entry names the principal, whether the
/// element (after `NotPrincipal`) matched, and how.
pub(super) fn check_principal(
    element: &PrincipalElement,
    principal: &Principal,
) -> (Vec<Option<PrincipalMatch>>, bool, Option<PrincipalMatch>) {
    let entries: Vec<Option<PrincipalMatch>> = match &element.spec {
        PrincipalSpec::Any(_) => vec![Some(PrincipalMatch::Everyone)],
        PrincipalSpec::Entries(entries) => entries
            .iter()
            .map(|e| entry_matches(e.kind, &e.value.value, principal))
            .collect(),
    };
    let (matched, how) = if element.negated {
        let how = not_principal_match(&entries, principal);
        (how.is_some(), how)
    } else {
        let best = entries.iter().flatten().min().copied();
        (best.is_some(), best)
    };
    (entries, matched, how)
}

/// The (service, account, resource) parts of an ARN.
fn arn_parts(value: &str) -> Option<(&str, &str, &str)> {
    let mut parts = crate::matching::arn::split_colons(value);
    if parts.next() != Some("arn") {
        return None;
    }
    let (_partition, service, _region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    Some((service, account, resource))
}

fn account_of(value: &str) -> Option<&str> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value);
    }
    let (service, account, resource) = arn_parts(value)?;
    (service == "iam" && resource == "root").then_some(account)
}

/// The account and role name named by a role ARN (path ignored).
fn role_of(value: &str) -> Option<(&str, &str)> {
    let (service, account, resource) = arn_parts(value)?;
    let path = resource.strip_prefix("role/")?;
    (service == "iam").then(|| (account, path.rsplit('/').next().unwrap_or(path)))
}

fn entry_matches(
    kind: PrincipalKind,
    value: &str,
    principal: &Principal,
) -> Option<PrincipalMatch> {
    match kind {
        PrincipalKind::Aws => aws_entry_matches(value, principal),
        PrincipalKind::Service => match principal {
            Principal::Service { name } if name.eq_ignore_ascii_case(value) => {
                Some(PrincipalMatch::Service)
            }
            _ => (value == "*").then_some(PrincipalMatch::Everyone),
        },
        PrincipalKind::Federated => match principal {
            Principal::Service { name } if name.eq_ignore_ascii_case(value) => {
                Some(PrincipalMatch::Exact)
            }
            _ => None,
        },
        PrincipalKind::CanonicalUser => None,
    }
}

fn aws_entry_matches(value: &str, principal: &Principal) -> Option<PrincipalMatch> {
    if value == "*" {
        return Some(PrincipalMatch::Everyone);
    }
    if let Some(account) = account_of(value) {
        return match principal {
            // The root user is the account itself.
            Principal::Root { account: own, .. } if own == account => Some(PrincipalMatch::Exact),
            other if other.account() == Some(account) => Some(PrincipalMatch::Account),
            _ => None,
        };
    }
    match principal {
        Principal::AssumedRole {
            arn,
            account,
            role_name,
            ..
        } => {
            if value == arn {
                Some(PrincipalMatch::Exact)
            } else if role_of(value).is_some_and(|(a, r)| a == account && r == role_name) {
                Some(PrincipalMatch::RoleArn)
            } else {
                None
            }
        }
        Principal::Role { account, name, .. } => role_of(value)
            .is_some_and(|(a, r)| a == account && r == name)
            .then_some(PrincipalMatch::RoleArn),
        Principal::User { arn, .. } | Principal::FederatedUser { arn, .. } => {
            (value == arn).then_some(PrincipalMatch::Exact)
        }
        Principal::Root { .. } | Principal::Service { .. } | Principal::Anonymous => None,
    }
}

/// For `NotPrincipal`: how the statement still reaches the principal, or
/// `None` when every part of its identity is listed (excluded). AWS checks
/// the account, then the role, then the session or user: the first part not
/// listed is how the statement applies. The principal's own ARN unlisted
/// acts like naming it; only the account unlisted acts like naming the account.
fn not_principal_match(
    entries: &[Option<PrincipalMatch>],
    principal: &Principal,
) -> Option<PrincipalMatch> {
    let has = |m: PrincipalMatch| entries.contains(&Some(m));
    if has(PrincipalMatch::Everyone) {
        return None;
    }
    let first_unlisted = |parts: &[PrincipalMatch]| {
        parts.iter().find(|p| !has(**p)).map(|p| {
            if *p == PrincipalMatch::Exact {
                PrincipalMatch::NotListed
            } else {
                *p
            }
        })
    };
    match principal {
        Principal::AssumedRole { .. } => first_unlisted(&[
            PrincipalMatch::Exact,
            PrincipalMatch::RoleArn,
            PrincipalMatch::Account,
        ]),
        Principal::Role { .. } => {
            if has(PrincipalMatch::RoleArn) {
                first_unlisted(&[PrincipalMatch::Account])
            } else {
                Some(PrincipalMatch::NotListed)
            }
        }
        Principal::User { .. } | Principal::FederatedUser { .. } => {
            first_unlisted(&[PrincipalMatch::Exact, PrincipalMatch::Account])
        }
        Principal::Root { .. } => first_unlisted(&[PrincipalMatch::Exact]),
        Principal::Service { .. } => {
            (!has(PrincipalMatch::Service)).then_some(PrincipalMatch::NotListed)
        }
        Principal::Anonymous => Some(PrincipalMatch::NotListed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Principal {
        Principal::parse(text).unwrap()
    }

    #[test]
    fn aws_entries() {
        let session = p("arn:aws:sts::111122223333:assumed-role/Dev/alice");
        assert_eq!(
            aws_entry_matches("111122223333", &session),
            Some(PrincipalMatch::Account)
        );
        assert_eq!(
            aws_entry_matches("arn:aws:iam::111122223333:root", &session),
            Some(PrincipalMatch::Account)
        );
        assert_eq!(
            aws_entry_matches("arn:aws:iam::111122223333:role/Dev", &session),
            Some(PrincipalMatch::RoleArn)
        );
        assert_eq!(
            aws_entry_matches("arn:aws:iam::111122223333:role/team/Dev", &session),
            Some(PrincipalMatch::RoleArn)
        );
        assert_eq!(
            aws_entry_matches("arn:aws:sts::111122223333:assumed-role/Dev/alice", &session),
            Some(PrincipalMatch::Exact)
        );
        assert_eq!(
            aws_entry_matches("arn:aws:sts::111122223333:assumed-role/Dev/bob", &session),
            None
        );
        assert_eq!(aws_entry_matches("444455556666", &session), None);
        let user = p("arn:aws:iam::111122223333:user/alice");
        assert_eq!(
            aws_entry_matches("arn:aws:iam::111122223333:user/alice", &user),
            Some(PrincipalMatch::Exact)
        );
        assert_eq!(
            aws_entry_matches("arn:aws:iam::111122223333:user/bob", &user),
            None
        );
        assert_eq!(
            aws_entry_matches("*", &Principal::Anonymous),
            Some(PrincipalMatch::Everyone)
        );
        assert_eq!(
            aws_entry_matches("111122223333", &Principal::Anonymous),
            None
        );
        assert_eq!(
            aws_entry_matches("111122223333", &p("arn:aws:iam::111122223333:root")),
            Some(PrincipalMatch::Exact)
        );
    }

    #[test]
    fn not_principal_reaches_through_the_first_unlisted_part() {
        let user = p("arn:aws:iam::111122223333:user/alice");
        let entry = |v: &str| aws_entry_matches(v, &user);
        assert_eq!(
            not_principal_match(&[entry("arn:aws:iam::111122223333:user/bob")], &user),
            Some(PrincipalMatch::NotListed)
        );
        assert_eq!(
            not_principal_match(&[entry("arn:aws:iam::111122223333:user/alice")], &user),
            Some(PrincipalMatch::Account)
        );
        assert_eq!(
            not_principal_match(
                &[
                    entry("arn:aws:iam::111122223333:user/alice"),
                    entry("111122223333")
                ],
                &user
            ),
            None
        );
        let session = p("arn:aws:sts::111122223333:assumed-role/Dev/s");
        let entry = |v: &str| aws_entry_matches(v, &session);
        let role_and_account = [
            entry("arn:aws:iam::111122223333:role/Dev"),
            entry("111122223333"),
        ];
        assert_eq!(
            not_principal_match(&role_and_account, &session),
            Some(PrincipalMatch::NotListed)
        );
        let all = [
            entry("arn:aws:iam::111122223333:role/Dev"),
            entry("111122223333"),
            entry("arn:aws:sts::111122223333:assumed-role/Dev/s"),
        ];
        assert_eq!(not_principal_match(&all, &session), None);
    }
}
