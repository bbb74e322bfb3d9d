//! The principal making a request, parsed from its ARN (or `*`, or a
//! service name), and the condition keys AWS derives from it.

use serde::Serialize;

use crate::matching::Arn;
use crate::text::{shared_text, Text};

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    /// An IAM user: `arn:aws:iam::ACCOUNT:user/PATH/NAME`.
    User {
        /// The user's ARN.
        arn: String,
        /// The account id.
        account: String,
        /// The user name (last path element).
        name: String,
    },
    /// An IAM role used directly (requests really come from its sessions).
    Role {
        /// The role's ARN.
        arn: String,
        /// The account id.
        account: String,
        /// The role name.
        name: String,
    },
    /// A role session: `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    AssumedRole {
        /// The session ARN.
        arn: String,
        /// The account id.
        account: String,
        /// The role name.
        role_name: String,
        /// The session name.
        session_name: String,
        /// The role's ARN, `arn:aws:iam::ACCOUNT:role/ROLE`.
        role_arn: String,
    },
    /// A federated user session: `arn:aws:sts::ACCOUNT:federated-user/NAME`.
    FederatedUser {
        /// The session ARN.
        arn: String,
        /// The account id.
        account: String,
        /// The name the federation gave.
        name: String,
    },
    /// The account root user: `arn:aws:iam::ACCOUNT:root`.
    Root {
        /// `arn:aws:iam::ACCOUNT:root`.
        arn: String,
        /// The account id.
        account: String,
    },
    /// An AWS service: `cloudtrail.amazonaws.com`.
    Service {
        /// The service principal name.
        name: String,
    },
    /// An unauthenticated request (`*`).
    Anonymous,
}

/// Why a principal text is not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct PrincipalError {
    /// What is wrong.
    pub message: String,
    /// What to write instead.
    pub help: String,
}

fn principal_error(message: String) -> PrincipalError {
    PrincipalError {
        message,
        help: "write an IAM user ARN (arn:aws:iam::111122223333:user/alice), a role session (arn:aws:sts::111122223333:assumed-role/ROLE/SESSION), an account root (arn:aws:iam::111122223333:root), a service (cloudtrail.amazonaws.com) or * for anonymous".to_owned(),
    }
}

fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

impl Principal {
    /// Parses a request's principal.
    pub fn parse(text: &str) -> Result<Principal, PrincipalError> {
        let text = text.trim();
        if text == "*" || text.eq_ignore_ascii_case("anonymous") {
            return Ok(Principal::Anonymous);
        }
        if is_account_id(text) {
            return Ok(Principal::Root {
                arn: format!("arn:aws:iam::{text}:root"),
                account: text.to_owned(),
            });
        }
        if !text.starts_with("arn:") {
            if text.contains('.') && !text.contains(['/', ':', ' ']) {
                return Ok(Principal::Service {
                    name: text.to_owned(),
                });
            }
            return Err(principal_error(format!(
                "`{text}` is not a principal ARN, a service principal or `*`"
            )));
        }
        let [partition, service, _, account, resource] = Arn::parts(text)
            .map_err(|e| principal_error(format!("`{text}` is not a valid ARN: {e}")))?;
        if !is_account_id(account) {
            return Err(principal_error(format!(
                "the account part of `{text}` must be a 12-digit account id"
            )));
        }
        let account = account.to_owned();
        let arn_text = text.to_owned();
        let last_name = |rest: &str| rest.rsplit('/').next().unwrap_or(rest).to_owned();
        match (service, resource.split_once('/')) {
            ("iam", None) if resource == "root" => Ok(Principal::Root {
                arn: arn_text,
                account,
            }),
            ("iam", Some(("user", rest))) if !rest.is_empty() => Ok(Principal::User {
                arn: arn_text,
                account,
                name: last_name(rest),
            }),
            ("iam", Some(("role", rest))) if !rest.is_empty() => Ok(Principal::Role {
                arn: arn_text,
                account,
                name: last_name(rest),
            }),
            ("sts", Some(("assumed-role", rest))) => match rest.split_once('/') {
                Some((role, session))
                    if !role.is_empty() && !session.is_empty() && !session.contains('/') =>
                {
                    Ok(Principal::AssumedRole {
                        role_arn: format!("arn:{partition}:iam::{account}:role/{role}"),
                        arn: arn_text,
                        account,
                        role_name: role.to_owned(),
                        session_name: session.to_owned(),
                    })
                }
                _ => Err(principal_error(format!(
                    "`{text}` should be arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION"
                ))),
            },
            ("sts", Some(("federated-user", name))) if !name.is_empty() => {
                Ok(Principal::FederatedUser {
                    arn: arn_text,
                    account,
                    name: name.to_owned(),
                })
            }
            _ => Err(principal_error(format!(
                "`{text}` is not a user, role, role session, federated user or root ARN"
            ))),
        }
    }

    /// The principal's account, when it has one.
    pub fn account(&self) -> Option<&str> {
        match self {
            Principal::User { account, .. }
            | Principal::Role { account, .. }
            | Principal::AssumedRole { account, .. }
            | Principal::FederatedUser { account, .. }
            | Principal::Root { account, .. } => Some(account),
            Principal::Service { .. } | Principal::Anonymous => None,
        }
    }

    /// The ARN the request is signed as (a session's own ARN).
    pub fn arn(&self) -> Option<&str> {
        match self {
            Principal::User { arn, .. }
            | Principal::Role { arn, .. }
            | Principal::AssumedRole { arn, .. }
            | Principal::FederatedUser { arn, .. }
            | Principal::Root { arn, .. } => Some(arn),
            Principal::Service { .. } | Principal::Anonymous => None,
        }
    }

    /// `aws:PrincipalArn`: for a role session, the role's ARN.
    pub fn principal_arn(&self) -> Option<&str> {
        match self {
            Principal::AssumedRole { role_arn, .. } => Some(role_arn),
            other => other.arn(),
        }
    }

    /// `aws:PrincipalType` as AWS spells it.
    pub fn principal_type(&self) -> Option<Text> {
        match self {
            Principal::User { .. } => Some(shared_text!("User")),
            Principal::Role { .. } | Principal::AssumedRole { .. } => {
                Some(shared_text!("AssumedRole"))
            }
            Principal::FederatedUser { .. } => Some(shared_text!("FederatedUser")),
            Principal::Root { .. } => Some(shared_text!("Account")),
            Principal::Anonymous => Some(shared_text!("Anonymous")),
            Principal::Service { .. } => None,
        }
    }

    /// A short description for explanations: "IAM user alice".
    pub fn describe(&self) -> String {
        match self {
            Principal::User { name, account, .. } => {
                format!("IAM user {name} of account {account}")
            }
            Principal::Role { name, account, .. } => format!("role {name} of account {account}"),
            Principal::AssumedRole {
                role_name,
                session_name,
                account,
                ..
            } => {
                format!("session {session_name} of role {role_name} in account {account}")
            }
            Principal::FederatedUser { name, account, .. } => {
                format!("federated user {name} of account {account}")
            }
            Principal::Root { account, .. } => format!("the root user of account {account}"),
            Principal::Service { name } => format!("the service {name}"),
            Principal::Anonymous => "an anonymous caller".to_owned(),
        }
    }

    /// Whether identity-based policies can grant this principal anything.
    pub fn has_identity_policies(&self) -> bool {
        !matches!(
            self,
            Principal::Service { .. } | Principal::Anonymous | Principal::Root { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind() {
        let user = Principal::parse("arn:aws:iam::111122223333:user/division/alice").unwrap();
        assert_eq!(user.principal_type().as_deref(), Some("User"));
        assert!(matches!(&user, Principal::User { name, .. } if name == "alice"));
        let session = Principal::parse("arn:aws:sts::111122223333:assumed-role/Dev/alice").unwrap();
        assert_eq!(
            session.principal_arn(),
            Some("arn:aws:iam::111122223333:role/Dev")
        );
        assert_eq!(
            session.arn(),
            Some("arn:aws:sts::111122223333:assumed-role/Dev/alice")
        );
        assert_eq!(
            Principal::parse("arn:aws:iam::111122223333:root")
                .unwrap()
                .principal_type()
                .as_deref(),
            Some("Account")
        );
        assert_eq!(
            Principal::parse("111122223333").unwrap().account(),
            Some("111122223333")
        );
        assert!(matches!(
            Principal::parse("arn:aws:sts::111122223333:federated-user/bob").unwrap(),
            Principal::FederatedUser { .. }
        ));
        assert!(matches!(
            Principal::parse("cloudtrail.amazonaws.com").unwrap(),
            Principal::Service { .. }
        ));
        assert_eq!(Principal::parse("*").unwrap(), Principal::Anonymous);
        assert!(matches!(
            Principal::parse("arn:aws:iam::111122223333:role/Dev").unwrap(),
            Principal::Role { .. }
        ));
    }

    #[test]
    fn rejects_malformed_principals() {
        for bad in [
            "alice",
            "arn:aws:iam::1234:user/alice",
            "arn:aws:iam::111122223333:group/devs",
            "arn:aws:sts::111122223333:assumed-role/Dev",
            "arn:aws:s3:::bucket",
            "arn:aws",
            "",
        ] {
            assert!(Principal::parse(bad).is_err(), "{bad}");
        }
    }
}
