//! The account dialog as a WebAssembly module of its own: reading `aws iam
//! get-account-authorization-details` output, picking a principal to
//! simulate, and "who can…". The app (`web/`) fetches this module the first
//! time the dialog is opened (`components/toolbar/account_host.rs`), so the
//! page's first load does not carry it.
//!
//! The dialog is the app's own component ([`AccountDialog`]), linked here as
//! Rust with the engine; it runs as a small Yew app mounted into the element
//! the page gives. The page and this module exchange the workspace as the
//! scenario text a draft stores, and the dialog's answers through the
//! functions the page passes. The account read stays in this module between
//! openings, as it stayed in the page before.

use std::cell::RefCell;
use std::rc::Rc;

use iam_playground::account::LoadedAccount;
use iam_playground::catalog::CatalogProvider;
use iam_playground::components::AccountDialog;
use iam_playground::drafts::{draft_text, parse_draft};
use iam_playground::workspace::Workspace;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

thread_local! {
    /// The open dialog.
    static OPEN: RefCell<Option<(yew::AppHandle<Dialog>, DialogProps)>> = const { RefCell::new(None) };
    /// The account read, kept across openings.
    static LOADED: RefCell<Option<Rc<LoadedAccount>>> = const { RefCell::new(None) };
}

/// Properties of [`Dialog`]: the workspace and the page's functions.
#[derive(Properties, PartialEq, Clone)]
pub struct DialogProps {
    /// The page's workspace.
    pub current: Workspace,
    /// `(draft, notice)`: simulate the picked principal.
    pub onpick: js_sys::Function,
    /// `(draft, notice)`: the request gained a principal.
    pub onadd: js_sys::Function,
    /// `()`: the dialog closed.
    pub onclose: js_sys::Function,
}

/// A callback that hands a workspace and its notice to `function` as
/// `(draft, notice)`.
fn workspace_answer(function: &js_sys::Function) -> Callback<(Workspace, String)> {
    let function = function.clone();
    Callback::from(move |(workspace, notice): (Workspace, String)| {
        let draft = JsValue::from(draft_text(&workspace));
        let _ = function.call2(&JsValue::NULL, &draft, &JsValue::from(notice));
    })
}

/// The dialog with the account read so far and the catalogue.
#[component]
pub fn Dialog(props: &DialogProps) -> Html {
    let loaded = use_state(|| LOADED.with(|l| l.borrow().clone()));
    let onloaded = {
        let loaded = loaded.clone();
        Callback::from(move |account: Rc<LoadedAccount>| {
            LOADED.with(|l| *l.borrow_mut() = Some(account.clone()));
            loaded.set(Some(account));
        })
    };
    let onclose = {
        let function = props.onclose.clone();
        Callback::from(move |()| {
            let _ = function.call0(&JsValue::NULL);
        })
    };
    html! {
        <CatalogProvider>
            <AccountDialog loaded={(*loaded).clone()} {onloaded} current={props.current.clone()}
                onpick={workspace_answer(&props.onpick)} onadd={workspace_answer(&props.onadd)} {onclose} />
        </CatalogProvider>
    }
}

/// Reads the page's draft text.
fn workspace_of(draft: &str) -> Result<Workspace, JsError> {
    parse_draft(draft).ok_or_else(|| JsError::new("the scenario given to the dialog is unreadable"))
}

/// Opens the dialog in `host` on the workspace `draft` (a draft's scenario
/// text). `onpick` and `onadd` get `(draft, notice)`, `onclose` nothing.
/// Closes a dialog already open.
#[wasm_bindgen]
pub fn open_account_dialog(
    host: web_sys::Element,
    draft: &str,
    onpick: js_sys::Function,
    onadd: js_sys::Function,
    onclose: js_sys::Function,
) -> Result<(), JsError> {
    close_account_dialog();
    let props = DialogProps {
        current: workspace_of(draft)?,
        onpick,
        onadd,
        onclose,
    };
    let handle = yew::Renderer::<Dialog>::with_root_and_props(host, props.clone()).render();
    OPEN.with(|open| *open.borrow_mut() = Some((handle, props)));
    Ok(())
}

/// Gives the open dialog the page's workspace as it is now (after "+
/// Principal", say).
#[wasm_bindgen]
pub fn update_account_dialog(draft: &str) -> Result<(), JsError> {
    let current = workspace_of(draft)?;
    OPEN.with(|open| {
        if let Some((handle, props)) = open.borrow_mut().as_mut() {
            if props.current != current {
                props.current = current;
                handle.update(props.clone());
            }
        }
    });
    Ok(())
}

/// Closes the dialog (removes it from the page).
#[wasm_bindgen]
pub fn close_account_dialog() {
    if let Some((handle, _)) = OPEN.with(|open| open.borrow_mut().take()) {
        handle.destroy();
    }
}
