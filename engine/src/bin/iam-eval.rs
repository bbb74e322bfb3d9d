//! `iam-eval`: evaluates scenario files from the command line.
//!
//! ```text
//! iam-eval [--explain] [--expect DECISION] FILE|-
//! iam-eval --batch [--expect DECISION] FILE|-
//! ```
//! Exit status: 0 when evaluated (and matching `--expect`), 1 when a
//! decision differs from `--expect`, 2 on invalid input or usage.

use std::io::{Read, Write};
use std::process::ExitCode;

use iam_engine::explain::{Check, Evaluation, StageOutcome};
use iam_engine::ffi::evaluate_scenario_text;
use iam_engine::json::{parse_json, JsonValue};
use iam_engine::{Decision, EvaluationError};

const USAGE: &str = "usage: iam-eval [--explain] [--expect Allow|ExplicitDeny|ImplicitDeny] FILE|-
       iam-eval --batch [--expect DECISION] FILE|-

Evaluates a scenario (policies + request, JSON) and prints the result as JSON.
  --explain          print a human-readable explanation instead of JSON
  --expect DECISION  exit with status 1 when the decision differs (summary on stderr)
  --batch            FILE holds a JSON array of scenarios; print one JSON result per line
  -                  read from standard input
Exit status: 0 ok, 1 decision differs from --expect, 2 invalid input.";

struct Options {
    explain: bool,
    batch: bool,
    expect: Option<Decision>,
    file: String,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        explain: false,
        batch: false,
        expect: None,
        file: String::new(),
    };
    let mut files = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--explain" => options.explain = true,
            "--batch" => options.batch = true,
            "--expect" => {
                let value = iter
                    .next()
                    .ok_or("--expect needs a decision: Allow, ExplicitDeny or ImplicitDeny")?;
                options.expect = Some(Decision::parse(value).ok_or_else(|| {
                    format!("unknown decision `{value}` for --expect: use Allow, ExplicitDeny or ImplicitDeny")
                })?);
            }
            "-h" | "--help" => return Err(String::new()),
            "-" => files.push(arg.clone()),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            _ => files.push(arg.clone()),
        }
    }
    match files.as_slice() {
        [file] => options.file = file.clone(),
        [] => return Err("give a scenario FILE, or - for standard input".to_owned()),
        _ => return Err("give exactly one FILE".to_owned()),
    }
    if options.batch && options.explain {
        return Err("--explain and --batch cannot be combined".to_owned());
    }
    Ok(options)
}

fn read_input(file: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let result = if file == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(file)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map(|_| ())
    };
    result.map_err(|e| format!("cannot read `{file}`: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{file}: byte {}: the file is not valid UTF-8; save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

fn print_diagnostics(err: &EvaluationError, prefix: &str) {
    let mut stderr = std::io::stderr().lock();
    for d in &err.diagnostics {
        let _ = writeln!(stderr, "{prefix}{d}");
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_args(&args) {
        Ok(o) => o,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("iam-eval: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = match read_input(&options.file) {
        Ok(t) => t,
        Err(message) => {
            eprintln!("iam-eval: {message}");
            return ExitCode::from(2);
        }
    };
    if options.batch {
        run_batch(&text, &options)
    } else {
        run_one(&text, &options)
    }
}

fn check_expect(evaluation: &Evaluation, expect: Option<Decision>, label: &str) -> bool {
    match expect {
        Some(want) if want != evaluation.decision => {
            eprintln!(
                "{label}expected {want}, got {}: {}",
                evaluation.decision, evaluation.summary
            );
            false
        }
        _ => true,
    }
}

fn run_one(text: &str, options: &Options) -> ExitCode {
    match evaluate_scenario_text(text) {
        Ok(evaluation) => {
            let output = if options.explain {
                explain(&evaluation)
            } else {
                serde_json::to_string_pretty(&evaluation).unwrap_or_default()
            };
            println!("{output}");
            if check_expect(&evaluation, options.expect, "") {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(err) => {
            print_diagnostics(&err, "");
            ExitCode::from(2)
        }
    }
}

fn run_batch(text: &str, options: &Options) -> ExitCode {
    let json = match parse_json(text) {
        Ok(j) => j,
        Err(e) => {
            let at = iam_engine::SourceText::new(text).line_col(e.span.start);
            eprintln!("batch:{}:{}: error: {}", at.line, at.column, e.message);
            return ExitCode::from(2);
        }
    };
    let JsonValue::Array(items) = &json.value else {
        eprintln!(
            "batch:1:1: error: --batch expects a JSON array of scenarios, found {}",
            json.type_name()
        );
        return ExitCode::from(2);
    };
    let source = iam_engine::SourceText::new(text);
    let mut invalid = false;
    let mut differs = false;
    let mut stdout = std::io::stdout().lock();
    for (index, item) in items.iter().enumerate() {
        let slice = item.span.slice(text);
        let answer = iam_engine::ffi::Answer::from(evaluate_scenario_text(slice));
        match &answer {
            iam_engine::ffi::Answer::Evaluated(evaluation) => {
                differs |=
                    !check_expect(evaluation, options.expect, &format!("scenario {index}: "));
            }
            iam_engine::ffi::Answer::Invalid { diagnostics } => {
                invalid = true;
                let offset = item.span.start as usize;
                let err = EvaluationError {
                    diagnostics: relocate(diagnostics, slice, offset, &source),
                };
                print_diagnostics(&err, &format!("scenario {index}: "));
            }
        }
        let _ = writeln!(
            stdout,
            "{}",
            serde_json::to_string(&answer).unwrap_or_default()
        );
    }
    if invalid {
        ExitCode::from(2)
    } else if differs {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Moves diagnostics that point into a scenario's slice of a batch file
/// (scenario-level ones, and those of policies written as embedded objects)
/// to positions in the whole file. Diagnostics of policies written as JSON
/// strings stay relative to that string, as for single files.
fn relocate(
    diagnostics: &[iam_engine::Diagnostic],
    slice: &str,
    offset: usize,
    source: &iam_engine::SourceText<'_>,
) -> Vec<iam_engine::Diagnostic> {
    let embedded: Vec<String> = iam_engine::Scenario::parse(slice)
        .scenario
        .map(|s| {
            s.policies
                .into_iter()
                .filter(|p| p.text_offset.is_some())
                .map(|p| p.name)
                .collect()
        })
        .unwrap_or_default();
    diagnostics
        .iter()
        .map(|d| {
            let in_file = d
                .policy
                .as_ref()
                .is_none_or(|name| embedded.contains(name) || d.code == "duplicate-policy-name");
            if !in_file {
                return d.clone();
            }
            let mut moved = d.clone();
            moved.span =
                iam_engine::Span::new(d.span.start as usize + offset, d.span.end as usize + offset);
            moved.locate(source)
        })
        .collect()
}

fn mark(matched: bool) -> &'static str {
    if matched {
        "✓"
    } else {
        "✗"
    }
}

/// The human-readable explanation printed by `--explain`.
fn explain(e: &Evaluation) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("Decision: {}", e.decision));
    line(String::new());
    line(e.summary.clone());
    line(String::new());
    let r = &e.request;
    line(format!(
        "Request: {} calls {} on {}",
        r.principal_description, r.action, r.resource
    ));
    if let Some(account) = &r.resource_account {
        line(format!(
            "  resource account {account} ({}){}",
            r.resource_account_source,
            if r.cross_account {
                ", cross-account"
            } else {
                ""
            }
        ));
    }
    line(String::new());
    line("Evaluation flow:".to_owned());
    for (i, step) in e.steps.iter().enumerate() {
        let outcome = serde_json::to_value(step.outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let star = if step.decisive { " ◀ decisive" } else { "" };
        line(format!(
            "  {}. {:<34} {:<15}{star}",
            i + 1,
            step.stage.title(),
            outcome.replace('_', " ")
        ));
        if step.outcome != StageOutcome::NotReached {
            line(format!("       {}", step.detail));
        }
        for level in &step.levels {
            line(format!(
                "       level {}: {} ({})",
                level.level,
                if level.allowed {
                    "allows"
                } else {
                    "does not allow"
                },
                level.policies.join(", ")
            ));
        }
    }
    if let Some(cross) = &e.cross_account {
        line(String::new());
        line(format!(
            "Principal's side ({}): {}",
            cross.principal_account,
            if cross.principal_side.allowed {
                "allows"
            } else {
                "does not allow"
            }
        ));
        for reason in &cross.principal_side.reasons {
            line(format!("  - {reason}"));
        }
        line(format!(
            "Resource's side ({}): {}",
            cross.resource_account,
            if cross.resource_side.allowed {
                "allows"
            } else {
                "does not allow"
            }
        ));
        for reason in &cross.resource_side.reasons {
            line(format!("  - {reason}"));
        }
    }
    line(String::new());
    line("Statements:".to_owned());
    for policy in &e.policies {
        let applies = match &policy.not_applicable_reason {
            Some(reason) => format!(" (does not apply: {reason})"),
            None => String::new(),
        };
        line(format!(
            "  {} [{}]{applies}",
            policy.name, policy.policy_type
        ));
        for s in &policy.statements {
            line(format!(
                "    {} {} {}",
                mark(s.matched),
                s.effect,
                policy.statements.at(s).statement
            ));
            for check in &policy.statements.checks(s) {
                let (name, ok, detail) = match check {
                    Check::Action(c) => (
                        "Action",
                        c.matched,
                        c.patterns
                            .iter()
                            .map(|p| format!("{}{}", mark(p.matched), p.pattern))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    Check::Resource(c) => (
                        "Resource",
                        c.matched,
                        c.patterns
                            .iter()
                            .map(|p| {
                                format!(
                                    "{}{}",
                                    mark(p.matched),
                                    p.resolved.as_deref().unwrap_or(&p.pattern)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    Check::Principal(c) => (
                        "Principal",
                        c.matched,
                        c.entries
                            .iter()
                            .map(|p| format!("{}{}", mark(p.matched.is_some()), p.value))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    Check::Condition(c) => (
                        "Condition",
                        c.outcome.is_match(),
                        format!("{} {} = {:?}", c.operator, c.key, c.request_values),
                    ),
                };
                line(format!("        {} {name}: {detail}", mark(ok)));
            }
        }
    }
    if !e.missing_context_keys.is_empty() {
        line(String::new());
        line("Context keys the policies use but the request does not give:".to_owned());
        for key in &e.missing_context_keys {
            let refs: Vec<String> = key
                .referenced_by
                .iter()
                .map(|r| format!("{}/{}", r.policy, r.statement))
                .collect();
            line(format!("  {} (in {})", key.key, refs.join(", ")));
        }
    }
    out.trim_end().to_owned()
}
