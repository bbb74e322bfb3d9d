//! `iam-eval`: evaluates scenario files from the command line.
//!
//! ```text
//! iam-eval [--explain] [--expect DECISION] [--output KIND] FILE|-
//! iam-eval --batch [--expect DECISION] [--output decision|summary|full] FILE|-
//! iam-eval test [--format text|json|junit|tap] [--explain] SUITE...
//! iam-eval matrix [--columns resources|principals] SCENARIO
//! iam-eval import DETAILS.json... --principal ARN [--session NAME]
//! iam-eval validate [--type TYPE] [--format text|json|sarif] [--fail-on SEVERITY] FILE...
//! iam-eval catalog [actions PATTERN | compile …]
//! iam-eval --version
//! ```
//! Exit status: 0 when evaluated (and matching `--expect`), 1 when a
//! decision differs from `--expect` (or a request from its `expect`), 2 on
//! invalid input or usage, 141 when standard output was closed before
//! everything was written (`| head -1`). Standard error is best effort:
//! when it is closed, messages are dropped and the results on standard
//! output are still complete.
//!
//! Each subcommand lives in its own module; `main` only dispatches.

mod batch;
mod catalog;
mod evaluate;
mod explain;
mod import;
mod io;
mod many;
mod matrix;
mod stream;
mod suite;
mod test;
mod validate;

use std::process::ExitCode;

/// mimalloc instead of the system allocator: reading a scenario allocates
/// and frees many small texts and vectors, and glibc's `malloc`/`free` were
/// about a quarter of `--batch`'s time (BENCHMARKS.md, "CLI speed"). Not
/// for a WebAssembly build of the binary (which only CI's check compiles).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("validate") => validate::run(args.get(1..).unwrap_or_default()),
        Some("test") => test::run(args.get(1..).unwrap_or_default()),
        Some("matrix") => matrix::run(args.get(1..).unwrap_or_default()),
        Some("import") => import::run(args.get(1..).unwrap_or_default()),
        Some("catalog") => catalog::run(args.get(1..).unwrap_or_default()),
        Some("--version" | "-V") => {
            crate::io::Output::stdout().line(&catalog::version_line());
            ExitCode::SUCCESS
        }
        _ => evaluate::run(&args),
    }
}
