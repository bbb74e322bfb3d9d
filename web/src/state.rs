//! UI state: the workspace being edited, the evaluation derived from it, and
//! what is highlighted. A reducer over [`Action`]s; nothing here touches
//! the DOM, so it is unit-tested natively.

use std::rc::Rc;

use iam_engine::source::Span;
use iam_engine::{Catalog, Diagnostic, Evaluation, PolicyType};
use yew::Reducible;

use crate::extended_checks::ExtendedChecks;
use crate::workspace::{
    template_for, ContextKind, ContextRow, PolicyDraft, RequestField, RowKey, Workspace,
};

/// The result of evaluating the workspace.
#[derive(Debug, Clone, Default)]
pub struct EvalView {
    /// Findings per policy draft id (positions relative to its text): the
    /// parser's diagnostics and the validation's findings
    /// ([`crate::findings::policy_findings`]).
    pub policy_diagnostics: Vec<(u32, Vec<Diagnostic>)>,
    /// Problems with the request fields and scenario-wide checks.
    pub request_diagnostics: Vec<Diagnostic>,
    /// Context rows whose value cannot be read: (row id, message).
    pub bad_rows: Vec<(u32, String)>,
    /// The evaluation, when nothing has an error.
    pub evaluation: Option<Rc<Evaluation>>,
    /// How many values of the panel's matrix cannot make a request (each
    /// shown beside its row).
    pub entry_problems: usize,
}

/// Two views are equal when their findings are and they hold the same
/// evaluation (by identity: the live view keeps one per result; comparing a
/// large evaluation's whole trace on every keystroke cost more than drawing
/// it again, and that comparison's code about 2 KB of the module).
impl PartialEq for EvalView {
    fn eq(&self, other: &Self) -> bool {
        let same_evaluation =
            self.evaluation.as_ref().map(Rc::as_ptr) == other.evaluation.as_ref().map(Rc::as_ptr);
        same_evaluation
            && self.policy_diagnostics == other.policy_diagnostics
            && self.request_diagnostics == other.request_diagnostics
            && self.bad_rows == other.bad_rows
            && self.entry_problems == other.entry_problems
    }
}

/// A view equals itself: with `Eq`, comparing two `Rc<EvalView>` that are
/// the same view (the panels' properties on every keystroke, while the
/// live view stands) checks the pointer first.
impl Eq for EvalView {}

impl EvalView {
    /// Parses, validates (with `catalog` and the checks module when they
    /// are loaded) and evaluates `workspace`.
    pub fn compute(
        workspace: &Workspace,
        catalog: Option<&Catalog>,
        checks: Option<&ExtendedChecks>,
    ) -> EvalView {
        let (scenario, bad_rows) = workspace.to_scenario();
        let policy_diagnostics = workspace
            .policies
            .iter()
            .zip(&scenario.policies)
            .map(|(draft, p)| {
                (
                    draft.id,
                    crate::findings::policy_findings(p, catalog, checks),
                )
            })
            .collect();
        let mut request_diagnostics = scenario.check_policies();
        let mut scenario = scenario;
        let matrix = scenario.requests.no_request;
        if matrix {
            // The panel's matrix: each value is checked beside its row
            // (`request_list::entry_problem`); the decision shown is the
            // first request's, a wildcard action standing for its first
            // match in the catalogue.
            let action = scenario.request.action.as_str();
            if iam_engine::scenario::is_wildcard_action(action) {
                if let Some(first) =
                    catalog.and_then(|c| c.actions_matching(action).first().copied())
                {
                    scenario.request.action = first.full_name();
                }
            }
            scenario.requests.no_request = false;
        }
        if let Err(errors) = scenario.build_request() {
            request_diagnostics.extend(errors.into_iter().filter(|d| {
                !matrix
                    || !matches!(
                        d.code,
                        "invalid-request-principal"
                            | "invalid-request-action"
                            | "invalid-request-resource"
                    )
            }));
        }
        let entry_problems = if matrix {
            crate::request_list::problem_count(&workspace.request, catalog)
        } else {
            0
        };
        let evaluation = if bad_rows.is_empty() {
            iam_engine::evaluate(&scenario).ok().map(Rc::new)
        } else {
            None
        };
        EvalView {
            policy_diagnostics,
            request_diagnostics,
            bad_rows,
            evaluation,
            entry_problems,
        }
    }

    /// The diagnostics of one policy draft.
    pub fn diagnostics_of(&self, id: u32) -> &[Diagnostic] {
        self.policy_diagnostics
            .iter()
            .find(|(i, _)| *i == id)
            .map_or(&[], |(_, d)| d.as_slice())
    }

    /// The number of errors across the scenario.
    pub fn error_count(&self) -> usize {
        self.policy_diagnostics
            .iter()
            .flat_map(|(_, d)| d)
            .filter(|d| d.is_error())
            .count()
            + self
                .request_diagnostics
                .iter()
                .filter(|d| d.is_error())
                .count()
            + self.bad_rows.len()
            + self.entry_problems
    }
}

/// Text to highlight in a policy editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Highlight {
    /// The policy draft id.
    pub policy_id: u32,
    /// Byte span in the draft's text.
    pub span: Span,
}

/// The whole UI state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppState {
    /// What is being edited.
    pub workspace: Workspace,
    /// Bumped on every workspace change (for memoized views and debouncing).
    pub revision: u64,
    /// Text highlighted from the explanation (hover or selection).
    pub highlight: Option<Highlight>,
    /// The caret position in a policy editor: (draft id, byte offset).
    pub caret: Option<(u32, usize)>,
    /// A message shown in a banner (loaded link, import problem, …).
    pub notice: Option<Notice>,
}

/// A banner message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Info or error.
    pub kind: NoticeKind,
    /// The text.
    pub text: String,
}

/// The kinds of banner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Something happened as asked.
    Info,
    /// Something could not be done; nothing was changed.
    Error,
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Adds an editor of this type with a starter policy.
    AddPolicy(PolicyType),
    /// Removes a policy.
    RemovePolicy(u32),
    /// Copies a policy under a new name, right after it.
    DuplicatePolicy(u32),
    /// Moves a policy one place up (`true`) or down.
    MovePolicy { id: u32, up: bool },
    /// Collapses or expands an editor.
    ToggleCollapsed(u32),
    /// Renames a policy.
    SetPolicyName(u32, String),
    /// Changes a policy's type.
    SetPolicyType(u32, PolicyType),
    /// Sets an SCP/RCP level.
    SetPolicyLevel(u32, String),
    /// Sets a resource policy's account.
    SetPolicyAccount(u32, String),
    /// Replaces a policy's text (typing, format, undo).
    SetPolicyText(u32, String),
    /// Switches a policy on (evaluated) or off (kept, not evaluated).
    SetPolicyEnabled(u32, bool),
    /// Replaces the tags of a principal (one of the request's).
    SetPrincipalTags(String, Vec<(String, String)>),
    /// Sets the request principal.
    SetPrincipal(String),
    /// Sets the request action.
    SetAction(String),
    /// Sets the request resource.
    SetResource(String),
    /// Sets the request's resource account.
    SetResourceAccount(String),
    /// Replaces every row of a request list (principals, actions or
    /// resources; the first is the single field).
    SetRequestRows(RequestField, Vec<String>),
    /// Adds a context row.
    AddContextRow {
        key: String,
        kind: ContextKind,
        value: String,
    },
    /// Replaces a context row (same id).
    UpdateContextRow(ContextRow),
    /// Removes a context row.
    RemoveContextRow(u32),
    /// Replaces the whole workspace (example, import, share link, draft).
    Replace(Workspace),
    /// Highlights text in an editor, or clears the highlight.
    Highlight(Option<Highlight>),
    /// Records the caret position in an editor.
    Caret(Option<(u32, usize)>),
    /// Shows or clears the banner.
    Notify(Option<Notice>),
    /// Sets what one request of the suite expects (`None`: nothing), from
    /// the results table.
    SetExpectation(RowKey, Option<String>),
    /// Puts a removed policy back at `index` (undo of a removal); it gets a
    /// fresh id or name if another policy took them meanwhile.
    RestorePolicy { index: usize, draft: PolicyDraft },
}

impl AppState {
    /// A state showing `workspace`.
    pub fn new(workspace: Workspace) -> Self {
        AppState {
            workspace,
            ..AppState::default()
        }
    }

    fn policy_mut(&mut self, id: u32) -> Option<&mut PolicyDraft> {
        self.workspace.policies.iter_mut().find(|p| p.id == id)
    }

    /// Applies `action`, returning whether the workspace changed.
    pub fn apply(&mut self, action: Action) -> bool {
        let ws = &mut self.workspace;
        match action {
            Action::AddPolicy(policy_type) => {
                let id = ws.take_id();
                let base = match policy_type {
                    PolicyType::Identity => "IdentityPolicy",
                    PolicyType::Resource => "ResourcePolicy",
                    PolicyType::PermissionsBoundary => "Boundary",
                    PolicyType::Scp => "SCP",
                    PolicyType::Rcp => "RCP",
                    PolicyType::Session => "SessionPolicy",
                };
                let name = ws.unused_name(base);
                ws.policies.push(PolicyDraft {
                    id,
                    name,
                    policy_type,
                    level: if policy_type.has_levels() {
                        "root".to_owned()
                    } else {
                        String::new()
                    },
                    account: String::new(),
                    text: template_for(policy_type).to_owned(),
                    collapsed: false,
                    enabled: true,
                    origin: None,
                });
            }
            Action::RemovePolicy(id) => ws.policies.retain(|p| p.id != id),
            Action::DuplicatePolicy(id) => {
                let Some(index) = ws.policies.iter().position(|p| p.id == id) else {
                    return false;
                };
                let Some(original) = ws.policies.get(index).cloned() else {
                    return false;
                };
                let new_id = ws.take_id();
                let name = ws.unused_name(&format!("{} copy", original.name));
                ws.policies.insert(
                    index + 1,
                    PolicyDraft {
                        id: new_id,
                        name,
                        ..original
                    },
                );
            }
            Action::MovePolicy { id, up } => {
                let Some(index) = ws.policies.iter().position(|p| p.id == id) else {
                    return false;
                };
                let other = if up {
                    index.checked_sub(1)
                } else {
                    Some(index + 1).filter(|i| *i < ws.policies.len())
                };
                let Some(other) = other else { return false };
                ws.policies.swap(index, other);
            }
            Action::ToggleCollapsed(id) => {
                if let Some(p) = self.policy_mut(id) {
                    p.collapsed = !p.collapsed;
                }
                return false;
            }
            Action::SetPolicyName(id, name) => self
                .policy_mut(id)
                .into_iter()
                .for_each(|p| p.name = name.clone()),
            Action::SetPolicyType(id, t) => self.policy_mut(id).into_iter().for_each(|p| {
                p.policy_type = t;
                if t.has_levels() && p.level.is_empty() {
                    p.level = "root".to_owned();
                }
            }),
            Action::SetPolicyLevel(id, level) => self
                .policy_mut(id)
                .into_iter()
                .for_each(|p| p.level = level.clone()),
            Action::SetPolicyAccount(id, account) => self
                .policy_mut(id)
                .into_iter()
                .for_each(|p| p.account = account.clone()),
            Action::SetPolicyText(id, text) => self
                .policy_mut(id)
                .into_iter()
                .for_each(|p| p.text = text.clone()),
            Action::SetPolicyEnabled(id, on) => {
                self.policy_mut(id).into_iter().for_each(|p| p.enabled = on)
            }
            Action::SetPrincipalTags(principal, tags) => ws.request.set_tags_of(&principal, tags),
            Action::SetPrincipal(v) => ws.request.principal = v,
            Action::SetAction(v) => ws.request.action = v,
            Action::SetResource(v) => ws.request.resource = v,
            Action::SetResourceAccount(v) => ws.request.resource_account = v,
            Action::SetRequestRows(field, rows) => ws.request.set_rows(field, rows),
            Action::AddContextRow { key, kind, value } => {
                let id = ws.take_id();
                ws.request.context.push(ContextRow {
                    id,
                    key,
                    kind,
                    value,
                });
            }
            Action::UpdateContextRow(row) => {
                if let Some(existing) = ws.request.context.iter_mut().find(|r| r.id == row.id) {
                    *existing = row;
                }
            }
            Action::RemoveContextRow(id) => ws.request.context.retain(|r| r.id != id),
            Action::Replace(workspace) => {
                *ws = workspace;
                self.highlight = None;
                self.caret = None;
            }
            Action::Highlight(h) => {
                self.highlight = h;
                return false;
            }
            Action::Caret(c) => {
                self.caret = c;
                return false;
            }
            Action::Notify(n) => {
                self.notice = n;
                return false;
            }
            Action::SetExpectation(row, decision) => {
                if !ws.set_expectation(&row, decision.as_deref()) {
                    return false;
                }
            }
            Action::RestorePolicy { index, mut draft } => {
                if ws.policies.iter().any(|p| p.id == draft.id) {
                    draft.id = ws.take_id();
                }
                if ws.policies.iter().any(|p| p.name == draft.name) {
                    draft.name = ws.unused_name(&draft.name);
                }
                ws.next_id = ws.next_id.max(draft.id);
                let index = index.min(ws.policies.len());
                ws.policies.insert(index, draft);
            }
        }
        self.revision += 1;
        true
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> AppState {
        let mut s = AppState::default();
        s.apply(Action::AddPolicy(PolicyType::Identity));
        s.apply(Action::SetPrincipal(
            "arn:aws:iam::111122223333:user/alice".into(),
        ));
        s.apply(Action::SetAction("s3:GetObject".into()));
        s.apply(Action::SetResource("arn:aws:s3:::examplebucket/a".into()));
        s
    }

    #[test]
    fn a_new_identity_policy_evaluates() {
        let s = state();
        let view = EvalView::compute(&s.workspace, None, None);
        assert_eq!(view.error_count(), 0, "{view:?}");
        assert_eq!(
            view.evaluation.unwrap().decision,
            iam_engine::Decision::Allow
        );
    }

    #[test]
    fn add_duplicate_move_remove() {
        let mut s = state();
        let first = s.workspace.policies[0].id;
        s.apply(Action::DuplicatePolicy(first));
        assert_eq!(s.workspace.policies[1].name, "IdentityPolicy copy");
        s.apply(Action::AddPolicy(PolicyType::Scp));
        assert_eq!(s.workspace.policies[2].level, "root");
        let scp = s.workspace.policies[2].id;
        s.apply(Action::MovePolicy { id: scp, up: true });
        assert_eq!(s.workspace.policies[1].id, scp);
        assert!(!s.apply(Action::MovePolicy {
            id: first,
            up: true
        }));
        s.apply(Action::RemovePolicy(first));
        assert_eq!(s.workspace.policies.len(), 2);
    }

    #[test]
    fn errors_block_the_evaluation_and_say_where() {
        let mut s = state();
        let id = s.workspace.policies[0].id;
        s.apply(Action::SetPolicyText(id, "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"allow\", \"Action\": \"*\", \"Resource\": \"*\"}}".into()));
        let view = EvalView::compute(&s.workspace, None, None);
        assert!(view.evaluation.is_none());
        assert_eq!(view.diagnostics_of(id)[0].code, "invalid-effect");
        s.apply(Action::AddContextRow {
            key: "n".into(),
            kind: ContextKind::Number,
            value: "x".into(),
        });
        assert_eq!(
            EvalView::compute(&s.workspace, None, None).bad_rows.len(),
            1
        );
    }

    #[test]
    fn a_removed_policy_can_be_restored_in_place() {
        let mut s = state();
        s.apply(Action::AddPolicy(PolicyType::Scp));
        let first = s.workspace.policies[0].clone();
        s.apply(Action::RemovePolicy(first.id));
        assert!(s.apply(Action::RestorePolicy {
            index: 0,
            draft: first.clone(),
        }));
        assert_eq!(s.workspace.policies[0], first);
        // Restoring again (a copy) gets a fresh id and name.
        s.apply(Action::RestorePolicy {
            index: 99,
            draft: first.clone(),
        });
        let copy = &s.workspace.policies[2];
        assert_ne!(copy.id, first.id);
        assert_eq!(copy.name, "IdentityPolicy 2");
    }

    #[test]
    fn a_matrix_in_the_panel_decides_its_first_request_and_counts_bad_values() {
        let mut s = state();
        s.apply(Action::SetRequestRows(
            RequestField::Action,
            vec!["s3:Get*".into(), "s3:PutObject".into()],
        ));
        assert!(s.workspace.request.is_matrix());
        // Without the catalogue the wildcard cannot stand for an action yet:
        // no decision, and no error either.
        let view = EvalView::compute(&s.workspace, None, None);
        assert!(view.evaluation.is_none());
        assert_eq!(view.error_count(), 0, "{view:?}");
        // With it, the first request is decided (the wildcard's first match).
        let catalog = Catalog::bundled().unwrap();
        let view = EvalView::compute(&s.workspace, Some(&catalog), None);
        let evaluation = view.evaluation.unwrap();
        let first = catalog.actions_matching("s3:Get*")[0].full_name();
        assert_eq!(evaluation.request.action, first);
        assert_eq!(evaluation.decision, iam_engine::Decision::ImplicitDeny);
        // A bad value in a list is one problem, shown beside its row.
        s.apply(Action::SetRequestRows(
            RequestField::Resource,
            vec!["arn:aws:s3:::examplebucket/a".into(), "not-an-arn".into()],
        ));
        let view = EvalView::compute(&s.workspace, Some(&catalog), None);
        assert_eq!(view.entry_problems, 1);
        assert_eq!(view.error_count(), 1);
        assert!(view.request_diagnostics.is_empty(), "{view:?}");
        // Back to one of each: the single request, checked as before.
        s.apply(Action::SetRequestRows(
            RequestField::Action,
            vec!["s3:GetObject".into()],
        ));
        s.apply(Action::SetRequestRows(
            RequestField::Resource,
            vec!["arn:aws:s3:::examplebucket/a".into()],
        ));
        assert!(!s.workspace.request.is_matrix());
        let view = EvalView::compute(&s.workspace, None, None);
        assert_eq!(view.entry_problems, 0);
        assert!(view.evaluation.is_some());
    }

    #[test]
    fn ui_only_actions_do_not_bump_the_revision() {
        let mut s = state();
        let rev = s.revision;
        assert!(!s.apply(Action::Highlight(None)));
        assert!(!s.apply(Action::Notify(None)));
        assert_eq!(s.revision, rev);
        assert!(s.apply(Action::SetAction("s3:PutObject".into())));
        assert_eq!(s.revision, rev + 1);
    }
}
