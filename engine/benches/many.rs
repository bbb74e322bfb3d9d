//! Many requests end to end: the real `iam-eval` binary (release build of
//! the bench profile) spawned on generated files, wall-clock time including
//! starting the process, reading the input and writing the results.
//!
//! - `iam-eval test` on a suite of 10,000 requests against the typical
//!   policy set (budget 50 ms);
//! - `iam-eval --batch --output decision` on 20,000 typical scenarios whose
//!   policy texts all differ (budget 60 µs per scenario);
//! - the typical policy set × every action of the catalogue × one resource
//!   (`"actions": ["*"]`, about 21,800 requests; budget 100 ms).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and benchmark code: a failure should stop the run loudly"
)]

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use std::time::Duration;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput};
use iam_engine::scenario::DocumentStyle;
use iam_engine::suite::PolicySet;

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join("iam-eval-bench");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the binary; checks its exit status; returns its standard output's size.
fn iam_eval(args: &[&str], expected_status: i32) -> usize {
    let out = Command::new(env!("CARGO_BIN_EXE_iam-eval"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(expected_status),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout.len()
}

/// The typical scenario as JSON, without its closing brace (so lists can
/// be appended).
fn typical_head(variant: Option<usize>) -> String {
    let mut text = common::typical_scenario().to_json(DocumentStyle::Embedded);
    if let Some(i) = variant {
        // Every policy text differs: resource patterns and Sids carry `i`.
        text = text
            .replace("thing/team", &format!("thing/v{i}-team"))
            .replace("\"Sid\": \"Statement", &format!("\"Sid\": \"V{i}Statement"));
    }
    let end = text.trim_end().trim_end_matches('}').trim_end().len();
    text.truncate(end);
    text
}

/// A suite of `n` requests against the typical policy set, each expecting
/// what the engine decides (so the run passes).
fn suite_file(n: usize) -> PathBuf {
    let actions = [
        "s3:GetObject",
        "s3:PutObject",
        "s3:ListBucket",
        "ec2:GetConsoleOutput",
        "ec2:Describe3",
        "dynamodb:GetItem",
        "sqs:GetQueueUrl",
        "kms:GetKeyPolicy",
        "iam:CreateUser",
        "s3:DeleteObject",
    ];
    let mut text = common::typical_scenario().to_json(DocumentStyle::Embedded);
    let scenario = iam_engine::Scenario::parse(&text).scenario.unwrap();
    let set = PolicySet::prepare(&scenario).unwrap();
    let end = text.trim_end().trim_end_matches('}').trim_end().len();
    text.truncate(end);
    text.push_str(",\n  \"requests\": [\n");
    for i in 0..n {
        let action = actions[i % actions.len()];
        let resource = match i % 4 {
            0 => format!("arn:aws:s3:::bucket-5/alice/r{i}.csv"),
            1 => format!("arn:aws:s3:::bucket-{}/k{i}", i % 50),
            2 => format!(
                "arn:aws:ec2:us-east-1:111122223333:thing/team{}/x{i}",
                i % 30
            ),
            _ => format!(
                "arn:aws:dynamodb:us-east-1:111122223333:thing/team{}/t",
                i % 30
            ),
        };
        let mut input = scenario.request.clone();
        input.action = action.to_owned();
        input.resource = resource.clone();
        let decision = set.decide(&input).unwrap().decision;
        text.push_str(&format!(
            "    {{ \"name\": \"case {i}\", \"principal\": \"arn:aws:iam::111122223333:user/alice\", \"action\": \"{action}\", \"resource\": \"{resource}\",\n      \"context\": {{ \"aws:SourceIp\": \"203.0.113.7\", \"aws:MultiFactorAuthPresent\": true, \"aws:RequestedRegion\": \"us-east-1\" }},\n      \"expect\": {{ \"decision\": \"{decision}\" }} }}{}\n",
            if i + 1 < n { "," } else { "" }
        ));
    }
    text.push_str("  ]\n}\n");
    let path = dir().join(format!("suite-{n}.json"));
    std::fs::write(&path, text).unwrap();
    path
}

/// A batch of `n` typical scenarios whose policy texts all differ.
fn batch_file(n: usize) -> PathBuf {
    let path = dir().join(format!("batch-{n}.json"));
    let mut text = String::from("[\n");
    for i in 0..n {
        text.push_str(&typical_head(Some(i)));
        text.push_str("\n}");
        text.push_str(if i + 1 < n { ",\n" } else { "\n" });
    }
    text.push_str("]\n");
    std::fs::write(&path, text).unwrap();
    path
}

/// The typical policy set × every catalogue action × one resource.
fn every_action_file() -> PathBuf {
    let mut text = typical_head(None);
    text.push_str(",\n  \"matrix\": { \"principals\": [\"arn:aws:iam::111122223333:user/alice\"], \"actions\": [\"*\"],\n    \"resources\": [\"arn:aws:s3:::bucket-5/alice/report.csv\"],\n    \"context\": { \"aws:SourceIp\": \"203.0.113.7\", \"aws:MultiFactorAuthPresent\": true, \"aws:RequestedRegion\": \"us-east-1\" } }\n}\n");
    let path = dir().join("every-action.json");
    std::fs::write(&path, text).unwrap();
    path
}

fn run<M: Measurement + 'static>(c: &mut Criterion<M>) {
    let suite = suite_file(10_000);
    let suite = suite.to_str().unwrap();
    let mut group = c.benchmark_group("iam-eval end to end");
    group.sample_size(20);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("test: 10,000 requests, one policy set", |b| {
        b.iter(|| iam_eval(&["test", suite], 0))
    });
    let every = every_action_file();
    let every = every.to_str().unwrap();
    if std::env::var_os("BENCH_SKIP_CATALOGUE").is_none() {
        group.throughput(Throughput::Elements(1));
        group.bench_function(
            "typical policies x every catalogue action x 1 resource, decisions",
            |b| b.iter(|| iam_eval(&["--output", "decision", every], 0)),
        );
    }
    let n = 20_000;
    let batch = batch_file(n);
    let batch = batch.to_str().unwrap();
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(
        "--batch --output decision: 20,000 typical scenarios, all texts differ",
        |b| b.iter(|| iam_eval(&["--batch", "--output", "decision", batch], 0)),
    );
    group.finish();
}

/// CPU time (user + system) of the child processes this process waited
/// for: what `iam-eval` itself spent, whatever else the shared machine runs.
/// `BENCH_CLOCK=wall` measures wall-clock time instead (process start
/// included either way).
struct ChildCpuTime;

/// The user and system time of the waited-for children, from
/// `/proc/self/stat` (`cutime` and `cstime`, in USER_HZ = 100 ticks a
/// second: 10 ms steps, so each sample runs many iterations).
fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the command name (which is in parentheses): state is
    // field 3, cutime field 16 and cstime field 17.
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<u64> = rest
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks = fields[16 - 3] + fields[17 - 3];
    Duration::from_millis(ticks * 10)
}

impl Measurement for ChildCpuTime {
    type Intermediate = Duration;
    type Value = Duration;

    fn start(&self) -> Duration {
        children_cpu()
    }

    fn end(&self, start: Duration) -> Duration {
        children_cpu().saturating_sub(start)
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        WallTime.formatter()
    }
}

fn main() {
    if common::wall_clock() {
        let mut c = Criterion::default().configure_from_args();
        run(&mut c);
        c.final_summary();
    } else {
        let mut c = Criterion::default()
            .with_measurement(ChildCpuTime)
            .configure_from_args();
        run(&mut c);
        c.final_summary();
    }
}
