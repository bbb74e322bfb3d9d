//! A scenario's requests as one list of cases: `request`, then `requests`,
//! then each `matrix` (actions × principals × resources), with wildcard
//! actions expanded through a [`Vocabulary`] of known actions.

use crate::diagnostics::Diagnostic;
use crate::matching::action_matches;
use crate::scenario::{
    is_wildcard_action, Expectation, ExpectationIndex, Located, RequestInput, Scenario,
    MAX_REQUESTS,
};
use crate::source::{LineCol, Span};

/// The actions AWS knows, for expanding wildcard request actions and
/// checking that a request's resource is one its action acts on.
pub trait Vocabulary {
    /// Every known action `pattern` matches (`s3:Get*`, `s3:*`, `*`), as
    /// `service:Name`, in a stable order.
    fn actions_matching(&self, pattern: &str) -> Vec<String>;

    /// Whether `action` acts on `resource`.
    fn resource_fit(&self, action: &str, resource: &str) -> ResourceFit;
}

/// Whether a request's resource is one its action acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceFit {
    /// It is (or the vocabulary cannot tell).
    Fits,
    /// The action acts on these resource types (name and ARN format), and
    /// the resource is none of them; empty when the action takes no
    /// resource (only `*`).
    NoFit(Vec<(String, String)>),
}

/// A plain list of action names: expands wildcards, knows no resource types.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionList {
    actions: Vec<String>,
}

impl ActionList {
    /// The list of `service:Name` actions.
    pub fn new(actions: impl IntoIterator<Item = impl Into<String>>) -> Self {
        ActionList {
            actions: actions.into_iter().map(Into::into).collect(),
        }
    }
}

impl Vocabulary for ActionList {
    fn actions_matching(&self, pattern: &str) -> Vec<String> {
        self.actions
            .iter()
            .filter(|a| action_matches(pattern, a))
            .cloned()
            .collect()
    }

    fn resource_fit(&self, _action: &str, _resource: &str) -> ResourceFit {
        ResourceFit::Fits
    }
}

/// Where a case was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseOrigin {
    /// The scenario's `request`.
    Request,
    /// The entry of `requests` at this index.
    Listed(usize),
    /// The entry of `matrix` at this index.
    Matrix(usize),
}

/// One request to decide, with what it expects.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Its name, when given (a matrix's requests share the matrix's).
    pub name: Option<String>,
    /// The request, with one concrete action.
    pub request: RequestInput,
    /// What it expects, when given.
    pub expect: Option<Expectation>,
    /// Where it was written.
    pub origin: CaseOrigin,
    /// The wildcard action it was expanded from, if any.
    pub expanded_from: Option<String>,
    /// Warnings about the request (a resource its action does not act on).
    pub warnings: Vec<Diagnostic>,
}

impl Case {
    /// A label for reports: its name, or its action on its resource.
    pub fn label(&self) -> String {
        match &self.name {
            Some(name) if !matches!(self.origin, CaseOrigin::Matrix(_)) => name.clone(),
            _ => format!("{} on {}", self.request.action, self.request.resource),
        }
    }
}

/// An action to expand, with where it was written.
struct ActionSource<'a> {
    text: &'a str,
    span: Span,
    at: LineCol,
}

/// The actions `action` stands for: itself, or what its wildcard matches.
fn expand_action(
    action: &ActionSource<'_>,
    vocabulary: Option<&dyn Vocabulary>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, Option<String>)> {
    let text = action.text.trim();
    if !is_wildcard_action(text) {
        return vec![(text.to_owned(), None)];
    }
    let located = |d: Diagnostic| Diagnostic {
        line: action.at.line,
        column: action.at.column,
        ..d
    };
    let Some(vocabulary) = vocabulary else {
        errors.push(located(
            Diagnostic::error(
                "wildcard-needs-catalogue",
                format!("the request action `{text}` is a wildcard, and no action catalogue is loaded to expand it"),
                action.span,
            )
            .with_help("load AWS's action catalogue (iam-eval and the playground include it; in JavaScript pass the known actions to `evaluateMany`), or name each action"),
        ));
        return Vec::new();
    };
    let actions = vocabulary.actions_matching(text);
    if actions.is_empty() {
        errors.push(located(
            Diagnostic::error(
                "wildcard-matches-nothing",
                format!("the request action `{text}` matches no action AWS knows"),
                action.span,
            )
            .with_help("check the service prefix and the spelling, e.g. `s3:Get*`"),
        ));
    }
    actions
        .into_iter()
        .map(|a| (a, Some(text.to_owned())))
        .collect()
}

/// The warning for a resource that `action` does not act on.
fn fit_warning(
    vocabulary: Option<&dyn Vocabulary>,
    request: &RequestInput,
    at: LineCol,
) -> Option<Diagnostic> {
    let resource = request.resource.trim();
    if resource == "*" {
        return None;
    }
    let ResourceFit::NoFit(types) = vocabulary?.resource_fit(&request.action, resource) else {
        return None;
    };
    let (message, help) = if types.is_empty() {
        (
            format!(
                "`{}` acts on no resource type, so AWS evaluates it against `*`, not `{resource}`",
                request.action
            ),
            "give `*` as its resource".to_owned(),
        )
    } else {
        let names: Vec<String> = types
            .iter()
            .map(|(name, format)| format!("{name} (`{format}`)"))
            .collect();
        (
            format!(
                "`{}` does not act on `{resource}`: AWS would reject the request",
                request.action
            ),
            format!("its resource types are {}", names.join(", ")),
        )
    };
    Some(Diagnostic {
        line: at.line,
        column: at.column,
        ..Diagnostic::warning("resource-not-accepted", message, request.spans.resource)
            .with_help(help)
    })
}

/// Every request of `scenario` as a case: `request` (unless the file has
/// only lists), `requests`, then each matrix's actions × principals ×
/// resources. Wildcard actions expand through `vocabulary`; without one
/// they are errors (line and column in the file).
pub fn expand(
    scenario: &Scenario,
    vocabulary: Option<&dyn Vocabulary>,
) -> Result<Vec<Case>, Vec<Diagnostic>> {
    expand_lists(
        scenario,
        Listed::Borrowed(&scenario.requests.cases),
        vocabulary,
    )
}

/// Like [`expand`], but moves the entries of `requests` into their cases
/// instead of copying them (a large suite read once): the scenario keeps
/// its matrices and is left without its `requests` entries.
pub fn expand_taking(
    scenario: &mut Scenario,
    vocabulary: Option<&dyn Vocabulary>,
) -> Result<Vec<Case>, Vec<Diagnostic>> {
    let listed = std::mem::take(&mut scenario.requests.cases);
    expand_lists(scenario, Listed::Owned(listed), vocabulary)
}

/// The entries of `requests`, borrowed or owned.
enum Listed<'a> {
    Borrowed(&'a [crate::scenario::RequestCase]),
    Owned(Vec<crate::scenario::RequestCase>),
}

fn expand_lists(
    scenario: &Scenario,
    listed: Listed<'_>,
    vocabulary: Option<&dyn Vocabulary>,
) -> Result<Vec<Case>, Vec<Diagnostic>> {
    let list = &scenario.requests;
    let mut errors = Vec::new();
    let listed_count = match &listed {
        Listed::Borrowed(l) => l.len(),
        Listed::Owned(l) => l.len(),
    };
    let mut cases: Vec<Case> =
        Vec::with_capacity(list.len().saturating_add(listed_count).min(MAX_REQUESTS) + 1);
    if !list.no_request {
        cases.push(Case {
            name: scenario.name.clone(),
            request: scenario.request.clone(),
            expect: scenario.expect.clone(),
            origin: CaseOrigin::Request,
            expanded_from: None,
            warnings: Vec::new(),
        });
    }
    let mut push_listed = |index: usize,
                           case: std::borrow::Cow<'_, crate::scenario::RequestCase>,
                           errors: &mut Vec<Diagnostic>| {
        if !is_wildcard_action(case.request.action.trim()) {
            // One concrete action: the entry becomes its case as it is.
            let warnings = fit_warning(vocabulary, &case.request, case.resource_at)
                .into_iter()
                .collect();
            // Its `expectations` (rare here) may name its action.
            let named = (!case.expectations.is_empty()).then(|| {
                ExpectationIndex::for_case(&case)
                    .expect_for(&case.request)
                    .cloned()
            });
            let case = case.into_owned();
            cases.push(Case {
                name: case.name,
                request: case.request,
                expect: named.unwrap_or(case.expect),
                origin: CaseOrigin::Listed(index),
                expanded_from: None,
                warnings,
            });
            return;
        }
        let source = ActionSource {
            text: &case.request.action,
            span: case.request.spans.action,
            at: case.action_at,
        };
        let expectations = ExpectationIndex::for_case(&case);
        for (action, expanded_from) in expand_action(&source, vocabulary, errors) {
            let request = RequestInput {
                action,
                ..case.request.clone()
            };
            let warnings = fit_warning(vocabulary, &request, case.resource_at)
                .into_iter()
                .collect();
            let expect = expectations.expect_for(&request).cloned();
            cases.push(Case {
                name: case.name.clone(),
                request,
                expect,
                origin: CaseOrigin::Listed(index),
                expanded_from,
                warnings,
            });
        }
    };
    match listed {
        Listed::Borrowed(entries) => {
            for (index, case) in entries.iter().enumerate() {
                push_listed(index, std::borrow::Cow::Borrowed(case), &mut errors);
            }
        }
        Listed::Owned(entries) => {
            for (index, case) in entries.into_iter().enumerate() {
                push_listed(index, std::borrow::Cow::Owned(case), &mut errors);
            }
        }
    }
    for (index, matrix) in list.matrices.iter().enumerate() {
        let expectations = ExpectationIndex::new(matrix);
        // Each principal's tags, looked up once.
        let principals: Vec<(&Located, &[(String, String)])> = matrix
            .principals
            .iter()
            .map(|p| (p, matrix.tags_of(&p.text)))
            .collect();
        let actions: Vec<(Located, Option<String>)> = matrix
            .actions
            .iter()
            .flat_map(|a| {
                let source = ActionSource {
                    text: &a.text,
                    span: a.span,
                    at: a.at,
                };
                expand_action(&source, vocabulary, &mut errors)
                    .into_iter()
                    .map(|(text, from)| (Located { text, ..a.clone() }, from))
                    .collect::<Vec<_>>()
            })
            .collect();
        for (action, expanded_from) in &actions {
            for &(principal, tags) in &principals {
                for resource in &matrix.resources {
                    if cases.len() >= MAX_REQUESTS {
                        errors.push(
                            Diagnostic::error(
                                "too-many-requests",
                                format!(
                                    "the scenario's requests expand to more than {MAX_REQUESTS}"
                                ),
                                matrix.span,
                            )
                            .with_help(
                                "use narrower wildcards, or split the suite into several files",
                            ),
                        );
                        return Err(errors);
                    }
                    let request = matrix.request_tagged(action, principal, tags, resource);
                    let warnings = fit_warning(vocabulary, &request, resource.at)
                        .into_iter()
                        .collect();
                    let expect = expectations.expect_for(&request).cloned();
                    cases.push(Case {
                        name: matrix.name.clone(),
                        request,
                        expect,
                        origin: CaseOrigin::Matrix(index),
                        expanded_from: expanded_from.clone(),
                        warnings,
                    });
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(errors)
    }
}

impl Vocabulary for crate::catalog::Catalog {
    fn actions_matching(&self, pattern: &str) -> Vec<String> {
        crate::catalog::Catalog::actions_matching(self, pattern)
            .iter()
            .map(|a| a.full_name())
            .collect()
    }

    fn resource_fit(&self, action: &str, resource: &str) -> ResourceFit {
        // An action the catalogue does not know: nothing to tell.
        let Some(action) = self.action(action) else {
            return ResourceFit::Fits;
        };
        let types: Vec<_> = action.resource_types().map(|t| t.resource_type()).collect();
        if types.iter().any(|t| t.matches_arn(resource)) {
            return ResourceFit::Fits;
        }
        ResourceFit::NoFit(
            types
                .iter()
                .map(|t| {
                    (
                        t.name().to_owned(),
                        t.arn_formats().next().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
        )
    }
}
