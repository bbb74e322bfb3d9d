//! The account dialog: load `aws iam get-account-authorization-details`
//! output (read in steps, with progress and Cancel, so the page never
//! freezes), then pick a user, role or group to simulate, or ask who of
//! them can do an action on a resource ([`super::who_can_view`]).

use std::cell::Cell;
use std::rc::Rc;

use iam_engine::account::{AccountReader, EntityKind};
use yew::prelude::*;

use super::dialog::Modal;
use super::who_can_view::WhoCanView;
use crate::account::{add_principal, filter, workspace_for, KindFilter, LoadedAccount};
use crate::workspace::Workspace;

/// How many entries the picker lists at once.
const SHOWN: usize = 100;
/// Bytes read between checks of the clock.
const STEP_BYTES: usize = 128 * 1024;
/// Bytes of a file copied into the module at once.
const FILE_SLICE: usize = 2 * 1024 * 1024;
/// Milliseconds of reading before the page gets control back.
const SLICE_MS: f64 = 12.0;

/// Properties of [`AccountDialog`].
#[derive(Properties, PartialEq)]
pub struct AccountDialogProps {
    /// The account read earlier, if any.
    pub loaded: Option<Rc<LoadedAccount>>,
    /// Called when files have been read.
    pub onloaded: Callback<Rc<LoadedAccount>>,
    /// The current workspace (its request is kept).
    pub current: Workspace,
    /// Called with the picked principal's workspace and the notice.
    pub onpick: Callback<(Workspace, String)>,
    /// Called with the workspace whose request has one more principal (and
    /// its tags) and the notice; the dialog stays open for the next one.
    pub onadd: Callback<(Workspace, String)>,
    /// Called on Close or Escape.
    pub onclose: Callback<()>,
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Idle,
    Reading { done: usize, total: usize },
    Failed(Vec<String>),
}

/// Gives the page a turn (a task boundary) before reading on.
pub(super) async fn yield_to_page() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Reads `files` in slices; reports progress to `phase` and the result to
/// `onloaded`; stops when `generation` moves on (Cancel, close).
async fn read_files(
    files: Vec<web_sys::File>,
    generation: Rc<Cell<u64>>,
    phase: UseStateHandle<Phase>,
    onloaded: Callback<Rc<LoadedAccount>>,
) {
    let mine = generation.get();
    let start = js_sys::Date::now();
    let total: usize = files.iter().map(|f| f.size() as usize).sum();
    phase.set(Phase::Reading { done: 0, total });
    let mut texts = Vec::with_capacity(files.len());
    let mut loaded = 0usize;
    for file in files {
        // In slices, so no single copy of a large file holds up the page.
        let size = file.size() as usize;
        let mut bytes: Vec<u8> = Vec::with_capacity(size);
        let mut offset = 0usize;
        while offset < size {
            let end = (offset + FILE_SLICE).min(size);
            let buffer = match file.slice_with_f64_and_f64(offset as f64, end as f64) {
                Ok(blob) => wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
                    .await
                    .ok(),
                Err(_) => None,
            };
            if generation.get() != mine {
                return;
            }
            let Some(buffer) = buffer else {
                phase.set(Phase::Failed(vec![format!(
                    "`{}` could not be read.",
                    file.name()
                )]));
                return;
            };
            let array = js_sys::Uint8Array::new(&buffer);
            let start = bytes.len();
            bytes.resize(start + array.length() as usize, 0);
            if let Some(target) = bytes.get_mut(start..) {
                array.copy_to(target);
            }
            offset = end;
            phase.set(Phase::Reading {
                done: loaded + offset,
                total: total * 2,
            });
        }
        loaded += size;
        match String::from_utf8(bytes) {
            Ok(text) => texts.push((file.name(), text)),
            Err(_) => {
                phase.set(Phase::Failed(vec![format!(
                    "`{}` could not be read",
                    file.name()
                )]));
                return;
            }
        }
    }
    let bytes = texts.iter().map(|(_, t)| t.len()).sum();
    let mut reader = AccountReader::new(texts);
    loop {
        let slice = js_sys::Date::now();
        let mut finished = false;
        while js_sys::Date::now() - slice < SLICE_MS {
            if reader.step(STEP_BYTES) {
                finished = true;
                break;
            }
        }
        if finished {
            break;
        }
        // Loading the files is the first half of the bar, reading them the second.
        let (done, all) = reader.progress();
        phase.set(Phase::Reading {
            done: total + done,
            total: total + all,
        });
        yield_to_page().await;
        if generation.get() != mine {
            return;
        }
    }
    let read = reader.finish();
    let empty = read.account.users.is_empty()
        && read.account.roles.is_empty()
        && read.account.groups.is_empty();
    if empty && read.has_errors() {
        let errors = read
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .take(5)
            .map(|d| {
                format!(
                    "{}:{}:{}: {}",
                    d.at.file, d.at.line, d.at.column, d.diagnostic.message
                )
            })
            .collect();
        phase.set(Phase::Failed(errors));
        return;
    }
    phase.set(Phase::Idle);
    onloaded.emit(Rc::new(LoadedAccount::new(
        read,
        bytes,
        (js_sys::Date::now() - start).max(0.0).round() as u64,
    )));
}

/// Loads account files and lists their principals to simulate.
#[component]
pub fn AccountDialog(props: &AccountDialogProps) -> Html {
    let phase = use_state(|| Phase::Idle);
    let generation = use_memo((), |_| Rc::new(Cell::new(0u64)));
    let query = use_state(String::new);
    let kinds = use_state(|| KindFilter::All);
    let session = use_state(|| "simulated-session".to_owned());
    let who_can = use_state(|| false);
    // The last "+ Principal" done, announced in the dialog.
    let added = use_state(|| None::<String>);
    // Closing the dialog stops a read in progress.
    {
        let generation = (*generation).clone();
        use_effect_with((), move |_| move || generation.set(generation.get() + 1));
    }

    let start_reading = {
        let generation = (*generation).clone();
        let phase = phase.clone();
        let onloaded = props.onloaded.clone();
        Callback::from(move |files: Vec<web_sys::File>| {
            if files.is_empty() {
                return;
            }
            generation.set(generation.get() + 1);
            wasm_bindgen_futures::spawn_local(read_files(
                files,
                generation.clone(),
                phase.clone(),
                onloaded.clone(),
            ));
        })
    };
    let onfiles = {
        let start_reading = start_reading.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let list = input.files();
            let files: Vec<web_sys::File> = (0..list.as_ref().map_or(0, |l| l.length()))
                .filter_map(|i| list.as_ref().and_then(|l| l.get(i)))
                .collect();
            start_reading.emit(files);
            input.set_value("");
        })
    };
    let ondrop = {
        let start_reading = start_reading.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            e.stop_propagation();
            let list = e.data_transfer().and_then(|d| d.files());
            let files: Vec<web_sys::File> = (0..list.as_ref().map_or(0, |l| l.length()))
                .filter_map(|i| list.as_ref().and_then(|l| l.get(i)))
                .collect();
            start_reading.emit(files);
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let cancel = {
        let generation = (*generation).clone();
        let phase = phase.clone();
        Callback::from(move |_: MouseEvent| {
            generation.set(generation.get() + 1);
            phase.set(Phase::Idle);
        })
    };
    let close = {
        let cb = props.onclose.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let onsearch = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                query.set(t.value());
            }
        })
    };
    let onsession = {
        let session = session.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                session.set(t.value());
            }
        })
    };

    let reading = match &*phase {
        Phase::Reading { done, total } => Some(html! {
            <div class="account__reading" role="status" data-testid="account-progress">
                <progress class="account__progress" value={done.to_string()} max={(*total).max(1).to_string()}></progress>
                <span>{ format!("Reading… {}%", done * 100 / (*total).max(1)) }</span>
                <button type="button" class="button" onclick={cancel} data-testid="account-cancel">{ "Cancel" }</button>
            </div>
        }),
        _ => None,
    };
    let failed = match &*phase {
        Phase::Failed(errors) => Some(html! {
            <div class="account__failed" role="alert" data-testid="account-error">
                <p>{ "These files are not account details; nothing was loaded: " }{ errors.join("; ") }</p>
            </div>
        }),
        _ => None,
    };
    let busy = matches!(*phase, Phase::Reading { .. });
    let tabs = props.loaded.as_ref().filter(|_| !busy).map(|_| {
        let tab = |label: &'static str, value: bool, testid: &'static str| {
            let on = *who_can == value;
            let who_can = who_can.clone();
            let onclick = Callback::from(move |_: MouseEvent| who_can.set(value));
            html! {
                <button type="button" class={classes!("chip", on.then_some("chip--on"))}
                    aria-pressed={on.to_string()} {onclick} data-testid={testid}>{ label }</button>
            }
        };
        html! {
            <div class="chips account__modes" role="group" aria-label="What to do with the account">
                { tab("Pick a principal", false, "mode-pick") }
                { tab("Who can…", true, "mode-who-can") }
            </div>
        }
    });
    let who_can_view = props
        .loaded
        .as_ref()
        .filter(|_| !busy && *who_can)
        .map(|loaded| {
            html! {
                <WhoCanView loaded={loaded.clone()} current={props.current.clone()}
                    session={AttrValue::from((*session).clone())} onpick={props.onpick.clone()} />
            }
        });
    let picker = props.loaded.as_ref().filter(|_| !busy && !*who_can).map(|loaded| {
        let (shown, total) = filter(&loaded.principals, &query, *kinds, SHOWN);
        let chip = |label: &'static str, value: KindFilter, testid: &'static str| {
            let on = *kinds == value;
            let kinds = kinds.clone();
            let onclick = Callback::from(move |_: MouseEvent| kinds.set(value));
            html! {
                <button type="button" class={classes!("chip", on.then_some("chip--on"))}
                    aria-pressed={on.to_string()} {onclick} data-testid={testid}>{ label }</button>
            }
        };
        let rows = shown.into_iter().map(|p| {
            let onpick = props.onpick.clone();
            let onadd = props.onadd.clone();
            let added = added.clone();
            let account = loaded.clone();
            let current = props.current.clone();
            let arn = p.arn.clone();
            let session = (*session).clone();
            // Simulate this principal, or (`add`) add it to the request's
            // principals with its tags.
            let pick = move |add: bool| {
                if !add {
                    if let Ok(picked) = workspace_for(&account.account, &arn, &session, &current) {
                        onpick.emit(picked);
                    }
                    return;
                }
                match add_principal(&account.account, &arn, &session, &current) {
                    Ok((workspace, message)) => {
                        added.set(Some(message.clone()));
                        onadd.emit((workspace, message));
                    }
                    Err(why) => added.set(Some(why)),
                }
            };
            let onadd = {
                let pick = pick.clone();
                Callback::from(move |_: MouseEvent| pick(true))
            };
            let onclick = Callback::from(move |_: MouseEvent| pick(false));
            let action = match p.kind {
                EntityKind::User => "Simulate this user",
                EntityKind::Role => "Simulate a session of this role",
                EntityKind::Group => "Simulate a member of this group",
            };
            let detail = match p.kind {
                EntityKind::User if !p.groups.is_empty() => format!("groups: {}", p.groups.join(", ")),
                _ => String::new(),
            };
            html! {
                <li>
                    <button type="button" class="principal-option" {onclick} data-testid="principal-option"
                        data-arn={p.arn.clone()} title={action}>
                        <span class={classes!("kind", format!("kind--{}", p.kind.as_str()))}>{ p.kind.as_str() }</span>
                        <span class="principal-option__name">{ &p.name }</span>
                        <span class="principal-option__path">{ &p.path }</span>
                        <span class="principal-option__count">{ format!("{} polic{}", p.policies, if p.policies == 1 { "y" } else { "ies" }) }</span>
                        <code class="principal-option__arn">{ &p.arn }</code>
                        if !detail.is_empty() {
                            <span class="principal-option__detail">{ detail }</span>
                        }
                    </button>
                    <button type="button" class="btn btn--small principal-add" onclick={onadd}
                        data-testid="principal-add" aria-label={format!("Add {} to the request's principals, with its tags", p.name)}
                        title="Add to the request's principals (with its tags), keeping the workspace's policies">{ "+ Principal" }</button>
                </li>
            }
        });
        let first_problem = loaded.diagnostics.first().map(|d| {
            let n = loaded.diagnostics.len();
            format!(
                "{n} problem{} in the files; the first: {}:{}:{}: {} (at {})",
                if n == 1 { "" } else { "s" },
                d.at.file,
                d.at.line,
                d.at.column,
                d.diagnostic.message,
                d.at.path
            )
        });
        html! {
            <div class="account__picker">
                <p class="account__summary" data-testid="account-summary">
                    { format!("{} (read in {} ms). ", loaded.summary(), loaded.millis) }
                    if let Some(first) = first_problem {
                        <span class="account__problems" data-testid="account-problems">{ first }</span>
                    }
                </p>
                <div class="account__filters">
                    <label class="visually-hidden" for="principal-search">{ "Search principals" }</label>
                    <input id="principal-search" class="input account__search" type="search" autocomplete="off"
                        spellcheck="false" placeholder="Search by name, path or ARN" value={(*query).clone()}
                        oninput={onsearch} data-testid="principal-search" autofocus=true />
                    <div class="chips" role="group" aria-label="Kinds">
                        { chip("All", KindFilter::All, "kind-all") }
                        { chip("Users", KindFilter::Only(EntityKind::User), "kind-user") }
                        { chip("Roles", KindFilter::Only(EntityKind::Role), "kind-role") }
                        { chip("Groups", KindFilter::Only(EntityKind::Group), "kind-group") }
                    </div>
                    <label class="mini-field" title="A role is simulated as a session of the role: arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION">
                        <span class="mini-field__label">{ "Role session name" }</span>
                        <input class="input input--small" type="text" spellcheck="false" value={(*session).clone()}
                            oninput={onsession} data-testid="session-name" />
                    </label>
                </div>
                <ul class="principal-list" data-testid="principal-list" aria-label="Principals">{ for rows }</ul>
                <p class="account__added" role="status" data-testid="principal-added">{ (*added).clone().unwrap_or_default() }</p>
                <p class="account__count" data-testid="principal-count">
                    { if total > SHOWN { format!("Showing {SHOWN} of {total}: refine the search to see the others.") }
                      else { format!("{total} match{}.", if total == 1 { "" } else { "es" }) } }
                </p>
            </div>
        }
    });
    html! {
        <Modal testid="account-dialog" title="Simulate a principal of your account" onclose={props.onclose.clone()}>
            <p class="modal__text">
                { "Load the output of " }<code>{ "aws iam get-account-authorization-details" }</code>
                { " (every page of a paginated export). The files are read in this page: nothing is uploaded. Then pick a user, role or group: its policies fill the workspace, each labelled with its origin and switchable off and on." }
            </p>
            <div class="account__drop" ondrop={ondrop} ondragover={ondragover}>
                <label class="button file-button">
                    { if props.loaded.is_some() { "Load other files…" } else { "Choose files…" } }
                    <input type="file" multiple=true accept=".json,application/json" class="visually-hidden"
                        onchange={onfiles} disabled={busy} data-testid="account-files" />
                </label>
                <span class="account__drop-hint">{ "or drop them here" }</span>
            </div>
            { for reading }
            { for failed }
            { for tabs }
            { for who_can_view }
            { for picker }
            <div class="modal__actions">
                <button type="button" class="button" onclick={close} data-testid="account-close">{ "Close" }</button>
            </div>
        </Modal>
    }
}
