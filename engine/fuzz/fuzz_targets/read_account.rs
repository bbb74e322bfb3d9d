//! Arbitrary text as a `get-account-authorization-details` file: reading it
//! never panics, every diagnostic points into the text, and every principal
//! it lists imports into a scenario whose policies keep their invariants and
//! survive a round trip (for a plain request and for `sts:AssumeRole` on
//! each role).
#![no_main]

use iam_engine::account::{read_account, ImportOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let read = read_account(&[("fuzz.json", text)]);
    let diagnostics: Vec<_> = read.diagnostics.iter().map(|d| d.diagnostic.clone()).collect();
    fuzz_checks::check_diagnostics(&diagnostics, Some(text));
    for d in &read.diagnostics {
        assert_eq!((d.at.line, d.at.column), (d.diagnostic.line, d.diagnostic.column));
        assert!(d.at.path.starts_with('$'), "path {:?}", d.at.path);
    }
    let account = &read.account;
    let roles: Vec<String> = account.roles.iter().map(|r| r.arn.clone()).collect();
    for p in account.principals().iter().take(8) {
        let mut requests = vec![ImportOptions::default()];
        requests.extend(roles.iter().take(2).map(|role| ImportOptions {
            action: Some("sts:AssumeRole".to_owned()),
            resource: Some(role.clone()),
            ..ImportOptions::default()
        }));
        for options in &requests {
            let imported = match account.import(&p.arn, options) {
                Ok(i) => i,
                // Two principals may share an ARN only across kinds; that is the one way in.
                Err(d) => {
                    assert_eq!(d.diagnostic.code, "unknown-principal");
                    continue;
                }
            };
            for d in &imported.diagnostics {
                assert!(d.at.line >= 1 && d.at.column >= 1, "{d:?}");
            }
            for policy in &imported.scenario.policies {
                fuzz_checks::check_parsed_policy(&policy.parsed, &policy.text);
                assert!(policy.origin.is_some());
            }
            fuzz_checks::check_round_trip(&imported.scenario);
        }
    }
});
