//! The default command: evaluate one scenario (`--explain`, `--expect`) or a
//! batch of them (`--batch`).

use std::process::ExitCode;

use iam_engine::explain::Evaluation;
use iam_engine::ffi::evaluate_scenario_text;
use iam_engine::json::{parse_json_nested, JsonValue};
use iam_engine::limits;
use iam_engine::{Decision, EvaluationError};

use crate::explain::explain;
use crate::io::{print_diagnostics, read_input, report, Output};

const USAGE: &str = "usage: iam-eval [--explain] [--expect Allow|ExplicitDeny|ImplicitDeny] FILE|-
       iam-eval --batch [--expect DECISION] FILE|-

Evaluates a scenario (policies + request, JSON) and prints the result as JSON.
  --explain          print a human-readable explanation instead of JSON
  --expect DECISION  exit with status 1 when the decision differs (summary on stderr)
  --batch            FILE holds a JSON array of scenarios; print one JSON result per line
  -                  read from standard input
Exit status: 0 ok, 1 decision differs from --expect, 2 invalid input,
141 standard output closed before everything was written (as `| head` does).";

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

/// Runs the default command with the command line's arguments.
pub fn run(args: &[String]) -> ExitCode {
    let options = match parse_args(args) {
        Ok(o) => o,
        Err(message) if message.is_empty() => {
            let mut out = Output::stdout();
            out.line(USAGE);
            out.flush();
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            report(&format!("iam-eval: {message}\n\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let text = match if options.batch {
        read_input(
            &options.file,
            "batch file",
            limits::MAX_BATCH_BYTES,
            "split the scenarios into several batch files",
        )
    } else {
        read_input(
            &options.file,
            "scenario",
            limits::MAX_SCENARIO_BYTES,
            limits::TOO_LARGE_SCENARIO_HELP,
        )
    } {
        Ok(t) => t,
        Err(message) => {
            report(&format!("iam-eval: {message}"));
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
            report(&format!(
                "{label}expected {want}, got {}: {}",
                evaluation.decision, evaluation.summary
            ));
            false
        }
        _ => true,
    }
}

fn run_one(text: &str, options: &Options) -> ExitCode {
    match evaluate_scenario_text(text) {
        Ok(evaluation) => {
            let output = if options.explain {
                // For people: bidirectional and zero-width controls in
                // names, Sids and values are shown as `⟨U+202E⟩`.
                iam_engine::visible::show_controls(&explain(&evaluation)).into_owned()
            } else {
                serde_json::to_string_pretty(&evaluation).unwrap_or_default()
            };
            let mut out = Output::stdout();
            out.line(&output);
            out.flush();
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
    let json = match parse_json_nested(text, limits::MAX_BATCH_DEPTH) {
        Ok(j) => j,
        Err(e) => {
            let at = iam_engine::SourceText::new(text).line_col(e.span.start);
            report(&format!(
                "batch:{}:{}: error: {}",
                at.line, at.column, e.message
            ));
            return ExitCode::from(2);
        }
    };
    let JsonValue::Array(items) = &json.value else {
        report(&format!(
            "batch:1:1: error: --batch expects a JSON array of scenarios, found {}",
            json.type_name()
        ));
        return ExitCode::from(2);
    };
    let source = iam_engine::SourceText::new(text);
    let mut invalid = false;
    let mut differs = false;
    let mut out = Output::stdout();
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
        out.line(&serde_json::to_string(&answer).unwrap_or_default());
    }
    out.flush();
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
