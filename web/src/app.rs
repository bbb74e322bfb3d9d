//! The top-level component: state, layout, and the context every component
//! reads the state from.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::{DecisionPanel, PolicyPanel, RequestPanel, ResultsTable, Toolbar};
use crate::state::{AppState, EvalView};
use crate::workspace::Workspace;

/// The state handle every component gets from context: read `state`, send
/// actions with `dispatch`.
pub type AppHandle = UseReducerHandle<AppState>;

/// The scenario shown on first visit.
pub fn default_workspace() -> Workspace {
    Workspace::from_scenario_text(include_str!(
        "../../tests/corpus/gallery/02-s3-admin-deny-secret.json"
    ))
    .unwrap_or_default()
}

/// The whole application.
#[component]
pub fn App() -> Html {
    // Share link in the URL fragment > saved draft > default (drafts.rs).
    let embed = *use_memo((), |_| crate::embed::is_embed());
    let state = use_reducer(|| crate::drafts::initial_state(embed));
    crate::drafts::use_draft_autosave(&state, !embed);
    crate::drafts::use_share_link_navigation(&state, embed);
    if embed {
        return html! {
            <ContextProvider<AppHandle> context={state.clone()}>
              <crate::catalog::CatalogProvider with_checks=true>
                <EmbedLive />
              </crate::catalog::CatalogProvider>
            </ContextProvider<AppHandle>>
        };
    }
    html! {
        <ContextProvider<AppHandle> context={state.clone()}>
          <crate::catalog::CatalogProvider with_checks=true>
            <Workbench />
          </crate::catalog::CatalogProvider>
        </ContextProvider<AppHandle>>
    }
}

/// The embedded view, validated with the catalogue once it has loaded (as
/// the full app: after the first decision, never delaying it).
#[component]
fn EmbedLive() -> Html {
    let app = crate::components::use_app();
    let catalog = crate::catalog::use_catalog();
    let checks = crate::catalog::use_extended_checks();
    let empty = Workspace::default();
    let workspace = app.as_ref().map_or(&empty, |a| &a.workspace);
    let view: Rc<EvalView> = crate::live::use_live_view(workspace, catalog, checks);
    html! { <crate::embed::EmbedView view={view} /> }
}

/// The page inside the catalogue's provider, so the live view (decision
/// and findings) is validated with the catalogue once it has loaded.
#[component]
fn Workbench() -> Html {
    let app = crate::components::use_app();
    let catalog = crate::catalog::use_catalog();
    let catalog_status = crate::catalog::use_catalog_status();
    let checks_status = crate::catalog::use_checks_status();
    let checks = checks_status.ready();
    let empty = Workspace::default();
    let workspace = app.as_ref().map_or(&empty, |a| &a.workspace);
    // Live: recomputed as the person types (debounced if ever slow; live.rs).
    let view: Rc<EvalView> = crate::live::use_live_view(workspace, catalog, checks);
    // A suite (`requests` or `matrix`) gets the results table; a single
    // request looks as it always did.
    let suite = workspace.has_suite();
    html! {
        <div class="layout">
            { crate::components::header() }
            <Toolbar />
            <main class={classes!("main", suite.then_some("main--suite"))} id="main">
                <div class="main__inputs">
                    <PolicyPanel view={view.clone()} />
                    <RequestPanel view={view.clone()} />
                </div>
                <DecisionPanel view={view} />
                if suite {
                    <ResultsTable />
                }
            </main>
            { crate::components::footer(catalog_status, checks_status) }
        </div>
    }
}
