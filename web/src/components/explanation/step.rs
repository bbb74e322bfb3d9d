//! One step of the flow: its outcome, and when open, its policies and
//! statements.

use std::rc::Rc;

use iam_engine::explain::{Side, StatementRef};
use iam_engine::Evaluation;
use yew::prelude::*;

use super::statement::StatementRow;
use super::view::{self, StepPolicy};
use super::{step_key, Highlighter, OpenMap};
use crate::components::markup::{self as m, Attrs};
use crate::flow_diagram::{outcome_mark, outcome_short, stage_short_title};
use yew::virtual_dom::AttributeOrProperty;

/// Properties of [`StepItem`].
#[derive(Properties)]
pub struct StepItemProps {
    /// 1-based position in the flow.
    pub number: usize,
    /// The evaluation.
    pub evaluation: Rc<Evaluation>,
    /// Which step of it.
    pub step_index: usize,
    /// Whether the walk is at this step (opens it).
    pub current: bool,
    /// Open/closed overrides.
    pub open: OpenMap,
    /// Records an override.
    pub ontoggle: Callback<(String, bool)>,
    /// Sends highlights to the editor.
    pub highlighter: Highlighter,
    /// The draft id of each policy of the evaluation, when linked.
    pub draft_ids: Rc<Vec<Option<u32>>>,
    /// The statement holding the caret, when it is shown in this step.
    #[prop_or_default]
    pub caret: Option<StatementRef>,
}

impl PartialEq for StepItemProps {
    /// The evaluation compares by identity (the live view keeps one per
    /// result): comparing a large evaluation's whole trace on every render
    /// (each keystroke) cost more than drawing the step again.
    fn eq(&self, other: &Self) -> bool {
        self.number == other.number
            && Rc::ptr_eq(&self.evaluation, &other.evaluation)
            && self.step_index == other.step_index
            && self.current == other.current
            && self.open == other.open
            && self.ontoggle == other.ontoggle
            && self.highlighter == other.highlighter
            && self.draft_ids == other.draft_ids
            && self.caret == other.caret
    }
}

/// `<li data-testid="step">`.
#[component]
pub fn StepItem(props: &StepItemProps) -> Html {
    let Some(step) = props.evaluation.steps.get(props.step_index) else {
        return Html::default();
    };
    let key = step_key(step.stage);
    let open = props.current
        || props
            .open
            .get(&key)
            .copied()
            .unwrap_or_else(|| view::step_open_by_default(step));
    let onclick = {
        let ontoggle = props.ontoggle.clone();
        let key = key.clone();
        Callback::from(move |_: MouseEvent| ontoggle.emit((key.clone(), !open)))
    };
    let slug = view::stage_slug(step.stage);
    let body_id = format!("step-body-{slug}");
    let tone = view::outcome_tone(step.outcome);
    let side = step.side.map(|s| match s {
        Side::Principal => "principal's side",
        Side::Resource => "resource's side",
    });
    let body = open.then(|| {
        let policies = view::step_policies(&props.evaluation, step);
        let deny_stage = step.stage == iam_engine::explain::Stage::DenyEvaluation;
        let (quiet, shown): (Vec<&StepPolicy<'_>>, Vec<&StepPolicy<'_>>) = policies
            .iter()
            .partition(|p| deny_stage && p.statements.is_empty() && p.trace.applies);
        html! {
            <div class="step__body" id={body_id.clone()}>
                { m::p("step__detail", super::rich(&capitalise(&step.detail))) }
                if !step.levels.is_empty() {
                    <table class="levels">
                        { m::tag("caption", "visually-hidden", m::text("Organization levels")) }
                        { m::tag("thead", "", m::tag("tr", "", html! { <>
                            { m::el("th", COL, m::text("Level")) }{ m::el("th", COL, m::text("Policies")) }{ m::el("th", COL, m::text("Allows?")) }
                        </> })) }
                        <tbody>
                            { for step.levels.iter().map(|l| html! {
                                <tr class={if l.allowed { "levels__row levels__row--yes" } else { "levels__row levels__row--no" }}>
                                    { m::el("th", ROW, m::code("", m::string(l.level.to_string()))) }
                                    { m::tag("td", "", m::string(l.policies.join(", "))) }
                                    { m::tag("td", "", html! { <>
                                        { m::el("span", MARK, m::text(if l.allowed { "✓" } else { "✗" })) }
                                        { if l.allowed { " an Allow matches" } else { " no Allow matches" } }
                                    </> }) }
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
                { for shown.iter().map(|p| policy_block(props, p)) }
                if !quiet.is_empty() {
                    <p class="ptrace__note ptrace__note--muted">
                        { "No Deny statements in " }
                        { for quiet.iter().enumerate().map(|(i, p)| html! {
                            <>{ if i > 0 { ", " } else { "" } }{ m::code("", m::string(iam_engine::visible::show_controls(&p.trace.name).into_owned())) }</>
                        }) }
                        { "." }
                    </p>
                }
            </div>
        }
    });
    html! {
        <li data-testid="step" data-stage={slug}
            data-outcome={view::outcome_slug(step.outcome)}
            data-decisive={if step.decisive { "true" } else { "false" }}
            class={classes!(
                "step",
                format!("step--{tone}"),
                step.decisive.then_some("step--decisive"),
                props.current.then_some("step--current"),
                props.caret.is_some().then_some("step--has-caret"),
                format!("step--{}", crate::flow_diagram::node_state(step).class()),
            )}>
            <h3 class="step__heading">
                <button type="button" class="step__toggle"
                    aria-expanded={if open { "true" } else { "false" }}
                    aria-controls={open.then_some(body_id.clone())}
                    {onclick}>
                    { m::el("span", NUM, m::string(props.number.to_string())) }
                    { m::span("step__title", m::text(stage_short_title(step.stage))) }
                    <span class={format!("step__outcome tone--{tone}")}>
                        { m::el("span", MARK, m::text(outcome_mark(step.outcome))) }
                        { " " }{ outcome_short(step.outcome) }
                    </span>
                    if step.decisive {
                        { m::span("chip chip--decisive", m::text("decisive")) }
                    }
                    if let Some(side) = side {
                        { m::span("chip chip--side", m::text(side)) }
                    }
                    { m::el("span", CHEVRON, Html::default()) }
                </button>
            </h3>
            { body.unwrap_or_default() }
        </li>
    }
}

const COL: Attrs = &[("scope", AttributeOrProperty::Static("col"))];
const ROW: Attrs = &[("scope", AttributeOrProperty::Static("row"))];
const MARK: Attrs = &[
    ("class", AttributeOrProperty::Static("mark")),
    ("aria-hidden", AttributeOrProperty::Static("true")),
];
const NUM: Attrs = &[
    ("class", AttributeOrProperty::Static("step__num")),
    ("aria-hidden", AttributeOrProperty::Static("true")),
];
const CHEVRON: Attrs = &[
    ("class", AttributeOrProperty::Static("step__chevron")),
    ("aria-hidden", AttributeOrProperty::Static("true")),
];

/// Statements of one policy listed before "Show all": past this many, a
/// step lists the statements that match, decide or hold the caret, and this
/// many others (a pasted policy of thousands of statements would otherwise
/// redraw thousands of rows on every keystroke).
pub const LISTED_STATEMENTS: usize = 40;

fn policy_block(props: &StepItemProps, p: &StepPolicy<'_>) -> Html {
    let Some(step) = props.evaluation.steps.get(props.step_index) else {
        return Html::default();
    };
    let deny_stage = step.stage == iam_engine::explain::Stage::DenyEvaluation;
    let (this_effect, other_effect) = if deny_stage {
        ("Deny", "Allow")
    } else {
        ("Allow", "Deny")
    };
    let draft = props.draft_ids.get(p.index).copied().flatten();
    let determining = |at: &StatementRef| {
        props.evaluation.determining.contains(at) || (step.decisive && step.statements.contains(at))
    };
    let all_key = format!(
        "all-statements:{}:{}",
        view::stage_slug(step.stage),
        p.trace.name
    );
    let show_all = props.open.get(&all_key).copied().unwrap_or(false)
        || p.statements.len() <= LISTED_STATEMENTS;
    let mut others = 0;
    let listed: Vec<_> = p
        .statements
        .iter()
        .copied()
        .filter(|s| {
            if show_all {
                return true;
            }
            let at = p.trace.statements.at(s);
            if s.matched || determining(&at) || props.caret.as_ref() == Some(&at) {
                return true;
            }
            others += 1;
            others <= LISTED_STATEMENTS
        })
        .collect();
    let unlisted = p.statements.len() - listed.len();
    let onshowall = {
        let ontoggle = props.ontoggle.clone();
        Callback::from(move |_: MouseEvent| ontoggle.emit((all_key.clone(), true)))
    };
    html! {
        <section class={classes!("ptrace", (!p.trace.applies).then_some("ptrace--inapplicable"))}>
            <h4 class="ptrace__title">
                { m::span("ptrace__name", m::string(iam_engine::visible::show_controls(&p.trace.name).into_owned())) }
                { m::span("chip", m::text(p.trace.policy_type.label())) }
                if let Some(level) = &p.trace.level {
                    { m::span("chip", m::string(format!("level {level}"))) }
                }
            </h4>
            if let Some(reason) = &p.trace.not_applicable_reason {
                { m::p("ptrace__note", html! { <>{ "Does not apply: " }{ super::rich(reason) }</> }) }
            }
            if p.statements.is_empty() {
                { m::p("ptrace__note", m::string(format!("No {this_effect} statements."))) }
            } else {
                <ul class="stmts">
                    { for listed.iter().map(|s| {
                        let at = p.trace.statements.at(s);
                        let key = view::statement_key(step.stage, &at);
                        let open = props.open.get(&key).copied()
                            .unwrap_or_else(|| view::statement_open_by_default(step, p.trace, s));
                        html! {
                            <StatementRow
                                key={key.clone()}
                                open_key={key.clone()}
                                statement={p.trace.statements.trace(s)}
                                {open}
                                ontoggle={props.ontoggle.clone()}
                                highlighter={props.highlighter.clone()}
                                policy_id={draft}
                                determining={determining(&at)}
                                caret={props.caret.as_ref() == Some(&at)}
                            />
                        }
                    }) }
                </ul>
            }
            if unlisted > 0 {
                <p class="ptrace__note ptrace__note--muted" data-testid="unlisted-statements">
                    { format!(
                        "{unlisted} more {this_effect} statement{} of this policy {} not match the request and {} not listed. ",
                        if unlisted == 1 { "" } else { "s" },
                        if unlisted == 1 { "does" } else { "do" },
                        if unlisted == 1 { "is" } else { "are" },
                    ) }
                    <button type="button" class="btn btn--small" onclick={onshowall} data-testid="show-all-statements">
                        { format!("Show all {}", p.statements.len()) }
                    </button>
                </p>
            }
            if p.other_effect > 0 {
                { m::p("ptrace__note ptrace__note--muted", m::string(format!(
                    "{} {other_effect} statement{} of this policy {} in {}.",
                    p.other_effect,
                    if p.other_effect == 1 { "" } else { "s" },
                    if p.other_effect == 1 { "is shown" } else { "are shown" },
                    if deny_stage { "its own step" } else { "Deny evaluation" },
                ))) }
            }
        </section>
    }
}

/// The engine's sentences start lowercase (they follow a colon on the CLI).
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            // ASCII: the engine's sentences start with an English word.
            let mut s = first.to_ascii_uppercase().to_string();
            s.push_str(chars.as_str());
            if !s.ends_with('.') {
                s.push('.');
            }
            s
        }
        None => String::new(),
    }
}
