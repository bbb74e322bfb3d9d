//! The explanation's notes on rules outside the policies' text: the
//! undocumented choices and language rules statements relied on, and the
//! summary of a request a service rule decided.

use super::service::Deciding;
use crate::explain::{Decision, Note, NoteKind, Noted, PolicyTrace};

/// Each rule a statement can rely on: its bit, kind, code, message and
/// (nearest) AWS page.
const RULES: [(u8, NoteKind, &str, &str, &str); 7] = [
    (
        Noted::NOT_RESOURCE_UNRESOLVED,
        NoteKind::Undocumented,
        "not-resource-unresolved-variable",
        "a NotResource entry has a policy variable with no value. AWS says such an entry \"will not match any resource\" and that an unresolved variable keeps the statement from taking effect; read literally for NotResource, an entry that matches nothing would exclude nothing and let the statement apply to every resource. We take the reading that does not widen it: the NotResource element does not match, so the statement does not apply",
        "IAM User Guide: IAM policy elements: Variables and tags (Policy variables with no value)",
    ),
    (
        Noted::NULL_EMPTY_LIST,
        NoteKind::Undocumented,
        "null-empty-list",
        "a Null condition tested a key the request gives as an empty list. AWS does not say whether an empty list is present or absent for Null; we treat it as absent (like ForAllValues, which AWS documents as true for a key that resolves to an empty data set)",
        "IAM User Guide: Condition operators (Null condition operator)",
    ),
    (
        Noted::EMPTY_LIST_AS_MISSING,
        NoteKind::Undocumented,
        "empty-list-as-missing",
        "a condition met a key the request gives as an empty list, with an operator that has no set qualifier. AWS does not document this case; we treat the key as missing (a positive operator does not match, a negated one and …IfExists hold)",
        "IAM User Guide: Single-valued vs. multivalued context keys",
    ),
    (
        Noted::MULTIVALUED_WITHOUT_QUALIFIER,
        NoteKind::Undocumented,
        "multivalued-without-set-qualifier",
        "a condition without ForAllValues or ForAnyValue met a key with several values. AWS only says multivalued keys need a set operator; we read a positive operator as holding when any value matches, and a negated one as holding only when no value matches",
        "IAM User Guide: Single-valued vs. multivalued context keys",
    ),
    (
        Noted::BOOL_VARIABLE,
        NoteKind::Undocumented,
        "bool-policy-variable",
        "a Bool condition value has a policy variable. AWS's pages disagree on whether variables are substituted in Bool conditions (the Variables page lists only string and ARN operators); we substitute them",
        "IAM User Guide: IAM policy elements: Variables and tags (Condition element)",
    ),
    (
        Noted::DATE_FORM,
        NoteKind::Undocumented,
        "date-without-zone-or-bare-year",
        "a Date condition compared a date and time written without a time zone, or a bare four-digit number. AWS points to the W3C profile of ISO 8601 (which requires a zone with a time) and to epoch seconds, and does not say how it reads these; we read a time without a zone as UTC and a four-digit number as a year",
        "IAM User Guide: Condition operators (Date condition operators)",
    ),
    (
        Noted::PRINCIPAL_VARIABLE,
        NoteKind::LanguageRule,
        "principal-variable-literal",
        "a Principal entry contains `${…}`: policy variables are substituted only in Resource and in the values of string and ARN conditions, so in Principal it is literal text and names no real principal",
        "IAM User Guide: IAM policy elements: Variables and tags (Where you can use policy variables)",
    ),
];

/// Adds a note for each rule a statement of an applicable policy relied on.
pub(crate) fn statement_rules(policies: &[PolicyTrace], notes: &mut Vec<Note>) {
    let used = policies
        .iter()
        .filter(|p| p.applies)
        .flat_map(|p| p.statements.iter())
        .fold(0u8, |bits, s| bits | s.elements.noted);
    if used == 0 {
        return;
    }
    for (bit, kind, code, message, source) in RULES {
        if used & bit != 0 {
            notes.push(Note {
                kind,
                code,
                decisive: false,
                message: message.to_owned(),
                source,
            });
        }
    }
}

fn what_policies_give(decision: Decision) -> &'static str {
    match decision {
        Decision::Allow => "allow it",
        Decision::ExplicitDeny => "deny it explicitly",
        Decision::ImplicitDeny => "deny it implicitly",
    }
}

/// The summary of a request `rule` decided: the rule, then what the
/// policies alone would give (`policies_decision`, `policies_summary`).
pub(crate) fn decided_by_rule(
    rule: &Deciding,
    policies_decision: Decision,
    policies_summary: &str,
) -> String {
    let verdict = match rule.decision {
        Decision::Allow => "Allowed",
        Decision::ExplicitDeny | Decision::ImplicitDeny => "Denied",
    };
    let message = &rule.note.message;
    format!(
        "{verdict} by a service rule, whatever the policies say: {message} ({}). The policies alone would {}: {policies_summary}",
        rule.note.source,
        what_policies_give(policies_decision)
    )
}
