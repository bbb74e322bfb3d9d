//! The human-readable explanation printed by `--explain`.

use iam_engine::explain::{Check, Evaluation, NoteKind, StageOutcome};

fn mark(matched: bool) -> &'static str {
    if matched {
        "✓"
    } else {
        "✗"
    }
}

/// The human-readable explanation printed by `--explain`.
pub fn explain(e: &Evaluation) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!("Decision: {}", e.decision));
    line(String::new());
    line(e.summary.clone());
    line(String::new());
    if !e.notes.is_empty() {
        line("Notes:".to_owned());
        for note in &e.notes {
            let kind = match note.kind {
                NoteKind::ServiceRule if note.decisive => "service rule, decisive",
                NoteKind::ServiceRule => "service rule",
                NoteKind::Undocumented => "not documented by AWS: our choice",
                NoteKind::LanguageRule => "policy language",
            };
            line(format!("  - [{kind}] {}", note.message));
            line(format!("    ({})", note.source));
        }
        line(String::new());
    }
    let r = &e.request;
    line(format!(
        "Request: {} calls {} on {}",
        r.principal_description, r.action, r.resource
    ));
    if let Some(account) = &r.resource_account {
        line(format!(
            "  resource account {account} ({}){}",
            r.resource_account_source,
            if r.cross_account {
                ", cross-account"
            } else {
                ""
            }
        ));
    }
    line(String::new());
    line(
        if e.notes
            .iter()
            .any(|n| n.decisive && n.kind == NoteKind::ServiceRule)
        {
            "Evaluation flow (what the policies alone give; a service rule decided):".to_owned()
        } else {
            "Evaluation flow:".to_owned()
        },
    );
    for (i, step) in e.steps.iter().enumerate() {
        let outcome = serde_json::to_value(step.outcome)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let star = if step.decisive { " ◀ decisive" } else { "" };
        line(format!(
            "  {}. {:<34} {:<15}{star}",
            i + 1,
            step.stage.title(),
            outcome.replace('_', " ")
        ));
        if step.outcome != StageOutcome::NotReached {
            line(format!("       {}", step.detail));
        }
        for level in &step.levels {
            line(format!(
                "       level {}: {} ({})",
                level.level,
                if level.allowed {
                    "allows"
                } else {
                    "does not allow"
                },
                level.policies.join(", ")
            ));
        }
    }
    if let Some(cross) = &e.cross_account {
        line(String::new());
        line(format!(
            "Principal's side ({}): {}",
            cross.principal_account,
            if cross.principal_side.allowed {
                "allows"
            } else {
                "does not allow"
            }
        ));
        for reason in &cross.principal_side.reasons {
            line(format!("  - {reason}"));
        }
        line(format!(
            "Resource's side ({}): {}",
            cross.resource_account,
            if cross.resource_side.allowed {
                "allows"
            } else {
                "does not allow"
            }
        ));
        for reason in &cross.resource_side.reasons {
            line(format!("  - {reason}"));
        }
    }
    line(String::new());
    line("Statements:".to_owned());
    for policy in &e.policies {
        let applies = match &policy.not_applicable_reason {
            Some(reason) => format!(" (does not apply: {reason})"),
            None => String::new(),
        };
        let origin = match &policy.origin {
            Some(origin) => format!(" from {origin}"),
            None => String::new(),
        };
        line(format!(
            "  {} [{}]{origin}{applies}",
            policy.name, policy.policy_type
        ));
        for s in &policy.statements {
            line(format!(
                "    {} {} {}",
                mark(s.matched),
                s.effect,
                policy.statements.at(s).statement
            ));
            for check in &policy.statements.checks(s) {
                let (name, ok, detail) = match check {
                    Check::Action(c) => (
                        "Action",
                        c.matched,
                        c.patterns
                            .iter()
                            .map(|p| format!("{}{}", mark(p.matched), p.pattern))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    Check::Resource(c) => (
                        "Resource",
                        c.matched,
                        c.patterns
                            .iter()
                            .map(|p| match &p.unresolved {
                                Some(key) => format!(
                                    "{}{} (unresolved: ${{{key}}} has no value)",
                                    mark(p.matched),
                                    p.pattern
                                ),
                                None => {
                                    let shown = p.resolved.as_deref().unwrap_or(&p.pattern);
                                    // A pattern too long to build, or shown
                                    // cut: the note gives its length.
                                    match &p.note {
                                        Some(note) => {
                                            format!("{}{shown} ({note})", mark(p.matched))
                                        }
                                        None => format!("{}{shown}", mark(p.matched)),
                                    }
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    Check::Principal(c) => (
                        "Principal",
                        c.matched,
                        c.entries
                            .iter()
                            .map(|p| format!("{}{}", mark(p.matched.is_some()), p.value))
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    Check::Condition(c) => {
                        let mut detail =
                            format!("{} {} = {:?}", c.operator, c.key, c.request_values);
                        let mut seen: Vec<&str> = Vec::new();
                        for key in c.comparisons.iter().filter_map(|x| x.unresolved.as_deref()) {
                            if !seen.contains(&key) {
                                seen.push(key);
                                detail.push_str(&format!(" (unresolved: ${{{key}}} has no value)"));
                            }
                        }
                        ("Condition", c.outcome.is_match(), detail)
                    }
                };
                line(format!("        {} {name}: {detail}", mark(ok)));
            }
        }
    }
    if !e.missing_context_keys.is_empty() {
        line(String::new());
        line("Context keys the policies use but the request does not give:".to_owned());
        for key in &e.missing_context_keys {
            let refs: Vec<String> = key
                .referenced_by
                .iter()
                .map(|r| format!("{}/{}", r.policy, r.statement))
                .collect();
            line(format!("  {} (in {})", key.key, refs.join(", ")));
        }
    }
    out.trim_end().to_owned()
}
