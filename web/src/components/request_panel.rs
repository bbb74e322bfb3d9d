//! The request form: principal (with quick choices), action, resource,
//! resource account, and the context table. Each field shows its own
//! problems next to it.
//!
//! Principal, action and resource each take more values (added rows, the
//! action picker, a pasted list, wildcard actions): then the panel's
//! request is a matrix of every combination, sharing the context
//! ([`crate::workspace::RequestDraft::is_matrix`]). With one value each it
//! is the single request it always was.

use std::rc::Rc;

use iam_engine::Diagnostic;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::action_picker::ActionPicker;
use super::context_table::ContextTable;
use super::use_app;
use crate::catalog::{use_catalog_status, CatalogStatus};
use crate::request_list::{entry_problem, wildcard_count};
use crate::state::{Action, EvalView};
use crate::workspace::RequestField;

/// Properties of [`RequestPanel`].
#[derive(Properties, PartialEq)]
pub struct RequestPanelProps {
    /// The evaluation, for request problems and missing keys.
    pub view: Rc<EvalView>,
}

/// The principal kinds offered as quick choices: (value, label).
pub const PRINCIPAL_CHOICES: [(&str, &str); 5] = [
    ("user", "IAM user"),
    ("role-session", "Role session"),
    ("root", "Account root"),
    ("service", "AWS service"),
    ("anonymous", "Anonymous (*)"),
];

/// The 12-digit account id in `principal`, if it names one.
fn account_of(principal: &str) -> Option<&str> {
    let p = principal.trim();
    if p.len() == 12 && p.bytes().all(|b| b.is_ascii_digit()) {
        return Some(p);
    }
    let account = p.strip_prefix("arn:")?.split(':').nth(3)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// The template for a quick choice, keeping the account of `current`.
pub fn principal_template(choice: &str, current: &str) -> Option<String> {
    let account = account_of(current).unwrap_or("111122223333");
    Some(match choice {
        "user" => format!("arn:aws:iam::{account}:user/alice"),
        "role-session" => format!("arn:aws:sts::{account}:assumed-role/Developer/alice-session"),
        "root" => format!("arn:aws:iam::{account}:root"),
        "service" => "ec2.amazonaws.com".to_owned(),
        "anonymous" => "*".to_owned(),
        _ => return None,
    })
}

/// Which request field a diagnostic is about.
fn field_of(d: &Diagnostic) -> Option<&'static str> {
    match d.code {
        "invalid-request-principal" => Some("principal"),
        "invalid-request-action" => Some("action"),
        "invalid-request-resource" => Some("resource"),
        "invalid-resource-account" => Some("resource-account"),
        _ => None,
    }
}

/// How many extra actions show as chips before "Show all".
const CHIPS_SHOWN: usize = 24;

/// Principal, action, resource and context of the request.
#[component]
pub fn RequestPanel(props: &RequestPanelProps) -> Html {
    let app = use_app();
    let status = use_catalog_status();
    let picker_open = use_state(|| false);
    let show_all = use_state(|| false);
    let choose_ref = use_node_ref();
    let Some(app) = app else {
        return Html::default();
    };
    let catalog = match &status {
        CatalogStatus::Ready(c) => Some(c.clone()),
        _ => None,
    };
    let r = &app.workspace.request;
    let matrix = r.is_matrix();
    let diagnostics = &props.view.request_diagnostics;
    // A value's problem in a matrix (each row checked alone); blank rows
    // are not part of the matrix.
    let entry = |list: RequestField, value: &str, testid: &'static str| -> Option<Html> {
        if !matrix || value.trim().is_empty() {
            return None;
        }
        let p = entry_problem(list, value, catalog.as_deref())?;
        Some(html! {
            <p class="field-problem" data-testid="request-problem" data-field={testid}>
                { p.message }<span class="field-problem__help">{ " — " }{ p.help }</span>
            </p>
        })
    };
    let field = |label: &'static str,
                 value: String,
                 make: fn(String) -> Action,
                 testid: &'static str,
                 placeholder: &'static str,
                 extra: Html,
                 list: Option<RequestField>,
                 more: Html| {
        let oninput = {
            let app = app.clone();
            Callback::from(move |e: InputEvent| {
                if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                    app.dispatch(make(t.value()));
                }
            })
        };
        let onpaste = list.map(|field| paste_handler(&app, field, 0));
        let problems: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| field_of(d) == Some(testid))
            .collect();
        let entry_html = list.and_then(|l| entry(l, &value, testid));
        let invalid = !problems.is_empty() || entry_html.is_some();
        let input_id = format!("request-{testid}");
        let error_id = format!("request-{testid}-problem");
        html! {
            <div class="field">
                <label class="field__label" for={input_id.clone()}>{ label }</label>
                <div class="field__row">
                    <input id={input_id} class="input input--mono" type="text" spellcheck="false"
                        autocomplete="off" {value} {placeholder} {oninput} {onpaste} data-testid={testid}
                        aria-invalid={invalid.to_string()}
                        aria-describedby={invalid.then(|| error_id.clone())} />
                    { extra }
                </div>
                <div id={error_id} class="field__problems" aria-live="polite">
                    { for problems.iter().map(|d| html! {
                        <p class="field-problem" data-testid="request-problem" data-field={testid}>
                            { request_message(d) }
                            if let Some(h) = &d.help { <span class="field-problem__help">{ format!(" — {h}") }</span> }
                        </p>
                    }) }
                    { entry_html.unwrap_or_default() }
                </div>
                { more }
            </div>
        }
    };
    // Extra rows of a principal or resource list, and the button adding one.
    let more_rows = |list: RequestField,
                     noun: &'static str,
                     add: &'static str,
                     testid: &'static str|
     -> Html {
        let add_testid = match list {
            RequestField::Principal => "add-principal",
            _ => "add-resource",
        };
        let rows: Vec<&str> = r.rows(list).collect();
        let items = rows.iter().enumerate().skip(1).map(|(i, value)| {
            let oninput = {
                let app = app.clone();
                let rows: Vec<String> = rows.iter().map(|v| (*v).to_owned()).collect();
                Callback::from(move |e: InputEvent| {
                    if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                        let mut rows = rows.clone();
                        if let Some(slot) = rows.get_mut(i) {
                            *slot = t.value();
                        }
                        app.dispatch(Action::SetRequestRows(list, rows));
                    }
                })
            };
            let onremove = {
                let app = app.clone();
                let rest: Vec<String> = rows
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != i)
                    .map(|(_, v)| (*v).to_owned())
                    .collect();
                Callback::from(move |_: MouseEvent| {
                    app.dispatch(Action::SetRequestRows(list, rest.clone()))
                })
            };
            let label = format!("{noun} {}", i + 1);
            html! {
                <div class="field__more">
                    <div class="field__row">
                        <input class="input input--mono" type="text" spellcheck="false" autocomplete="off"
                            aria-label={label.clone()} value={(*value).to_owned()} {oninput}
                            onpaste={paste_handler(&app, list, i)} data-testid={testid} />
                        <button type="button" class="icon-btn icon-btn--danger" aria-label={format!("Remove {label}")}
                            onclick={onremove}>{ "×" }</button>
                    </div>
                    { entry(list, value, testid).unwrap_or_default() }
                </div>
            }
        });
        let onadd = {
            let app = app.clone();
            let mut next: Vec<String> = rows.iter().map(|v| (*v).to_owned()).collect();
            next.push(String::new());
            Callback::from(move |_: MouseEvent| {
                app.dispatch(Action::SetRequestRows(list, next.clone()));
                focus_last_later(testid);
            })
        };
        html! {
            <>
                { for items }
                <button type="button" class="btn btn--small field__add" onclick={onadd}
                    data-testid={add_testid}>{ add }</button>
            </>
        }
    };

    let onquick = {
        let app = app.clone();
        let current = r.principal.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Some(p) = principal_template(&select.value(), &current) {
                    app.dispatch(Action::SetPrincipal(p));
                }
                select.set_value("");
            }
        })
    };
    let quick = html! {
        <label class="quick">
            <span class="visually-hidden">{ "Fill the principal with a template" }</span>
            <select class="select" data-testid="principal-template" onchange={onquick}>
                <option value="" selected=true>{ "Quick fill…" }</option>
                { for PRINCIPAL_CHOICES.iter().map(|(v, l)| html! { <option value={*v}>{ *l }</option> }) }
            </select>
        </label>
    };

    // The action: its field, the picker's button, a wildcard's count, the
    // other actions as chips.
    let choose = {
        let open = *picker_open;
        let picker_open = picker_open.clone();
        let onclick = Callback::from(move |_: MouseEvent| picker_open.set(!*picker_open));
        html! {
            <button type="button" class="btn choose-actions" ref={choose_ref.clone()} {onclick}
                aria-expanded={open.to_string()} aria-controls="action-picker"
                data-testid="choose-actions">{ "Choose…" }</button>
        }
    };
    let wildcard_note = |action: &str| -> Html {
        let action = action.trim();
        if !iam_engine::scenario::is_wildcard_action(action) {
            return Html::default();
        }
        match (&catalog, &status) {
            (Some(c), _) => {
                let n = wildcard_count(c, action);
                html! { <>{ " → " }{ n }{ if n == 1 { " action" } else { " actions" } }</> }
            }
            (None, CatalogStatus::Failed(_)) => {
                html! { { " → expands once AWS's catalogue loads (it failed to load)" } }
            }
            (None, _) => html! { { " → expands once AWS's catalogue has loaded" } },
        }
    };
    let actions: Vec<&str> = r.rows(RequestField::Action).collect();
    let first_note = wildcard_note(&r.action);
    let first_wild = iam_engine::scenario::is_wildcard_action(r.action.trim());
    let chips: Vec<(usize, &str)> = actions
        .iter()
        .copied()
        .enumerate()
        .skip(1)
        .filter(|(_, a)| !a.trim().is_empty())
        .collect();
    let chip_count = chips.len();
    let shown_chips = if *show_all {
        chip_count
    } else {
        chip_count.min(CHIPS_SHOWN)
    };
    let chip_items = chips.iter().take(shown_chips).map(|&(i, a)| {
        let onclick = {
            let app = app.clone();
            let rest: Vec<String> = actions
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, v)| (*v).to_owned())
                .collect();
            Callback::from(move |_: MouseEvent| {
                app.dispatch(Action::SetRequestRows(RequestField::Action, rest.clone()))
            })
        };
        html! {
            <li class="action-chip" data-testid="action-chip">
                <code>{ a }</code>
                <span class="action-chip__count">{ wildcard_note(a) }</span>
                <button type="button" class="action-chip__remove" {onclick}>
                    <span aria-hidden="true">{ "×" }</span>
                    <span class="visually-hidden">{ "Remove " }{ a }</span>
                </button>
                { entry(RequestField::Action, a, "action").unwrap_or_default() }
            </li>
        }
    });
    let more_actions = html! {
        <>
            if first_wild {
                <p class="field__hint" data-testid="wildcard-count"><code>{ r.action.trim() }</code>{ first_note }</p>
            }
            if chip_count > 0 {
                <ul class="action-chips" aria-label="More actions">{ for chip_items }</ul>
            }
            if chip_count > CHIPS_SHOWN {
                <button type="button" class="btn btn--small" data-testid="show-all-actions"
                    onclick={ let show_all = show_all.clone(); Callback::from(move |_: MouseEvent| show_all.set(!*show_all)) }>
                    { if *show_all { "Show fewer".to_owned() } else { format!("Show all {chip_count} more actions") } }
                </button>
            }
            if *picker_open {
                <ActionPicker onclose={
                    let picker_open = picker_open.clone();
                    let choose_ref = choose_ref.clone();
                    Callback::from(move |()| {
                        picker_open.set(false);
                        if let Some(b) = choose_ref.cast::<web_sys::HtmlElement>() {
                            let _ = b.focus();
                        }
                    })
                } />
            }
        </>
    };

    // Scenario-wide problems that are not about one field or one policy.
    let others = diagnostics
        .iter()
        .filter(|d| field_of(d).is_none() && d.policy.is_none() && d.code != "empty-policy-name")
        .map(|d| html! { <li class="field-problem">{ &d.message }</li> });
    html! {
        <section class="panel request" aria-labelledby="request-heading">
            <div class="panel__head">
                <h2 id="request-heading" class="panel__title">{ "Request" }</h2>
            </div>
            <div class="request__grid">
                { field("Principal", r.principal.clone(), Action::SetPrincipal, "principal",
                    "arn:aws:iam::111122223333:user/alice", quick, Some(RequestField::Principal),
                    more_rows(RequestField::Principal, "Principal", "+ Add principal", "principal-more")) }
                { field("Action", r.action.clone(), Action::SetAction, "action",
                    "s3:GetObject", choose, Some(RequestField::Action), more_actions) }
                { field("Resource", r.resource.clone(), Action::SetResource, "resource",
                    "arn:aws:s3:::examplebucket/report.csv", Html::default(), Some(RequestField::Resource),
                    more_rows(RequestField::Resource, "Resource", "+ Add resource", "resource-more")) }
                { field("Resource account", r.resource_account.clone(), Action::SetResourceAccount,
                    "resource-account", "optional: 12-digit id of the resource's owner", Html::default(),
                    None, Html::default()) }
            </div>
            { matrix_summary(&app, catalog.as_deref()) }
            <ul class="field-problems">{ for others }</ul>
            { principal_tags(&app) }
            <ContextTable view={props.view.clone()} />
        </section>
    }
}

/// The size of the panel's matrix, in a live region (empty for a single
/// request, so nothing changes for it), and the way back to one request.
fn matrix_summary(app: &crate::app::AppHandle, catalog: Option<&iam_engine::Catalog>) -> Html {
    let r = &app.workspace.request;
    let matrix = r.is_matrix();
    let text = matrix.then(|| {
        let actions = r.values(RequestField::Action);
        let wildcards = actions
            .iter()
            .any(|a| iam_engine::scenario::is_wildcard_action(a));
        let action_count: usize = match catalog {
            Some(c) if wildcards => actions
                .iter()
                .map(|a| {
                    if iam_engine::scenario::is_wildcard_action(a) {
                        wildcard_count(c, a)
                    } else {
                        1
                    }
                })
                .sum(),
            _ => actions.len(),
        };
        let resources = r.values(RequestField::Resource).len();
        let principals = r.values(RequestField::Principal).len();
        let total = action_count * resources * principals;
        let plural =
            |n: usize, one: &'static str, many: &'static str| if n == 1 { one } else { many };
        format!(
            "{total} {}: {action_count} {} × {resources} {} × {principals} {}{}",
            plural(total, "request", "requests"),
            plural(action_count, "action", "actions"),
            plural(resources, "resource", "resources"),
            plural(principals, "principal", "principals"),
            if wildcards && catalog.is_none() {
                ", before wildcards expand"
            } else {
                ""
            }
        )
    });
    let onsingle = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            for field in [
                RequestField::Principal,
                RequestField::Action,
                RequestField::Resource,
            ] {
                let first = app
                    .workspace
                    .request
                    .values(field)
                    .first()
                    .map_or_else(String::new, |v| (*v).to_owned());
                app.dispatch(Action::SetRequestRows(field, vec![first]));
            }
        })
    };
    html! {
        <div class={classes!("request__summary", matrix.then_some("request__summary--matrix"))}>
            <p class="request__count" role="status" data-testid="request-count">{ text.unwrap_or_default() }</p>
            if matrix {
                <button type="button" class="btn btn--small" onclick={onsingle} data-testid="single-request">
                    { "Keep only the first of each" }
                </button>
            }
        </div>
    }
}

/// Pasting several lines into row `index` of `field` puts one value per
/// line in rows from there on.
fn paste_handler(
    app: &crate::app::AppHandle,
    field: RequestField,
    index: usize,
) -> Callback<Event> {
    let app = app.clone();
    Callback::from(move |e: Event| {
        let Some(text) = e
            .dyn_ref::<web_sys::ClipboardEvent>()
            .and_then(|e| e.clipboard_data())
            .and_then(|d| d.get_data("text").ok())
        else {
            return;
        };
        if !text.trim().contains('\n') {
            return;
        }
        e.prevent_default();
        let rows: Vec<&str> = app.workspace.request.rows(field).collect();
        app.dispatch(Action::SetRequestRows(
            field,
            crate::request_list::paste_rows(&rows, index, &text),
        ));
    })
}

/// Focuses the last row `[data-testid=testid]` once it is rendered.
fn focus_last_later(testid: &'static str) {
    gloo::timers::callback::Timeout::new(0, move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let selector = format!("[data-testid={testid}]");
        let Ok(rows) = document.query_selector_all(&selector) else {
            return;
        };
        if let Some(last) = rows
            .item(rows.length().saturating_sub(1))
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = last.focus();
        }
    })
    .forget();
}

/// The principals' tags (from an imported account), each shown as the
/// `aws:PrincipalTag/…` key the engine derives from it; removable. With
/// several principals, under each tagged principal.
fn principal_tags(app: &crate::app::AppHandle) -> Html {
    let r = &app.workspace.request;
    let principals = r.values(RequestField::Principal);
    let several = principals.len() > 1;
    let groups = principals.iter().filter(|p| !r.tags_of(p).is_empty()).map(|&principal| {
        let tags = r.tags_of(principal);
        let rows = tags.iter().enumerate().map(|(i, (key, value))| {
            let app = app.clone();
            let principal = principal.to_owned();
            let rest: Vec<(String, String)> = tags
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, t)| t.clone())
                .collect();
            let onremove = Callback::from(move |_: MouseEvent| {
                app.dispatch(Action::SetPrincipalTags(principal.clone(), rest.clone()))
            });
            html! {
                <li class="principal-tag" data-testid="principal-tag">
                    <code>{ format!("aws:PrincipalTag/{key}") }</code>
                    <span>{ " = " }</span>
                    <code>{ value }</code>
                    <span class="derived-badge" title="Derived by the engine from the principal's tags; a context row with the same key wins">{ "derived" }</span>
                    <button type="button" class="icon-btn" aria-label={format!("Remove the tag {key}")} onclick={onremove}>{ "×" }</button>
                </li>
            }
        });
        html! {
            <>
                if several {
                    <p class="principal-tags__who" data-testid="principal-tags-of"><code>{ principal }</code></p>
                }
                <ul class="principal-tags__list">{ for rows }</ul>
            </>
        }
    }).collect::<Html>();
    if principals.iter().all(|p| r.tags_of(p).is_empty()) {
        return Html::default();
    }
    html! {
        <div class="principal-tags" data-testid="principal-tags">
            <h3 class="principal-tags__title">{ "Principal tags" }</h3>
            <p class="principal-tags__note">{ "From the imported account: the engine derives these context keys from the principal's tags." }</p>
            { groups }
        </div>
    }
}

/// The message without the field name the engine puts first
/// (`request action: …`), since it is shown next to the field.
fn request_message(d: &Diagnostic) -> String {
    let m = d.message.as_str();
    [
        "request principal: ",
        "request action: ",
        "request resource: ",
        "request resource_account: ",
    ]
    .iter()
    .find_map(|prefix| m.strip_prefix(prefix))
    .unwrap_or(m)
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_keep_the_account() {
        assert_eq!(
            principal_template("user", "arn:aws:iam::444455556666:role/x").as_deref(),
            Some("arn:aws:iam::444455556666:user/alice")
        );
        assert_eq!(
            principal_template("root", "").as_deref(),
            Some("arn:aws:iam::111122223333:root")
        );
        assert_eq!(principal_template("anonymous", "").as_deref(), Some("*"));
        assert!(principal_template("nope", "").is_none());
        // Every template is a principal the engine reads.
        for (choice, _) in PRINCIPAL_CHOICES {
            let p = principal_template(choice, "").unwrap();
            assert!(
                iam_engine::request::Principal::parse(&p).is_ok(),
                "{choice}: {p}"
            );
        }
    }
}
