//! `iam-eval matrix SCENARIO`: the results table in the terminal, actions
//! as rows and resources (or principals) as columns.

use std::io::IsTerminal;
use std::process::ExitCode;

use iam_engine::suite::{meets, Case, Verdict};
use iam_engine::Decision;

use crate::io::Output;
use crate::suite::{load, Catalogue};

const USAGE: &str = "usage: iam-eval matrix [--columns resources|principals] SCENARIO|-

Decides every request of SCENARIO and prints a table: one row per action
(and principal or resource, when both vary), one column per resource (or
principal), each cell the decision:
  ✓ allowed   ✗ explicitly denied   · implicitly denied   ! differs from its expect
  ? the action does not act on this resource (AWS would reject the request)
Colours when standard output is a terminal (NO_COLOR turns them off).
Exit status: 0 ok, 1 some request differs from its expect, 2 invalid input.";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Columns {
    Resources,
    Principals,
}

fn parse_args(args: &[String]) -> Result<(Option<Columns>, String), String> {
    let mut columns = None;
    let mut files = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--columns" => {
                columns = Some(match iter.next().map(String::as_str) {
                    Some("resources") => Columns::Resources,
                    Some("principals") => Columns::Principals,
                    _ => return Err("--columns needs resources or principals".to_owned()),
                });
            }
            "-h" | "--help" => return Err(String::new()),
            "-" => files.push(arg.clone()),
            flag if flag.starts_with('-') => return Err(format!("unknown option `{flag}`")),
            _ => files.push(arg.clone()),
        }
    }
    match files.as_slice() {
        [file] => Ok((columns, file.clone())),
        _ => Err("give exactly one SCENARIO file".to_owned()),
    }
}

/// Distinct values in first-seen order.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Vec<&str> = Vec::new();
    let mut set = std::collections::HashSet::new();
    for v in values {
        if set.insert(v) {
            seen.push(v);
        }
    }
    seen
}

/// A row of the table: its label, and each column's request and result.
type Row<'a> = (String, Vec<Option<(&'a Case, &'a Verdict)>>);

struct Paint {
    on: bool,
}

impl Paint {
    fn cell(&self, verdict: &Verdict, failed: bool, rejected: bool) -> (String, usize) {
        let (symbol, colour) = match verdict.decision {
            Decision::Allow => ("✓", "32"),
            Decision::ExplicitDeny => ("✗", "31"),
            Decision::ImplicitDeny => ("·", "33"),
        };
        let text = format!(
            "{symbol}{}{}",
            if rejected { "?" } else { "" },
            if failed { "!" } else { "" }
        );
        let width = text.chars().count();
        if self.on {
            let style = if failed {
                format!("1;{colour};7")
            } else {
                colour.to_owned()
            };
            (format!("\x1b[{style}m{text}\x1b[0m"), width)
        } else {
            (text, width)
        }
    }
}

/// Runs `iam-eval matrix`.
pub fn run(args: &[String]) -> ExitCode {
    let (columns, file) = match parse_args(args) {
        Ok(v) => v,
        Err(message) if message.is_empty() => {
            let mut out = Output::stdout();
            out.line(USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            crate::io::report(&format!("iam-eval matrix: {message}\n\n{USAGE}"));
            return ExitCode::from(2);
        }
    };
    let Ok(loaded) = load(&file, Catalogue::Always) else {
        return ExitCode::from(2);
    };
    let Ok(verdicts) = loaded.policy_set().and_then(|set| loaded.decide_all(&set)) else {
        return ExitCode::from(2);
    };
    let cases = &loaded.cases;
    let resources = distinct(cases.iter().map(|c| c.request.resource.as_str()));
    let principals = distinct(cases.iter().map(|c| c.request.principal.as_str()));
    let columns = columns.unwrap_or(if resources.len() > 1 || principals.len() == 1 {
        Columns::Resources
    } else {
        Columns::Principals
    });
    let (column_values, column_of): (&[&str], fn(&Case) -> &str) = match columns {
        Columns::Resources => (&resources, |c| c.request.resource.as_str()),
        Columns::Principals => (&principals, |c| c.request.principal.as_str()),
    };
    let other_varies = match columns {
        Columns::Resources => principals.len() > 1,
        Columns::Principals => resources.len() > 1,
    };
    let row_of = |c: &Case| -> String {
        if !other_varies {
            return c.request.action.clone();
        }
        match columns {
            Columns::Resources => format!("{}  as {}", c.request.action, c.request.principal),
            Columns::Principals => format!("{}  on {}", c.request.action, c.request.resource),
        }
    };
    // Rows in first-seen order, each with its cells by column.
    let mut rows: Vec<Row<'_>> = Vec::new();
    let mut row_index = std::collections::HashMap::new();
    for (case, verdict) in cases.iter().zip(&verdicts) {
        let key = row_of(case);
        let i = *row_index.entry(key.clone()).or_insert_with(|| {
            rows.push((key, vec![None; column_values.len()]));
            rows.len() - 1
        });
        let column = column_values.iter().position(|v| *v == column_of(case));
        if let (Some(row), Some(column)) = (rows.get_mut(i), column) {
            if let Some(cell) = row.1.get_mut(column) {
                *cell = Some((case, verdict));
            }
        }
    }
    let paint = Paint {
        on: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let label_width = rows
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let headers: Vec<String> = (1..=column_values.len())
        .map(|i| format!("[{i}]"))
        .collect();
    let widths: Vec<usize> = headers.iter().map(|h| h.len().max(2)).collect();
    let mut out = Output::stdout();
    let mut header = format!("{:<label_width$}", "action");
    for (h, w) in headers.iter().zip(&widths) {
        header.push_str(&format!("  {h:>w$}"));
    }
    out.line(header.trim_end());
    let (mut allowed, mut explicit, mut implicit, mut failed) = (0, 0, 0, 0);
    for (label, cells) in &rows {
        let mut line = format!("{label:<label_width$}");
        for (cell, w) in cells.iter().zip(&widths) {
            let (text, width) = match cell {
                Some((case, verdict)) => {
                    match verdict.decision {
                        Decision::Allow => allowed += 1,
                        Decision::ExplicitDeny => explicit += 1,
                        Decision::ImplicitDeny => implicit += 1,
                    }
                    let fails = case.expect.as_ref().is_some_and(|e| !meets(e, verdict));
                    failed += usize::from(fails);
                    paint.cell(verdict, fails, !case.warnings.is_empty())
                }
                None => (String::new(), 0),
            };
            line.push_str(&format!("  {}{text}", " ".repeat(w.saturating_sub(width))));
        }
        out.line(line.trim_end());
    }
    out.line("");
    let what = match columns {
        Columns::Resources => "resource",
        Columns::Principals => "principal",
    };
    for (h, v) in headers.iter().zip(column_values) {
        out.line(&format!("{h} {what} {v}"));
    }
    let mut wildcards: Vec<(&str, usize)> = Vec::new();
    for case in cases {
        if let Some(w) = &case.expanded_from {
            match wildcards.iter_mut().find(|(p, _)| *p == w.as_str()) {
                Some(entry) => entry.1 += 1,
                None => wildcards.push((w, 1)),
            }
        }
    }
    for (pattern, n) in wildcards {
        out.line(&format!("`{pattern}` expanded to {n} requests"));
    }
    let rejected = cases.iter().filter(|c| !c.warnings.is_empty()).count();
    if rejected > 0 {
        out.line(&format!(
            "{rejected} requests name a resource their action does not act on (?): AWS would reject them"
        ));
    }
    out.line(&format!(
        "{} requests: {allowed} allowed (✓), {explicit} explicitly denied (✗), {implicit} implicitly denied (·){}",
        cases.len(),
        if failed > 0 {
            format!(", {failed} differ from their expect (!)")
        } else {
            String::new()
        }
    ));
    out.flush();
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
