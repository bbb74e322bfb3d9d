//! The results table of a suite (`requests` and `matrix`): one row per
//! request with its decision (icon and text), action (and the wildcard it
//! came from), resource, principal, deciding statements, expectation (set
//! in the table) and whether it is met; filters with counts, a text
//! search, sorting by any column, and the step-by-step explanation of the
//! row clicked (or Enter on the focused row).
//!
//! Only the rows in view and a margin are in the DOM (fixed row height,
//! blocks of rows placed by their position in a table as tall as every
//! row), so tens of thousands of rows scroll smoothly: the rows follow the
//! scroll position by themselves ([`rows::Body`]), and a frame of
//! scrolling draws only the rows coming into view. Events are delegated
//! to the table: no closure per row.

mod controls;
mod rows;

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::explanation::Explanation;
use super::use_app;
use crate::catalog::{use_catalog, use_catalog_status, CatalogStatus};
use crate::results::{use_results, visible, Column, Filter, Sort};
use crate::state::Action;
use crate::workspace::Workspace;

/// Height of a row in pixels (`--results-row` in `static/results.css`).
pub const ROW_PX: usize = 32;
/// Rows drawn beyond each edge of the view.
pub const MARGIN_ROWS: usize = 16;
/// Rows the view shows at most (its `max-height` over [`ROW_PX`]).
pub const VIEW_ROWS: usize = 24;

/// The rows drawn for a view whose first row is `top`, of `count` rows:
/// `first..last`.
pub fn window(top: usize, count: usize) -> (usize, usize) {
    // A view scrolled past the rows (the filter removed some) shows the last.
    let top = top.min(count.saturating_sub(VIEW_ROWS));
    let first = top.saturating_sub(MARGIN_ROWS);
    let last = (top + VIEW_ROWS + MARGIN_ROWS).min(count);
    (first, last.max(first))
}

/// Where the keyboard moves the focused row from `pos` (of `count`).
fn moved(key: &str, pos: usize, count: usize) -> Option<usize> {
    let last = count.checked_sub(1)?;
    let page = VIEW_ROWS.saturating_sub(2).max(1);
    Some(match key {
        "ArrowDown" => (pos + 1).min(last),
        "ArrowUp" => pos.saturating_sub(1),
        "PageDown" => (pos + page).min(last),
        "PageUp" => pos.saturating_sub(page),
        "Home" => 0,
        "End" => last,
        _ => return None,
    })
}

/// The `data-index` of the row an event happened in (the request's index
/// in the suite), and that row's position in the table.
fn row_of(event: &Event) -> Option<(usize, usize)> {
    let target: web_sys::Element = event.target()?.dyn_into().ok()?;
    let row = target.closest("tr[data-index]").ok()??;
    let index = row.get_attribute("data-index")?.parse().ok()?;
    let pos: usize = row.get_attribute("aria-rowindex")?.parse().ok()?;
    Some((index, pos.checked_sub(2)?))
}

/// The results table (`data-testid="results"`) of the workspace's suite,
/// decided as [`use_results`] says.
#[component]
pub fn ResultsTable() -> Html {
    let app = use_app();
    let catalog = use_catalog();
    let status = use_catalog_status();
    let empty = Workspace::default();
    let workspace = app.as_ref().map_or(&empty, |a| &a.workspace);
    let results = &use_results(workspace, catalog.clone());
    let filter = use_state_eq(Filter::default);
    let text = use_state_eq(String::new);
    let sort = use_state_eq(Sort::default);
    // The request whose explanation is shown (its index in the suite).
    let selected = use_state_eq(|| None::<usize>);
    // The request whose expectation is being chosen (its select shown).
    let editing = use_state_eq(|| None::<usize>);
    // The focusable row (its position in the table).
    let active = use_state_eq(|| 0usize);
    let focus_pending = use_mut_ref(|| false);
    // Whether the expectation select just shown is to be focused and opened
    // (it was activated, not scrolled back into view).
    let open_pending = use_mut_ref(|| false);
    let scroller = use_node_ref();

    let order: Rc<Vec<u32>> = {
        let key = (
            Rc::as_ptr(results) as usize,
            *filter,
            (*text).clone(),
            *sort,
        );
        let results = results.clone();
        use_memo(key, move |(_, f, t, s)| visible(&results, *f, t, *s))
    };
    let count = order.len();
    let active_pos = (*active).min(count.saturating_sub(1));

    // Keeps the focused row in view and focuses it after a key moved it.
    {
        let scroller = scroller.clone();
        let focus_pending = focus_pending.clone();
        use_effect_with(active_pos, move |pos| {
            if std::mem::take(&mut *focus_pending.borrow_mut()) {
                if let Some(el) = scroller.cast::<web_sys::HtmlElement>() {
                    let head = el
                        .query_selector("thead")
                        .ok()
                        .flatten()
                        .map_or(0, |h| h.client_height());
                    let row_top = (*pos * ROW_PX) as i32;
                    let view = el.client_height() - head;
                    if row_top < el.scroll_top() {
                        el.set_scroll_top(row_top);
                    } else if row_top + ROW_PX as i32 > el.scroll_top() + view {
                        el.set_scroll_top(row_top + ROW_PX as i32 - view);
                    }
                    let css = format!("tr[aria-rowindex=\"{}\"]", pos + 2);
                    if let Some(row) = el
                        .query_selector(&css)
                        .ok()
                        .flatten()
                        .and_then(|r| r.dyn_into::<web_sys::HtmlElement>().ok())
                    {
                        let _ = row.focus();
                    }
                }
            }
        });
    }

    // The select replacing an activated expectation's button takes the
    // focus and opens.
    {
        let scroller = scroller.clone();
        let open_pending = open_pending.clone();
        use_effect_with(*editing, move |editing| {
            if std::mem::take(&mut *open_pending.borrow_mut()) && editing.is_some() {
                let select = scroller
                    .cast::<web_sys::Element>()
                    .and_then(|el| {
                        el.query_selector("[data-testid=expect-select]")
                            .ok()
                            .flatten()
                    })
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(el) = select {
                    let _ = el.focus();
                    let open = js_sys::Reflect::get(&el, &"showPicker".into())
                        .ok()
                        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
                    if let Some(open) = open {
                        let _ = open.call0(&el);
                    }
                }
            }
        });
    }

    let onclick = {
        let selected = selected.clone();
        let active = active.clone();
        let editing = editing.clone();
        let open_pending = open_pending.clone();
        Callback::from(move |e: MouseEvent| {
            let target = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let within = |css: &str| {
                target
                    .as_ref()
                    .is_some_and(|t| t.closest(css).ok().flatten().is_some())
            };
            if within("select") {
                return;
            }
            if within("button.results__expect") {
                // The expectation's button becomes its select.
                if let Some((index, _)) = row_of(&e) {
                    *open_pending.borrow_mut() = true;
                    editing.set(Some(index));
                }
                return;
            }
            if let Some((index, pos)) = row_of(&e) {
                selected.set(Some(index));
                active.set(pos);
            }
        })
    };

    let onkeydown = {
        let selected = selected.clone();
        let active = active.clone();
        let focus_pending = focus_pending.clone();
        Callback::from(move |e: KeyboardEvent| {
            let on_row = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|t| t.tag_name() == "TR");
            if !on_row {
                return;
            }
            let Some((index, pos)) = row_of(&e) else {
                return;
            };
            let key = e.key();
            if key == "Enter" || key == " " {
                e.prevent_default();
                selected.set(Some(index));
                return;
            }
            if let Some(next) = moved(&key, pos, count) {
                e.prevent_default();
                // The row is drawn (the focusable row always is); then
                // scrolled into view and focused.
                *focus_pending.borrow_mut() = true;
                active.set(next);
            }
        })
    };

    // The select goes back to a button when it loses the focus.
    let onfocusout = {
        let editing = editing.clone();
        Callback::from(move |e: FocusEvent| {
            let from_select = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|t| t.tag_name() == "SELECT");
            if from_select {
                editing.set(None);
            }
        })
    };

    let onfocusin = {
        let active = active.clone();
        Callback::from(move |e: FocusEvent| {
            if let Some((_, pos)) = row_of(&e) {
                active.set(pos);
            }
        })
    };

    let onchange = {
        let results = results.clone();
        let dispatcher = app.as_ref().map(|a| a.dispatcher());
        Callback::from(move |e: Event| {
            let Some(select) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            else {
                return;
            };
            let Some(key) = row_of(&e).and_then(|(index, _)| results.key(index)) else {
                return;
            };
            let value = select.value();
            let decision = (!value.is_empty()).then_some(value);
            if let Some(d) = &dispatcher {
                d.dispatch(Action::SetExpectation(key, decision));
            }
        })
    };

    let onsort = {
        let sort = sort.clone();
        Callback::from(move |column: Column| sort.set(sort.toggled(column)))
    };
    let onfilter = {
        let filter = filter.clone();
        let active = active.clone();
        Callback::from(move |f: Filter| {
            filter.set(f);
            active.set(0);
        })
    };
    let onsearch = {
        let text = text.clone();
        Callback::from(move |t: String| text.set(t))
    };

    let explanation = {
        let results = results.clone();
        use_memo(
            (Rc::as_ptr(&results) as usize, *selected),
            move |(_, selected)| selected.and_then(|i| results.explain(i)).map(Rc::new),
        )
    };
    let close = {
        let selected = selected.clone();
        Callback::from(move |_: MouseEvent| selected.set(None))
    };

    let pending = match status {
        CatalogStatus::Failed(_) => "the service catalogue could not load",
        _ => "loading the service catalogue…",
    };

    html! {
        <section class="panel results" aria-labelledby="results-heading" data-testid="results">
            <h2 id="results-heading" class="panel__title">{ "Results" }</h2>
            if let Some(problem) = &results.problem {
                <p class="results__problem" data-testid="results-problem">
                    { "No results: " }{ problem.clone() }
                </p>
            } else {
                <controls::Controls results={results.clone()} filter={*filter} text={(*text).clone()}
                    {onfilter} {onsearch} />
                <div class="results__scroll" ref={scroller.clone()} data-testid="results-scroll">
                    <table class="results__table" role="table" aria-rowcount={(count + 1).to_string()}
                        aria-describedby="results-summary"
                        style={format!("height:calc(var(--results-head) + {}px)", count.max(1) * ROW_PX)}
                        {onclick} {onkeydown} {onfocusin} {onfocusout} {onchange}>
                        <caption class="visually-hidden">
                            { "Results of the suite's requests. Arrow keys move between rows; Enter shows a row's explanation." }
                        </caption>
                        <rows::Head sort={*sort} {onsort} />
                        <rows::Body results={results.clone()} catalog={catalog.clone()} {pending}
                            order={order.clone()} active={active_pos} selected={*selected} editing={*editing} {scroller} />
                    </table>
                </div>
            }
            if let Some(e) = (*explanation).clone() {
                <section class="results__explanation" aria-labelledby="results-explanation-heading"
                    data-testid="results-explanation">
                    <div class="results__explanation-head">
                        <h3 id="results-explanation-heading">
                            { rows::explanation_title(results, (*selected).unwrap_or_default()) }
                        </h3>
                        <button type="button" class="btn btn--small" onclick={close}
                            data-testid="results-explanation-close">{ "Close" }</button>
                    </div>
                    <Explanation evaluation={e} />
                </section>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_the_view_and_a_margin() {
        assert_eq!(window(0, 22_000), (0, VIEW_ROWS + MARGIN_ROWS));
        assert_eq!(
            window(10_000, 22_000),
            (10_000 - MARGIN_ROWS, 10_000 + VIEW_ROWS + MARGIN_ROWS)
        );
        assert_eq!(
            window(21_990, 22_000),
            (22_000 - VIEW_ROWS - MARGIN_ROWS, 22_000)
        );
        assert_eq!(window(50, 8), (0, 8));
        assert_eq!(window(500, 100), (100 - VIEW_ROWS - MARGIN_ROWS, 100));
        assert_eq!(window(0, 0), (0, 0));
    }

    #[test]
    fn keys_move_the_focused_row() {
        assert_eq!(moved("ArrowDown", 0, 3), Some(1));
        assert_eq!(moved("ArrowDown", 2, 3), Some(2));
        assert_eq!(moved("ArrowUp", 0, 3), Some(0));
        assert_eq!(moved("End", 0, 3), Some(2));
        assert_eq!(moved("Home", 2, 3), Some(0));
        assert_eq!(moved("PageDown", 0, 100), Some(VIEW_ROWS - 2));
        assert_eq!(moved("a", 0, 3), None);
        assert_eq!(moved("ArrowDown", 0, 0), None);
    }
}
