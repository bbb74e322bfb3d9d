//! `ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE` and its `Deny`
//! twin: an `aws:ResourceTag/…` condition on actions of a service that never
//! puts the key in its requests, so the statement never applies to them.
//! With `NotAction` (`ALLOW_NOTACTION_…`, `DENY_NOTACTION_…`) the statement
//! covers every service, so some of them always miss the key.

use std::collections::BTreeMap;

use super::Context;
use crate::catalog::Catalog;
use crate::condition::BaseOperator;
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::Effect;

const RESOURCE_TAG: &str = "aws:resourcetag/";

fn is_resource_tag(key: &str) -> bool {
    key.get(..RESOURCE_TAG.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(RESOURCE_TAG))
}

/// Whether the operator is false when the key is missing (so the statement
/// does not apply to actions without it): not `IfExists`, not negated.
fn needs_key(base: BaseOperator) -> bool {
    !matches!(
        base,
        BaseOperator::StringNotEquals
            | BaseOperator::StringNotEqualsIgnoreCase
            | BaseOperator::StringNotLike
            | BaseOperator::ArnNotEquals
            | BaseOperator::ArnNotLike
            | BaseOperator::Null
    )
}

/// The first `aws:ResourceTag/…` condition of a statement that is false
/// when the key is missing.
fn resource_tag_condition(
    statement: &crate::policy::Statement,
) -> Option<&crate::policy::ConditionEntry> {
    statement.conditions.iter().find(|c| {
        is_resource_tag(&c.key.value)
            && !c.operator.value.if_exists
            && needs_key(c.operator.value.base)
    })
}

/// `ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE` and
/// `DENY_NOTACTION_…`: `NotAction` with an `aws:ResourceTag/…` condition.
/// The statement reaches every service not excluded, and many services
/// (and future actions) never send the key: those it never allows or denies.
pub(super) fn notaction_tag_keys(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        if !statement.action.negated {
            continue;
        }
        let Some(entry) = resource_tag_condition(statement) else {
            continue;
        };
        let key = &entry.key.value;
        let d = match statement.effect.value {
            Effect::Allow => Diagnostic::new(
                Severity::Suggestion,
                "notaction-with-tag-key",
                format!("with `NotAction`, this `Allow` reaches only the actions whose requests carry `{key}`; the actions of services that never send it stay denied"),
                entry.key.span,
            )
            .with_help("list the actions to allow in `Action` instead of `NotAction`, choosing actions that support the tag key")
            .with_aws_issue(
                "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                "suggestion-allow-notaction-with-unsupported-tag-condition-key-for-service",
            ),
            Effect::Deny => Diagnostic::new(
                Severity::SecurityWarning,
                "notaction-with-tag-key",
                format!("with `NotAction`, this `Deny` never denies the actions whose requests lack `{key}`: those of services that do not support it, including actions added later"),
                entry.key.span,
            )
            .with_help("list the actions to deny in `Action` instead of `NotAction`, and deny the others by resource name")
            .with_aws_issue(
                "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                "security-warning-deny-notaction-with-unsupported-tag-condition-key-for-service",
            ),
        };
        out.push(d);
    }
}

pub(super) fn unsupported_tag_keys(cx: &Context<'_>, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        if statement.action.negated || statement.action.patterns.iter().any(|p| p.value == "*") {
            continue;
        }
        let Some(entry) = resource_tag_condition(statement) else {
            continue;
        };
        // Per service: whether any matched action supports the key.
        let mut services: BTreeMap<String, bool> = BTreeMap::new();
        for pattern in &statement.action.patterns {
            for action in catalog.actions_matching(&pattern.value) {
                let supports = action
                    .applicable_condition_keys()
                    .iter()
                    .any(|k| is_resource_tag(k.name()));
                *services
                    .entry(action.service().prefix().to_owned())
                    .or_default() |= supports;
            }
        }
        let unsupported: Vec<String> = services
            .into_iter()
            .filter(|(_, supported)| !supported)
            .map(|(prefix, _)| format!("`{prefix}`"))
            .collect();
        if unsupported.is_empty() {
            continue;
        }
        let key = &entry.key.value;
        let list = unsupported.join(", ");
        let d = match statement.effect.value {
            Effect::Allow => Diagnostic::new(
                Severity::Suggestion,
                "unsupported-tag-key-for-service",
                format!("the actions of {list} in this statement never have `{key}` in their requests, so this `Allow` never allows them"),
                entry.key.span,
            )
            .with_help("move those actions to a statement without this condition, and restrict them by resource name instead")
            .with_aws_issue(
                "ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                "suggestion-allow-with-unsupported-tag-condition-key-for-service",
            ),
            Effect::Deny => Diagnostic::new(
                Severity::SecurityWarning,
                "unsupported-tag-key-for-service",
                format!("the actions of {list} in this statement never have `{key}` in their requests, so this `Deny` never denies them"),
                entry.key.span,
            )
            .with_help("move those actions to a statement without this condition, and deny them by resource name instead")
            .with_aws_issue(
                "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
                "security-warning-deny-with-unsupported-tag-condition-key-for-service",
            ),
        };
        out.push(d);
    }
}
