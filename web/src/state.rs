//! UI state. Nothing here touches the DOM, so it is unit-tested natively.

/// What the app currently shows.
///
/// This is the first shell: the only state is the identification of the
/// linked engine. The policies, the request and the evaluation will be added
/// here (with an `Action` enum and `impl Reducible`) as the engine grows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    engine_version: &'static str,
}

impl State {
    /// Builds the initial state by asking the engine for its version.
    pub fn new() -> Self {
        Self {
            engine_version: engine_version(),
        }
    }

    /// The version of the linked `iam-engine` crate.
    pub fn engine_version(&self) -> &'static str {
        self.engine_version
    }

    /// The text shown in the decision region before anything is evaluated.
    pub fn decision_text(&self) -> String {
        format!(
            "iam-engine {} loaded: evaluation runs locally in WebAssembly.",
            self.engine_version
        )
    }
}

impl Default for State {
    fn default() -> Self {
        Self::new()
    }
}

/// The engine's version string, taken from the engine crate itself.
fn engine_version() -> &'static str {
    iam_engine::VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_text_names_the_engine_version() {
        let state = State::new();
        assert!(!state.engine_version().is_empty());
        assert!(state.decision_text().contains(state.engine_version()));
        assert!(state.decision_text().starts_with("iam-engine "));
    }
}
