//! `iam-eval`: evaluates scenario files from the command line.
//!
//! ```text
//! iam-eval [--explain] [--expect DECISION] FILE|-
//! iam-eval --batch [--expect DECISION] FILE|-
//! iam-eval import DETAILS.json... --principal ARN [--session NAME]
//! ```
//! Exit status: 0 when evaluated (and matching `--expect`), 1 when a
//! decision differs from `--expect`, 2 on invalid input or usage.
//!
//! Each subcommand lives in its own module; `main` only dispatches.

mod evaluate;
mod explain;
mod import;
mod io;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // Subcommands (`validate`, `test`, …) are matched here before the default.
    match args.first().map(String::as_str) {
        Some("import") => import::run(args.get(1..).unwrap_or_default()),
        _ => evaluate::run(&args),
    }
}
