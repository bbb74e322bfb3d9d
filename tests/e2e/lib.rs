//! Browser end-to-end tests for the IAM Policy Playground.
//!
//! This library is empty on purpose. The tests are in `browser.rs` and the
//! reusable harness (static server, chromedriver, browser session, polling,
//! screenshots) in `harness.rs`. Run them with `cargo test -p iam-playground-e2e`
//! after `scripts/build` has produced `dist/`.
