//! Arbitrary bytes as a catalogue file (seeded with the real
//! `engine/data/catalog.bin`, so mutations reach every table): decoding
//! never panics, and a file that decodes answers every lookup without
//! panicking, whatever its tables say.
#![no_main]

use iam_engine::catalog::Catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(catalog) = Catalog::decode(bytes) else {
        return;
    };
    let _ = catalog.info();
    for service in catalog.services().take(32) {
        let _ = (service.prefix(), service.name());
        for action in service.actions().take(32) {
            let _ = (action.full_name(), action.access_level());
            let _ = action.condition_keys().count();
            let _ = action.dependent_actions().count();
            let _ = action.applicable_condition_keys().len();
            for resource in action.resource_types() {
                let resource_type = resource.resource_type();
                let _ = (resource.required(), resource_type.name());
                let _ = resource_type.arn_formats().count();
                let _ = resource_type.matches_arn("arn:aws:s3:::bucket/key");
            }
        }
        for resource_type in service.resource_types().take(32) {
            let _ = resource_type.condition_keys().count();
        }
        let _ = service.condition_keys().count();
    }
    for key in catalog.condition_keys().take(256) {
        let _ = (
            key.name(),
            key.key_type(),
            key.is_multivalued(),
            key.is_global(),
            key.is_documented(),
        );
    }
    for pattern in ["*", "s3:Get*", "iam:Pass?ole", "S3:GETOBJECT", ""] {
        let _ = catalog.actions_matching(pattern).len();
    }
    let _ = catalog.action("s3:GetObject");
    let _ = catalog.condition_key("aws:RequestTag/Dept");
    let _ = catalog.condition_key("s3:ExistingObjectTag/Env");
    let _ = catalog.global_key("aws:SourceIp");
    let _ = catalog.suggest_action("s3:GetObjcet");
    let _ = catalog.suggest_service("s4");
});
