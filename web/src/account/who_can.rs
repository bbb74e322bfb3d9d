//! "Who can…" in the account dialog: which principals to check, the query
//! built from the form and the workspace, the rows shown (filtered by
//! decision, sorted), and the workspace of one row. Pure, natively tested;
//! the view is `components/toolbar/who_can_view.rs`.

use iam_engine::account::{Account, EntityKind, RowOutcome, WhoCan, WhoCanQuery, WhoCanRow};
use iam_engine::{Decision, PolicyType, ScenarioPolicy};

use super::{notice_for, trimmed, KindFilter};
use crate::workspace::Workspace;

/// The users and roles to check: those of `kinds` whose name, path or ARN
/// contains `search` (any case), or who are members of a group whose name
/// contains it (a group stands for its members: groups are not principals).
pub fn principals(account: &Account, search: &str, kinds: KindFilter) -> Vec<(EntityKind, usize)> {
    let query = search.trim().to_ascii_lowercase();
    let has = |text: &str| query.is_empty() || text.to_ascii_lowercase().contains(&query);
    let wanted = |kind: EntityKind| match kinds {
        KindFilter::All => true,
        KindFilter::Only(k) => k == kind,
    };
    let users = account
        .users
        .iter()
        .enumerate()
        .filter(|_| wanted(EntityKind::User))
        .filter(|(_, u)| {
            has(&u.name) || has(&u.path) || has(&u.arn) || u.groups.iter().any(|g| has(g))
        })
        .map(|(i, _)| (EntityKind::User, i));
    let roles = account
        .roles
        .iter()
        .enumerate()
        .filter(|_| wanted(EntityKind::Role))
        .filter(|(_, r)| has(&r.name) || has(&r.path) || has(&r.arn))
        .map(|(i, _)| (EntityKind::Role, i));
    users.chain(roles).collect()
}

/// The query for `action` on `resource`, with the workspace's resource-based
/// policy named `resource_policy` (when given), the workspace's context and
/// resource account, and roles as sessions named `session`.
pub fn query(
    current: &Workspace,
    action: &str,
    resource: &str,
    resource_policy: Option<&str>,
    session: &str,
) -> WhoCanQuery {
    let (scenario, _) = current.to_scenario();
    let resource_policy = resource_policy.and_then(|name| {
        current
            .policies
            .iter()
            .find(|p| p.name == name && p.policy_type == PolicyType::Resource)
            .map(|p| {
                let mut policy =
                    ScenarioPolicy::new(p.name.clone(), PolicyType::Resource, p.text.clone())
                        .with_origin(format!("resource-based policy {} of the workspace", p.name));
                if !p.account.trim().is_empty() {
                    policy.account = Some(p.account.trim().to_owned());
                }
                policy
            })
    });
    let resource = resource.trim();
    WhoCanQuery {
        actions: vec![action.trim().to_owned()],
        resource: if resource.is_empty() {
            "*".to_owned()
        } else {
            resource.to_owned()
        },
        resource_account: scenario.request.resource_account,
        resource_policy,
        context: scenario.request.context,
        session: trimmed(session),
    }
}

/// Which rows the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionFilter {
    /// Every row.
    All,
    /// Allowed rows.
    Allow,
    /// Explicitly denied rows.
    ExplicitDeny,
    /// Implicitly denied rows.
    ImplicitDeny,
    /// Rows not decided (the principal's policies have errors).
    Invalid,
}

impl DecisionFilter {
    fn keeps(self, row: &WhoCanRow) -> bool {
        match self {
            DecisionFilter::All => true,
            DecisionFilter::Allow => row.decision() == Some(Decision::Allow),
            DecisionFilter::ExplicitDeny => row.decision() == Some(Decision::ExplicitDeny),
            DecisionFilter::ImplicitDeny => row.decision() == Some(Decision::ImplicitDeny),
            DecisionFilter::Invalid => row.decision().is_none(),
        }
    }
}

/// The rank of a row's decision when sorting: allowed first (what a review
/// looks for), then explicit denies, implicit denies, errors.
fn rank(row: &WhoCanRow) -> u8 {
    match row.decision() {
        Some(Decision::Allow) => 0,
        Some(Decision::ExplicitDeny) => 1,
        Some(Decision::ImplicitDeny) => 2,
        None => 3,
    }
}

/// The indices of the rows to show, in account order or sorted by decision
/// (stable: account order within a decision; `descending` reverses the
/// decision order). Sorting is four passes, one per decision, which needs
/// no sort code in the module.
pub fn shown(answer: &WhoCan, filter: DecisionFilter, sort: Option<bool>) -> Vec<usize> {
    let kept = |rank_wanted: Option<u8>| {
        answer
            .rows
            .iter()
            .enumerate()
            .filter(move |(_, r)| filter.keeps(r) && rank_wanted.is_none_or(|w| rank(r) == w))
            .map(|(i, _)| i)
    };
    match sort {
        None => kept(None).collect(),
        Some(descending) => {
            let order: [u8; 4] = if descending {
                [3, 2, 1, 0]
            } else {
                [0, 1, 2, 3]
            };
            order.into_iter().flat_map(|r| kept(Some(r))).collect()
        }
    }
}

/// The row's decision for people: a symbol and a word, never colour alone.
pub fn decision_label(row: &WhoCanRow) -> (&'static str, &'static str, &'static str) {
    match row.decision() {
        Some(Decision::Allow) => ("✓", "Allowed", "allow"),
        Some(Decision::ExplicitDeny) => ("✗", "Explicitly denied", "explicit-deny"),
        Some(Decision::ImplicitDeny) => ("·", "Implicitly denied", "implicit-deny"),
        None => ("!", "Not decided", "invalid"),
    }
}

/// What decided the row: the statements with their policies' origins, or
/// the stage that withheld its allow, or the first error.
pub fn deciding_text(row: &WhoCanRow) -> (String, String) {
    match &row.outcome {
        RowOutcome::Decided {
            deciding, stage, ..
        } if deciding.is_empty() => (
            "No statement allows".to_owned(),
            stage.map_or(String::new(), |s| format!("stopped at: {}", s.title())),
        ),
        RowOutcome::Decided { deciding, .. } => {
            let statements: Vec<String> = deciding
                .iter()
                .map(|d| format!("{} / {}", d.policy, d.statement))
                .collect();
            let origins: Vec<&str> = deciding
                .iter()
                .filter_map(|d| d.origin.as_deref())
                .collect();
            (statements.join(", "), origins.join("; "))
        }
        RowOutcome::Invalid { diagnostics } => (
            "Not decided".to_owned(),
            diagnostics
                .first()
                .map(|d| {
                    format!(
                        "{}: {}",
                        d.policy.as_deref().unwrap_or("request"),
                        d.message
                    )
                })
                .unwrap_or_default(),
        ),
    }
}

/// The workspace of one row: its principal's policies, the query's
/// resource-based policy and context, and the request set to the row's
/// action and resource; and the notice to show.
pub fn workspace_for_row(
    account: &Account,
    row: &WhoCanRow,
    query: &WhoCanQuery,
) -> Result<(Workspace, String), String> {
    let imported = account
        .who_can_import(row.kind, row.index, &row.action, query)
        .map_err(|d| d.diagnostic.message.clone())?;
    let ws = Workspace::from_scenario(&imported.scenario);
    let message = notice_for(&imported, ws.policies.len());
    Ok((ws, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::LoadedAccount;
    use iam_engine::account::{generate::generate, read_account};

    fn loaded() -> LoadedAccount {
        let text = generate(7, 30_000);
        LoadedAccount::new(
            read_account(&[("details.json", text.as_str())]),
            text.len(),
            1,
        )
    }

    fn bucket_workspace() -> Workspace {
        let mut ws = Workspace::default();
        ws.policies.push(crate::workspace::PolicyDraft {
            id: 1,
            name: "DevBucket".to_owned(),
            policy_type: PolicyType::Resource,
            level: String::new(),
            account: String::new(),
            text: r#"{"Version":"2012-10-17","Statement":[{"Sid":"NoCarol","Effect":"Deny",
                "Principal":{"AWS":"arn:aws:iam::111122223333:user/carol"},"Action":"s3:*","Resource":"*"}]}"#
                .to_owned(),
            collapsed: false,
            enabled: true,
            origin: None,
        });
        ws
    }

    #[test]
    fn principals_by_kind_search_and_group() {
        let a = loaded();
        let all = principals(&a.account, "", KindFilter::All);
        assert_eq!(all.len(), a.account.users.len() + a.account.roles.len());
        let roles = principals(&a.account, "", KindFilter::Only(EntityKind::Role));
        assert!(roles.iter().all(|(k, _)| *k == EntityKind::Role));
        // A group's name finds its members.
        let devs = principals(&a.account, "developers", KindFilter::All);
        assert!(devs.contains(&(EntityKind::User, 0)), "alice is a member");
        assert!(devs.iter().all(|&(k, i)| k == EntityKind::User
            && a.account.users[i].groups.iter().any(|g| g == "Developers")));
        assert_eq!(principals(&a.account, "/ci/", KindFilter::All).len(), 1);
    }

    #[test]
    fn rows_filter_sort_and_load_into_the_workspace() {
        let a = loaded();
        let ws = bucket_workspace();
        let q = query(
            &ws,
            " s3:PutObject ",
            "arn:aws:s3:::dev-bucket/app.js",
            Some("DevBucket"),
            "audit",
        );
        assert_eq!(q.actions, ["s3:PutObject"]);
        let everyone = principals(&a.account, "", KindFilter::All);
        let answer = a.account.who_can(&everyone, &q).unwrap();
        let allowed = shown(&answer, DecisionFilter::Allow, None);
        let names: Vec<&str> = allowed
            .iter()
            .map(|&i| answer.rows[i].name.as_str())
            .collect();
        assert_eq!(names, ["alice"]);
        let denied = shown(&answer, DecisionFilter::ExplicitDeny, None);
        assert_eq!(answer.rows[denied[0]].name, "carol");
        let (text, origin) = deciding_text(&answer.rows[denied[0]]);
        assert_eq!(text, "DevBucket / NoCarol");
        assert_eq!(origin, "resource-based policy DevBucket of the workspace");
        // Sorted by decision: allowed first, the order within kept.
        let sorted = shown(&answer, DecisionFilter::All, Some(false));
        assert_eq!(answer.rows[sorted[0]].name, "alice");
        assert_eq!(answer.rows[sorted[1]].name, "carol");
        let reversed = shown(&answer, DecisionFilter::All, Some(true));
        assert_eq!(answer.rows[*reversed.last().unwrap()].name, "alice");
        assert_eq!(
            shown(&answer, DecisionFilter::All, None).len(),
            answer.rows.len()
        );
        // bob's implicit deny names the boundary.
        let bob = answer.rows.iter().find(|r| r.name == "bob").unwrap();
        assert_eq!(decision_label(bob).1, "Implicitly denied");
        assert_eq!(deciding_text(bob).1, "stopped at: Permissions boundary");
        // A row loads its principal with the request and the bucket policy.
        let role = answer.rows.iter().find(|r| r.name == "DeployRole").unwrap();
        let (loaded_ws, notice) = workspace_for_row(&a.account, role, &q).unwrap();
        assert_eq!(loaded_ws.request.action, "s3:PutObject");
        assert_eq!(loaded_ws.request.resource, "arn:aws:s3:::dev-bucket/app.js");
        assert_eq!(
            loaded_ws.request.principal,
            "arn:aws:sts::111122223333:assumed-role/DeployRole/audit"
        );
        assert!(loaded_ws.policies.iter().any(|p| p.name == "DevBucket"));
        assert!(
            notice.starts_with("Simulating a session of role DeployRole"),
            "{notice}"
        );
        let carol = answer.rows.iter().find(|r| r.name == "carol").unwrap();
        let (carol_ws, _) = workspace_for_row(&a.account, carol, &q).unwrap();
        let decision = crate::state::EvalView::compute(&carol_ws, None, None)
            .evaluation
            .unwrap()
            .decision;
        assert_eq!(Some(decision), carol.decision());
    }
}
