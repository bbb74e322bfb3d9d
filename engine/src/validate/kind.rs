//! The kind of policy being validated: the six policy types of the scenario
//! format, plus the finer kinds whose size quota differs (inline policies of
//! users, groups and roles, and role trust policies).

use crate::policy::{Policy, PolicyType};

/// A policy size quota: the most characters (whitespace excluded) AWS
/// accepts for one kind of policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SizeQuota {
    /// The largest number of non-whitespace characters AWS accepts.
    pub limit: usize,
    /// The kind of policy the limit is for, with its article: "a managed policy".
    pub what: &'static str,
    /// The Access Analyzer issue code of the check, and its reference anchor.
    pub aws_issue: Option<(&'static str, &'static str)>,
}

/// What kind of policy a text is, for validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// An identity-based managed policy (`identity`).
    Managed,
    /// The inline policies of an IAM user (their sizes add up).
    InlineUser,
    /// The inline policies of an IAM group.
    InlineGroup,
    /// The inline policies of an IAM role.
    InlineRole,
    /// A role trust policy (a resource-based policy on the role).
    RoleTrust,
    /// Any other resource-based policy (`resource`).
    Resource,
    /// A permissions boundary (a managed policy).
    PermissionsBoundary,
    /// A service control policy.
    Scp,
    /// A resource control policy.
    Rcp,
    /// A session policy.
    Session,
}

impl PolicyKind {
    /// Every kind, in the order `--type` lists them.
    pub const ALL: [PolicyKind; 10] = [
        PolicyKind::Managed,
        PolicyKind::InlineUser,
        PolicyKind::InlineGroup,
        PolicyKind::InlineRole,
        PolicyKind::RoleTrust,
        PolicyKind::Resource,
        PolicyKind::PermissionsBoundary,
        PolicyKind::Scp,
        PolicyKind::Rcp,
        PolicyKind::Session,
    ];

    /// The name on the command line and in the JavaScript API.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Managed => "identity",
            PolicyKind::InlineUser => "inline-user",
            PolicyKind::InlineGroup => "inline-group",
            PolicyKind::InlineRole => "inline-role",
            PolicyKind::RoleTrust => "role-trust",
            PolicyKind::Resource => "resource",
            PolicyKind::PermissionsBoundary => "permissions-boundary",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
            PolicyKind::Session => "session",
        }
    }

    /// Reads a name as [`PolicyKind::as_str`] writes it.
    pub fn parse(name: &str) -> Option<PolicyKind> {
        PolicyKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The policy type the text is parsed and evaluated as.
    pub fn policy_type(self) -> PolicyType {
        match self {
            PolicyKind::Managed
            | PolicyKind::InlineUser
            | PolicyKind::InlineGroup
            | PolicyKind::InlineRole => PolicyType::Identity,
            PolicyKind::RoleTrust | PolicyKind::Resource => PolicyType::Resource,
            PolicyKind::PermissionsBoundary => PolicyType::PermissionsBoundary,
            PolicyKind::Scp => PolicyType::Scp,
            PolicyKind::Rcp => PolicyType::Rcp,
            PolicyKind::Session => PolicyType::Session,
        }
    }

    /// The kind a policy of `policy_type` is taken to be when nothing finer
    /// is known (an identity policy is a managed policy).
    pub fn of(policy_type: PolicyType) -> PolicyKind {
        match policy_type {
            PolicyType::Identity => PolicyKind::Managed,
            PolicyType::Resource => PolicyKind::Resource,
            PolicyType::PermissionsBoundary => PolicyKind::PermissionsBoundary,
            PolicyType::Scp => PolicyKind::Scp,
            PolicyType::Rcp => PolicyKind::Rcp,
            PolicyType::Session => PolicyKind::Session,
        }
    }

    /// The kind of a policy that names only its type (a scenario's
    /// policy): as [`PolicyKind::of`], except that a resource-based policy
    /// that can only be a role's trust policy is one
    /// ([`PolicyKind::RoleTrust`]). That is one whose every statement lists
    /// AWS STS actions only (`sts:AssumeRole`, `sts:TagSession`, …) in
    /// `Action` and has no `Resource` or `NotResource`: a role is the only
    /// resource whose policy grants STS actions, and its trust policy is the
    /// only resource-based policy without `Resource` (an STS VPC endpoint's
    /// policy, which may also list STS actions, needs one).
    pub fn of_policy(policy_type: PolicyType, policy: Option<&Policy>) -> PolicyKind {
        let sts_only = |statement: &crate::policy::Statement| {
            statement.resource.is_none() && super::sts_actions_only(statement)
        };
        match policy {
            Some(policy)
                if policy_type == PolicyType::Resource
                    && !policy.statements.is_empty()
                    && policy.statements.iter().all(sts_only) =>
            {
                PolicyKind::RoleTrust
            }
            _ => PolicyKind::of(policy_type),
        }
    }

    /// AWS's size quota for this kind. From "IAM and AWS STS quotas"
    /// (managed 6,144; inline 2,048 per user, 5,120 per group, 10,240 per
    /// role, all inline policies of the identity together; role trust
    /// policy 2,048 by default; session policies 2,048 as plain text) and
    /// "Quotas for AWS Organizations" (SCPs and RCPs 5,120). Resource-based
    /// policies have a quota per service; the S3 bucket policy's 20 KB is
    /// the largest common one.
    pub fn quota(self) -> SizeQuota {
        const IDENTITY: Option<(&str, &str)> = Some((
            "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
            "general-warning-policy-size-exceeds-identity-policy-quota",
        ));
        let (limit, what, aws_issue) = match self {
            PolicyKind::Managed => (6_144, "a managed policy", IDENTITY),
            PolicyKind::InlineUser => (2_048, "the inline policies of a user, together", IDENTITY),
            PolicyKind::InlineGroup => {
                (5_120, "the inline policies of a group, together", IDENTITY)
            }
            PolicyKind::InlineRole => (10_240, "the inline policies of a role, together", IDENTITY),
            PolicyKind::RoleTrust => (
                2_048,
                "a role trust policy (the default quota, which can be raised)",
                Some((
                    "POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA",
                    "general-warning-policy-size-exceeds-role-trust-policy-quota",
                )),
            ),
            PolicyKind::Resource => (
                20_480,
                "an S3 bucket policy (the largest common resource policy)",
                Some((
                    "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA",
                    "general-warning-policy-size-exceeds-resource-policy-quota",
                )),
            ),
            PolicyKind::PermissionsBoundary => (
                6_144,
                "a managed policy used as a permissions boundary",
                IDENTITY,
            ),
            PolicyKind::Scp => (
                5_120,
                "a service control policy",
                Some((
                    "POLICY_SIZE_EXCEEDS_SCP_QUOTA",
                    "error-policy-size-exceeds-scp-quota",
                )),
            ),
            PolicyKind::Rcp => (
                5_120,
                "a resource control policy",
                Some((
                    "POLICY_SIZE_EXCEEDS_RCP_QUOTA",
                    "error-policy-size-exceeds-rcp-quota",
                )),
            ),
            PolicyKind::Session => (2_048, "a session policy passed as plain text", None),
        };
        SizeQuota {
            limit,
            what,
            aws_issue,
        }
    }
}

impl std::fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_map_to_types() {
        for kind in PolicyKind::ALL {
            assert_eq!(PolicyKind::parse(kind.as_str()), Some(kind));
        }
        for t in PolicyType::ALL {
            assert_eq!(
                PolicyKind::parse(t.as_str()).map(PolicyKind::policy_type),
                Some(t)
            );
            assert_eq!(PolicyKind::of(t).policy_type(), t);
        }
        assert_eq!(PolicyKind::RoleTrust.policy_type(), PolicyType::Resource);
        assert_eq!(PolicyKind::InlineRole.quota().limit, 10_240);
        assert_eq!(PolicyKind::Scp.quota().limit, 5_120);
        assert_eq!(PolicyKind::parse("trust"), None);
        let code = |kind: PolicyKind| kind.quota().aws_issue.map(|(code, _)| code);
        assert_eq!(
            code(PolicyKind::RoleTrust),
            Some("POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA")
        );
        assert_eq!(
            code(PolicyKind::Resource),
            Some("POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA")
        );
    }

    fn kind_of(policy_type: PolicyType, text: &str) -> PolicyKind {
        let parsed = crate::parse::parse_policy(text, policy_type);
        PolicyKind::of_policy(policy_type, parsed.policy.as_deref())
    }

    #[test]
    fn a_resource_policy_granting_only_sts_actions_without_resource_is_a_trust_policy() {
        let trust = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["sts:AssumeRole", "STS:TagSession"]},
            {"Effect": "Allow", "Principal": {"Federated": "accounts.google.com"}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#;
        assert_eq!(kind_of(PolicyType::Resource, trust), PolicyKind::RoleTrust);
        // The same text as another type keeps that type's kind.
        assert_eq!(kind_of(PolicyType::Session, trust), PolicyKind::Session);
    }

    #[test]
    fn other_resource_policies_stay_resource_policies() {
        let with_resource = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole", "Resource": "*"}]}"#;
        let other_service = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject"}]}"#;
        let not_action = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "NotAction": "sts:AssumeRole"}]}"#;
        let bucket = r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;
        for text in [
            with_resource,
            other_service,
            not_action,
            bucket,
            "{",
            r#"{"Statement": []}"#,
        ] {
            assert_eq!(
                kind_of(PolicyType::Resource, text),
                PolicyKind::Resource,
                "{text}"
            );
        }
    }
}
