//! Diagnostics: what went wrong or looks wrong, where, and what to do.

use serde::Serialize;

use crate::source::{SourceText, Span};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[cfg_attr(feature = "wasm", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// AWS would reject this; the policy cannot be evaluated as written.
    Error,
    /// AWS accepts this but it is likely a mistake.
    Warning,
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
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
}

/// Messages and help are for people, one line each: user input quoted in
/// them shows its bidirectional, zero-width and control characters (line
/// breaks too) as `⟨U+202E⟩` ([`crate::visible`]), so a quoted Sid or name
/// reads as it is.
fn visible(text: String) -> String {
    match crate::visible::one_line(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(shown) => shown,
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
        }
    }

    /// Adds help text.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(visible(help.into()));
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
