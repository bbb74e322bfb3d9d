//! `iam-eval --batch`: a JSON array of scenarios, read one element at a
//! time, with one JSON line of output per scenario.

use std::io::BufRead;
use std::process::ExitCode;

use iam_engine::ffi::{evaluate_scenario_text, Answer};
use iam_engine::suite::{expand, Detail, PolicySet, Verdict};
use iam_engine::{Decision, Diagnostic, EvaluationError, Scenario, Span};
use serde::Serialize;

use crate::io::{print_diagnostics, Output};
use crate::stream::{ArraySplitter, Element};
use crate::suite::vocabulary as vocabulary_of_build;

/// What each output line holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// The decision and the deciding statements.
    Decision,
    /// Also the summary.
    Summary,
    /// The whole result with its explanation (as `iam-eval FILE` prints).
    Full,
}

impl OutputKind {
    /// Parses `decision`, `summary` or `full`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "decision" => Some(OutputKind::Decision),
            "summary" => Some(OutputKind::Summary),
            "full" => Some(OutputKind::Full),
            _ => None,
        }
    }

    /// The engine's detail for compact results.
    pub fn detail(self) -> Detail {
        match self {
            OutputKind::Summary => Detail::Summary,
            OutputKind::Decision | OutputKind::Full => Detail::Decision,
        }
    }
}

/// One request's compact result in an output line.
#[derive(Serialize)]
pub struct RequestLine<'a> {
    /// Its name, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// The principal.
    pub principal: &'a str,
    /// The action.
    pub action: &'a str,
    /// The resource.
    pub resource: &'a str,
    /// The wildcard it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expanded_from: Option<&'a str>,
    /// The result.
    #[serde(flatten)]
    pub verdict: &'a Verdict,
    /// Whether the action acts on the resource (`false`: AWS would reject
    /// the request); left out when it does.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub resource_rejected: bool,
    /// Warnings about the request in full (with `--output summary`).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub warnings: &'a [Diagnostic],
}

impl<'a> RequestLine<'a> {
    /// The line for `case`: warnings in full only with `summary`.
    pub fn new(
        case: &'a iam_engine::suite::Case,
        verdict: &'a Verdict,
        output: OutputKind,
    ) -> Self {
        RequestLine {
            name: case.name.as_deref(),
            principal: &case.request.principal,
            action: &case.request.action,
            resource: &case.request.resource,
            expanded_from: case.expanded_from.as_deref(),
            verdict,
            resource_rejected: !case.warnings.is_empty(),
            warnings: if output == OutputKind::Summary {
                &case.warnings
            } else {
                &[]
            },
        }
    }
}

#[derive(Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum CompactAnswer<'a> {
    Evaluated {
        #[serde(flatten)]
        verdict: &'a Verdict,
    },
    /// A scenario with `requests` or `matrix`: every request's result.
    EvaluatedMany {
        results: Vec<RequestLine<'a>>,
    },
    Invalid {
        diagnostics: &'a [Diagnostic],
    },
}

/// Runs `--batch` over `input`.
pub fn run(input: impl BufRead, output: OutputKind, expect: Option<Wanted>) -> ExitCode {
    let mut splitter = ArraySplitter::new(input);
    let mut out = Output::stdout();
    let mut invalid = false;
    let mut differs = false;
    // Read the catalogue only when a scenario has lists of requests.
    let vocabulary = std::cell::OnceCell::new();
    let mut index = 0usize;
    loop {
        let element = match splitter.next_element() {
            Ok(Some(e)) => e,
            Ok(None) => break,
            Err(e) => {
                out.flush();
                crate::io::report(&format!(
                    "batch:{}:{}: error: {}",
                    e.line, e.column, e.message
                ));
                return ExitCode::from(2);
            }
        };
        let label = format!("scenario {index}: ");
        let line = match output {
            OutputKind::Full => {
                let answer = Answer::from(evaluate_scenario_text(&element.text));
                match &answer {
                    Answer::Evaluated(evaluation) => {
                        differs |= !check(evaluation.decision, expect, &label, &evaluation.summary);
                    }
                    Answer::Invalid { diagnostics } => {
                        invalid = true;
                        report(diagnostics, &element, &label);
                    }
                }
                serde_json::to_string(&answer).unwrap_or_default()
            }
            OutputKind::Decision | OutputKind::Summary => {
                let parsed = Scenario::parse(&element.text);
                let ready = match parsed.scenario {
                    Some(s) if !parsed.has_errors() => Ok(s),
                    _ => Err(parsed.diagnostics),
                };
                let result = ready.and_then(|scenario| {
                    compact(&scenario, output.detail(), &vocabulary, expect, &label).map(
                        |(line, ok)| {
                            differs |= !ok;
                            line
                        },
                    )
                });
                match result {
                    Ok(line) => line,
                    Err(mut diagnostics) => {
                        invalid = true;
                        diagnostics.sort_by_key(|d| d.severity);
                        report(&diagnostics, &element, &label);
                        serde_json::to_string(&CompactAnswer::Invalid {
                            diagnostics: &diagnostics,
                        })
                        .unwrap_or_default()
                    }
                }
            }
        };
        out.line(&line);
        index += 1;
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

/// One scenario's compact line, and whether it met `--expect`.
fn compact(
    scenario: &Scenario,
    detail: Detail,
    vocabulary: &std::cell::OnceCell<Option<Box<dyn iam_engine::suite::Vocabulary>>>,
    expect: Option<Wanted>,
    label: &str,
) -> Result<(String, bool), Vec<Diagnostic>> {
    let set = PolicySet::prepare(scenario).map_err(|e| e.diagnostics)?;
    if scenario.requests.is_empty() {
        let verdict = set.decide_with(&scenario.request, detail)?;
        let ok = check(
            verdict.decision,
            expect,
            label,
            verdict.summary.as_deref().unwrap_or(""),
        );
        let line = serde_json::to_string(&CompactAnswer::Evaluated { verdict: &verdict })
            .unwrap_or_default();
        return Ok((line, ok));
    }
    let cases = expand(
        scenario,
        vocabulary.get_or_init(vocabulary_of_build).as_deref(),
    )?;
    let mut verdicts = Vec::with_capacity(cases.len());
    let mut ok = true;
    let results = set.decide_all(cases.iter().map(|c| &c.request), detail);
    for (case, verdict) in cases.iter().zip(results) {
        let verdict = verdict?;
        ok &= check(
            verdict.decision,
            expect,
            &format!("{label}{}: ", case.label()),
            verdict.summary.as_deref().unwrap_or(""),
        );
        verdicts.push(verdict);
    }
    let results = cases
        .iter()
        .zip(&verdicts)
        .map(|(case, verdict)| {
            RequestLine::new(
                case,
                verdict,
                if detail == Detail::Summary {
                    OutputKind::Summary
                } else {
                    OutputKind::Decision
                },
            )
        })
        .collect();
    let line = serde_json::to_string(&CompactAnswer::EvaluatedMany { results }).unwrap_or_default();
    Ok((line, ok))
}

/// What `--expect` asks for: a decision, or `Deny` (either kind of deny).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// This decision.
    Decision(Decision),
    /// An explicit or implicit deny.
    Deny,
}

impl Wanted {
    /// Reads `Allow`, `Deny`, `ExplicitDeny` or `ImplicitDeny`.
    pub fn parse(text: &str) -> Option<Wanted> {
        match text {
            "Deny" => Some(Wanted::Deny),
            other => Decision::parse(other).map(Wanted::Decision),
        }
    }

    /// Whether `decision` is what is wanted.
    pub fn met_by(self, decision: Decision) -> bool {
        match self {
            Wanted::Decision(want) => want == decision,
            Wanted::Deny => decision != Decision::Allow,
        }
    }
}

impl std::fmt::Display for Wanted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Wanted::Decision(d) => write!(f, "{d}"),
            Wanted::Deny => f.write_str("Deny (explicit or implicit)"),
        }
    }
}

/// Whether `decision` meets `--expect`; says why not on stderr.
pub fn check(decision: Decision, expect: Option<Wanted>, label: &str, summary: &str) -> bool {
    match expect {
        Some(want) if !want.met_by(decision) => {
            if summary.is_empty() {
                crate::io::report(&format!("{label}expected {want}, got {decision}"));
            } else {
                crate::io::report(&format!(
                    "{label}expected {want}, got {decision}: {summary}"
                ));
            }
            false
        }
        _ => true,
    }
}

/// Prints an element's diagnostics with places in the whole input:
/// scenario-level ones and those of policies written as embedded objects
/// move by the element's start; those of policies written as JSON strings
/// stay relative to that string, as for single files.
fn report(diagnostics: &[Diagnostic], element: &Element, label: &str) {
    let embedded: Vec<String> = Scenario::parse(&element.text)
        .scenario
        .map(|s| {
            s.policies
                .into_iter()
                .filter(|p| p.text_offset.is_some())
                .map(|p| p.name)
                .collect()
        })
        .unwrap_or_default();
    let moved = diagnostics
        .iter()
        .map(|d| {
            let in_file = d
                .policy
                .as_ref()
                .is_none_or(|name| embedded.contains(name) || d.code == "duplicate-policy-name");
            if !in_file {
                return d.clone();
            }
            let mut m = d.clone();
            m.span = Span::new(
                d.span.start as usize + element.offset,
                d.span.end as usize + element.offset,
            );
            if d.line == 1 {
                m.column = d.column + element.column - 1;
            }
            m.line = d.line + element.line - 1;
            m
        })
        .collect();
    print_diagnostics(&EvaluationError { diagnostics: moved }, label);
}
