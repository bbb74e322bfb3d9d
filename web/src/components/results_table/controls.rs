//! The table's controls: the summary line (a live region), the decision
//! filters with their counts, and the text search.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::results::{Counts, Filter, Results};

/// Properties of [`Controls`].
#[derive(Properties, Clone)]
pub struct ControlsProps {
    /// The results (for the counts).
    pub results: Rc<Results>,
    /// The filter chosen.
    pub filter: Filter,
    /// The search text.
    pub text: String,
    /// Chooses a filter.
    pub onfilter: Callback<Filter>,
    /// Changes the search text.
    pub onsearch: Callback<String>,
}

impl PartialEq for ControlsProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.results, &other.results)
            && self.filter == other.filter
            && self.text == other.text
    }
}

/// `8 requests: 2 allowed, 6 denied (3 explicitly, 3 implicitly); 2 failing, 5 passing`.
pub fn summary(c: &Counts) -> String {
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut out = format!(
        "{}: {} allowed, {} denied ({} explicitly, {} implicitly)",
        plural(c.total, "request", "requests"),
        c.allowed,
        c.explicit + c.implicit,
        c.explicit,
        c.implicit
    );
    if c.pending > 0 {
        out.push_str(&format!(
            ", {} waiting for the service catalogue",
            c.pending
        ));
    }
    if c.queued > 0 {
        out.push_str(&format!(", {} being decided", c.queued));
    }
    if c.invalid > 0 {
        out.push_str(&format!(", {} cannot be evaluated", c.invalid));
    }
    if c.passing + c.failing > 0 {
        out.push_str(&format!("; {} failing, {} passing", c.failing, c.passing));
    } else {
        out.push_str("; no expectations set");
    }
    out
}

/// The summary, the filters and the search box.
#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let onchange = {
        let onfilter = props.onfilter.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value());
            if let Some(f) = Filter::ALL
                .into_iter()
                .find(|f| Some(f.id()) == value.as_deref())
            {
                onfilter.emit(f);
            }
        })
    };
    let oninput = {
        let onsearch = props.onsearch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                onsearch.emit(input.value());
            }
        })
    };
    let results = &props.results;
    html! {
        <div class="results__controls">
            <p id="results-summary" class="results__summary" role="status" aria-live="polite"
                data-testid="results-summary">
                { summary(&results.counts) }
            </p>
            <fieldset class="results__filters" {onchange}>
                <legend class="visually-hidden">{ "Show" }</legend>
                { for Filter::ALL.into_iter().map(|f| html! {
                    <label class={classes!("results__filter", format!("results__filter--{}", f.id()),
                            (props.filter == f).then_some("results__filter--on"))}>
                        <input type="radio" name="results-filter" value={f.id()}
                            checked={props.filter == f} data-testid={format!("filter-{}", f.id())} />
                        { f.label() }
                        <span class="results__count">{ f.count(results) }</span>
                    </label>
                }) }
            </fieldset>
            <label class="results__search">
                <span class="visually-hidden">{ "Filter by action, resource or principal" }</span>
                <input type="search" placeholder="Filter by action, resource or principal"
                    value={props.text.clone()} {oninput} data-testid="results-search" />
            </label>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_says_what_happened() {
        let c = Counts {
            total: 8,
            allowed: 2,
            explicit: 3,
            implicit: 3,
            failing: 2,
            passing: 5,
            ..Counts::default()
        };
        assert_eq!(
            summary(&c),
            "8 requests: 2 allowed, 6 denied (3 explicitly, 3 implicitly); 2 failing, 5 passing"
        );
        let c = Counts {
            total: 1,
            allowed: 0,
            implicit: 0,
            pending: 1,
            ..Counts::default()
        };
        assert_eq!(
            summary(&c),
            "1 request: 0 allowed, 0 denied (0 explicitly, 0 implicitly), 1 waiting for the service catalogue; no expectations set"
        );
    }
}
