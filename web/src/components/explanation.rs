//! The step-by-step explanation under the decision: the flow diagram, the
//! step control, the two sides of a cross-account request, and every step
//! with its policies, statements and elements.
//!
//! Hovering or focusing a statement, element, pattern or condition
//! highlights its text in the editor ([`Action::Highlight`]); the caret in
//! an editor marks the statement it is in ([`crate::state::AppState::caret`]).

mod cross_account;
mod diagram;
mod statement;
mod step;
pub mod view;

use std::collections::HashMap;
use std::rc::Rc;

use iam_engine::explain::Stage;
use iam_engine::source::Span;
use iam_engine::Evaluation;
use wasm_bindgen::JsCast;
use yew::prelude::*;

pub use cross_account::{cross_account, CrossAccountProps};
pub use diagram::{flow_diagram, FlowDiagramProps};
use step::StepItem;

use super::use_app;
use crate::flow_diagram;
use crate::state::{Action, Highlight};

/// Sends highlights to the editor. Stable across renders (the dispatcher
/// never changes), so it does not make children re-render.
#[derive(Clone, PartialEq)]
pub struct Highlighter {
    send: Callback<Option<Highlight>>,
}

/// The four event handlers that highlight one piece of text.
pub struct HoverHandlers {
    /// `onmouseenter`.
    pub enter: Callback<MouseEvent>,
    /// `onmouseleave`.
    pub leave: Callback<MouseEvent>,
    /// `onfocus`.
    pub focus: Callback<FocusEvent>,
    /// `onblur`.
    pub blur: Callback<FocusEvent>,
}

impl Highlighter {
    /// Handlers that highlight `span` of draft `policy_id` while hovered or
    /// focused, and go back to `parent` (or nothing) after. With no draft
    /// (an out-of-date explanation) they do nothing.
    pub fn handlers(
        &self,
        policy_id: Option<u32>,
        span: Span,
        parent: Option<Span>,
    ) -> HoverHandlers {
        let make = |target: Option<Span>| {
            let send = self.send.clone();
            move || {
                if let Some(policy_id) = policy_id {
                    send.emit(target.map(|span| Highlight { policy_id, span }));
                }
            }
        };
        let enter = make(Some(span));
        let leave = make(parent);
        let focus = make(Some(span));
        let blur = make(None);
        HoverHandlers {
            enter: Callback::from(move |_| enter()),
            // Leaving with the pointer keeps the highlight of something
            // focused (selected) inside.
            leave: Callback::from(move |e: MouseEvent| {
                let focused_inside = e
                    .current_target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .zip(gloo::utils::document().active_element())
                    .is_some_and(|(el, active)| el.contains(Some(&active)));
                if !focused_inside {
                    leave();
                }
            }),
            focus: Callback::from(move |_| focus()),
            blur: Callback::from(move |_| blur()),
        }
    }
}

/// Which steps and statements are open, beyond their defaults.
pub type OpenMap = Rc<HashMap<String, bool>>;

/// Properties of [`Explanation`].
#[derive(Properties)]
pub struct ExplanationProps {
    /// The evaluation to explain.
    pub evaluation: Rc<Evaluation>,
    /// Whether it is out of date (the scenario now has errors): drawn
    /// greyed, and not linked to the editors.
    #[prop_or_default]
    pub stale: bool,
}

impl PartialEq for ExplanationProps {
    /// The evaluation compares by identity (the live view keeps one per
    /// result): comparing a large evaluation's whole trace on every render
    /// (each keystroke) cost more than drawing it again.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.evaluation, &other.evaluation) && self.stale == other.stale
    }
}

/// The explanation of one evaluation.
#[component]
pub fn Explanation(props: &ExplanationProps) -> Html {
    let app = use_app();
    let send = use_memo((), {
        let dispatcher = app.as_ref().map(|a| a.dispatcher());
        move |_| {
            Callback::from(move |h: Option<Highlight>| {
                if let Some(d) = &dispatcher {
                    d.dispatch(Action::Highlight(h));
                }
            })
        }
    });
    let highlighter = Highlighter {
        send: (*send).clone(),
    };
    // The walk: `None` shows everything; `Some(k)` shows stages 0..=k and,
    // at k = steps.len(), the decision.
    let revealed = use_state(|| None::<usize>);
    let open = use_state(OpenMap::default);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |(key, value): (String, bool)| {
            let mut map = (**open).clone();
            map.insert(key, value);
            open.set(Rc::new(map));
        })
    };

    let evaluation = &props.evaluation;
    let steps = &evaluation.steps;
    let last = steps.len();
    let revealed_at = (*revealed).map(|k| k.min(last));
    let layout = Rc::new(flow_diagram::layout(
        steps,
        evaluation.decision,
        revealed_at,
    ));

    let drafts = app
        .as_ref()
        .map(|a| a.workspace.policies.clone())
        .unwrap_or_default();
    let draft_ids: Rc<Vec<Option<u32>>> = Rc::new(
        (0..evaluation.policies.len())
            .map(|i| {
                if props.stale {
                    None
                } else {
                    view::draft_id(&drafts, evaluation, i)
                }
            })
            .collect(),
    );
    let caret = if props.stale {
        None
    } else {
        app.as_ref()
            .and_then(|a| a.caret)
            .and_then(|c| view::statement_at_caret(&drafts, evaluation, c))
    };

    let stepper = {
        let set = |value: Option<usize>| {
            let revealed = revealed.clone();
            Callback::from(move |_: MouseEvent| revealed.set(value))
        };
        // Buttons at the end of the walk are `aria-disabled` rather than
        // `disabled`, so keyboard focus stays on them.
        let at_start = revealed_at.is_none_or(|k| k == 0);
        let at_end = revealed_at.is_some_and(|k| k >= last);
        let prev = set(revealed_at.map(|k| k.saturating_sub(1)));
        let next = set(Some(revealed_at.map_or(0, |k| (k + 1).min(last))));
        let all = set(None);
        let status = match revealed_at {
            None => "All steps shown".to_owned(),
            Some(k) if k >= last => format!("Step {} of {}: the decision", last + 1, last + 1),
            Some(k) => format!(
                "Step {} of {}: {}",
                k + 1,
                last + 1,
                steps
                    .get(k)
                    .map_or("", |s| flow_diagram::stage_short_title(s.stage))
            ),
        };
        html! {
            <div class="stepper" role="group" aria-label="Walk through the evaluation one step at a time">
                <button type="button" class="stepper__btn" data-testid="step-prev"
                    aria-disabled={if at_start { "true" } else { "false" }} onclick={prev}>
                    <span aria-hidden="true">{ "← " }</span>{ "Previous" }
                </button>
                <button type="button" class="stepper__btn" data-testid="step-next"
                    aria-disabled={if at_end { "true" } else { "false" }} onclick={next}>
                    { "Next" }<span aria-hidden="true">{ " →" }</span>
                </button>
                <button type="button" class="stepper__btn" data-testid="step-all"
                    aria-pressed={if revealed_at.is_none() { "true" } else { "false" }}
                    onclick={all}>
                    { "Show all" }
                </button>
                <span class="stepper__status" aria-live="polite">{ status }</span>
            </div>
        }
    };

    let items = steps
        .iter()
        .enumerate()
        .filter(|(i, _)| revealed_at.is_none_or(|k| *i <= k))
        .map(|(i, step)| {
            let caret_here = caret
                .as_ref()
                .filter(|(stage, _)| *stage == step.stage)
                .map(|(_, at)| at.clone());
            html! {
                <StepItem
                    key={view::stage_slug(step.stage)}
                    number={i + 1}
                    evaluation={evaluation.clone()}
                    step_index={i}
                    current={revealed_at == Some(i)}
                    open={(*open).clone()}
                    ontoggle={ontoggle.clone()}
                    highlighter={highlighter.clone()}
                    draft_ids={draft_ids.clone()}
                    caret={caret_here}
                />
            }
        });

    // Clicking a box in the diagram opens its step and brings it into view.
    let onselect_stage = {
        let ontoggle = ontoggle.clone();
        let stages: Vec<Stage> = steps.iter().map(|s| s.stage).collect();
        Callback::from(move |index: usize| {
            let Some(stage) = stages.get(index).copied() else {
                return;
            };
            ontoggle.emit((step_key(stage), true));
            let selector = format!("[data-testid=step][data-stage={}]", view::stage_slug(stage));
            // After the step has opened.
            gloo::timers::callback::Timeout::new(0, move || {
                if let Ok(Some(el)) = gloo::utils::document().query_selector(&selector) {
                    let options = web_sys::ScrollIntoViewOptions::new();
                    options.set_block(web_sys::ScrollLogicalPosition::Start);
                    el.scroll_into_view_with_scroll_into_view_options(&options);
                }
            })
            .forget();
        })
    };
    let missing = evaluation.missing_context_keys.len();
    html! {
        <div class={classes!("explain", props.stale.then_some("explain--stale"))} aria-label="Explanation">
            if evaluation.cross_account.is_some() {
                { cross_account(&CrossAccountProps { evaluation: evaluation.clone(), highlighter: highlighter.clone(), draft_ids: draft_ids.clone() }) }
            }
            if missing > 0 {
                <p class="explain__note">
                    { format!("The policies use {missing} condition key{} the request does not give; ", if missing == 1 { "" } else { "s" }) }
                    <button type="button" class="explain__link" onclick={Callback::from(|_: MouseEvent| show_missing_keys())}>
                        { "add them in the request" }
                    </button>
                    { " to see how they change the decision." }
                </p>
            }
            { stepper }
            <div class="explain__grid">
                <div class="explain__diagram">
                    { flow_diagram(&FlowDiagramProps { layout, decision: evaluation.decision, onselect: onselect_stage }) }
                </div>
                <ol class="steps" aria-label="Evaluation steps">
                    { for items }
                </ol>
            </div>
        </div>
    }
}

/// Scrolls to the request form's list of missing keys (or the request
/// form) and focuses its first key, without touching the URL fragment.
fn show_missing_keys() {
    let document = gloo::utils::document();
    let target = document
        .query_selector("[data-testid=missing-key]")
        .ok()
        .flatten()
        .or_else(|| document.get_element_by_id("context-heading"))
        .or_else(|| document.get_element_by_id("request-heading"));
    let Some(target) = target else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Center);
    target.scroll_into_view_with_scroll_into_view_options(&options);
    if let Ok(el) = target.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// Text with its `backtick` spans as `<code>`.
pub fn rich(text: &str) -> Html {
    html! {
        <>{ for view::code_spans(text).into_iter().map(|(t, code)| if code {
            html! { <code>{ t }</code> }
        } else {
            html! { { t } }
        }) }</>
    }
}

/// The stage slug, for keys of the open map.
pub fn step_key(stage: Stage) -> String {
    view::stage_slug(stage).to_owned()
}
