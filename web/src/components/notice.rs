//! The banner for what just happened (a link opened, a file imported) or
//! could not be done (a broken link, storage refused).

use yew::prelude::*;

use crate::app::AppHandle;
use crate::state::{Action, NoticeKind};

/// Properties of [`notice_bar`].
#[derive(Properties, PartialEq, Default)]
pub struct NoticeBarProps {
    /// When set, an Undo button that calls it (bringing back what the last
    /// replacement discarded).
    #[prop_or_default]
    pub onundo: Option<Callback<()>>,
}

/// The current notice (`data-testid="notice"`): `role="alert"` for errors,
/// `role="status"` for information; dismissable. A plain function of the
/// component holding `app` (a component of its own cost about 0.5 KB of
/// the module).
pub fn notice_bar(app: &AppHandle, props: &NoticeBarProps) -> Html {
    let Some(notice) = app.notice.clone() else {
        return html! { <div class="notice-slot" aria-live="polite"></div> };
    };
    let (class, role, icon) = match notice.kind {
        NoticeKind::Info => ("notice--info", "status", "ℹ"),
        NoticeKind::Error => ("notice--error", "alert", "⚠"),
    };
    let dismiss = {
        let app = app.clone();
        Callback::from(move |_| app.dispatch(Action::Notify(None)))
    };
    let undo = props.onundo.clone().map(|onundo| {
        let onclick = Callback::from(move |_| onundo.emit(()));
        html! { <button type="button" class="button button--small" {onclick} data-testid="undo-replace">{ "Undo" }</button> }
    });
    html! {
        <div class="notice-slot">
            <div class={classes!("notice", class)} {role} data-testid="notice" data-kind={if notice.kind == NoticeKind::Error { "error" } else { "info" }}>
                <span class="notice__icon" aria-hidden="true">{ icon }</span>
                <p class="notice__text">{ &notice.text }</p>
                { for undo }
                <button type="button" class="notice__dismiss" aria-label="Dismiss message" onclick={dismiss} data-testid="dismiss-notice">{ "×" }</button>
            </div>
        </div>
    }
}
