//! One statement: `Sid`, `Effect`, and the principal, action, resource and
//! condition elements, with the rules AWS applies to each policy type.

use super::values::{member_span, strings, text, type_error};
use crate::condition::{
    lint_condition, ConditionOperator, PolicyValue, PolicyValueKind, PreparedValues,
};
use crate::diagnostics::Diagnostic;
use crate::json::{Json, JsonValue, Member};
use crate::matching::{Arn, Pattern, Template, TemplatePiece};
use crate::policy::{
    ActionElement, ConditionEntry, Effect, PolicyType, PrincipalElement, PrincipalEntry,
    PrincipalKind, PrincipalSpec, ResourceElement, Statement,
};
use crate::source::{Span, Spanned};
use crate::suggest::closest;
use crate::text::Text;

/// Parses one statement whose known members are `members`.
pub(super) fn parse_statement(
    index: usize,
    span: Span,
    members: &[&Member<'_>],
    policy_type: PolicyType,
    variables_enabled: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<Statement> {
    let el = StatementMembers::sort(members);
    let sid = el.sid.and_then(|m| parse_sid(&m.value, policy_type, out));
    let effect = match el.effect {
        Some(m) => parse_effect(&m.value, out),
        None => {
            out.push(
                Diagnostic::error(
                    "missing-effect",
                    "the statement has no `Effect`",
                    statement_start(span),
                )
                .with_help("add \"Effect\": \"Allow\" or \"Effect\": \"Deny\""),
            );
            None
        }
    };
    let action = parse_either(el.action, el.not_action, "Action", span, out)
        .and_then(|(negated, m)| {
            if negated && policy_type == PolicyType::Rcp {
                out.push(
                    Diagnostic::error(
                        "not-supported",
                        "resource control policies do not support `NotAction`",
                        m.key_span,
                    )
                    .with_help("list the actions in `Action`; RCPs support `Action`, `Resource`, `NotResource` and `Condition`"),
                );
                return None;
            }
            parse_actions(m, negated, out)
        });
    let resource = match parse_either(el.resource, el.not_resource, "Resource", span, out) {
        Some((negated, m)) => parse_resources(m, negated, variables_enabled, out).map(Some),
        None => {
            if resource_required(policy_type) && el.resource.is_none() && el.not_resource.is_none()
            {
                out.push(
                    Diagnostic::error("missing-resource", "the statement has no `Resource` or `NotResource`", statement_start(span))
                        .with_help(format!("a statement in {} must say which resources it covers: add \"Resource\": \"*\" or an ARN", with_article(policy_type))),
                );
                None
            } else {
                Some(None)
            }
        }
    };
    let principal = parse_principal_element(el.principal, el.not_principal, policy_type, span, out);
    if let (Some(effect), Some(Some(p))) = (&effect, &principal) {
        if p.negated && effect.value == Effect::Allow {
            out.push(
                Diagnostic::warning("notprincipal-allow", "`NotPrincipal` with `Allow` grants access to every principal not listed, anonymous users included", p.span)
                    .with_help("AWS documents `NotPrincipal` only with `Deny`; name the principals in `Principal` instead"),
            );
        }
    }
    let effect_is_allow = effect.as_ref().is_some_and(|e| e.value == Effect::Allow);
    let conditions = match el.condition {
        Some(m) => parse_conditions(&m.value, variables_enabled, effect_is_allow, out),
        None => Some(Vec::new()),
    };
    let resource = resource?;
    let conditions = conditions?;
    let statement = Statement {
        index,
        label: match &sid {
            Some(sid) => sid.value.clone(),
            None => Statement::label_for(index),
        },
        sid,
        effect: effect?,
        principal: principal?,
        action: action?,
        resource,
        conditions,
        span,
    };
    if policy_type == PolicyType::Rcp
        && statement.effect.value == Effect::Allow
        && !is_full_access(&statement)
    {
        out.push(
            Diagnostic::warning(
                "rcp-allow",
                "AWS accepts `Allow` in a resource control policy only in its managed `RCPFullAWSAccess` policy",
                statement.effect.span,
            )
            .with_help("write RCP statements with `Deny`; an RCP `Allow` never grants access, it only lets requests through"),
        );
    }
    Some(statement)
}

/// The condition keys `statement` reads, as [`crate::policy::Policy::context_keys`]
/// lists them: condition keys, then the keys of policy variables without
/// defaults in condition values, then in resources.
pub(super) fn context_keys(statement: &Statement, variables_enabled: bool) -> Vec<Text> {
    let resource = statement.resource.as_ref();
    let conditions = &statement.conditions;
    let mut keys: Vec<Text> = conditions.iter().map(|c| c.key.value.clone()).collect();
    let value_templates = conditions
        .iter()
        .flat_map(|c| &c.values)
        .filter(|v| variables_enabled && v.text.contains("${"))
        .map(|v| Template::parse(&v.text, variables_enabled));
    let mut push_variables = |template: &Template| {
        for piece in template.pieces() {
            if let TemplatePiece::Variable { key, default: None } = piece {
                keys.push(Text::from(key.as_str()));
            }
        }
    };
    for template in value_templates {
        push_variables(&template);
    }
    for template in resource.iter().flat_map(|r| &r.templates) {
        push_variables(template);
    }
    keys
}

/// `Allow` of `*` on `*` without conditions, as in `RCPFullAWSAccess`.
fn is_full_access(statement: &Statement) -> bool {
    let only_star =
        |patterns: &[Spanned<Text>]| patterns.len() == 1 && patterns.iter().all(|p| p.value == "*");
    !statement.action.negated
        && only_star(&statement.action.patterns)
        && statement
            .resource
            .as_ref()
            .is_some_and(|r| !r.negated && only_star(&r.patterns))
        && statement.conditions.is_empty()
}

/// A statement's known members by element, looked up once.
#[derive(Default)]
struct StatementMembers<'m, 'a> {
    sid: Option<&'m Member<'a>>,
    effect: Option<&'m Member<'a>>,
    principal: Option<&'m Member<'a>>,
    not_principal: Option<&'m Member<'a>>,
    action: Option<&'m Member<'a>>,
    not_action: Option<&'m Member<'a>>,
    resource: Option<&'m Member<'a>>,
    not_resource: Option<&'m Member<'a>>,
    condition: Option<&'m Member<'a>>,
}

impl<'m, 'a> StatementMembers<'m, 'a> {
    fn sort(members: &[&'m Member<'a>]) -> Self {
        let mut el = StatementMembers::default();
        for m in members.iter().copied() {
            let slot = match m.key.as_ref() {
                "Sid" => &mut el.sid,
                "Effect" => &mut el.effect,
                "Principal" => &mut el.principal,
                "NotPrincipal" => &mut el.not_principal,
                "Action" => &mut el.action,
                "NotAction" => &mut el.not_action,
                "Resource" => &mut el.resource,
                "NotResource" => &mut el.not_resource,
                "Condition" => &mut el.condition,
                _ => continue,
            };
            slot.get_or_insert(m);
        }
        el
    }
}

fn statement_start(span: Span) -> Span {
    Span::new(span.start as usize, span.start as usize + 1)
}

/// The policy type's label with its article: "an identity-based policy",
/// "a session policy".
fn with_article(policy_type: PolicyType) -> String {
    let label = policy_type.label();
    let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {label}")
}

fn resource_required(policy_type: PolicyType) -> bool {
    matches!(
        policy_type,
        PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::Session
    )
}

fn parse_sid(
    value: &Json<'_>,
    policy_type: PolicyType,
    out: &mut Vec<Diagnostic>,
) -> Option<Spanned<Text>> {
    let sid = text(value, "Sid", out)?;
    if sid.value.is_empty() {
        // AWS's own examples write `"Sid": ""`; it names nothing.
        return None;
    }
    let iam_managed = matches!(
        policy_type,
        PolicyType::Identity | PolicyType::PermissionsBoundary | PolicyType::Session
    );
    if iam_managed && !sid.value.chars().all(|c| c.is_ascii_alphanumeric()) {
        out.push(
            Diagnostic::error(
                "invalid-sid",
                format!(
                    "IAM accepts only letters and digits in a `Sid`, and `{}` has others",
                    sid.value
                ),
                sid.span,
            )
            .with_help(format!(
                "remove spaces and punctuation, e.g. `{}`",
                sid_suggestion(&sid.value)
            )),
        );
    }
    Some(sid)
}

/// `Allow read access` -> `AllowReadAccess`: the letters and digits of `sid`,
/// each word after the first capitalised.
fn sid_suggestion(sid: &str) -> String {
    let mut out = String::new();
    let mut capitalize = false;
    for c in sid.chars() {
        if c.is_ascii_alphanumeric() {
            if capitalize && !out.is_empty() {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            capitalize = false;
        } else {
            capitalize = true;
        }
    }
    if out.is_empty() {
        "Statement1".to_owned()
    } else {
        out
    }
}

fn parse_effect(value: &Json<'_>, out: &mut Vec<Diagnostic>) -> Option<Spanned<Effect>> {
    let Some(text) = value.as_str() else {
        out.push(type_error(value, "Effect", "a string"));
        return None;
    };
    let effect = match text {
        "Allow" => Effect::Allow,
        "Deny" => Effect::Deny,
        other => {
            let help = if other.eq_ignore_ascii_case("allow") {
                "`Effect` is case-sensitive: write \"Allow\"".to_owned()
            } else if other.eq_ignore_ascii_case("deny") {
                "`Effect` is case-sensitive: write \"Deny\"".to_owned()
            } else {
                match closest(other, ["Allow", "Deny"]) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None => "`Effect` is either \"Allow\" or \"Deny\"".to_owned(),
                }
            };
            let message = if other.trim().is_empty() {
                "`Effect` is empty".to_owned()
            } else {
                format!("`{other}` is not an effect")
            };
            out.push(Diagnostic::error("invalid-effect", message, value.span).with_help(help));
            return None;
        }
    };
    Some(Spanned::new(effect, value.span))
}

/// Picks `Action` or `NotAction` (etc.), reporting both-present and
/// neither-present (the latter only for `Action`, which is always required).
fn parse_either<'a>(
    positive: Option<&'a Member<'a>>,
    negated: Option<&'a Member<'a>>,
    element: &str,
    span: Span,
    out: &mut Vec<Diagnostic>,
) -> Option<(bool, &'a Member<'a>)> {
    match (positive, negated) {
        (Some(p), Some(n)) => {
            let second = if n.key_span.start > p.key_span.start {
                n
            } else {
                p
            };
            out.push(
                Diagnostic::error(
                    "conflicting-elements",
                    format!("a statement cannot have both `{element}` and `Not{element}`"),
                    second.key_span,
                )
                .with_help("keep one of them; use two statements if you need both"),
            );
            None
        }
        (Some(p), None) => Some((false, p)),
        (None, Some(n)) => Some((true, n)),
        (None, None) => {
            if element == "Action" {
                out.push(
                    Diagnostic::error(
                        "missing-action",
                        "the statement has no `Action` or `NotAction`",
                        statement_start(span),
                    )
                    .with_help("add \"Action\": \"service:Operation\", e.g. \"s3:GetObject\""),
                );
            }
            None
        }
    }
}

fn parse_actions(
    member: &Member<'_>,
    negated: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<ActionElement> {
    let patterns = strings(&member.value, &member.key, out)?;
    let before = out.len();
    for pattern in &patterns {
        check_action(pattern, out);
    }
    (out.len() == before || !out.iter().skip(before).any(Diagnostic::is_error)).then(|| {
        ActionElement {
            negated,
            compiled: patterns
                .iter()
                .map(|p| Pattern::wildcard(&p.value))
                .collect(),
            patterns,
            span: member_span(member),
        }
    })
}

fn check_action(pattern: &Spanned<Text>, out: &mut Vec<Diagnostic>) {
    let text = pattern.value.as_str();
    if text == "*" {
        return;
    }
    let colon = text.bytes().position(|b| b == b':');
    match colon.map(|i| (text.get(..i).unwrap_or(""), text.get(i + 1..).unwrap_or(""))) {
        None => out.push(
            Diagnostic::error(
                "missing-service-prefix",
                format!("action `{text}` has no service prefix"),
                pattern.span,
            )
            .with_help(format!(
                "write the service prefix first, as in `s3:{text}`; prefixes are short service names such as `s3`, `ec2` or `iam`"
            )),
        ),
        Some((service, name)) if service.is_empty() || name.is_empty() => {
            let help = if name.is_empty() && !service.is_empty() {
                format!("name the operation after the colon, e.g. `{service}:Get*`, or write `{service}:*` for all of its actions")
            } else {
                "an action is `service:Operation`, e.g. `s3:GetObject`, or `*`".to_owned()
            };
            out.push(
                Diagnostic::error(
                    "invalid-action",
                    format!("`{text}` is not an action"),
                    pattern.span,
                )
                .with_help(help),
            )
        }
        Some(("arn", _)) => out.push(
            Diagnostic::warning(
                "arn-in-action",
                format!("`{text}` is an ARN, not an action, so it matches no request"),
                pattern.span,
            )
            .with_help(
                "actions are `service:Operation`, e.g. `s3:GetObject`; move it to `Resource`",
            ),
        ),
        Some((service, _)) => {
            if text.chars().any(char::is_whitespace) {
                out.push(
                    Diagnostic::error(
                        "invalid-action",
                        format!("action `{text}` contains whitespace"),
                        pattern.span,
                    )
                    .with_help(format!(
                        "remove the spaces: `{}`",
                        text.chars()
                            .filter(|c| !c.is_whitespace())
                            .collect::<String>()
                    )),
                );
            } else if !service
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '*' | '?'))
            {
                out.push(
                    Diagnostic::error(
                        "invalid-action",
                        format!("`{service}` is not a service prefix"),
                        pattern.span,
                    )
                    .with_help("service prefixes are lowercase words such as `s3`, `ec2`, `iam`"),
                );
            }
        }
    }
}

fn parse_resources(
    member: &Member<'_>,
    negated: bool,
    variables_enabled: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<ResourceElement> {
    let patterns = strings(&member.value, &member.key, out)?;
    let mut ok = true;
    for pattern in &patterns {
        ok &= check_resource(pattern, variables_enabled, out);
    }
    ok.then(|| ResourceElement {
        negated,
        templates: patterns
            .iter()
            .map(|p| Template::parse(&p.value, variables_enabled))
            .collect(),
        patterns,
        span: member_span(member),
    })
}

/// Checks one resource pattern; returns false on an error.
fn check_resource(
    pattern: &Spanned<Text>,
    variables_enabled: bool,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let text = pattern.value.as_str();
    if text == "*" {
        return true;
    }
    if !variables_enabled && text.contains("${") {
        out.push(
            Diagnostic::warning(
                "literal-variable",
                format!(
                    "`{text}` contains `${{`, which is literal text outside Version 2012-10-17"
                ),
                pattern.span,
            )
            .with_help("add \"Version\": \"2012-10-17\" to use policy variables"),
        );
    }
    if !text.starts_with("arn:") {
        let colons = text.matches(':').count();
        let help = if text.starts_with("aws") && colons >= 4 {
            format!("an ARN starts with `arn:`: did you mean `arn:{text}`?")
        } else if colons >= 3 {
            format!("an ARN starts with `arn:` and the partition: did you mean `arn:aws:{text}`?")
        } else if text.contains('/') || !text.contains(':') {
            format!("resources are ARNs; for an S3 bucket write `arn:aws:s3:::{text}`")
        } else {
            "resources are ARNs such as `arn:aws:s3:::bucket/*`, or `*`".to_owned()
        };
        out.push(
            Diagnostic::error(
                "invalid-resource",
                format!("`{text}` is not an ARN"),
                pattern.span,
            )
            .with_help(help),
        );
        return false;
    }
    let mut field_array = [""; 6];
    let mut field_count = 0;
    let mut field_start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b':' && field_count < 5 {
            if let Some(slot) = field_array.get_mut(field_count) {
                *slot = text.get(field_start..i).unwrap_or("");
            }
            field_count += 1;
            field_start = i + 1;
        }
    }
    if let Some(slot) = field_array.get_mut(field_count) {
        *slot = text.get(field_start..).unwrap_or("");
    }
    field_count += 1;
    let fields = field_array.get(..field_count).unwrap_or(&[]);
    if fields.len() < 6 && !text.ends_with('*') {
        out.push(
            Diagnostic::error("invalid-resource", format!("`{text}` has {} of the 6 parts of an ARN", fields.len()), pattern.span)
                .with_help("an ARN is `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, e.g. `arn:aws:s3:::bucket/*`"),
        );
        return false;
    }
    let service = fields.get(2).copied().unwrap_or("");
    let has_variables = variables_enabled
        && service.contains("${")
        && Template::parse(service, true).has_substitutions();
    if fields.get(1).is_some_and(|p| p.is_empty()) {
        out.push(
            Diagnostic::warning("never-matches", format!("`{text}` has an empty partition, so it never matches a real ARN"), pattern.span)
                .with_help("the partition follows `arn:`; it is `aws` in commercial regions, e.g. `arn:aws:s3:::bucket`"),
        );
    } else if service.is_empty() {
        out.push(
            Diagnostic::warning("never-matches", format!("`{text}` has an empty service part, so it never matches a real ARN"), pattern.span)
                .with_help("check the colons: an S3 ARN is `arn:aws:s3:::bucket`, with three colons after `s3`"),
        );
    } else if service.contains(['*', '?']) && !has_variables && service != "*" {
        out.push(
            Diagnostic::error(
                "service-wildcard",
                format!("AWS does not allow wildcards in the service part of `{text}`"),
                pattern.span,
            )
            .with_help("name the service, e.g. `s3`; list several resources for several services"),
        );
        return false;
    }
    if fields.len() == 6 && fields.get(5).is_some_and(|r| r.is_empty()) {
        // AWS accepts it (a live AWS managed policy names
        // `arn:aws:organizations::*:`), but no resource has an empty name.
        out.push(
            Diagnostic::warning(
                "never-matches",
                format!("`{text}` has an empty resource part, so it never matches a resource ARN"),
                pattern.span,
            )
            .with_help("end the ARN with the resource, or `*`"),
        );
    }
    true
}

fn parse_principal_element(
    principal: Option<&Member<'_>>,
    not_principal: Option<&Member<'_>>,
    policy_type: PolicyType,
    span: Span,
    out: &mut Vec<Diagnostic>,
) -> Option<Option<PrincipalElement>> {
    let present = principal.or(not_principal);
    if principal.is_some() && not_principal.is_some() {
        parse_either(principal, not_principal, "Principal", span, out);
        return None;
    }
    match (policy_type, present) {
        (PolicyType::Resource, None) => {
            out.push(
                Diagnostic::error("missing-principal", "a statement in a resource-based policy needs a `Principal`", statement_start(span))
                    .with_help("say who the statement is for, e.g. \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"}"),
            );
            None
        }
        (PolicyType::Rcp, None) => {
            out.push(
                Diagnostic::error("missing-principal", "a statement in a resource control policy needs \"Principal\": \"*\"", statement_start(span))
                    .with_help("RCPs apply to every principal; restrict them with conditions such as aws:PrincipalOrgID"),
            );
            None
        }
        (_, None) => Some(None),
        (
            PolicyType::Identity
            | PolicyType::PermissionsBoundary
            | PolicyType::Session
            | PolicyType::Scp,
            Some(m),
        ) => {
            out.push(
                Diagnostic::error("principal-not-allowed", format!("{} cannot have `{}`", with_article(policy_type), m.key), m.key_span)
                    .with_help("the principal is whoever the policy is attached to; remove this element (use a Condition on aws:PrincipalArn to narrow it)"),
            );
            None
        }
        (PolicyType::Rcp, Some(m)) => {
            let element = parse_principal(m, out)?;
            if element.negated || !matches!(element.spec, PrincipalSpec::Any(_)) {
                out.push(
                    Diagnostic::error("rcp-principal", "in a resource control policy the principal must be \"Principal\": \"*\"", m.key_span.join(m.value.span))
                        .with_help("narrow RCP statements with conditions such as aws:PrincipalAccount instead"),
                );
                return None;
            }
            Some(Some(element))
        }
        (PolicyType::Resource, Some(m)) => parse_principal(m, out).map(Some),
    }
}

const PRINCIPAL_KEYS: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

/// Help for `"Principal": "TEXT"`: the object that names `TEXT`.
fn principal_string_help(text: &str) -> String {
    let key = if text.ends_with(".amazonaws.com") {
        Some("Service")
    } else if text.starts_with("arn:aws:iam:")
        || text.starts_with("arn:aws:sts:")
        || text.bytes().all(|b| b.is_ascii_digit())
    {
        Some("AWS")
    } else {
        None
    };
    match key {
        Some(key) => format!("name principals in an object: {{\"{key}\": \"{text}\"}}"),
        None => format!(
            "name principals in an object: {{\"AWS\": \"{text}\"}} for accounts, users and roles, or {{\"Service\": \"{text}\"}} for AWS services"
        ),
    }
}

fn parse_principal(member: &Member<'_>, out: &mut Vec<Diagnostic>) -> Option<PrincipalElement> {
    let negated = member.key == "NotPrincipal";
    let span = member_span(member);
    let spec = match &member.value.value {
        JsonValue::String(s) if s == "*" => PrincipalSpec::Any(member.value.span),
        JsonValue::String(s) => {
            out.push(
                Diagnostic::error(
                    "invalid-principal",
                    format!("a `{}` string can only be \"*\", found `{s}`", member.key),
                    member.value.span,
                )
                .with_help(principal_string_help(s)),
            );
            return None;
        }
        JsonValue::Object(members) => {
            let known = super::values::known_members(
                members,
                PRINCIPAL_KEYS,
                &format!("`{}`", member.key),
                &|_| None,
                out,
            );
            if members.is_empty() {
                out.push(
                    Diagnostic::error(
                        "empty-element",
                        format!("`{}` is an empty object", member.key),
                        member.value.span,
                    )
                    .with_help("name at least one principal, e.g. {\"AWS\": \"111122223333\"}"),
                );
                return None;
            }
            let mut entries = Vec::new();
            let mut ok = known.len() == members.len();
            for m in known {
                let kind = match m.key.as_ref() {
                    "AWS" => PrincipalKind::Aws,
                    "Service" => PrincipalKind::Service,
                    "Federated" => PrincipalKind::Federated,
                    _ => PrincipalKind::CanonicalUser,
                };
                let Some(values) = strings(&m.value, &m.key, out) else {
                    ok = false;
                    continue;
                };
                for value in values {
                    ok &= check_principal_value(kind, &value, out);
                    entries.push(PrincipalEntry { kind, value });
                }
            }
            if !ok {
                return None;
            }
            PrincipalSpec::Entries(entries)
        }
        _ => {
            out.push(type_error(
                &member.value,
                &member.key,
                "\"*\" or an object such as {\"AWS\": \"111122223333\"}",
            ));
            return None;
        }
    };
    Some(PrincipalElement {
        negated,
        spec,
        span,
    })
}

/// Checks one principal value; returns false on an error.
fn check_principal_value(
    kind: PrincipalKind,
    value: &Spanned<Text>,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let text = value.value.as_str();
    match kind {
        PrincipalKind::Aws => check_aws_principal(text, value.span, out),
        PrincipalKind::Service => {
            if text != "*" && !text.contains('.') {
                out.push(
                    Diagnostic::warning(
                        "unusual-service-principal",
                        format!("`{text}` does not look like a service principal"),
                        value.span,
                    )
                    .with_help(format!(
                        "service principals look like `{text}.amazonaws.com`"
                    )),
                );
            }
            true
        }
        PrincipalKind::Federated | PrincipalKind::CanonicalUser => true,
    }
}

/// Whether `text` is the unique id of an IAM role (`AROA…`) or user
/// (`AIDA…`): which of the two, or `None`. Ids are the prefix and upper-case
/// letters and digits, 21 characters in all today.
pub(crate) fn unique_id_kind(text: &str) -> Option<&'static str> {
    let kind = match text.get(..4)? {
        "AROA" => "role",
        "AIDA" => "user",
        _ => return None,
    };
    let ok = (16..=32).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    ok.then_some(kind)
}

fn check_aws_principal(text: &str, span: Span, out: &mut Vec<Diagnostic>) -> bool {
    if text == "*"
        || (text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()))
        || unique_id_kind(text).is_some()
    {
        // A unique id (`AROA…`, `AIDA…`) is what IAM shows for a deleted
        // user or role; validation suggests the ARN instead.
        return true;
    }
    let error = |message: String, help: &str| {
        Diagnostic::error("invalid-principal", message, span).with_help(help)
    };
    let Ok(arn) = Arn::parse(text) else {
        let help = if text.bytes().all(|b| b.is_ascii_digit()) {
            "an account id has exactly 12 digits; keep its leading zeros and quote it"
        } else {
            "write an account id (`111122223333`) or an ARN such as `arn:aws:iam::111122223333:user/alice`"
        };
        out.push(error(
            format!("`{text}` is not an account id or an IAM ARN"),
            help,
        ));
        return false;
    };
    if text.contains(['*', '?']) {
        out.push(error(
            format!("wildcards are not allowed in a principal ARN: `{text}`"),
            "use \"AWS\": \"*\" with a Condition on aws:PrincipalArn using ArnLike",
        ));
        return false;
    }
    let resource_ok = match arn.service.as_str() {
        "iam" => {
            arn.resource == "root"
                || ["user/", "role/", "federated-user/", "group/"]
                    .iter()
                    .any(|p| arn.resource.starts_with(p))
        }
        "sts" => {
            arn.resource.starts_with("assumed-role/") || arn.resource.starts_with("federated-user/")
        }
        _ => false,
    };
    if !resource_ok || arn.account.is_empty() {
        out.push(error(
            format!("`{text}` is not an IAM principal ARN"),
            "principals are accounts (`arn:aws:iam::111122223333:root`), users, roles, or role sessions (`arn:aws:sts::111122223333:assumed-role/ROLE/SESSION`)",
        ));
        return false;
    }
    if arn.resource.starts_with("group/") {
        out.push(error(
            format!("a group cannot be a principal: `{text}`"),
            "name the users in the group, or the account, instead",
        ));
        return false;
    }
    true
}

fn parse_conditions(
    value: &Json<'_>,
    variables_enabled: bool,
    effect_is_allow: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<ConditionEntry>> {
    let Some(operators) = value.as_object() else {
        out.push(
            type_error(value, "Condition", "an object of operators").with_help(
                "write it like \"Condition\": {\"StringEquals\": {\"aws:username\": \"alice\"}}",
            ),
        );
        return None;
    };
    let mut entries = Vec::new();
    let mut ok = true;
    for (i, op_member) in operators.iter().enumerate() {
        if operators.iter().take(i).any(|m| m.key == op_member.key) {
            out.push(
                Diagnostic::error(
                    "duplicate-element",
                    format!(
                        "the operator `{}` appears twice in this `Condition`",
                        op_member.key
                    ),
                    op_member.key_span,
                )
                .with_help("put all its keys in one block; JSON readers keep only one of the two"),
            );
            ok = false;
            continue;
        }
        let operator = match ConditionOperator::parse(&op_member.key) {
            Ok(op) => op,
            Err(e) => {
                out.push(e.to_diagnostic(op_member.key_span));
                ok = false;
                continue;
            }
        };
        let Some(keys) = op_member.value.as_object() else {
            out.push(
                type_error(
                    &op_member.value,
                    &op_member.key,
                    "an object of condition keys",
                )
                .with_help(format!(
                    "write it like \"{}\": {{\"aws:PrincipalTag/Team\": \"reports\"}}",
                    op_member.key
                )),
            );
            ok = false;
            continue;
        };
        if keys.is_empty() {
            out.push(
                Diagnostic::error(
                    "empty-element",
                    format!("`{}` has no condition keys", op_member.key),
                    op_member.value.span,
                )
                .with_help("add a key and value, or remove the operator"),
            );
            ok = false;
        }
        for (j, key_member) in keys.iter().enumerate() {
            if keys
                .iter()
                .take(j)
                .any(|m| m.key.eq_ignore_ascii_case(&key_member.key))
            {
                out.push(
                    Diagnostic::error(
                        "duplicate-element",
                        format!(
                            "the key `{}` appears twice under `{}`",
                            key_member.key, op_member.key
                        ),
                        key_member.key_span,
                    )
                    .with_help("condition keys are case-insensitive; list all values in one array"),
                );
                ok = false;
                continue;
            }
            let Some(values) = condition_values(&key_member.value, &key_member.key, out) else {
                ok = false;
                continue;
            };
            for v in &values {
                if !variables_enabled && v.text.contains("${") {
                    out.push(
                        Diagnostic::warning(
                            "literal-variable",
                            format!("`{}` contains `${{`, which is literal text outside Version 2012-10-17", v.text),
                            v.span,
                        )
                        .with_help("add \"Version\": \"2012-10-17\" to use policy variables"),
                    );
                }
                if let Some(d) = operator.check_policy_value(v, variables_enabled) {
                    ok &= !d.is_error();
                    out.push(d);
                }
            }
            out.extend(lint_condition(
                &operator,
                op_member.key_span,
                &key_member.key,
                key_member.key_span,
                effect_is_allow,
            ));
            entries.push(ConditionEntry {
                operator_name: operator.name_text(),
                operator: Spanned::new(operator.clone(), op_member.key_span),
                key: Spanned::new(Text::from(&*key_member.key), key_member.key_span),
                prepared: PreparedValues::new(&operator, &values, variables_enabled),
                values,
            });
        }
    }
    ok.then_some(entries)
}

fn condition_values(
    value: &Json<'_>,
    key: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<PolicyValue>> {
    let scalar = |item: &Json<'_>, out: &mut Vec<Diagnostic>| -> Option<PolicyValue> {
        let (text, kind) = match &item.value {
            JsonValue::String(s) => (Text::from(&**s), PolicyValueKind::String),
            JsonValue::Number(n) => (Text::from(&**n), PolicyValueKind::Number),
            JsonValue::Bool(true) => (Text::from("true"), PolicyValueKind::Bool),
            JsonValue::Bool(false) => (Text::from("false"), PolicyValueKind::Bool),
            _ => {
                let mut d = type_error(
                    item,
                    key,
                    "a string, number or boolean (or an array of them)",
                );
                if let Some([member, ..]) = item.as_object() {
                    d = d.with_help(if key.to_ascii_lowercase().ends_with("tag") {
                        format!("name the tag in the key: \"{key}/{}\": …", member.key)
                    } else {
                        "condition blocks have two levels, operator then key; list the values as a string or an array".to_owned()
                    });
                }
                out.push(d);
                return None;
            }
        };
        Some(PolicyValue {
            text,
            kind,
            span: item.span,
        })
    };
    match &value.value {
        JsonValue::Array(items) if items.is_empty() => {
            out.push(
                Diagnostic::error(
                    "empty-element",
                    format!("the condition key `{key}` has no values"),
                    value.span,
                )
                .with_help("give at least one value"),
            );
            None
        }
        JsonValue::Array(items) => {
            let values: Vec<PolicyValue> = items.iter().filter_map(|i| scalar(i, out)).collect();
            (values.len() == items.len()).then_some(values)
        }
        _ => scalar(value, out).map(|v| vec![v]),
    }
}
