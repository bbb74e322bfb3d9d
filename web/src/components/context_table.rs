//! The request's context keys: a table of rows (key, kind, value), key
//! autocompletion, and the keys the policies reference but the request
//! lacks, each added with one click.

use std::rc::Rc;

use iam_engine::condition::{is_multivalued_key, GLOBAL_CONDITION_KEYS, TAG_KEY_FAMILIES};
use iam_engine::request::key_spaces_warning;
use iam_engine::source::Span;
use yew::prelude::*;

use super::use_app;
use crate::app::AppHandle;
use crate::editor::tokens::{tokenize, TokenKind};
use crate::state::{Action, EvalView};
use crate::workspace::{ContextKind, ContextRow};

/// The id of the `<datalist>` of key names.
pub const KEY_LIST_ID: &str = "context-key-names";

/// The kind and a starting value for a new row for `key`.
pub fn default_for(key: &str) -> (ContextKind, &'static str) {
    let lower = key.to_ascii_lowercase();
    let bools = [
        "aws:multifactorauthpresent",
        "aws:securetransport",
        "aws:viaawsservice",
        "aws:principalisawsservice",
        "aws:isMcpServiceAction",
    ];
    if bools.iter().any(|b| b.eq_ignore_ascii_case(&lower)) {
        return (ContextKind::Bool, "true");
    }
    if lower.ends_with("age") && lower.starts_with("aws:") {
        return (ContextKind::Number, "300");
    }
    if is_multivalued_key(key) || lower.ends_with("keys") {
        return (ContextKind::List, "");
    }
    let value = match lower.as_str() {
        "aws:sourceip" => "203.0.113.10",
        "aws:requestedregion" => "us-east-1",
        "aws:currenttime" => "2026-01-15T12:00:00Z",
        "aws:epochtime" => "1768478400",
        _ => "",
    };
    if lower == "aws:epochtime" {
        return (ContextKind::Number, value);
    }
    (ContextKind::String, value)
}

/// The condition keys the policy texts `texts` mention (object keys with
/// a `:`, which in a policy are only condition keys), in order, without
/// duplicates.
pub fn referenced_keys(texts: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in texts {
        for t in tokenize(text) {
            if t.kind != TokenKind::Key {
                continue;
            }
            let Some(raw) = text.get(t.start + 1..t.end.saturating_sub(1)) else {
                continue;
            };
            if raw.contains(':')
                && !raw.contains(['"', '\\', ' '])
                && !out.iter().any(|k| k.eq_ignore_ascii_case(raw))
            {
                out.push(raw.to_owned());
            }
        }
    }
    out
}

/// Properties of [`ContextTable`].
#[derive(Properties, PartialEq)]
pub struct ContextTableProps {
    /// The evaluation: bad rows and missing keys.
    pub view: Rc<EvalView>,
}

/// The context table.
#[component]
pub fn ContextTable(props: &ContextTableProps) -> Html {
    let Some(app) = use_app() else {
        return Html::default();
    };
    let rows = &app.workspace.request.context;
    // Tokenizing every policy is linear in the text: after a pause in
    // typing when the policies are long.
    let texts: Vec<String> = app
        .workspace
        .policies
        .iter()
        .map(|p| p.text.clone())
        .collect();
    let size = texts.iter().map(String::len).sum();
    let referenced = crate::live::use_deferred(texts, size, |texts| referenced_keys(texts));
    let mut names: Vec<&str> = referenced.iter().map(String::as_str).collect();
    names.extend(
        GLOBAL_CONDITION_KEYS
            .iter()
            .chain(TAG_KEY_FAMILIES.iter())
            .copied()
            .filter(|g| !referenced.iter().any(|r| r.eq_ignore_ascii_case(g))),
    );

    let body = rows.iter().map(|row| {
        let error = props
            .view
            .bad_rows
            .iter()
            .find(|(id, _)| *id == row.id)
            .map(|(_, m)| m.clone());
        html! { <key={row.id}>{ context_row(&app, &ContextRowProps { row: row.clone(), error }) }</> }
    });
    let onadd = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            app.dispatch(Action::AddContextRow {
                key: String::new(),
                kind: ContextKind::String,
                value: String::new(),
            });
        })
    };
    let missing: Vec<String> = props
        .view
        .evaluation
        .as_ref()
        .map(|e| {
            e.missing_context_keys
                .iter()
                .map(|m| m.key.to_string())
                .collect()
        })
        .unwrap_or_default();
    let missing_list = missing.iter().map(|key| {
        let onclick = {
            let app = app.clone();
            let key = key.clone();
            Callback::from(move |_: MouseEvent| {
                let (kind, value) = default_for(&key);
                app.dispatch(Action::AddContextRow {
                    key: key.clone(),
                    kind,
                    value: value.to_owned(),
                });
            })
        };
        html! {
            <li>
                <button type="button" class="key-chip" data-testid="missing-key" data-key={key.clone()}
                    aria-label={format!("Add context key {key}")} {onclick}>
                    <span aria-hidden="true">{ "+ " }</span>{ key }
                </button>
            </li>
        }
    });

    html! {
        <div class="context">
            <div class="context__head">
                <h3 class="subhead" id="context-heading">{ "Context keys" }</h3>
                <button type="button" class="btn btn--small" data-testid="add-context-row" onclick={onadd}>
                    { "+ Add key" }
                </button>
            </div>
            if rows.is_empty() {
                <p class="empty-note">{ "No context keys. Keys such as aws:SourceIp or aws:PrincipalTag/team describe the request for conditions." }</p>
            } else {
                <div class="context__table" role="table" aria-labelledby="context-heading">
                    <div class="context__row context__row--head" role="row">
                        <span role="columnheader">{ "Key" }</span>
                        <span role="columnheader">{ "Type" }</span>
                        <span role="columnheader">{ "Value" }</span>
                        <span role="columnheader"><span class="visually-hidden">{ "Remove" }</span></span>
                    </div>
                    { for body }
                </div>
            }
            if !missing.is_empty() {
                <div class="missing" data-testid="missing-keys">
                    <p class="missing__title">{ "Referenced by the policies but not in the request:" }</p>
                    <ul class="missing__list">{ for missing_list }</ul>
                </div>
            }
            <datalist id={KEY_LIST_ID}>
                { for names.iter().map(|n| html! { <option value={n.to_string()} /> }) }
            </datalist>
            <datalist id="bool-values"><option value="true" /><option value="false" /></datalist>
        </div>
    }
}

/// Properties of [`context_row`].
#[derive(Properties, PartialEq)]
struct ContextRowProps {
    row: ContextRow,
    error: Option<String>,
}

/// One row of the context table. A plain function of the table (which
/// redraws with every change of the app's state anyway), keyed by it.
fn context_row(app: &AppHandle, props: &ContextRowProps) -> Html {
    let app = app.clone();
    let row = &props.row;
    let id = row.id;
    let update = |f: fn(&mut ContextRow, String)| {
        let app = app.clone();
        let row = row.clone();
        move |value: String| {
            let mut next = row.clone();
            f(&mut next, value);
            app.dispatch(Action::UpdateContextRow(next));
        }
    };
    let onkey = {
        let set = update(|r, v| r.key = v);
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                set(t.value());
            }
        })
    };
    let onvalue = {
        let set = update(|r, v| r.value = v);
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                set(t.value());
            }
        })
    };
    let onkind = {
        let set = update(|r, v| {
            if let Some(k) = ContextKind::parse(&v) {
                r.kind = k;
            }
        });
        Callback::from(move |e: Event| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                set(t.value());
            }
        })
    };
    let onremove = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| app.dispatch(Action::RemoveContextRow(id)))
    };
    let error_id = format!("context-error-{id}");
    let warning_id = format!("context-key-warning-{id}");
    // The engine's own warning, so the app, the CLI and JavaScript say the
    // same thing and read the key the same way (without the spaces).
    let key_warning = key_spaces_warning(&row.key, Span::default());
    let placeholder = match row.kind {
        ContextKind::String => "value",
        ContextKind::Number => "e.g. 3600",
        ContextKind::Bool => "true or false",
        ContextKind::List => "a, b, c",
    };
    let name = if row.key.is_empty() {
        "new key".to_owned()
    } else {
        row.key.clone()
    };
    html! {
        <div class={classes!("context__row", props.error.is_some().then_some("context__row--bad"))}
            role="row" data-testid="context-row" data-key={row.key.clone()}>
            <span role="cell">
                <input class="input input--small input--mono" type="text" spellcheck="false" autocomplete="off"
                    list={KEY_LIST_ID} placeholder="aws:SourceIp" aria-label="Context key"
                    aria-describedby={key_warning.is_some().then(|| warning_id.clone())}
                    value={row.key.clone()} oninput={onkey} data-testid="context-key" />
                if let Some(warning) = &key_warning {
                    <span id={warning_id} class="field-problem context__error context__warning" data-testid="context-key-warning">
                        { &warning.message }
                        if let Some(help) = &warning.help {
                            <span class="field-problem__help">{ format!(" ({help})") }</span>
                        }
                    </span>
                }
            </span>
            <span role="cell">
                <select class="select select--small" aria-label={format!("Type of {name}")}
                    onchange={onkind} data-testid="context-kind">
                    { for ContextKind::ALL.iter().map(|k| html! {
                        <option value={k.label()} selected={*k == row.kind}>{ k.label() }</option>
                    }) }
                </select>
            </span>
            <span role="cell">
                <input class="input input--small input--mono" type="text" spellcheck="false" autocomplete="off"
                    {placeholder} aria-label={format!("Value of {name}")}
                    list={(row.kind == ContextKind::Bool).then_some("bool-values")}
                    aria-invalid={props.error.is_some().to_string()}
                    aria-describedby={props.error.is_some().then(|| error_id.clone())}
                    value={row.value.clone()} oninput={onvalue} data-testid="context-value" />
                if let Some(error) = &props.error {
                    <span id={error_id} class="field-problem context__error" data-testid="context-row-error">{ error }</span>
                }
            </span>
            <span role="cell">
                <button type="button" class="icon-btn icon-btn--danger" aria-label={format!("Remove {name}")}
                    title="Remove" data-testid="remove-context-row" onclick={onremove}>
                    <svg class="icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                        <path d="M4 4l8 8M12 4l-8 8" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" />
                    </svg>
                </button>
            </span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_the_key() {
        assert_eq!(
            default_for("aws:MultiFactorAuthPresent").0,
            ContextKind::Bool
        );
        assert_eq!(default_for("aws:SecureTransport").0, ContextKind::Bool);
        assert_eq!(default_for("aws:MultiFactorAuthAge").0, ContextKind::Number);
        assert_eq!(default_for("aws:TagKeys").0, ContextKind::List);
        assert_eq!(default_for("aws:PrincipalOrgPaths").0, ContextKind::List);
        assert_eq!(
            default_for("aws:SourceIp"),
            (ContextKind::String, "203.0.113.10")
        );
        assert_eq!(default_for("s3:prefix").0, ContextKind::String);
    }

    #[test]
    fn referenced_keys_are_condition_keys() {
        let mut ws = crate::workspace::Workspace::default();
        ws.policies.push(crate::workspace::PolicyDraft {
            id: 1,
            name: "P".into(),
            policy_type: iam_engine::PolicyType::Identity,
            level: String::new(),
            account: String::new(),
            text: r#"{"Statement": [{"Principal": {"AWS": "arn:aws:iam::1:root"}, "Condition": {"StringEquals": {"aws:PrincipalTag/team": "a", "s3:prefix": "x"}, "Bool": {"aws:SecureTransport": "true", "AWS:securetransport": "1"}}}]}"#.into(),
            collapsed: false,
            enabled: true,
            origin: None,
        });
        let texts: Vec<String> = ws.policies.iter().map(|p| p.text.clone()).collect();
        assert_eq!(
            referenced_keys(&texts),
            vec!["aws:PrincipalTag/team", "s3:prefix", "aws:SecureTransport"]
        );
    }
}
