//! Policy-variable checks: `${…}` written so that AWS cannot read it as a
//! variable (`MISSING_BRACE_IN_VARIABLE`, `EMPTY_VARIABLE`,
//! `UNSUPPORTED_SPACE_IN_VARIABLE`, `UNSUPPORTED_SYMBOL_IN_VARIABLE`,
//! `MISSING_QUOTE_IN_VARIABLE`), and variables in elements that never
//! substitute them (`VARIABLE_UNSUPPORTED_IN_ELEMENT`).
//!
//! The engine reads variables leniently ([`crate::matching::variables`]);
//! these checks only report what AWS's stricter reading rejects.

use super::Context;
use crate::condition::OperatorFamily;
use crate::diagnostics::{Diagnostic, Severity};
use crate::policy::PrincipalSpec;
use crate::source::Span;

/// What is wrong with one `${…}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// `${` with no `}` before the next `${` or the end.
    MissingBrace,
    /// `${}`, or nothing but spaces or a default.
    Empty,
    /// Whitespace in the key name.
    Space,
    /// A character no context key name has.
    Symbol(char),
    /// A default value not between single quotes.
    Quote,
    /// A default value between other quotes (`"x"`, `‘x’`): the quote used.
    QuoteSymbol(char),
}

/// The first fault of the variables in `text`, with the corrected text
/// where the correction is certain.
fn first_fault(text: &str) -> Option<(Fault, Option<String>)> {
    let mut rest = text;
    let mut done = 0;
    while let Some(open) = rest.find("${") {
        let after = rest.get(open + 2..).unwrap_or("");
        let inner = match after.find('}') {
            Some(close) => after.get(..close).unwrap_or(""),
            None => return Some((Fault::MissingBrace, None)),
        };
        if inner.contains("${") {
            return Some((Fault::MissingBrace, None));
        }
        if let Some((fault, fixed_inner)) = inner_fault(inner) {
            let fixed = fixed_inner.map(|f| {
                let start = done + open + 2;
                let head = text.get(..start).unwrap_or("");
                let tail = text.get(start + inner.len()..).unwrap_or("");
                format!("{head}{f}{tail}")
            });
            return Some((fault, fixed));
        }
        let consumed = open + 2 + inner.len() + 1;
        done += consumed;
        rest = rest.get(consumed..).unwrap_or("");
    }
    None
}

/// Whether `c` can be part of a context key name (`aws:PrincipalTag/cost-center`,
/// `accounts.google.com:sub`, `www.amazon.com:user_id`, tag keys with `+=@`).
fn key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, ':' | '/' | '.' | '_' | '-' | '@' | '+' | '=')
}

/// The fault of the inside of one `${…}`, with the corrected inside.
fn inner_fault(inner: &str) -> Option<(Fault, Option<String>)> {
    if matches!(inner, "*" | "?" | "$") {
        return None; // escapes
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, default)) => (key, Some(default)),
        None => (inner, None),
    };
    if key.trim().is_empty() {
        return Some((Fault::Empty, None));
    }
    if key.chars().any(char::is_whitespace) {
        let squeezed: String = key.chars().filter(|c| !c.is_whitespace()).collect();
        let fixed = match default {
            Some(d) => format!("{squeezed},{d}"),
            None => squeezed,
        };
        return Some((Fault::Space, Some(fixed)));
    }
    if let Some(c) = key.chars().find(|&c| !key_char(c)) {
        return Some((Fault::Symbol(c), None));
    }
    let d = default?.trim();
    let quoted = d.len() >= 2 && d.starts_with('\'') && d.ends_with('\'');
    if quoted {
        return None;
    }
    let is_quote = |c: char| matches!(c, '\'' | '"' | '‘' | '’' | '`');
    let bare = d.trim_matches(is_quote);
    let fault = match d.chars().next() {
        Some(c) if c != '\'' && is_quote(c) => Fault::QuoteSymbol(c),
        _ => Fault::Quote,
    };
    Some((fault, Some(format!("{key}, '{bare}'"))))
}

/// The finding for `fault` in the string `text` at `span`.
fn fault_diagnostic(text: &str, span: Span, fault: Fault, fixed: Option<String>) -> Diagnostic {
    let (message, help, issue, anchor) = match fault {
        Fault::MissingBrace => (
            format!("a policy variable in `{text}` has no closing `}}`, so it is not read as a variable"),
            "close the variable, as in `${aws:username}`".to_owned(),
            "MISSING_BRACE_IN_VARIABLE",
            "error-missing-brace-in-variable",
        ),
        Fault::Empty => (
            format!("`{text}` has a policy variable that names no context key"),
            "write a key inside `${}`, as in `${aws:username}`, or remove the empty variable".to_owned(),
            "EMPTY_VARIABLE",
            "error-empty-variable",
        ),
        Fault::Space => (
            format!("a policy variable in `{text}` has a space in its key name; key names have none, so it is not read as a variable"),
            "remove the space from the key name (a default value may contain spaces)".to_owned(),
            "UNSUPPORTED_SPACE_IN_VARIABLE",
            "error-unsupported-space-in-variable",
        ),
        Fault::Symbol(c) => (
            format!("a policy variable in `{text}` has `{c}` in its key name; no context key has it, so it is not read as a variable"),
            "name a context key, such as `aws:username` or `aws:PrincipalTag/team`".to_owned(),
            "UNSUPPORTED_SYMBOL_IN_VARIABLE",
            "error-unsupported-symbol-in-variable",
        ),
        Fault::QuoteSymbol(c) => (
            format!("the default value of a policy variable in `{text}` is between `{c}` quotes, so it is not read as a variable"),
            "quote the default with single quotes: `${aws:username, 'anonymous'}`".to_owned(),
            "UNSUPPORTED_SYMBOL_IN_VARIABLE",
            "error-unsupported-symbol-in-variable",
        ),
        Fault::Quote => (
            format!("the default value of a policy variable in `{text}` is not between single quotes, so it is not read as a variable"),
            "write the default after a comma, in single quotes: `${aws:username, 'anonymous'}`".to_owned(),
            "MISSING_QUOTE_IN_VARIABLE",
            "error-missing-quote-in-variable",
        ),
    };
    let d = Diagnostic::new(Severity::Warning, "malformed-variable", message, span)
        .with_help(help)
        .with_aws_issue(issue, anchor);
    match fixed.and_then(|f| serde_json::to_string(&f).ok()) {
        Some(json) => d.with_fix(format!("replace with {json}"), vec![(span, json)]),
        None => d,
    }
}

/// Whether `text` has `${`: a byte scan first, as most texts have no `$`.
fn has_variable(text: &str) -> bool {
    text.as_bytes().contains(&b'$') && text.contains("${")
}

/// `${…}` that AWS cannot read as a variable, in the elements that take
/// variables (`Resource`, `NotResource`, string and ARN condition values).
/// Only under Version 2012-10-17: otherwise the parser says the text is
/// literal (`literal-variable`).
pub(super) fn malformed_variables(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if !cx.policy.variables_enabled() {
        return;
    }
    let mut check = |text: &str, span: Span| {
        if let Some((fault, fixed)) = has_variable(text).then(|| first_fault(text)).flatten() {
            out.push(fault_diagnostic(text, span, fault, fixed));
        }
    };
    for statement in &cx.policy.statements {
        for pattern in statement.resource.iter().flat_map(|r| &r.patterns) {
            check(&pattern.value, pattern.span);
        }
        for entry in &statement.conditions {
            let family = entry.operator.value.family();
            if !matches!(family, OperatorFamily::String | OperatorFamily::Arn) {
                continue; // other operators take no variables: `invalid-condition-value`
            }
            for value in &entry.values {
                check(&value.text, value.span);
            }
        }
    }
}

/// A policy variable in `Action`, `NotAction`, `Principal`, `NotPrincipal`
/// or a condition key, where AWS substitutes nothing.
pub(super) fn variables_in_elements(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut check = |text: &str, span: Span, element: &str| {
        if has_variable(text) {
            out.push(
                Diagnostic::new(
                    Severity::Warning,
                    "variable-not-allowed",
                    format!("`{text}` has a policy variable, which {element} does not substitute: the text is read as written"),
                    span,
                )
                .with_help("policy variables work only in `Resource`, `NotResource` and string or ARN condition values")
                .with_aws_issue("VARIABLE_UNSUPPORTED_IN_ELEMENT", "error-variable-unsupported-in-element"),
            );
        }
    };
    for statement in &cx.policy.statements {
        let action = if statement.action.negated {
            "`NotAction`"
        } else {
            "`Action`"
        };
        for pattern in &statement.action.patterns {
            check(&pattern.value, pattern.span, action);
        }
        if let Some(principal) = &statement.principal {
            let element = if principal.negated {
                "`NotPrincipal`"
            } else {
                "`Principal`"
            };
            if let PrincipalSpec::Entries(entries) = &principal.spec {
                for entry in entries {
                    check(&entry.value.value, entry.value.span, element);
                }
            }
        }
        for entry in &statement.conditions {
            check(&entry.key.value, entry.key.span, "a condition key");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{first_fault, Fault};
    use crate::validate::{validate, PolicyKind};

    fn fault(text: &str) -> Option<Fault> {
        first_fault(text).map(|(f, _)| f)
    }

    #[test]
    fn well_formed_variables_pass() {
        for ok in [
            "arn:aws:s3:::b/${aws:username}/*",
            "arn:aws:s3:::b/${aws:PrincipalTag/cost-center}/${aws:userid, 'anonymous'}",
            "${www.amazon.com:user_id}${*}${?}${$}",
            "${aws:username,'with space'}",
            "no variables, a lone $ and } here",
        ] {
            assert_eq!(first_fault(ok), None, "{ok}");
        }
    }

    #[test]
    fn each_fault_is_found() {
        assert_eq!(fault("b/${aws:username"), Some(Fault::MissingBrace));
        assert_eq!(
            fault("b/${aws:username/${aws:userid}"),
            Some(Fault::MissingBrace)
        );
        assert_eq!(fault("b/${}"), Some(Fault::Empty));
        assert_eq!(fault("b/${ , 'x'}"), Some(Fault::Empty));
        assert_eq!(fault("b/${aws: username}"), Some(Fault::Space));
        assert_eq!(fault("b/${aws:user#name}"), Some(Fault::Symbol('#')));
        assert_eq!(fault("b/${aws:userid, anonymous}"), Some(Fault::Quote));
        assert_eq!(
            fault("b/${aws:userid, \"anonymous\"}"),
            Some(Fault::QuoteSymbol('"'))
        );
        assert_eq!(
            fault("b/${aws:userid, ‘anonymous’}"),
            Some(Fault::QuoteSymbol('‘'))
        );
        assert_eq!(
            fault("${aws:username}/${aws:userid, 'x}"),
            Some(Fault::Quote)
        );
    }

    #[test]
    fn fixes_touch_only_the_faulty_variable() {
        let (_, fixed) = first_fault("${aws:username}/${ aws:userid }/x").unwrap();
        assert_eq!(fixed.as_deref(), Some("${aws:username}/${aws:userid}/x"));
        let (_, fixed) = first_fault("a/${aws:userid, anon}").unwrap();
        assert_eq!(fixed.as_deref(), Some("a/${aws:userid, 'anon'}"));
    }

    fn findings(version: &str, statement: &str) -> Vec<crate::Diagnostic> {
        let text = format!(r#"{{{version}"Statement": [{statement}]}}"#);
        validate(&text, PolicyKind::Managed, None)
    }

    #[test]
    fn reported_only_where_variables_are_read() {
        let stmt = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username",
            "Condition": {"StringEquals": {"s3:prefix": "${aws:username}"}}}"#;
        let found = findings(r#""Version": "2012-10-17", "#, stmt);
        let codes: Vec<_> = found
            .iter()
            .filter(|d| d.code == "malformed-variable")
            .map(|d| d.aws_issue_code)
            .collect();
        assert_eq!(codes, [Some("MISSING_BRACE_IN_VARIABLE")]);
        let found = findings("", stmt);
        assert!(!found.iter().any(|d| d.code == "malformed-variable"));
    }

    #[test]
    fn variables_in_action_principal_and_keys() {
        let stmt = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/${aws:username}"},
            "Action": "s3:${aws:username}", "Resource": "*",
            "Condition": {"StringEquals": {"s3:${x}": "a"}}}"#;
        let text = format!(r#"{{"Version": "2012-10-17", "Statement": [{stmt}]}}"#);
        let found = validate(&text, PolicyKind::Resource, None);
        let n = found
            .iter()
            .filter(|d| d.code == "variable-not-allowed")
            .count();
        assert_eq!(n, 3, "{found:?}");
    }
}
