//! Comparing results with what each request expects, as a test runner does.

use super::{Case, Verdict};
use crate::explain::Decision;
use crate::scenario::Expectation;

/// Whether `verdict` meets `expect`: the decision (`Deny` meets either kind
/// of deny) and, when `expect` names them, exactly the deciding statements
/// (in any order; a statement by its Sid or `#N`).
pub fn meets(expect: &Expectation, verdict: &Verdict) -> bool {
    let decision_ok = match expect.decision.as_str() {
        "Deny" => verdict.decision != Decision::Allow,
        other => verdict.decision.as_str() == other,
    };
    decision_ok
        && expect.determining.as_ref().is_none_or(|want| {
            let mut want: Vec<(&str, &str)> = want
                .iter()
                .map(|d| (d.policy.as_str(), d.statement.as_str()))
                .collect();
            let mut got: Vec<(&str, &str)> = verdict
                .determining
                .iter()
                .map(|d| (d.policy.as_str(), d.statement.as_str()))
                .collect();
            crate::sorting::sort(&mut want);
            crate::sorting::sort(&mut got);
            want == got
        })
}

/// A request whose result differs from its expectation.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure<'a> {
    /// Its index among the cases.
    pub index: usize,
    /// The case.
    pub case: &'a Case,
    /// What it got.
    pub verdict: &'a Verdict,
}

/// How a suite went.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SuiteReport<'a> {
    /// Requests evaluated.
    pub total: usize,
    /// Requests that met their expectation.
    pub passed: usize,
    /// Requests without an expectation.
    pub unchecked: usize,
    /// Requests that did not meet it.
    pub failures: Vec<Failure<'a>>,
}

impl<'a> SuiteReport<'a> {
    /// Compares each case's verdict with its expectation.
    pub fn new(cases: &'a [Case], verdicts: &'a [Verdict]) -> Self {
        let mut report = SuiteReport::default();
        for (index, (case, verdict)) in cases.iter().zip(verdicts).enumerate() {
            report.total += 1;
            match &case.expect {
                None => report.unchecked += 1,
                Some(expect) if meets(expect, verdict) => report.passed += 1,
                Some(_) => report.failures.push(Failure {
                    index,
                    case,
                    verdict,
                }),
            }
        }
        report
    }

    /// Whether every expectation was met.
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }
}
