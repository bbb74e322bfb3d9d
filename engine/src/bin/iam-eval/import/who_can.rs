//! `iam-eval import DETAILS.json... --who-can ACTION --resource ARN`: one
//! request decided for every user and role of an account (or the chosen
//! ones), as a table or as JSON.

use std::process::ExitCode;

use iam_engine::account::{Account, RowOutcome, WhoCan, WhoCanQuery, WhoCanRow};
use iam_engine::request::{ContextScalar, ContextValue};
use iam_engine::{Decision, PolicyType, ScenarioPolicy};

use crate::io::{read_input_within, Output};

pub const USAGE: &str =
    "usage: iam-eval import DETAILS.json... --who-can ACTION [--who-can ACTION...]
                       --resource ARN [--resource-policy FILE] [--resource-account ID]
                       [--context KEY=VALUE...] [--principal ARN|NAME...] [--kind user|role]
                       [--session NAME] [--format text|json] [--fail-if-allowed]

Decides one request for every user and role of the account (a role as a
session of the role) with its own policies (inline, attached, its groups',
its permissions boundary, its tags), and prints one row per principal: the
decision, and the statement that decided it with its policy's origin.
  --who-can ACTION        the action (repeat, or separate with commas, for several)
  --resource ARN          the resource (default *)
  --resource-policy FILE  a resource-based policy (e.g. the bucket policy) added
                          to every principal's policies
  --resource-account ID   the resource's account, when its ARN does not say
  --context KEY=VALUE     a context key of the request (repeat a key for a list)
  --principal P           only these principals (repeat); a group means its
                          member users (groups are not principals)
  --kind user|role        only users, or only roles
  --session NAME          the session name of roles (default simulated-session)
  --format text|json      a table (default) or JSON for tools
  --fail-if-allowed       exit 1 when any row is allowed (\"nobody may ...\" in CI)
Rows whose principal has attached managed policies the files lack are marked:
the decision may then differ from AWS's.
Exit status: 0 checked, 1 --fail-if-allowed and someone is allowed, 2 invalid
input or unknown principal.";

#[derive(Default)]
struct Options {
    query: WhoCanQuery,
    resource_policy: Option<String>,
    principals: Vec<String>,
    kind: Option<String>,
    json: bool,
    fail_if_allowed: bool,
}

/// Reads the `--who-can` options out of `args` (the files are read by the
/// caller); `Err` with a message, or an empty one for `--help`.
fn parse_args(args: &[String]) -> Result<(Vec<String>, Options), String> {
    let mut files = Vec::new();
    let mut o = Options::default();
    o.query.resource = "*".to_owned();
    let mut iter = args.iter();
    let value = |flag: &str, iter: &mut std::slice::Iter<'_, String>| {
        iter.next()
            .cloned()
            .ok_or_else(|| format!("{flag} needs a value"))
    };
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--who-can" => {
                let actions = value(arg, &mut iter)?;
                o.query.actions.extend(
                    actions
                        .split(',')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(str::to_owned),
                );
            }
            "--resource" => o.query.resource = value(arg, &mut iter)?,
            "--resource-policy" => o.resource_policy = Some(value(arg, &mut iter)?),
            "--resource-account" => o.query.resource_account = Some(value(arg, &mut iter)?),
            "--session" => o.query.session = Some(value(arg, &mut iter)?),
            "--principal" => o.principals.push(value(arg, &mut iter)?),
            "--kind" => {
                match value(arg, &mut iter)?.as_str() {
                    kind @ ("user" | "role") => o.kind = Some(kind.to_owned()),
                    "group" => return Err(
                        "groups are not principals: give --principal GROUP to check its members"
                            .to_owned(),
                    ),
                    other => return Err(format!("unknown kind `{other}` (give `user` or `role`)")),
                }
            }
            "--context" => {
                let pair = value(arg, &mut iter)?;
                let Some((key, v)) = pair.split_once('=') else {
                    return Err(format!("`{pair}` is not KEY=VALUE"));
                };
                add_context(&mut o.query.context, key.trim(), v);
            }
            "--format" => match value(arg, &mut iter)?.as_str() {
                "text" => o.json = false,
                "json" => o.json = true,
                other => return Err(format!("unknown format `{other}` (give `text` or `json`)")),
            },
            "--fail-if-allowed" => o.fail_if_allowed = true,
            "-h" | "--help" => return Err(String::new()),
            "-" => files.push(arg.clone()),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            _ => files.push(arg.clone()),
        }
    }
    if files.is_empty() {
        return Err("give one or more DETAILS.json files (the output of `aws iam get-account-authorization-details`)".to_owned());
    }
    if o.query.actions.is_empty() {
        return Err("--who-can needs an action, e.g. --who-can s3:GetObject".to_owned());
    }
    Ok((files, o))
}

/// Adds `key=value` to the context; a key given again becomes a list.
fn add_context(context: &mut Vec<(String, ContextValue)>, key: &str, value: &str) {
    let scalar = ContextScalar::from(value);
    match context.iter_mut().find(|(k, _)| k == key) {
        Some((_, ContextValue::List(items))) => items.push(scalar),
        Some((_, existing)) => {
            if let ContextValue::Single(first) = existing.clone() {
                *existing = ContextValue::List(vec![first, scalar]);
            }
        }
        None => context.push((key.to_owned(), ContextValue::Single(scalar))),
    }
}

/// Runs `iam-eval import … --who-can …`.
pub fn run(args: &[String]) -> ExitCode {
    let (files, mut options) = match parse_args(args) {
        Ok(parsed) => parsed,
        Err(message) if message.is_empty() => {
            Output::stdout().line(USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            crate::io::report(&format!("iam-eval import: {message}\n\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    if let Some(file) = &options.resource_policy {
        let text = match read_input_within(
            file,
            "policy",
            iam_engine::limits::MAX_POLICY_BYTES,
            iam_engine::limits::TOO_LARGE_POLICY_HELP,
        ) {
            Ok(text) => text,
            Err(message) => {
                crate::io::report(&format!("iam-eval import: {message}"));
                return ExitCode::from(2);
            }
        };
        let name = std::path::Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty() && *file != "-")
            .unwrap_or("ResourcePolicy");
        let mut policy = ScenarioPolicy::new(name, PolicyType::Resource, text);
        policy.origin = Some(format!("resource-based policy {file}"));
        options.query.resource_policy = Some(policy);
    }
    let Some(account) = super::read_files(&files) else {
        return ExitCode::from(2);
    };
    let principals = if options.principals.is_empty() {
        account.who_can_all()
    } else {
        match account.who_can_principals(&options.principals) {
            Ok(p) => p,
            Err(d) => {
                crate::io::report(&format!("{d}"));
                return ExitCode::from(2);
            }
        }
    };
    let principals: Vec<_> = principals
        .into_iter()
        .filter(|(kind, _)| options.kind.as_deref().is_none_or(|k| k == kind.as_str()))
        .collect();
    let answer = match account.who_can(&principals, &options.query) {
        Ok(answer) => answer,
        Err(errors) => {
            for d in &errors {
                crate::io::report(&format!("{d}"));
            }
            return ExitCode::from(2);
        }
    };
    let mut out = Output::stdout();
    if options.json {
        out.line(&iam_engine::json::write::to_json_string(&answer.to_json()).unwrap_or_default());
    } else {
        print_table(&mut out, &account, &answer, &options.query);
    }
    let allowed = answer
        .rows
        .iter()
        .any(|r| r.decision() == Some(Decision::Allow));
    if options.fail_if_allowed && allowed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `✓ Allow`, `✗ ExplicitDeny`, `· ImplicitDeny` or `! error`.
fn decision_cell(row: &WhoCanRow) -> &'static str {
    match row.decision() {
        Some(Decision::Allow) => "✓ Allow",
        Some(Decision::ExplicitDeny) => "✗ ExplicitDeny",
        Some(Decision::ImplicitDeny) => "· ImplicitDeny",
        None => "! error",
    }
}

/// What decided the row, for people.
fn deciding_cell(row: &WhoCanRow) -> String {
    let mut cell = match &row.outcome {
        RowOutcome::Decided {
            deciding, stage, ..
        } if deciding.is_empty() => match stage {
            Some(stage) => format!("no allow ({})", stage.title()),
            None => "no allow".to_owned(),
        },
        RowOutcome::Decided { deciding, .. } => deciding
            .iter()
            .map(|d| {
                let origin = d
                    .origin
                    .as_deref()
                    .map(|o| format!(" ({o})"))
                    .unwrap_or_default();
                format!("{}/{}{origin}", d.policy, d.statement)
            })
            .collect::<Vec<_>>()
            .join("; "),
        RowOutcome::Invalid { diagnostics } => diagnostics
            .first()
            .map(|d| format!("{d}"))
            .unwrap_or_default(),
    };
    if !row.missing.is_empty() {
        cell.push_str(&format!(
            " [may differ: {} not in the files]",
            row.missing.join(", ")
        ));
    }
    cell
}

fn print_table(out: &mut Output, account: &Account, answer: &WhoCan, query: &WhoCanQuery) {
    let several = query.actions.len() > 1;
    let width = |f: &dyn Fn(&WhoCanRow) -> usize, title: &str| {
        answer
            .rows
            .iter()
            .map(f)
            .chain([title.chars().count()])
            .max()
            .unwrap_or(0)
    };
    let w_decision = width(&|r| decision_cell(r).chars().count(), "DECISION");
    let w_name = width(&|r| r.name.chars().count(), "PRINCIPAL");
    let w_action = width(&|r| r.action.chars().count(), "ACTION");
    let pad = |text: &str, w: usize| {
        let n = text.chars().count();
        format!("{text}{}", " ".repeat(w.saturating_sub(n)))
    };
    let action_head = if several {
        format!("{}  ", pad("ACTION", w_action))
    } else {
        String::new()
    };
    out.line(&format!(
        "{}  KIND  {}  {action_head}DECIDING",
        pad("DECISION", w_decision),
        pad("PRINCIPAL", w_name)
    ));
    for row in &answer.rows {
        let action = if several {
            format!("{}  ", pad(&row.action, w_action))
        } else {
            String::new()
        };
        out.line(
            format!(
                "{}  {}  {}  {action}{}",
                pad(decision_cell(row), w_decision),
                pad(row.kind.as_str(), 4),
                pad(&row.name, w_name),
                deciding_cell(row)
            )
            .trim_end(),
        );
    }
    let [allow, explicit, implicit, invalid] = answer.counts();
    let mut summary =
        format!("{allow} allowed, {explicit} explicitly denied, {implicit} implicitly denied");
    if invalid > 0 {
        summary.push_str(&format!(", {invalid} not decided (errors)"));
    }
    let principals = answer
        .rows
        .iter()
        .map(|r| (r.kind, r.index))
        .collect::<std::collections::HashSet<_>>()
        .len();
    summary.push_str(&format!(
        ": {} on {} for {principals} of {} users and roles",
        query.actions.join(", "),
        query.resource,
        account.users.len() + account.roles.len()
    ));
    out.line(&summary);
}
