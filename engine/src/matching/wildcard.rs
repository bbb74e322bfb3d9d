//! Wildcard patterns with `*` (any run of characters) and `?` (any one
//! character), matched in linear time without backtracking blow-up.
//!
//! A pattern is split at its `*`s into segments. The first segment is
//! anchored at the start, the last at the end, and each middle segment is
//! placed at its leftmost fit after the one before: for patterns made only
//! of `*`, `?` and literals the leftmost fit is always safe, so no
//! backtracking is needed.

use std::borrow::Cow;

use serde::Serialize;

/// One element of a wildcard pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PatternToken {
    /// A literal character (it may be `*` or `?` when it came from an escape
    /// such as `${*}` or from a substituted variable).
    Char(char),
    /// `?`: any single character.
    AnyChar,
    /// `*`: any run of characters, including none.
    AnyRun,
}

/// How many leading literal bytes a pattern keeps next to its tokens.
const HEAD: usize = 16;

impl PatternToken {
    /// The token for a character of policy text: `*` and `?` are wildcards.
    pub fn of_wildcard_text(c: char) -> PatternToken {
        match c {
            '*' => PatternToken::AnyRun,
            '?' => PatternToken::AnyChar,
            other => PatternToken::Char(other),
        }
    }
}

/// A compiled wildcard pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The tokens; empty for a `compact` pattern.
    tokens: Vec<PatternToken>,
    /// Whether the pattern is just its head, plus a final `*` when
    /// `wildcards` is 1 (ASCII text of at most [`HEAD`] characters, as most
    /// actions are): its tokens are built only when asked for.
    compact: bool,
    /// How many `*` and `?` tokens there are.
    wildcards: u32,
    /// Whether every literal character is ASCII.
    ascii: bool,
    /// The pattern's first ASCII literal characters (up to [`HEAD`]): every
    /// match starts with them. Kept inline, as two little-endian words
    /// (zero beyond `head_len`), so most patterns that cannot match are
    /// turned down in a few word compares, without reading their tokens.
    head: [u64; 2],
    head_len: u8,
    /// Whether `head` has met a wildcard or a non-ASCII character.
    head_closed: bool,
}

impl Default for Pattern {
    fn default() -> Self {
        Pattern {
            tokens: Vec::new(),
            compact: false,
            wildcards: 0,
            ascii: true,
            head: [0; 2],
            head_len: 0,
            head_closed: false,
        }
    }
}

impl Pattern {
    /// A pattern where `*` and `?` in `text` are wildcards.
    pub fn wildcard(text: &str) -> Self {
        let literal = text.strip_suffix('*').unwrap_or(text);
        if literal.len() <= HEAD && literal.is_ascii() && !literal.contains(['*', '?']) {
            // Short ASCII text, maybe with a final `*`: the head is the
            // whole pattern.
            return Pattern {
                compact: true,
                wildcards: u32::from(literal.len() < text.len()),
                head: words(literal.as_bytes()),
                // At most `HEAD` bytes: fits in a byte.
                head_len: u8::try_from(literal.len()).unwrap_or(0),
                head_closed: literal.len() < text.len(),
                ..Pattern::default()
            };
        }
        let mut pattern = Pattern::default();
        pattern.push_wildcard_text(text);
        pattern
    }

    /// Builds the tokens of a compact pattern, before it changes.
    fn expand(&mut self) {
        if self.compact {
            self.tokens = self.tokens().into_owned();
            self.compact = false;
        }
    }

    /// A pattern that matches `text` literally.
    pub fn literal(text: &str) -> Self {
        let mut pattern = Pattern::default();
        pattern.push_literal(text);
        pattern
    }

    /// Appends text whose `*` and `?` are wildcards.
    pub fn push_wildcard_text(&mut self, text: &str) {
        self.expand();
        if text.is_ascii() {
            if !self.head_closed && usize::from(self.head_len) == self.tokens.len() {
                self.extend_head_with(text.as_bytes());
            }
            // Bytes have an exact length, so this extends without re-checking
            // capacity; wildcards are counted on the way.
            let mut wildcards = 0u32;
            self.tokens.extend(text.bytes().map(|b| {
                let token = PatternToken::of_wildcard_text(char::from(b));
                if !matches!(token, PatternToken::Char(_)) {
                    wildcards += 1;
                }
                token
            }));
            self.wildcards = self.wildcards.saturating_add(wildcards);
        } else {
            self.ascii = false;
            for c in text.chars() {
                let token = PatternToken::of_wildcard_text(c);
                if token != PatternToken::Char(c) {
                    self.wildcards = self.wildcards.saturating_add(1);
                }
                self.tokens.push(token);
            }
        }
        self.extend_head();
    }

    /// Takes the ASCII bytes of policy text about to be pushed, right after
    /// the head, into `head` up to the first wildcard: the same as
    /// [`Pattern::extend_head`] after the push, in a few word operations.
    fn extend_head_with(&mut self, text: &[u8]) {
        let at = usize::from(self.head_len);
        let room = HEAD - at;
        let literal = text
            .iter()
            .take(room)
            .take_while(|b| !matches!(b, b'*' | b'?'))
            .count();
        let mut buffer = [0u8; HEAD];
        let (low, high) = buffer.split_at_mut(HEAD / 2);
        low.copy_from_slice(&self.head[0].to_le_bytes());
        high.copy_from_slice(&self.head[1].to_le_bytes());
        if let (Some(to), Some(from)) = (buffer.get_mut(at..at + literal), text.get(..literal)) {
            to.copy_from_slice(from);
        }
        self.head = words(&buffer);
        // `literal` fits in `HEAD`, so in a byte.
        self.head_len += u8::try_from(literal).unwrap_or(0);
        if literal < text.len().min(room) {
            // Stopped at a wildcard.
            self.head_closed = true;
        }
    }

    /// Takes the tokens pushed since into `head` while they are ASCII
    /// literals.
    fn extend_head(&mut self) {
        while !self.head_closed && usize::from(self.head_len) < HEAD {
            let at = usize::from(self.head_len);
            match self.tokens.get(at) {
                Some(PatternToken::Char(c)) if c.is_ascii() => {
                    // ASCII: the cast keeps the character.
                    let byte = *c as u8;
                    let shift = 8 * (at % 8);
                    if let Some(word) = self.head.get_mut(at / 8) {
                        *word |= u64::from(byte) << shift;
                    }
                    self.head_len += 1;
                }
                Some(_) => self.head_closed = true,
                None => break,
            }
        }
    }

    /// How `text` starts compared with the pattern's head.
    fn head_match(&self, text: &str, ignore_case: bool) -> Head {
        let Some(start) = text.as_bytes().get(..usize::from(self.head_len)) else {
            return Head::Undecided;
        };
        let start = words(start);
        let same = if ignore_case {
            if (start[0] | start[1]) & HIGH_BITS != 0 {
                // Not ASCII: Unicode case folding decides.
                return Head::Undecided;
            }
            start.map(ascii_lowercase) == self.head.map(ascii_lowercase)
        } else {
            // Bytes compare exactly: a non-ASCII byte never equals an ASCII one.
            start == self.head
        };
        if same {
            Head::Matches
        } else {
            Head::Rejects
        }
    }

    /// Makes room for `additional` more characters.
    pub fn reserve(&mut self, additional: usize) {
        self.expand();
        self.tokens.reserve(additional);
    }

    /// Appends text matched literally.
    pub fn push_literal(&mut self, text: &str) {
        self.expand();
        self.ascii &= text.is_ascii();
        self.tokens.reserve(text.len());
        for c in text.chars() {
            self.tokens.push(PatternToken::Char(c));
        }
        self.extend_head();
    }

    /// A pattern made of the given tokens.
    pub fn from_tokens(tokens: Vec<PatternToken>) -> Self {
        let mut pattern = Pattern {
            tokens,
            ..Pattern::default()
        };
        pattern.recount();
        pattern.extend_head();
        pattern
    }

    /// Appends tokens as they are.
    pub fn extend_tokens(&mut self, tokens: impl IntoIterator<Item = PatternToken>) {
        self.expand();
        self.tokens.extend(tokens);
        self.recount();
        self.extend_head();
    }

    fn recount(&mut self) {
        let wildcards = self
            .tokens
            .iter()
            .filter(|t| !matches!(t, PatternToken::Char(_)))
            .count();
        self.wildcards = u32::try_from(wildcards).unwrap_or(u32::MAX);
        self.ascii = self.tokens.iter().all(|t| match t {
            PatternToken::Char(c) => c.is_ascii(),
            _ => true,
        });
    }

    /// The tokens of the pattern (built for a compact pattern).
    pub fn tokens(&self) -> Cow<'_, [PatternToken]> {
        if !self.compact {
            return Cow::Borrowed(&self.tokens);
        }
        let head = self.head.map(u64::to_le_bytes);
        let mut tokens: Vec<PatternToken> = head
            .iter()
            .flatten()
            .take(usize::from(self.head_len))
            .map(|b| PatternToken::Char(char::from(*b)))
            .collect();
        if self.wildcards == 1 {
            tokens.push(PatternToken::AnyRun);
        }
        Cow::Owned(tokens)
    }

    /// Whether the pattern has any wildcard.
    pub fn has_wildcards(&self) -> bool {
        self.wildcards > 0
    }

    /// The pattern's characters with wildcards shown as `*` and `?`.
    pub fn display_text(&self) -> String {
        self.tokens()
            .iter()
            .map(|t| match t {
                PatternToken::Char(c) => *c,
                PatternToken::AnyChar => '?',
                PatternToken::AnyRun => '*',
            })
            .collect()
    }

    /// Whether the whole of `text` matches, case-sensitively.
    pub fn matches(&self, text: &str) -> bool {
        self.matches_with(text, false)
    }

    /// Whether the whole of `text` matches, ignoring case.
    pub fn matches_ignore_case(&self, text: &str) -> bool {
        self.matches_with(text, true)
    }

    /// Whether the whole of `text` matches; `ignore_case` folds both sides.
    pub fn matches_with(&self, text: &str, ignore_case: bool) -> bool {
        self.match_literal_or_prefix(text, ignore_case)
            .unwrap_or_else(|| match_token_slice(&self.tokens(), text, ignore_case))
    }

    /// The answer for the two shapes most policy patterns have, decided by
    /// comparing bytes: ASCII text with no wildcard (`s3:GetObject`), or
    /// with one `*` at the very end (`s3:Get*`, `arn:aws:s3:::bucket/*`).
    /// `None` for any other pattern, and for non-ASCII text when ignoring
    /// case (Unicode case folding can change lengths).
    ///
    /// For an ARN pattern these shapes also decide [`super::arn_matches`]:
    /// a literal ARN matches only itself, and a trailing `*` (ending the
    /// last segment written) crosses colons, so it is a prefix match.
    pub fn match_literal_or_prefix(&self, text: &str, ignore_case: bool) -> Option<bool> {
        let head = self.head_match(text, ignore_case);
        if head == Head::Rejects {
            return Some(false);
        }
        if self.compact {
            let length = usize::from(self.head_len);
            let is_prefix = self.wildcards == 1;
            return match head {
                // Every character is in the head, compared on ASCII bytes.
                Head::Matches => Some(is_prefix || text.len() == length),
                // Shorter than the pattern's text, or not ASCII where it
                // is: too short to match, unless case folding decides.
                _ if ignore_case && !text.is_ascii() => None,
                _ => Some(false),
            };
        }
        let (literal, is_prefix) = match (self.wildcards, self.tokens.split_last()) {
            (0, _) => (self.tokens.as_slice(), false),
            (1, Some((PatternToken::AnyRun, rest))) => (rest, true),
            _ => return None,
        };
        if head == Head::Matches && usize::from(self.head_len) == literal.len() {
            // Every literal character is compared, on ASCII bytes: a prefix
            // matches; a literal matches when nothing follows.
            return Some(is_prefix || text.len() == literal.len());
        }
        if !self.ascii || (ignore_case && !text.is_ascii()) {
            return None;
        }
        let bytes = text.as_bytes();
        let length_fits = if is_prefix {
            bytes.len() >= literal.len()
        } else {
            bytes.len() == literal.len()
        };
        if !length_fits {
            return Some(false);
        }
        // The head's bytes are already compared.
        let checked = if head == Head::Matches {
            usize::from(self.head_len)
        } else {
            0
        };
        let rest = literal.get(checked..).unwrap_or(&[]);
        for (token, &byte) in rest.iter().zip(bytes.get(checked..).unwrap_or(&[])) {
            let PatternToken::Char(c) = *token else {
                return None;
            };
            // ASCII by `self.ascii`: the cast keeps the character.
            let c = c as u8;
            if c != byte && !(ignore_case && c.eq_ignore_ascii_case(&byte)) {
                return Some(false);
            }
        }
        Some(true)
    }
}

/// The high bit of every byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Up to [`HEAD`] bytes as two little-endian words, zero beyond.
fn words(bytes: &[u8]) -> [u64; 2] {
    let mut buffer = [0u8; HEAD];
    for (slot, byte) in buffer.iter_mut().zip(bytes) {
        *slot = *byte;
    }
    let (low, high) = buffer.split_at(HEAD / 2);
    [
        u64::from_le_bytes(low.try_into().unwrap_or_default()),
        u64::from_le_bytes(high.try_into().unwrap_or_default()),
    ]
}

/// Lower-cases the ASCII letters of a word of ASCII bytes, all at once:
/// a byte gets bit 5 when it is in `A`..=`Z` (no byte carries into the
/// next, since every byte is below 0x80).
fn ascii_lowercase(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let at_least_a = word.wrapping_add(ONES * (0x80 - u64::from(b'A')));
    let above_z = word.wrapping_add(ONES * (0x80 - u64::from(b'Z') - 1));
    let upper = at_least_a & !above_z & HIGH_BITS;
    word | (upper >> 2)
}

impl PartialEq for Pattern {
    /// Patterns are equal when their tokens are.
    fn eq(&self, other: &Self) -> bool {
        self.tokens() == other.tokens()
    }
}

impl Eq for Pattern {}

/// How a text starts compared with a pattern's head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    /// It starts with every head byte.
    Matches,
    /// It differs at an ASCII byte: it cannot match.
    Rejects,
    /// It is shorter than the head, or not ASCII within it.
    Undecided,
}

/// Whether the whole of `text` matches `tokens`. ASCII text against an ASCII
/// pattern (the usual case for ARNs and actions) is matched on bytes without
/// allocating; anything else character by character.
///
/// The work is linear in the text and the pattern for literal segments (a
/// KMP search), and at most the text's length times a 64th of the longest
/// segment that has a `?` (a bit-parallel search): see [`find_segment`].
pub fn match_token_slice(tokens: &[PatternToken], text: &str, ignore_case: bool) -> bool {
    // Quick reject: the pattern's ASCII literal start must be the text's
    // start. Most patterns of a policy fail here, on their service prefix
    // or their ARN's first segments.
    for (token, &byte) in tokens.iter().zip(text.as_bytes()) {
        match token {
            PatternToken::Char(c) if c.is_ascii() && byte.is_ascii() => {
                let c = *c as u8;
                if c != byte && !(ignore_case && c.eq_ignore_ascii_case(&byte)) {
                    return false;
                }
            }
            _ => break,
        }
    }
    let ascii_pattern = tokens.iter().all(|t| match t {
        PatternToken::Char(c) => c.is_ascii(),
        _ => true,
    });
    if ascii_pattern && text.is_ascii() {
        // ASCII on both sides: the casts keep the characters.
        let byte_key = |b: u8| {
            if ignore_case {
                b.to_ascii_lowercase()
            } else {
                b
            }
        };
        match_tokens(tokens, text.as_bytes(), &byte_key, &|c: char| {
            byte_key(c as u8)
        })
    } else {
        let chars: Vec<char> = text.chars().collect();
        let key = |c: char| char_key(c, ignore_case);
        match_tokens(tokens, &chars, &key, &key)
    }
}

/// A character's comparison key: two characters are equal (ignoring case
/// when asked) exactly when their keys are. Ignoring case compares the full
/// lowercase mappings (`K`, the Kelvin sign, equals `k`): a mapping to one
/// character is that character; a longer one (`İ` lowercases to two
/// characters, and Unicode allows three) is packed 21 bits a character,
/// each plus one, with the top bit set.
fn char_key(c: char, ignore_case: bool) -> u64 {
    if !ignore_case {
        return u64::from(c);
    }
    if c.is_ascii() {
        return u64::from(c.to_ascii_lowercase());
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.len()) {
        (Some(single), 0) => u64::from(single),
        (first, _) => first.into_iter().chain(lower).fold(1 << 63, |key, l| {
            (key << 21) | (u64::from(l) + 1) | (1 << 63)
        }),
    }
}

/// Segments of at most this many tokens are searched position by position:
/// bounded work per text position.
const SHORT_SEGMENT: usize = 16;

/// Text positions the bit-parallel search reads before looking for a match.
const CHUNK: usize = 1024;

/// Whether `segment` (no `AnyRun` inside) matches `text` exactly at its start.
fn segment_fits<T: Copy, K: Eq>(
    segment: &[PatternToken],
    text: &[T],
    text_key: &impl Fn(T) -> K,
    char_key: &impl Fn(char) -> K,
) -> bool {
    segment.len() <= text.len()
        && segment.iter().zip(text).all(|(token, &c)| match token {
            PatternToken::Char(p) => char_key(*p) == text_key(c),
            PatternToken::AnyChar => true,
            PatternToken::AnyRun => false,
        })
}

/// Leftmost position where `segment` (not empty, no `AnyRun` inside) fits in
/// `text`.
///
/// A short segment is tried at each position; a literal one is found with
/// Knuth–Morris–Pratt (linear); one with `?` with a bit-parallel
/// Shift-And search, 64 pattern positions a word, reading the text only up
/// to [`CHUNK`] positions past the match.
fn find_segment<T: Copy, K: Copy + Ord>(
    segment: &[PatternToken],
    text: &[T],
    text_key: &impl Fn(T) -> K,
    char_key: &impl Fn(char) -> K,
) -> Option<usize> {
    if segment.len() > text.len() {
        return None;
    }
    if segment.len() <= SHORT_SEGMENT {
        return (0..=text.len() - segment.len()).find(|&at| {
            text.get(at..)
                .is_some_and(|rest| segment_fits(segment, rest, text_key, char_key))
        });
    }
    let keys: Vec<Option<K>> = segment
        .iter()
        .map(|t| match t {
            PatternToken::Char(c) => Some(char_key(*c)),
            _ => None,
        })
        .collect();
    match keys.iter().copied().collect::<Option<Vec<K>>>() {
        Some(literal) => kmp_find(&literal, text, text_key),
        None => shift_and_find(&keys, text, text_key, CHUNK),
    }
}

/// Leftmost occurrence of `needle` (not empty) in `text`, by
/// Knuth–Morris–Pratt: O(text + needle).
fn kmp_find<T: Copy, K: Copy + Eq>(
    needle: &[K],
    text: &[T],
    text_key: &impl Fn(T) -> K,
) -> Option<usize> {
    // `border[i]`: the length of the longest proper border of `needle[..=i]`.
    let mut border = Vec::with_capacity(needle.len());
    border.push(0usize);
    let mut k = 0;
    for &c in needle.iter().skip(1) {
        while k > 0 && needle.get(k) != Some(&c) {
            k = border.get(k - 1).copied().unwrap_or(0);
        }
        if needle.get(k) == Some(&c) {
            k += 1;
        }
        border.push(k);
    }
    let mut k = 0;
    for (i, &t) in text.iter().enumerate() {
        let c = text_key(t);
        while k > 0 && needle.get(k) != Some(&c) {
            k = border.get(k - 1).copied().unwrap_or(0);
        }
        if needle.get(k) == Some(&c) {
            k += 1;
            if k == needle.len() {
                return Some(i + 1 - needle.len());
            }
        }
    }
    None
}

/// One 64-position block of a segment for [`shift_and_find`].
struct Block<K> {
    /// For each literal key of the block, sorted: the positions (bits) it
    /// matches, `?` positions included.
    masks: Vec<(K, u64)>,
    /// The block's `?` positions: what any other character matches.
    any: u64,
}

impl<K: Copy + Ord> Block<K> {
    fn mask(&self, key: K) -> u64 {
        match self.masks.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(at) => self.masks.get(at).map_or(self.any, |(_, mask)| *mask),
            Err(_) => self.any,
        }
    }
}

/// Leftmost fit in `text` of `segment` (`None` is `?`), by Shift-And: bit
/// `j` of the state after text position `t` says whether `segment[..=j]`
/// ends there. The segment is cut into 64-position blocks, each one word,
/// and the text is read in chunks of `chunk` positions, every block over the
/// chunk in turn (a block takes its carry from the block before), so the
/// memory is the segment's size plus a chunk and the work is the text read
/// times the number of blocks.
fn shift_and_find<T: Copy, K: Copy + Ord>(
    segment: &[Option<K>],
    text: &[T],
    text_key: &impl Fn(T) -> K,
    chunk: usize,
) -> Option<usize> {
    let length = segment.len();
    if length == 0 || length > text.len() {
        return if length == 0 { Some(0) } else { None };
    }
    let blocks: Vec<Block<K>> = segment
        .chunks(64)
        .map(|positions| {
            let mut any = 0u64;
            let mut literal: Vec<(K, u64)> = Vec::new();
            for (bit, key) in positions.iter().enumerate() {
                match key {
                    None => any |= 1 << bit,
                    Some(k) => literal.push((*k, 1 << bit)),
                }
            }
            literal.sort_by_key(|(k, _)| *k);
            let mut masks: Vec<(K, u64)> = Vec::with_capacity(literal.len());
            for (k, bit) in literal {
                match masks.last_mut() {
                    Some((last, mask)) if *last == k => *mask |= bit,
                    _ => masks.push((k, bit)),
                }
            }
            for (_, mask) in &mut masks {
                *mask |= any;
            }
            Block { masks, any }
        })
        .collect();
    let last_bit = 1u64 << ((length - 1) % 64);
    let chunk = chunk.max(1);
    // Each block's state after the text read so far.
    let mut state = vec![0u64; blocks.len()];
    // `carry[i]`: whether the previous block's prefix ended just before the
    // chunk's position `i` (the first block always starts a new prefix).
    let mut carry = vec![true; chunk];
    let mut next = vec![false; chunk];
    let mut start = 0;
    while start < text.len() {
        let end = (start + chunk).min(text.len());
        // Each character's key once, not once per block.
        let keys: Vec<K> = text
            .get(start..end)
            .unwrap_or(&[])
            .iter()
            .map(|&t| text_key(t))
            .collect();
        carry.iter_mut().for_each(|c| *c = true);
        let block_count = blocks.len();
        for (index, (block, word)) in blocks.iter().zip(state.iter_mut()).enumerate() {
            let mut d = *word;
            let is_last = index + 1 == block_count;
            for (i, (&key, &carry_in)) in keys.iter().zip(carry.iter()).enumerate() {
                if let Some(out) = next.get_mut(i) {
                    *out = d >> 63 == 1;
                }
                d = ((d << 1) | u64::from(carry_in)) & block.mask(key);
                if is_last && d & last_bit != 0 {
                    // Ends at `start + i`.
                    return Some(start + i + 1 - length);
                }
            }
            *word = d;
            std::mem::swap(&mut carry, &mut next);
        }
        start = end;
    }
    None
}

fn match_tokens<T: Copy, K: Copy + Ord>(
    tokens: &[PatternToken],
    text: &[T],
    text_key: &impl Fn(T) -> K,
    char_key: &impl Fn(char) -> K,
) -> bool {
    let mut segments = tokens.split(|t| *t == PatternToken::AnyRun);
    let first = segments.next().unwrap_or(&[]);
    let Some(last_star) = tokens.iter().rposition(|t| *t == PatternToken::AnyRun) else {
        // No `*`: the pattern must cover the text exactly.
        return first.len() == text.len() && segment_fits(first, text, text_key, char_key);
    };
    let last = tokens.get(last_star + 1..).unwrap_or(&[]);
    if first.len() + last.len() > text.len()
        || !segment_fits(first, text, text_key, char_key)
        || !text
            .get(text.len() - last.len()..)
            .is_some_and(|tail| segment_fits(last, tail, text_key, char_key))
    {
        return false;
    }
    let mut window = text
        .get(first.len()..text.len() - last.len())
        .unwrap_or(&[]);
    let middle = tokens.get(first.len() + 1..last_star).unwrap_or(&[]);
    // Each segment at its leftmost fit after the one before: the text is
    // read once from left to right, never again.
    for segment in middle.split(|t| *t == PatternToken::AnyRun) {
        if segment.is_empty() {
            continue;
        }
        match find_segment(segment, window, text_key, char_key) {
            Some(at) => window = window.get(at + segment.len()..).unwrap_or(&[]),
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(pattern: &str, text: &str) -> bool {
        Pattern::wildcard(pattern).matches(text)
    }

    /// Every string of up to `max` characters from `alphabet`.
    fn strings(alphabet: &[char], max: usize) -> Vec<String> {
        let mut all = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..max {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    #[test]
    fn words_lower_case_like_bytes_do() {
        for byte in 0u8..0x80 {
            let word = u64::from_le_bytes([byte; 8]);
            let lowered = u64::from_le_bytes([byte.to_ascii_lowercase(); 8]);
            assert_eq!(ascii_lowercase(word), lowered, "{byte:#x}");
        }
        let [low, high] = words(b"S3:GetObject");
        assert_eq!(ascii_lowercase(low).to_le_bytes(), *b"s3:getob");
        assert_eq!(high.to_le_bytes(), *b"ject\0\0\0\0");
    }

    #[test]
    fn the_byte_shortcut_agrees_with_the_token_matcher() {
        // `K` is the Kelvin sign, which folds to `k`.
        let patterns = strings(&['a', 'B', 'k', ':', '*', '?'], 4);
        let texts = strings(&['a', 'A', 'b', 'B', 'k', '\u{212A}', ':', 'é'], 4);
        let mut decided = 0;
        for p in &patterns {
            let pattern = Pattern::wildcard(p);
            // The same pattern with its tokens built (not compact).
            let mut built = Pattern::default();
            built.push_wildcard_text(p);
            assert_eq!(pattern, built, "{p:?}");
            for t in &texts {
                for ignore_case in [false, true] {
                    assert_eq!(
                        pattern.matches_with(t, ignore_case),
                        built.matches_with(t, ignore_case),
                        "compact {p:?} vs {t:?}, ignore case {ignore_case}"
                    );
                    if let Some(fast) = pattern.match_literal_or_prefix(t, ignore_case) {
                        decided += 1;
                        assert_eq!(
                            fast,
                            match_token_slice(&pattern.tokens(), t, ignore_case),
                            "{p:?} vs {t:?}, ignore case {ignore_case}"
                        );
                    }
                }
            }
        }
        assert!(decided > 10_000, "{decided}");
    }

    #[test]
    fn wildcard_table() {
        let cases = [
            ("", "", true),
            ("", "a", false),
            ("*", "", true),
            ("*", "anything/at:all", true),
            ("a", "a", true),
            ("a", "A", false),
            ("?", "", false),
            ("?", "é", true),
            ("??", "a", false),
            ("a*", "a", true),
            ("a*", "abc", true),
            ("*c", "abc", true),
            ("*c", "abd", false),
            ("a*c", "ac", true),
            ("a*c", "abbbc", true),
            ("a*b*c", "abc", true),
            ("a*b*c", "acb", false),
            ("a*a", "a", false),
            ("a*a", "aa", true),
            ("*ab*ab*", "abab", true),
            ("*ab*ab*", "aab", false),
            ("s3:Get*", "s3:GetObject", true),
            ("s3:Get*", "s3:PutObject", false),
            ("s3:*Object", "s3:GetObject", true),
            ("s3:?etObject", "s3:GetObject", true),
            ("**", "x", true),
            ("*?", "", false),
            ("*?*", "x", true),
            ("a?c*", "abcd", true),
            ("*.txt", "a.txt.gz", false),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(m(pattern, text), expected, "{pattern:?} vs {text:?}");
        }
    }

    #[test]
    fn ignore_case_folds_both_sides() {
        let p = Pattern::wildcard("S3:get*");
        assert!(p.matches_ignore_case("s3:GetObject"));
        assert!(!p.matches("s3:GetObject"));
        assert!(Pattern::wildcard("ÉTÉ").matches_ignore_case("été"));
    }

    #[test]
    fn literal_stars_are_not_wildcards() {
        let mut p = Pattern::wildcard("home/");
        p.push_literal("a*b");
        p.push_wildcard_text("/*");
        assert!(p.matches("home/a*b/file"));
        assert!(!p.matches("home/axxb/file"));
        assert_eq!(p.display_text(), "home/a*b/*");
        assert!(Pattern::literal("?").matches("?"));
        assert!(!Pattern::literal("?").matches("x"));
    }

    /// The textbook matcher: which prefixes of the text the pattern read so
    /// far matches, one token at a time (O(pattern × text)), with characters
    /// equal ignoring case when their full lowercase mappings are.
    fn reference(pattern: &[PatternToken], text: &str, ignore_case: bool) -> bool {
        let text: Vec<char> = text.chars().collect();
        let n = text.len();
        let eq =
            |p: char, t: char| p == t || (ignore_case && p.to_lowercase().eq(t.to_lowercase()));
        let mut can = vec![false; n + 1];
        can[0] = true;
        for token in pattern {
            let mut next = vec![false; n + 1];
            match token {
                PatternToken::AnyRun => {
                    let mut any = false;
                    for j in 0..=n {
                        any |= can[j];
                        next[j] = any;
                    }
                }
                PatternToken::AnyChar => {
                    next[1..].copy_from_slice(&can[..n]);
                }
                PatternToken::Char(p) => {
                    for j in 1..=n {
                        next[j] = can[j - 1] && eq(*p, text[j - 1]);
                    }
                }
            }
            can = next;
        }
        can[n]
    }

    /// Leftmost fit of `segment` (`None` is `?`) in `text`, by trying every
    /// position.
    fn leftmost(segment: &[Option<u8>], text: &[u8]) -> Option<usize> {
        if segment.len() > text.len() {
            return None;
        }
        (0..=text.len() - segment.len()).find(|&at| {
            segment
                .iter()
                .zip(&text[at..])
                .all(|(p, t)| p.is_none_or(|p| p == *t))
        })
    }

    /// Characters chosen to meet every rule: ASCII letters in both cases,
    /// `é`/`É` (two bytes), the Kelvin sign (folds to `k`), `İ` (lowercases
    /// to two characters), a combining dot, and `:`.
    const ALPHABET: &[char] = &[
        'a', 'a', 'a', 'b', 'A', 'B', 'k', 'K', 'i', ':', 'é', 'É', '\u{212A}', 'İ', '\u{307}',
    ];

    fn token() -> impl Strategy<Value = PatternToken> {
        prop_oneof![
            30 => proptest::sample::select(ALPHABET).prop_map(PatternToken::Char),
            6 => Just(PatternToken::AnyChar),
            2 => Just(PatternToken::AnyRun),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(ALPHABET), 0..12)
            .prop_map(|chars| chars.into_iter().collect())
    }

    prop_compose! {
        /// A pattern and a text made from it (each `*` and `?` filled in,
        /// some letters in the other case), maybe with one character
        /// changed, dropped or added: most texts nearly match, so long
        /// segments are really searched.
        fn near_match()(
            tokens in proptest::collection::vec(token(), 0..160),
            fills in proptest::collection::vec(text(), 160),
            flip in proptest::collection::vec(any::<bool>(), 160),
            edit in proptest::option::of((any::<usize>(), 0u8..3, proptest::sample::select(ALPHABET))),
        ) -> (Vec<PatternToken>, String) {
            let mut chars: Vec<char> = Vec::new();
            for (i, token) in tokens.iter().enumerate() {
                match token {
                    PatternToken::Char(c) if flip[i] => chars.extend(c.to_uppercase()),
                    PatternToken::Char(c) => chars.push(*c),
                    PatternToken::AnyChar => chars.push(fills[i].chars().next().unwrap_or('b')),
                    PatternToken::AnyRun => chars.extend(fills[i].chars()),
                }
            }
            if let Some((at, kind, c)) = edit {
                let at = at % (chars.len() + 1);
                match kind {
                    0 if at < chars.len() => chars[at] = c,
                    1 if at < chars.len() => {
                        chars.remove(at);
                    }
                    _ => chars.insert(at, c),
                }
            }
            (tokens, chars.into_iter().collect())
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        #[test]
        fn matching_agrees_with_the_reference((tokens, text) in near_match()) {
            let pattern = Pattern::from_tokens(tokens.clone());
            for ignore_case in [false, true] {
                prop_assert_eq!(
                    pattern.matches_with(&text, ignore_case),
                    reference(&tokens, &text, ignore_case),
                    "{:?} vs {:?}, ignore case {}", pattern.display_text(), text, ignore_case
                );
            }
        }

        #[test]
        fn random_texts_agree_with_the_reference(
            tokens in proptest::collection::vec(token(), 0..40),
            text in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..60),
        ) {
            let text: String = text.into_iter().collect();
            let pattern = Pattern::from_tokens(tokens.clone());
            for ignore_case in [false, true] {
                prop_assert_eq!(
                    pattern.matches_with(&text, ignore_case),
                    reference(&tokens, &text, ignore_case)
                );
            }
        }

        #[test]
        fn searches_find_the_leftmost_fit(
            segment in proptest::collection::vec(
                proptest::option::weighted(0.8, proptest::sample::select(&b"aab"[..])), 1..200),
            noise in proptest::collection::vec(proptest::sample::select(&b"ab"[..]), 0..300),
            at in any::<usize>(),
            chunk in 1usize..80,
        ) {
            // The text: noise with an instance of the segment inside.
            let at = at % (noise.len() + 1);
            let mut text = noise[..at].to_vec();
            text.extend(segment.iter().map(|k| k.unwrap_or(b'b')));
            text.extend(&noise[at..]);
            let key = |b: u8| b;
            prop_assert_eq!(shift_and_find(&segment, &text, &key, chunk), leftmost(&segment, &text));
            prop_assert_eq!(shift_and_find(&segment, &noise, &key, chunk), leftmost(&segment, &noise));
            if let Some(literal) = segment.iter().copied().collect::<Option<Vec<u8>>>() {
                prop_assert_eq!(kmp_find(&literal, &text, &key), leftmost(&segment, &text));
                prop_assert_eq!(kmp_find(&literal, &noise, &key), leftmost(&segment, &noise));
            }
        }
    }

    #[test]
    fn long_segments_against_long_texts_are_quick_and_correct() {
        // The adversarial shapes for a matcher that tries every position:
        // a long middle segment that almost fits everywhere.
        // (Its speed is measured in `benches/matching.rs`.)
        let text = "a".repeat(8_000);
        let literal = format!("*{}b*", "a".repeat(4_000));
        assert!(!m(&literal, &text));
        assert!(m(&format!("*{}*", "a".repeat(4_000)), &text));
        let with_any = format!("*{}b*", "a?".repeat(2_000));
        assert!(!m(&with_any, &text));
        assert!(m(&format!("*{}*", "a?".repeat(2_000)), &text));
        let mut ends_in_b = text.clone();
        ends_in_b.push('b');
        assert!(m(&with_any, &ends_in_b));
        let upper = "A".repeat(8_000);
        assert!(Pattern::wildcard(&format!("*{}*", "a?".repeat(2_000))).matches_ignore_case(&upper));
    }

    #[test]
    fn hundred_stars_against_64k_is_quick_and_correct() {
        let pattern = Pattern::wildcard(&"*a".repeat(100));
        let text = "a".repeat(65_536);
        assert!(pattern.matches(&text));
        let text_b = "b".repeat(65_536);
        assert!(!pattern.matches(&text_b));
        let mut nearly = "a".repeat(99);
        nearly.push_str(&"b".repeat(65_000));
        assert!(!pattern.matches(&nearly));
    }
}
