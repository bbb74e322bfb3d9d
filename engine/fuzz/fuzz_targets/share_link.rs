//! Share links as an address bar delivers them: arbitrary `#s=…` payloads
//! (bad versions, base64, zlib streams, scenarios), and scenario texts
//! packed as the app packs them. A link never panics the decoder; a link
//! that opens shows a workspace that, shared again, opens to the same thing.
#![no_main]

use iam_playground::share_link::{decode, encode, fragment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if text.trim_start().starts_with('{') {
        // A scenario: packing is lossless and the link opens as the text.
        if text.len() <= iam_engine::limits::MAX_SCENARIO_BYTES {
            let payload = encode(text);
            assert_eq!(decode(&payload).as_deref(), Ok(text), "packing lost data");
        }
        fuzz_checks::web::check_link(&fragment(text));
    } else {
        fuzz_checks::web::check_link(&format!("#s={text}"));
    }
});
