//! `iam-eval validate`: validates policy documents and scenarios with the
//! built-in service catalogue, as IAM Access Analyzer's `ValidatePolicy`
//! does, and prints the findings as compiler-style text, JSON lines or
//! SARIF 2.1.0.

use std::process::ExitCode;

use iam_engine::catalog::Catalog;
use iam_engine::json::parse_json;
use iam_engine::validate::{validate, PolicyKind};
use iam_engine::{Diagnostic, Scenario, Severity, SourceText, Span};
use serde_json::{json, Value};

use crate::io::{read_input, Output};

const USAGE: &str =
    "usage: iam-eval validate [--type TYPE] [--format text|json|sarif] [--fail-on SEVERITY] FILE...

Validates each FILE, a policy document or a scenario (policies + request), with
the built-in AWS service catalogue, and prints every finding.
  --type TYPE          what a policy document is (scenarios name their own types,
                       and a resource policy granting STS actions only, without
                       Resource, is checked as role-trust):
                       identity (a managed policy; the default), inline-user,
                       inline-group, inline-role, role-trust, resource,
                       permissions-boundary, scp, rcp, session
  --format FORMAT      text (compiler style; the default), json (one JSON object
                       per FILE, one per line) or sarif (SARIF 2.1.0)
  --fail-on SEVERITY   exit with status 1 when a finding is at least this
                       serious: error (the default), security_warning,
                       warning or suggestion
  -                    read from standard input
Exit status: 0 no finding at or above --fail-on, 1 some, 2 unreadable input or usage.";

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Json,
    Sarif,
}

struct Options {
    kind: PolicyKind,
    format: Format,
    fail_on: Severity,
    files: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        kind: PolicyKind::Managed,
        format: Format::Text,
        fail_on: Severity::Error,
        files: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--type" => {
                let value = iter
                    .next()
                    .ok_or("--type needs a policy type, e.g. identity")?;
                options.kind = PolicyKind::parse(value).ok_or_else(|| {
                    let names: Vec<&str> = PolicyKind::ALL.iter().map(|k| k.as_str()).collect();
                    format!(
                        "unknown policy type `{value}` for --type: use {}",
                        names.join(", ")
                    )
                })?;
            }
            "--format" => {
                options.format = match iter.next().map(String::as_str) {
                    Some("text") => Format::Text,
                    Some("json") => Format::Json,
                    Some("sarif") => Format::Sarif,
                    Some(other) => {
                        return Err(format!(
                            "unknown format `{other}` for --format: use text, json or sarif"
                        ))
                    }
                    None => return Err("--format needs text, json or sarif".to_owned()),
                };
            }
            "--fail-on" => {
                let value = iter
                    .next()
                    .ok_or("--fail-on needs a severity, e.g. warning")?;
                options.fail_on = Severity::parse(value).ok_or_else(|| {
                    format!("unknown severity `{value}` for --fail-on: use error, security_warning, warning or suggestion")
                })?;
            }
            "-h" | "--help" => return Err(String::new()),
            "-" => options.files.push(arg.clone()),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            _ => options.files.push(arg.clone()),
        }
    }
    if options.files.is_empty() {
        return Err("give at least one FILE to validate, or - for standard input".to_owned());
    }
    Ok(options)
}

/// The findings of one input file, located in the file's own text.
struct FileFindings {
    name: String,
    text: String,
    findings: Vec<Diagnostic>,
}

/// Whether `text` is a scenario (an object with `policies`) rather than a
/// policy document.
fn is_scenario(text: &str) -> bool {
    parse_json(text)
        .is_ok_and(|json| json.get("policies").is_some() && json.get("Statement").is_none())
}

/// Validates a scenario's policies; findings in embedded documents point
/// into the file, those in documents written as strings into the string.
fn validate_scenario(text: &str, catalog: &Catalog) -> Vec<Diagnostic> {
    let parse = Scenario::parse(text);
    let source = SourceText::new(text);
    let mut out: Vec<Diagnostic> = parse
        .diagnostics
        .iter()
        .filter(|d| d.policy.is_none())
        .cloned()
        .collect();
    let Some(scenario) = parse.scenario else {
        return out;
    };
    for policy in &scenario.policies {
        let kind = PolicyKind::of_policy(policy.policy_type, policy.parsed.policy.as_deref());
        for mut d in validate(&policy.text, kind, Some(catalog)) {
            if let Some(offset) = policy.text_offset {
                let shift = |s: Span| Span::new(s.start as usize + offset, s.end as usize + offset);
                d.span = shift(d.span);
                if let Some(fix) = &mut d.fix {
                    for edit in &mut fix.edits {
                        edit.span = shift(edit.span);
                    }
                }
                d = d.locate(&source);
            } else {
                d.fix = None; // its spans point into the decoded string
            }
            out.push(d.in_policy(&policy.name));
        }
    }
    out.sort_by_key(|d| (d.span.start, d.severity));
    out
}

/// Runs `iam-eval validate` with the arguments after `validate`.
pub fn run(args: &[String]) -> ExitCode {
    let options = match parse_args(args) {
        Ok(o) => o,
        Err(message) => {
            if message.is_empty() {
                crate::io::Output::stdout().line(USAGE);
                return ExitCode::SUCCESS;
            }
            crate::io::report(&format!("iam-eval validate: {message}\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let catalog = match Catalog::bundled() {
        Ok(c) => c,
        Err(e) => {
            crate::io::report(&format!(
                "iam-eval validate: the built-in catalogue cannot be read: {e}"
            ));
            return ExitCode::from(2);
        }
    };
    let mut unreadable = false;
    let mut results = Vec::new();
    for file in &options.files {
        let text = match read_input(file) {
            Ok(t) => t,
            Err(message) => {
                crate::io::report(&format!("iam-eval validate: {message}"));
                unreadable = true;
                continue;
            }
        };
        let findings = if is_scenario(&text) {
            validate_scenario(&text, &catalog)
        } else {
            validate(&text, options.kind, Some(&catalog))
        };
        let name = if file == "-" {
            "<stdin>".to_owned()
        } else {
            file.clone()
        };
        results.push(FileFindings {
            name,
            text,
            findings,
        });
    }
    let mut out = Output::stdout();
    match options.format {
        Format::Text => {
            for r in &results {
                for d in &r.findings {
                    out.line(&text_line(&r.name, d));
                }
            }
        }
        Format::Json => {
            for r in &results {
                out.line(&json_line(r).to_string());
            }
        }
        Format::Sarif => out.line(&sarif(&results).to_string()),
    }
    out.flush();
    let failed = results
        .iter()
        .flat_map(|r| &r.findings)
        .any(|d| d.severity.at_least(options.fail_on));
    if unreadable {
        ExitCode::from(2)
    } else if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `NAME:LINE:COL: warning[CODE]: message (help: ...)`.
fn text_line(name: &str, d: &Diagnostic) -> String {
    let policy = d
        .policy
        .as_deref()
        .map(|p| format!(" (policy `{p}`)"))
        .unwrap_or_default();
    let mut line = format!(
        "{name}:{}:{}: {}[{}]: {}{policy}",
        d.line, d.column, d.severity, d.code, d.message
    );
    if let Some(help) = &d.help {
        line.push_str(&format!(" (help: {help})"));
    }
    line
}

fn finding_json(d: &Diagnostic) -> Value {
    let mut v = json!({
        "severity": d.severity.as_str(),
        "code": d.code,
        "aws_issue_code": d.aws_issue_code,
        "message": d.message,
        "help": d.help,
        "line": d.line,
        "column": d.column,
        "span": {"start": d.span.start, "end": d.span.end},
        "learn_more": d.learn_more,
    });
    if let (Some(policy), Some(map)) = (&d.policy, v.as_object_mut()) {
        map.insert("policy".to_owned(), json!(policy));
    }
    if let (Some(fix), Some(map)) = (&d.fix, v.as_object_mut()) {
        map.insert(
            "fix".to_owned(),
            serde_json::to_value(fix).unwrap_or(Value::Null),
        );
    }
    v
}

fn json_line(r: &FileFindings) -> Value {
    json!({
        "file": r.name,
        "findings": r.findings.iter().map(finding_json).collect::<Vec<_>>(),
    })
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::SecurityWarning | Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

/// A SARIF 2.1.0 log: one run, a rule per finding code, a result per
/// finding with its region (line, column and byte offsets).
fn sarif(results: &[FileFindings]) -> Value {
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut sarif_results = Vec::new();
    for r in results {
        let source = SourceText::new(&r.text);
        for d in &r.findings {
            let index = match rule_ids.iter().position(|id| *id == d.code) {
                Some(i) => i,
                None => {
                    rule_ids.push(d.code);
                    let mut rule = json!({
                        "id": d.code,
                        "shortDescription": {"text": d.code.replace('-', " ")},
                        "defaultConfiguration": {"level": sarif_level(d.severity)},
                        "properties": {"aws_issue_code": d.aws_issue_code,
                                       "tags": if d.severity == Severity::SecurityWarning { vec!["security"] } else { vec![] }},
                    });
                    if let (Some(uri), Some(map)) = (&d.learn_more, rule.as_object_mut()) {
                        map.insert("helpUri".to_owned(), json!(uri));
                    }
                    rules.push(rule);
                    rule_ids.len() - 1
                }
            };
            let end = source.line_col(d.span.end);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(&format!(" (help: {help})"));
            }
            sarif_results.push(json!({
                "ruleId": d.code,
                "ruleIndex": index,
                "level": sarif_level(d.severity),
                "message": {"text": message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": r.name},
                    "region": {
                        "startLine": d.line, "startColumn": d.column,
                        "endLine": end.line, "endColumn": end.column,
                        "byteOffset": d.span.start, "byteLength": d.span.end.saturating_sub(d.span.start),
                    }
                }}],
                "properties": {"severity": d.severity.as_str(), "aws_issue_code": d.aws_issue_code},
            }));
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "iam-eval",
                "version": iam_engine::VERSION,
                "informationUri": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html",
                "rules": rules,
            }},
            "results": sarif_results,
        }]
    })
}
