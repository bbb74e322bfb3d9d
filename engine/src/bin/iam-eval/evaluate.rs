//! The default command: evaluate one scenario (`--explain`, `--expect`) or a
//! batch of them (`--batch`).

use std::process::ExitCode;

use crate::batch::{self, OutputKind, Wanted};
use crate::many;
use iam_engine::explain::Evaluation;
use iam_engine::ffi::evaluate_scenario_text;

use crate::explain::explain;
use crate::io::{print_diagnostics, read_input, report, Output};

const USAGE: &str =
    "usage: iam-eval [--explain] [--expect Allow|Deny|ExplicitDeny|ImplicitDeny] [--output KIND] FILE|-
       iam-eval --batch [--expect DECISION] [--output decision|summary|full] FILE|-
       iam-eval test [--format text|json|junit|tap] [--explain] SUITE...
       iam-eval matrix [--columns resources|principals] SCENARIO

Evaluates a scenario (policies + request, JSON) and prints the result as JSON.
A scenario with `requests` or `matrix` prints one JSON line per request.
  --explain          print a human-readable explanation instead of JSON
  --expect DECISION  exit with status 1 when the decision differs (summary on stderr);
                     Deny is met by either kind of deny
  --output KIND      decision: the decision and the deciding statements;
                     summary: also the summary; full: the whole explanation
                     (the default for one request and for --batch; a
                     scenario with many requests defaults to decision)
  --batch            FILE holds a JSON array of scenarios, read one at a time;
                     print one JSON result per line
  -                  read from standard input
Exit status: 0 ok, 1 decision differs from --expect, 2 invalid input,
141 standard output closed before everything was written (as `| head` does).";

struct Options {
    explain: bool,
    batch: bool,
    output: Option<OutputKind>,
    expect: Option<Wanted>,
    file: String,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        explain: false,
        batch: false,
        output: None,
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
                let value = iter.next().ok_or(
                    "--expect needs a decision: Allow, Deny, ExplicitDeny or ImplicitDeny",
                )?;
                options.expect = Some(Wanted::parse(value).ok_or_else(|| {
                    format!("unknown decision `{value}` for --expect: use Allow, Deny, ExplicitDeny or ImplicitDeny")
                })?);
            }
            "--output" => {
                let value = iter
                    .next()
                    .ok_or("--output needs decision, summary or full")?;
                options.output = Some(OutputKind::parse(value).ok_or_else(|| {
                    format!("unknown output `{value}` for --output: use decision, summary or full")
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
    if options.batch {
        let output = options.output.unwrap_or(OutputKind::Full);
        return if options.file == "-" {
            batch::run(std::io::stdin().lock(), output, options.expect)
        } else {
            match std::fs::File::open(&options.file) {
                Ok(f) => batch::run(std::io::BufReader::new(f), output, options.expect),
                Err(e) => {
                    report(&format!("iam-eval: cannot read `{}`: {e}", options.file));
                    ExitCode::from(2)
                }
            }
        };
    }
    let text = match read_input(&options.file) {
        Ok(t) => t,
        Err(message) => {
            report(&format!("iam-eval: {message}"));
            return ExitCode::from(2);
        }
    };
    if has_lists(&text) {
        return many::run(
            &options.file,
            options.output,
            options.expect,
            options.explain,
        );
    }
    run_one(&text, &options)
}

/// Whether the scenario text has `requests` or `matrix` (then every request
/// is evaluated).
fn has_lists(text: &str) -> bool {
    iam_engine::Scenario::parse(text)
        .scenario
        .is_some_and(|s| !s.requests.is_empty())
}

fn check_expect(evaluation: &Evaluation, expect: Option<Wanted>, label: &str) -> bool {
    match expect {
        Some(want) if !want.met_by(evaluation.decision) => {
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
                match options.output {
                    Some(kind @ (OutputKind::Decision | OutputKind::Summary)) => {
                        let verdict = iam_engine::suite::Verdict {
                            decision: evaluation.decision,
                            determining: evaluation.determining.clone(),
                            summary: (kind == OutputKind::Summary)
                                .then(|| evaluation.summary.clone()),
                        };
                        serde_json::to_string_pretty(&verdict).unwrap_or_default()
                    }
                    _ => serde_json::to_string_pretty(&evaluation).unwrap_or_default(),
                }
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
