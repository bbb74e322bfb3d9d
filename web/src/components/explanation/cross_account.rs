//! Across accounts: the principal's side and the resource's side, each with
//! its verdict and reasons.

use iam_engine::explain::{CrossAccountTrace, SideVerdict};
use yew::prelude::*;

use super::step::capitalise;

/// Properties of [`CrossAccount`].
#[derive(Properties, PartialEq)]
pub struct CrossAccountProps {
    /// Both sides.
    pub cross: CrossAccountTrace,
}

/// Two cards, side by side (stacked when narrow).
#[component]
pub fn CrossAccount(props: &CrossAccountProps) -> Html {
    let c = &props.cross;
    html! {
        <section class="sides" aria-label="Cross-account request: both sides must allow">
            <p class="sides__intro">
                { "The principal and the resource are in different accounts, so both sides must allow the request." }
            </p>
            <div class="sides__cards">
                { side("principal-side", "Principal's side", &c.principal_account, &c.principal_side) }
                { side("resource-side", "Resource's side", &c.resource_account, &c.resource_side) }
            </div>
        </section>
    }
}

fn side(testid: &'static str, title: &'static str, account: &str, v: &SideVerdict) -> Html {
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
                { for v.reasons.iter().map(|r| html! { <li>{ super::rich(&capitalise(r)) }</li> }) }
            </ul>
            if !v.statements.is_empty() {
                <p class="side__stmts">
                    { for v.statements.iter().enumerate().map(|(i, s)| html! {
                        <>
                            { if i > 0 { ", " } else { "" } }
                            <code>{ format!("{} › {}", s.policy, s.statement) }</code>
                        </>
                    }) }
                </p>
            }
        </section>
    }
}
