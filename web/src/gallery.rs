//! The examples gallery: the 14 teaching scenarios of
//! `tests/corpus/gallery/`, compiled in with `include_str!`.
//!
//! Each file is also a conformance case of the engine's corpus (its
//! `expect` is checked there), so the gallery cannot show a wrong answer;
//! the tests below check the same expectation through the web app's own
//! workspace conversion.

use iam_engine::Scenario;

use crate::workspace::Workspace;

/// One gallery example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example {
    /// The file stem, e.g. `01-own-credentials` (`data-example`).
    pub id: &'static str,
    /// The scenario file's text.
    pub text: &'static str,
}

macro_rules! examples {
    ($($id:literal),* $(,)?) => {
        [$(Example {
            id: $id,
            text: include_str!(concat!("../../tests/corpus/gallery/", $id, ".json")),
        }),*]
    };
}

/// Every example, in teaching order.
pub const EXAMPLES: [Example; 14] = examples![
    "01-own-credentials",
    "02-s3-admin-deny-secret",
    "03-cross-account-bucket",
    "04-bucket-source-ip",
    "05-start-stop-one-instance",
    "06-mfa-terminate",
    "07-scp-region-deny",
    "08-boundary-caps-admin",
    "09-session-policy",
    "10-abac-tags",
    "11-notaction-trap",
    "12-forallvalues-trap",
    "13-kms-key-policy",
    "14-role-trust-policy",
];

/// The example with this id.
pub fn find(id: &str) -> Option<Example> {
    EXAMPLES.into_iter().find(|e| e.id == id)
}

impl Example {
    fn scenario(&self) -> Option<Scenario> {
        Scenario::parse(self.text).scenario
    }

    /// The workspace showing this example.
    pub fn workspace(&self) -> Workspace {
        Workspace::from_scenario_text(self.text).unwrap_or_default()
    }

    /// The scenario's name without its `Gallery NN: ` prefix.
    pub fn title(&self) -> String {
        let name = self
            .scenario()
            .and_then(|s| s.name)
            .unwrap_or_else(|| self.id.to_owned());
        display_title(&name)
    }

    /// What it teaches.
    pub fn description(&self) -> String {
        self.scenario()
            .and_then(|s| s.description)
            .unwrap_or_default()
    }

    /// The expected decision as the decision panel shows it: `Allow`,
    /// `Explicit deny` or `Implicit deny`.
    pub fn expected_label(&self) -> &'static str {
        match self
            .scenario()
            .and_then(|s| s.expect)
            .map(|e| e.decision)
            .as_deref()
        {
            Some("Allow") => "Allow",
            Some("ExplicitDeny") => "Explicit deny",
            Some("ImplicitDeny") => "Implicit deny",
            _ => "No decision",
        }
    }
}

/// A scenario name as shown: a gallery example's `Gallery NN: ` prefix
/// removed, first letter upper-cased.
pub fn display_title(name: &str) -> String {
    match name.split_once(": ") {
        Some((prefix, rest))
            if prefix
                .strip_prefix("Gallery ")
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            capitalize(rest)
        }
        _ => name.to_owned(),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => std::iter::once(c.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iam_engine::Decision;

    #[test]
    fn every_example_has_a_title_a_lesson_and_its_expected_decision() {
        for example in EXAMPLES {
            let title = example.title();
            assert!(
                !title.is_empty() && !title.starts_with("Gallery"),
                "{}",
                example.id
            );
            assert!(example.description().len() > 40, "{}", example.id);
            let ws = example.workspace();
            assert!(!ws.policies.is_empty(), "{}", example.id);
            let (scenario, bad) = ws.to_scenario();
            assert!(bad.is_empty(), "{}", example.id);
            let decision = iam_engine::evaluate(&scenario)
                .unwrap_or_else(|e| panic!("{}: {e:?}", example.id))
                .decision;
            let label = match decision {
                Decision::Allow => "Allow",
                Decision::ExplicitDeny => "Explicit deny",
                Decision::ImplicitDeny => "Implicit deny",
            };
            assert_eq!(label, example.expected_label(), "{}", example.id);
        }
    }

    #[test]
    fn ids_are_unique_and_found() {
        for e in EXAMPLES {
            assert_eq!(find(e.id), Some(e));
        }
        assert_eq!(find("nope"), None);
        assert_eq!(display_title("Gallery 07: an SCP"), "An SCP");
        assert_eq!(display_title("Mine: my test"), "Mine: my test");
        assert_eq!(
            EXAMPLES[0].title(),
            "Users manage their own password and access keys"
        );
    }
}
