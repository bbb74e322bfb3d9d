//! The toolbar: examples, share link, embed snippet, import and export,
//! reset; and the notice banner below it.

mod account_dialog;
mod account_host;
mod dialog;
mod who_can_table;
mod who_can_view;

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

pub use self::account_dialog::{AccountDialog, AccountDialogProps};
use self::account_host::AccountHost;
pub use self::account_host::ACCOUNT_MODULE_URL;
use self::dialog::{capitalize, confirm_dialog, ConfirmDialogProps, PasteDialog};
use super::{gallery_menu, notice_bar, use_app, GalleryMenuProps, NoticeBarProps};
use crate::app::{default_workspace, AppHandle};
use crate::embed::{iframe_snippet, page_base, share_url, use_share_fragment};
use crate::gallery::Example;
use crate::import_export::{self, Imported};
use crate::state::{Action, Notice, NoticeKind};
use crate::workspace::Workspace;

/// Which panel or dialog is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    Gallery,
    Share,
    Embed,
    Paste,
    ConfirmReset,
    Account,
}

/// Links longer than this are cut by chat tools and some mail clients.
pub const SHARE_LINK_LIMIT: usize = 2_000;

/// The tooltip of the share controls.
const SHARE_NOTE: &str = "The whole scenario is packed into the link after the # (the fragment). Browsers never send the fragment to any server, so the link works without one and nothing is uploaded.";

/// What the last replacement discarded: (the notice offering Undo, the
/// workspace to bring back).
type UndoSlot = UseStateHandle<Option<(String, Rc<Workspace>)>>;

fn notify(app: &AppHandle, kind: NoticeKind, text: String) {
    app.dispatch(Action::Notify(Some(Notice { kind, text })));
}

/// Replaces the workspace, keeping the old one for Undo.
fn replace(app: &AppHandle, undo: &UndoSlot, workspace: Workspace, message: String) {
    let previous = Rc::new(app.workspace.clone());
    app.dispatch(Action::Replace(workspace));
    undo.set(Some((message.clone(), previous)));
    notify(app, NoticeKind::Info, message);
}

fn import_file(app: &AppHandle, undo: &UndoSlot, file: web_sys::File) {
    let app = app.clone();
    let undo = undo.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let source = format!("`{}`", file.name());
        let result = import_export::read_file(file)
            .await
            .and_then(|text| import_export::import_text(&text, &app.workspace, &source));
        match result {
            Ok(Imported { workspace, message }) => replace(&app, &undo, workspace, message),
            Err(e) => notify(
                &app,
                NoticeKind::Error,
                format!("{} Nothing was changed.", capitalize(&e)),
            ),
        }
    });
}

/// Copies `text` with the Clipboard API; `onresult(true)` when it worked.
fn copy_text(text: String, onresult: Callback<bool>) {
    let Some(window) = web_sys::window() else {
        onresult.emit(false);
        return;
    };
    let clipboard = window.navigator().clipboard();
    // Older browsers and insecure origins have no `navigator.clipboard`.
    if clipboard.is_undefined() || clipboard.is_null() {
        onresult.emit(false);
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(clipboard.write_text(&text))
            .await
            .is_ok();
        onresult.emit(ok);
    });
}

/// The `data-testid` of the button that opens `panel`.
fn opener_of(panel: Open) -> Option<&'static str> {
    match panel {
        Open::Nothing => None,
        Open::Gallery => Some("gallery"),
        Open::Share => Some("copy-link"),
        Open::Embed => Some("embed"),
        Open::Paste => Some("paste"),
        Open::ConfirmReset => Some("reset"),
        Open::Account => Some("account-import"),
    }
}

/// Focuses the toolbar button with this `data-testid` after the next render.
fn focus_later(testid: &'static str) {
    gloo::timers::callback::Timeout::new(0, move || {
        let selector = format!(".toolbar [data-testid={testid}]");
        if let Some(e) = gloo::utils::document()
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = e.focus();
        }
    })
    .forget();
}

/// Selects the text of the element with this id (the copy fallback).
fn select_text(id: &str) {
    let element = gloo::utils::document().get_element_by_id(id);
    if let Some(input) = element
        .as_ref()
        .and_then(|e| e.dyn_ref::<web_sys::HtmlInputElement>())
    {
        let _ = input.focus();
        input.select();
    } else if let Some(area) =
        element.and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    {
        let _ = area.focus();
        area.select();
    }
}

/// Listens for files dragged onto the page. Re-registered when the state
/// changes, so a dropped policy is added to the current workspace.
#[hook]
fn use_drop_import(app: Option<AppHandle>, undo: &UndoSlot, dragging: UseStateHandle<bool>) {
    let undo = undo.clone();
    use_effect_with(app, move |app| {
        let app = app.clone();
        let document = gloo::utils::document();
        let options = gloo::events::EventListenerOptions::enable_prevent_default();
        let has_files = |e: &web_sys::DragEvent| {
            e.data_transfer()
                .is_some_and(|d| d.types().includes(&"Files".into(), 0))
        };
        let over = {
            let dragging = dragging.clone();
            gloo::events::EventListener::new_with_options(
                &document,
                "dragover",
                options,
                move |e| {
                    if let Some(e) = e.dyn_ref::<web_sys::DragEvent>() {
                        if has_files(e) {
                            e.prevent_default();
                            if !*dragging {
                                dragging.set(true);
                            }
                        }
                    }
                },
            )
        };
        let leave = {
            let dragging = dragging.clone();
            gloo::events::EventListener::new(&document, "dragleave", move |e| {
                if let Some(e) = e.dyn_ref::<web_sys::DragEvent>() {
                    // Leaving the window: no related target.
                    if e.related_target().is_none() {
                        dragging.set(false);
                    }
                }
            })
        };
        let drop_listener =
            gloo::events::EventListener::new_with_options(&document, "drop", options, move |e| {
                let Some(e) = e.dyn_ref::<web_sys::DragEvent>() else {
                    return;
                };
                if !has_files(e) {
                    return;
                }
                e.prevent_default();
                dragging.set(false);
                let file = e
                    .data_transfer()
                    .and_then(|d| d.files())
                    .and_then(|f| f.get(0));
                if let (Some(file), Some(app)) = (file, &app) {
                    import_file(app, &undo, file);
                }
            });
        move || drop((over, leave, drop_listener))
    });
}

/// Opens a share link pasted into the address bar of the open page (only
/// the fragment changes, so the page does not reload); Undo brings back
/// what it replaced. Re-registered when the state changes.
#[hook]
fn use_link_navigation(app: Option<AppHandle>, undo: &UndoSlot) {
    let undo = undo.clone();
    use_effect_with(app, move |app| {
        let app = app.clone();
        let listener = web_sys::window().map(|window| {
            gloo::events::EventListener::new(&window, "hashchange", move |_| {
                let Some(app) = app.clone() else { return };
                let undo = undo.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match crate::drafts::read_navigated_link(false).await {
                        Some(Ok(workspace)) => {
                            let text = crate::drafts::opened_notice_text(&workspace);
                            replace(&app, &undo, workspace, text);
                        }
                        Some(Err(e)) => app.dispatch(Action::Notify(Some(
                            crate::drafts::link_error_notice(&e, "Your draft is unchanged."),
                        ))),
                        None => {}
                    }
                });
            })
        });
        move || drop(listener)
    });
}

/// The toolbar (`nav`), its panels and dialogs, and the notice banner.
#[component]
pub fn Toolbar() -> Html {
    let app = use_app();
    let open = use_state(|| Open::Nothing);
    let undo: UndoSlot = use_state(crate::drafts::take_replaced_at_start);
    let copy_status = use_state(|| None::<(bool, &'static str)>);
    let dragging = use_state(|| false);
    let long_link = use_state(|| false);
    use_drop_import(app.clone(), &undo, dragging.clone());
    use_link_navigation(app.clone(), &undo);
    // The share and embed panels show the link once it is packed.
    let fragment = use_share_fragment(app.as_ref(), matches!(*open, Open::Share | Open::Embed));
    let Some(app) = app else {
        return Html::default();
    };

    let toggle = |panel: Open| {
        let open = open.clone();
        let copy_status = copy_status.clone();
        Callback::from(move |_: MouseEvent| {
            copy_status.set(None);
            open.set(if *open == panel { Open::Nothing } else { panel });
        })
    };
    // Closing a panel or dialog gives the focus back to the button that
    // opened it (a removed dialog would leave it nowhere).
    let close = {
        let open = open.clone();
        Callback::from(move |_: ()| {
            if let Some(opener) = opener_of(*open) {
                focus_later(opener);
            }
            open.set(Open::Nothing);
        })
    };

    let base = page_base();
    let fragment = fragment.as_deref();
    let link = fragment
        .filter(|_| *open == Open::Share)
        .map(|f| share_url(&base, f));
    let snippet = fragment.filter(|_| *open == Open::Embed).map(|f| {
        (
            iframe_snippet(&base, f, &app.workspace),
            format!("{base}?embed{f}"),
        )
    });

    let copy_link = {
        let open = open.clone();
        let copy_status = copy_status.clone();
        let app = app.clone();
        let long_link = long_link.clone();
        Callback::from(move |e: MouseEvent| {
            open.set(Open::Share);
            // Warn before handing out a link that chat tools would cut;
            // "Copy anyway" (marked with data-force) copies it regardless.
            let forced = e
                .target_dyn_into::<web_sys::Element>()
                .is_some_and(|t| t.has_attribute("data-force"));
            let app = app.clone();
            let long_link = long_link.clone();
            let copy_status = copy_status.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let Some(fragment) = crate::share_link::share_fragment(&app.workspace).await else {
                    let text = "This browser cannot make share links (it has no `CompressionStream`): use Export instead.";
                    notify(&app, NoticeKind::Error, text.to_owned());
                    return;
                };
                let url = share_url(&page_base(), &fragment);
                long_link.set(url.len() > SHARE_LINK_LIMIT);
                if url.len() > SHARE_LINK_LIMIT && !forced {
                    copy_status.set(None);
                    return;
                }
                let status = copy_status.clone();
                copy_text(
                    url,
                    Callback::from(move |ok: bool| {
                        if ok {
                            status.set(Some((true, "Link copied to the clipboard.")));
                        } else {
                            select_text("share-url");
                            status.set(Some((
                                false,
                                "Press Ctrl+C (⌘C) to copy the selected link.",
                            )));
                        }
                    }),
                );
            });
        })
    };
    let copy_snippet = {
        let copy_status = copy_status.clone();
        Callback::from(move |_: MouseEvent| {
            let text = gloo::utils::document()
                .get_element_by_id("embed-snippet")
                .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                .map(|a| a.value())
                .unwrap_or_default();
            let status = copy_status.clone();
            copy_text(
                text,
                Callback::from(move |ok: bool| {
                    if ok {
                        status.set(Some((true, "Snippet copied to the clipboard.")));
                    } else {
                        select_text("embed-snippet");
                        status.set(Some((
                            false,
                            "Press Ctrl+C (⌘C) to copy the selected snippet.",
                        )));
                    }
                }),
            );
        })
    };
    let pick_example = {
        let app = app.clone();
        let undo = undo.clone();
        let open = open.clone();
        Callback::from(move |example: Example| {
            focus_later("gallery");
            open.set(Open::Nothing);
            replace(
                &app,
                &undo,
                example.workspace(),
                format!("Loaded the example “{}”.", example.title()),
            );
        })
    };
    let export = {
        let app = app.clone();
        Callback::from(move |_: MouseEvent| {
            let name = import_export::file_name(&app.workspace);
            match import_export::download(&name, &import_export::export_text(&app.workspace)) {
                Ok(()) => notify(&app, NoticeKind::Info, format!("Downloaded `{name}`.")),
                Err(e) => notify(&app, NoticeKind::Error, capitalize(&e)),
            }
        })
    };
    let onfile = {
        let app = app.clone();
        let undo = undo.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                import_file(&app, &undo, file);
            }
            // Picking the same file again must fire `change` again.
            input.set_value("");
        })
    };
    let onpick = {
        let app = app.clone();
        let undo = undo.clone();
        let open = open.clone();
        Callback::from(move |(workspace, message): (Workspace, String)| {
            focus_later("account-import");
            open.set(Open::Nothing);
            replace(&app, &undo, workspace, message);
        })
    };
    // "+ Principal" in the account dialog: the request gains a principal,
    // and the dialog stays open for the next one.
    let onadd_principal = {
        let app = app.clone();
        let undo = undo.clone();
        Callback::from(move |(workspace, message): (Workspace, String)| {
            replace(&app, &undo, workspace, message);
        })
    };
    let onpaste_import = {
        let app = app.clone();
        let undo = undo.clone();
        let open = open.clone();
        Callback::from(move |imported: Imported| {
            focus_later("paste");
            open.set(Open::Nothing);
            replace(
                &app,
                &undo,
                imported.workspace,
                format!("{}.", imported.message),
            );
        })
    };
    let confirm_reset = {
        let app = app.clone();
        let undo = undo.clone();
        let open = open.clone();
        Callback::from(move |_: ()| {
            focus_later("reset");
            open.set(Open::Nothing);
            crate::drafts::clear();
            replace(
                &app,
                &undo,
                default_workspace(),
                "Reset to the default example.".to_owned(),
            );
        })
    };
    let onundo = undo.as_ref().and_then(|(text, previous)| {
        let shown = app.notice.as_ref().is_some_and(|n| &n.text == text);
        shown.then(|| {
            let app = app.clone();
            let undo = undo.clone();
            let previous = previous.clone();
            Callback::from(move |_: ()| {
                app.dispatch(Action::Replace((*previous).clone()));
                undo.set(None);
                notify(
                    &app,
                    NoticeKind::Info,
                    "Brought back your previous scenario.".to_owned(),
                );
            })
        })
    });

    let expanded = |panel: Open| if *open == panel { "true" } else { "false" };
    let status = (*copy_status).map(|(ok, text)| {
        html! { <p class={classes!("share__status", (!ok).then_some("share__status--hint"))} role="status" data-testid="copy-status">{ text }</p> }
    });
    let ws = &app.workspace;
    html! {
        <div class={classes!("toolbar-area", (*dragging).then_some("toolbar-area--dragging"))}>
            <nav class="toolbar" aria-label="Scenario">
                <button type="button" class="button" onclick={toggle(Open::Gallery)} aria-expanded={expanded(Open::Gallery)}
                    aria-controls="gallery-menu" data-testid="gallery">{ "Examples" }</button>
                <span class="toolbar__sep" aria-hidden="true"></span>
                <button type="button" class="button" onclick={copy_link.clone()} title={SHARE_NOTE} aria-expanded={expanded(Open::Share)} data-testid="copy-link">{ "Copy link" }</button>
                <button type="button" class="button" onclick={toggle(Open::Embed)} aria-expanded={expanded(Open::Embed)} title="Get an <iframe> snippet that shows this scenario on another site" data-testid="embed">{ "Embed" }</button>
                <button type="button" class="button" onclick={export.clone()} title="Download the scenario as a JSON file" data-testid="export">{ "Export" }</button>
                <label class="button file-button" title="Load a scenario or a policy from a JSON file (or drop one on the page)">
                    { "Import" }
                    <input type="file" accept=".json,application/json,text/plain" class="visually-hidden" onchange={onfile} data-testid="import" />
                </label>
                <button type="button" class="button" onclick={toggle(Open::Paste)} data-testid="paste">{ "Paste" }</button>
                <button type="button" class="button" onclick={toggle(Open::Account)} data-testid="account-import"
                    title="Simulate a user, role or group of your AWS account from the output of `aws iam get-account-authorization-details` (read in this page, never uploaded)">{ "Account…" }</button>
                <span class="toolbar__spacer"></span>
                <button type="button" class="button button--quiet" onclick={toggle(Open::ConfirmReset)} data-testid="reset">{ "Reset" }</button>
            </nav>
            if *open == Open::Gallery {
                { gallery_menu(&GalleryMenuProps { onpick: pick_example, onclose: close.clone() }) }
            }
            if let Some(link) = link {
                <div class="share" data-testid="share-panel">
                    <label class="share__label" for="share-url">{ "Link to this scenario" }</label>
                    <div class="share__row">
                        <input id="share-url" class="share__url" type="text" readonly=true value={link.clone()} title={SHARE_NOTE}
                            data-testid="share-url" data-length={link.len().to_string()}
                            onfocus={Callback::from(|e: FocusEvent| if let Some(i) = e.target_dyn_into::<web_sys::HtmlInputElement>() { i.select() })} />
                    </div>
                    if *long_link {
                        <div class="share__warning" role="alert" data-testid="share-too-long">
                            <p>{ format!("This link is {} characters long. Chat tools and some mail clients cut links longer than about {} characters, which breaks them.", link.len(), SHARE_LINK_LIMIT) }</p>
                            <div class="share__row">
                                <button type="button" class="button button--primary" onclick={export.clone()} data-testid="share-export">{ "Export a file instead" }</button>
                                <button type="button" class="button" data-force="true" onclick={copy_link.clone()} data-testid="share-copy-anyway">{ "Copy anyway" }</button>
                            </div>
                        </div>
                    }
                    { for status.clone() }
                    <p class="share__note">{ format!("{} characters. ", link.len()) }{ SHARE_NOTE }</p>
                    if let Some(warning) = crate::share_link::length_warning(link.len()) {
                        <p class="share__status share__status--hint" role="alert" data-testid="link-too-long">{ warning }</p>
                    }
                </div>
            }
            if let Some((snippet, preview)) = snippet {
                <div class="share" data-testid="embed-panel">
                    <label class="share__label" for="embed-snippet">{ "Paste this into a documentation page to show the scenario, its decision and explanation" }</label>
                    <textarea id="embed-snippet" class="share__snippet" readonly=true rows="4" value={snippet} data-testid="embed-snippet" />
                    <div class="share__row">
                        <button type="button" class="button" onclick={copy_snippet} data-testid="copy-embed">{ "Copy snippet" }</button>
                        <a class="button button--quiet" href={preview} target="_blank" rel="noopener" data-testid="embed-preview">{ "Preview embed ↗" }</a>
                    </div>
                    { for status }
                </div>
            }
            if *open == Open::Paste {
                <PasteDialog current={ws.clone()} onimport={onpaste_import} oncancel={close.clone()} />
            }
            if *open == Open::Account {
                <AccountHost current={ws.clone()} {onpick} onadd={onadd_principal} onclose={close.clone()} />
            }
            if *open == Open::ConfirmReset {
                { confirm_dialog(&ConfirmDialogProps {
                    testid: "confirm-reset".into(),
                    title: "Discard this scenario?".into(),
                    message: "Reset replaces the scenario and your saved draft with the default example. Copy a link or export first to keep it.".into(),
                    confirm_label: "Discard and reset".into(),
                    onconfirm: confirm_reset,
                    oncancel: close,
                }) }
            }
            { notice_bar(&app, &NoticeBarProps { onundo }) }
            if ws.name.is_some() || ws.description.is_some() {
                <section class="scenario-info" aria-label="About this scenario" data-testid="scenario-info">
                    if let Some(name) = &ws.name {
                        <h2 class="scenario-info__name">{ crate::gallery::display_title(name) }</h2>
                    }
                    if let Some(description) = &ws.description {
                        <p class="scenario-info__lesson">{ description }</p>
                    }
                </section>
            }
        </div>
    }
}
