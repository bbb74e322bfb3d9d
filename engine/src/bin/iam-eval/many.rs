//! The default command on a scenario with `requests` or `matrix`: one JSON
//! line per request (or, with `--explain`, each request's explanation).

use std::process::ExitCode;

use crate::batch::{check, OutputKind, RequestLine, Wanted};
use crate::explain::explain;
use crate::io::{print_diagnostics, Output};
use crate::suite::{load, Catalogue};

/// Evaluates every request of the scenario in `file`.
pub fn run(
    file: &str,
    output: Option<OutputKind>,
    expect: Option<Wanted>,
    explained: bool,
) -> ExitCode {
    let Ok(loaded) = load(file, Catalogue::Always) else {
        return ExitCode::from(2);
    };
    let Ok(set) = loaded.policy_set() else {
        return ExitCode::from(2);
    };
    let output = output.unwrap_or(OutputKind::Decision);
    let mut out = Output::stdout();
    let mut differs = false;
    let mut verdicts = if explained || output == OutputKind::Full {
        Vec::new()
    } else {
        set.decide_all(loaded.cases.iter().map(|c| &c.request), output.detail())
    }
    .into_iter();
    for (index, case) in loaded.cases.iter().enumerate() {
        let label = format!("request {index} ({}): ", case.label());
        if explained || output == OutputKind::Full {
            match set.explain(&case.request) {
                Ok(evaluation) => {
                    differs |= !check(evaluation.decision, expect, &label, &evaluation.summary);
                    if explained {
                        out.line(&format!("── {index}: {} ──", case.label()));
                        out.line(&explain(&evaluation));
                        out.line("");
                    } else {
                        out.line(&serde_json::to_string(&evaluation).unwrap_or_default());
                    }
                }
                Err(err) => {
                    print_diagnostics(&err, &format!("{file}: {label}"));
                    return ExitCode::from(2);
                }
            }
            continue;
        }
        match verdicts.next().unwrap_or_else(|| Err(Vec::new())) {
            Ok(verdict) => {
                differs |= !check(
                    verdict.decision,
                    expect,
                    &label,
                    verdict.summary.as_deref().unwrap_or(""),
                );
                let line = RequestLine::new(case, &verdict, output);
                out.line(&serde_json::to_string(&line).unwrap_or_default());
            }
            Err(diagnostics) => {
                print_diagnostics(
                    &iam_engine::EvaluationError { diagnostics },
                    &format!("{file}: {label}"),
                );
                return ExitCode::from(2);
            }
        }
    }
    out.flush();
    // The process ends here: the operating system frees the requests.
    std::mem::forget(loaded);
    if differs {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
