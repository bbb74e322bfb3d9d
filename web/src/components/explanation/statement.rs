//! One statement of the explanation and its elements: patterns, principal
//! entries and conditions, with match marks and the values compared.

use iam_engine::condition::ConditionTrace;
use iam_engine::explain::{Check, PatternCheck, PrincipalCheck, StatementTrace};
use iam_engine::policy::Effect;
use iam_engine::source::Span;
use iam_engine::visible::show_controls;
use yew::prelude::*;

use super::view;
use super::{rich, Highlighter};
use crate::components::markup::{self as m, Attrs};
use yew::virtual_dom::AttributeOrProperty;

/// Properties of [`StatementRow`].
#[derive(Properties, PartialEq)]
pub struct StatementRowProps {
    /// The key of this row in the open map.
    pub open_key: String,
    /// The statement.
    pub statement: StatementTrace,
    /// Whether its elements are shown.
    pub open: bool,
    /// Records open/closed.
    pub ontoggle: Callback<(String, bool)>,
    /// Sends highlights to the editor.
    pub highlighter: Highlighter,
    /// The draft holding its text, when linked.
    pub policy_id: Option<u32>,
    /// Whether it produced its step's outcome.
    pub determining: bool,
    /// Whether the editor's caret is inside it.
    pub caret: bool,
}

/// `<li data-testid="statement">`.
#[component]
pub fn StatementRow(props: &StatementRowProps) -> Html {
    let s = &props.statement;
    let row = use_node_ref();
    {
        let row = row.clone();
        use_effect_with(props.caret, move |caret| {
            if *caret {
                scroll_into_view_if_visible(&row);
            }
        });
    }
    let hl = props.highlighter.handlers(props.policy_id, s.span, None);
    let onclick = {
        let ontoggle = props.ontoggle.clone();
        let key = props.open_key.clone();
        let open = props.open;
        Callback::from(move |_: MouseEvent| ontoggle.emit((key.clone(), !open)))
    };
    let (mark, _) = view::mark(s.matched);
    let body_id = format!("stmt-{}", props.open_key.replace(['/', ' '], "-"));
    let effect_class = match s.effect {
        Effect::Allow => "effect effect--allow",
        Effect::Deny => "effect effect--deny",
    };
    // Bidirectional and zero-width controls in a Sid are shown as
    // `⟨U+202E⟩`, so a Sid cannot display as another one.
    let label = if s.at.statement.starts_with('#') {
        format!("Statement {}", s.at.statement)
    } else {
        show_controls(&s.at.statement).into_owned()
    };
    html! {
        <li ref={row} data-testid="statement"
            data-policy={s.at.policy.to_string()}
            data-statement={s.at.statement.to_string()}
            data-matched={if s.matched { "true" } else { "false" }}
            class={classes!(
                "stmt",
                if s.matched { "stmt--yes" } else { "stmt--no" },
                props.determining.then_some("stmt--determining"),
                props.caret.then_some("stmt--caret"),
            )}
            onmouseenter={hl.enter} onmouseleave={hl.leave}>
            <button type="button" class="stmt__toggle"
                aria-expanded={if props.open { "true" } else { "false" }}
                aria-controls={props.open.then_some(body_id.clone())}
                onfocus={hl.focus} onblur={hl.blur} {onclick}>
                { mark_hidden(s.matched, mark) }
                { m::span(effect_class, m::string(s.effect.to_string())) }
                { m::span("stmt__sid", m::string(label)) }
                { m::span("stmt__gist", m::string(view::statement_gist(s))) }
                if props.caret {
                    { m::span("visually-hidden", m::text(" (the editor's caret is in this statement)")) }
                }
                { m::el("span", CHEVRON, Html::default()) }
            </button>
            if props.open {
                <ul class="checks" id={body_id}>
                    { for s.checks.iter().map(|c| check_row(props, c)) }
                    if s.checks.is_empty() {
                        <li class="check">{ "No elements to check." }</li>
                    }
                </ul>
            }
        </li>
    }
}

/// Scrolls `row` into view inside the scrolling box that holds the
/// explanation (the decision panel on wide screens), by the least amount.
/// Never scrolls the page itself, so the editor the caret is in stays put.
fn scroll_into_view_if_visible(row: &NodeRef) {
    let Some(el) = row.cast::<web_sys::Element>() else {
        return;
    };
    let mut parent = el.parent_element();
    let container = loop {
        let Some(p) = parent else {
            return;
        };
        let tag = p.tag_name();
        if tag.eq_ignore_ascii_case("body") || tag.eq_ignore_ascii_case("html") {
            return;
        }
        if p.scroll_height() > p.client_height() + 1 && p.client_height() > 0 {
            break p;
        }
        parent = p.parent_element();
    };
    let window_bottom = gloo::utils::window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(f64::MAX);
    let c = container.get_bounding_client_rect();
    let r = el.get_bounding_client_rect();
    let top = c.top().max(0.0);
    let bottom = c.bottom().min(window_bottom);
    if bottom <= top {
        return;
    }
    let margin = 8.0;
    let delta = if r.top() < top {
        r.top() - top - margin
    } else if r.bottom() > bottom {
        (r.bottom() - bottom + margin).min(r.top() - top - margin)
    } else {
        0.0
    };
    if delta.abs() >= 1.0 {
        container.set_scroll_top(container.scroll_top() + delta.round() as i32);
    }
}

fn check_row(props: &StatementRowProps, check: &Check) -> Html {
    let span = view::check_span(check);
    let hl = props
        .highlighter
        .handlers(props.policy_id, span, Some(props.statement.span));
    let matched = check.matched();
    let (mark, _) = view::mark(matched);
    let body = match check {
        Check::Action(c) | Check::Resource(c) => pattern_body(props, c, span),
        Check::Principal(c) => principal_body(props, c, span),
        Check::Condition(c) => condition_body(props, c, span),
    };
    html! {
        <li class={classes!("check", if matched { "check--yes" } else { "check--no" })}
            tabindex="0" onmouseenter={hl.enter} onmouseleave={hl.leave} onfocus={hl.focus} onblur={hl.blur}>
            { m::tag("div", "check__head", html! { <>
                { mark_hidden(matched, mark) }
                { m::code("check__name", m::text(view::element_name(check))) }
                { m::span("check__verdict", m::text(view::check_verdict(check))) }
            </> }) }
            { body }
        </li>
    }
}

fn value_item(
    props: &StatementRowProps,
    parent: Span,
    span: Span,
    matched: bool,
    neutral: bool,
    content: Html,
) -> Html {
    let hl = props
        .highlighter
        .handlers(props.policy_id, span, Some(parent));
    let (mark, words) = view::mark(matched);
    html! {
        <li class={classes!("val", if neutral { "val--neutral" } else if matched { "val--yes" } else { "val--no" })}
            tabindex="0" onmouseenter={hl.enter} onmouseleave={hl.leave} onfocus={hl.focus} onblur={hl.blur}>
            { m::span(if matched { "mark mark--yes" } else { "mark mark--no" }, html! { <>
                { m::el("span", HIDDEN, m::text(mark)) }
                { m::span("visually-hidden", m::text(words)) }
            </> }) }
            { content }
        </li>
    }
}

fn pattern_body(props: &StatementRowProps, c: &PatternCheck, span: Span) -> Html {
    html! {
        <div class="check__body">
            { request_kv(m::code("kv__v", m::string(c.request_value.to_string()))) }
            <ul class="vals">
                { for c.patterns.iter().map(|p| value_item(props, span, p.span, p.matched, c.negated, html! {
                    <>
                        { m::code("", m::string(p.pattern.to_string())) }
                        if let Some(key) = &p.unresolved {
                            { unresolved_marker(key) }
                        }
                        if let Some(resolved) = &p.resolved {
                            { becomes(resolved.as_str()) }
                        }
                        { matches_words(p.matched) }
                        if let Some(note) = &p.note {
                            { m::span("val__note", rich(note)) }
                        }
                    </>
                })) }
            </ul>
        </div>
    }
}

const HIDDEN: Attrs = &[("aria-hidden", AttributeOrProperty::Static("true"))];
const CHEVRON: Attrs = &[
    ("class", AttributeOrProperty::Static("step__chevron")),
    ("aria-hidden", AttributeOrProperty::Static("true")),
];
const ARROW_HIDDEN: Attrs = &[
    ("class", AttributeOrProperty::Static("val__arrow")),
    ("aria-hidden", AttributeOrProperty::Static("true")),
];
const BECOMES: Attrs = &[
    ("class", AttributeOrProperty::Static("val__arrow")),
    ("aria-label", AttributeOrProperty::Static("becomes")),
];
const SUBSTITUTED: Attrs = &[(
    "title",
    AttributeOrProperty::Static("after substituting policy variables"),
)];
const MARK_YES: Attrs = &[
    ("class", AttributeOrProperty::Static("mark mark--yes")),
    ("aria-hidden", AttributeOrProperty::Static("true")),
];
const MARK_NO: Attrs = &[
    ("class", AttributeOrProperty::Static("mark mark--no")),
    ("aria-hidden", AttributeOrProperty::Static("true")),
];

/// `✓`/`✗`, hidden from screen readers (the row says it in words).
fn mark_hidden(matched: bool, mark: &'static str) -> Html {
    m::el(
        "span",
        if matched { MARK_YES } else { MARK_NO },
        m::text(mark),
    )
}

/// "Request value".
fn request_kv(value: Html) -> Html {
    m::p(
        "kv",
        html! { <>{ m::span("kv__k", m::text("Request")) }{ value }</> },
    )
}

/// "→ `resolved`": a pattern after substituting its variables.
fn becomes(resolved: &str) -> Html {
    html! {
        <>
            { m::el("span", BECOMES, m::text(" → ")) }
            { m::el("code", SUBSTITUTED, m::string(resolved.to_owned())) }
        </>
    }
}

/// " matches" / " does not match".
fn matches_words(matched: bool) -> Html {
    m::span(
        "val__words",
        m::text(if matched {
            " matches"
        } else {
            " does not match"
        }),
    )
}

/// "→ unresolved `${key}`": the variable has no value in the request.
fn unresolved_marker(key: &str) -> Html {
    html! {
        <>
            { m::el("span", ARROW_HIDDEN, m::text(" → ")) }
            <span class="val__unresolved" data-testid="unresolved"
                title="this policy variable has no value in the request and no default">
                { "unresolved " }{ m::code("", m::string(format!("${{{key}}}"))) }
            </span>
        </>
    }
}

fn principal_body(props: &StatementRowProps, c: &PrincipalCheck, span: Span) -> Html {
    html! {
        <div class="check__body">
            { request_kv(m::code("kv__v", m::string(c.request_value.to_string()))) }
            <ul class="vals">
                { for c.entries.iter().map(|e| value_item(props, span, e.span, e.matched.is_some(), false, html! {
                    <>
                        if let Some(kind) = e.kind {
                            { m::span("chip", m::text(kind.as_str())) }{ " " }
                        }
                        { m::code("", m::string(e.value.to_string())) }
                        { m::span("val__words", html! { <>{ " " }{ view::principal_match_text(e.matched) }</> }) }
                    </>
                })) }
            </ul>
        </div>
    }
}

fn condition_body(props: &StatementRowProps, c: &ConditionTrace, span: Span) -> Html {
    let negated = view::is_negated_operator(c);
    let request = match &c.request_values {
        None => m::tag("em", "", m::text("not in the request")),
        Some(values) if values.is_empty() => m::tag("em", "", m::text("an empty list")),
        Some(values) => html! {
            <>{ for values.iter().enumerate().map(|(i, v)| html! {
                <>{ if i > 0 { ", " } else { "" } }{ m::code("", m::string(v.to_string())) }</>
            }) }</>
        },
    };
    html! {
        <div class="check__body">
            { m::p("cond__sig", html! { <>
                { m::code("cond__op", m::string(view::operator_label(c))) }
                { m::span("cond__on", m::text(" on ")) }
                { m::code("cond__key", m::string(c.key.to_string())) }
            </> }) }
            { request_kv(m::span("kv__v", request)) }
            if let Some(q) = c.qualifier {
                { m::p("cond__rule", m::string(format!("{}: {}.", q.name(), view::qualifier_rule(q)))) }
            }
            if negated {
                { m::p("cond__rule", html! { <>
                    { m::code("", m::string(view::operator_label(c))) }{ " holds only when no policy value matches the request value." }
                </> }) }
            }
            if !c.comparisons.is_empty() {
                <ul class="vals">
                    { for c.comparisons.iter().map(|cmp| value_item(props, span, cmp.span, cmp.matched, negated, html! {
                        <>
                            if let Some(rv) = &cmp.request_value {
                                { m::code("", m::string(rv.to_string())) }{ m::span("val__vs", m::text(" vs ")) }
                            }
                            { m::code("", m::string(cmp.policy_value.to_string())) }
                            if let Some(key) = &cmp.unresolved {
                                { unresolved_marker(key) }
                            }
                            if let Some(resolved) = &cmp.resolved_value {
                                { becomes(resolved.as_str()) }
                            }
                            { matches_words(cmp.matched) }
                            if let Some(note) = &cmp.note {
                                { m::span("val__note", rich(&note.to_string())) }
                            }
                        </>
                    })) }
                </ul>
            }
            if let Some(note) = &c.note {
                { m::p("cond__note", rich(&super::step::capitalise(&note.to_string()))) }
            }
            { m::p("cond__result", m::string(format!("{} {}", view::operator_label(c), if c.outcome.is_match() { "holds." } else { "does not hold." }))) }
        </div>
    }
}
