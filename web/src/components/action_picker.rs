//! The action picker, like the AWS console's policy simulator: a service
//! from AWS's catalogue, its actions grouped by access level with a search
//! box, a box per action and "All Read actions" per level, and a field for
//! a typed action or wildcard (which works without the catalogue). The
//! actions a typed wildcard covers (`s3:Get*`) show as included: ticked,
//! dimmed and not tickable, "via s3:Get*", and counted as picked.
//!
//! Keyboard: Tab reaches the service, the search, the typed action and the
//! list (one stop); in the list the arrows, Home and End move, Space ticks;
//! Escape closes the picker from anywhere in it. Counts are announced in a
//! live region.

use iam_engine::scenario::is_wildcard_action;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::use_app;
use crate::catalog::{use_catalog_status, CatalogStatus};
use crate::request_list::{
    chosen_names, covered_by, grouped_actions, is_chosen, service_wildcards, toggle_actions,
    wildcard_count,
};
use crate::state::Action;
use crate::workspace::RequestField;

/// How many action rows are drawn at first (the rest follow a tick later).
const FIRST_ROWS: usize = 120;

/// Properties of [`ActionPicker`].
#[derive(Properties, PartialEq)]
pub struct ActionPickerProps {
    /// Closes the picker (Escape, the close button).
    pub onclose: Callback<()>,
}

/// The action rows, with `rows` replaced (blank ones dropped).
fn set_actions(app: &crate::app::AppHandle, rows: Vec<String>) {
    app.dispatch(Action::SetRequestRows(RequestField::Action, rows));
}

/// Moves the focus among the list's boxes for an arrow, Home or End key;
/// returns the index focused.
fn move_focus(list: &web_sys::Element, key: &str) -> Option<u32> {
    // Boxes of actions a wildcard covers cannot be ticked: skipped.
    let boxes = list.query_selector_all("input:not(:disabled)").ok()?;
    let count = boxes.length();
    let active = web_sys::window()?.document()?.active_element();
    let current = (0..count).find(|&i| {
        boxes
            .item(i)
            .zip(active.as_ref())
            .is_some_and(|(b, a)| b.is_same_node(Some(a.unchecked_ref())))
    });
    let next = match (key, current) {
        ("Home", _) | ("ArrowDown", None) => 0,
        ("End", _) | ("ArrowUp", None) => count.checked_sub(1)?,
        ("ArrowDown", Some(i)) => (i + 1).min(count.checked_sub(1)?),
        ("ArrowUp", Some(i)) => i.saturating_sub(1),
        _ => return None,
    };
    let target: web_sys::HtmlElement = boxes.item(next)?.dyn_into().ok()?;
    target.focus().ok()?;
    Some(next)
}

/// The picker. It edits the workspace's actions directly: a tick adds the
/// action, an untick removes it.
#[component]
pub fn ActionPicker(props: &ActionPickerProps) -> Html {
    let app = use_app();
    let status = use_catalog_status();
    let service = use_state(String::new);
    let search = use_state(String::new);
    let typed = use_state(String::new);
    let active = use_state(|| 0u32);
    // A big service's list is drawn in two steps: the first rows at once,
    // the rest on the next tick, so the picker answers without delay.
    let full = use_state(|| false);
    let list_ref = use_node_ref();
    let service_ref = use_node_ref();
    // The services' options, built once per catalogue.
    let options = use_memo(status.clone(), |status| {
        match status {
        CatalogStatus::Ready(catalog) => catalog
            .services()
            .map(|s| {
                html! {
                    <option value={s.prefix().to_owned()}>{ s.prefix() }{ " — " }{ s.name() }</option>
                }
            })
            .collect::<Html>(),
        _ => Html::default(),
    }
    });
    // The select shows the service in view (its options are memoized, so
    // it is set after each render rather than through `selected`).
    let shown_prefix = use_mut_ref(String::new);
    {
        let service_ref = service_ref.clone();
        let shown_prefix = shown_prefix.clone();
        use_effect(move || {
            if let Some(select) = service_ref.cast::<web_sys::HtmlSelectElement>() {
                let wanted = shown_prefix.borrow();
                if select.value() != *wanted {
                    select.set_value(&wanted);
                }
            }
        });
    }
    {
        let full = full.clone();
        use_effect(move || {
            if !*full {
                // After the frame with the first rows is painted.
                let later = move || {
                    gloo::timers::callback::Timeout::new(0, move || full.set(true)).forget()
                };
                let callback = wasm_bindgen::closure::Closure::once_into_js(later);
                if let Some(window) = web_sys::window() {
                    let _ = window.request_animation_frame(callback.unchecked_ref());
                }
            }
        });
    }
    let Some(app) = app else {
        return Html::default();
    };
    let rows: Vec<&str> = app.workspace.request.rows(RequestField::Action).collect();
    let catalog = match &status {
        CatalogStatus::Ready(c) => Some(c.clone()),
        _ => None,
    };
    // The service shown: the one chosen, else the first action's.
    let prefix: String = if service.is_empty() {
        let first = rows
            .iter()
            .filter_map(|a| a.trim().split_once(':').map(|(p, _)| p))
            .find(|p| catalog.as_ref().is_some_and(|c| c.service(p).is_some()));
        first.unwrap_or("s3").to_ascii_lowercase()
    } else {
        (*service).clone()
    };

    shown_prefix.borrow_mut().clone_from(&prefix);
    let onkeydown_picker = {
        let onclose = props.onclose.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                e.stop_propagation();
                onclose.emit(());
            }
        })
    };
    let onclose = {
        let onclose = props.onclose.clone();
        Callback::from(move |_: MouseEvent| onclose.emit(()))
    };

    // The typed action or wildcard.
    let add_typed = {
        let app = app.clone();
        let typed = typed.clone();
        move || {
            let value = typed.trim().to_owned();
            if value.is_empty() {
                return;
            }
            let rows: Vec<&str> = app.workspace.request.rows(RequestField::Action).collect();
            let mut next: Vec<String> = rows
                .iter()
                .filter(|a| !a.trim().is_empty())
                .map(|a| (*a).to_owned())
                .collect();
            if !next.iter().any(|a| a.trim().eq_ignore_ascii_case(&value)) {
                next.push(value);
            }
            set_actions(&app, next);
            typed.set(String::new());
        }
    };
    let ontyped = {
        let typed = typed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                typed.set(t.value());
            }
        })
    };
    let ontyped_key = {
        let add_typed = add_typed.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                add_typed();
            }
        })
    };
    let onadd = Callback::from(move |_: MouseEvent| add_typed());
    let typed_text = typed.trim();
    let typed_hint = match (&catalog, typed_text) {
        (_, "") => Html::default(),
        (Some(c), t) if is_wildcard_action(t) => {
            let n = wildcard_count(c, t);
            html! { <span class="picker__hint" data-testid="typed-count">{ n }{ if n == 1 { " action" } else { " actions" } }</span> }
        }
        (Some(c), t) => match c.action(t) {
            Some(a) => html! { <span class="picker__hint">{ a.access_level().as_str() }</span> },
            None => {
                html! { <span class="picker__hint picker__hint--bad">{ "not in AWS's catalogue" }</span> }
            }
        },
        (None, _) => Html::default(),
    };
    let typed_field = html! {
        <div class="picker__typed">
            <label class="picker__label" for="picker-typed">{ "Action or wildcard" }</label>
            <div class="field__row">
                <input id="picker-typed" class="input input--mono input--small" type="text" spellcheck="false"
                    autocomplete="off" placeholder="s3:Get*, ec2:*, *" value={(*typed).clone()}
                    oninput={ontyped} onkeydown={ontyped_key} data-testid="typed-action" />
                <button type="button" class="btn btn--small" onclick={onadd} data-testid="add-typed-action">{ "Add" }</button>
                { typed_hint }
            </div>
        </div>
    };

    let Some(catalog) = catalog else {
        let text = match &status {
            CatalogStatus::Failed(why) => format!(
                "AWS's service catalogue could not be loaded ({why}): type actions and wildcards above; wildcards expand once it loads."
            ),
            _ => "Loading AWS's service catalogue… Meanwhile, type actions and wildcards above."
                .to_owned(),
        };
        return frame(
            onkeydown_picker,
            onclose,
            Html::default(),
            typed_field,
            text,
            Html::default(),
        );
    };

    let search_lower = search.trim().to_ascii_lowercase();
    let groups = grouped_actions(&catalog, &prefix, &search_lower);
    let chosen = chosen_names(&catalog, &prefix, rows.iter().copied());
    let wildcards = service_wildcards(&prefix, rows.iter().copied());
    let service_view = catalog.service(&prefix);
    let total = service_view.map_or(0, |s| s.actions().len());
    // Actions of the service a wildcard covers and no box ticks.
    let via_wildcards = service_view.map_or(0, |s| {
        s.actions()
            .filter(|a| {
                !is_chosen(&chosen, a.name()) && covered_by(&wildcards, &prefix, a.name()).is_some()
            })
            .count()
    });
    let shown: usize = groups.iter().map(|(_, l)| l.len()).sum();

    let onservice = {
        let service = service.clone();
        let active = active.clone();
        let full = full.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                service.set(s.value());
                active.set(0);
                full.set(false);
            }
        })
    };
    let onsearch = {
        let search = search.clone();
        let active = active.clone();
        let full = full.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                search.set(t.value());
                active.set(0);
                full.set(false);
            }
        })
    };
    // ArrowDown in the search box goes to the list.
    let onsearch_key = {
        let list_ref = list_ref.clone();
        let active = active.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "ArrowDown" {
                if let Some(list) = list_ref.cast::<web_sys::Element>() {
                    e.prevent_default();
                    if let Some(i) = move_focus(&list, "Home") {
                        active.set(i);
                    }
                }
            }
        })
    };
    let onlist_key = {
        let list_ref = list_ref.clone();
        let active = active.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            if matches!(key.as_str(), "ArrowDown" | "ArrowUp" | "Home" | "End") {
                e.prevent_default();
                if let Some(i) = list_ref
                    .cast::<web_sys::Element>()
                    .and_then(|l| move_focus(&l, &key))
                {
                    active.set(i);
                }
            }
        })
    };
    // One handler for every box (the change event bubbles): an action's
    // box carries its name, a level's box `data-level`.
    let onchange = {
        let app = app.clone();
        let catalog = catalog.clone();
        let prefix = prefix.clone();
        let search_lower = search_lower.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let on = input.checked();
            let rows: Vec<&str> = app.workspace.request.rows(RequestField::Action).collect();
            let next = match input.get_attribute("data-level") {
                Some(level) => {
                    let groups = grouped_actions(&catalog, &prefix, &search_lower);
                    // A wildcard's actions are in already: not added again.
                    let wildcards = service_wildcards(&prefix, rows.iter().copied());
                    let names: Vec<&str> = groups
                        .iter()
                        .filter(|(l, _)| l.as_str() == level)
                        .flat_map(|(_, list)| list.iter().map(|a| a.name()))
                        .filter(|n| !on || covered_by(&wildcards, &prefix, n).is_none())
                        .collect();
                    toggle_actions(&rows, &prefix, &names, on)
                }
                None => toggle_actions(&rows, &prefix, &[input.value().as_str()], on),
            };
            set_actions(&app, next);
        })
    };

    let mut index = 0u32;
    let mut tab = || {
        let t = if index == *active { "0" } else { "-1" };
        index += 1;
        t
    };
    let mut room = if *full { usize::MAX } else { FIRST_ROWS };
    let mut levels = Vec::with_capacity(groups.len());
    for (level, actions) in &groups {
        // Each action's wildcard, when one covers it and no box ticks it.
        let via: Vec<Option<&str>> = actions
            .iter()
            .map(|a| {
                if is_chosen(&chosen, a.name()) {
                    None
                } else {
                    covered_by(&wildcards, &prefix, a.name())
                }
            })
            .collect();
        let covered = via.iter().flatten().count();
        let picked = actions
            .iter()
            .filter(|a| is_chosen(&chosen, a.name()))
            .count()
            + covered;
        let all = picked == actions.len();
        let header = html! {
            <label class="picker__all">
                <input type="checkbox" tabindex={if covered == actions.len() { "-1" } else { tab() }} checked={all}
                    disabled={covered == actions.len()} data-level={level.as_str()} />
                <span>{ "All " }{ level.as_str() }{ " actions" }</span>
                <span class="picker__count">{ picked }{ " / " }{ actions.len() }</span>
            </label>
        };
        let drawn = actions.len().min(room);
        room -= drawn;
        let items: Html = actions
            .iter()
            .zip(&via)
            .take(drawn)
            .map(|(a, via)| {
                let name = a.name();
                // Covered by a wildcard: ticked, not tickable, "via …".
                let covered = via.is_some();
                html! {
                    <li><label class={classes!("picker__action", covered.then_some("picker__action--covered"))}
                        data-testid={covered.then_some("picker-covered")}>
                        <input type="checkbox" tabindex={if covered { "-1" } else { tab() }}
                            checked={covered || is_chosen(&chosen, name)} disabled={covered} value={name.to_owned()} />
                        { name }
                        if let Some(w) = via {
                            <span class="picker__via">{ " via " }<code>{ *w }</code></span>
                        }
                    </label></li>
                }
            })
            .collect();
        levels.push(html! {
            <div class="picker__level" data-testid="picker-level" data-level={level.as_str()}>
                { header }
                <ul class="picker__actions">{ items }</ul>
            </div>
        });
    }
    let status_text = format!(
        "{shown} of {total} actions of {} shown; {} ticked{}.",
        service_view.map_or(prefix.as_str(), |s| s.name()),
        chosen.len(),
        if via_wildcards > 0 {
            format!(", {via_wildcards} more through wildcards")
        } else {
            String::new()
        }
    );
    let filters = html! {
            <div class="picker__filters">
                <label class="picker__label">
                    { "Service" }
                    <select class="select select--small" ref={service_ref} onchange={onservice}
                        data-testid="picker-service">{ (*options).clone() }</select>
                </label>
                <label class="picker__label picker__search">
                    { "Search actions" }
                    <input class="input input--small" type="search" spellcheck="false" autocomplete="off"
                        value={(*search).clone()} oninput={onsearch} onkeydown={onsearch_key}
                        placeholder="e.g. Describe" data-testid="picker-search" />
                </label>
            </div>
    };
    let list = html! {
            <div class="picker__list" role="group" aria-label="Actions, by access level" ref={list_ref}
                onkeydown={onlist_key} {onchange} data-testid="picker-list">
                { for levels }
            </div>
    };
    frame(
        onkeydown_picker,
        onclose,
        filters,
        typed_field,
        status_text,
        list,
    )
}

/// The picker's frame: title and close button, the service and search
/// (with the catalogue), the typed action, the live status, the list.
fn frame(
    onkeydown: Callback<KeyboardEvent>,
    onclose: Callback<MouseEvent>,
    filters: Html,
    typed: Html,
    status: String,
    list: Html,
) -> Html {
    html! {
        <section id="action-picker" class="picker" aria-label="Choose actions" {onkeydown} data-testid="action-picker">
            <div class="picker__head">
                <h3 class="picker__title">{ "Choose actions" }</h3>
                <button type="button" class="icon-btn" aria-label="Close the action picker" onclick={onclose}>{ "×" }</button>
            </div>
            { filters }
            { typed }
            <p class="picker__status" role="status" data-testid="picker-status">{ status }</p>
            { list }
        </section>
    }
}
