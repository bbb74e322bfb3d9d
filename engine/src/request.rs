//! The request being authorized: principal, action, resource and context,
//! with the condition keys AWS derives from the principal.

pub mod context;
pub mod principal;

pub use context::{
    clean_key, key_spaces_warning, parse_json_number, Context, ContextEntry, ContextScalar,
    ContextValue, ValueOrigin,
};
pub use principal::{Principal, PrincipalError};

use crate::text::{shared_text, Text};

/// A request ready for evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// Who makes it.
    pub principal: Principal,
    /// The principal as principal elements are matched against it: its
    /// ARN, a service's name, or `*` for an anonymous caller.
    pub principal_text: Text,
    /// `service:Operation`.
    pub action: Text,
    /// The resource ARN (or `*`).
    pub resource: Text,
    /// The account that owns the resource, when the request says it.
    pub resource_account: Option<String>,
    /// Condition keys: what the request gave plus what the engine derived.
    pub context: Context,
}

impl Request {
    /// A request whose context is `given`, completed with the keys AWS
    /// derives from the principal (given values always win).
    pub fn new(
        principal: Principal,
        action: impl Into<Text>,
        resource: impl Into<Text>,
        resource_account: Option<String>,
        given: Context,
    ) -> Self {
        let mut context = given;
        derive_principal_keys(&principal, &mut context);
        let principal_text = match &principal {
            Principal::Service { name } => Text::from(name),
            Principal::Anonymous => shared_text!("*"),
            other => Text::from(other.arn().unwrap_or_default()),
        };
        Request {
            principal,
            principal_text,
            action: action.into(),
            resource: resource.into(),
            resource_account,
            context,
        }
    }
}

/// Adds `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`,
/// `aws:username`, `aws:userid`, `aws:PrincipalIsAWSService` and
/// `aws:PrincipalServiceName` where they can be formed and are not given.
fn derive_principal_keys(principal: &Principal, context: &mut Context) {
    let mut derive = |key: Text, value: Text| {
        context.insert_if_absent(key, ContextValue::string(value), ValueOrigin::Derived);
    };
    if let Some(arn) = principal.principal_arn() {
        derive(shared_text!("aws:PrincipalArn"), Text::from(arn));
    }
    if let Some(account) = principal.account() {
        derive(shared_text!("aws:PrincipalAccount"), Text::from(account));
    }
    if let Some(kind) = principal.principal_type() {
        derive(shared_text!("aws:PrincipalType"), kind);
    }
    match principal {
        Principal::User { name, .. } => derive(shared_text!("aws:username"), Text::from(name)),
        Principal::Root { account, .. } => derive(shared_text!("aws:userid"), Text::from(account)),
        Principal::FederatedUser { account, name, .. } => derive(
            shared_text!("aws:userid"),
            Text::from(format!("{account}:{name}")),
        ),
        Principal::Anonymous => derive(shared_text!("aws:userid"), shared_text!("anonymous")),
        Principal::Service { name } => {
            derive(shared_text!("aws:PrincipalServiceName"), Text::from(name))
        }
        Principal::Role { .. } | Principal::AssumedRole { .. } => {}
    }
    if !matches!(principal, Principal::Anonymous) {
        let is_service = matches!(principal, Principal::Service { .. });
        context.insert_if_absent(
            shared_text!("aws:PrincipalIsAWSService"),
            ContextValue::Single(ContextScalar::Bool(is_service)),
            ValueOrigin::Derived,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_keys_from_a_user() {
        let p = Principal::parse("arn:aws:iam::111122223333:user/alice").unwrap();
        let r = Request::new(p, "s3:GetObject", "arn:aws:s3:::b/k", None, Context::new());
        assert_eq!(
            r.context.single_text("aws:username").as_deref(),
            Some("alice")
        );
        assert_eq!(
            r.context.single_text("aws:PrincipalAccount").as_deref(),
            Some("111122223333")
        );
        assert_eq!(
            r.context.single_text("aws:principaltype").as_deref(),
            Some("User")
        );
        assert_eq!(
            r.context.get("aws:username").unwrap().origin,
            ValueOrigin::Derived
        );
    }

    #[test]
    fn given_values_win_and_sessions_have_no_username() {
        let p = Principal::parse("arn:aws:sts::111122223333:assumed-role/Dev/alice").unwrap();
        let mut given = Context::new();
        given.insert(
            "aws:PrincipalType",
            ContextValue::string("Custom"),
            ValueOrigin::Request,
        );
        let r = Request::new(p, "s3:GetObject", "*", None, given);
        assert_eq!(
            r.context.single_text("aws:PrincipalType").as_deref(),
            Some("Custom")
        );
        assert_eq!(
            r.context.single_text("aws:PrincipalArn").as_deref(),
            Some("arn:aws:iam::111122223333:role/Dev")
        );
        assert!(!r.context.contains("aws:username"));
    }
}
