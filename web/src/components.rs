//! View components. One component per file in `components/`.

mod action_picker;
pub mod completion_popup;
mod context_table;
mod decision_panel;
pub mod explanation;
mod footer;
mod gallery_menu;
mod header;
pub mod markup;
mod notice;
mod policy_editor;
mod policy_panel;
mod problems;
mod request_panel;
mod results_table;
mod toolbar;

pub use decision_panel::{DecisionPanel, DecisionPanelProps};
pub use explanation::{Explanation, ExplanationProps};
pub use footer::footer;
pub use gallery_menu::{gallery_menu, GalleryMenuProps};
pub use header::header;
pub use notice::{notice_bar, NoticeBarProps};
pub use policy_editor::{PolicyEditor, PolicyEditorProps};
pub use policy_panel::{PolicyPanel, PolicyPanelProps};
pub use problems::{problems, ProblemsProps};
pub use request_panel::{RequestPanel, RequestPanelProps};
pub use results_table::ResultsTable;
pub use toolbar::{AccountDialog, AccountDialogProps, Toolbar, ACCOUNT_MODULE_URL};

use yew::prelude::*;

use crate::app::AppHandle;

/// The app's state handle from context. Components are only rendered inside
/// [`crate::app::App`], which provides it.
#[hook]
pub fn use_app() -> Option<AppHandle> {
    use_context::<AppHandle>()
}
