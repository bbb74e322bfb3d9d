//! The page footer.

use yew::prelude::*;

use crate::catalog::{CatalogStatus, ChecksStatus};

/// The footer text promising that nothing is sent anywhere.
pub const PRIVACY_NOTE: &str =
    "Policies never leave your browser: everything is evaluated locally in WebAssembly.";

/// The page footer with the privacy note and where the AWS service data
/// comes from (once the catalogue is loaded: `status`, from
/// [`crate::catalog::use_catalog_status`] in the calling component), and
/// whether the checks module failed to load (`checks`). A plain function: a
/// component of its own cost about 0.5 KB of the module.
pub fn footer(status: CatalogStatus, checks: ChecksStatus) -> Html {
    let catalog = match status {
        CatalogStatus::Loading => Html::default(),
        CatalogStatus::Ready(catalog) => {
            let info = catalog.info();
            html! {
                <p data-testid="catalog-status">
                    { format!(
                        "AWS service data: {} of {} ({} services, {} actions), for suggestions and findings in the editor.",
                        info.source, info.data_date, info.counts.services, info.counts.actions
                    ) }
                </p>
            }
        }
        CatalogStatus::Failed(why) => html! {
            <p data-testid="catalog-status" class="site-footer__notice">
                { format!("AWS service data could not be loaded ({why}): the editor offers no suggestions, and findings that need it are not shown.") }
            </p>
        },
    };
    let checks = match checks {
        ChecksStatus::Failed(why) => html! {
            <p data-testid="checks-status" class="site-footer__notice">
                { format!("The checks module could not be loaded ({why}): findings about condition values, keys and variables, principals, redundant statements and trust policies are not shown. Reload the page to try again.") }
            </p>
        },
        _ => Html::default(),
    };
    html! {
        <footer class="site-footer">
            <p>{ PRIVACY_NOTE }</p>
            { catalog }
            { checks }
        </footer>
    }
}
