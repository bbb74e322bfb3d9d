//! Drafts: the working scenario kept in `localStorage`, and where the app's
//! first scenario comes from (a share link in the URL fragment, else the
//! saved draft, else the default example).
//!
//! Storage can be missing, disabled or full; none of that panics: the app
//! keeps working and says once that drafts are not being saved.

use std::cell::RefCell;
use std::rc::Rc;

use iam_engine::scenario::DocumentStyle;
use yew::prelude::*;

use crate::app::{default_workspace, AppHandle};
use crate::share_link;
use crate::state::{Action, AppState, Notice, NoticeKind};
use crate::workspace::Workspace;

/// The `localStorage` key of the draft.
pub const DRAFT_KEY: &str = "iam-playground:draft";

/// How long typing must pause before the draft is written.
pub const SAVE_DELAY_MS: u32 = 400;

/// The text stored for a workspace (a scenario file with exact policy texts).
pub fn draft_text(workspace: &Workspace) -> String {
    workspace.to_json(DocumentStyle::Text)
}

/// Reads a stored draft; `None` when it is not a readable scenario.
pub fn parse_draft(text: &str) -> Option<Workspace> {
    Workspace::from_scenario_text(text).ok()
}

fn storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("this browser has no local storage".to_owned()),
        Err(_) => Err("local storage is disabled in this browser".to_owned()),
    }
}

/// The saved draft: `Ok(None)` when there is none (or it is unreadable).
pub fn load() -> Result<Option<Workspace>, String> {
    let text = storage()?
        .get_item(DRAFT_KEY)
        .map_err(|_| "the saved draft could not be read".to_owned())?;
    Ok(text.as_deref().and_then(parse_draft))
}

/// Saves `workspace` as the draft.
pub fn save(workspace: &Workspace) -> Result<(), String> {
    storage()?
        .set_item(DRAFT_KEY, &draft_text(workspace))
        .map_err(|_| "local storage is full or refused the draft".to_owned())
}

/// Forgets the saved draft.
pub fn clear() {
    if let Ok(s) = storage() {
        let _ = s.remove_item(DRAFT_KEY);
    }
}

/// What a share link in the address bar at startup opens to.
type LinkAtStart = Option<Result<Workspace, share_link::LinkError>>;

thread_local! {
    /// The draft a share link replaced at startup, for the toolbar's Undo.
    static REPLACED_AT_START: RefCell<Option<(String, Rc<Workspace>)>> = const { RefCell::new(None) };
    /// The share link the page was opened with, unpacked before the app
    /// is mounted ([`read_link_at_start`]), for [`initial_state`].
    static LINK_AT_START: RefCell<LinkAtStart> = const { RefCell::new(None) };
}

/// Whether the address bar holds a share link (`#s=…`).
pub fn has_link_at_start() -> bool {
    share_link::payload_of(&location_hash()).is_some()
}

/// Unpacks the share link in the address bar (the browser's decompressor
/// is asynchronous), for the first state; run before the app is mounted.
pub async fn read_link_at_start() {
    let link = share_link::open_fragment(&location_hash()).await;
    LINK_AT_START.with(|l| *l.borrow_mut() = link);
}

/// Takes the draft a share link replaced at startup (once), with the text of
/// the notice that offers to bring it back.
pub fn take_replaced_at_start() -> Option<(String, Rc<Workspace>)> {
    REPLACED_AT_START.with(|r| r.borrow_mut().take())
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Removes the fragment from the address bar (so a reload shows the draft,
/// which now holds the opened link's scenario), keeping path and query.
pub fn clear_location_hash() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let url = format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The error notice for a link that cannot be opened.
pub fn link_error_notice(e: &share_link::LinkError, kept: &str) -> Notice {
    let message = e.to_string();
    let mut chars = message.chars();
    let message: String = chars
        .next()
        .map(|c| {
            std::iter::once(c.to_ascii_uppercase())
                .chain(chars)
                .collect()
        })
        .unwrap_or_default();
    Notice {
        kind: NoticeKind::Error,
        text: format!("{message}. {kept} To fix it: {}.", e.help()),
    }
}

/// The first state: a share link in the fragment, else the saved draft,
/// else the default scenario. `embed`: an embedded view never reads or
/// writes the draft.
pub fn initial_state(embed: bool) -> AppState {
    let draft = if embed { Ok(None) } else { load() };
    let storage_notice = draft.as_ref().err().map(|e| Notice {
        kind: NoticeKind::Error,
        text: format!("Drafts are not saved: {e}. Use Copy link or Export to keep your work."),
    });
    let draft = draft.ok().flatten();
    match LINK_AT_START.with(|l| l.borrow_mut().take()) {
        Some(Ok(workspace)) => {
            if embed {
                // The embedded view just shows the scenario.
                return AppState::new(workspace);
            }
            clear_location_hash();
            let text = opened_notice_text(&workspace);
            if let Some(previous) = draft.filter(|d| draft_text(d) != draft_text(&workspace)) {
                let text = format!("{text} It replaced your draft.");
                REPLACED_AT_START
                    .with(|r| *r.borrow_mut() = Some((text.clone(), Rc::new(previous))));
                return notice_state(workspace, NoticeKind::Info, text);
            }
            notice_state(workspace, NoticeKind::Info, text)
        }
        Some(Err(e)) => {
            let (workspace, kept) = match draft {
                Some(d) => (d, "Your draft is unchanged."),
                None => (default_workspace(), "Showing the default example."),
            };
            AppState {
                notice: Some(link_error_notice(&e, kept)),
                ..AppState::new(workspace)
            }
        }
        None => AppState {
            notice: storage_notice,
            ..AppState::new(draft.unwrap_or_else(default_workspace))
        },
    }
}

fn notice_state(workspace: Workspace, kind: NoticeKind, text: String) -> AppState {
    AppState {
        notice: Some(Notice { kind, text }),
        ..AppState::new(workspace)
    }
}

/// Saves the workspace as the draft a moment after it last changed; says
/// once (not on every keystroke) when storage fails. Off when `enabled` is
/// false (embedded view).
#[hook]
pub fn use_draft_autosave(app: &AppHandle, enabled: bool) {
    let failing = use_mut_ref(|| false);
    let revision = app.revision;
    let app = app.clone();
    use_effect_with((revision, enabled), move |&(_, enabled)| {
        let timeout = enabled.then(|| {
            gloo::timers::callback::Timeout::new(SAVE_DELAY_MS, move || {
                match save(&app.workspace) {
                    Ok(()) => *failing.borrow_mut() = false,
                    Err(e) => {
                        if !*failing.borrow() {
                            *failing.borrow_mut() = true;
                            app.dispatch(Action::Notify(Some(Notice {
                                kind: NoticeKind::Error,
                                text: format!(
                                    "Your draft is not being saved: {e}. Use Copy link or Export to keep your work."
                                ),
                            })));
                        }
                    }
                }
            })
        });
        move || drop(timeout)
    });
}

/// Reads the share link the address bar now holds (after a `hashchange`):
/// `None` when the fragment is not a share link. An opened link's fragment
/// is removed from the address bar (except in the embedded view).
pub async fn read_navigated_link(embed: bool) -> LinkAtStart {
    let result = share_link::open_fragment(&location_hash()).await?;
    if result.is_ok() && !embed {
        clear_location_hash();
    }
    Some(result)
}

/// The notice for a share link opened on an open page.
pub fn opened_notice_text(workspace: &Workspace) -> String {
    let name = workspace
        .name
        .as_ref()
        .map(|n| format!(" “{}”", crate::gallery::display_title(n)))
        .unwrap_or_default();
    format!("Opened the shared scenario{name}.")
}

/// In the embedded view, opens a share link pasted into the address bar of
/// the open page (only the fragment changes, so the page does not reload).
/// The full page's toolbar does this itself, with Undo.
#[hook]
pub fn use_share_link_navigation(app: &AppHandle, embed: bool) {
    let app = app.clone();
    use_effect_with(embed, move |&embed| {
        let listener = embed.then(web_sys::window).flatten().map(|window| {
            gloo::events::EventListener::new(&window, "hashchange", move |_| {
                let app = app.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match read_navigated_link(true).await {
                        Some(Ok(workspace)) => app.dispatch(Action::Replace(workspace)),
                        Some(Err(e)) => app.dispatch(Action::Notify(Some(link_error_notice(
                            &e,
                            "The scenario is unchanged.",
                        )))),
                        None => {}
                    }
                });
            })
        });
        move || drop(listener)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gallery::EXAMPLES;

    #[test]
    fn a_draft_round_trips_exactly() {
        let mut ws = EXAMPLES[5].workspace();
        ws.policies[0]
            .text
            .push_str("\n// a typo the person is fixing");
        let back = parse_draft(&draft_text(&ws)).unwrap();
        assert_eq!(back.policies[0].text, ws.policies[0].text);
        assert_eq!(back.name, ws.name);
        assert!(parse_draft("{ not json").is_none());
    }

    #[test]
    fn link_errors_become_sentences() {
        let n = link_error_notice(
            &share_link::LinkError::Corrupted,
            "Your draft is unchanged.",
        );
        assert_eq!(n.kind, NoticeKind::Error);
        assert!(
            n.text.starts_with("The share link is damaged"),
            "{}",
            n.text
        );
        assert!(n.text.contains("Your draft is unchanged."), "{}", n.text);
    }
}
