//! `iam-eval test SUITE...`: every request of each suite decided and
//! compared with its `expect`, reported like a test runner.

use std::process::ExitCode;
use std::time::Instant;

use iam_engine::suite::{meets, Case, Verdict};
use iam_engine::SourceText;
use serde::Serialize;

use crate::explain::explain;
use crate::io::Output;
use crate::suite::{expected_text, load, place, verdict_text, Catalogue, Loaded};

const USAGE: &str =
    "usage: iam-eval test [--format text|json|junit|tap] [--explain] [--check-resources] SUITE...

Decides every request of each SUITE (a scenario with `request`, `requests`
or `matrix`) and compares it with its `expect`.
  --format text   one line per failure (expected, actual, deciding statements)
                  and a summary line (the default)
  --format json   every request's result as one JSON document
  --format junit  JUnit XML, one test case per request
  --format tap    TAP version 13
  --explain       after each failure, its full explanation (text only)
  --check-resources  warn about each resource its action does not act on
                  (AWS would reject the request; the built-in catalogue
                  is read for this, and always when an action is a wildcard)
Exit status: 0 every expectation met, 1 some failed, 2 invalid input.";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Junit,
    Tap,
}

struct Options {
    format: Format,
    explain: bool,
    check_resources: bool,
    files: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        format: Format::Text,
        explain: false,
        check_resources: false,
        files: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--format" => {
                options.format = match iter.next().map(String::as_str) {
                    Some("text") => Format::Text,
                    Some("json") => Format::Json,
                    Some("junit") => Format::Junit,
                    Some("tap") => Format::Tap,
                    Some(other) => {
                        return Err(format!(
                            "unknown format `{other}`: use text, json, junit or tap"
                        ))
                    }
                    None => return Err("--format needs text, json, junit or tap".to_owned()),
                }
            }
            "--explain" => options.explain = true,
            "--check-resources" => options.check_resources = true,
            "-h" | "--help" => return Err(String::new()),
            "-" => options.files.push(arg.clone()),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            _ => options.files.push(arg.clone()),
        }
    }
    if options.files.is_empty() {
        return Err("give at least one SUITE file".to_owned());
    }
    Ok(options)
}

/// One suite's outcome.
struct Ran {
    loaded: Loaded,
    verdicts: Vec<Verdict>,
}

/// Whether a case passed: `Some(true)`, `Some(false)`, or `None` without
/// an expectation.
fn status(case: &Case, verdict: &Verdict) -> Option<bool> {
    case.expect.as_ref().map(|e| meets(e, verdict))
}

/// Runs `iam-eval test`.
pub fn run(args: &[String]) -> ExitCode {
    let options = match parse_args(args) {
        Ok(o) => o,
        Err(message) if message.is_empty() => {
            let mut out = Output::stdout();
            out.line(USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            crate::io::report(&format!("iam-eval test: {message}\n\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let mut ran = Vec::with_capacity(options.files.len());
    let mut invalid = false;
    for file in &options.files {
        let catalogue = if options.check_resources {
            Catalogue::Always
        } else {
            Catalogue::ForWildcards
        };
        let Ok(loaded) = load(file, catalogue) else {
            invalid = true;
            continue;
        };
        let verdicts = match loaded.policy_set().and_then(|set| loaded.decide_all(&set)) {
            Ok(v) => v,
            Err(_) => {
                invalid = true;
                continue;
            }
        };
        ran.push(Ran { loaded, verdicts });
    }
    let elapsed = started.elapsed();
    let mut out = Output::stdout();
    let failed = match options.format {
        Format::Text => text(&mut out, &ran, options.explain, elapsed),
        Format::Json => json(&mut out, &ran),
        Format::Junit => junit(&mut out, &ran, elapsed),
        Format::Tap => tap(&mut out, &ran),
    };
    out.flush();
    // The process ends here: leave the suites to the operating system
    // instead of freeing every request one by one.
    std::mem::forget(ran);
    if invalid {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn describe(case: &Case) -> String {
    let r = &case.request;
    let expanded = case
        .expanded_from
        .as_ref()
        .map(|w| format!(", from `{w}`"))
        .unwrap_or_default();
    format!(
        "{} on {} as {}{expanded}",
        r.action, r.resource, r.principal
    )
}

/// Counts of a run: passed, failed, without expectation.
fn tally(ran: &[Ran]) -> (usize, usize, usize) {
    let mut counts = (0, 0, 0);
    for r in ran {
        for (case, verdict) in r.loaded.cases.iter().zip(&r.verdicts) {
            match status(case, verdict) {
                Some(true) => counts.0 += 1,
                Some(false) => counts.1 += 1,
                None => counts.2 += 1,
            }
        }
    }
    counts
}

fn text(
    out: &mut Output,
    ran: &[Ran],
    with_explanations: bool,
    elapsed: std::time::Duration,
) -> usize {
    for r in ran {
        let mut source = None;
        let set = r.loaded.policy_set().ok();
        for (case, verdict) in r.loaded.cases.iter().zip(&r.verdicts) {
            if status(case, verdict) != Some(false) {
                continue;
            }
            let source = source.get_or_insert_with(|| SourceText::new(&r.loaded.text));
            let expect = case.expect.as_ref().map(expected_text).unwrap_or_default();
            let name = match &case.name {
                Some(name) => format!("{name}: "),
                None => String::new(),
            };
            out.line(&format!(
                "FAIL {}:{}: {name}{}: expected {expect}, got {}",
                r.loaded.file,
                place(source, case),
                describe(case),
                verdict_text(verdict)
            ));
            if with_explanations {
                if let Some(Ok(evaluation)) = set.as_ref().map(|s| s.explain(&case.request)) {
                    for line in explain(&evaluation).lines() {
                        out.line(format!("    {line}").trim_end());
                    }
                    out.line("");
                }
            }
            for warning in &case.warnings {
                out.line(&format!("     {}:{warning}", r.loaded.file));
            }
        }
    }
    let (passed, failed, unchecked) = tally(ran);
    let total = passed + failed + unchecked;
    let unchecked = if unchecked > 0 {
        format!("; {unchecked} without expectation")
    } else {
        String::new()
    };
    out.line(&format!(
        "test result: {}. {passed} passed; {failed} failed{unchecked}; {total} requests in {} suite{} in {:.1} ms",
        if failed == 0 { "ok" } else { "FAILED" },
        ran.len(),
        if ran.len() == 1 { "" } else { "s" },
        elapsed.as_secs_f64() * 1000.0
    ));
    failed
}

#[derive(Serialize)]
struct JsonResult<'a> {
    file: &'a str,
    index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    principal: &'a str,
    action: &'a str,
    resource: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expanded_from: Option<&'a str>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    expect: Option<&'a iam_engine::scenario::Expectation>,
    #[serde(flatten)]
    verdict: &'a Verdict,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    warnings: &'a [iam_engine::Diagnostic],
}

#[derive(Serialize)]
struct JsonReport<'a> {
    passed: usize,
    failed: usize,
    without_expectation: usize,
    results: Vec<JsonResult<'a>>,
}

fn json(out: &mut Output, ran: &[Ran]) -> usize {
    let (passed, failed, without_expectation) = tally(ran);
    let results =
        ran.iter()
            .flat_map(|r| {
                r.loaded.cases.iter().zip(&r.verdicts).enumerate().map(
                    |(index, (case, verdict))| JsonResult {
                        file: &r.loaded.file,
                        index,
                        name: case.name.as_deref(),
                        principal: &case.request.principal,
                        action: &case.request.action,
                        resource: &case.request.resource,
                        expanded_from: case.expanded_from.as_deref(),
                        status: match status(case, verdict) {
                            Some(true) => "passed",
                            Some(false) => "failed",
                            None => "unchecked",
                        },
                        expect: case.expect.as_ref(),
                        verdict,
                        warnings: &case.warnings,
                    },
                )
            })
            .collect();
    let report = JsonReport {
        passed,
        failed,
        without_expectation,
        results,
    };
    out.line(&serde_json::to_string(&report).unwrap_or_default());
    failed
}

fn xml(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            c => s.push(c),
        }
    }
    s
}

fn test_name(case: &Case) -> String {
    match &case.name {
        Some(name) => format!("{name}: {}", describe(case)),
        None => describe(case),
    }
}

fn junit(out: &mut Output, ran: &[Ran], elapsed: std::time::Duration) -> usize {
    let (passed, failed, unchecked) = tally(ran);
    out.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    out.line(&format!(
        "<testsuites name=\"iam-eval test\" tests=\"{}\" failures=\"{failed}\" time=\"{:.3}\">",
        passed + failed + unchecked,
        elapsed.as_secs_f64()
    ));
    for r in ran {
        let source = SourceText::new(&r.loaded.text);
        let failures = r
            .loaded
            .cases
            .iter()
            .zip(&r.verdicts)
            .filter(|(c, v)| status(c, v) == Some(false))
            .count();
        let skipped = r.loaded.cases.iter().filter(|c| c.expect.is_none()).count();
        out.line(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" skipped=\"{skipped}\">",
            xml(&r.loaded.file),
            r.loaded.cases.len()
        ));
        for (case, verdict) in r.loaded.cases.iter().zip(&r.verdicts) {
            let head = format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
                xml(&r.loaded.file),
                xml(&test_name(case)),
                xml(&r.loaded.file)
            );
            match (status(case, verdict), &case.expect) {
                (Some(false), Some(expect)) => {
                    let message = format!(
                        "expected {}, got {}",
                        expected_text(expect),
                        verdict_text(verdict)
                    );
                    out.line(&format!("{head}>"));
                    out.line(&format!(
                        "      <failure message=\"{}\" type=\"decision\">{}:{}: {}</failure>",
                        xml(&message),
                        xml(&r.loaded.file),
                        place(&source, case),
                        xml(&message)
                    ));
                    out.line("    </testcase>");
                }
                (None, _) => {
                    out.line(&format!("{head}>"));
                    out.line(&format!(
                        "      <skipped message=\"no expectation; got {}\"/>",
                        xml(&verdict_text(verdict))
                    ));
                    out.line("    </testcase>");
                }
                _ => out.line(&format!("{head}/>")),
            }
        }
        out.line("  </testsuite>");
    }
    out.line("</testsuites>");
    failed
}

fn yaml(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn tap(out: &mut Output, ran: &[Ran]) -> usize {
    let (_, failed, _) = tally(ran);
    let total: usize = ran.iter().map(|r| r.loaded.cases.len()).sum();
    out.line("TAP version 13");
    out.line(&format!("1..{total}"));
    let mut n = 0;
    for r in ran {
        let source = SourceText::new(&r.loaded.text);
        for (case, verdict) in r.loaded.cases.iter().zip(&r.verdicts) {
            n += 1;
            let name = test_name(case).replace('#', "\\#");
            match (status(case, verdict), &case.expect) {
                (Some(true), _) => out.line(&format!("ok {n} - {name}")),
                (None, _) => out.line(&format!(
                    "ok {n} - {name} # SKIP no expectation; got {}",
                    verdict_text(verdict)
                )),
                (Some(false), expect) => {
                    out.line(&format!("not ok {n} - {name}"));
                    out.line("  ---");
                    out.line(&format!(
                        "  at: {}",
                        yaml(&format!("{}:{}", r.loaded.file, place(&source, case)))
                    ));
                    out.line(&format!(
                        "  expected: {}",
                        yaml(&expect.as_ref().map(expected_text).unwrap_or_default())
                    ));
                    out.line(&format!("  got: {}", yaml(&verdict_text(verdict))));
                    out.line("  ...");
                }
            }
        }
    }
    failed
}
