//! `iam-eval`: evaluates scenario files from the command line.
//!
//! ```text
//! iam-eval [--explain] [--expect DECISION] FILE|-
//! iam-eval --batch [--expect DECISION] FILE|-
//! ```
//! Exit status: 0 when evaluated (and matching `--expect`), 1 when a
//! decision differs from `--expect`, 2 on invalid input or usage, 141 when
//! standard output was closed before everything was written (`| head -1`).
//! Standard error is best effort: when it is closed, messages are dropped
//! and the results on standard output are still complete.
//!
//! Each subcommand lives in its own module; `main` only dispatches.

mod evaluate;
mod explain;
mod io;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Subcommands (`validate`, `test`, …) are matched here before the default.
    #[allow(clippy::match_single_binding, reason = "subcommands are added as arms")]
    match args.first().map(String::as_str) {
        _ => evaluate::run(&args),
    }
}
