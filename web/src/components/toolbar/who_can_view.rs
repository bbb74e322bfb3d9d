//! "Who can…" in the account dialog: an action, a resource, an optional
//! resource-based policy of the workspace and which principals; Check
//! decides the request for each of them (in slices, so the page never
//! freezes on thousands), and the table lists the decisions. Opening a row
//! loads its principal into the workspace with that request.

use std::cell::Cell;
use std::rc::Rc;

use iam_engine::account::{EntityKind, WhoCan, WhoCanQuery};
use iam_engine::PolicyType;
use yew::prelude::*;

use super::account_dialog::yield_to_page;
use super::who_can_table::WhoCanTable;
use crate::account::who_can::{principals, query, shown, workspace_for_row, DecisionFilter};
use crate::account::{KindFilter, LoadedAccount};
use crate::workspace::Workspace;

/// Principals decided between two turns of the page.
const SLICE: usize = 200;

/// Properties of [`WhoCanView`].
#[derive(Properties, PartialEq)]
pub struct WhoCanViewProps {
    /// The account read.
    pub loaded: Rc<LoadedAccount>,
    /// The current workspace (its request, context and resource-based
    /// policies fill the form).
    pub current: Workspace,
    /// The session name of roles.
    pub session: AttrValue,
    /// Called with an opened row's workspace and the notice.
    pub onpick: Callback<(Workspace, String)>,
}

#[derive(Clone, PartialEq)]
enum Run {
    Idle,
    Checking {
        done: usize,
        total: usize,
    },
    Failed(String),
    /// The answer, the query and how long the check took in milliseconds.
    Done(Rc<WhoCan>, Rc<WhoCanQuery>, u64),
}

/// Decides `query` for `who` in slices, updating `run`; stops when
/// `generation` moves on.
async fn check(
    loaded: Rc<LoadedAccount>,
    who: Vec<(EntityKind, usize)>,
    query: WhoCanQuery,
    generation: Rc<Cell<u64>>,
    checks: Rc<Cell<u32>>,
    run: UseStateHandle<Run>,
) {
    let mine = generation.get();
    let start = js_sys::Date::now();
    let total = who.len();
    let mut answer = WhoCan::default();
    for (n, slice) in who.chunks(SLICE).enumerate() {
        match loaded.account.who_can(slice, &query) {
            Ok(part) => answer.rows.extend(part.rows),
            Err(errors) => {
                let text: Vec<String> = errors.iter().map(|d| d.message.clone()).collect();
                run.set(Run::Failed(text.join("; ")));
                return;
            }
        }
        if (n + 1) * SLICE < total {
            run.set(Run::Checking {
                done: (n + 1) * SLICE,
                total,
            });
            yield_to_page().await;
            if generation.get() != mine {
                return;
            }
        }
    }
    let millis = (js_sys::Date::now() - start).max(0.0).round() as u64;
    checks.set(checks.get() + 1);
    run.set(Run::Done(Rc::new(answer), Rc::new(query), millis));
}

fn input_value(e: &InputEvent) -> Option<String> {
    e.target_dyn_into::<web_sys::HtmlInputElement>()
        .map(|t| t.value())
}

/// The "Who can…" form and results.
#[component]
pub fn WhoCanView(props: &WhoCanViewProps) -> Html {
    let resource_policies: Vec<String> = props
        .current
        .policies
        .iter()
        .filter(|p| p.policy_type == PolicyType::Resource && p.enabled)
        .map(|p| p.name.clone())
        .collect();
    let action = use_state(|| props.current.request.action.trim().to_owned());
    let resource = use_state(|| props.current.request.resource.trim().to_owned());
    let policy = use_state(|| resource_policies.first().cloned().unwrap_or_default());
    let search = use_state(String::new);
    let kinds = use_state(|| KindFilter::All);
    let filter = use_state(|| DecisionFilter::All);
    let sort = use_state(|| None::<bool>);
    let run = use_state(|| Run::Idle);
    let generation = use_memo((), |_| Rc::new(Cell::new(0u64)));
    // Checks finished so far (`data-checks`, for tests and benchmarks).
    let checks = use_memo((), |_| Rc::new(Cell::new(0u32)));
    {
        let generation = (*generation).clone();
        use_effect_with((), move |_| move || generation.set(generation.get() + 1));
    }
    let catalog = crate::catalog::use_catalog();

    let start = {
        let loaded = props.loaded.clone();
        let current = props.current.clone();
        let session = props.session.clone();
        let (action, resource, policy, search, kinds, run) = (
            action.clone(),
            resource.clone(),
            policy.clone(),
            search.clone(),
            kinds.clone(),
            run.clone(),
        );
        let generation = (*generation).clone();
        let checks = (*checks).clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let who = principals(&loaded.account, &search, *kinds);
            let picked = Some(policy.as_str()).filter(|p| !p.is_empty());
            let q = query(&current, &action, &resource, picked, &session);
            generation.set(generation.get() + 1);
            run.set(Run::Checking {
                done: 0,
                total: who.len(),
            });
            wasm_bindgen_futures::spawn_local(check(
                loaded.clone(),
                who,
                q,
                generation.clone(),
                checks.clone(),
                run.clone(),
            ));
        })
    };
    let on = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = input_value(&e) {
                state.set(v);
            }
        })
    };
    let onpolicy = {
        let policy = policy.clone();
        Callback::from(move |e: Event| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                policy.set(t.value());
            }
        })
    };
    let suggestions: Vec<String> = match &catalog {
        Some(catalog) if action.contains(':') || action.len() >= 2 => {
            let typed = action.trim();
            let pattern = if typed.contains(':') {
                format!("{typed}*")
            } else {
                format!("{typed}*:*")
            };
            catalog
                .actions_matching(&pattern)
                .iter()
                .take(20)
                .map(|a| a.full_name())
                .filter(|name| name != typed)
                .collect()
        }
        _ => Vec::new(),
    };
    let kind_chip = |label: &'static str, value: KindFilter| {
        let on = *kinds == value;
        let kinds = kinds.clone();
        let onclick = Callback::from(move |_: MouseEvent| kinds.set(value));
        html! {
            <button type="button" class={classes!("chip", on.then_some("chip--on"))}
                aria-pressed={on.to_string()} {onclick}>{ label }</button>
        }
    };
    let results = match &*run {
        Run::Idle => html! {},
        Run::Checking { done, total } => html! {
            <div class="account__reading" data-testid="who-can-progress">
                <progress class="account__progress" value={done.to_string()} max={(*total).max(1).to_string()}></progress>
                <span>{ format!("Checking {done} of {total} principals…") }</span>
            </div>
        },
        Run::Failed(message) => html! {
            <p class="account__failed" role="alert" data-testid="who-can-error">{ format!("The check cannot run: {message}") }</p>
        },
        Run::Done(answer, q, _) => {
            let [allow, explicit, implicit, invalid] = answer.counts();
            let rows = Rc::new(shown(answer, *filter, *sort));
            let filter_chip = |label: String, value: DecisionFilter, testid: &'static str| {
                let on = *filter == value;
                let filter = filter.clone();
                let onclick = Callback::from(move |_: MouseEvent| filter.set(value));
                html! {
                    <button type="button" class={classes!("chip", on.then_some("chip--on"))}
                        aria-pressed={on.to_string()} {onclick} data-testid={testid}>{ label }</button>
                }
            };
            let onsort = {
                let sort = sort.clone();
                Callback::from(move |()| {
                    sort.set(match *sort {
                        None => Some(false),
                        Some(false) => Some(true),
                        Some(true) => None,
                    })
                })
            };
            let onopen = {
                let (answer, q) = (answer.clone(), q.clone());
                let loaded = props.loaded.clone();
                let onpick = props.onpick.clone();
                let run = run.clone();
                Callback::from(move |i: usize| {
                    let Some(row) = answer.rows.get(i) else {
                        return;
                    };
                    match workspace_for_row(&loaded.account, row, &q) {
                        Ok(picked) => onpick.emit(picked),
                        Err(message) => run.set(Run::Failed(message)),
                    }
                })
            };
            let action_text = q.actions.join(", ");
            let caption = format!(
                "Who can {action_text} on {}: {} shown. Open a row to see why.",
                q.resource,
                rows.len()
            );
            html! {
                <>
                    <div class="chips who-can__filters" role="group" aria-label="Show decisions">
                        { filter_chip(format!("All {}", answer.rows.len()), DecisionFilter::All, "who-can-filter-all") }
                        { filter_chip(format!("✓ Allowed {allow}"), DecisionFilter::Allow, "who-can-filter-allow") }
                        { filter_chip(format!("✗ Explicitly denied {explicit}"), DecisionFilter::ExplicitDeny, "who-can-filter-explicit") }
                        { filter_chip(format!("· Implicitly denied {implicit}"), DecisionFilter::ImplicitDeny, "who-can-filter-implicit") }
                        if invalid > 0 {
                            { filter_chip(format!("! Not decided {invalid}"), DecisionFilter::Invalid, "who-can-filter-invalid") }
                        }
                    </div>
                    <WhoCanTable answer={answer.clone()} shown={rows} caption={caption} sort={*sort} {onsort} {onopen} />
                </>
            }
        }
    };
    let counts_live = match &*run {
        Run::Done(answer, _, millis) => {
            let [allow, explicit, implicit, invalid] = answer.counts();
            let mut text = format!(
                "{} checked in {millis} ms: {allow} allowed, {explicit} explicitly denied, {implicit} implicitly denied",
                answer.rows.len()
            );
            if invalid > 0 {
                text.push_str(&format!(", {invalid} not decided (policy errors)"));
            }
            text.push('.');
            text
        }
        Run::Checking { .. } => "Checking…".to_owned(),
        _ => String::new(),
    };
    let checking = matches!(*run, Run::Checking { .. });
    html! {
        <div class="who-can" data-testid="who-can">
            <form class="who-can__form" onsubmit={start}>
                <label class="who-can__field">
                    <span class="mini-field__label">{ "Action" }</span>
                    <input class="input" type="text" spellcheck="false" autocomplete="off" list="who-can-actions"
                        placeholder="s3:GetObject" value={(*action).clone()} oninput={on(&action)}
                        required=true data-testid="who-can-action" />
                    <datalist id="who-can-actions">
                        { for suggestions.iter().map(|s| html! { <option value={s.clone()} /> }) }
                    </datalist>
                </label>
                <label class="who-can__field who-can__field--wide">
                    <span class="mini-field__label">{ "Resource" }</span>
                    <input class="input" type="text" spellcheck="false" autocomplete="off"
                        placeholder="arn:aws:s3:::bucket/key" value={(*resource).clone()} oninput={on(&resource)}
                        data-testid="who-can-resource" />
                </label>
                <label class="who-can__field">
                    <span class="mini-field__label">{ "Resource-based policy" }</span>
                    <select class="select input" onchange={onpolicy} data-testid="who-can-policy">
                        <option value="" selected={policy.is_empty()}>{ "None" }</option>
                        { for resource_policies.iter().map(|name| html! {
                            <option value={name.clone()} selected={*policy == *name}>{ format!("{name} (workspace)") }</option>
                        }) }
                    </select>
                </label>
                <div class="account__filters who-can__who">
                    <label class="visually-hidden" for="who-can-search">{ "Which principals" }</label>
                    <input id="who-can-search" class="input account__search" type="search" autocomplete="off"
                        spellcheck="false" placeholder="All principals, or search by name, path, ARN or group"
                        value={(*search).clone()} oninput={on(&search)} data-testid="who-can-search" />
                    <div class="chips" role="group" aria-label="Kinds of principal">
                        { kind_chip("All", KindFilter::All) }
                        { kind_chip("Users", KindFilter::Only(EntityKind::User)) }
                        { kind_chip("Roles", KindFilter::Only(EntityKind::Role)) }
                    </div>
                    <button type="submit" class="button button--primary" disabled={checking} data-testid="who-can-check">{ "Check" }</button>
                </div>
                <p class="account__count">
                    { "Each user is checked with its own, its groups' and its boundary's policies, each role as a session of the role; the resource-based policy applies to all. Groups are not principals: a group's name finds its members." }
                </p>
            </form>
            <p class="account__count" role="status" aria-live="polite" data-testid="who-can-counts"
                data-checks={checks.get().to_string()}>{ counts_live }</p>
            { results }
        </div>
    }
}
