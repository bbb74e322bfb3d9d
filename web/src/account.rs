//! An imported account (the output of `aws iam
//! get-account-authorization-details`) in the app: the principal picker's
//! filtering, and the workspace of a picked principal. Pure, natively
//! tested; the component in `components/toolbar/account_dialog.rs` reads
//! the files in steps and shows the picker; "who can…" is in [`who_can`].

pub mod who_can;

use iam_engine::account::{
    Account, EntityKind, ImportDiagnostic, ImportOptions, Imported, PrincipalSummary,
};

use crate::workspace::{RequestField, Workspace};

/// Account files read into memory (nothing leaves the page).
#[derive(Debug)]
pub struct LoadedAccount {
    /// What was read.
    pub account: Account,
    /// Every user, group and role, for the picker.
    pub principals: Vec<PrincipalSummary>,
    /// Problems met reading the files.
    pub diagnostics: Vec<ImportDiagnostic>,
    /// The files' total size in bytes.
    pub bytes: usize,
    /// How long reading took, in milliseconds.
    pub millis: u64,
}

impl PartialEq for LoadedAccount {
    /// Loaded accounts are compared by identity (they are shared, never edited).
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl LoadedAccount {
    /// Wraps an account that was read.
    pub fn new(read: iam_engine::account::AccountRead, bytes: usize, millis: u64) -> Self {
        LoadedAccount {
            principals: read.account.principals(),
            account: read.account,
            diagnostics: read.diagnostics,
            bytes,
            millis,
        }
    }

    /// "10 users, 3 groups, 3 roles and 6 managed policies from a.json, b.json".
    pub fn summary(&self) -> String {
        let a = &self.account;
        format!(
            "{} users, {} groups, {} roles and {} managed policies from {}",
            a.users.len(),
            a.groups.len(),
            a.roles.len(),
            a.policies.len(),
            a.files.join(", ")
        )
    }
}

/// Which kinds the picker shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindFilter {
    /// Users, groups and roles.
    All,
    /// One kind.
    Only(EntityKind),
}

/// The principals matching `query` (name, path or ARN, any case) and
/// `kinds`, at most `limit`, exact name matches first; and how many match
/// in all.
pub fn filter<'a>(
    principals: &'a [PrincipalSummary],
    query: &str,
    kinds: KindFilter,
    limit: usize,
) -> (Vec<&'a PrincipalSummary>, usize) {
    let query = query.trim().to_ascii_lowercase();
    let wanted = |p: &&PrincipalSummary| match kinds {
        KindFilter::All => true,
        KindFilter::Only(k) => p.kind == k,
    };
    let found = |p: &&PrincipalSummary| {
        query.is_empty()
            || p.name.to_ascii_lowercase().contains(&query)
            || p.path.to_ascii_lowercase().contains(&query)
            || p.arn.to_ascii_lowercase().contains(&query)
    };
    // Exact name matches first, then the others in file order.
    let (mut matches, others): (Vec<&PrincipalSummary>, Vec<&PrincipalSummary>) = principals
        .iter()
        .filter(wanted)
        .filter(found)
        .partition(|p| !query.is_empty() && p.name.eq_ignore_ascii_case(&query));
    matches.extend(others);
    let total = matches.len();
    matches.truncate(limit);
    (matches, total)
}

/// The workspace of `arn` of `account`, keeping the current request's
/// action, resource, resource account and context (the principal becomes
/// the picked one, a role's a session named `session`, and its tags become
/// principal tags); and the notice to show.
pub fn workspace_for(
    account: &Account,
    arn: &str,
    session: &str,
    current: &Workspace,
) -> Result<(Workspace, String), String> {
    let r = &current.request;
    let options = ImportOptions {
        session: trimmed(session),
        action: trimmed(&r.action),
        resource: trimmed(&r.resource),
    };
    let imported = import(account, arn, &options)?;
    let mut ws = Workspace::from_scenario(&imported.scenario);
    ws.request.resource_account = r.resource_account.clone();
    for row in &r.context {
        let id = ws.take_id();
        ws.request
            .context
            .push(crate::workspace::ContextRow { id, ..row.clone() });
    }
    let message = notice_for(&imported, ws.policies.len());
    Ok((ws, message))
}

/// `current` with `arn` of `account` added to the request's principals (a
/// role as a session named `session`, a group as a member of it) with its
/// tags, so a matrix compares principals under the same policies (say, an
/// attribute-based policy and users with different tags); the policies
/// stay the workspace's. And the notice to show.
pub fn add_principal(
    account: &Account,
    arn: &str,
    session: &str,
    current: &Workspace,
) -> Result<(Workspace, String), String> {
    let options = ImportOptions {
        session: trimmed(session),
        ..ImportOptions::default()
    };
    let imported = import(account, arn, &options)?;
    let request = &imported.scenario.request;
    let mut ws = current.clone();
    let mut rows: Vec<String> = ws
        .request
        .rows(RequestField::Principal)
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
        .collect();
    if !rows.contains(&request.principal) {
        rows.push(request.principal.clone());
    }
    ws.request.set_rows(RequestField::Principal, rows);
    ws.request
        .set_tags_of(&request.principal, request.principal_tags.clone());
    let message = format!(
        "Added {} to the request's principals with its tags ({}); the policies are still the workspace's (its own are not added).",
        imported.principal.name,
        request.principal_tags.len()
    );
    Ok((ws, message))
}

/// `text` without surrounding whitespace; `None` when nothing is left.
pub(crate) fn trimmed(text: &str) -> Option<String> {
    Some(text.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// What `account` gives for the principal `arn`, or why it cannot.
fn import(account: &Account, arn: &str, options: &ImportOptions) -> Result<Imported, String> {
    let (kind, index) = account
        .find(arn)
        .ok_or_else(|| format!("`{arn}` is not in the account files"))?;
    account
        .import_entity(kind, index, options)
        .map_err(|d| d.diagnostic.message.clone())
}

/// The notice after loading a principal into the workspace: who, how many
/// policies (`n`), what the files lack, the first error.
pub(crate) fn notice_for(imported: &Imported, n: usize) -> String {
    let p = &imported.principal;
    let who = match p.kind {
        EntityKind::User => format!("user {}", p.name),
        EntityKind::Role => format!("a session of role {}", p.name),
        EntityKind::Group => format!("a member of group {}", p.name),
    };
    let mut message = format!(
        "Simulating {who}: {n} {} from the account file, each labelled with where it comes from; switch any off to see the decision without it.",
        if n == 1 { "policy" } else { "policies" }
    );
    if !imported.missing.is_empty() {
        let names: Vec<String> = imported
            .missing
            .iter()
            .map(|m| {
                let kind = if m.aws_managed { "AWS managed, " } else { "" };
                format!("{} ({kind}{})", m.name, m.reason)
            })
            .collect();
        message.push_str(&format!(
            " Not in the file, so left out (the decision may differ from AWS's): {}.",
            names.join("; ")
        ));
    }
    if let Some(d) = imported.diagnostics.first() {
        message.push_str(&format!(
            " Policy `{}` has an error: {}.",
            d.diagnostic.policy.as_deref().unwrap_or(""),
            d.diagnostic.message
        ));
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_engine::account::{generate::generate, read_account};
    use iam_engine::scenario::DocumentStyle;

    fn loaded() -> LoadedAccount {
        let text = generate(7, 30_000);
        LoadedAccount::new(
            read_account(&[("details.json", text.as_str())]),
            text.len(),
            1,
        )
    }

    #[test]
    fn filters_by_name_path_arn_and_kind() {
        let a = loaded();
        let (found, total) = filter(&a.principals, "ALICE", KindFilter::All, 10);
        assert_eq!((found[0].name.as_str(), total), ("alice", 1));
        let (roles, _) = filter(&a.principals, "/ci/", KindFilter::All, 10);
        assert_eq!(roles[0].name, "DeployRole");
        let (groups, total) = filter(&a.principals, "", KindFilter::Only(EntityKind::Group), 2);
        assert_eq!(groups.len(), 2);
        assert!(total >= 2 && groups.iter().all(|g| g.kind == EntityKind::Group));
        assert!(
            a.summary().starts_with(
                "10 users, 3 groups, 3 roles and 6 managed policies from details.json"
            ),
            "{}",
            a.summary()
        );
    }

    #[test]
    fn a_picked_principal_fills_the_workspace_and_survives_a_share_link() {
        let a = loaded();
        let mut current = Workspace::default();
        current.request.action = "s3:DeleteObject".into();
        current.request.resource = "arn:aws:s3:::dev-bucket/x".into();
        let (mut ws, message) = workspace_for(
            &a.account,
            "arn:aws:iam::111122223333:user/carol",
            "",
            &current,
        )
        .unwrap();
        assert!(
            message.starts_with("Simulating user carol: 3 policies"),
            "{message}"
        );
        assert_eq!(ws.request.principal, "arn:aws:iam::111122223333:user/carol");
        assert_eq!(
            ws.request.principal_tags,
            vec![("project".to_owned(), "apollo".to_owned())]
        );
        assert_eq!(
            ws.policies[1].origin.as_deref(),
            Some("user carol, inline policy DenyDeletes")
        );
        let decide = |ws: &Workspace| {
            crate::state::EvalView::compute(ws, None, None)
                .evaluation
                .unwrap()
                .decision
        };
        assert_eq!(decide(&ws), iam_engine::Decision::ExplicitDeny);
        ws.policies[1].enabled = false;
        assert_eq!(decide(&ws), iam_engine::Decision::Allow);
        // Drafts and share links carry the switch, the origins and the tags.
        let text = ws.to_json(DocumentStyle::Text);
        let back = Workspace::from_scenario_text(&text).unwrap();
        assert!(!back.policies[1].enabled);
        assert_eq!(back.policies[1].origin, ws.policies[1].origin);
        assert_eq!(back.request.principal_tags, ws.request.principal_tags);
        #[cfg(not(target_arch = "wasm32"))]
        let link = crate::share_link::fragment_for(&ws);
        #[cfg(not(target_arch = "wasm32"))]
        {
            let restored = crate::share_link::workspace_from_fragment(&link)
                .unwrap()
                .unwrap();
            assert!(!restored.policies[1].enabled);
            assert_eq!(decide(&restored), iam_engine::Decision::Allow);
        }
        let draft = crate::drafts::parse_draft(&crate::drafts::draft_text(&ws)).unwrap();
        assert!(!draft.policies[1].enabled);
        assert_eq!(draft.request.principal_tags, ws.request.principal_tags);
    }

    /// Several principals of the account in one matrix, each with its
    /// tags, under the first one's policies.
    #[test]
    fn added_principals_join_the_matrix_with_their_tags() {
        let a = loaded();
        let carol = "arn:aws:iam::111122223333:user/carol";
        let (ws, _) = workspace_for(&a.account, carol, "", &Workspace::default()).unwrap();
        let role = "arn:aws:iam::111122223333:role/ci/DeployRole";
        let (ws, message) = add_principal(&a.account, role, "ci-1", &ws).unwrap();
        assert!(
            message.starts_with("Added DeployRole to the request's principals"),
            "{message}"
        );
        let session = "arn:aws:sts::111122223333:assumed-role/DeployRole/ci-1";
        let principals: Vec<&str> = ws.request.values(RequestField::Principal);
        assert_eq!(principals, [carol, session]);
        assert_eq!(ws.policies.len(), 3, "carol's policies only");
        assert_eq!(
            ws.request.tags_of(session),
            [("env".to_owned(), "prod".to_owned())]
        );
        assert!(message.contains("with its tags (1);"), "{message}");
        assert_eq!(
            ws.request.tags_of(carol),
            [("project".to_owned(), "apollo".to_owned())]
        );
        // Added twice: once.
        let (again, _) = add_principal(&a.account, role, "ci-1", &ws).unwrap();
        assert_eq!(again.request.values(RequestField::Principal).len(), 2);
        // The tags travel in the scenario (share links, drafts, Export).
        let text = ws.to_json(DocumentStyle::Text);
        let back = Workspace::from_scenario_text(&text).unwrap();
        assert_eq!(back.request.tags_of(carol), ws.request.tags_of(carol));
        assert_eq!(back.request.tags_of(session), ws.request.tags_of(session));
        let draft = crate::drafts::parse_draft(&crate::drafts::draft_text(&ws)).unwrap();
        assert_eq!(draft.request.tags_of(carol), ws.request.tags_of(carol));
        assert!(add_principal(&a.account, "nobody", "", &ws).is_err());
    }

    #[test]
    fn roles_are_sessions_and_missing_policies_are_named() {
        let a = loaded();
        let (ws, _) = workspace_for(
            &a.account,
            "arn:aws:iam::111122223333:role/ci/DeployRole",
            "ci-1",
            &Workspace::default(),
        )
        .unwrap();
        assert_eq!(
            ws.request.principal,
            "arn:aws:sts::111122223333:assumed-role/DeployRole/ci-1"
        );
        let (_, message) = workspace_for(
            &a.account,
            "arn:aws:iam::111122223333:user/bob",
            "",
            &Workspace::default(),
        )
        .unwrap();
        assert!(
            message.contains("ReadOnlyAccess (AWS managed, not in the file)"),
            "{message}"
        );
        assert!(workspace_for(&a.account, "nobody", "", &Workspace::default()).is_err());
    }
}
