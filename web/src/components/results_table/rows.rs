//! The table's head (sortable column headings) and the rows in view.

use iam_engine::{Catalog, Decision};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::ROW_PX;
use crate::results::{
    decided_by, expectation_label, resource_warning, Column, Outcome, Results, Sort,
};

/// Properties of [`Head`].
#[derive(Properties, PartialEq)]
pub struct HeadProps {
    /// The sort.
    pub sort: Sort,
    /// Asks to sort by a column (a click on its heading).
    pub onsort: Callback<Column>,
}

/// The header row: one button per column, with `aria-sort`.
#[component]
pub fn Head(props: &HeadProps) -> Html {
    let onclick = {
        let onsort = props.onsort.clone();
        Callback::from(move |e: MouseEvent| {
            let column = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("[data-column]").ok().flatten())
                .and_then(|b| b.get_attribute("data-column"))
                .and_then(|id| Column::ALL.into_iter().find(|c| c.id() == id));
            if let Some(column) = column {
                onsort.emit(column);
            }
        })
    };
    let sort = props.sort;
    html! {
        <thead {onclick}>
            <tr aria-rowindex="1">
                { for Column::ALL.into_iter().map(|c| {
                    let (aria, mark) = match (sort.column == c, sort.descending) {
                        (true, false) => ("ascending", "▲"),
                        (true, true) => ("descending", "▼"),
                        _ => ("none", ""),
                    };
                    html! {
                        <th scope="col" aria-sort={aria} class={format!("results__th--{}", c.id())}>
                            <button type="button" class="results__sort" data-column={c.id()}
                                data-testid={format!("sort-{}", c.id())}>
                                { c.label() }
                                <span class="results__sort-mark" aria-hidden="true">{ mark }</span>
                            </button>
                        </th>
                    }
                }) }
            </tr>
        </thead>
    }
}

/// The decision cell's class, icon and text.
fn decision_cell(outcome: &Outcome, pending: &'static str) -> (&'static str, &'static str, String) {
    match outcome {
        Outcome::Decided(v) => match v.decision {
            Decision::Allow => ("allow", "✓", "Allow".to_owned()),
            Decision::ExplicitDeny => ("explicit-deny", "✕", "Explicit deny".to_owned()),
            Decision::ImplicitDeny => ("implicit-deny", "⊘", "Implicit deny".to_owned()),
        },
        Outcome::Pending => ("pending", "…", pending.to_owned()),
        Outcome::Invalid(why) => ("invalid", "!", why.clone()),
    }
}

/// The expectation select of row `index`: none, Allow, Deny (either
/// kind) and the kinds of deny.
fn expectation_select(results: &Results, index: usize, shown: &str) -> Html {
    if results.key(index).is_none() {
        // A matrix's wildcard waiting for the catalogue.
        return html! {
            <span class="results__expect-fixed" title="Set once AWS's catalogue has expanded the wildcard">
                { if shown.is_empty() { "—" } else { shown } }
            </span>
        };
    }
    let option = |value: &'static str, label: &'static str| {
        html! { <option {value} selected={expectation_value(shown) == value}>{ label }</option> }
    };
    html! {
        <select class="results__expect" aria-label={format!("Expected decision of request {}", index + 1)}
            data-testid="expect-select">
            { option("", "—") }
            { option("Allow", "Allow") }
            { option("Deny", "Deny") }
            { option("ExplicitDeny", "Explicit deny") }
            { option("ImplicitDeny", "Implicit deny") }
        </select>
    }
}

/// The select's value for a shown expectation label.
fn expectation_value(label: &str) -> &'static str {
    match label {
        "Allow" => "Allow",
        "Deny" => "Deny",
        "Explicit deny" => "ExplicitDeny",
        "Implicit deny" => "ImplicitDeny",
        _ => "",
    }
}

/// What the rows are drawn from.
pub struct Shown<'a> {
    /// The results.
    pub results: &'a Results,
    /// The catalogue, when loaded (for the resource warnings).
    pub catalog: Option<&'a Catalog>,
    /// What a wildcard waiting for the catalogue says.
    pub pending: &'static str,
}

/// One row: the request at `index` of the suite, at position `pos`.
fn row(shown: &Shown<'_>, index: usize, pos: usize, active: bool, selected: bool) -> Html {
    let results = shown.results;
    let Some(case) = results.cases.get(index) else {
        return Html::default();
    };
    let r = results.row(index);
    let (class, icon, label) = match r {
        Some(r) => decision_cell(&r.outcome, shown.pending),
        None => ("queued", "…", "deciding…".to_owned()),
    };
    let decided = match r.map(|r| &r.outcome) {
        Some(Outcome::Decided(v)) if v.determining.is_empty() => "no statement".to_owned(),
        Some(Outcome::Decided(v)) => decided_by(v),
        _ => String::new(),
    };
    let expect = expectation_label(results.expect(index));
    let (met_class, met) = match r.and_then(|r| r.met) {
        Some(true) => ("pass", "✓ Pass"),
        Some(false) => ("fail", "✗ Fail"),
        None => ("none", "—"),
    };
    let request = &case.request;
    let warning = shown
        .catalog
        .and_then(|c| resource_warning(c, &case.request));
    html! {
        <tr class={classes!("results__row", format!("results__row--{class}"),
                (met_class == "fail").then_some("results__row--failing"))}
            data-index={index.to_string()} aria-rowindex={(pos + 2).to_string()}
            tabindex={if active { "0" } else { "-1" }}
            aria-selected={if selected { "true" } else { "false" }} data-testid="result-row">
            <td class="results__num">{ index + 1 }</td>
            <td><span class={classes!("results__decision", format!("results__decision--{class}"))}
                    data-testid="row-decision" title={label.clone()}>
                <span class="results__icon" aria-hidden="true">{ icon }</span>{ label }
            </span></td>
            <td title={request.action.clone()}>
                <code>{ &request.action }</code>
                if let Some(from) = &case.expanded_from {
                    <span class="results__from">{ " from " }<code>{ from }</code></span>
                }
            </td>
            <td title={warning.clone().unwrap_or_else(|| request.resource.clone())}>
                if warning.is_some() {
                    <span class="results__warn" role="img" aria-label="warning: AWS would reject the call">{ "⚠ " }</span>
                }
                <code>{ &request.resource }</code>
            </td>
            <td title={request.principal.clone()}><code>{ &request.principal }</code></td>
            <td title={decided.clone()}>{ decided }</td>
            <td>{ expectation_select(results, index, expect) }</td>
            <td><span class={classes!("results__met", format!("results__met--{met_class}"))}
                data-testid="row-met">{ met }</span></td>
        </tr>
    }
}

/// A spacer row standing for `rows` rows out of view.
fn spacer(rows: usize) -> Html {
    if rows == 0 {
        return Html::default();
    }
    html! {
        <tr class="results__spacer" aria-hidden="true" style={format!("height:{}px", rows * ROW_PX)}>
            <td colspan="8"></td>
        </tr>
    }
}

/// The rows `first..last` of `order`, between spacers for the others.
pub fn body(
    shown: &Shown<'_>,
    order: &[u32],
    first: usize,
    last: usize,
    active: usize,
    selected: Option<usize>,
) -> Html {
    if order.is_empty() {
        return html! {
            <tr><td colspan="8" class="results__empty">{ "No request matches the filter." }</td></tr>
        };
    }
    html! {
        <>
            { spacer(first) }
            { for order.get(first..last).unwrap_or_default().iter().enumerate().map(|(i, &index)| {
                let index = index as usize;
                let pos = first + i;
                row(shown, index, pos, pos == active, selected == Some(index))
            }) }
            { spacer(order.len().saturating_sub(last)) }
        </>
    }
}

/// The heading of a row's explanation: its number and request.
pub fn explanation_title(results: &Results, index: usize) -> String {
    match results.cases.get(index) {
        Some(case) => format!(
            "Request {}: {} on {} as {}",
            index + 1,
            case.request.action,
            case.request.resource,
            case.request.principal
        ),
        None => String::new(),
    }
}
