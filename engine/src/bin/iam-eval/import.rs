//! `iam-eval import`: the scenario of one principal of an account exported
//! with `aws iam get-account-authorization-details`, the list of its
//! principals, or who of them can do an action on a resource
//! (`--who-can`, in [`who_can`]).

mod who_can;

use std::process::ExitCode;

use iam_engine::account::{read_account, Account, ImportOptions};
use iam_engine::scenario::DocumentStyle;

use crate::io::{read_input_within, Output};

/// Largest account file read: real exports run to tens of MB.
const ACCOUNT_FILE_LIMIT: usize = 512 << 20;

const USAGE: &str = "usage: iam-eval import DETAILS.json... --principal ARN|NAME [--session NAME]
                       [--action ACTION] [--resource ARN] [--output FILE]
       iam-eval import DETAILS.json... --list [--search TEXT]
       iam-eval import DETAILS.json... --who-can ACTION --resource ARN [...]
                       (who of the account may: `--who-can X --help` says more)

Reads the output of `aws iam get-account-authorization-details` (several files:
the pages of a paginated export) and writes the scenario of one principal as
JSON: every policy AWS evaluates for it (its own inline and attached, each
group's, its permissions boundary), each with its `origin`, and its tags as
`principal_tags` (the engine derives aws:PrincipalTag/... from them).
  --principal P    a user, role or group ARN, a role session ARN
                   (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION), or a unique name
  --session NAME   a role's session name (default simulated-session)
  --action A       the request's action (default s3:ListAllMyBuckets)
  --resource R     the request's resource (default *); for sts:AssumeRole* on a
                   role of the files, that role's trust policy is added as the
                   resource-based policy
  --output FILE    write the scenario to FILE instead of standard output
  --list           list the users, groups and roles (kind, ARN, policies), one a line
  --search TEXT    with --list: only those whose name, path or ARN contains TEXT
Managed policies attached but not in the files are listed on standard error
and left out (the decision may then differ from AWS's).
Exit status: 0 ok, 2 invalid input or unknown principal.";

#[derive(Default)]
struct Options {
    files: Vec<String>,
    principal: Option<String>,
    list: bool,
    search: Option<String>,
    output: Option<String>,
    import: ImportOptions,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut iter = args.iter();
    let value = |flag: &str, iter: &mut std::slice::Iter<'_, String>| {
        iter.next()
            .cloned()
            .ok_or_else(|| format!("{flag} needs a value"))
    };
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--principal" => o.principal = Some(value(arg, &mut iter)?),
            "--session" => o.import.session = Some(value(arg, &mut iter)?),
            "--action" => o.import.action = Some(value(arg, &mut iter)?),
            "--resource" => o.import.resource = Some(value(arg, &mut iter)?),
            "--output" | "-o" => o.output = Some(value(arg, &mut iter)?),
            "--search" => o.search = Some(value(arg, &mut iter)?),
            "--list" => o.list = true,
            "-h" | "--help" => return Err(String::new()),
            "-" => o.files.push(arg.clone()),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            _ => o.files.push(arg.clone()),
        }
    }
    if o.files.is_empty() {
        return Err("give one or more DETAILS.json files (the output of `aws iam get-account-authorization-details`)".to_owned());
    }
    match (o.list, &o.principal) {
        (true, Some(_)) => Err("--list and --principal cannot be combined".to_owned()),
        (false, None) => Err("give --principal ARN (or --list to see the principals)".to_owned()),
        _ => Ok(o),
    }
}

/// Runs `iam-eval import ARGS...` (the arguments after `import`).
pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "--who-can") {
        return who_can::run(args);
    }
    let options = match parse_args(args) {
        Ok(o) => o,
        Err(message) if message.is_empty() => {
            crate::io::Output::stdout().line(USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            crate::io::report(&format!("iam-eval import: {message}\n\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let Some(account) = read_files(&options.files) else {
        return ExitCode::from(2);
    };
    let mut out = Output::stdout();
    if options.list {
        let query = options.search.as_deref().unwrap_or("");
        for p in account.search(query, usize::MAX) {
            let noun = if p.policies == 1 {
                "policy"
            } else {
                "policies"
            };
            out.line(&format!(
                "{}\t{}\t{} {noun}",
                p.kind.as_str(),
                p.arn,
                p.policies
            ));
        }
        return ExitCode::SUCCESS;
    }
    let principal = options.principal.as_deref().unwrap_or_default();
    let imported = match account.import(principal, &options.import) {
        Ok(i) => i,
        Err(d) => {
            crate::io::report(&format!("{d}"));
            return ExitCode::from(2);
        }
    };
    for m in &imported.missing {
        crate::io::report(&format!(
            "warning: `{}` ({}) is left out: {} ({})",
            m.name, m.arn, m.reason, m.origin
        ));
    }
    for d in &imported.diagnostics {
        crate::io::report(&format!("{d}"));
    }
    if imported.diagnostics.iter().any(|d| d.is_error()) {
        return ExitCode::from(2);
    }
    let json = imported.scenario.to_json(DocumentStyle::Embedded);
    match &options.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, json) {
                crate::io::report(&format!("iam-eval import: cannot write `{path}`: {e}"));
                return ExitCode::from(2);
            }
        }
        None => {
            out.line(json.trim_end());
        }
    }
    ExitCode::SUCCESS
}

/// Reads the account files (`-` is standard input) and reports their
/// problems on standard error; `None` when any is an error.
fn read_files(files: &[String]) -> Option<Account> {
    let mut texts = Vec::with_capacity(files.len());
    for file in files {
        match read_input_within(
            file,
            "account file",
            ACCOUNT_FILE_LIMIT,
            "split the export into several files (aws iam get-account-authorization-details pages its output)",
        ) {
            Ok(text) => {
                let name = if file == "-" {
                    "<stdin>"
                } else {
                    file.as_str()
                };
                texts.push((name.to_owned(), text));
            }
            Err(message) => {
                crate::io::report(&format!("iam-eval import: {message}"));
                return None;
            }
        }
    }
    let read = read_account(&texts);
    drop(texts);
    for d in &read.diagnostics {
        crate::io::report(&format!("{d}"));
    }
    if read.has_errors() {
        return None;
    }
    Some(read.account)
}
