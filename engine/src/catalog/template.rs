//! Names with placeholders: condition keys such as
//! `aws:RequestTag/${TagKey}` or `s3:ExistingObjectTag/<key>`, and ARN
//! formats such as `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.

use crate::matching::wildcard::match_token_slice;
use crate::matching::PatternToken;

/// A piece of a name: literal text or a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'a> {
    Literal(&'a str),
    Placeholder,
}

/// Splits `name` at its placeholders (`${Name}` or `<name>`).
fn pieces(name: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = name;
    while !rest.is_empty() {
        let dollar = rest
            .find("${")
            .and_then(|i| rest.get(i..)?.find('}').map(|j| (i, i + j + 1)));
        let angle = rest
            .find('<')
            .and_then(|i| rest.get(i..)?.find('>').map(|j| (i, i + j + 1)));
        let next = match (dollar, angle) {
            (Some(d), Some(a)) => Some(if d.0 <= a.0 { d } else { a }),
            (d, a) => d.or(a),
        };
        let Some((start, end)) = next else {
            out.push(Piece::Literal(rest));
            break;
        };
        if let Some(literal) = rest.get(..start).filter(|l| !l.is_empty()) {
            out.push(Piece::Literal(literal));
        }
        out.push(Piece::Placeholder);
        rest = rest.get(end..).unwrap_or_default();
    }
    out
}

/// The text before the first placeholder of `name`, or `None` when it has
/// no placeholder.
pub fn literal_prefix(name: &str) -> Option<&str> {
    let pieces = pieces(name);
    let first_placeholder = pieces.iter().position(|p| *p == Piece::Placeholder)?;
    let length: usize = pieces
        .iter()
        .take(first_placeholder)
        .map(|p| match p {
            Piece::Literal(l) => l.len(),
            Piece::Placeholder => 0,
        })
        .sum();
    name.get(..length)
}

/// Wildcard tokens for `name`: literal characters match themselves, a
/// placeholder any text (at least one character when `non_empty`).
pub fn placeholder_tokens(name: &str, non_empty: bool) -> Vec<PatternToken> {
    let mut tokens = Vec::with_capacity(name.len());
    for piece in pieces(name) {
        match piece {
            Piece::Literal(text) => tokens.extend(text.chars().map(PatternToken::Char)),
            Piece::Placeholder => {
                if non_empty {
                    tokens.push(PatternToken::AnyChar);
                }
                tokens.push(PatternToken::AnyRun);
            }
        }
    }
    tokens
}

/// Whether the concrete ARN `arn` fits the ARN format `format`. The first
/// five colon-separated segments (`arn`, partition, service, region,
/// account) are matched one by one, ignoring case, where a placeholder
/// stands for any text without a colon; the resource part, after the fifth
/// colon, is matched case-sensitively as a whole, where a placeholder stands
/// for any text (resource names may contain `/` and `:`).
pub fn matches_arn_format(format: &str, arn: &str) -> bool {
    let mut format_parts = format.splitn(6, ':');
    let mut arn_parts = arn.splitn(6, ':');
    for i in 0..6 {
        let (Some(f), Some(a)) = (format_parts.next(), arn_parts.next()) else {
            return false;
        };
        let head = i < 5;
        if !match_token_slice(&placeholder_tokens(f, false), a, head) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders() {
        assert_eq!(
            literal_prefix("aws:RequestTag/${TagKey}"),
            Some("aws:RequestTag/")
        );
        assert_eq!(
            literal_prefix("s3:ExistingObjectTag/<key>"),
            Some("s3:ExistingObjectTag/")
        );
        assert_eq!(
            literal_prefix("token.actions.${Domain}.ghe.com:actor"),
            Some("token.actions.")
        );
        assert_eq!(literal_prefix("s3:prefix"), None);
        // An unclosed brace is literal text.
        assert_eq!(literal_prefix("x:a${b"), None);
    }

    #[test]
    fn key_templates_need_text_for_each_placeholder() {
        let tokens = placeholder_tokens("codebuild:secondarySources/${id}.auth.type", true);
        assert!(match_token_slice(
            &tokens,
            "codebuild:secondarySources/src1.auth.type",
            true
        ));
        assert!(!match_token_slice(
            &tokens,
            "codebuild:secondarySources/.auth.type",
            true
        ));
        assert!(!match_token_slice(
            &tokens,
            "codebuild:secondarySources/src1.auth",
            true
        ));
    }

    #[test]
    fn arns_against_formats() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(matches_arn_format(object, "arn:aws:s3:::bucket/a/b.txt"));
        assert!(matches_arn_format(object, "arn:aws:s3:::bucket/*"));
        assert!(!matches_arn_format(object, "arn:aws:s3:::bucket"));
        assert!(matches_arn_format(bucket, "arn:aws:s3:::bucket"));
        // `*` is text here: it fits a placeholder but not a slash.
        assert!(matches_arn_format(bucket, "arn:aws:s3:::*"));
        assert!(!matches_arn_format(bucket, "arn:aws:s3:us-east-1::bucket"));
        let role = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";
        assert!(matches_arn_format(
            role,
            "arn:aws:iam::123456789012:role/a/b"
        ));
        assert!(!matches_arn_format(
            role,
            "arn:aws:iam::123456789012:user/a"
        ));
        assert!(!matches_arn_format(
            role,
            "arn:aws:iam::123456789012:Role/a"
        ));
        assert!(matches_arn_format(role, "ARN:AWS:IAM::123456789012:role/a"));
        let function = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}";
        assert!(matches_arn_format(
            function,
            "arn:aws:lambda:us-east-1:123456789012:function:f:prod"
        ));
        assert!(!matches_arn_format(function, "arn:aws:lambda"));
        assert!(!matches_arn_format(function, ""));
    }
}
