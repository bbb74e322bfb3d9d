//! The results table of "Who can…": one row per principal, a page at a
//! time (an account holds thousands), sortable by decision. A real table
//! with a caption; every row is focusable and opens its principal with a
//! click or Enter.

use std::rc::Rc;

use iam_engine::account::WhoCan;
use yew::prelude::*;

use crate::account::who_can::{deciding_text, decision_label};

/// Rows drawn at once.
pub const PAGE: usize = 100;

/// Properties of [`WhoCanTable`].
#[derive(Properties, PartialEq)]
pub struct WhoCanTableProps {
    /// The answer.
    pub answer: Rc<WhoCan>,
    /// The indices of the rows shown (filtered and sorted), in order.
    pub shown: Rc<Vec<usize>>,
    /// What the table shows, for its caption.
    pub caption: AttrValue,
    /// `None` in account order; `Some(false)` allowed first; `Some(true)`
    /// allowed last.
    pub sort: Option<bool>,
    /// Called when the decision column's sort button is pressed.
    pub onsort: Callback<()>,
    /// Called with a row's index in the answer to open it.
    pub onopen: Callback<usize>,
}

/// The "who can" results table.
#[component]
pub fn WhoCanTable(props: &WhoCanTableProps) -> Html {
    let page = use_state(|| 0usize);
    // A new answer, filter or order starts at the first page.
    {
        let page = page.clone();
        use_effect_with((props.shown.clone(), props.sort), move |_| page.set(0));
    }
    let total = props.shown.len();
    let pages = total.div_ceil(PAGE).max(1);
    let current = (*page).min(pages - 1);
    let first = current * PAGE;
    let rows = props.shown.iter().skip(first).take(PAGE).filter_map(|&i| {
        let row = props.answer.rows.get(i)?;
        let (symbol, word, class) = decision_label(row);
        let (statement, origin) = deciding_text(row);
        let open = {
            let onopen = props.onopen.clone();
            Callback::from(move |_: MouseEvent| onopen.emit(i))
        };
        let onkeydown = {
            let onopen = props.onopen.clone();
            Callback::from(move |e: KeyboardEvent| {
                if e.key() == "Enter" || e.key() == " " {
                    e.prevent_default();
                    onopen.emit(i);
                }
            })
        };
        let missing = (!row.missing.is_empty()).then(|| {
            format!(
                "May differ from AWS: {} not in the files",
                row.missing.join(", ")
            )
        });
        Some(html! {
            <tr class={classes!("who-can__row", format!("who-can__row--{class}"))} tabindex="0"
                onclick={open} {onkeydown} data-testid="who-can-row" data-name={row.name.clone()}
                data-decision={row.decision().map_or("invalid", |d| d.as_str())}
                title={format!("Open {} in the workspace to see why", row.name)}>
                <th scope="row" class="who-can__principal">
                    <span class="who-can__name">{ &row.name }</span>
                    <code class="who-can__arn">{ &row.arn }</code>
                </th>
                <td><span class={classes!("kind", format!("kind--{}", row.kind.as_str()))}>{ row.kind.as_str() }</span></td>
                <td>
                    <span class={classes!("chip", format!("chip--{class}"))}>
                        <span aria-hidden="true">{ symbol }</span>{ " " }{ word }
                    </span>
                    if let Some(missing) = missing {
                        <span class="who-can__missing" title={missing.clone()}>
                            <span aria-hidden="true">{ " ⚠" }</span>
                            <span class="visually-hidden">{ missing }</span>
                        </span>
                    }
                </td>
                <td class="who-can__deciding">
                    <span>{ statement }</span>
                    if !origin.is_empty() {
                        <span class="who-can__origin">{ origin }</span>
                    }
                </td>
            </tr>
        })
    });
    let (sort_state, sort_label) = match props.sort {
        None => ("none", "Sort by decision, allowed first"),
        Some(false) => ("ascending", "Sort by decision, allowed last"),
        Some(true) => ("descending", "Back to account order"),
    };
    let onsort = {
        let cb = props.onsort.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };
    html! {
        <div class="who-can__table-wrap">
            <table class="who-can__table" data-testid="who-can-table">
                <caption class="who-can__caption">{ props.caption.clone() }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ "Principal" }</th>
                        <th scope="col">{ "Kind" }</th>
                        <th scope="col" aria-sort={sort_state}>
                            <button type="button" class="who-can__sort" onclick={onsort}
                                title={sort_label} data-testid="who-can-sort">
                                { "Decision" }
                                <span aria-hidden="true">{ match props.sort { None => " ↕", Some(false) => " ↓", Some(true) => " ↑" } }</span>
                            </button>
                        </th>
                        <th scope="col">{ "Deciding statement (policy origin)" }</th>
                    </tr>
                </thead>
                <tbody>{ for rows }</tbody>
            </table>
            if pages > 1 {
                <nav class="who-can__pages" aria-label="Result pages">
                    <button type="button" class="button" disabled={current == 0}
                        onclick={go(current.saturating_sub(1))} data-testid="who-can-prev">{ "Previous" }</button>
                    <span>{ format!("Rows {}–{} of {total}", first + 1, (first + PAGE).min(total)) }</span>
                    <button type="button" class="button" disabled={current + 1 >= pages}
                        onclick={go(current + 1)} data-testid="who-can-next">{ "Next" }</button>
                </nav>
            }
        </div>
    }
}
