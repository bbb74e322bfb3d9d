//! Diagnostics: what went wrong or looks wrong, where, and what to do.

use serde::Serialize;

use crate::source::{SourceText, Span};

/// How serious a diagnostic is, most serious first (the order compares so:
/// `Error < SecurityWarning < Warning < Suggestion`). The four levels are
/// IAM Access Analyzer's finding types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// AWS would reject this, or a part of the policy cannot work.
    Error,
    /// The policy allows more than it likely means to (overly permissive).
    SecurityWarning,
    /// AWS accepts this but it is likely a mistake.
    Warning,
    /// A simpler way to write the same thing; access is unchanged.
    Suggestion,
}

impl Severity {
    /// Every severity, most serious first.
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::SecurityWarning,
        Severity::Warning,
        Severity::Suggestion,
    ];

    /// The name used in JSON and on the command line: `error`,
    /// `security_warning`, `warning` or `suggestion`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::SecurityWarning => "security_warning",
            Severity::Warning => "warning",
            Severity::Suggestion => "suggestion",
        }
    }

    /// Reads a name as [`Severity::as_str`] writes it (`security-warning`
    /// is accepted too).
    pub fn parse(name: &str) -> Option<Severity> {
        let name = name.replace('-', "_");
        Severity::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether this is at least as serious as `threshold`.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// AWS's "Access Analyzer policy check reference" page.
pub const AA_REFERENCE: &str =
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html";

/// A quick fix: edits to the policy text that resolve a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Fix {
    /// What the fix does, for a button: "replace with `s3:GetObject`".
    pub title: String,
    /// The edits, in document order, not overlapping. Apply them from the
    /// last to the first so earlier spans stay valid.
    pub edits: Vec<Edit>,
}

/// One edit of a [`Fix`]: replace the text at `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Edit {
    /// The byte span of the text to replace.
    pub span: Span,
    /// The new text (JSON text: quotes included where needed).
    pub replacement: String,
}

impl Fix {
    /// Applies the fix to `text` (the text the spans point into); `None`
    /// when a span does not fit the text.
    pub fn apply(&self, text: &str) -> Option<String> {
        let mut out = text.to_owned();
        for edit in self.edits.iter().rev() {
            let range = edit.span.start as usize..edit.span.end as usize;
            out.get(range.clone())?;
            out.replace_range(range, &edit.replacement);
        }
        Some(out)
    }
}

/// One problem found in a policy, a scenario or a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// A stable machine-readable code, such as `unknown-element`.
    pub code: &'static str,
    /// What is wrong, in one line.
    pub message: String,
    /// What to do about it, when there is something specific to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// The policy (by scenario name) the diagnostic is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Byte span in the source text the diagnostic points into.
    pub span: Span,
    /// 1-based line of `span.start`.
    pub line: u32,
    /// 1-based column (in characters) of `span.start`.
    pub column: u32,
    /// The issue code of IAM Access Analyzer's equivalent check, such as
    /// `INVALID_ACTION`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aws_issue_code: Option<&'static str>,
    /// Where to learn more: the Access Analyzer reference entry of the
    /// equivalent check, or the AWS page about the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learn_more: Option<String>,
    /// A quick fix, when one is obvious.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Box<Fix>>,
}

/// Messages and help are for people, one line each: user input quoted in
/// them shows its bidirectional, zero-width and control characters (line
/// breaks too) as `⟨U+202E⟩` ([`crate::visible`]), so a quoted Sid or name
/// reads as it is, and a quote longer than 160 characters shows its start
/// and end around `…` ([`crate::visible::shorten_quotes`]).
fn visible(text: String) -> String {
    use std::borrow::Cow;
    let text = match crate::visible::one_line(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(shown) => shown,
    };
    match crate::visible::shorten_quotes(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(shown) => shown,
    }
}

impl Diagnostic {
    /// An error at `span`; line and column are filled in by [`Diagnostic::locate`].
    pub fn error(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::with_severity(Severity::Error, code, message, span)
    }

    /// A warning at `span`; line and column are filled in by [`Diagnostic::locate`].
    pub fn warning(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        Self::with_severity(Severity::Warning, code, message, span)
    }

    fn with_severity(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            message: visible(message.into()),
            help: None,
            policy: None,
            span,
            line: 0,
            column: 0,
            aws_issue_code: None,
            learn_more: None,
            fix: None,
        }
    }

    /// A diagnostic of any severity at `span`.
    pub fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        span: Span,
    ) -> Self {
        Self::with_severity(severity, code, message, span)
    }

    /// Names the equivalent IAM Access Analyzer check, `issue_code`, whose
    /// entry in AWS's "Access Analyzer policy check reference" has the
    /// anchor `access-analyzer-reference-policy-checks-{anchor}`.
    pub fn with_aws_issue(mut self, issue_code: &'static str, anchor: &str) -> Self {
        self.aws_issue_code = Some(issue_code);
        self.learn_more = Some(format!(
            "{AA_REFERENCE}#access-analyzer-reference-policy-checks-{anchor}"
        ));
        self
    }

    /// Adds a "learn more" address.
    pub fn with_learn_more(mut self, address: impl Into<String>) -> Self {
        self.learn_more = Some(address.into());
        self
    }

    /// Adds help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(visible(help.into()));
        self
    }

    /// Adds a quick fix made of `edits` (span, replacement), in document order.
    pub fn with_fix(mut self, title: impl Into<String>, edits: Vec<(Span, String)>) -> Self {
        self.fix = Some(Box::new(Fix {
            title: title.into(),
            edits: edits
                .into_iter()
                .map(|(span, replacement)| Edit { span, replacement })
                .collect(),
        }));
        self
    }

    /// Names the policy this diagnostic belongs to.
    pub fn in_policy(mut self, name: &str) -> Self {
        self.policy = Some(name.to_owned());
        self
    }

    /// Fills in line and column from the text the span points into.
    pub fn locate(mut self, source: &SourceText<'_>) -> Self {
        let at = source.line_col(self.span.start);
        self.line = at.line;
        self.column = at.column;
        self
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    /// Compiler style: `POLICY:LINE:COLUMN: error: MESSAGE (help: ...)`,
    /// with the policy's name shown as people should read it
    /// ([`crate::visible`]).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let policy = crate::visible::show_controls(self.policy.as_deref().unwrap_or("scenario"));
        write!(
            f,
            "{policy}:{}:{}: {}: {}",
            self.line, self.column, self.severity, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics into document order: by position, then severity
/// (stable). One function for every list the engine sorts, so the module
/// carries one copy of the sort (see BENCHMARKS.md, "Engine WebAssembly
/// package size").
pub fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    crate::sorting::sort_by_key(diagnostics, |d| (d.span.start, d.severity));
}

/// Whether any diagnostic in `diagnostics` is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_compiler_style() {
        let src = SourceText::new("{\n  \"Efect\": 1}");
        let d = Diagnostic::error(
            "unknown-element",
            "unknown element `Efect`",
            Span::new(4, 11),
        )
        .with_help("did you mean `Effect`?")
        .in_policy("Dev")
        .locate(&src);
        assert_eq!(
            d.to_string(),
            "Dev:2:3: error: unknown element `Efect` (help: did you mean `Effect`?)"
        );
    }
}
