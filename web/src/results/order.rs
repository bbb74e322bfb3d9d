//! Which rows the table shows, and in what order: a decision filter, a
//! text search and a sort by any column.

use std::cmp::Ordering;

use iam_engine::Decision;

use super::{decided_by, mentions, Outcome, Results, Row};

/// The decision filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every request.
    #[default]
    All,
    /// Allowed.
    Allowed,
    /// Explicitly denied.
    ExplicitDeny,
    /// Implicitly denied.
    ImplicitDeny,
    /// Not meeting their expectation.
    Failing,
}

impl Filter {
    /// Every filter, in the order shown.
    pub const ALL: [Filter; 5] = [
        Filter::All,
        Filter::Allowed,
        Filter::ExplicitDeny,
        Filter::ImplicitDeny,
        Filter::Failing,
    ];

    /// Its label.
    pub fn label(self) -> &'static str {
        match self {
            Filter::All => "All",
            Filter::Allowed => "Allowed",
            Filter::ExplicitDeny => "Explicitly denied",
            Filter::ImplicitDeny => "Implicitly denied",
            Filter::Failing => "Failing expectations",
        }
    }

    /// A short id (for test ids and the DOM).
    pub fn id(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Allowed => "allow",
            Filter::ExplicitDeny => "explicit-deny",
            Filter::ImplicitDeny => "implicit-deny",
            Filter::Failing => "failing",
        }
    }

    /// How many rows it keeps (before the text search).
    pub fn count(self, results: &Results) -> usize {
        let c = &results.counts;
        match self {
            Filter::All => c.total,
            Filter::Allowed => c.allowed,
            Filter::ExplicitDeny => c.explicit,
            Filter::ImplicitDeny => c.implicit,
            Filter::Failing => c.failing,
        }
    }

    fn keeps(self, row: Option<&Row>) -> bool {
        let Some(Row { outcome, met }) = row else {
            // Not decided yet.
            return self == Filter::All;
        };
        match self {
            Filter::All => true,
            Filter::Allowed => outcome.decision() == Some(Decision::Allow),
            Filter::ExplicitDeny => outcome.decision() == Some(Decision::ExplicitDeny),
            Filter::ImplicitDeny => outcome.decision() == Some(Decision::ImplicitDeny),
            Filter::Failing => *met == Some(false),
        }
    }
}

/// A column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Column {
    /// The request's place in the suite.
    #[default]
    Index,
    /// The decision.
    Decision,
    /// The action.
    Action,
    /// The resource.
    Resource,
    /// The principal.
    Principal,
    /// The deciding statements.
    DecidedBy,
    /// The expectation.
    Expected,
    /// Whether it is met.
    Met,
}

impl Column {
    /// Every column, in the order shown.
    pub const ALL: [Column; 8] = [
        Column::Index,
        Column::Decision,
        Column::Action,
        Column::Resource,
        Column::Principal,
        Column::DecidedBy,
        Column::Expected,
        Column::Met,
    ];

    /// Its heading.
    pub fn label(self) -> &'static str {
        match self {
            Column::Index => "#",
            Column::Decision => "Decision",
            Column::Action => "Action",
            Column::Resource => "Resource",
            Column::Principal => "Principal",
            Column::DecidedBy => "Decided by",
            Column::Expected => "Expected",
            Column::Met => "Result",
        }
    }

    /// A short id (for test ids and CSS).
    pub fn id(self) -> &'static str {
        match self {
            Column::Index => "index",
            Column::Decision => "decision",
            Column::Action => "action",
            Column::Resource => "resource",
            Column::Principal => "principal",
            Column::DecidedBy => "decided-by",
            Column::Expected => "expected",
            Column::Met => "met",
        }
    }
}

/// The sort: a column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sort {
    /// The column.
    pub column: Column,
    /// Descending.
    pub descending: bool,
}

impl Sort {
    /// The sort after clicking `column`'s heading: ascending, then
    /// descending.
    pub fn toggled(self, column: Column) -> Sort {
        Sort {
            column,
            descending: self.column == column && !self.descending,
        }
    }
}

/// Sort rank of an outcome: allowed, explicitly denied, implicitly
/// denied, waiting, invalid.
fn decision_rank(row: Option<&Row>) -> u8 {
    let Some(Row { outcome, .. }) = row else {
        return 5;
    };
    match outcome {
        Outcome::Decided(v) => match v.decision {
            Decision::Allow => 0,
            Decision::ExplicitDeny => 1,
            Decision::ImplicitDeny => 2,
        },
        Outcome::Pending => 3,
        Outcome::Invalid(_) => 4,
    }
}

/// The rows to show, in order: those `filter` keeps whose action,
/// resource or principal contains `text` (any case), sorted by `sort`
/// (ties in the suite's order).
pub fn visible(results: &Results, filter: Filter, text: &str, sort: Sort) -> Vec<u32> {
    let needle = text.trim();
    let mut shown: Vec<u32> = results
        .cases
        .iter()
        .enumerate()
        .filter(|(i, case)| {
            filter.keeps(results.row(*i))
                && mentions(&case.request, case.expanded_from.as_deref(), needle)
        })
        .filter_map(|(i, _)| u32::try_from(i).ok())
        .collect();
    let case = |i: u32| results.cases.get(i as usize);
    let row = |i: u32| results.row(i as usize);
    let text_of = |i: u32, f: fn(&iam_engine::scenario::RequestInput) -> &str| {
        case(i).map_or("", |c| f(&c.request))
    };
    let compare: Box<dyn Fn(u32, u32) -> Ordering> = match sort.column {
        Column::Index => Box::new(|a, b| a.cmp(&b)),
        Column::Decision => Box::new(|a, b| {
            let rank = |i| decision_rank(row(i));
            rank(a).cmp(&rank(b))
        }),
        Column::Action => {
            Box::new(move |a, b| text_of(a, |r| &r.action).cmp(text_of(b, |r| &r.action)))
        }
        Column::Resource => {
            Box::new(move |a, b| text_of(a, |r| &r.resource).cmp(text_of(b, |r| &r.resource)))
        }
        Column::Principal => {
            Box::new(move |a, b| text_of(a, |r| &r.principal).cmp(text_of(b, |r| &r.principal)))
        }
        Column::Expected => Box::new(|a, b| {
            let label = |i: u32| super::expectation_label(results.expect(i as usize));
            label(a).cmp(label(b))
        }),
        Column::Met => Box::new(|a, b| {
            // Failing first, then passing, then unchecked.
            let rank = |i| match row(i).and_then(|r| r.met) {
                Some(false) => 0,
                Some(true) => 1,
                None => 2,
            };
            rank(a).cmp(&rank(b))
        }),
        Column::DecidedBy => {
            // One label per row, computed once.
            let labels: Vec<String> = shown
                .iter()
                .map(|&i| match row(i).map(|r| &r.outcome) {
                    Some(Outcome::Decided(v)) => decided_by(v),
                    _ => String::new(),
                })
                .collect();
            let mut keyed: Vec<(String, u32)> = labels.into_iter().zip(shown).collect();
            keyed.sort_by(|(la, a), (lb, b)| {
                let order = la.cmp(lb);
                let order = if sort.descending {
                    order.reverse()
                } else {
                    order
                };
                order.then(a.cmp(b))
            });
            return keyed.into_iter().map(|(_, i)| i).collect();
        }
    };
    shown.sort_by(|&a, &b| {
        let order = compare(a, b);
        let order = if sort.descending {
            order.reverse()
        } else {
            order
        };
        order.then(a.cmp(&b))
    });
    shown
}
