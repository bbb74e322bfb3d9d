//! Replays the inputs in `tests/fuzz_regressions/`: inputs on which a fuzz
//! target of `engine/fuzz` once failed. Each goes through the same entry
//! points and position checks as the fuzz targets.

use std::path::Path;

use iam_engine::ffi::evaluate_scenario_text;
use iam_engine::json::parse_json_bytes;
use iam_engine::parse::parse_policy;
use iam_engine::{Diagnostic, PolicyType, Scenario, SourceText};

/// Spans inside the text and on character boundaries; line and column those
/// of the span's start.
fn check_positions(name: &str, text: &str, diagnostics: &[Diagnostic]) {
    let source = SourceText::new(text);
    for d in diagnostics {
        let (start, end) = (d.span.start as usize, d.span.end as usize);
        assert!(
            start <= end && end <= text.len(),
            "{name}: span out of the text: {d:?}"
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{name}: span inside a character: {d:?}"
        );
        let at = source.line_col(d.span.start);
        assert_eq!((d.line, d.column), (at.line, at.column), "{name}: {d:?}");
        assert!(d.line >= 1 && d.column >= 1, "{name}: {d:?}");
        // One line each (the CLI prints one diagnostic per line).
        assert!(
            !d.message.contains(['\n', '\r']),
            "{name}: message on several lines: {d:?}"
        );
    }
}

#[test]
fn fuzz_regressions_replay() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        if let Err(e) = parse_json_bytes(&bytes) {
            assert!(
                !e.message.contains(['\n', '\r']),
                "{name}: message on several lines: {e:?}"
            );
        }
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        for policy_type in PolicyType::ALL {
            let parsed = parse_policy(text, policy_type);
            check_positions(&name, text, &parsed.diagnostics);
        }
        let _ = Scenario::parse(text);
        // No evaluation means at least one error, each with a position
        // (a matrix-only file once gave line 0, or, with a warning, no
        // error at all).
        if let Err(e) = evaluate_scenario_text(text) {
            assert!(e.errors().next().is_some(), "{name}: no error: {e:?}");
            for d in &e.diagnostics {
                assert!(d.line >= 1 && d.column >= 1, "{name}: {d:?}");
            }
        }
    }
}

/// The invalid-escape error names the escape, whole, even when the escaped
/// character takes several bytes.
#[test]
fn invalid_escape_of_a_multibyte_character() {
    let text = r#"{"Statement": "\é"}"#;
    let parsed = parse_policy(text, PolicyType::Identity);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.code, "json-syntax");
    assert_eq!(d.message, "invalid escape `\\é`");
    assert_eq!(d.span.slice(text), "\\é");
}
