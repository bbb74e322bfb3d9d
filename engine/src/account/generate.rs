//! Synthetic `get-account-authorization-details` files for tests and
//! benchmarks: deterministic for a seed, from a few kilobytes to tens of
//! megabytes.
//!
//! Every file starts with the same named principals, which the account
//! corpus (`tests/account/`) relies on:
//!
//! - group `Developers` (path `/teams/`): attached customer managed policy
//!   `DeveloperAccess` (three versions; the default, `v3`, allows
//!   `s3:GetObject` and `s3:PutObject` on `arn:aws:s3:::dev-bucket/*`, an
//!   older one allowed `s3:*` on everything) and inline `AssumeDeploy`
//!   (allows `sts:AssumeRole` on `DeployRole`);
//! - user `alice`: only in `Developers`, tag `team=dev`;
//! - user `bob`: attached AWS managed `AmazonS3FullAccess` (in the file) and
//!   `ReadOnlyAccess` (not in the file), permissions boundary
//!   `S3ReadOnlyBoundary` (allows `s3:Get*` and `s3:List*`);
//! - user `carol` (tag `project=apollo`): inline `S3All` (allows `s3:*`),
//!   inline `DenyDeletes` (denies `s3:DeleteObject`; URL-encoded), inline
//!   `StartOwnProject` (allows `ec2:StartInstances` when the instance's
//!   `project` tag equals her own, through `${aws:PrincipalTag/project}`);
//! - user `dave`: inline `AssumeAnything` (allows `sts:AssumeRole` on `*`);
//!   `DeployRole` does not trust him;
//! - role `DeployRole` (path `/ci/`, tag `env=prod`): trust policy naming
//!   `alice` (URL-encoded), attached `DeployPolicy` (allows `s3:PutObject`
//!   on `arn:aws:s3:::deploy-artifacts/*` when `aws:PrincipalTag/env` is
//!   `prod`), an instance profile and `RoleLastUsed`.
//!
//! Then seeded filler until the file reaches the wanted size: users in
//! random groups with inline and attached policies, roles with trust
//! policies and boundaries, customer managed policies with several
//! versions; documents as objects or URL-encoded text at random.

/// The account id of generated files.
pub const ACCOUNT: &str = "111122223333";

/// A JSON value written in a fixed member order.
enum V {
    S(String),
    B(bool),
    N(u64),
    A(Vec<V>),
    O(Vec<(&'static str, V)>),
}

fn s(text: impl Into<String>) -> V {
    V::S(text.into())
}

fn quote(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `v` as the AWS CLI does: four spaces per level.
fn write(out: &mut String, v: &V, depth: usize) {
    let pad = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("    ");
        }
    };
    match v {
        V::S(text) => quote(out, text),
        V::B(b) => out.push_str(if *b { "true" } else { "false" }),
        V::N(n) => out.push_str(&n.to_string()),
        V::A(items) if items.is_empty() => out.push_str("[]"),
        V::A(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(out, depth + 1);
                write(out, item, depth + 1);
            }
            pad(out, depth);
            out.push(']');
        }
        V::O(members) if members.is_empty() => out.push_str("{}"),
        V::O(members) => {
            out.push('{');
            for (i, (key, value)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(out, depth + 1);
                quote(out, key);
                out.push_str(": ");
                write(out, value, depth + 1);
            }
            pad(out, depth);
            out.push('}');
        }
    }
}

/// Compact JSON text, URL-encoded as the IAM API returns documents.
fn url_encoded(v: &V) -> String {
    fn compact(out: &mut String, v: &V) {
        match v {
            V::S(text) => quote(out, text),
            V::B(b) => out.push_str(if *b { "true" } else { "false" }),
            V::N(n) => out.push_str(&n.to_string()),
            V::A(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    compact(out, item);
                }
                out.push(']');
            }
            V::O(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    quote(out, key);
                    out.push(':');
                    compact(out, value);
                }
                out.push('}');
            }
        }
    }
    let mut text = String::new();
    compact(&mut text, v);
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = self.below(items.len());
        items.get(i).copied().unwrap_or("")
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

fn statement(sid: &str, effect: &str, action: V, resource: V, condition: Option<V>) -> V {
    let mut members = vec![
        ("Sid", s(sid)),
        ("Effect", s(effect)),
        ("Action", action),
        ("Resource", resource),
    ];
    if let Some(c) = condition {
        members.push(("Condition", c));
    }
    V::O(members)
}

fn policy(statements: Vec<V>) -> V {
    V::O(vec![
        ("Version", s("2012-10-17")),
        ("Statement", V::A(statements)),
    ])
}

/// A document as an object or URL-encoded text.
fn doc(v: V, encoded: bool) -> V {
    if encoded {
        V::S(url_encoded(&v))
    } else {
        v
    }
}

fn date(rng: &mut Rng) -> V {
    s(format!(
        "20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        18 + rng.below(8),
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    ))
}

fn id(rng: &mut Rng, prefix: &str) -> V {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::from(prefix);
    for _ in 0..17 {
        let i = rng.below(CHARS.len());
        out.push(char::from(CHARS.get(i).copied().unwrap_or(b'A')));
    }
    s(out)
}

fn attached(name: &str, arn: &str) -> V {
    V::O(vec![("PolicyName", s(name)), ("PolicyArn", s(arn))])
}

fn inline(name: &str, document: V) -> V {
    V::O(vec![("PolicyName", s(name)), ("PolicyDocument", document)])
}

fn tags(pairs: &[(&str, &str)]) -> V {
    V::A(
        pairs
            .iter()
            .map(|(k, v)| V::O(vec![("Key", s(*k)), ("Value", s(*v))]))
            .collect(),
    )
}

fn customer_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/{name}")
}

fn managed(rng: &mut Rng, name: &str, arn: &str, path: &str, versions: Vec<V>, encoded: bool) -> V {
    let n = versions.len();
    let list = versions
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            V::O(vec![
                ("Document", doc(d, encoded)),
                ("VersionId", s(format!("v{}", i + 1))),
                ("IsDefaultVersion", V::B(i + 1 == n)),
                ("CreateDate", date(rng)),
            ])
        })
        .collect();
    V::O(vec![
        ("PolicyName", s(name)),
        ("PolicyId", id(rng, "ANPA")),
        ("Arn", s(arn)),
        ("Path", s(path)),
        ("DefaultVersionId", s(format!("v{n}"))),
        ("AttachmentCount", V::N(1)),
        ("PermissionsBoundaryUsageCount", V::N(0)),
        ("IsAttachable", V::B(true)),
        ("CreateDate", date(rng)),
        ("UpdateDate", date(rng)),
        ("PolicyVersionList", V::A(list)),
    ])
}

struct Lists {
    users: Vec<V>,
    groups: Vec<V>,
    roles: Vec<V>,
    policies: Vec<V>,
}

fn core(rng: &mut Rng, l: &mut Lists) {
    let a = ACCOUNT;
    let one = |x: &str| s(x);
    // Developers and alice.
    l.policies.push(managed(
        rng,
        "DeveloperAccess",
        &customer_arn("DeveloperAccess"),
        "/",
        vec![
            policy(vec![statement(
                "Everything",
                "Allow",
                one("s3:*"),
                one("*"),
                None,
            )]),
            policy(vec![statement(
                "DevBucketRead",
                "Allow",
                one("s3:GetObject"),
                one("arn:aws:s3:::dev-bucket/*"),
                None,
            )]),
            policy(vec![statement(
                "DevBucket",
                "Allow",
                V::A(vec![one("s3:GetObject"), one("s3:PutObject")]),
                one("arn:aws:s3:::dev-bucket/*"),
                None,
            )]),
        ],
        false,
    ));
    l.groups.push(V::O(vec![
        ("Path", s("/teams/")),
        ("GroupName", s("Developers")),
        ("GroupId", id(rng, "AGPA")),
        ("Arn", s(format!("arn:aws:iam::{a}:group/teams/Developers"))),
        ("CreateDate", date(rng)),
        (
            "GroupPolicyList",
            V::A(vec![inline(
                "AssumeDeploy",
                doc(
                    policy(vec![statement(
                        "AssumeDeploy",
                        "Allow",
                        one("sts:AssumeRole"),
                        s(format!("arn:aws:iam::{a}:role/ci/DeployRole")),
                        None,
                    )]),
                    false,
                ),
            )]),
        ),
        (
            "AttachedManagedPolicies",
            V::A(vec![attached(
                "DeveloperAccess",
                &customer_arn("DeveloperAccess"),
            )]),
        ),
    ]));
    let user = |rng: &mut Rng, name: &str, members: Vec<(&'static str, V)>| {
        let mut all = vec![
            ("Path", s("/")),
            ("UserName", s(name)),
            ("UserId", id(rng, "AIDA")),
            ("Arn", s(format!("arn:aws:iam::{a}:user/{name}"))),
            ("CreateDate", date(rng)),
        ];
        all.extend(members);
        V::O(all)
    };
    l.users.push(user(
        rng,
        "alice",
        vec![
            ("UserPolicyList", V::A(vec![])),
            ("GroupList", V::A(vec![s("Developers")])),
            ("AttachedManagedPolicies", V::A(vec![])),
            ("Tags", tags(&[("team", "dev")])),
        ],
    ));
    // bob: S3 full access held back by a boundary.
    l.policies.push(managed(
        rng,
        "AmazonS3FullAccess",
        "arn:aws:iam::aws:policy/AmazonS3FullAccess",
        "/",
        vec![policy(vec![statement(
            "",
            "Allow",
            V::A(vec![one("s3:*"), one("s3-object-lambda:*")]),
            one("*"),
            None,
        )])],
        false,
    ));
    l.policies.push(managed(
        rng,
        "S3ReadOnlyBoundary",
        &customer_arn("S3ReadOnlyBoundary"),
        "/boundaries/",
        vec![policy(vec![statement(
            "ReadOnly",
            "Allow",
            V::A(vec![one("s3:Get*"), one("s3:List*")]),
            one("*"),
            None,
        )])],
        true,
    ));
    l.users.push(user(
        rng,
        "bob",
        vec![
            ("GroupList", V::A(vec![])),
            (
                "AttachedManagedPolicies",
                V::A(vec![
                    attached(
                        "AmazonS3FullAccess",
                        "arn:aws:iam::aws:policy/AmazonS3FullAccess",
                    ),
                    attached("ReadOnlyAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"),
                ]),
            ),
            (
                "PermissionsBoundary",
                V::O(vec![
                    ("PermissionsBoundaryType", s("Policy")),
                    (
                        "PermissionsBoundaryArn",
                        s(customer_arn("S3ReadOnlyBoundary")),
                    ),
                ]),
            ),
        ],
    ));
    // carol: an allow, a deny, and a tag-matched allow.
    let tag_condition = vec![(
        "StringEquals",
        V::O(vec![(
            "aws:ResourceTag/project",
            s("${aws:PrincipalTag/project}"),
        )]),
    )];
    l.users.push(user(
        rng,
        "carol",
        vec![
            (
                "UserPolicyList",
                V::A(vec![
                    inline(
                        "S3All",
                        doc(
                            policy(vec![statement(
                                "S3All",
                                "Allow",
                                one("s3:*"),
                                one("*"),
                                None,
                            )]),
                            false,
                        ),
                    ),
                    inline(
                        "DenyDeletes",
                        doc(
                            policy(vec![statement(
                                "NoDeletes",
                                "Deny",
                                one("s3:DeleteObject"),
                                one("*"),
                                None,
                            )]),
                            true,
                        ),
                    ),
                    inline(
                        "StartOwnProject",
                        doc(
                            policy(vec![statement(
                                "OwnProject",
                                "Allow",
                                one("ec2:StartInstances"),
                                s(format!("arn:aws:ec2:*:{a}:instance/*")),
                                Some(V::O(tag_condition)),
                            )]),
                            false,
                        ),
                    ),
                ]),
            ),
            ("GroupList", V::A(vec![])),
            ("AttachedManagedPolicies", V::A(vec![])),
            ("Tags", tags(&[("project", "apollo")])),
        ],
    ));
    l.users.push(user(
        rng,
        "dave",
        vec![
            (
                "UserPolicyList",
                V::A(vec![inline(
                    "AssumeAnything",
                    doc(
                        policy(vec![statement(
                            "AssumeAny",
                            "Allow",
                            one("sts:AssumeRole"),
                            one("*"),
                            None,
                        )]),
                        true,
                    ),
                )]),
            ),
            ("GroupList", V::A(vec![])),
            ("AttachedManagedPolicies", V::A(vec![])),
        ],
    ));
    // DeployRole.
    l.policies.push(managed(
        rng,
        "DeployPolicy",
        &customer_arn("DeployPolicy"),
        "/ci/",
        vec![
            policy(vec![statement(
                "Artifacts",
                "Allow",
                one("s3:PutObject"),
                one("arn:aws:s3:::deploy-artifacts/*"),
                None,
            )]),
            policy(vec![statement(
                "Artifacts",
                "Allow",
                one("s3:PutObject"),
                one("arn:aws:s3:::deploy-artifacts/*"),
                Some(V::O(vec![(
                    "StringEquals",
                    V::O(vec![("aws:PrincipalTag/env", s("prod"))]),
                )])),
            )]),
        ],
        false,
    ));
    let trust = V::O(vec![
        ("Version", s("2012-10-17")),
        (
            "Statement",
            V::A(vec![V::O(vec![
                ("Effect", s("Allow")),
                (
                    "Principal",
                    V::O(vec![("AWS", s(format!("arn:aws:iam::{a}:user/alice")))]),
                ),
                ("Action", s("sts:AssumeRole")),
            ])]),
        ),
    ]);
    l.roles.push(V::O(vec![
        ("Path", s("/ci/")),
        ("RoleName", s("DeployRole")),
        ("RoleId", id(rng, "AROA")),
        ("Arn", s(format!("arn:aws:iam::{a}:role/ci/DeployRole"))),
        ("CreateDate", date(rng)),
        ("AssumeRolePolicyDocument", doc(trust, true)),
        (
            "InstanceProfileList",
            V::A(vec![V::O(vec![
                ("Path", s("/")),
                ("InstanceProfileName", s("DeployProfile")),
                ("InstanceProfileId", id(rng, "AIPA")),
                (
                    "Arn",
                    s(format!("arn:aws:iam::{a}:instance-profile/DeployProfile")),
                ),
                ("CreateDate", date(rng)),
                ("Roles", V::A(vec![])),
            ])]),
        ),
        ("RolePolicyList", V::A(vec![])),
        (
            "AttachedManagedPolicies",
            V::A(vec![attached(
                "DeployPolicy",
                &customer_arn("DeployPolicy"),
            )]),
        ),
        ("Tags", tags(&[("env", "prod")])),
        (
            "RoleLastUsed",
            V::O(vec![
                ("LastUsedDate", date(rng)),
                ("Region", s("eu-west-1")),
            ]),
        ),
    ]));
}

const SERVICES: &[&str] = &[
    "s3",
    "ec2",
    "dynamodb",
    "sqs",
    "sns",
    "lambda",
    "logs",
    "kms",
    "iam",
    "cloudwatch",
];
const VERBS: &[&str] = &[
    "Get*",
    "List*",
    "Describe*",
    "Put*",
    "Delete*",
    "Create*",
    "Update*",
    "*",
    "Tag*",
];
const TEAMS: &[&str] = &[
    "payments", "search", "platform", "data", "mobile", "web", "security", "ml",
];
const ENVS: &[&str] = &["dev", "staging", "prod"];

fn random_policy(rng: &mut Rng, n: usize) -> V {
    let count = 1 + rng.below(4);
    let statements = (0..count)
        .map(|i| {
            let service = rng.pick(SERVICES);
            let actions: Vec<V> = (0..1 + rng.below(3))
                .map(|_| s(format!("{service}:{}", rng.pick(VERBS))))
                .collect();
            let resource = if rng.chance(40) {
                s("*")
            } else {
                s(format!(
                    "arn:aws:{service}:*:{ACCOUNT}:{}-{n}/*",
                    rng.pick(TEAMS)
                ))
            };
            let condition = rng.chance(30).then(|| {
                V::O(vec![(
                    "StringEquals",
                    V::O(vec![("aws:ResourceTag/env", s(rng.pick(ENVS)))]),
                )])
            });
            let effect = if rng.chance(15) { "Deny" } else { "Allow" };
            statement(
                &format!("S{n}x{i}"),
                effect,
                V::A(actions),
                resource,
                condition,
            )
        })
        .collect();
    policy(statements)
}

/// Adds one batch of filler (a managed policy, a group, three users, a
/// role) numbered `n`.
fn filler(rng: &mut Rng, l: &mut Lists, n: usize) {
    let a = ACCOUNT;
    let team = rng.pick(TEAMS);
    let policy_name = format!("{team}-access-{n}");
    let policy_arn = customer_arn(&policy_name);
    let versions = (0..1 + rng.below(4))
        .map(|_| random_policy(rng, n))
        .collect();
    let encoded = rng.chance(50);
    l.policies.push(managed(
        rng,
        &policy_name,
        &policy_arn,
        "/",
        versions,
        encoded,
    ));
    let group = format!("{team}-{n}");
    let group_inline = (0..rng.below(2))
        .map(|i| {
            inline(
                &format!("{group}-inline-{i}"),
                doc(random_policy(rng, n), rng.chance(50)),
            )
        })
        .collect();
    l.groups.push(V::O(vec![
        ("Path", s(format!("/{team}/"))),
        ("GroupName", s(group.clone())),
        ("GroupId", id(rng, "AGPA")),
        ("Arn", s(format!("arn:aws:iam::{a}:group/{team}/{group}"))),
        ("CreateDate", date(rng)),
        ("GroupPolicyList", V::A(group_inline)),
        (
            "AttachedManagedPolicies",
            V::A(vec![attached(&policy_name, &policy_arn)]),
        ),
    ]));
    for u in 0..3 {
        let name = format!("{team}.user{n}.{u}");
        let mut members = vec![
            ("Path", s(format!("/{team}/"))),
            ("UserName", s(name.clone())),
            ("UserId", id(rng, "AIDA")),
            ("Arn", s(format!("arn:aws:iam::{a}:user/{team}/{name}"))),
            ("CreateDate", date(rng)),
        ];
        let inline_policies = (0..rng.below(3))
            .map(|i| {
                inline(
                    &format!("{name}-{i}"),
                    doc(random_policy(rng, n), rng.chance(50)),
                )
            })
            .collect();
        members.push(("UserPolicyList", V::A(inline_policies)));
        members.push(("GroupList", V::A(vec![s(group.clone())])));
        let mut attachments = Vec::new();
        if rng.chance(30) {
            attachments.push(attached(
                "ReadOnlyAccess",
                "arn:aws:iam::aws:policy/ReadOnlyAccess",
            ));
        }
        members.push(("AttachedManagedPolicies", V::A(attachments)));
        if rng.chance(20) {
            members.push((
                "PermissionsBoundary",
                V::O(vec![
                    ("PermissionsBoundaryType", s("Policy")),
                    (
                        "PermissionsBoundaryArn",
                        s(customer_arn("S3ReadOnlyBoundary")),
                    ),
                ]),
            ));
        }
        members.push(("Tags", tags(&[("team", team), ("env", rng.pick(ENVS))])));
        l.users.push(V::O(members));
    }
    let role = format!("{team}-service-{n}");
    let trust = V::O(vec![
        ("Version", s("2012-10-17")),
        (
            "Statement",
            V::A(vec![V::O(vec![
                ("Effect", s("Allow")),
                (
                    "Principal",
                    V::O(vec![(
                        "Service",
                        s(format!(
                            "{}.amazonaws.com",
                            rng.pick(&["lambda", "ec2", "ecs-tasks"])
                        )),
                    )]),
                ),
                ("Action", s("sts:AssumeRole")),
            ])]),
        ),
    ]);
    let role_inline = (0..1 + rng.below(2))
        .map(|i| {
            inline(
                &format!("{role}-{i}"),
                doc(random_policy(rng, n), rng.chance(50)),
            )
        })
        .collect();
    let mut members = vec![
        ("Path", s("/service-role/")),
        ("RoleName", s(role.clone())),
        ("RoleId", id(rng, "AROA")),
        (
            "Arn",
            s(format!("arn:aws:iam::{a}:role/service-role/{role}")),
        ),
        ("CreateDate", date(rng)),
        ("AssumeRolePolicyDocument", doc(trust, rng.chance(50))),
        ("InstanceProfileList", V::A(vec![])),
        ("RolePolicyList", V::A(role_inline)),
        (
            "AttachedManagedPolicies",
            V::A(vec![attached(&policy_name, &policy_arn)]),
        ),
    ];
    if rng.chance(25) {
        members.push((
            "PermissionsBoundary",
            V::O(vec![
                ("PermissionsBoundaryType", s("Policy")),
                (
                    "PermissionsBoundaryArn",
                    s(customer_arn("S3ReadOnlyBoundary")),
                ),
            ]),
        ));
    }
    members.push(("Tags", tags(&[("team", team)])));
    members.push(("RoleLastUsed", V::O(vec![])));
    l.roles.push(V::O(members));
}

/// A generous size of one filler batch, for the first estimate.
const BATCH_BYTES: usize = 20_000;

/// A `get-account-authorization-details` file for `seed` of about
/// `target_bytes` (at least the named principals above).
pub fn generate(seed: u64, target_bytes: usize) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut lists = Lists {
        users: Vec::new(),
        groups: Vec::new(),
        roles: Vec::new(),
        policies: Vec::new(),
    };
    core(&mut rng, &mut lists);
    let mut out = String::new();
    let mut n = 0;
    let mut core_bytes = None;
    loop {
        let root = V::O(vec![
            ("UserDetailList", V::A(std::mem::take(&mut lists.users))),
            ("GroupDetailList", V::A(std::mem::take(&mut lists.groups))),
            ("RoleDetailList", V::A(std::mem::take(&mut lists.roles))),
            ("Policies", V::A(std::mem::take(&mut lists.policies))),
        ]);
        out.clear();
        write(&mut out, &root, 0);
        out.push('\n');
        let written = out.len();
        if written >= target_bytes || n > 1_000_000 {
            return out;
        }
        restore(root, &mut lists);
        let core = *core_bytes.get_or_insert(written);
        // Batches vary: measure their mean so far, and aim a little short.
        let mean = match n {
            0 => BATCH_BYTES,
            _ => ((written - core) / n).max(1),
        };
        let batches = (target_bytes - written) * 9 / 10 / mean + 1;
        for _ in 0..batches {
            n += 1;
            filler(&mut rng, &mut lists, n);
        }
    }
}

fn restore(root: V, lists: &mut Lists) {
    if let V::O(members) = root {
        for (key, value) in members {
            if let V::A(items) = value {
                match key {
                    "UserDetailList" => lists.users = items,
                    "GroupDetailList" => lists.groups = items,
                    "RoleDetailList" => lists.roles = items,
                    _ => lists.policies = items,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_sized() {
        let a = generate(7, 50_000);
        assert_eq!(a, generate(7, 50_000));
        assert_ne!(a, generate(8, 50_000));
        assert!(a.len() >= 50_000 && a.len() < 70_000, "{}", a.len());
        let big = generate(2, 2_000_000);
        assert!(
            big.len() >= 2_000_000 && big.len() < 2_040_000,
            "{}",
            big.len()
        );
        assert!(generate(1, 0).len() < 20_000);
        assert!(crate::json::parse_json(&a).is_ok());
    }

    #[test]
    fn both_encodings() {
        let a = generate(3, 100_000);
        assert!(a.contains("\"PolicyDocument\": {"));
        assert!(a.contains("\"PolicyDocument\": \"%7B%22Version%22"));
    }
}
