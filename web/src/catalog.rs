//! The service catalogue in the app: fetched from `catalog.bin` (next to
//! the page) only after the first decision has been painted, so it never
//! delays it, and cached by the browser like any file. Components read it
//! with [`use_catalog`]; until it is loaded (or if it cannot be) they work
//! without it. Then the checks module ([`crate::extended_checks`]) is
//! loaded and given the catalogue; components read it with
//! [`use_extended_checks`].

use std::rc::Rc;

use iam_engine::Catalog;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::extended_checks::ExtendedChecks;

/// Where the catalogue file is, relative to the page.
pub const CATALOG_URL: &str = "catalog.bin";

/// Whether the catalogue is there.
#[derive(Clone, Debug)]
pub enum CatalogStatus {
    /// Not loaded yet.
    Loading,
    /// Loaded and decoded.
    Ready(Rc<Catalog>),
    /// It could not be fetched or decoded: why.
    Failed(String),
}

impl PartialEq for CatalogStatus {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (CatalogStatus::Loading, CatalogStatus::Loading) => true,
            (CatalogStatus::Ready(a), CatalogStatus::Ready(b)) => Rc::ptr_eq(a, b),
            (CatalogStatus::Failed(a), CatalogStatus::Failed(b)) => a == b,
            _ => false,
        }
    }
}

/// The catalogue, once it is loaded.
#[hook]
pub fn use_catalog() -> Option<Rc<Catalog>> {
    match use_context::<Loaded>().map(|l| l.catalog) {
        Some(CatalogStatus::Ready(catalog)) => Some(catalog),
        _ => None,
    }
}

/// Whether the catalogue is loading, loaded or unavailable.
#[hook]
pub fn use_catalog_status() -> CatalogStatus {
    use_context::<Loaded>().map_or(CatalogStatus::Loading, |l| l.catalog)
}

/// Whether the checks module is there.
#[derive(Clone, Debug)]
pub enum ChecksStatus {
    /// Not loaded yet (or not asked for).
    Loading,
    /// Loaded, with the catalogue.
    Ready(Rc<ExtendedChecks>),
    /// It could not be loaded: why.
    Failed(String),
}

impl PartialEq for ChecksStatus {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (ChecksStatus::Loading, ChecksStatus::Loading) => true,
            (ChecksStatus::Ready(a), ChecksStatus::Ready(b)) => Rc::ptr_eq(a, b),
            (ChecksStatus::Failed(a), ChecksStatus::Failed(b)) => a == b,
            _ => false,
        }
    }
}

impl ChecksStatus {
    /// The checks module, if it is loaded.
    pub fn ready(&self) -> Option<Rc<ExtendedChecks>> {
        match self {
            ChecksStatus::Ready(checks) => Some(checks.clone()),
            _ => None,
        }
    }
}

/// The checks module, once it is loaded.
#[hook]
pub fn use_extended_checks() -> Option<Rc<ExtendedChecks>> {
    use_checks_status().ready()
}

/// Whether the checks module is loading, loaded or unavailable.
#[hook]
pub fn use_checks_status() -> ChecksStatus {
    use_context::<Loaded>().map_or(ChecksStatus::Loading, |l| l.checks)
}

/// What [`CatalogProvider`] provides. (One context for both: each context
/// type costs the page's module its own copy of Yew's provider code.)
#[derive(Clone, Debug, PartialEq)]
struct Loaded {
    catalog: CatalogStatus,
    checks: ChecksStatus,
}

/// Properties of [`CatalogProvider`].
#[derive(Properties, PartialEq)]
pub struct CatalogProviderProps {
    /// What can use the catalogue.
    pub children: Html,
    /// Whether to load the checks module once the catalogue is loaded (the
    /// page does; the account dialog's module does not).
    #[prop_or_default]
    pub with_checks: bool,
}

fn js_error(value: JsValue) -> String {
    value
        .as_string()
        .or_else(|| {
            value
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "network error".to_owned())
}

/// Fetches and decodes the catalogue; also gives its bytes (for the checks
/// module), outside the module's memory.
async fn fetch_catalog() -> Result<(Catalog, js_sys::Uint8Array), String> {
    let window = web_sys::window().ok_or("no window")?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(CATALOG_URL))
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(js_error)?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    let array = js_sys::Uint8Array::new(&buffer);
    let bytes = array.to_vec();
    let start = performance_now();
    let catalog = Catalog::decode(&bytes).map_err(|e| e.to_string())?;
    // For the browser benchmark (tests/e2e/bench.rs): how long decoding took.
    if let (Some(start), Some(end)) = (start, performance_now()) {
        let _ = js_sys::Reflect::set(
            &window,
            &"__catalogDecodeMs".into(),
            &JsValue::from_f64(end - start),
        );
    }
    Ok((catalog, array))
}

/// `performance.now()`, in milliseconds.
fn performance_now() -> Option<f64> {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok()?;
    let now: js_sys::Function = js_sys::Reflect::get(&performance, &"now".into())
        .ok()?
        .dyn_into()
        .ok()?;
    now.call0(&performance).ok()?.as_f64()
}

/// Runs `f` once the next frame has been painted.
fn after_next_paint(f: impl FnOnce() + 'static) {
    let then = move || gloo::timers::callback::Timeout::new(0, f).forget();
    let callback = wasm_bindgen::closure::Closure::once_into_js(then);
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(callback.unchecked_ref());
    }
}

/// Records `performance.now()` as `window[name]`, for the browser
/// benchmark (tests/e2e/bench.rs).
fn mark(name: &str) {
    if let (Some(window), Some(now)) = (web_sys::window(), performance_now()) {
        let _ = js_sys::Reflect::set(&window, &name.into(), &JsValue::from_f64(now));
    }
}

/// Provides the catalogue to its children, loading it after the first
/// paint, and then (with `with_checks`) the checks module.
#[component]
pub fn CatalogProvider(props: &CatalogProviderProps) -> Html {
    let loaded = use_state(|| Loaded {
        catalog: CatalogStatus::Loading,
        checks: ChecksStatus::Loading,
    });
    {
        let loaded = loaded.clone();
        let with_checks = props.with_checks;
        use_effect_with((), move |_| {
            after_next_paint(move || {
                wasm_bindgen_futures::spawn_local(async move {
                    // Without the catalogue the module still runs the
                    // checks that need none.
                    let (catalog, bytes) = match fetch_catalog().await {
                        Ok((catalog, bytes)) => {
                            (CatalogStatus::Ready(Rc::new(catalog)), Some(bytes))
                        }
                        Err(why) => (CatalogStatus::Failed(why), None),
                    };
                    loaded.set(Loaded {
                        catalog: catalog.clone(),
                        checks: ChecksStatus::Loading,
                    });
                    if with_checks {
                        let checks = match crate::extended_checks::load(bytes.as_ref()).await {
                            Ok(checks) => {
                                mark("__checksReadyMs");
                                ChecksStatus::Ready(Rc::new(checks))
                            }
                            Err(why) => ChecksStatus::Failed(why),
                        };
                        loaded.set(Loaded { catalog, checks });
                    }
                });
            });
        });
    }
    html! {
        <ContextProvider<Loaded> context={(*loaded).clone()}>
            { props.children.clone() }
        </ContextProvider<Loaded>>
    }
}
