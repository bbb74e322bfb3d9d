//! Arbitrary bytes into the JSON reader, and (when UTF-8) into the policy
//! parser for every policy type.
#![no_main]

use iam_engine::json::parse_json_bytes;
use iam_engine::parse::parse_policy;
use iam_engine::PolicyType;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_json_bytes(data) {
        Ok(json) => {
            assert!(json.span.start <= json.span.end);
            assert!(json.span.end as usize <= data.len());
        }
        Err(e) => {
            assert!(!e.message.is_empty());
            assert!(
                e.span.start as usize <= data.len(),
                "error span past the end: {e:?}"
            );
        }
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for policy_type in PolicyType::ALL {
        let parsed = parse_policy(text, policy_type);
        fuzz_checks::check_parsed_policy(&parsed, text);
    }
});
