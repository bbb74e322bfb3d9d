//! Import: arbitrary text as pasted, dropped or picked (a scenario, a single
//! policy, YAML, anything). It never panics; what it refuses it explains;
//! what it loads, exported and imported again, loads the same.
#![no_main]

use iam_playground::gallery::EXAMPLES;
use iam_playground::import_export::import_text;
use iam_playground::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    // A single policy is added to what is open: try both an empty workspace
    // and an example's.
    let current = if text.len() % 2 == 0 {
        Workspace::default()
    } else {
        EXAMPLES[0].workspace()
    };
    match import_text(text, &current, "the file") {
        Err(message) => fuzz_checks::web::check_message(&message, "the file"),
        Ok(imported) => fuzz_checks::web::check_export_round_trip(&imported.workspace),
    }
});
