//! Arbitrary text into the scenario reader; a scenario that comes back must
//! survive being written as text and read again.
#![no_main]

use iam_engine::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parsed = Scenario::parse(text);
    fuzz_checks::check_diagnostics(&parsed.diagnostics, None);
    if parsed.scenario.is_none() {
        assert!(parsed.has_errors(), "no scenario and no error");
    }
    if let Some(scenario) = &parsed.scenario {
        for policy in &scenario.policies {
            fuzz_checks::check_parsed_policy(&policy.parsed, &policy.text);
        }
        fuzz_checks::check_round_trip(scenario);
    }
});
