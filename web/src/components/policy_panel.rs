//! The list of policies: one card each with its name, type, level or
//! account, editor and problems; add, remove (with undo), duplicate, move
//! and collapse.

use std::rc::Rc;

use iam_engine::{Diagnostic, PolicyType};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::policy_editor::PolicyEditor;
use super::problems::{problems, ProblemsProps};
use super::use_app;
use crate::app::AppHandle;
use crate::state::{Action, EvalView};
use crate::workspace::PolicyDraft;

/// Properties of [`PolicyPanel`].
#[derive(Properties, PartialEq)]
pub struct PolicyPanelProps {
    /// The evaluation, for each policy's diagnostics.
    pub view: Rc<EvalView>,
}

/// A removed policy and where it was, for "Undo".
#[derive(Clone, PartialEq)]
struct Removed {
    index: usize,
    draft: PolicyDraft,
    /// The scenario it was removed from: its title and the other policies'
    /// ids. When another scenario replaces it, the offer is withdrawn.
    scenario: Option<String>,
    others: Vec<u32>,
}

/// Scrolls the card of policy `id` into view and focuses its name field.
fn focus_name(id: u32) {
    let selector = format!("[data-policy-id=\"{id}\"] [data-testid=policy-name]");
    let Ok(Some(el)) = gloo::utils::document().query_selector(&selector) else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    el.scroll_into_view_with_scroll_into_view_options(&options);
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// A short name for a policy type, for selects and buttons.
pub fn short_label(t: PolicyType) -> &'static str {
    match t {
        PolicyType::Identity => "Identity-based",
        PolicyType::Resource => "Resource-based",
        PolicyType::PermissionsBoundary => "Permissions boundary",
        PolicyType::Scp => "SCP (service control)",
        PolicyType::Rcp => "RCP (resource control)",
        PolicyType::Session => "Session",
    }
}

/// The scenario-wide problems that concern the policy `draft` (a duplicate
/// or empty name).
fn name_problems<'a>(view: &'a EvalView, draft: &PolicyDraft) -> Vec<&'a Diagnostic> {
    view.request_diagnostics
        .iter()
        .filter(|d| match &d.policy {
            Some(name) => *name == draft.name,
            None => d.code == "empty-policy-name" && draft.name.trim().is_empty(),
        })
        .collect()
}

/// The policies being evaluated, one editor each.
#[component]
pub fn PolicyPanel(props: &PolicyPanelProps) -> Html {
    let removed = use_state(|| None::<Removed>);
    let known = use_mut_ref(|| (None::<String>, Vec::<u32>::new()));
    let app = use_app();
    // Bring a newly added, duplicated or restored policy into view and focus
    // its name (a newly loaded scenario is left alone).
    {
        let deps: (Option<String>, Vec<u32>) = app
            .as_ref()
            .map(|a| {
                (
                    a.workspace.name.clone(),
                    a.workspace.policies.iter().map(|p| p.id).collect(),
                )
            })
            .unwrap_or_default();
        let known = known.clone();
        use_effect_with(deps, move |(name, ids)| {
            let mut known = known.borrow_mut();
            let new: Vec<u32> = ids
                .iter()
                .filter(|i| !known.1.contains(i))
                .copied()
                .collect();
            let same_scenario = *name == known.0 && !known.1.is_empty();
            if same_scenario && new.len() == 1 && ids.len() == known.1.len() + 1 {
                if let Some(id) = new.first() {
                    focus_name(*id);
                }
            }
            *known = (name.clone(), ids.clone());
        });
    }
    let Some(app) = app else {
        return Html::default();
    };
    let policies = &app.workspace.policies;
    let count = policies.len();
    // A removal in another scenario cannot be undone here.
    let removed_here = removed.as_ref().filter(|r| {
        r.scenario == app.workspace.name
            && (r.others.is_empty() || policies.iter().any(|p| r.others.contains(&p.id)))
    });
    let total = crate::findings::summary(props.view.policy_diagnostics.iter().flat_map(|(_, d)| d));
    let onremove = {
        let app = app.clone();
        let removed = removed.clone();
        Callback::from(move |id: u32| {
            let ws = &app.workspace;
            if let Some(index) = ws.policies.iter().position(|p| p.id == id) {
                if let Some(draft) = ws.policies.get(index).cloned() {
                    removed.set(Some(Removed {
                        index,
                        draft,
                        scenario: ws.name.clone(),
                        others: ws
                            .policies
                            .iter()
                            .map(|p| p.id)
                            .filter(|i| *i != id)
                            .collect(),
                    }));
                }
            }
            app.dispatch(Action::RemovePolicy(id));
        })
    };
    let cards = policies.iter().enumerate().map(|(index, p)| {
        html! {
            <key={p.id}>{ policy_card(&app, &PolicyCardProps {
                draft: p.clone(),
                index,
                count,
                diagnostics: Rc::new(props.view.diagnostics_of(p.id).to_vec()),
                name_problems: Rc::new(name_problems(&props.view, p).into_iter().cloned().collect::<Vec<_>>()),
                highlight: app.highlight.filter(|h| h.policy_id == p.id).map(|h| h.span),
                onremove: onremove.clone(),
            }) }</>
        }
    });

    let onadd = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(t) = PolicyType::parse(&select.value()) {
                    app.dispatch(Action::AddPolicy(t));
                }
                select.set_value("");
            }
        })
    };
    let undo_bar = removed_here.map(|r| {
        let onundo = {
            let app = app.clone();
            let removed = removed.clone();
            let r = r.clone();
            Callback::from(move |_: MouseEvent| {
                app.dispatch(Action::RestorePolicy {
                    index: r.index,
                    draft: r.draft.clone(),
                });
                removed.set(None);
            })
        };
        let ondismiss = {
            let removed = removed.clone();
            Callback::from(move |_: MouseEvent| removed.set(None))
        };
        html! {
            <div class="undo-bar" role="status">
                <span>{ format!("Removed “{}”.", r.draft.name) }</span>
                <button type="button" class="btn btn--small" data-testid="undo-remove" onclick={onundo}>{ "Undo" }</button>
                <button type="button" class="icon-btn" aria-label="Dismiss" onclick={ondismiss}>{ "×" }</button>
            </div>
        }
    });
    let (summary, summary_class) = match total {
        None => ("No problems".to_owned(), "count count--ok".to_owned()),
        Some((text, worst)) => (text, format!("count count--{}", worst.class)),
    };

    html! {
        <section class="panel policies" aria-labelledby="policies-heading">
            <div class="panel__head">
                <h2 id="policies-heading" class="panel__title">{ "Policies" }</h2>
                <span class={summary_class} data-testid="problem-total">{ summary }</span>
                <label class="add-policy">
                    <span class="visually-hidden">{ "Add a policy" }</span>
                    <select class="select select--accent" data-testid="add-policy" onchange={onadd}>
                        <option value="" selected=true>{ "+ Add policy…" }</option>
                        { for PolicyType::ALL.iter().map(|t| html! {
                            <option value={t.as_str()}>{ short_label(*t) }</option>
                        }) }
                    </select>
                </label>
            </div>
            { for undo_bar }
            if count == 0 {
                <p class="empty-note">{ "No policies yet. Add one with “Add policy”: without any policy every request is implicitly denied." }</p>
            }
            <div class="policy-list">{ for cards }</div>
            <datalist id="org-levels">
                <option value="root" />
                <option value="ou-workloads" />
                <option value="account" />
            </datalist>
        </section>
    }
}

/// Properties of [`policy_card`].
#[derive(Properties, PartialEq)]
struct PolicyCardProps {
    draft: PolicyDraft,
    index: usize,
    count: usize,
    diagnostics: Rc<Vec<Diagnostic>>,
    name_problems: Rc<Vec<Diagnostic>>,
    highlight: Option<iam_engine::source::Span>,
    onremove: Callback<u32>,
}

/// A small line icon (16 px, `currentColor`), hidden from screen readers.
fn icon(path: &'static str) -> Html {
    html! {
        <svg class="icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
            <path d={path} fill="none" stroke="currentColor" stroke-width="1.6"
                stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}

const ICON_UP: &str = "M8 13V3M4 7l4-4 4 4";
const ICON_DOWN: &str = "M8 3v10M4 9l4 4 4-4";
const ICON_COPY: &str = "M5.5 5.5h7v7h-7zM3.5 10.5v-7h7";
const ICON_REMOVE: &str = "M4 4l8 8M12 4l-8 8";

/// A text input bound to an action.
fn text_field(
    app: &AppHandle,
    label: &'static str,
    value: &str,
    placeholder: &'static str,
    testid: &'static str,
    list: Option<&'static str>,
    make: impl Fn(String) -> Action + 'static,
) -> Html {
    let app = app.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            app.dispatch(make(t.value()));
        }
    });
    html! {
        <label class="mini-field">
            <span class="mini-field__label">{ label }</span>
            <input class="input input--small" type="text" spellcheck="false" autocomplete="off"
                value={value.to_owned()} {placeholder} {oninput} data-testid={testid} list={list} />
        </label>
    }
}

/// One policy's card. A plain function of the panel (which redraws with
/// every change of the app's state anyway), keyed by the panel.
fn policy_card(app: &AppHandle, props: &PolicyCardProps) -> Html {
    let app = app.clone();
    let p = &props.draft;
    let id = p.id;
    let body_id = format!("policy-body-{id}");
    let name_id = format!("policy-name-{id}");
    let counts = crate::findings::summary(props.diagnostics.iter());

    let act = |action: Action| {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| app.dispatch(action.clone()))
    };
    let ontype = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(t) = PolicyType::parse(&select.value()) {
                    app.dispatch(Action::SetPolicyType(id, t));
                }
            }
        })
    };
    let onremove = {
        let cb = props.onremove.clone();
        Callback::from(move |_: MouseEvent| cb.emit(id))
    };
    let extra = if p.policy_type.has_levels() {
        text_field(
            &app,
            "Level",
            &p.level,
            "root",
            "policy-level",
            Some("org-levels"),
            move |v| Action::SetPolicyLevel(id, v),
        )
    } else if p.policy_type == iam_engine::PolicyType::Resource {
        text_field(
            &app,
            "Owning account",
            &p.account,
            "e.g. 111122223333 (optional)",
            "policy-account",
            None,
            move |v| Action::SetPolicyAccount(id, v),
        )
    } else {
        Html::default()
    };
    let badge = match counts {
        None => {
            html! { <span class="count count--ok" title="No problems">{ "✓" }<span class="visually-hidden">{ "No problems" }</span></span> }
        }
        // The most serious count; all of them in the tooltip.
        Some((text, worst)) => {
            let first = text.split(", ").next().unwrap_or_default().to_owned();
            html! { <span class={format!("count count--{}", worst.class)} title={text}>{ first }</span> }
        }
    };
    let name_input = {
        let app = app.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                app.dispatch(Action::SetPolicyName(id, t.value()));
            }
        });
        html! {
            <input id={name_id.clone()} class="policy-card__name" type="text" spellcheck="false"
                autocomplete="off" aria-label="Policy name" value={p.name.clone()} {oninput}
                data-testid="policy-name"
                aria-invalid={(!props.name_problems.is_empty()).to_string()} />
        }
    };

    let onswitch = {
        let app = app.clone();
        let on = p.enabled;
        Callback::from(move |_: Event| app.dispatch(Action::SetPolicyEnabled(id, !on)))
    };
    let switch_title = if p.enabled {
        "Evaluated; switch off to leave it out (it is kept)"
    } else {
        "Switched off: kept, not evaluated"
    };

    html! {
        <article class={classes!("policy-card", p.collapsed.then_some("policy-card--collapsed"), (!p.enabled).then_some("policy-card--off"))}
            data-testid="policy" data-policy-name={p.name.clone()} data-policy-id={id.to_string()}
            aria-label={format!("Policy {}", p.name)}>
            <div class="policy-card__head">
                <button type="button" class="icon-btn policy-card__toggle"
                    aria-expanded={(!p.collapsed).to_string()} aria-controls={body_id.clone()}
                    aria-label={if p.collapsed { format!("Expand {}", p.name) } else { format!("Collapse {}", p.name) }}
                    data-testid="collapse-policy"
                    onclick={act(Action::ToggleCollapsed(id))}>
                    <span class="chevron" aria-hidden="true"></span>
                </button>
                <label class="switch" title={switch_title}>
                    <input type="checkbox" role="switch" class="switch__input" checked={p.enabled}
                        onchange={onswitch} data-testid="policy-enabled"
                        aria-label={format!("Evaluate {}", p.name)} />
                    <span class="switch__track" aria-hidden="true"></span>
                </label>
                { name_input }
                if !p.enabled {
                    <span class="count count--off" data-testid="policy-off">{ "off" }</span>
                }
                { badge }
                <div class="policy-card__actions">
                    <button type="button" class="icon-btn" aria-label={format!("Move {} up", p.name)}
                        title="Move up" disabled={props.index == 0} data-testid="move-up"
                        onclick={act(Action::MovePolicy { id, up: true })}>{ icon(ICON_UP) }</button>
                    <button type="button" class="icon-btn" aria-label={format!("Move {} down", p.name)}
                        title="Move down" disabled={props.index + 1 >= props.count} data-testid="move-down"
                        onclick={act(Action::MovePolicy { id, up: false })}>{ icon(ICON_DOWN) }</button>
                    <button type="button" class="icon-btn" aria-label={format!("Duplicate {}", p.name)}
                        title="Duplicate" data-testid="duplicate-policy"
                        onclick={act(Action::DuplicatePolicy(id))}>{ icon(ICON_COPY) }</button>
                    <button type="button" class="icon-btn icon-btn--danger" aria-label={format!("Remove {}", p.name)}
                        title="Remove (can be undone)" data-testid="remove-policy" onclick={onremove}>{ icon(ICON_REMOVE) }</button>
                </div>
            </div>
            if let Some(origin) = &p.origin {
                <p class="policy-card__origin" data-testid="policy-origin" title="Where this policy comes from in the imported account">{ origin }</p>
            }
            <div class="policy-card__meta">
                <label class="mini-field">
                    <span class="mini-field__label">{ "Type" }</span>
                    <select class="select select--small" data-testid="policy-type" onchange={ontype}>
                        { for PolicyType::ALL.iter().map(|t| html! {
                            <option value={t.as_str()} selected={*t == p.policy_type}>{ short_label(*t) }</option>
                        }) }
                    </select>
                </label>
                { extra }
            </div>
            if !props.name_problems.is_empty() {
                <ul class="field-problems">
                    { for props.name_problems.iter().map(|d| html! {
                        <li class="field-problem">{ &d.message }
                            if let Some(h) = &d.help { <span class="field-problem__help">{ format!(" — {h}") }</span> }
                        </li>
                    }) }
                </ul>
            }
            // A collapsed editor opens while the explanation highlights its text.
            <div id={body_id} class="policy-card__body" hidden={p.collapsed && props.highlight.is_none()}>
                <PolicyEditor {id} name={p.name.clone()} text={p.text.clone()}
                    diagnostics={props.diagnostics.clone()} highlight={props.highlight} />
                { problems(Some(app.clone()), &ProblemsProps { id, text: p.text.clone().into(), diagnostics: props.diagnostics.clone(), read_only: false }) }
            </div>
        </article>
    }
}
