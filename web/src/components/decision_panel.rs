//! The decision and its explanation.

use std::rc::Rc;

use iam_engine::explain::{Note, NoteKind};
use iam_engine::{Decision, Evaluation};
use yew::prelude::*;

use super::explanation::Explanation;
use super::use_app;
use crate::flow_diagram::decision_label;
use crate::state::EvalView;

/// Properties of [`DecisionPanel`].
#[derive(Properties, PartialEq)]
pub struct DecisionPanelProps {
    /// The evaluation of the current workspace.
    pub view: Rc<EvalView>,
}

/// The decision region: a large badge (`data-testid="decision"`, an
/// `aria-live` region so screen readers announce new decisions), the
/// summary, and the explanation. While the scenario has errors it says
/// "No decision" and keeps the last explanation, greyed, in place.
#[component]
pub fn DecisionPanel(props: &DecisionPanelProps) -> Html {
    let view = &props.view;
    // The last evaluation, and the title of the scenario it belongs to: a
    // scenario loaded in its place (example, import, link) does not show
    // another scenario's decision as its own.
    let app = use_app();
    let title = app.as_ref().map(|a| a.workspace.name.clone());
    let last = use_mut_ref(|| None::<(Option<Option<String>>, Rc<Evaluation>)>);
    if let Some(e) = &view.evaluation {
        *last.borrow_mut() = Some((title.clone(), e.clone()));
    }
    let shown: Option<Rc<Evaluation>> = view.evaluation.clone().or_else(|| {
        last.borrow()
            .as_ref()
            .filter(|(t, _)| *t == title)
            .map(|(_, e)| e.clone())
    });
    let stale = view.evaluation.is_none();
    let errors = view.error_count();

    let fix = match errors {
        0 => "The scenario cannot be evaluated yet.".to_owned(),
        1 => "Fix the problem in the policies or the request.".to_owned(),
        n => format!("Fix the {n} problems in the policies or the request."),
    };
    let (class, label, meta, summary) = match (&view.evaluation, &shown) {
        (Some(e), _) => (
            super::explanation::view::decision_class(e.decision),
            decision_label(e.decision).to_owned(),
            html! { decision_meta(e) },
            e.summary.clone(),
        ),
        // The last decision stays where it was, greyed, so nothing below
        // moves while a person is mid-edit.
        (None, Some(previous)) => (
            "none",
            "No decision".to_owned(),
            html! {
                <>
                    { fix }{ " " }
                    <span class="stale-tag">{ "Out of date" }</span>
                    { format!(" below: the last decision, {}.", decision_label(previous.decision)) }
                </>
            },
            previous.summary.clone(),
        ),
        (None, None) => (
            "none",
            "No decision".to_owned(),
            html! { fix },
            "The request is evaluated as soon as the policies and the request can be read."
                .to_owned(),
        ),
    };
    html! {
        <section class={classes!("panel", "decision", format!("decision--{class}"))} aria-labelledby="decision-heading">
            <h2 id="decision-heading" class="panel__title">{ "Decision" }</h2>
            <div class="verdict">
                <span class="verdict__icon" aria-hidden="true">{ icon(class) }</span>
                <div class="verdict__text">
                    <p class="verdict__label decision__badge" data-testid="decision" aria-live="polite">{ label }</p>
                    <p class="verdict__meta">{ meta }</p>
                </div>
                if errors > 0 {
                    <span class="verdict__count" title="Problems to fix">
                        { format!("{errors} {}", if errors == 1 { "problem" } else { "problems" }) }
                    </span>
                }
            </div>
            <p class={classes!("decision__summary", stale.then_some("decision__summary--stale"))} data-testid="summary">
                // Names and Sids with bidirectional controls read as written.
                { iam_engine::visible::show_controls(&summary).into_owned() }
            </p>
            if let Some(e) = shown.as_ref().filter(|e| !e.notes.is_empty()) {
                <ul class="notes" data-testid="notes" aria-label="Rules outside the policies">
                    { for e.notes.iter().map(note_item) }
                </ul>
            }
            if let Some(e) = shown {
                <Explanation evaluation={e} {stale} />
            }
        </section>
    }
}

/// One note: what kind of rule, what it says, and the AWS page.
fn note_item(note: &Note) -> Html {
    let (class, kind) = match note.kind {
        NoteKind::ServiceRule if note.decisive => ("service", "Service rule: decides"),
        NoteKind::ServiceRule => ("service", "Service rule"),
        NoteKind::Undocumented => ("undocumented", "Not documented by AWS"),
        NoteKind::LanguageRule => ("language", "Policy language"),
    };
    html! {
        <li class={classes!("note", format!("note--{class}"))} data-code={note.code}>
            <span class={classes!("chip", note.decisive.then_some("chip--decisive"))}>{ kind }</span>
            { " " }
            <span class="note__message">{ super::explanation::rich(&note.message) }</span>
            <span class="note__source">{ note.source }</span>
        </li>
    }
}

fn decision_meta(e: &Evaluation) -> &'static str {
    if e.notes
        .iter()
        .any(|n| n.decisive && n.kind == NoteKind::ServiceRule)
    {
        return "A service rule decides this request, whatever the policies say.";
    }
    match e.decision {
        Decision::Allow => "An Allow applies and nothing denies the request.",
        Decision::ExplicitDeny => "A Deny statement matches; it overrides every Allow.",
        Decision::ImplicitDeny => "Nothing allows the request, so it is denied by default.",
    }
}

/// The badge's icon: a tick in a circle (allow), a cross in an octagon
/// (explicit deny), a barred circle (implicit deny), a warning triangle (no
/// decision). Shape and text carry the meaning, not colour alone.
fn icon(class: &str) -> Html {
    let shape = match class {
        "allow" => html! {
            <>
                <circle cx="16" cy="16" r="13" />
                <path d="M9.5 16.5l4.5 4.5 8.5-9" />
            </>
        },
        "explicit-deny" => html! {
            <>
                <path d="M11 3h10l8 8v10l-8 8H11l-8-8V11z" />
                <path d="M11.5 11.5l9 9M20.5 11.5l-9 9" />
            </>
        },
        "implicit-deny" => html! {
            <>
                <circle cx="16" cy="16" r="13" />
                <path d="M7 25L25 7" />
            </>
        },
        _ => html! {
            <>
                <path d="M16 3.5L29.5 27.5h-27z" />
                <path d="M16 12v7M16 22.5v.5" />
            </>
        },
    };
    html! {
        <svg viewBox="0 0 32 32" width="40" height="40" focusable="false">{ shape }</svg>
    }
}
