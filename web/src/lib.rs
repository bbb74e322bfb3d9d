//! IAM Policy Playground: the Yew single-page app.
//!
//! Everything runs in the browser. The app links the `iam-engine` crate as
//! plain Rust (no JavaScript boundary), so policies never leave the page.
//!
//! Layout: [`app`] holds the top-level component, [`components`] the
//! reusable parts, and [`state`] the UI state, which has no DOM access and
//! is unit-tested natively.

pub mod account;
pub mod app;
pub mod catalog;
pub mod components;
pub mod drafts;
pub mod editor;
pub mod embed;
pub mod extended_checks;
pub mod findings;
pub mod flow_diagram;
pub mod gallery;
pub mod import_export;
pub mod live;
pub mod request_list;
pub mod results;
pub mod share_link;
pub mod state;
pub mod workspace;

/// The id of the element the app mounts into (see `static/index.html`).
pub const ROOT_ELEMENT_ID: &str = "app";

/// Entry point, run by the wasm-bindgen glue once the module is instantiated.
///
/// Mounts [`app::App`] into `#app`, after unpacking the share link in the
/// address bar if there is one (the browser's decompressor is
/// asynchronous). When that element is missing (for example in a
/// `wasm-bindgen-test` binary that links this library) it does nothing, so
/// tests can mount the app wherever they like. Only with the feature
/// `start` (on by default; the account module turns it off).
#[cfg_attr(feature = "start", wasm_bindgen::prelude::wasm_bindgen(start))]
pub fn start() {
    if let Some(root) = gloo::utils::document().get_element_by_id(ROOT_ELEMENT_ID) {
        if drafts::has_link_at_start() {
            wasm_bindgen_futures::spawn_local(async move {
                drafts::read_link_at_start().await;
                yew::Renderer::<app::App>::with_root(root).render();
            });
        } else {
            yew::Renderer::<app::App>::with_root(root).render();
        }
    }
}
