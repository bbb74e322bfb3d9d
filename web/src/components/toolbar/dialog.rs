//! Modal dialogs of the toolbar, on the native `<dialog>` element: it traps
//! focus, closes on Escape and returns focus to the opener.

use yew::prelude::*;

use crate::import_export::{import_text, Imported};
use crate::workspace::Workspace;

/// Properties of [`Modal`].
#[derive(Properties, PartialEq)]
pub struct ModalProps {
    /// `data-testid` of the dialog.
    pub testid: AttrValue,
    /// The heading.
    pub title: AttrValue,
    /// Called when the dialog closes without its action (Escape, Cancel).
    pub onclose: Callback<()>,
    /// The body.
    pub children: Html,
}

/// A modal `<dialog>` opened with `showModal()` when mounted.
#[component]
pub fn Modal(props: &ModalProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            if let Some(d) = node.cast::<web_sys::HtmlDialogElement>() {
                let _ = d.show_modal();
            }
        });
    }
    let onclose = {
        let cb = props.onclose.clone();
        Callback::from(move |_: Event| cb.emit(()))
    };
    let heading_id = format!("{}-title", props.testid);
    html! {
        <dialog ref={node} class="modal" data-testid={props.testid.clone()} aria-labelledby={heading_id.clone()} {onclose}>
            <h2 id={heading_id} class="modal__title">{ props.title.clone() }</h2>
            { props.children.clone() }
        </dialog>
    }
}

/// Properties of [`confirm_dialog`].
#[derive(Properties, PartialEq)]
pub struct ConfirmDialogProps {
    /// `data-testid` of the dialog.
    pub testid: AttrValue,
    /// The question.
    pub title: AttrValue,
    /// What will happen.
    pub message: AttrValue,
    /// The confirming button's label.
    pub confirm_label: AttrValue,
    /// Called on confirmation.
    pub onconfirm: Callback<()>,
    /// Called on Cancel or Escape.
    pub oncancel: Callback<()>,
}

/// Asks before doing something that discards work. Cancel has the focus
/// (the safe choice); Escape cancels.
pub fn confirm_dialog(props: &ConfirmDialogProps) -> Html {
    let cancel = {
        let cb = props.oncancel.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let confirm = {
        let cb = props.onconfirm.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <Modal testid={props.testid.clone()} title={props.title.clone()} onclose={props.oncancel.clone()}>
            <p class="modal__text">{ props.message.clone() }</p>
            <div class="modal__actions">
                <button type="button" class="button" onclick={cancel} autofocus=true data-testid="confirm-no">{ "Cancel" }</button>
                <button type="button" class="button button--danger" onclick={confirm} data-testid="confirm-yes">{ props.confirm_label.clone() }</button>
            </div>
        </Modal>
    }
}

/// Properties of [`PasteDialog`].
#[derive(Properties, PartialEq)]
pub struct PasteDialogProps {
    /// The current workspace (a pasted policy is added to it).
    pub current: Workspace,
    /// Called with what the text became.
    pub onimport: Callback<Imported>,
    /// Called on Cancel or Escape.
    pub oncancel: Callback<()>,
}

/// A textarea to paste a scenario or a single policy into.
#[component]
pub fn PasteDialog(props: &PasteDialogProps) -> Html {
    let text = use_state(String::new);
    let error = use_state(|| None::<String>);
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                text.set(t.value());
            }
        })
    };
    let load = {
        let text = text.clone();
        let error = error.clone();
        let current = props.current.clone();
        let onimport = props.onimport.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match import_text(&text, &current, "the pasted text") {
                Ok(imported) => onimport.emit(imported),
                Err(message) => error.set(Some(capitalize(&message))),
            }
        })
    };
    let cancel = {
        let cb = props.oncancel.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <Modal testid="paste-dialog" title="Paste a scenario or a policy" onclose={props.oncancel.clone()}>
            <form class="paste" onsubmit={load}>
                <label class="paste__label" for="paste-text">
                    { "A scenario file (JSON) replaces the current scenario; a single policy document is added as a new identity policy." }
                </label>
                <textarea id="paste-text" class="paste__text" spellcheck="false" rows="12" value={(*text).clone()} {oninput}
                    autofocus=true data-testid="paste-scenario"
                    aria-invalid={if error.is_some() { "true" } else { "false" }}
                    aria-describedby="paste-error" />
                <p id="paste-error" class="paste__error" role="alert" data-testid="paste-error">{ (*error).clone().unwrap_or_default() }</p>
                <div class="modal__actions">
                    <button type="button" class="button" onclick={cancel} data-testid="paste-cancel">{ "Cancel" }</button>
                    <button type="submit" class="button button--primary" data-testid="paste-load">{ "Load" }</button>
                </div>
            </form>
        </Modal>
    }
}

/// Upper-cases the first letter (ASCII: the app's own messages; Unicode
/// case tables would cost about 4 KB of the module).
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => std::iter::once(c.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}
