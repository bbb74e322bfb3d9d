//! Reusable view components. One component per file in `components/`.

mod decision_panel;
mod footer;
mod header;

pub use decision_panel::{DecisionPanel, DecisionPanelProps};
pub use footer::Footer;
pub use header::Header;
