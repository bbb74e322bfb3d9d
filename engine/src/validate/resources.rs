//! Resource ARNs against the resource types of the statement's actions,
//! from the catalogue: an ARN that fits none of them never matches a
//! request the statement is about.

use super::glob::{arn_intersects, arn_segments, placeholders_as_stars};
use super::Context;
use crate::catalog::{Action, Catalog, ResourceType};
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::Statement;

/// The actions the statement's `Action` patterns match.
fn statement_actions<'c>(catalog: &'c Catalog, statement: &Statement) -> Vec<Action<'c>> {
    let mut actions: Vec<Action<'c>> = Vec::new();
    for pattern in &statement.action.patterns {
        actions.extend(catalog.actions_matching(&pattern.value));
    }
    actions
}

fn fits(resource_type: &ResourceType<'_>, pattern: &str) -> bool {
    resource_type
        .arn_formats()
        .flat_map(|f| f.split(", "))
        .any(|format| fits_format(pattern, format))
}

/// Services whose ARNs AWS also accepts under an older service name.
const SERVICE_ALIASES: &[(&str, &str)] = &[("codestar-connections", "codeconnections")];

/// Whether the policy ARN pattern can match an ARN of `format` (one
/// format; the reference sometimes joins several with `, `), an older
/// service name standing for the new one.
fn fits_format(pattern: &str, format: &str) -> bool {
    if arn_intersects(pattern, format) {
        return true;
    }
    SERVICE_ALIASES.iter().any(|(old, new)| {
        let from = format!(":{old}:");
        pattern.contains(&from)
            && arn_intersects(&pattern.replacen(&from, &format!(":{new}:"), 1), format)
    })
}

/// The ARN's service part, when the pattern is a six-part ARN with a
/// non-empty resource part and a literal service.
fn arn_service(pattern: &str) -> Option<&str> {
    let ["arn", _, service, _, _, resource] = arn_segments(pattern)? else {
        return None;
    };
    (!resource.is_empty() && !service.is_empty() && !service.contains(['*', '?', '$']))
        .then_some(service)
}

pub(super) fn resource_types(cx: &Context<'_>, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    for statement in &cx.policy.statements {
        let Some(resource) = &statement.resource else {
            continue;
        };
        if resource.negated || statement.action.negated {
            continue;
        }
        let mut actions: Option<(Vec<Action<'_>>, Vec<&str>)> = None;
        for pattern in &resource.patterns {
            // Policy variables (`${aws:PrincipalAccount}`) stand for any
            // text, and may hold a `:` that is not a separator.
            let replaced = placeholders_as_stars(&pattern.value);
            let text = replaced.as_str();
            let Some(service_name) = arn_service(text) else {
                continue;
            };
            if service_name.bytes().any(|b| b.is_ascii_uppercase()) {
                // `arns` reports the capitals (`INVALID_ARN_SERVICE_CASE`).
                continue;
            }
            let Some(service) = catalog.service(service_name) else {
                continue;
            };
            let (actions, formats) = actions.get_or_insert_with(|| {
                let actions = statement_actions(catalog, statement);
                let mut formats: Vec<&str> = actions
                    .iter()
                    .flat_map(|a| {
                        // API Gateway's `GET`, `POST`, … act on every API
                        // resource path; the reference links only some.
                        let http = matches!(a.name(), "GET" | "POST" | "PUT" | "PATCH" | "DELETE");
                        let own = a.resource_types().map(|rt| rt.resource_type());
                        let all = http
                            .then(|| a.service().resource_types())
                            .into_iter()
                            .flatten();
                        own.chain(all).collect::<Vec<_>>()
                    })
                    .flat_map(|rt| rt.arn_formats())
                    .flat_map(|f| f.split(", "))
                    .collect();
                crate::sorting::sort(&mut formats);
                formats.dedup();
                (actions, formats)
            });
            if actions.is_empty() || formats.is_empty() {
                // Unknown actions are reported on their own; actions with no
                // resource type at all (they take `"Resource": "*"`) are left
                // alone, as the reference omits some types.
                continue;
            }
            let fits_action = formats.iter().any(|f| fits_format(text, f));
            if fits_action || super::arns::part_fault(catalog, text).is_some() {
                // A region or account where the ARNs have none is reported
                // by `arns`, more precisely.
                continue;
            }
            let fits_service = service.resource_types().any(|rt| fits(&rt, text));
            let named: Vec<String> = actions
                .iter()
                .take(3)
                .map(|a| format!("`{}`", a.full_name()))
                .collect();
            let more = if actions.len() > 3 {
                format!(" and {} more", actions.len() - 3)
            } else {
                String::new()
            };
            let d = if fits_service {
                Diagnostic::new(
                    Severity::Warning,
                    "resource-fits-no-action",
                    format!(
                        "`{text}` fits none of the resource types of {}{more}, so it never matches their requests",
                        named.join(", ")
                    ),
                    pattern.span,
                )
                .with_help("name a resource the actions act on (the Service Authorization Reference lists each action's resource types), or move the ARN to a statement with actions that use it")
            } else {
                let formats: Vec<String> = service
                    .resource_types()
                    .take(3)
                    .filter_map(|rt| rt.arn_formats().next().map(|f| format!("`{f}`")))
                    .collect();
                Diagnostic::new(
                    Severity::Warning,
                    "invalid-arn-resource",
                    format!("`{text}` fits no resource type of `{}`", service.prefix()),
                    pattern.span,
                )
                .with_help(format!("its resources look like {}", formats.join(", ")))
                .with_aws_issue("INVALID_ARN_RESOURCE", "error-invalid-arn-resource")
            };
            out.push(d);
        }
    }
}
