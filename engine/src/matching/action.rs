//! Action names (`service:Operation`) and their case-insensitive matching.

use super::wildcard::Pattern;

/// A request's action split into service prefix and operation name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionName<'a> {
    /// The service prefix, such as `s3`.
    pub service: &'a str,
    /// The operation, such as `GetObject`.
    pub name: &'a str,
}

impl<'a> ActionName<'a> {
    /// Splits `action` at its first colon; `None` when there is no prefix.
    pub fn parse(action: &'a str) -> Option<Self> {
        let (service, name) = action.split_once(':')?;
        (!service.is_empty() && !name.is_empty()).then_some(ActionName { service, name })
    }
}

/// Whether `action` matches the policy's action `pattern`: case-insensitive,
/// with `*` and `?` wildcards.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    Pattern::wildcard(pattern).matches_ignore_case(action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_table() {
        let cases = [
            ("*", "s3:GetObject", true),
            ("s3:*", "s3:GetObject", true),
            ("S3:getobject", "s3:GetObject", true),
            ("s3:Get*", "s3:GetObjectAcl", true),
            ("s3:Get*", "s3:ListBucket", false),
            ("s3:*Object", "s3:PutObject", true),
            ("s3:?etObject", "s3:GetObject", true),
            ("ec2:*", "s3:GetObject", false),
            ("s3:GetObject", "s3:GetObjectAcl", false),
            ("iam:*AccessKey*", "iam:CreateAccessKey", true),
        ];
        for (pattern, action, expected) in cases {
            assert_eq!(
                action_matches(pattern, action),
                expected,
                "{pattern} vs {action}"
            );
        }
    }

    #[test]
    fn parses_action_names() {
        assert_eq!(
            ActionName::parse("s3:GetObject"),
            Some(ActionName {
                service: "s3",
                name: "GetObject"
            })
        );
        assert_eq!(ActionName::parse("GetObject"), None);
        assert_eq!(ActionName::parse(":x"), None);
    }
}
