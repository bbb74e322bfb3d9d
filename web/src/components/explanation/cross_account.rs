//! Across accounts: the principal's side and the resource's side, each with
//! its verdict and reasons.

use iam_engine::visible::show_controls;
use std::rc::Rc;

use iam_engine::explain::{SideVerdict, StatementRef};
use iam_engine::Evaluation;
use yew::prelude::*;

use super::step::capitalise;
use super::{rich, Highlighter};

/// Properties of [`cross_account`].
#[derive(Properties)]
pub struct CrossAccountProps {
    /// The evaluation (its `cross_account` is drawn).
    pub evaluation: Rc<Evaluation>,
    /// Sends highlights to the editor.
    pub highlighter: Highlighter,
    /// The draft id of each policy of the evaluation, when linked.
    pub draft_ids: Rc<Vec<Option<u32>>>,
}

impl PartialEq for CrossAccountProps {
    /// The evaluation compares by identity, as in
    /// [`super::ExplanationProps`].
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.evaluation, &other.evaluation)
            && self.highlighter == other.highlighter
            && self.draft_ids == other.draft_ids
    }
}

/// Two cards, side by side (stacked when narrow).
pub fn cross_account(props: &CrossAccountProps) -> Html {
    let Some(c) = &props.evaluation.cross_account else {
        return Html::default();
    };
    html! {
        <section class="sides" aria-label="Cross-account request: both sides must allow">
            <p class="sides__intro">
                { "The principal and the resource are in different accounts, so both sides must allow the request." }
            </p>
            <div class="sides__cards">
                { side(props, "principal-side", "Principal's side", &c.principal_account, &c.principal_side) }
                { side(props, "resource-side", "Resource's side", &c.resource_account, &c.resource_side) }
            </div>
        </section>
    }
}

fn side(
    props: &CrossAccountProps,
    testid: &'static str,
    title: &'static str,
    account: &str,
    v: &SideVerdict,
) -> Html {
    let (mark, verdict) = if v.allowed {
        ("✓", "allows")
    } else {
        ("✗", "does not allow")
    };
    html! {
        <section data-testid={testid} class={classes!("side", if v.allowed { "side--yes" } else { "side--no" })}>
            <h3 class="side__title">
                { title }
                <span class="side__account">{ "account " }<code>{ account }</code></span>
            </h3>
            <p class="side__verdict"><span class="mark" aria-hidden="true">{ mark }</span>{ " " }{ verdict }</p>
            <ul class="side__reasons">
                { for v.reasons.iter().map(|r| html! { <li>{ rich(&capitalise(r)) }</li> }) }
            </ul>
            if !v.statements.is_empty() {
                <ul class="side__stmts" aria-label="Statements">
                    { for v.statements.iter().map(|s| statement_chip(props, s)) }
                </ul>
            }
        </section>
    }
}

/// A statement named by a side; hovering or focusing it highlights its text.
fn statement_chip(props: &CrossAccountProps, at: &StatementRef) -> Html {
    let found = props
        .evaluation
        .policies
        .iter()
        .enumerate()
        .find(|(_, p)| p.name == at.policy)
        .and_then(|(i, p)| {
            p.statements
                .iter()
                .find(|s| s.index == at.index)
                .map(|s| (props.draft_ids.get(i).copied().flatten(), s.span))
        });
    let label = show_controls(&format!("{} › {}", at.policy, at.statement)).into_owned();
    match found {
        Some((policy_id, span)) => {
            let hl = props.highlighter.handlers(policy_id, span, None);
            html! {
                <li class="side__stmt" tabindex="0"
                    onmouseenter={hl.enter} onmouseleave={hl.leave} onfocus={hl.focus} onblur={hl.blur}>
                    <code>{ label }</code>
                </li>
            }
        }
        None => html! { <li class="side__stmt"><code>{ label }</code></li> },
    }
}
