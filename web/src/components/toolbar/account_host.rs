//! Where the account dialog opens. The dialog (account import, the
//! principal picker and "who can…") is a WebAssembly module of its own,
//! `web/account`, fetched from [`ACCOUNT_MODULE_URL`] the first time it is
//! opened, so the page's first load does not carry it (BENCHMARKS.md,
//! "The account dialog as a module of its own"). That module links the app's
//! and the engine's Rust code like this one does; the two exchange only the
//! workspace, as the scenario text a draft stores, and the dialog's
//! answers. Once loaded it stays: the account read is kept across openings.
//!
//! The dialog is mounted outside the app's root element, in an element of
//! its own at the end of `<body>`: each Yew app dispatches the events that
//! reach its root by the listener numbers it stamps on elements, and the
//! two apps' numbers would collide.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use super::dialog::Modal;
use crate::drafts::{draft_text, parse_draft};
use crate::workspace::Workspace;

/// Where the account dialog's module (its wasm-bindgen glue) is, relative
/// to the page.
pub const ACCOUNT_MODULE_URL: &str = "account/iam_playground_account.js";

#[wasm_bindgen(inline_js = r#"
let loading = null;
let loaded = null;
let failures = 0;
export function load_account_module(url) {
  if (!loading) {
    const address = new URL(url, document.baseURI);
    // The browser remembers a failed import of an address: a retry asks anew.
    if (failures) address.searchParams.set("retry", failures);
    loading = import(address.href)
      .then(async (m) => { await m.default(); loaded = m; })
      .catch((e) => { loading = null; failures += 1; throw e; });
  }
  return loading;
}
export function open_account_module(host, draft, onpick, onadd, onclose) {
  loaded.open_account_dialog(host, draft, onpick, onadd, onclose);
}
export function update_account_module(draft) {
  if (loaded) loaded.update_account_dialog(draft);
}
export function close_account_module() {
  if (loaded) loaded.close_account_dialog();
}
"#)]
extern "C" {
    /// Fetches and instantiates the module once (again after a failure).
    #[wasm_bindgen(catch)]
    async fn load_account_module(url: &str) -> Result<(), JsValue>;
    /// Mounts the dialog into `host`.
    #[wasm_bindgen(catch)]
    fn open_account_module(
        host: &web_sys::Element,
        draft: &str,
        onpick: &js_sys::Function,
        onadd: &js_sys::Function,
        onclose: &js_sys::Function,
    ) -> Result<(), JsValue>;
    /// Gives the open dialog the workspace as it is now.
    #[wasm_bindgen(catch)]
    fn update_account_module(draft: &str) -> Result<(), JsValue>;
    /// Unmounts the dialog.
    #[wasm_bindgen(catch)]
    fn close_account_module() -> Result<(), JsValue>;
}

/// Properties of [`AccountHost`]: those of the dialog, less the account
/// read (the module keeps it).
#[derive(Properties, PartialEq)]
pub struct AccountHostProps {
    /// The current workspace (its request is kept).
    pub current: Workspace,
    /// Called with the picked principal's workspace and the notice.
    pub onpick: Callback<(Workspace, String)>,
    /// Called with the workspace that gained a principal and the notice.
    pub onadd: Callback<(Workspace, String)>,
    /// Called on Close or Escape.
    pub onclose: Callback<()>,
}

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    Open,
    Failed(String),
}

/// The dialog's answers, as the JavaScript functions the module calls. They
/// live as long as the host, and hand each answer to the app's latest
/// callbacks in a task of its own, after the module's call has returned.
struct Answers {
    onpick: Closure<dyn FnMut(String, String)>,
    onadd: Closure<dyn FnMut(String, String)>,
    onclose: Closure<dyn FnMut()>,
}

/// The host's callbacks as of its last render.
#[derive(Clone)]
struct Callbacks {
    onpick: Callback<(Workspace, String)>,
    onadd: Callback<(Workspace, String)>,
    onclose: Callback<()>,
}

impl Callbacks {
    fn of(props: &AccountHostProps) -> Callbacks {
        Callbacks {
            onpick: props.onpick.clone(),
            onadd: props.onadd.clone(),
            onclose: props.onclose.clone(),
        }
    }
}

type Latest = Rc<RefCell<Callbacks>>;

impl Answers {
    fn new(latest: &Latest) -> Answers {
        let workspace_answer = |pick: bool| {
            let latest = latest.clone();
            Closure::new(move |draft: String, message: String| {
                let latest = latest.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let callbacks = latest.borrow().clone();
                    match parse_draft(&draft) {
                        Some(workspace) if pick => callbacks.onpick.emit((workspace, message)),
                        Some(workspace) => callbacks.onadd.emit((workspace, message)),
                        // Never expected: the module wrote what a draft holds.
                        None => callbacks.onclose.emit(()),
                    }
                });
            })
        };
        let onclose = {
            let latest = latest.clone();
            Closure::new(move || {
                let latest = latest.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let onclose = latest.borrow().onclose.clone();
                    onclose.emit(());
                });
            })
        };
        Answers {
            onpick: workspace_answer(true),
            onadd: workspace_answer(false),
            onclose,
        }
    }
}

/// What a failed load says.
fn load_error(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Loads the account dialog's module (once) and opens the dialog in it;
/// closes it when unmounted.
#[component]
pub fn AccountHost(props: &AccountHostProps) -> Html {
    let host = use_mut_ref(|| None::<web_sys::Element>);
    let load = use_state(|| Load::Loading);
    let latest: Latest = use_memo((), |_| RefCell::new(Callbacks::of(props)));
    *latest.borrow_mut() = Callbacks::of(props);
    let answers = use_mut_ref(|| None::<Answers>);
    // The workspace the dialog opens on; a change while the module loads
    // reaches it through the update below, once it is open.
    let first_draft = use_memo((), |_| draft_text(&props.current));
    // Set when the host unmounts (perhaps while the module is loading).
    let closed = use_mut_ref(|| false);
    {
        let (host, load, latest, answers, first_draft, closed) = (
            host.clone(),
            load.clone(),
            latest.clone(),
            answers.clone(),
            first_draft.clone(),
            closed.clone(),
        );
        use_effect_with((), move |_| {
            let (on_close, on_close_host) = (closed.clone(), host.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(e) = load_account_module(ACCOUNT_MODULE_URL).await {
                    load.set(Load::Failed(format!(
                        "Loading it failed ({}).",
                        load_error(&e)
                    )));
                    return;
                }
                // Closed while loading: nothing to open.
                if *closed.borrow() {
                    return;
                }
                let Some(element) = mount_point() else {
                    load.set(Load::Failed(
                        "The page has no body to open it in.".to_owned(),
                    ));
                    return;
                };
                *host.borrow_mut() = Some(element.clone());
                let fresh = Answers::new(&latest);
                let opened = open_account_module(
                    &element,
                    &first_draft,
                    fresh.onpick.as_ref().unchecked_ref(),
                    fresh.onadd.as_ref().unchecked_ref(),
                    fresh.onclose.as_ref().unchecked_ref(),
                );
                *answers.borrow_mut() = Some(fresh);
                load.set(match opened {
                    Ok(()) => Load::Open,
                    Err(e) => Load::Failed(format!("Opening it failed ({}).", load_error(&e))),
                });
            });
            move || {
                *on_close.borrow_mut() = true;
                let _ = close_account_module();
                if let Some(element) = on_close_host.borrow_mut().take() {
                    element.remove();
                }
            }
        });
    }
    {
        let is_open = *load == Load::Open;
        use_effect_with(
            (props.current.clone(), is_open),
            move |(current, is_open)| {
                if *is_open {
                    let _ = update_account_module(&draft_text(current));
                }
            },
        );
    }
    let status = match &*load {
        Load::Loading => html! {
            <p class="account-host__status" role="status" data-testid="account-loading">{ "Loading the account dialog…" }</p>
        },
        Load::Open => html! {},
        Load::Failed(why) => {
            let close = {
                let onclose = props.onclose.clone();
                Callback::from(move |_: MouseEvent| onclose.emit(()))
            };
            html! {
                <Modal testid="account-dialog-failed" title="The account dialog could not open" onclose={props.onclose.clone()}>
                    <p role="alert">{ format!("{why} Check the connection and open it again; your scenario is unchanged.") }</p>
                    <div class="modal__actions">
                        <button type="button" class="button" onclick={close}>{ "Close" }</button>
                    </div>
                </Modal>
            }
        }
    };
    status
}

/// A new element at the end of `<body>` for the dialog.
fn mount_point() -> Option<web_sys::Element> {
    let document = gloo::utils::document();
    let element = document.create_element("div").ok()?;
    element.set_class_name("account-host");
    let _ = element.set_attribute("data-testid", "account-host");
    document.body()?.append_child(&element).ok()?;
    Some(element)
}
