//! Reading a scenario as a suite of requests, shared by `test`, `matrix` and
//! the default command: its text, the scenario, and every request as a case
//! (wildcard actions expanded through the catalogue).

use iam_engine::scenario::Expectation;
use iam_engine::suite::{expand_taking, Case, CaseOrigin, Detail, PolicySet, Verdict, Vocabulary};
use iam_engine::{EvaluationError, Scenario, SourceText};

use crate::io::{print_diagnostics, read_input};

/// The catalogue of AWS actions built into `iam-eval`, for expanding
/// wildcard request actions and checking resources.
pub fn vocabulary() -> Option<Box<dyn Vocabulary>> {
    match iam_engine::catalog::Catalog::bundled() {
        Ok(catalog) => Some(Box::new(catalog)),
        Err(e) => {
            crate::io::report(&format!(
                "iam-eval: the built-in action catalogue cannot be read: {e}"
            ));
            None
        }
    }
}

/// A scenario file read as a suite.
pub struct Loaded {
    /// The file's name as given.
    pub file: String,
    /// Its text.
    pub text: String,
    /// The scenario.
    pub scenario: Scenario,
    /// Every request, in order.
    pub cases: Vec<Case>,
}

/// Why a file could not be read as a suite (already reported on stderr).
pub struct Invalid;

/// When to read the built-in catalogue (it takes about 10 ms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Catalogue {
    /// Always: wildcard actions expand, and every resource is checked
    /// against its action's resource types.
    Always,
    /// Only when some request action is a wildcard.
    ForWildcards,
}

/// Whether any request action of the lists is a wildcard.
fn has_wildcards(scenario: &Scenario) -> bool {
    let wild = |a: &str| a.contains(['*', '?']);
    scenario
        .requests
        .cases
        .iter()
        .any(|c| wild(&c.request.action))
        || scenario
            .requests
            .matrices
            .iter()
            .any(|m| m.actions.iter().any(|a| wild(&a.text)))
}

/// Reads `file` and expands its requests; reports problems on stderr,
/// each diagnostic prefixed with the file name.
pub fn load(file: &str, catalogue: Catalogue) -> Result<Loaded, Invalid> {
    let text = read_input(file).map_err(|message| {
        crate::io::report(&format!("iam-eval: {message}"));
        Invalid
    })?;
    let prefix = format!("{file}: ");
    let parsed = Scenario::parse(&text);
    let warnings_only = !parsed.has_errors();
    let scenario = match parsed.scenario {
        Some(s) if warnings_only => s,
        _ => {
            print_diagnostics(
                &EvaluationError {
                    diagnostics: parsed.diagnostics,
                },
                &prefix,
            );
            return Err(Invalid);
        }
    };
    let needed = catalogue == Catalogue::Always || has_wildcards(&scenario);
    let vocabulary = if needed { vocabulary() } else { None };
    let mut scenario = scenario;
    let cases = expand_taking(&mut scenario, vocabulary.as_deref()).map_err(|diagnostics| {
        print_diagnostics(&EvaluationError { diagnostics }, &prefix);
        Invalid
    })?;
    Ok(Loaded {
        file: file.to_owned(),
        text,
        scenario,
        cases,
    })
}

impl Loaded {
    /// Prepares the policies (reporting their errors).
    pub fn policy_set(&self) -> Result<PolicySet<'_>, Invalid> {
        PolicySet::prepare(&self.scenario).map_err(|err| {
            print_diagnostics(&err, &format!("{}: ", self.file));
            Invalid
        })
    }

    /// Decides every case; a request the engine rejects is reported with its
    /// place, and the whole file is invalid.
    pub fn decide_all(&self, set: &PolicySet<'_>) -> Result<Vec<Verdict>, Invalid> {
        let mut verdicts = Vec::with_capacity(self.cases.len());
        let mut invalid = false;
        let results = set.decide_all(self.cases.iter().map(|c| &c.request), Detail::Decision);
        for result in results {
            match result {
                Ok(v) => verdicts.push(v),
                Err(diagnostics) => {
                    invalid = true;
                    let source = SourceText::new(&self.text);
                    let diagnostics = diagnostics.into_iter().map(|d| d.locate(&source)).collect();
                    print_diagnostics(
                        &EvaluationError { diagnostics },
                        &format!("{}: ", self.file),
                    );
                }
            }
        }
        if invalid {
            Err(Invalid)
        } else {
            Ok(verdicts)
        }
    }
}

/// Where a case was written: `line:column` of its entry (a matrix's
/// requests: of their action).
pub fn place(source: &SourceText<'_>, case: &Case) -> String {
    let span = match case.origin {
        CaseOrigin::Matrix(_) => case.request.spans.action,
        CaseOrigin::Request | CaseOrigin::Listed(_) => case.request.spans.request,
    };
    let at = source.line_col(span.start);
    format!("{}:{}", at.line, at.column)
}

/// `Allow`, or `Allow by Dev/Read` when the expectation names statements;
/// `Deny` says it means either kind.
pub fn expected_text(expect: &Expectation) -> String {
    let decision = match expect.decision.as_str() {
        "Deny" => "Deny (explicit or implicit)",
        other => other,
    };
    match &expect.determining {
        Some(d) if !d.is_empty() => {
            let names: Vec<String> = d
                .iter()
                .map(|s| format!("{}/{}", s.policy, s.statement))
                .collect();
            format!("{decision} by {}", names.join(", "))
        }
        Some(_) => format!("{decision} by no statement"),
        None => decision.to_owned(),
    }
}

/// `ExplicitDeny by Dev/NoSecrets`, or the bare decision.
pub fn verdict_text(verdict: &Verdict) -> String {
    if verdict.determining.is_empty() {
        return verdict.decision.to_string();
    }
    let names: Vec<String> = verdict
        .determining
        .iter()
        .map(|s| format!("{}/{}", s.policy, s.statement))
        .collect();
    format!("{} by {}", verdict.decision, names.join(", "))
}
