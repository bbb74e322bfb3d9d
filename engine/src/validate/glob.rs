//! Whether one wildcard pattern (`*`, `?`) covers another: every text the
//! specific pattern matches, the general one matches too. Used to find
//! redundant actions and resources.

/// One token of a pattern.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    One,
    Many,
}

fn tokens(pattern: &str, ignore_case: bool) -> Vec<Token> {
    pattern
        .chars()
        .map(|c| match c {
            '*' => Token::Many,
            '?' => Token::One,
            c if ignore_case => Token::Char(c.to_ascii_lowercase()),
            c => Token::Char(c),
        })
        .collect()
}

/// The text before the first wildcard.
fn literal_prefix(pattern: &str) -> &str {
    match pattern.find(['*', '?']) {
        Some(i) => pattern.get(..i).unwrap_or(""),
        None => pattern,
    }
}

/// Whether `general` matches every text `specific` matches. Sound (a `true`
/// is always right); a few exotic pairs of patterns that are in fact
/// covered may answer `false`.
pub(crate) fn covers(general: &str, specific: &str, ignore_case: bool) -> bool {
    let same = |a: &str, b: &str| {
        if ignore_case {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    };
    if !general.contains(['*', '?']) {
        return same(general, specific);
    }
    // The general pattern's literal prefix must start the specific one.
    let prefix = literal_prefix(general);
    match specific.get(..prefix.len()) {
        Some(head) if same(head, prefix) => {}
        _ => return false,
    }
    // And its literal suffix must end it.
    let suffix = match general.rfind(['*', '?']) {
        Some(i) => general.get(i + 1..).unwrap_or(""),
        None => general,
    };
    match specific
        .len()
        .checked_sub(suffix.len())
        .and_then(|start| specific.get(start..))
    {
        Some(tail) if same(tail, suffix) => {}
        _ => return false,
    }
    let g = tokens(general, ignore_case);
    let s = tokens(specific, ignore_case);
    // row[j]: g[i..] covers s[j..], computed from the last token of g back.
    let mut next = vec![false; s.len() + 1];
    if let Some(last) = next.last_mut() {
        *last = true;
    }
    for gi in g.iter().rev() {
        let mut row = vec![false; s.len() + 1];
        for j in (0..=s.len()).rev() {
            let here = s.get(j);
            let rest_next = next.get(j + 1).copied().unwrap_or(false);
            let value = match gi {
                Token::Many => {
                    next.get(j).copied().unwrap_or(false)
                        || (here.is_some() && row.get(j + 1).copied().unwrap_or(false))
                }
                Token::One => matches!(here, Some(Token::Char(_) | Token::One)) && rest_next,
                Token::Char(c) => here == Some(&Token::Char(*c)) && rest_next,
            };
            if let Some(slot) = row.get_mut(j) {
                *slot = value;
            }
        }
        next = row;
    }
    next.first().copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn wildcards_cover_what_they_match() {
        assert!(covers("s3:Get*", "s3:GetObject", true));
        assert!(covers("s3:Get*", "s3:getobject", true));
        assert!(covers("s3:Get*", "s3:GetObject*", true));
        assert!(covers("s3:*", "s3:Get*", true));
        assert!(covers("*", "iam:PassRole", true));
        assert!(covers("s3:Get?bject", "s3:GetObject", true));
        assert!(covers("s3:*Object", "s3:Get*Object", true));
        assert!(covers("iam:GetRole", "iam:getrole", true));
        assert!(!covers("iam:GetRole", "iam:getrole", false));
        assert!(!covers("s3:GetObject", "s3:Get*", true));
        assert!(!covers("s3:Get?", "s3:Get*", true));
        assert!(!covers("s3:Get*", "s3:List*", true));
        assert!(!covers("iam:*CredentialReport", "iam:Get*", true));
        assert!(covers(
            "arn:aws:iam::111122223333:role/jane*",
            "arn:aws:iam::111122223333:role/jane-admin",
            false
        ));
        assert!(!covers("arn:aws:s3:::b/*", "arn:aws:s3:::b", false));
        assert!(covers("arn:aws:s3:::b*", "arn:aws:s3:::b/*", false));
    }
}

/// Whether some text matches both patterns (case-sensitive). `${...}` in
/// either (a policy variable or an ARN format's placeholder) stands for any
/// text, like `*`.
pub(crate) fn intersects(a: &str, b: &str) -> bool {
    // Quick answers without allocating: the literal starts (before any
    // wildcard or placeholder) must agree as far as both go, and so must the
    // literal ends; two texts without wildcards intersect when equal.
    let wild = |t: &str| t.find(['*', '?', '$']);
    let (wa, wb) = (wild(a), wild(b));
    if wa.is_none() && wb.is_none() {
        return a == b;
    }
    let ha = wa.and_then(|i| a.get(..i)).unwrap_or(a).as_bytes();
    let hb = wb.and_then(|i| b.get(..i)).unwrap_or(b).as_bytes();
    if ha.iter().zip(hb).any(|(x, y)| x != y) {
        return false;
    }
    let tail_of = |t: &str| -> usize {
        // Bytes after the last wildcard or placeholder.
        let last_star = t.rfind(['*', '?']).map_or(0, |i| i + 1);
        let last_placeholder = t.rfind('}').map_or(0, |i| i + 1);
        t.len() - last_star.max(last_placeholder)
    };
    let (ta, tb) = (tail_of(a), tail_of(b));
    let n = ta.min(tb);
    if a.as_bytes()
        .iter()
        .rev()
        .take(n)
        .ne(b.as_bytes().iter().rev().take(n))
    {
        return false;
    }
    let a = tokens(&placeholders_as_stars(a), false);
    let b = tokens(&placeholders_as_stars(b), false);
    // next[j]: a[i+1..] and b[j..] intersect; row[j]: a[i..] and b[j..].
    let m = b.len();
    let mut next = vec![false; m + 1];
    // a exhausted: b[j..] must be able to match the empty text.
    for j in (0..=m).rev() {
        let value =
            j == m || (b.get(j) == Some(&Token::Many) && next.get(j + 1).copied().unwrap_or(false));
        if let Some(slot) = next.get_mut(j) {
            *slot = value;
        }
    }
    for ai in a.iter().rev() {
        let mut row = vec![false; m + 1];
        for j in (0..=m).rev() {
            let bj = b.get(j);
            let value = match (ai, bj) {
                (Token::Many, _) => {
                    next.get(j).copied().unwrap_or(false)
                        || (bj.is_some() && row.get(j + 1).copied().unwrap_or(false))
                }
                (_, Some(Token::Many)) => {
                    row.get(j + 1).copied().unwrap_or(false)
                        || next.get(j).copied().unwrap_or(false)
                }
                (_, None) => false,
                (Token::One, Some(_)) | (_, Some(Token::One)) => {
                    next.get(j + 1).copied().unwrap_or(false)
                }
                (Token::Char(x), Some(Token::Char(y))) => {
                    x == y && next.get(j + 1).copied().unwrap_or(false)
                }
            };
            if let Some(slot) = row.get_mut(j) {
                *slot = value;
            }
        }
        next = row;
    }
    next.first().copied().unwrap_or(false)
}

/// [`covers`] for ARN patterns, case-sensitive and segment by segment as
/// the engine matches resources (a wildcard never crosses the five `:`
/// that separate the parts). Texts not shaped like ARNs are compared whole.
pub(crate) fn arn_covers(general: &str, specific: &str) -> bool {
    match (arn_segments(general), arn_segments(specific)) {
        (Some(g), Some(s)) => g.iter().zip(&s).all(|(a, b)| covers(a, b, false)),
        _ => covers(general, specific, false),
    }
}

/// The six `:`-separated parts of an ARN (the last one keeps its `:`s).
pub(super) fn arn_segments(text: &str) -> Option<[&str; 6]> {
    let mut parts = text.splitn(6, ':');
    let mut out = [""; 6];
    for slot in &mut out {
        *slot = parts.next()?;
    }
    Some(out)
}

/// Whether some ARN matches both ARN patterns, as the engine matches
/// resources: segment by segment (a wildcard never crosses the five `:`
/// that separate partition, service, region, account and resource). Texts
/// not shaped like ARNs are intersected whole.
pub(crate) fn arn_intersects(a: &str, b: &str) -> bool {
    match (arn_segments(a), arn_segments(b)) {
        (Some(x), Some(y)) => x.iter().zip(&y).all(|(p, q)| intersects(p, q)),
        _ => intersects(a, b),
    }
}

/// `text` with each `${...}` replaced by `*`.
pub(crate) fn placeholders_as_stars(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or(""));
        out.push('*');
        match rest.get(start..).and_then(|r| r.find('}')) {
            Some(end) => rest = rest.get(start + end + 1..).unwrap_or(""),
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod intersect_tests {
    use super::{arn_intersects, intersects};

    #[test]
    fn patterns_that_share_a_text_intersect() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(intersects("arn:aws:s3:::reports/*", object));
        assert!(
            intersects("arn:aws:s3:::reports/*", bucket),
            "a bucket name may not hold `/`, but formats do not say so"
        );
        assert!(intersects("arn:aws:s3:::reports", bucket));
        assert!(!intersects("arn:aws:s3:::reports", object));
        assert!(intersects("arn:aws:organizations::*:", "arn:${Partition}:organizations::${Account}:account/o-${OrganizationId}/${AccountId}"), "`*` crosses `:` as plain text");
        assert!(!arn_intersects(
            "arn:aws:organizations::*:",
            "arn:${Partition}:organizations::${Account}:account/o-${OrganizationId}/${AccountId}"
        ));
        assert!(intersects(
            "arn:aws:iam::*:role/a?c",
            "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
        ));
        assert!(intersects("a*b", "*"));
        assert!(!intersects("a*b", "c*"));
        assert!(intersects("ab", "a?"));
        assert!(!intersects("abc", "a?"));
    }
}
