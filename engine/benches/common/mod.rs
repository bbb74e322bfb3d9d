//! Deterministic policies and scenarios for the benchmarks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test and benchmark code: a failure should stop the run loudly"
)]
#![allow(dead_code, reason = "each benchmark uses some of these builders")]

use iam_engine::request::{ContextScalar, ContextValue};
use iam_engine::scenario::RequestInput;
use iam_engine::{PolicyType, Scenario, ScenarioPolicy};

/// One statement, varied by `i`; every `condition_every`-th statement gets a
/// condition block.
pub fn statement(i: usize, with_condition: bool) -> String {
    let services = ["s3", "ec2", "dynamodb", "sqs", "kms"];
    let service = services[i % services.len()];
    let condition = if with_condition {
        match i % 3 {
            0 => r#", "Condition": {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}"#.to_owned(),
            1 => r#", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}"#.to_owned(),
            _ => r#", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}"#.to_owned(),
        }
    } else {
        String::new()
    };
    // Two actions and one or two resources; every fifth statement uses a
    // policy variable.
    let resources = if i % 5 == 0 {
        format!(
            r#""arn:aws:{service}:us-east-1:111122223333:thing/team{i}/*", "arn:aws:s3:::bucket-{i}/${{aws:username}}/*""#
        )
    } else {
        format!(r#""arn:aws:{service}:us-east-1:111122223333:thing/team{i}/*""#)
    };
    format!(
        r#"    {{
      "Sid": "Statement{i}",
      "Effect": "{}",
      "Action": ["{service}:Get*", "{service}:Describe{i}"],
      "Resource": [{resources}]{condition}
    }}"#,
        if i % 7 == 6 { "Deny" } else { "Allow" }
    )
}

/// A policy of `count` statements, the first `conditions` with conditions.
pub fn policy(count: usize, conditions: usize, offset: usize) -> String {
    let statements: Vec<String> = (0..count)
        .map(|i| statement(offset + i, i < conditions))
        .collect();
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n{}\n  ]\n}}",
        statements.join(",\n")
    )
}

/// A managed policy of just under 6,144 characters without whitespace
/// (AWS's limit for managed policies).
pub fn managed_policy_6144() -> String {
    let mut count = 1;
    loop {
        let next = policy(count + 1, (count + 1) / 3, 0);
        if next.chars().filter(|c| !c.is_whitespace()).count() > 6_144 {
            return policy(count, count / 3, 0);
        }
        count += 1;
    }
}

/// A scenario of `policies` identity policies with `statements` each.
pub fn scenario(policies: usize, statements: usize, conditions_per_policy: usize) -> Scenario {
    let policies = (0..policies)
        .map(|p| {
            ScenarioPolicy::new(
                format!("Policy{p}"),
                PolicyType::Identity,
                policy(statements, conditions_per_policy, p * statements),
            )
        })
        .collect();
    Scenario {
        name: None,
        description: None,
        rule: None,
        policies,
        request: RequestInput {
            principal: "arn:aws:iam::111122223333:user/alice".to_owned(),
            action: "s3:GetObject".to_owned(),
            resource: "arn:aws:s3:::bucket-5/alice/report.csv".to_owned(),
            resource_account: None,
            principal_tags: Vec::new(),
            context: vec![
                (
                    "aws:SourceIp".to_owned(),
                    ContextValue::Single(ContextScalar::String("203.0.113.7".into())),
                ),
                (
                    "aws:MultiFactorAuthPresent".to_owned(),
                    ContextValue::Single(ContextScalar::Bool(true)),
                ),
                (
                    "aws:RequestedRegion".to_owned(),
                    ContextValue::string("us-east-1"),
                ),
            ],
            spans: Default::default(),
        },
        expect: None,
        requests: Default::default(),
    }
}

/// The typical scenario of the budget: 5 policies (identity, boundary, SCP,
/// resource-based, session), 30 statements, 10 conditions.
pub fn typical_scenario() -> Scenario {
    let mut s = scenario(2, 6, 2);
    let kinds = [
        (PolicyType::PermissionsBoundary, "Boundary"),
        (PolicyType::Scp, "OrgRoot"),
    ];
    for (i, (t, name)) in kinds.into_iter().enumerate() {
        // Five generated statements after a full-access one, as an SCP
        // (FullAWSAccess) or a broad boundary usually starts.
        let statements: Vec<String> = (0..5).map(|k| statement(100 + i * 6 + k, k < 2)).collect();
        let text = format!(
            "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\"Sid\": \"FullAccess\", \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}},\n{}\n  ]\n}}",
            statements.join(",\n")
        );
        let mut p = ScenarioPolicy::new(name, t, text);
        if t == PolicyType::Scp {
            p.level = Some("root".to_owned());
        }
        s.policies.push(p);
    }
    let bucket = r#"{"Version": "2012-10-17", "Statement": [
      {"Sid": "A0", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket-5/*", "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}},
      {"Sid": "A1", "Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::bucket-5"},
      {"Sid": "D0", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::bucket-5/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
      {"Sid": "A2", "Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bucket-5/*"},
      {"Sid": "A3", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::bucket-5/*"},
      {"Sid": "A4", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/bob"}, "Action": "s3:*", "Resource": "arn:aws:s3:::bucket-5/*"}
    ]}"#;
    s.policies
        .push(ScenarioPolicy::new("Bucket", PolicyType::Resource, bucket));
    s
}

/// A criterion measurement of the benchmark thread's CPU time.
///
/// On a shared machine, wall-clock time includes the time the OS gives to
/// other processes; the thread's CPU time does not, so it is the stable
/// figure for our 2-core CI machine. `BENCH_CLOCK=wall` selects wall-clock
/// time instead.
pub struct ThreadCpuTime;

static WALL: criterion::measurement::WallTime = criterion::measurement::WallTime;

impl criterion::measurement::Measurement for ThreadCpuTime {
    type Intermediate = cpu_time::ThreadTime;
    type Value = std::time::Duration;

    fn start(&self) -> Self::Intermediate {
        cpu_time::ThreadTime::now()
    }

    fn end(&self, start: Self::Intermediate) -> Self::Value {
        start.elapsed()
    }

    fn add(&self, v1: &Self::Value, v2: &Self::Value) -> Self::Value {
        *v1 + *v2
    }

    fn zero(&self) -> Self::Value {
        std::time::Duration::ZERO
    }

    fn to_f64(&self, value: &Self::Value) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn criterion::measurement::ValueFormatter {
        criterion::measurement::Measurement::formatter(&WALL)
    }
}

/// Whether to measure wall-clock time (`BENCH_CLOCK=wall`) instead of CPU time.
pub fn wall_clock() -> bool {
    std::env::var("BENCH_CLOCK").is_ok_and(|v| v == "wall")
}

/// Runs a benchmark binary's benchmarks with the clock `BENCH_CLOCK` selects:
/// `cpu` is `run` instantiated for [`ThreadCpuTime`], `wall` for wall-clock time.
pub fn run_benches(
    cpu: fn(&mut criterion::Criterion<ThreadCpuTime>),
    wall: fn(&mut criterion::Criterion<criterion::measurement::WallTime>),
) {
    if wall_clock() {
        let mut c = criterion::Criterion::default().configure_from_args();
        wall(&mut c);
        c.final_summary();
    } else {
        let mut c = criterion::Criterion::default()
            .with_measurement(ThreadCpuTime)
            .configure_from_args();
        cpu(&mut c);
        c.final_summary();
    }
}
