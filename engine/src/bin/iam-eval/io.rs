//! Reading inputs and reporting diagnostics, shared by every subcommand.

use std::io::{Read, Write};

use iam_engine::EvaluationError;

/// Reads a scenario or policy FILE (or standard input for `-`) as UTF-8
/// text, within the scenario size limit.
pub fn read_input(file: &str) -> Result<String, String> {
    read_input_within(
        file,
        "scenario",
        iam_engine::limits::MAX_SCENARIO_BYTES,
        iam_engine::limits::TOO_LARGE_SCENARIO_HELP,
    )
}

/// Reads FILE (or standard input for `-`) as UTF-8 text, refusing more
/// than `limit` bytes (`what` names the content in the message) without
/// reading further, so an endless input (`/dev/zero`) ends too.
pub fn read_input_within(
    file: &str,
    what: &str,
    limit: usize,
    help: &str,
) -> Result<String, String> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let result = if file == "-" {
        std::io::stdin().take(cap).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(cap).read_to_end(&mut bytes))
    };
    result.map_err(|e| format!("cannot read `{file}`: {e}"))?;
    if bytes.len() > limit {
        let size = std::fs::metadata(file)
            .ok()
            .filter(|m| m.is_file() && file != "-")
            .and_then(|m| usize::try_from(m.len()).ok());
        let message = match size {
            Some(size) => iam_engine::limits::too_large_message(what, size, limit),
            None => format!(
                "the {what} is more than {} bytes, over the limit of {}",
                iam_engine::limits::thousands(limit),
                iam_engine::limits::describe_bytes(limit)
            ),
        };
        return Err(format!("{file}: {message} (help: {help})"));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // What Windows PowerShell 5.1's `>` writes.
        return Err(format!(
            "{file}: the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{file}: byte {}: the file is not valid UTF-8; save it as UTF-8",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Prints each diagnostic on its own line on standard error, compiler style.
pub fn print_diagnostics(err: &EvaluationError, prefix: &str) {
    for d in &err.diagnostics {
        report(&format!("{prefix}{d}"));
    }
}

/// Writes `text` and a newline on standard error. Unlike `eprintln!`, it
/// never panics: when standard error is closed or a closed pipe, the message
/// is dropped and the command goes on, so the results on standard output
/// (which may still be read) are complete.
pub fn report(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr
        .write_all(text.as_bytes())
        .and_then(|()| stderr.write_all(b"\n"));
}

/// Standard output for a command's results, buffered. Every command writes
/// through it, so a closed pipe (`iam-eval … | head -1`) is handled in one
/// place: the program ends quietly with the status a shell gives a program
/// ended by SIGPIPE (128 + 13), instead of panicking.
pub struct Output {
    out: std::io::BufWriter<std::io::StdoutLock<'static>>,
}

/// The status a shell reports for a process ended by SIGPIPE.
pub const BROKEN_PIPE_STATUS: i32 = 141;

impl Output {
    /// Standard output, locked for the life of the command.
    pub fn stdout() -> Self {
        Output {
            out: std::io::BufWriter::new(std::io::stdout().lock()),
        }
    }

    /// Writes `text` and a newline.
    pub fn line(&mut self, text: &str) {
        let result = self
            .out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.write_all(b"\n"));
        Self::check(result);
    }

    /// Writes what is buffered (also done when dropped, where errors are lost).
    pub fn flush(&mut self) {
        let result = self.out.flush();
        Self::check(result);
    }

    fn check(result: std::io::Result<()>) {
        match result {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                std::process::exit(BROKEN_PIPE_STATUS)
            }
            Err(e) => {
                report(&format!("iam-eval: cannot write the output: {e}"));
                std::process::exit(2)
            }
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        self.flush();
    }
}
