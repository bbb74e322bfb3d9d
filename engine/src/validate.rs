//! Validation: findings beyond the grammar, as IAM Access Analyzer's
//! `ValidatePolicy` reports them, offline.
//!
//! The parser ([`crate::parse`]) reports what AWS rejects and a few likely
//! mistakes; this module adds the checks that need the whole policy (which
//! statement allows `iam:PassRole` on every role, which actions are listed
//! twice, ...) and, with a [`Catalog`], AWS's vocabulary (actions, services,
//! condition keys and their types, resource types). Every finding has a
//! severity, a stable code, a message, help and the exact span of the
//! element at fault; where Access Analyzer has the same check, its issue
//! code and "learn more" address. `docs/validation.md` lists every Access
//! Analyzer check and what this module does about it.
//!
//! Findings never change decisions: evaluation reads only the policy.

mod arns;
mod aws_codes;
#[cfg_attr(not(feature = "extended-checks"), allow(dead_code))]
mod condition_keys;
#[cfg_attr(not(feature = "extended-checks"), allow(dead_code))]
mod condition_values;
mod conditions;
#[cfg_attr(not(feature = "extended-checks"), allow(dead_code))]
mod federation;
mod glob;
mod kind;
#[cfg_attr(not(feature = "extended-checks"), allow(dead_code))]
mod rcp_keys;
mod redundant;
mod resources;
mod sensitive;
mod service_keys;
#[cfg_attr(not(feature = "extended-checks"), allow(dead_code))]
mod service_principals;
#[cfg_attr(not(feature = "extended-checks"), allow(dead_code))]
mod statements;
mod tags;
#[cfg_attr(not(feature = "extended-checks"), allow(dead_code))]
mod trust;
mod types;
#[cfg_attr(not(feature = "extended-checks"), allow(dead_code))]
mod variables;
mod vocabulary;

pub use kind::{PolicyKind, SizeQuota};

use crate::catalog::Catalog;
use crate::diagnostics::Diagnostic;
use crate::parse::{parse_policy, ParsedPolicy};
use crate::policy::Policy;
use crate::source::SourceText;

/// What every check reads.
/// Whether condition key `key` is one of `keys` (condition keys ignore
/// case).
pub(crate) fn key_in(key: &str, keys: &[&str]) -> bool {
    keys.iter().any(|k| k.eq_ignore_ascii_case(key))
}

/// The keys that name the resource a service acts for (absent when an IAM
/// principal calls).
pub(crate) const SOURCE_KEYS: [&str; 4] = [
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
];

/// Whether the statement's `Action` lists AWS STS actions only
/// (`sts:AssumeRole`, `sts:TagSession`, …): what a role trust statement
/// grants. Among other resource-based policies only an STS VPC endpoint's
/// lists STS actions.
pub(crate) fn sts_actions_only(statement: &crate::policy::Statement) -> bool {
    let action = &statement.action;
    !action.negated
        && !action.patterns.is_empty()
        && action.patterns.iter().all(|p| {
            p.value
                .get(..4)
                .is_some_and(|s| s.eq_ignore_ascii_case("sts:"))
        })
}

pub(crate) struct Context<'a> {
    /// The parsed policy.
    pub policy: &'a Policy,
    /// What kind of policy it is.
    pub kind: PolicyKind,
}

/// Parses `text` as a policy of `kind` and validates it: the parser's
/// diagnostics (with their Access Analyzer codes) and every finding, in
/// document order, located.
pub fn validate(text: &str, kind: PolicyKind, catalog: Option<&Catalog>) -> Vec<Diagnostic> {
    let parsed = parse_policy(text, kind.policy_type());
    let mut all = parser_diagnostics(text, &parsed, kind, catalog);
    all.extend(validate_policy(text, &parsed, kind, catalog));
    crate::diagnostics::sort_by_position(&mut all);
    all
}

/// The parser's diagnostics for a policy of `kind`: each with its Access
/// Analyzer code where one fits, and the size quota of `kind` (finer than
/// the policy type's) in place of the parser's. With a catalogue, the
/// parser's "unknown global condition key" is dropped for keys the
/// catalogue knows (its list is newer than the built-in one).
pub fn parser_diagnostics(
    text: &str,
    parsed: &ParsedPolicy,
    kind: PolicyKind,
    catalog: Option<&Catalog>,
) -> Vec<Diagnostic> {
    let default_kind = PolicyKind::of(kind.policy_type());
    let known_to_catalog = |d: &Diagnostic| {
        d.code == "unknown-global-condition-key"
            && catalog.is_some_and(|c| {
                let key = d.span.slice(text).trim_matches('"');
                c.global_key(key).is_some()
            })
    };
    let mut out: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| kind == default_kind || d.code != "size-limit")
        .filter(|d| !known_to_catalog(d))
        .cloned()
        .map(aws_codes::tag)
        .collect();
    if kind != default_kind {
        if let Some(policy) = &parsed.policy {
            let document = policy.span.slice(text);
            if let Some(d) = crate::parse::size_diagnostic(document, kind, policy.span) {
                out.push(d.locate(&SourceText::new(text)));
            }
        }
    }
    out
}

/// The findings of every check on a parsed policy (not the parser's own
/// diagnostics), located in `text`. A policy that did not parse has none.
pub fn validate_policy(
    text: &str,
    parsed: &ParsedPolicy,
    kind: PolicyKind,
    catalog: Option<&Catalog>,
) -> Vec<Diagnostic> {
    let Some(policy) = parsed.policy.as_deref() else {
        return Vec::new();
    };
    let cx = Context { policy, kind };
    let mut out = Vec::new();
    redundant::redundant_actions(&cx, &mut out);
    redundant::redundant_resources(&cx, &mut out);
    sensitive::sensitive_actions(&cx, &mut out);
    conditions::star_values(&cx, &mut out);
    conditions::service_principal_format(&cx, &mut out);
    service_keys::s3_prefix_in_negative_context(&cx, &mut out);
    service_keys::dynamodb_attributes_without_select(&cx, &mut out);
    service_keys::missing_action_for_key(&cx, &mut out);
    arns::arn_parts(&cx, &mut out);
    arns::condition_regions(&cx, &mut out);
    statements::unique_ids(&cx, &mut out);
    tags::notaction_tag_keys(&cx, &mut out);
    if let Some(catalog) = catalog {
        vocabulary::actions(&cx, catalog, &mut out);
        vocabulary::condition_keys(&cx, catalog, &mut out);
        types::operator_types(&cx, catalog, &mut out);
        tags::unsupported_tag_keys(&cx, catalog, &mut out);
        resources::resource_types(&cx, catalog, &mut out);
        arns::regions_and_accounts(&cx, catalog, &mut out);
    }
    extended_checks(&cx, catalog, &mut out);
    located(text, out)
}

/// `findings` sorted by position, with their lines and columns in `text`.
fn located(text: &str, mut findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if findings.is_empty() {
        return findings;
    }
    let source = SourceText::new(text);
    crate::diagnostics::sort_by_position(&mut findings);
    findings.into_iter().map(|d| d.locate(&source)).collect()
}

/// The findings of the checks that feature `extended-checks` adds (see
/// [`extended_checks`]), alone, located in `text`: what the web app's
/// checks module (`web/checks`) adds to the findings of the app's main
/// module, which is built without the feature. A policy that did not parse
/// has none.
#[cfg(feature = "extended-checks")]
pub fn extended_findings(
    text: &str,
    parsed: &ParsedPolicy,
    kind: PolicyKind,
    catalog: Option<&Catalog>,
) -> Vec<Diagnostic> {
    let Some(policy) = parsed.policy.as_deref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    extended_checks(&Context { policy, kind }, catalog, &mut out);
    located(text, out)
}

/// The checks that the web app's main module leaves out to stay within its
/// size budget (feature `extended-checks`, on by default: the CLI, the
/// JavaScript package, the tests and the app's checks module have them):
/// condition values, condition keys and variables, federated and service
/// principals, RCP keys, redundant statements and role trust policies, and
/// with the catalogue, actions that do not support a condition key.
#[cfg(feature = "extended-checks")]
fn extended_checks(cx: &Context<'_>, catalog: Option<&Catalog>, out: &mut Vec<Diagnostic>) {
    condition_values::condition_values(cx, out);
    federation::oidc_principals(cx, out);
    federation::audience_qualifiers(cx, out);
    federation::redundant_sessions(cx, out);
    service_principals::service_principal_sources(cx, out);
    service_principals::keys_services_lack(cx, out);
    rcp_keys::rcp_condition_keys(cx, out);
    condition_keys::key_format(cx, out);
    condition_keys::paired_keys(cx, out);
    variables::malformed_variables(cx, out);
    variables::variables_in_elements(cx, out);
    statements::redundant_statements(cx, out);
    statements::rcp_actions(cx, out);
    statements::federated_principals(cx, out);
    trust::trust_policy(cx, out);
    if let Some(catalog) = catalog {
        condition_keys::unsupported_actions(cx, catalog, out);
    }
}

/// Without feature `extended-checks`: none.
#[cfg(not(feature = "extended-checks"))]
fn extended_checks(_cx: &Context<'_>, _catalog: Option<&Catalog>, _out: &mut [Diagnostic]) {}
