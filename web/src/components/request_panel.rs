//! The request form: principal (with quick choices), action, resource,
//! resource account, and the context table. Each field shows its own
//! problems next to it.

use std::rc::Rc;

use iam_engine::Diagnostic;
use yew::prelude::*;

use super::context_table::ContextTable;
use super::use_app;
use crate::state::{Action, EvalView};

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

/// Principal, action, resource and context of the request.
#[component]
pub fn RequestPanel(props: &RequestPanelProps) -> Html {
    let Some(app) = use_app() else {
        return Html::default();
    };
    let diagnostics = &props.view.request_diagnostics;
    let field = |label: &'static str,
                 value: String,
                 make: fn(String) -> Action,
                 testid: &'static str,
                 placeholder: &'static str,
                 extra: Html| {
        let app = app.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                app.dispatch(make(t.value()));
            }
        });
        let problems: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| field_of(d) == Some(testid))
            .collect();
        let input_id = format!("request-{testid}");
        let error_id = format!("request-{testid}-problem");
        html! {
            <div class="field">
                <label class="field__label" for={input_id.clone()}>{ label }</label>
                <div class="field__row">
                    <input id={input_id} class="input input--mono" type="text" spellcheck="false"
                        autocomplete="off" {value} {placeholder} {oninput} data-testid={testid}
                        aria-invalid={(!problems.is_empty()).to_string()}
                        aria-describedby={(!problems.is_empty()).then(|| error_id.clone())} />
                    { extra }
                </div>
                <div id={error_id} class="field__problems" aria-live="polite">
                    { for problems.iter().map(|d| html! {
                        <p class="field-problem" data-testid="request-problem" data-field={testid}>
                            { request_message(d) }
                            if let Some(h) = &d.help { <span class="field-problem__help">{ format!(" — {h}") }</span> }
                        </p>
                    }) }
                </div>
            </div>
        }
    };
    let r = &app.workspace.request;
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
                    "arn:aws:iam::111122223333:user/alice", quick) }
                { field("Action", r.action.clone(), Action::SetAction, "action",
                    "s3:GetObject", Html::default()) }
                { field("Resource", r.resource.clone(), Action::SetResource, "resource",
                    "arn:aws:s3:::examplebucket/report.csv", Html::default()) }
                { field("Resource account", r.resource_account.clone(), Action::SetResourceAccount,
                    "resource-account", "optional: 12-digit id of the resource's owner", Html::default()) }
            </div>
            <ul class="field-problems">{ for others }</ul>
            { principal_tags(&app) }
            <ContextTable view={props.view.clone()} />
        </section>
    }
}

/// The principal's tags (from an imported account), each shown as the
/// `aws:PrincipalTag/…` key the engine derives from it; removable.
fn principal_tags(app: &crate::app::AppHandle) -> Html {
    let tags = &app.workspace.request.principal_tags;
    if tags.is_empty() {
        return Html::default();
    }
    let rows = tags.iter().enumerate().map(|(i, (key, value))| {
        let app = app.clone();
        let rest: Vec<(String, String)> = tags
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, t)| t.clone())
            .collect();
        let onremove = Callback::from(move |_: MouseEvent| {
            app.dispatch(Action::SetPrincipalTags(rest.clone()))
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
        <div class="principal-tags" data-testid="principal-tags">
            <h3 class="principal-tags__title">{ "Principal tags" }</h3>
            <p class="principal-tags__note">{ "From the imported account: the engine derives these context keys from the principal's tags." }</p>
            <ul class="principal-tags__list">{ for rows }</ul>
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
