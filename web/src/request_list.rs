//! The request panel's lists as data: which values cannot make a request,
//! how many actions a wildcard becomes, and a service's actions grouped by
//! access level for the action picker. No DOM, so it is unit-tested
//! natively.

use iam_engine::catalog::{AccessLevel, Action as CatalogAction};
use iam_engine::scenario::is_wildcard_action;
use iam_engine::Catalog;

use crate::workspace::{RequestDraft, RequestField};

/// Why a value of the request's lists cannot make a request: the message
/// and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryProblem {
    /// What is wrong (lowercase, the value in backticks).
    pub message: String,
    /// What to write instead.
    pub help: &'static str,
}

/// Whether `action` is one concrete `service:Action` (no wildcard).
fn is_concrete_action(action: &str) -> bool {
    action
        .split_once(':')
        .is_some_and(|(s, n)| !s.is_empty() && !n.is_empty() && !action.contains(['*', '?', ' ']))
}

/// The problem of one value of a matrix row, if any. A wildcard action that
/// matches nothing is a problem once the catalogue is loaded.
pub fn entry_problem(
    field: RequestField,
    value: &str,
    catalog: Option<&Catalog>,
) -> Option<EntryProblem> {
    let value = value.trim();
    match field {
        RequestField::Principal => {
            iam_engine::request::Principal::parse(value)
                .err()
                .map(|e| EntryProblem {
                    message: e.message,
                    help: "write an ARN such as `arn:aws:iam::111122223333:user/alice`, a service such as `ec2.amazonaws.com`, or `*`",
                })
        }
        RequestField::Action if is_wildcard_action(value) => {
            let count = catalog.map(|c| wildcard_count(c, value));
            (count == Some(0)).then(|| EntryProblem {
                message: format!("`{value}` matches no action of AWS's catalogue"),
                help: "check the service prefix and the spelling, e.g. `s3:Get*`",
            })
        }
        RequestField::Action => (!is_concrete_action(value)).then(|| EntryProblem {
            message: format!("`{value}` is not an action"),
            help: "write `service:Action` such as `s3:GetObject`, or a wildcard such as `s3:Get*`",
        }),
        RequestField::Resource => (value != "*"
            && iam_engine::matching::Arn::check(value).is_err())
        .then(|| EntryProblem {
            message: format!("`{value}` is not an ARN"),
            help: "write the resource's ARN, e.g. `arn:aws:s3:::examplebucket/report.csv`, or `*`",
        }),
    }
}

/// How many values of the panel's matrix have a problem (none when the
/// panel holds a single request: its fields are checked as before).
pub fn problem_count(draft: &RequestDraft, catalog: Option<&Catalog>) -> usize {
    if !draft.is_matrix() {
        return 0;
    }
    [
        RequestField::Principal,
        RequestField::Action,
        RequestField::Resource,
    ]
    .into_iter()
    .map(|f| {
        draft
            .values(f)
            .into_iter()
            .filter(|v| entry_problem(f, v, catalog).is_some())
            .count()
    })
    .sum()
}

/// How many actions of the catalogue the wildcard `pattern` stands for.
pub fn wildcard_count(catalog: &Catalog, pattern: &str) -> usize {
    if pattern == "*" {
        catalog.actions().count()
    } else {
        catalog.actions_matching(pattern).len()
    }
}

/// Whether `haystack` contains `needle_lower` (already lowercase), ignoring
/// ASCII case, without allocating.
pub fn contains_ignore_case(haystack: &str, needle_lower: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
    n.is_empty()
        || h.windows(n.len())
            .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

/// A service's actions matching a search, grouped by access level in AWS's
/// order (List, Read, Write, Permissions management, Tagging); levels with
/// no match are left out.
pub fn grouped_actions<'a>(
    catalog: &'a Catalog,
    service: &str,
    search_lower: &str,
) -> Vec<(AccessLevel, Vec<CatalogAction<'a>>)> {
    let Some(service) = catalog.service(service) else {
        return Vec::new();
    };
    let mut groups: Vec<(AccessLevel, Vec<CatalogAction<'a>>)> =
        AccessLevel::ALL.iter().map(|l| (*l, Vec::new())).collect();
    for action in service.actions() {
        if !contains_ignore_case(action.name(), search_lower) {
            continue;
        }
        let level = action.access_level();
        if let Some((_, list)) = groups.iter_mut().find(|(l, _)| *l == level) {
            list.push(action);
        }
    }
    groups.retain(|(_, list)| !list.is_empty());
    groups
}

/// The names (as the catalogue spells them) of the actions of `service`
/// among `actions`, sorted for [`is_chosen`]: the picker ticks its boxes
/// without building a `service:Name` string per row.
pub fn chosen_names<'a, 'c>(
    catalog: &'c Catalog,
    service: &str,
    actions: impl Iterator<Item = &'a str>,
) -> Vec<&'c str> {
    let Some(service) = catalog.service(service) else {
        return Vec::new();
    };
    let mut names: Vec<&str> = actions
        .filter_map(|a| {
            let (prefix, name) = a.trim().split_once(':')?;
            prefix
                .eq_ignore_ascii_case(service.prefix())
                .then_some(())?;
            service.action(name).map(|found| found.name())
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The wildcards among `actions` that can cover actions of `service`
/// (`s3:Get*`, `S3:*`, `*`; not `ec2:*`): the picker shows the actions
/// they cover as included.
pub fn service_wildcards<'a>(
    service: &str,
    actions: impl Iterator<Item = &'a str>,
) -> Vec<&'a str> {
    actions
        .map(str::trim)
        .filter(|a| is_wildcard_action(a))
        .filter(|a| {
            *a == "*"
                || a.split_once(':')
                    .is_some_and(|(p, _)| p.eq_ignore_ascii_case(service))
        })
        .collect()
}

/// The first of `wildcards` (from [`service_wildcards`]) covering the
/// action `name` of `service`.
pub fn covered_by<'a>(wildcards: &[&'a str], service: &str, name: &str) -> Option<&'a str> {
    if wildcards.is_empty() {
        return None;
    }
    let full = format!("{service}:{name}");
    wildcards
        .iter()
        .copied()
        .find(|w| iam_engine::matching::action_matches(w, &full))
}

/// Whether `name` is among the sorted `chosen` names.
pub fn is_chosen(chosen: &[&str], name: &str) -> bool {
    chosen.binary_search(&name).is_ok()
}

/// The action list after ticking (`on`) or unticking the actions `names`
/// of `service`: ticked ones are added at the end (once), unticked ones
/// removed (any case); the others keep their order. Blank rows go.
pub fn toggle_actions(current: &[&str], service: &str, names: &[&str], on: bool) -> Vec<String> {
    let same = |a: &str, name: &str| {
        a.trim()
            .split_once(':')
            .is_some_and(|(p, n)| p.eq_ignore_ascii_case(service) && n.eq_ignore_ascii_case(name))
    };
    let mut out: Vec<String> = current
        .iter()
        .filter(|a| !a.trim().is_empty())
        .filter(|a| on || !names.iter().any(|n| same(a, n)))
        .map(|a| (*a).to_owned())
        .collect();
    if on {
        for name in names {
            if !out.iter().any(|a| same(a, name)) {
                out.push(format!("{service}:{name}"));
            }
        }
    }
    out
}

/// The rows after pasting `text` (several lines) into row `index`: its
/// lines, trimmed and not blank, replace that row and follow it.
pub fn paste_rows(rows: &[&str], index: usize, text: &str) -> Vec<String> {
    let pasted = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let before = rows.iter().take(index).map(|r| (*r).to_owned());
    let after = rows.iter().skip(index + 1).map(|r| (*r).to_owned());
    before
        .chain(pasted.map(str::to_owned))
        .chain(after)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::bundled().unwrap()
    }

    #[test]
    fn entries_are_checked_one_by_one() {
        let c = catalog();
        assert!(entry_problem(RequestField::Action, "s3:GetObject", None).is_none());
        assert!(entry_problem(RequestField::Action, "s3:Get*", None).is_none());
        assert!(entry_problem(RequestField::Action, "s3:Get*", Some(&c)).is_none());
        assert_eq!(
            entry_problem(RequestField::Action, "s3:Gte*", Some(&c))
                .unwrap()
                .message,
            "`s3:Gte*` matches no action of AWS's catalogue"
        );
        assert!(entry_problem(RequestField::Action, "GetObject", None).is_some());
        assert!(entry_problem(RequestField::Resource, "*", None).is_none());
        assert!(entry_problem(RequestField::Resource, "bucket", None).is_some());
        assert!(entry_problem(RequestField::Principal, "ec2.amazonaws.com", None).is_none());
        assert!(entry_problem(RequestField::Principal, "alice", None).is_some());
    }

    #[test]
    fn a_single_request_has_no_entry_problems_here() {
        let mut draft = RequestDraft {
            action: "nope".into(),
            ..RequestDraft::default()
        };
        assert_eq!(problem_count(&draft, None), 0, "checked as before");
        draft.more.actions = vec!["s3:GetObject".into(), "  ".into()];
        draft.principal = "arn:aws:iam::111122223333:user/alice".into();
        draft.resource = "*".into();
        assert_eq!(
            problem_count(&draft, None),
            1,
            "`nope` only; blank rows skipped"
        );
    }

    #[test]
    fn wildcards_count_their_actions() {
        let c = catalog();
        let all = wildcard_count(&c, "*");
        assert!(all > 15_000, "{all}");
        let gets = wildcard_count(&c, "s3:Get*");
        assert!(gets > 20 && gets < all, "{gets}");
        assert_eq!(wildcard_count(&c, "s3:GetObject"), 1);
    }

    #[test]
    fn actions_group_by_access_level_and_filter() {
        let c = catalog();
        let groups = grouped_actions(&c, "ec2", "");
        let total: usize = groups.iter().map(|(_, l)| l.len()).sum();
        assert_eq!(total, c.service("ec2").unwrap().actions().len());
        assert!(total > 500, "{total}");
        let levels: Vec<AccessLevel> = groups.iter().map(|(l, _)| *l).collect();
        let mut sorted = levels.clone();
        sorted.sort();
        assert_eq!(levels, sorted);
        let found = grouped_actions(&c, "EC2", "describeinstances");
        assert!(found
            .iter()
            .flat_map(|(_, l)| l)
            .any(|a| a.name() == "DescribeInstances"));
        assert!(grouped_actions(&c, "nope", "").is_empty());
        assert!(contains_ignore_case("DescribeInstances", "cribei"));
        assert!(!contains_ignore_case("Get", "getobject"));
    }

    #[test]
    fn typed_wildcards_cover_the_actions_they_match() {
        let rows = ["s3:GetObject", "S3:get*", "ec2:*", "s3:PutObject", "  *  "];
        let wildcards = service_wildcards("s3", rows.iter().copied());
        assert_eq!(wildcards, ["S3:get*", "*"]);
        assert_eq!(
            covered_by(&wildcards, "s3", "GetObjectAcl"),
            Some("S3:get*")
        );
        assert_eq!(covered_by(&wildcards, "s3", "PutObject"), Some("*"));
        let only_get = service_wildcards("s3", ["s3:Get*"].into_iter());
        assert_eq!(covered_by(&only_get, "s3", "PutObject"), None);
        assert_eq!(covered_by(&[], "s3", "GetObject"), None);
        assert!(
            service_wildcards("ec2", ["s3:Get*", "ec2:Describe*"].into_iter()) == ["ec2:Describe*"]
        );
        // As many as the catalogue's count of the wildcard.
        let c = catalog();
        let service = c.service("s3").unwrap();
        let covered = service
            .actions()
            .filter(|a| covered_by(&only_get, "s3", a.name()).is_some())
            .count();
        assert_eq!(covered, wildcard_count(&c, "s3:Get*"));
    }

    #[test]
    fn pasted_lines_become_rows() {
        assert_eq!(
            paste_rows(&["a", "b", "c"], 1, "x\r\n\n y \nz\n"),
            ["a", "x", "y", "z", "c"]
        );
        assert_eq!(paste_rows(&[""], 0, "p\nq"), ["p", "q"]);
    }

    #[test]
    fn ticking_adds_once_and_unticking_removes_any_case() {
        let c = catalog();
        let current = ["s3:GetObject", "ec2:describeinstances", "", "s3:Get*"];
        let chosen = chosen_names(&c, "ec2", current.iter().copied());
        assert!(is_chosen(&chosen, "DescribeInstances"));
        assert_eq!(chosen.len(), 1);
        let on = toggle_actions(
            &current,
            "ec2",
            &["DescribeInstances", "DescribeVolumes"],
            true,
        );
        assert_eq!(
            on,
            [
                "s3:GetObject",
                "ec2:describeinstances",
                "s3:Get*",
                "ec2:DescribeVolumes"
            ]
        );
        let off = toggle_actions(&current, "ec2", &["DescribeInstances"], false);
        assert_eq!(off, ["s3:GetObject", "s3:Get*"]);
    }
}
