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

/// Longest request value (resource, context value), in bytes: every value is
/// part of a scenario, so none is longer than [`MAX_SCENARIO_BYTES`].
pub const MAX_REQUEST_VALUE_BYTES: usize = MAX_SCENARIO_BYTES;

/// Most bytes of literal text (every character but `*`) a policy pattern
/// may have after its policy variables are substituted. A case-sensitive
/// match pairs each literal character with an identical one (and `?`, one
/// byte, with a character of at least one byte), so a value of `n` bytes
/// matches no pattern with more than `n` literal bytes: a longer one is
/// not built and compares as "no match" (see
/// [`Template::resolve`](crate::matching::Template::resolve)). The engine
/// uses the larger of this and the actual value's length, so the outcome is
/// exact even for a caller (of the Rust API) whose values are longer. It
/// keeps a policy repeating `${aws:PrincipalTag/x}` 250,000 times against
/// a 1 MB tag from building 250 GB.
pub const MAX_SUBSTITUTED_BYTES: usize = MAX_REQUEST_VALUE_BYTES;

/// How many times longer, in bytes, a policy value may be than a request
/// value it equals ignoring case (`StringEqualsIgnoreCase`): the two are
/// compared lowercased; lowercasing never shortens a text in characters
/// and lengthens one by at most 3 times (`char::to_lowercase`), and a
/// character has 1 to 4 bytes, so `bytes(policy) ≤ 4 × chars(policy) ≤
/// 4 × chars(lowercase) ≤ 12 × chars(request) ≤ 12 × bytes(request)`.
pub const CASE_FOLDING_GROWTH: usize = 12;

/// Most bytes of one substituted text the explanation keeps (a resource
/// pattern or condition value after substitution): 4 KiB, twice AWS's
/// longest ARN. A longer one is kept cut to this, with its whole length,
/// so an explanation never holds more than this per substituted pattern.
pub const MAX_SHOWN_SUBSTITUTION_BYTES: usize = 4 << 10;

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
