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
