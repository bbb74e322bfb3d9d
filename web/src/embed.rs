//! The embedded view (`?embed` in the query) for documentation sites: the
//! scenario's policies (read-only) and request, each with its problems
//! (the catalogue's findings too, once it has loaded) behind a count, the
//! decision and its explanation, and an "Open in playground" link; no
//! toolbar.

use std::rc::Rc;

use iam_engine::Diagnostic;
use yew::prelude::*;

use crate::components::{
    footer, notice_bar, problems as problems_list, use_app, DecisionPanel, NoticeBarProps,
    ProblemsProps,
};
use crate::findings;
use crate::state::EvalView;
use crate::workspace::Workspace;

/// Whether the page was opened as `…?embed` (or `?embed=1`, `?x&embed`).
pub fn is_embed_query(search: &str) -> bool {
    search
        .trim_start_matches('?')
        .split('&')
        .any(|p| p == "embed" || p.starts_with("embed="))
}

/// Whether this page is the embedded view.
pub fn is_embed() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|s| is_embed_query(&s))
}

/// The page's address without query and fragment: works under any sub-path.
pub fn page_base() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// The share link of `workspace` (no `?embed`), whose share fragment is
/// `fragment` ([`use_share_fragment`]).
pub fn share_url(base: &str, fragment: &str) -> String {
    format!("{base}{fragment}")
}

/// The share fragment of the app's workspace, packed in the background
/// (the browser's compressor is asynchronous): `None` while `enabled` is
/// false and until the first packing is done; after an edit, the previous
/// fragment until the new one is ready.
#[hook]
pub fn use_share_fragment(app: Option<&crate::app::AppHandle>, enabled: bool) -> Option<String> {
    let fragment = use_state(|| None::<String>);
    // Packings can finish out of order: only the latest one is kept.
    let latest = use_mut_ref(|| 0_u64);
    {
        let fragment = fragment.clone();
        let app = app.filter(|_| enabled).cloned();
        let revision = app.as_ref().map(|a| a.revision);
        use_effect_with(revision, move |_| {
            *latest.borrow_mut() += 1;
            let Some(app) = app else {
                fragment.set(None);
                return;
            };
            let ticket = *latest.borrow();
            wasm_bindgen_futures::spawn_local(async move {
                let packed = crate::share_link::share_fragment(&app.workspace).await;
                if *latest.borrow() == ticket {
                    fragment.set(packed);
                }
            });
        });
    }
    (*fragment).clone()
}

/// The `<iframe>` snippet embedding `workspace`, whose share fragment is
/// `fragment`.
pub fn iframe_snippet(base: &str, fragment: &str, workspace: &Workspace) -> String {
    let title = workspace
        .name
        .as_deref()
        .unwrap_or("IAM policy evaluation")
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    format!(
        "<iframe src=\"{base}?embed{fragment}\" title=\"IAM Policy Playground: {title}\" width=\"100%\" height=\"640\" style=\"border: 1px solid #ccc; border-radius: 8px\" loading=\"lazy\"></iframe>"
    )
}

/// The problems of a policy or of the request, read-only: a count by
/// severity (`data-testid="embed-problems"`) that opens, as a disclosure
/// (keyboard: Tab, then Enter or Space), the problems list (most serious
/// first; line and column, message, help, codes, "learn more"). Nothing
/// when there are none.
fn problems(id: u32, text: &str, diagnostics: &[Diagnostic], of: &str) -> Html {
    let Some((counts, worst)) = findings::summary(diagnostics) else {
        return Html::default();
    };
    html! {
        <details class="embed__problems" data-testid="embed-problems">
            <summary class="embed__problems-summary">
                <span class="visually-hidden">{ format!("Problems in {of}: ") }</span>
                <span class={format!("count count--{}", worst.class)}>{ counts }</span>
            </summary>
            { problems_list(None, &ProblemsProps {
                id,
                text: AttrValue::from(text.to_owned()),
                diagnostics: Rc::new(diagnostics.to_vec()),
                read_only: true,
            }) }
        </details>
    }
}

/// Properties of [`EmbedView`].
#[derive(Properties, PartialEq)]
pub struct EmbedViewProps {
    /// The evaluation of the scenario.
    pub view: Rc<EvalView>,
}

/// The compact, read-only view.
#[component]
pub fn EmbedView(props: &EmbedViewProps) -> Html {
    let app = use_app();
    let catalog = crate::catalog::use_catalog_status();
    let checks = crate::catalog::use_checks_status();
    let fragment = use_share_fragment(app.as_ref(), true);
    let Some(app) = app else {
        return Html::default();
    };
    let ws = &app.workspace;
    let policies = ws.policies.iter().map(|p| {
        let mut kind = p.policy_type.label().to_owned();
        if p.policy_type.has_levels() && !p.level.is_empty() {
            kind.push_str(&format!(", {}", p.level));
        }
        if !p.account.is_empty() {
            kind.push_str(&format!(", account {}", p.account));
        }
        html! {
            <article class="embed__policy" key={p.id} data-testid="embed-policy" data-policy-name={p.name.clone()}>
                <h3 class="embed__policy-name">{ &p.name }<span class="embed__policy-type">{ format!(" ({kind})") }</span></h3>
                <pre class="embed__policy-text" tabindex="0" aria-label={format!("Policy {} (read-only)", p.name)}>{ &p.text }</pre>
                { problems(p.id, &p.text, props.view.diagnostics_of(p.id), &format!("policy {}", p.name)) }
            </article>
        }
    });
    let r = &ws.request;
    let row = |label: &'static str, value: &str| {
        (!value.trim().is_empty()).then(|| {
            html! { <><dt>{ label }</dt><dd><code>{ value.to_owned() }</code></dd></> }
        })
    };
    let context = r.context.iter().map(|c| {
        html! { <><dt><code>{ &c.key }</code></dt><dd><code>{ &c.value }</code></dd></> }
    });
    html! {
        <div class="embed" data-testid="embed-view">
            <header class="embed__header">
                <div>
                    <p class="embed__brand">{ "IAM Policy Playground" }</p>
                    if let Some(name) = &ws.name {
                        <h1 class="embed__title">{ crate::gallery::display_title(name) }</h1>
                    }
                </div>
                if let Some(fragment) = fragment {
                    <a class="button embed__open" href={share_url(&page_base(), &fragment)} target="_blank" rel="noopener" data-testid="open-in-playground">
                        { "Open in playground ↗" }
                    </a>
                }
            </header>
            { notice_bar(&app, &NoticeBarProps::default()) }
            <div class="embed__body">
                <section class="embed__inputs" aria-label="Scenario">
                    { for policies }
                    <section class="embed__request" aria-labelledby="embed-request-heading">
                        <h3 id="embed-request-heading">{ "Request" }</h3>
                        <dl data-testid="embed-request">
                            { row("Principal", &r.principal) }
                            { row("Action", &r.action) }
                            { row("Resource", &r.resource) }
                            { row("Resource account", &r.resource_account) }
                            { for context }
                        </dl>
                        { problems(0, "", &props.view.request_diagnostics, "the request") }
                    </section>
                </section>
                <DecisionPanel view={props.view.clone()} />
            </div>
            { footer(catalog, checks) }
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::gallery::EXAMPLES;

    #[test]
    fn embed_query() {
        assert!(is_embed_query("?embed"));
        assert!(is_embed_query("?embed=1"));
        assert!(is_embed_query("?a=b&embed"));
        assert!(!is_embed_query(""));
        assert!(!is_embed_query("?embedded-not"));
    }

    #[test]
    fn snippet_points_at_the_embed_view_of_this_scenario() {
        let ws = EXAMPLES[1].workspace();
        let base = "https://docs.example.com/tools/playground/";
        let fragment = crate::share_link::fragment_for(&ws);
        let s = iframe_snippet(base, &fragment, &ws);
        assert!(
            s.starts_with("<iframe src=\"https://docs.example.com/tools/playground/?embed#s=1."),
            "{s}"
        );
        assert!(s.ends_with("</iframe>"));
        let url = share_url(base, &fragment);
        assert!(url.starts_with("https://docs.example.com/tools/playground/#s=1."));
        assert!(!url.contains("embed"));
    }
}
