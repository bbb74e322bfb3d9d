//! Service-specific authorization rules: what AWS documents for one service
//! or kind of resource that changes a decision without any policy saying
//! so. `docs/semantics.md` lists each rule with its page, and the ones left
//! out with the reason.
//!
//! A request is one action on one resource. Where AWS checks more than that
//! (an alias operation also needs permission on the KMS key), the rule's
//! note says what else AWS checks.

use crate::explain::{Decision, Note, NoteKind};
use crate::matching::arn::split_colons;
use crate::request::{Principal, Request};

/// The STS API reference page of `GetCallerIdentity`.
const GET_CALLER_IDENTITY_PAGE: &str = "AWS STS API Reference: GetCallerIdentity";
/// The KMS developer guide's alias access page.
const ALIAS_ACCESS_PAGE: &str = "AWS KMS Developer Guide: Controlling access to aliases";
/// The KMS API reference page that reserves `alias/aws/`.
const ALIAS_RESERVED_PAGE: &str =
    "AWS KMS API Reference: CreateAlias (the alias/aws/ prefix is reserved for AWS managed keys); AWS KMS Developer Guide: About aliases";
/// The IAM user guide's section on AWS managed policies.
const MANAGED_POLICIES_PAGE: &str =
    "IAM User Guide: Managed policies and inline policies (AWS managed policies)";
/// The IAM API reference's `UnmodifiableEntity` error.
const SLR_PAGE: &str = "IAM User Guide: Using service-linked roles; IAM API Reference: UnmodifiableEntity (service-linked roles are protected AWS resources)";
/// The S3 API reference's root-user rule for bucket policies.
const S3_ROOT_PAGE: &str =
    "Amazon S3 API Reference: GetBucketPolicy, PutBucketPolicy, DeleteBucketPolicy (root principal of the bucket owner's account)";

/// A rule that decides the request whatever the policies say.
pub(crate) struct Deciding {
    /// The decision.
    pub decision: Decision,
    /// Why, for the explanation.
    pub note: Note,
}

/// What kind of KMS resource a request is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KmsResource {
    /// `arn:aws:kms:REGION:ACCOUNT:key/ID`: its key policy must allow.
    Key,
    /// `arn:aws:kms:REGION:ACCOUNT:alias/NAME`: IAM policies govern it.
    Alias,
}

/// The action's name when its service prefix is `service` (any case).
/// Checked first by every rule, so a request of another service costs a
/// few comparisons.
fn action_of<'r>(request: &'r Request, service: &str) -> Option<&'r str> {
    let action = request.action.as_str();
    let prefix = action.get(..service.len())?;
    if !prefix.eq_ignore_ascii_case(service) {
        return None;
    }
    action.get(service.len()..)?.strip_prefix(':')
}

fn action_is(request: &Request, service: &str, names: &[&str]) -> bool {
    action_of(request, service)
        .is_some_and(|name| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

/// The resource part of an ARN of `service` (after the fifth colon), with
/// its account.
fn arn_parts<'r>(resource: &'r str, service: &str) -> Option<(&'r str, &'r str)> {
    let mut parts = split_colons(resource);
    match (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) {
        (Some("arn"), Some(_), Some(s), Some(_), Some(account), Some(rest)) if s == service => {
            Some((account, rest))
        }
        _ => None,
    }
}

/// What kind of KMS resource the request names, if any.
pub(crate) fn kms_resource(request: &Request) -> Option<KmsResource> {
    let (_, rest) = arn_parts(&request.resource, "kms")?;
    if rest.starts_with("key/") {
        Some(KmsResource::Key)
    } else if rest.starts_with("alias/") {
        Some(KmsResource::Alias)
    } else {
        None
    }
}

const ALIAS_ACTIONS: &[&str] = &["CreateAlias", "UpdateAlias", "DeleteAlias"];

/// Whether the request manages a KMS alias (`kms:CreateAlias`,
/// `kms:UpdateAlias` or `kms:DeleteAlias` on an alias ARN): IAM policies
/// alone govern it.
pub(crate) fn is_alias_management(request: &Request) -> bool {
    action_is(request, "kms", ALIAS_ACTIONS) && kms_resource(request) == Some(KmsResource::Alias)
}

/// Whether a KMS key policy must allow the request: a `kms:` action on a
/// KMS key, or on an alias for any operation other than managing the alias
/// (AWS then authorizes against the key the alias points to).
pub(crate) fn needs_key_policy(request: &Request) -> bool {
    if action_of(request, "kms").is_none() {
        return false;
    }
    match kms_resource(request) {
        Some(KmsResource::Key) => true,
        Some(KmsResource::Alias) => !action_is(request, "kms", ALIAS_ACTIONS),
        None => false,
    }
}

const MANAGED_POLICY_WRITES: &[&str] = &[
    "CreatePolicyVersion",
    "DeletePolicy",
    "DeletePolicyVersion",
    "SetDefaultPolicyVersion",
    "TagPolicy",
    "UntagPolicy",
];

const SLR_WRITES: &[&str] = &[
    "UpdateAssumeRolePolicy",
    "PutRolePolicy",
    "DeleteRolePolicy",
    "AttachRolePolicy",
    "DetachRolePolicy",
    "PutRolePermissionsBoundary",
    "DeleteRolePermissionsBoundary",
    "DeleteRole",
];

/// Whether an `iam:` action names an AWS managed policy
/// (`arn:aws:iam::aws:policy/…`).
pub(crate) fn is_aws_managed_policy(request: &Request) -> bool {
    action_of(request, "iam").is_some()
        && arn_parts(&request.resource, "iam")
            .is_some_and(|(account, rest)| account == "aws" && rest.starts_with("policy/"))
}

fn is_service_linked_role(request: &Request) -> bool {
    arn_parts(&request.resource, "iam")
        .is_some_and(|(_, rest)| rest.starts_with("role/aws-service-role/"))
}

fn service_note(code: &'static str, decisive: bool, message: String, source: &'static str) -> Note {
    Note {
        kind: NoteKind::ServiceRule,
        code,
        decisive,
        message,
        source,
    }
}

/// The rule that decides the request whatever the policies say, if one does.
pub(crate) fn deciding(request: &Request) -> Option<Deciding> {
    let action = &request.action;
    let authenticated = !matches!(
        request.principal,
        Principal::Anonymous | Principal::Service { .. }
    );
    if authenticated && action_is(request, "sts", &["GetCallerIdentity"]) {
        return Some(Deciding {
            decision: Decision::Allow,
            note: service_note(
                "sts-get-caller-identity",
                true,
                "sts:GetCallerIdentity needs no permission: AWS allows it for any signed request, even when a policy denies it explicitly, because the same information is returned when access is denied".to_owned(),
                GET_CALLER_IDENTITY_PAGE,
            ),
        });
    }
    if action_is(request, "kms", ALIAS_ACTIONS) && kms_resource(request) == Some(KmsResource::Alias)
    {
        let reserved = arn_parts(&request.resource, "kms")
            .is_some_and(|(_, rest)| rest.starts_with("alias/aws/"));
        if reserved {
            return Some(Deciding {
                decision: Decision::ImplicitDeny,
                note: service_note(
                    "kms-reserved-alias",
                    true,
                    format!("aliases under `alias/aws/` belong to AWS managed keys: customers cannot create, update or delete them, so {action} is refused whatever the policies say"),
                    ALIAS_RESERVED_PAGE,
                ),
            });
        }
    }
    if action_is(request, "iam", MANAGED_POLICY_WRITES) && is_aws_managed_policy(request) {
        return Some(Deciding {
            decision: Decision::ImplicitDeny,
            note: service_note(
                "iam-aws-managed-policy",
                true,
                format!("the resource is an AWS managed policy: AWS creates and maintains it, and customers cannot change, delete or tag it, so {action} is refused whatever the policies say"),
                MANAGED_POLICIES_PAGE,
            ),
        });
    }
    if action_is(request, "iam", SLR_WRITES) && is_service_linked_role(request) {
        return Some(Deciding {
            decision: Decision::ImplicitDeny,
            note: service_note(
                "iam-service-linked-role",
                true,
                format!("the resource is a service-linked role: only the service it is linked to can change its trust and permissions policies or delete it (IAM answers UnmodifiableEntity), so {action} is refused whatever the policies say; to delete it, call iam:DeleteServiceLinkedRole, which the service completes only once no resource uses the role"),
                SLR_PAGE,
            ),
        });
    }
    None
}

/// Notes for rules that take part without deciding on their own.
pub(crate) fn notes(request: &Request, cross_account: bool) -> Vec<Note> {
    let mut notes = Vec::new();
    let action = &request.action;
    if action_is(request, "kms", ALIAS_ACTIONS) {
        match kms_resource(request) {
            Some(KmsResource::Alias) => notes.push(service_note(
                "kms-alias",
                false,
                format!("an alias is governed by IAM policies, not by a key policy: this request checks {action} on the alias only; AWS also requires {action} on the KMS key the alias points to (and, for kms:UpdateAlias, on the new key too), allowed by that key's key policy: evaluate each as its own request on the key ARN"),
                ALIAS_ACCESS_PAGE,
            )),
            Some(KmsResource::Key) => notes.push(service_note(
                "kms-alias",
                false,
                format!("this request checks {action} on the KMS key, which its key policy must allow; AWS also requires {action} on the alias itself, from IAM policies: evaluate that as its own request on the alias ARN"),
                ALIAS_ACCESS_PAGE,
            )),
            None => {}
        }
    } else if needs_key_policy(request) && kms_resource(request) == Some(KmsResource::Alias) {
        notes.push(service_note(
            "kms-alias-resolves-to-key",
            false,
            format!("for {action} AWS authorizes against the KMS key the alias points to, so that key's key policy must allow; IAM policies cannot name a key by its alias (use the kms:RequestAlias or kms:ResourceAliases condition keys), so put the key ARN in the request"),
            ALIAS_ACCESS_PAGE,
        ));
    }
    if is_aws_managed_policy(request) && !cross_account {
        notes.push(service_note(
            "iam-aws-managed-policy-read",
            false,
            format!("the resource is an AWS managed policy, available in every account: {action} is decided by the caller's own policies, as for a resource in its account"),
            MANAGED_POLICIES_PAGE,
        ));
    }
    notes
}

/// Whether the account root user is asking for its own bucket's policy:
/// then a `Deny` in the bucket policy does not apply to it (only SCPs,
/// RCPs and VPC endpoint policies can block it).
pub(crate) fn root_bucket_policy(request: &Request, cross_account: bool) -> bool {
    matches!(request.principal, Principal::Root { .. })
        && !cross_account
        && action_is(
            request,
            "s3",
            &["GetBucketPolicy", "PutBucketPolicy", "DeleteBucketPolicy"],
        )
        && arn_parts(&request.resource, "s3").is_some_and(|(_, rest)| !rest.contains('/'))
}

/// The note for [`root_bucket_policy`].
pub(crate) fn root_bucket_policy_note(request: &Request, ignored: usize) -> Note {
    let action = &request.action;
    service_note(
        "s3-root-bucket-policy",
        false,
        if ignored > 0 {
            format!("the root user of the bucket owner's account can always call {action}: a Deny in the bucket policy does not apply to it ({ignored} such statement(s) ignored); only SCPs, RCPs and VPC endpoint policies can block it")
        } else {
            format!("the root user of the bucket owner's account can always call {action}, even when the bucket policy denies it; only SCPs, RCPs and VPC endpoint policies can block it")
        },
        S3_ROOT_PAGE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Context;

    fn request(principal: &str, action: &str, resource: &str) -> Request {
        Request::new(
            Principal::parse(principal).unwrap(),
            action,
            resource,
            None,
            Context::default(),
        )
    }

    const ALICE: &str = "arn:aws:iam::111122223333:user/alice";

    #[test]
    fn kms_resources() {
        let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let alias = "arn:aws:kms:us-east-1:111122223333:alias/test-key";
        assert_eq!(
            kms_resource(&request(ALICE, "kms:Decrypt", key)),
            Some(KmsResource::Key)
        );
        assert!(needs_key_policy(&request(ALICE, "kms:Decrypt", key)));
        assert!(needs_key_policy(&request(ALICE, "kms:CreateAlias", key)));
        assert!(!needs_key_policy(&request(ALICE, "kms:CreateAlias", alias)));
        assert!(!needs_key_policy(&request(ALICE, "KMS:deletealias", alias)));
        assert!(needs_key_policy(&request(ALICE, "kms:Encrypt", alias)));
        assert!(!needs_key_policy(&request(ALICE, "kms:ListAliases", "*")));
        assert!(!needs_key_policy(&request(
            ALICE,
            "kms:Decrypt",
            "arn:aws:s3:::bucket/kms:key/x"
        )));
    }

    #[test]
    fn deciding_rules() {
        let d = deciding(&request(ALICE, "sts:getcalleridentity", "*")).unwrap();
        assert_eq!(d.decision, Decision::Allow);
        assert!(deciding(&request("*", "sts:GetCallerIdentity", "*")).is_none());
        let reserved = "arn:aws:kms:us-east-1:111122223333:alias/aws/s3";
        assert_eq!(
            deciding(&request(ALICE, "kms:DeleteAlias", reserved))
                .unwrap()
                .decision,
            Decision::ImplicitDeny
        );
        assert!(deciding(&request(ALICE, "kms:Encrypt", reserved)).is_none());
        let managed = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        assert!(deciding(&request(ALICE, "iam:CreatePolicyVersion", managed)).is_some());
        assert!(deciding(&request(ALICE, "iam:GetPolicy", managed)).is_none());
        let slr = "arn:aws:iam::111122223333:role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk";
        assert!(deciding(&request(ALICE, "iam:UpdateAssumeRolePolicy", slr)).is_some());
        assert!(deciding(&request(ALICE, "iam:DeleteServiceLinkedRole", slr)).is_none());
        assert!(deciding(&request(ALICE, "iam:UpdateRoleDescription", slr)).is_none());
    }

    #[test]
    fn root_bucket_policy_rule() {
        let root = "arn:aws:iam::111122223333:root";
        assert!(root_bucket_policy(
            &request(root, "s3:DeleteBucketPolicy", "arn:aws:s3:::bucket"),
            false
        ));
        assert!(!root_bucket_policy(
            &request(root, "s3:DeleteBucketPolicy", "arn:aws:s3:::bucket"),
            true
        ));
        assert!(!root_bucket_policy(
            &request(ALICE, "s3:DeleteBucketPolicy", "arn:aws:s3:::bucket"),
            false
        ));
        assert!(!root_bucket_policy(
            &request(root, "s3:GetObject", "arn:aws:s3:::bucket/key"),
            false
        ));
    }
}
