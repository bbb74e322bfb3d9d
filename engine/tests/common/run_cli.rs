//! Runs the real `iam-eval` binary, shared by the CLI test files.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `iam-eval` with `args`, feeding `stdin` when given, and collects
/// its status and output.
pub fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_iam-eval"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("iam-eval starts");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}
