//! Amazon Resource Names: parsing and wildcard matching.
//!
//! AWS documents that `*` and `?` work within the colon-separated segments of
//! an ARN, that a `*` which ends a segment may expand past the colons after
//! it, and that the resource part may contain `/` and `:` which `*` crosses.

use serde::Serialize;

use super::wildcard::{match_token_slice, Pattern, PatternToken};

/// The parts of an ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Arn {
    /// `aws`, `aws-cn`, `aws-us-gov`, …
    pub partition: String,
    /// The service namespace, such as `s3` or `iam`.
    pub service: String,
    /// The region, empty for global services.
    pub region: String,
    /// The account id, empty for S3 buckets and some others.
    pub account: String,
    /// Everything after the fifth colon.
    pub resource: String,
}

/// Why a text is not an ARN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArnError {
    /// It does not start with `arn:`.
    #[error("an ARN starts with `arn:`")]
    MissingPrefix,
    /// It has fewer than six colon-separated parts.
    #[error("an ARN has six parts, `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, and this one has {0}")]
    TooFewParts(usize),
    /// The partition, service or resource part is empty.
    #[error("the {0} part of the ARN is empty")]
    EmptyPart(&'static str),
}

impl Arn {
    /// Parses `text` as an ARN.
    pub fn parse(text: &str) -> Result<Arn, ArnError> {
        let [partition, service, region, account, resource] = Arn::parts(text)?;
        Ok(Arn {
            partition: partition.to_owned(),
            service: service.to_owned(),
            region: region.to_owned(),
            account: account.to_owned(),
            resource: resource.to_owned(),
        })
    }

    /// Checks that `text` is an ARN, as [`Arn::parse`] does, without
    /// copying its parts.
    pub fn check(text: &str) -> Result<(), ArnError> {
        Arn::parts(text).map(|_| ())
    }

    /// The parts of ARN `text`, borrowed: partition, service, region,
    /// account and resource (the same checks as [`Arn::parse`]).
    pub fn parts(text: &str) -> Result<[&str; 5], ArnError> {
        let mut parts = split_colons(text);
        if parts.next() != Some("arn") {
            return Err(ArnError::MissingPrefix);
        }
        let mut found = [""; 5];
        let mut count = 0;
        for (slot, part) in found.iter_mut().zip(parts) {
            *slot = part;
            count += 1;
        }
        if count < 5 {
            return Err(ArnError::TooFewParts(count + 1));
        }
        let [partition, service, _, _, resource] = found;
        for (name, value) in [
            ("partition", partition),
            ("service", service),
            ("resource", resource),
        ] {
            if value.is_empty() {
                return Err(ArnError::EmptyPart(name));
            }
        }
        Ok(found)
    }
}

/// `text` split at its first five colons (ARNs are short: a byte loop beats
/// a searcher).
pub(crate) fn split_colons(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    let mut cuts = 0;
    std::iter::from_fn(move || {
        let current = rest?;
        if cuts == 5 {
            rest = None;
            return Some(current);
        }
        match current.bytes().position(|b| b == b':') {
            Some(at) => {
                cuts += 1;
                rest = current.get(at + 1..);
                current.get(..at)
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

impl std::fmt::Display for Arn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// Ranges of the first six colon-separated fields of `items` (the sixth
/// keeps any further colons), and how many there are.
fn field_ranges<T>(items: &[T], is_colon: impl Fn(&T) -> bool) -> ([(usize, usize); 6], usize) {
    let mut ranges = [(0, 0); 6];
    let mut count = 0;
    let mut start = 0;
    for (i, item) in items.iter().enumerate() {
        if count < 5 && is_colon(item) {
            if let Some(r) = ranges.get_mut(count) {
                *r = (start, i);
            }
            count += 1;
            start = i + 1;
        }
    }
    if let Some(r) = ranges.get_mut(count) {
        *r = (start, items.len());
    }
    (ranges, count + 1)
}

/// Whether ARN `value` matches ARN `pattern` (whose `*`/`?` are wildcards),
/// case-sensitively, segment by segment. A pattern that is not shaped like an
/// ARN (for example `*`) is matched against the whole value.
pub fn arn_matches(pattern: &Pattern, value: &str) -> bool {
    pattern
        .match_literal_or_prefix(value, false)
        .unwrap_or_else(|| arn_matches_by_segments(&pattern.tokens(), value))
}

/// [`arn_matches`] segment by segment, for any pattern's tokens.
pub(crate) fn arn_matches_by_segments(tokens: &[PatternToken], value: &str) -> bool {
    let arn_prefix = [
        PatternToken::Char('a'),
        PatternToken::Char('r'),
        PatternToken::Char('n'),
        PatternToken::Char(':'),
    ];
    if tokens.get(..4) != Some(&arn_prefix[..]) || !value.starts_with("arn:") {
        return match_token_slice(tokens, value, false);
    }
    // Quick reject: the pattern's literal start (up to its first wildcard)
    // must be the value's start, colons included.
    let value_bytes = value.as_bytes();
    for (i, token) in tokens.iter().enumerate() {
        match token {
            PatternToken::Char(c) if c.is_ascii() => {
                if value_bytes.get(i) != Some(&(*c as u8)) {
                    return false;
                }
            }
            _ => break,
        }
    }
    let (pattern_fields, pattern_count) = field_ranges(tokens, |t| *t == PatternToken::Char(':'));
    let (value_fields, value_count) = field_ranges(value.as_bytes(), |b| *b == b':');
    let last = pattern_count - 1;
    for (index, &(start, end)) in pattern_fields.iter().enumerate().take(pattern_count) {
        let field = tokens.get(start..end).unwrap_or(&[]);
        let ends_with_star = field.last() == Some(&PatternToken::AnyRun);
        if index == last && (index == 5 || ends_with_star) {
            // The resource part, or a trailing `*` that may cross colons:
            // match the rest of the value as one string.
            return index < value_count
                && value_fields
                    .get(index)
                    .and_then(|(s, _)| value.get(*s..))
                    .is_some_and(|rest| match_token_slice(field, rest, false));
        }
        let matched = index < value_count
            && value_fields
                .get(index)
                .and_then(|(s, e)| value.get(*s..*e))
                .is_some_and(|v| match_token_slice(field, v, false));
        if !matched {
            return false;
        }
    }
    pattern_count == value_count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pattern: &str, value: &str) -> bool {
        arn_matches(&Pattern::wildcard(pattern), value)
    }

    #[test]
    fn the_byte_shortcut_agrees_with_segment_matching() {
        let patterns = [
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket*",
            "arn:aws:s3:*",
            "arn:aws:s3*",
            "arn:aws:*",
            "arn:*",
            "arn:aws:s3:us-*",
            "arn:aws:logs:us-east-1:1:log-group:a:*",
            "arn:aws:logs:us-east-1:1:log-group:a:b",
            "arn:aws:s3",
            "arn:aws:s3:",
            "*",
            "bucket/*",
        ];
        let values = [
            "arn:aws:s3:::bucket",
            "arn:aws:s3:::bucket/",
            "arn:aws:s3:::bucket/a/b",
            "arn:aws:s3:::bucketx:y",
            "arn:aws:s3",
            "arn:aws:s3:",
            "arn:aws:s3x:::b",
            "arn:aws:s3:us-east-1:1:thing/x",
            "arn:aws:logs:us-east-1:1:log-group:a:b",
            "arn:aws:logs:us-east-1:1:log-group:a:b:c",
            "arn:aws:iam::1:user/x",
            "bucket/key",
            "",
        ];
        let mut decided = 0;
        for p in patterns {
            let pattern = Pattern::wildcard(p);
            for v in values {
                if let Some(fast) = pattern.match_literal_or_prefix(v, false) {
                    decided += 1;
                    assert_eq!(
                        fast,
                        arn_matches_by_segments(&pattern.tokens(), v),
                        "{p:?} vs {v:?}"
                    );
                }
            }
        }
        assert!(decided > 100, "{decided}");
    }

    #[test]
    fn parses_arns() {
        let arn = Arn::parse("arn:aws:iam::111122223333:user/division/alice").unwrap();
        assert_eq!(arn.service, "iam");
        assert_eq!(arn.account, "111122223333");
        assert_eq!(arn.resource, "user/division/alice");
        let log = Arn::parse("arn:aws:logs:us-east-1:1:log-group:a:b").unwrap();
        assert_eq!(log.resource, "log-group:a:b");
        assert_eq!(Arn::parse("arm:aws"), Err(ArnError::MissingPrefix));
        assert_eq!(Arn::parse("arn:aws:s3"), Err(ArnError::TooFewParts(3)));
        assert_eq!(
            Arn::parse("arn:aws:s3:::"),
            Err(ArnError::EmptyPart("resource"))
        );
    }

    #[test]
    fn arn_match_table() {
        let cases = [
            ("*", "arn:aws:s3:::bucket/key", true),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c", true),
            ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", false),
            ("arn:aws:s3:::bucket", "arn:aws:s3:::bucket/key", false),
            ("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/key", false),
            ("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket/key", true),
            ("arn:aws:s3:*", "arn:aws:s3:::bucket/key", true),
            ("arn:aws:*", "arn:aws:iam::1:user/x", true),
            (
                "arn:aws:ec2:*:*:instance/*",
                "arn:aws:ec2:us-east-1:1:instance/i-1",
                true,
            ),
            (
                "arn:aws:ec2:us-*:*:instance/*",
                "arn:aws:ec2:eu-west-1:1:instance/i-1",
                false,
            ),
            (
                "arn:aws:ec2:us-?ast-1:1:instance/i-1",
                "arn:aws:ec2:us-east-1:1:instance/i-1",
                true,
            ),
            (
                "arn:aws:logs:*:*:log-group:app:*",
                "arn:aws:logs:eu-west-1:1:log-group:app:log-stream:x",
                true,
            ),
            (
                "arn:aws:iam::*:role/Admin",
                "arn:aws:iam::1:role/Admin",
                true,
            ),
            (
                "arn:aws:iam::*:role/Admin",
                "arn:aws:iam::1:role/Admin2",
                false,
            ),
            ("arn:aws:iam::1:user/*", "arn:aws:iam::2:user/bob", false),
            ("arn:aws:iam::1:user/*", "not-an-arn", false),
            // A `*` inside (not at the end of) a segment does not cross colons.
            ("arn:a*s:s3:::b", "arn:aws:x:s3:::b", false),
        ];
        for (pattern, value, expected) in cases {
            assert_eq!(m(pattern, value), expected, "{pattern:?} vs {value:?}");
        }
    }
}
