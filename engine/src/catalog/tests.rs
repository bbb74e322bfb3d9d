//! Tests of the catalogue on a small hand-made source: encoding and
//! decoding, damaged files, lookups, templates, wildcards, suggestions.

use super::*;

fn key(name: &str, key_type: KeyType) -> SourceKey {
    SourceKey {
        name: name.to_owned(),
        key_type,
        documented: true,
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn action(
    name: &str,
    access_level: AccessLevel,
    types: &[(&str, bool)],
    keys: &[&str],
) -> SourceAction {
    SourceAction {
        name: name.to_owned(),
        access_level,
        resource_types: types
            .iter()
            .map(|(t, required)| SourceActionResourceType {
                name: (*t).to_owned(),
                required: *required,
                condition_keys: Vec::new(),
                dependent_actions: Vec::new(),
            })
            .collect(),
        condition_keys: strings(keys),
        dependent_actions: Vec::new(),
    }
}

pub(super) fn sample_source() -> CatalogSource {
    let s3 = SourceService {
        prefix: "s3".into(),
        name: "Amazon S3".into(),
        actions: vec![
            action(
                "GetObject",
                AccessLevel::Read,
                &[("object", false)],
                &["s3:ExistingObjectTag/<key>", "s3:TlsVersion"],
            ),
            action(
                "ListBucket",
                AccessLevel::List,
                &[("bucket", true)],
                &["s3:prefix"],
            ),
            action("PutObject", AccessLevel::Write, &[("object", true)], &[]),
            action(
                "GetObjectTagging",
                AccessLevel::Read,
                &[("object", true)],
                &[],
            ),
            action(
                "PutBucketPolicy",
                AccessLevel::PermissionsManagement,
                &[("bucket", true)],
                &[],
            ),
        ],
        resource_types: vec![
            SourceResourceType {
                name: "object".into(),
                arn_formats: strings(&["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]),
                condition_keys: Vec::new(),
            },
            SourceResourceType {
                name: "bucket".into(),
                arn_formats: strings(&["arn:${Partition}:s3:::${BucketName}"]),
                condition_keys: strings(&["aws:ResourceTag/${TagKey}"]),
            },
        ],
        condition_keys: vec![
            key("s3:prefix", KeyType::String),
            key("s3:TlsVersion", KeyType::Numeric),
            key("s3:ExistingObjectTag/<key>", KeyType::String),
            key("aws:ResourceTag/${TagKey}", KeyType::String),
        ],
    };
    let mut passrole = action(
        "PassRole",
        AccessLevel::Write,
        &[("role", true)],
        &["iam:PassedToService"],
    );
    passrole.dependent_actions = strings(&["iam:GetRole"]);
    let iam = SourceService {
        prefix: "iam".into(),
        name: "AWS Identity and Access Management (IAM)".into(),
        actions: vec![
            passrole,
            action(
                "TagRole",
                AccessLevel::Tagging,
                &[("role", true)],
                &["aws:TagKeys"],
            ),
            action("GetRole", AccessLevel::Read, &[("role", true)], &[]),
        ],
        resource_types: vec![SourceResourceType {
            name: "role".into(),
            arn_formats: strings(&["arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"]),
            condition_keys: Vec::new(),
        }],
        condition_keys: vec![
            key("iam:PassedToService", KeyType::String),
            key("aws:TagKeys", KeyType::ArrayOfString),
        ],
    };
    CatalogSource {
        source: "sample@1.0.0".into(),
        data_date: "2026-01-02".into(),
        services: vec![s3, iam],
        global_keys: vec![
            key("aws:SourceIp", KeyType::IpAddress),
            key("aws:TagKeys", KeyType::ArrayOfString),
            key("aws:PrincipalTag/${TagKey}", KeyType::String),
            key("aws:ResourceTag/${TagKey}", KeyType::String),
            SourceKey {
                documented: false,
                ..key("aws:PrincipalOrgMasterAccountId", KeyType::String)
            },
        ],
    }
}

fn sample() -> Catalog {
    let bytes = compile(&sample_source()).unwrap();
    Catalog::decode(&bytes).unwrap()
}

#[test]
fn round_trip_keeps_everything() {
    let catalog = sample();
    let info = catalog.info();
    assert_eq!(info.format_version, FORMAT_VERSION);
    assert_eq!(info.source, "sample@1.0.0");
    assert_eq!(info.data_date, "2026-01-02");
    assert_eq!(
        info.counts,
        CatalogCounts {
            services: 2,
            actions: 8,
            resource_types: 3,
            condition_keys: 9,
            global_keys: 5,
        }
    );
    let prefixes: Vec<&str> = catalog.services().map(|s| s.prefix()).collect();
    assert_eq!(prefixes, ["iam", "s3"]);
    let s3 = catalog.service("S3").unwrap();
    assert_eq!(s3.name(), "Amazon S3");
    let names: Vec<&str> = s3.actions().map(|a| a.name()).collect();
    assert_eq!(
        names,
        [
            "GetObject",
            "GetObjectTagging",
            "ListBucket",
            "PutBucketPolicy",
            "PutObject"
        ]
    );
    let keys: Vec<&str> = s3.condition_keys().map(|k| k.name()).collect();
    assert_eq!(
        keys,
        [
            "aws:ResourceTag/${TagKey}",
            "s3:ExistingObjectTag/<key>",
            "s3:prefix",
            "s3:TlsVersion"
        ]
    );

    let get = catalog.action("s3:getobject").unwrap();
    assert_eq!(get.full_name(), "s3:GetObject");
    assert_eq!(get.service(), s3);
    assert_eq!(get.access_level(), AccessLevel::Read);
    let types: Vec<(&str, bool)> = get
        .resource_types()
        .map(|rt| (rt.resource_type().name(), rt.required()))
        .collect();
    assert_eq!(types, [("object", false)]);
    let keys: Vec<String> = get.condition_keys().map(|k| k.name().to_owned()).collect();
    assert_eq!(keys, ["s3:ExistingObjectTag/<key>", "s3:TlsVersion"]);

    let pass = catalog.action("IAM:PASSROLE").unwrap();
    assert_eq!(
        pass.dependent_actions().collect::<Vec<_>>(),
        ["iam:GetRole"]
    );
    assert!(pass
        .condition_keys()
        .any(|k| k.name() == "iam:PassedToService"));
    assert_eq!(
        catalog.action("iam:TagRole").unwrap().access_level(),
        AccessLevel::Tagging
    );

    let bucket = s3.resource_type("BUCKET").unwrap();
    assert_eq!(bucket.service(), s3);
    assert_eq!(
        bucket.arn_formats().collect::<Vec<_>>(),
        ["arn:${Partition}:s3:::${BucketName}"]
    );
    let list = catalog.action("s3:ListBucket").unwrap();
    let applicable: Vec<&str> = list
        .applicable_condition_keys()
        .iter()
        .map(|k| k.name())
        .collect();
    assert_eq!(applicable, ["aws:ResourceTag/${TagKey}", "s3:prefix"]);
}

#[test]
fn compiling_is_deterministic() {
    let mut shuffled = sample_source();
    shuffled.services.reverse();
    for service in &mut shuffled.services {
        service.actions.reverse();
        service.condition_keys.reverse();
    }
    assert_eq!(
        compile(&sample_source()).unwrap(),
        compile(&shuffled).unwrap()
    );
}

#[test]
fn compiling_rejects_inconsistent_data() {
    let mut source = sample_source();
    source.services[0].actions[0]
        .condition_keys
        .push("s3:Nope".into());
    let err = compile(&source).unwrap_err();
    assert_eq!(
        err.to_string(),
        "s3:GetObject: condition key `s3:Nope` is not defined"
    );
    let mut source = sample_source();
    source.services[0].actions[0].resource_types[0].name = "objekt".into();
    assert!(compile(&source)
        .unwrap_err()
        .to_string()
        .contains("`objekt`"));
    let mut source = sample_source();
    let copy = source.services[0].actions[0].clone();
    source.services[0].actions.push(copy);
    assert!(compile(&source).unwrap_err().to_string().contains("twice"));
}

#[test]
fn unknown_names_are_none() {
    let catalog = sample();
    assert!(catalog.service("s4").is_none());
    assert!(catalog.action("s3:GetObjcet").is_none());
    assert!(catalog.action("s3").is_none());
    assert!(catalog.action("").is_none());
    assert!(catalog.action("s3:GetObject:x").is_none());
    assert!(catalog.condition_key("s3:nothing").is_none());
    assert!(catalog
        .service("s3")
        .unwrap()
        .resource_type("nope")
        .is_none());
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = compile(&sample_source()).unwrap();
    for end in 0..bytes.len() {
        let err = Catalog::decode(&bytes[..end]).unwrap_err();
        if end >= MAGIC_LEN {
            assert!(
                matches!(
                    err,
                    CatalogError::Truncated { .. } | CatalogError::Damaged { .. }
                ),
                "{end}: {err:?}"
            );
        }
    }
}

const MAGIC_LEN: usize = 8;

#[test]
fn every_corrupted_byte_is_an_error_or_a_catalogue_never_a_panic() {
    let bytes = compile(&sample_source()).unwrap();
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[i] ^= flip;
            if let Ok(catalog) = Catalog::decode(&damaged) {
                // Whatever survived must still answer without panicking.
                for action in catalog.actions() {
                    let _ = action.full_name();
                    let _ = action.applicable_condition_keys();
                    for rt in action.resource_types() {
                        let _ = rt.resource_type().matches_arn("arn:aws:s3:::b/k");
                    }
                }
                let _ = catalog.condition_key("aws:PrincipalTag/x");
                let _ = catalog.actions_matching("*:*");
            }
        }
    }
}

#[test]
fn wrong_signature_version_and_trailing_bytes() {
    assert_eq!(Catalog::decode(b"").unwrap_err(), CatalogError::NotACatalog);
    assert_eq!(
        Catalog::decode(b"PK\x03\x04 zip").unwrap_err(),
        CatalogError::NotACatalog
    );
    let mut bytes = compile(&sample_source()).unwrap();
    let mut newer = bytes.clone();
    newer[MAGIC_LEN] = 3;
    assert_eq!(
        Catalog::decode(&newer).unwrap_err(),
        CatalogError::UnsupportedVersion {
            found: 3,
            supported: 2
        }
    );
    assert_eq!(
        Catalog::decode(&newer).unwrap_err().to_string(),
        "catalogue format version 3 is not supported (this engine reads version 2)"
    );
    // A version 1 file (no "not documented" flag) is refused, not misread.
    let mut older = bytes.clone();
    older[MAGIC_LEN] = 1;
    assert_eq!(
        Catalog::decode(&older).unwrap_err(),
        CatalogError::UnsupportedVersion {
            found: 1,
            supported: 2
        }
    );
    bytes.push(0);
    assert!(matches!(
        Catalog::decode(&bytes),
        Err(CatalogError::Damaged {
            what: "unexpected bytes after the end of the catalogue",
            ..
        })
    ));
}

#[test]
fn huge_counts_do_not_allocate() {
    let mut w = format::Writer::default();
    w.bytes.extend_from_slice(format::MAGIC);
    w.varint(u64::from(FORMAT_VERSION));
    w.str("x");
    w.str("y");
    w.varint(u64::MAX >> 1);
    assert!(matches!(
        Catalog::decode(&w.bytes),
        Err(CatalogError::Truncated { .. })
    ));
}

#[test]
fn condition_keys_and_templates() {
    let catalog = sample();
    let ip = catalog.condition_key("AWS:SOURCEIP").unwrap();
    assert_eq!(ip.name(), "aws:SourceIp");
    assert_eq!(ip.key_type(), KeyType::IpAddress);
    assert!(ip.is_global() && !ip.is_multivalued() && !ip.is_template());
    assert_eq!(catalog.global_key("aws:SourceIp"), Some(ip));

    let tag = catalog.condition_key("aws:PrincipalTag/Dept").unwrap();
    assert_eq!(tag.name(), "aws:PrincipalTag/${TagKey}");
    assert!(tag.is_global() && tag.is_template());
    // The template itself, in any case, is the key too.
    assert_eq!(
        catalog.condition_key("aws:principaltag/${tagkey}"),
        Some(tag)
    );
    // A placeholder needs text.
    assert!(catalog.condition_key("aws:PrincipalTag/").is_none());

    let existing = catalog.condition_key("s3:existingobjecttag/Env").unwrap();
    assert_eq!(existing.name(), "s3:ExistingObjectTag/<key>");
    assert!(!existing.is_global());
    assert!(catalog.global_key("s3:ExistingObjectTag/Env").is_none());

    let tag_keys = catalog.global_key("aws:tagkeys").unwrap();
    assert!(tag_keys.is_multivalued());
    assert_eq!(tag_keys.key_type(), KeyType::ArrayOfString);
    // A global key a service also lists is one key, global.
    assert!(catalog
        .service("iam")
        .unwrap()
        .condition_keys()
        .any(|k| k == tag_keys));
    assert_eq!(catalog.global_keys().count(), 5);
}

#[test]
fn undocumented_global_keys_keep_their_flag() {
    let catalog = sample();
    let master = catalog
        .global_key("aws:principalorgmasteraccountid")
        .unwrap();
    assert_eq!(master.name(), "aws:PrincipalOrgMasterAccountId");
    assert!(master.is_global() && !master.is_documented());
    assert_eq!(master.key_type(), KeyType::String);
    let undocumented: Vec<&str> = catalog
        .condition_keys()
        .filter(|k| !k.is_documented())
        .map(|k| k.name())
        .collect();
    assert_eq!(undocumented, ["aws:PrincipalOrgMasterAccountId"]);
    assert!(catalog.global_key("aws:SourceIp").unwrap().is_documented());
    assert!(catalog.condition_key("s3:prefix").unwrap().is_documented());
}

/// The offset of the first key's flags byte in a compiled catalogue.
fn key_flags_offset(bytes: &[u8]) -> usize {
    let mut r = format::Reader::new(bytes);
    r.take(MAGIC_LEN).unwrap();
    r.varint().unwrap();
    r.str().unwrap();
    r.str().unwrap();
    let n = r.count().unwrap();
    r.texts(n).unwrap();
    r.offset + n
}

#[test]
fn unknown_key_flags_are_damage() {
    let bytes = compile(&sample_source()).unwrap();
    let at = key_flags_offset(&bytes);
    let catalog = Catalog::decode(&bytes).unwrap();
    let first = catalog.condition_keys().next().unwrap();
    let expected = u8::from(first.is_global()) | (u8::from(!first.is_documented()) << 1);
    assert_eq!(bytes[at], expected, "{first:?}");
    for bits in [0b100u8, 0x80, 0xff] {
        let mut damaged = bytes.clone();
        damaged[at] |= bits;
        assert!(
            matches!(
                Catalog::decode(&damaged),
                Err(CatalogError::Damaged {
                    what: "unknown condition key flags",
                    ..
                })
            ),
            "{bits:#x}"
        );
    }
    // The two known bits in any combination decode.
    for bits in 0..4u8 {
        let mut flagged = bytes.clone();
        flagged[at] = bits;
        let catalog = Catalog::decode(&flagged).unwrap();
        let first = catalog.condition_keys().next().unwrap();
        assert_eq!(first.is_global(), bits & 1 != 0);
        assert_eq!(first.is_documented(), bits & 2 == 0);
    }
}

#[test]
fn wildcard_expansion() {
    let catalog = sample();
    let names = |pattern: &str| -> Vec<String> {
        catalog
            .actions_matching(pattern)
            .iter()
            .map(Action::full_name)
            .collect()
    };
    assert_eq!(catalog.actions_matching("*").len(), 8);
    assert_eq!(catalog.actions_matching("*:*").len(), 8);
    assert_eq!(names("s3:Get*"), ["s3:GetObject", "s3:GetObjectTagging"]);
    assert_eq!(names("S3:get*"), ["s3:GetObject", "s3:GetObjectTagging"]);
    assert_eq!(names("s3:GetObject"), ["s3:GetObject"]);
    assert_eq!(names("s3:?ut*"), ["s3:PutBucketPolicy", "s3:PutObject"]);
    assert_eq!(
        names("*:Get*"),
        ["iam:GetRole", "s3:GetObject", "s3:GetObjectTagging"]
    );
    assert_eq!(
        names("i*:*Role"),
        ["iam:GetRole", "iam:PassRole", "iam:TagRole"]
    );
    assert_eq!(names("s3*Bucket"), ["s3:ListBucket"]);
    assert!(names("s3:Nothing*").is_empty());
    assert!(names("s4:*").is_empty());
    assert!(names("s3:Get:*").is_empty());
}

#[test]
fn suggestions() {
    let catalog = sample();
    let full = |a: Option<Action<'_>>| a.map(|a| a.full_name());
    assert_eq!(
        full(catalog.suggest_action("s3:GetObjcet")).as_deref(),
        Some("s3:GetObject")
    );
    assert_eq!(
        full(catalog.suggest_action("s3:getobject")).as_deref(),
        Some("s3:GetObject")
    );
    assert_eq!(
        full(catalog.suggest_action("iam:PassRoles")).as_deref(),
        Some("iam:PassRole")
    );
    assert_eq!(
        full(catalog.suggest_action("s4:GetObject")).as_deref(),
        Some("s3:GetObject")
    );
    assert_eq!(catalog.suggest_action("s3:DeleteEverything"), None);
    assert_eq!(catalog.suggest_action("GetObject"), None);
    assert_eq!(
        catalog.suggest_service("IAN").map(|s| s.prefix()),
        Some("iam")
    );
    assert_eq!(catalog.suggest_service("dynamodb"), None);
}

#[test]
fn arns_against_resource_types() {
    let catalog = sample();
    let s3 = catalog.service("s3").unwrap();
    let object = s3.resource_type("object").unwrap();
    let bucket = s3.resource_type("bucket").unwrap();
    assert!(object.matches_arn("arn:aws:s3:::b/key.txt"));
    assert!(!object.matches_arn("arn:aws:s3:::b"));
    assert!(bucket.matches_arn("arn:aws:s3:::b"));
    assert!(!bucket.matches_arn("arn:aws:iam::123456789012:role/r"));
}

#[test]
fn key_types_by_name() {
    assert_eq!(KeyType::parse("ARN"), Some(KeyType::Arn));
    assert_eq!(KeyType::parse("ArrayOfARN"), Some(KeyType::ArrayOfArn));
    assert_eq!(KeyType::parse("Boolean"), Some(KeyType::Bool));
    assert_eq!(KeyType::parse("IP address"), Some(KeyType::IpAddress));
    assert_eq!(KeyType::parse("Numeric"), Some(KeyType::Numeric));
    assert_eq!(KeyType::parse("Long"), None);
    for t in KeyType::ALL {
        assert_eq!(KeyType::parse(t.as_str()), Some(t));
        assert!(!t.element().is_array());
    }
    assert!(KeyType::ArrayOfBool.is_array());
    assert_eq!(
        AccessLevel::PermissionsManagement.to_string(),
        "Permissions management"
    );
}
