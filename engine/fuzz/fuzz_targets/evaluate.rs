//! Arbitrary text through the text-in/result-out entry point the CLI and the
//! JavaScript API share.
#![no_main]

use iam_engine::ffi::evaluate_scenario_text;
use iam_engine::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let first = evaluate_scenario_text(text);
    let second = evaluate_scenario_text(text);
    assert_eq!(first, second, "evaluation is not deterministic");
    match &first {
        Ok(evaluation) => {
            let parsed = Scenario::parse(text);
            let scenario = parsed
                .scenario
                .as_ref()
                .expect("evaluated without a scenario");
            fuzz_checks::check_evaluation(evaluation, scenario);
        }
        Err(e) => {
            assert!(e.errors().next().is_some(), "no evaluation and no error");
            fuzz_checks::check_diagnostics(&e.diagnostics, None);
        }
    }
});
