//! The table's head (sortable column headings) and the rows in view: one
//! component per row, in blocks placed by their position, so a frame of
//! scrolling draws only the rows that come into view.

use std::rc::Rc;

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
        <thead role="rowgroup" {onclick}>
            <tr role="row" aria-rowindex="1">
                { for Column::ALL.into_iter().map(|c| {
                    let (aria, mark) = match (sort.column == c, sort.descending) {
                        (true, false) => ("ascending", "▲"),
                        (true, true) => ("descending", "▼"),
                        _ => ("none", ""),
                    };
                    html! {
                        <th role="columnheader" scope="col" aria-sort={aria} class={format!("results__th--{}", c.id())}>
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

/// The expectation of row `index`: a button showing it (light: one
/// element per row, so scrolling stays cheap) that becomes a select of
/// none, Allow, Deny (either kind) and the kinds of deny when activated
/// (`editing`; the table focuses it).
fn expectation_cell(results: &Results, index: usize, shown: &str, editing: bool) -> Html {
    if results.key(index).is_none() {
        // A matrix's wildcard waiting for the catalogue.
        return html! {
            <span class="results__expect-fixed" title="Set once AWS's catalogue has expanded the wildcard">
                { if shown.is_empty() { "—" } else { shown } }
            </span>
        };
    }
    let label = format!("Expected decision of request {}", index + 1);
    if !editing {
        let now = if shown.is_empty() { "none" } else { shown };
        return html! {
            <button type="button" class="results__expect results__expect--button" aria-haspopup="listbox"
                aria-label={format!("{label}: {now}")} data-testid="expect-button">
                { if shown.is_empty() { "—" } else { shown } }
            </button>
        };
    }
    let option = |value: &'static str, label: &'static str| {
        html! { <option {value} selected={expectation_value(shown) == value}>{ label }</option> }
    };
    html! {
        <select class="results__expect" aria-label={label} data-testid="expect-select">
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

/// Rows in a block (a `tbody` placed as a whole).
pub const BLOCK_ROWS: usize = 8;
/// Block slots: the blocks the rows drawn span at most, and one for the
/// focusable row's block when scrolled away ([`slots`]).
pub const BLOCK_SLOTS: usize = (super::VIEW_ROWS + 2 * super::MARGIN_ROWS).div_ceil(BLOCK_ROWS) + 2;
/// The `id` of a block, without its number.
const BLOCK_ID: &str = "results-block-";

/// Properties of [`Row`]: the request at `index` of the suite, at
/// position `pos` of the table. Compared by identity of the results and
/// the catalogue, so a row that scrolling leaves in place is not drawn
/// again.
#[derive(Properties, Clone)]
pub struct RowProps {
    /// The results.
    pub results: Rc<Results>,
    /// The catalogue, when loaded (for the resource warnings).
    pub catalog: Option<Rc<Catalog>>,
    /// What a wildcard waiting for the catalogue says.
    pub pending: &'static str,
    /// The request's index in the suite.
    pub index: usize,
    /// Its position in the table (0: the first row under the header).
    pub pos: usize,
    /// Whether it is the row the keyboard focuses (`tabindex="0"`).
    pub active: bool,
    /// Whether its explanation is shown.
    pub selected: bool,
    /// Whether its expectation is being chosen (a select, focused).
    pub editing: bool,
}

impl PartialEq for RowProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.results, &other.results)
            && self.catalog.as_ref().map(Rc::as_ptr) == other.catalog.as_ref().map(Rc::as_ptr)
            && self.pending == other.pending
            && self.index == other.index
            && self.pos == other.pos
            && self.active == other.active
            && self.selected == other.selected
            && self.editing == other.editing
    }
}

/// One row (fixed height, laid out on its own).
#[component]
pub fn Row(props: &RowProps) -> Html {
    let results = &*props.results;
    let index = props.index;
    let Some(case) = results.cases.get(index) else {
        return Html::default();
    };
    let r = results.row(index);
    let (class, icon, label) = match r {
        Some(r) => decision_cell(&r.outcome, props.pending),
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
    let warning = props
        .catalog
        .as_deref()
        .and_then(|c| resource_warning(c, &case.request));
    html! {
        <tr role="row" class={classes!("results__row", format!("results__row--{class}"),
                (met_class == "fail").then_some("results__row--failing"))}
            data-index={index.to_string()} aria-rowindex={(props.pos + 2).to_string()}
            tabindex={if props.active { "0" } else { "-1" }}
            aria-selected={if props.selected { "true" } else { "false" }} data-testid="result-row">
            <td role="cell" class="results__num">{ index + 1 }</td>
            <td role="cell"><span class={classes!("results__decision", format!("results__decision--{class}"))}
                    data-testid="row-decision" title={label.clone()}>
                <span class="results__icon" aria-hidden="true">{ icon }</span>{ label }
            </span></td>
            <td role="cell" title={request.action.clone()}>
                <code>{ &request.action }</code>
                if let Some(from) = &case.expanded_from {
                    <span class="results__from">{ " from " }<code>{ from }</code></span>
                }
            </td>
            <td role="cell" title={warning.clone().unwrap_or_else(|| request.resource.clone())}>
                if warning.is_some() {
                    <span class="results__warn" role="img" aria-label="warning: AWS would reject the call">{ "⚠ " }</span>
                }
                <code>{ &request.resource }</code>
            </td>
            <td role="cell" title={request.principal.clone()}><code>{ &request.principal }</code></td>
            <td role="cell" title={decided.clone()}>{ decided }</td>
            <td role="cell">{ expectation_cell(results, index, expect, props.editing) }</td>
            <td role="cell"><span class={classes!("results__met", format!("results__met--{met_class}"))}
                data-testid="row-met">{ met }</span></td>
        </tr>
    }
}

/// Which block each of `slots` block slots shows (`None`: an empty
/// slot): the blocks `first..last` (at most `slots - 1`), each in slot
/// `block % (slots - 1)`, so a block keeps its slot (its elements, and
/// the focus) while it stays drawn, and scrolling rewrites only the slots
/// of the blocks that come into view; and the block of the focusable row
/// (`active`) even when out of view (so the row keeps the focus), in its
/// own slot, the block it displaces going to the last slot.
pub fn slots(first: usize, last: usize, active: Option<usize>, slots: usize) -> Vec<Option<usize>> {
    let n = slots.saturating_sub(1).max(1);
    let mut out = vec![None; n + 1];
    for block in first..last {
        if let Some(slot) = out.get_mut(block % n) {
            *slot = Some(block);
        }
    }
    if let Some(a) = active.filter(|a| !(first..last).contains(a)) {
        if let Some(slot) = out.get_mut(a % n) {
            let displaced = slot.replace(a);
            if let Some(extra) = out.last_mut() {
                *extra = displaced;
            }
        }
    }
    out
}

/// Properties of [`Body`].
#[derive(Properties, Clone)]
pub struct BodyProps {
    /// The results.
    pub results: Rc<Results>,
    /// The catalogue, when loaded (for the resource warnings).
    pub catalog: Option<Rc<Catalog>>,
    /// What a wildcard waiting for the catalogue says.
    pub pending: &'static str,
    /// The requests shown (indexes in the suite), in the table's order.
    pub order: Rc<Vec<u32>>,
    /// The focusable row's position.
    pub active: usize,
    /// The request whose explanation is shown.
    pub selected: Option<usize>,
    /// The request whose expectation is being chosen.
    pub editing: Option<usize>,
    /// The scrolling element the rows are in.
    pub scroller: NodeRef,
}

impl PartialEq for BodyProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.results, &other.results)
            && self.catalog.as_ref().map(Rc::as_ptr) == other.catalog.as_ref().map(Rc::as_ptr)
            && self.pending == other.pending
            && Rc::ptr_eq(&self.order, &other.order)
            && self.active == other.active
            && self.selected == other.selected
            && self.editing == other.editing
            && self.scroller == other.scroller
    }
}

/// The rows in view and a margin, in blocks of [`BLOCK_ROWS`] rows (one
/// `tbody` each, placed by its position) in a fixed set of slots
/// ([`slots`]): a block that stays drawn is not drawn again, and one
/// coming into view reuses the elements of one leaving it (no element is
/// created while scrolling, and only a block's own position changes,
/// never a row's). The table's `aria-owns` gives assistive technologies
/// the blocks in order. It follows the scroll position itself: scrolling
/// draws nothing else.
#[component]
pub fn Body(props: &BodyProps) -> Html {
    let order = &props.order;
    let count = order.len();
    // The blocks drawn change every few rows scrolled: the body is drawn
    // again only then (the scroll position is kept aside).
    let top = use_mut_ref(|| 0usize);
    let shown = use_mut_ref(|| count);
    *shown.borrow_mut() = count;
    let blocks_of = |top: usize, count: usize| {
        let (first, last) = super::window(top, count);
        (first / BLOCK_ROWS, last.div_ceil(BLOCK_ROWS))
    };
    let range = use_state_eq(|| blocks_of(*top.borrow(), count));
    {
        let range = range.setter();
        let top = top.clone();
        let shown = shown.clone();
        use_effect_with(props.scroller.clone(), move |scroller| {
            let listener = scroller.cast::<web_sys::Element>().map(|el| {
                let target = el.clone();
                gloo::events::EventListener::new(&el, "scroll", move |_| {
                    let row = target.scroll_top().max(0) as usize / ROW_PX;
                    *top.borrow_mut() = row;
                    range.set(blocks_of(row, *shown.borrow()));
                })
            });
            move || drop(listener)
        });
    }
    // The count may have changed since the last scroll (a filter).
    let (first, last) = blocks_of(*top.borrow(), count);
    if (first, last) != *range {
        range.set((first, last));
    }
    let active = (props.active < count).then_some(props.active);
    let blocks = slots(first, last, active.map(|a| a / BLOCK_ROWS), BLOCK_SLOTS);
    let mut owned: Vec<usize> = blocks.iter().flatten().copied().collect();
    owned.sort_unstable();
    let owns = owned
        .iter()
        .map(|block| format!("{BLOCK_ID}{block}"))
        .collect::<Vec<_>>()
        .join(" ");
    {
        // On the table (the component draws its blocks, not the table).
        let scroller = props.scroller.clone();
        use_effect_with(owns, move |owns| {
            let table = scroller
                .cast::<web_sys::Element>()
                .and_then(|el| el.query_selector("table").ok().flatten());
            if let Some(table) = table {
                let _ = table.set_attribute("aria-owns", owns);
            }
        });
    }
    if order.is_empty() {
        return html! {
            <tbody role="rowgroup">
                <tr role="row"><td role="cell" class="results__empty">{ "No request matches the filter." }</td></tr>
            </tbody>
        };
    }
    let row = |pos: usize| {
        let Some(index) = order.get(pos).map(|i| *i as usize) else {
            return Html::default();
        };
        html! {
            <Row results={props.results.clone()} catalog={props.catalog.clone()}
                pending={props.pending} {index} {pos} active={Some(pos) == active}
                selected={props.selected == Some(index)} editing={props.editing == Some(index)} />
        }
    };
    html! {
        <>
            { for blocks.into_iter().map(|slot| match slot {
                Some(block) => html! {
                    <tbody role="rowgroup" class="results__block" id={format!("{BLOCK_ID}{block}")}
                        style={format!("transform:translateY({}px)", block * BLOCK_ROWS * ROW_PX)}>
                        { for (0..BLOCK_ROWS).map(|i| row(block * BLOCK_ROWS + i)) }
                    </tbody>
                },
                None => Html::default(),
            }) }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_keeps_its_slot_while_drawn() {
        // Blocks 0..10 in 11 slots (10 and the extra one).
        let at_0 = slots(0, 10, Some(0), 11);
        assert_eq!(at_0.first(), Some(&Some(0)));
        assert_eq!(at_0.get(9), Some(&Some(9)));
        assert_eq!(at_0.get(10), Some(&None));
        // Scrolled by 3: blocks 3..13; 3..10 keep their slots, 10..13
        // take those of 0..3; the focusable row's block 0 keeps its slot,
        // and block 10 it displaces takes the last one.
        let at_3 = slots(3, 13, Some(0), 11);
        assert_eq!(at_3.first(), Some(&Some(0)));
        assert_eq!(at_3.get(1), Some(&Some(11)));
        assert_eq!(at_3.get(2), Some(&Some(12)));
        assert_eq!(at_3.get(3), Some(&Some(3)));
        assert_eq!(at_3.get(10), Some(&Some(10)));
        // Every block drawn once.
        let mut drawn: Vec<usize> = at_3.iter().flatten().copied().collect();
        drawn.sort_unstable();
        assert_eq!(drawn, [0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        // Fewer blocks than slots: each in the slot of its number.
        assert_eq!(
            slots(0, 2, Some(1), 11).get(..3),
            Some(&[Some(0), Some(1), None][..])
        );
    }

    #[test]
    fn the_slots_hold_the_rows_drawn() {
        use super::super::{window, MARGIN_ROWS, VIEW_ROWS};
        for top in [0, 5, 7, 8, 9, 100, 10_003] {
            let (first, last) = window(top, 22_000);
            let blocks = last.div_ceil(BLOCK_ROWS) - first / BLOCK_ROWS;
            assert!(blocks < BLOCK_SLOTS, "{top}: {blocks} blocks");
            assert!(last - first <= VIEW_ROWS + 2 * MARGIN_ROWS);
        }
    }
}
