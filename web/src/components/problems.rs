//! A policy's problems list: each finding (parser diagnostics and
//! validation, [`crate::findings`]) with its severity as an icon and a word,
//! its line and column (clicking puts the caret there), message, help,
//! stable code and Access Analyzer issue code, a "learn more" link, and a
//! quick-fix button when the finding has a fix.

use std::rc::Rc;

use iam_engine::{Diagnostic, Fix};
use yew::prelude::*;

use super::policy_editor::{focus_at, replace_text};
use crate::app::AppHandle;
use crate::findings;
use crate::state::Action;

/// Properties of [`problems`].
#[derive(Properties, PartialEq)]
pub struct ProblemsProps {
    /// The policy draft id the diagnostics point into.
    pub id: u32,
    /// The policy's text (the one the findings are about).
    pub text: AttrValue,
    /// The findings.
    pub diagnostics: Rc<Vec<Diagnostic>>,
    /// Read-only (the embedded view): no editor to put the caret in, no
    /// quick fixes.
    #[prop_or_default]
    pub read_only: bool,
}

/// Text parts ([`findings::code_parts`]) with the code ones in `<code>`.
fn with_code(parts: Vec<(bool, String)>) -> Html {
    parts
        .into_iter()
        .map(|(code, s)| {
            if code {
                html! { <code>{ s }</code> }
            } else {
                html! { { s } }
            }
        })
        .collect()
}

/// Properties of [`quick_fix`].
#[derive(Properties, PartialEq)]
struct QuickFixProps {
    id: u32,
    text: AttrValue,
    fix: Fix,
    /// Where the finding is, for the button's accessible name.
    line: u32,
    column: u32,
}

/// A quick fix's button: applies the edits through the editor, so Undo
/// reverts them.
fn quick_fix(props: &QuickFixProps) -> Html {
    let onclick = {
        let (id, text, fix) = (props.id, props.text.clone(), props.fix.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some((fixed, caret)) = findings::apply_fix(&text, &fix) {
                replace_text(id, &fixed, caret);
            }
        })
    };
    let title = findings::plain_title(&props.fix.title);
    let label = format!(
        "Quick fix for the problem at line {}, column {}: {title}",
        props.line, props.column
    );
    let parts = findings::title_parts(&props.fix.title);
    html! {
        <button type="button" class="btn btn--small problem__fix" data-testid="quick-fix"
            aria-label={label} title={title} {onclick}>
            { with_code(parts) }
        </button>
    }
}

/// The problems of one policy (`data-testid="problems"`), most serious
/// first. A plain function of its card (which redraws with every change
/// of the app's state anyway): a component of its own cost about 0.5 KB of
/// the module.
pub fn problems(app: Option<AppHandle>, props: &ProblemsProps) -> Html {
    if props.diagnostics.is_empty() {
        return html! {
            <ul class="problems problems--empty" data-testid="problems" aria-label="Problems"></ul>
        };
    }
    let id = props.id;
    let items = findings::list_order(&props.diagnostics).into_iter().map(|d| {
        let byte = d.span.start as usize;
        let onclick = {
            let app = app.clone();
            Callback::from(move |_: MouseEvent| {
                focus_at(id, byte);
                if let Some(app) = &app {
                    app.dispatch(Action::Caret(Some((id, byte))));
                }
            })
        };
        let look = findings::look(d.severity);
        let class = format!("problem problem--{}", look.class);
        let learn_more = d.learn_more.as_ref().map(|href| {
            let label = format!("Learn more about {} (opens in a new tab)", d.aws_issue_code.unwrap_or(d.code));
            html! {
                <a class="problem__learn" data-testid="learn-more" href={href.clone()}
                    target="_blank" rel="noopener noreferrer" aria-label={label}>
                    { "Learn more" }<span aria-hidden="true">{ " \u{2197}" }</span>
                </a>
            }
        });
        let fix = d.fix.as_deref().filter(|_| !props.read_only).map(|fix| {
            html! {
                { quick_fix(&QuickFixProps { id, text: props.text.clone(), fix: fix.clone(), line: d.line, column: d.column }) }
            }
        });
        html! {
            <li {class} data-testid="problem" data-line={d.line.to_string()}
                data-column={d.column.to_string()} data-code={d.code}
                data-severity={d.severity.as_str()}
                data-aws-code={d.aws_issue_code.unwrap_or_default()}>
                <button type="button" class="problem__go" disabled={props.read_only}
                    title={(!props.read_only).then_some("Put the caret at this problem")} {onclick}>
                    <span class="problem__icon" aria-hidden="true"></span>
                    <span class="problem__where">
                        // (The request's problems have no line.)
                        if d.line > 0 { { format!("{}:{}", d.line, d.column) } }
                    </span>
                    <span class="problem__text">
                        <span class="problem__severity">{ look.label }</span>
                        <span class="visually-hidden">{ ": " }</span>
                        <span class="problem__message">{ with_code(findings::code_parts(&d.message)) }</span>
                        if let Some(help) = &d.help {
                            <span class="problem__help">{ with_code(findings::code_parts(help)) }</span>
                        }
                    </span>
                </button>
                <div class="problem__more">
                    <code class="problem__code" data-testid="problem-code" title="Finding code">{ d.code }</code>
                    if let Some(aws) = d.aws_issue_code {
                        <code class="problem__code problem__code--aws"
                            title="IAM Access Analyzer issue code">{ aws }</code>
                    }
                    { learn_more }
                    { fix }
                </div>
            </li>
        }
    });
    html! {
        <ul class="problems" data-testid="problems" aria-label="Problems">{ for items }</ul>
    }
}
