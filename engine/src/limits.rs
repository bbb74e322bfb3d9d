//! The largest inputs the engine reads, in one place, and the diagnostic an
//! input past one of them gets.
//!
//! The limits keep a pasted or opened input from freezing a browser tab or
//! exhausting memory; each is far above what AWS itself accepts (its largest
//! policies are 20 KB), so no real policy meets them. The CLI, the
//! JavaScript API and the app apply the same values (README, "Limits").

use crate::diagnostics::Diagnostic;
use crate::source::Span;

/// Largest policy text, in bytes of UTF-8: 1 MiB.
pub const MAX_POLICY_BYTES: usize = 1 << 20;

/// Largest scenario text, in bytes of UTF-8: 4 MiB (a few policies at the
/// policy limit). Share links and imported files are held to it too.
pub const MAX_SCENARIO_BYTES: usize = 4 << 20;

/// Most levels of nesting (objects and arrays) in a policy document. IAM
/// policies need about six; the limit keeps the reader's recursion short.
pub const MAX_DEPTH: usize = 64;

/// Levels a scenario adds around an embedded policy document (the scenario
/// object, its `policies` array, the policy's object).
pub const SCENARIO_NESTING: usize = 3;

/// Most levels of nesting in a scenario: a policy document at the limit
/// still fits when it is embedded as an object.
pub const MAX_SCENARIO_DEPTH: usize = MAX_DEPTH + SCENARIO_NESTING;

/// Largest file `iam-eval --batch` reads: 64 MiB (sixteen scenarios at the
/// scenario limit, or thousands of ordinary ones).
pub const MAX_BATCH_BYTES: usize = 64 << 20;

/// Most levels of nesting in a `--batch` file: its array adds one level to
/// each scenario's.
pub const MAX_BATCH_DEPTH: usize = MAX_SCENARIO_DEPTH + 1;

/// What to do about a policy over [`MAX_POLICY_BYTES`].
pub const TOO_LARGE_POLICY_HELP: &str =
    "AWS's own quotas are 2 to 20 KB per policy; split it into several policies";

/// What to do about a scenario over [`MAX_SCENARIO_BYTES`].
pub const TOO_LARGE_SCENARIO_HELP: &str =
    "a scenario holds a few policies of a few KB each; remove policies or split it into several scenarios";

/// The `too-large` error for an input of `size` bytes (`what`: "policy",
/// "scenario", …) over `limit`, with what to do.
pub fn too_large(what: &str, size: usize, limit: usize, help: &str) -> Diagnostic {
    Diagnostic::error(
        "too-large",
        too_large_message(what, size, limit),
        Span::new(0, 0),
    )
    .with_help(help)
}

/// "the policy is 1,200,000 bytes, over the limit of 1 MiB (1,048,576
/// bytes)", for messages outside the engine (the app, the CLI).
pub fn too_large_message(what: &str, size: usize, limit: usize) -> String {
    format!(
        "the {what} is {} bytes, over the limit of {}",
        thousands(size),
        describe_bytes(limit)
    )
}

/// "1 MiB (1,048,576 bytes)" for a limit; plain "N bytes" when it is not a
/// whole number of KiB or MiB.
pub fn describe_bytes(bytes: usize) -> String {
    let exact = thousands(bytes);
    if bytes >= 1 << 20 && bytes % (1 << 20) == 0 {
        format!("{} MiB ({exact} bytes)", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes % (1 << 10) == 0 {
        format!("{} KiB ({exact} bytes)", bytes >> 10)
    } else {
        format!("{exact} bytes")
    }
}

/// `n` with a comma every three digits.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(4_194_304), "4,194,304");
        assert_eq!(describe_bytes(MAX_POLICY_BYTES), "1 MiB (1,048,576 bytes)");
        assert_eq!(
            describe_bytes(MAX_SCENARIO_BYTES),
            "4 MiB (4,194,304 bytes)"
        );
        assert_eq!(describe_bytes(2048), "2 KiB (2,048 bytes)");
        assert_eq!(describe_bytes(1500), "1,500 bytes");
    }

    #[test]
    fn the_message_says_the_size_and_the_limit() {
        let d = too_large("policy", 1_048_577, MAX_POLICY_BYTES, "split it");
        assert_eq!(d.code, "too-large");
        assert_eq!(
            d.message,
            "the policy is 1,048,577 bytes, over the limit of 1 MiB (1,048,576 bytes)"
        );
        assert_eq!(d.help.as_deref(), Some("split it"));
    }

    #[test]
    fn limits_nest() {
        assert_eq!(MAX_SCENARIO_BYTES, 4 * MAX_POLICY_BYTES);
        assert_eq!(MAX_SCENARIO_DEPTH, 67);
    }
}
