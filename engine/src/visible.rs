//! Invisible characters that change how text reads, made visible.
//!
//! Bidirectional controls (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) make a
//! name or Sid display in an order other than the one it has, and
//! zero-width characters make two different names look the same; in a
//! policy's explanation either can mislead the person relying on it. Where
//! names and Sids are shown to people (the app's explanation and summary,
//! `iam-eval --explain`), each such character is written as `⟨U+202E⟩`.
//! Policy texts themselves are kept exactly as written.

use std::borrow::Cow;

/// Whether `c` is a bidirectional control or an invisible formatting
/// character that can disguise text.
pub fn is_disguising(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'              // ARABIC LETTER MARK
            | '\u{200B}'..='\u{200F}' // zero width space, non-joiner, joiner, LRM, RLM
            | '\u{202A}'..='\u{202E}' // LRE, RLE, PDF, LRO, RLO
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // LRI, RLI, FSI, PDI
            | '\u{FEFF}' // zero width no-break space (BOM)
    )
}

/// `text` with every [disguising](is_disguising) character written as
/// `⟨U+XXXX⟩`; borrowed when there is none.
pub fn show_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_disguising) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_disguising(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` on one line: [disguising](is_disguising) and control characters
/// (line breaks, tabs, …) written as `⟨U+XXXX⟩`. For messages that quote
/// user input: a diagnostic is one line (the CLI prints one per line).
pub fn one_line(text: &str) -> Cow<'_, str> {
    let hidden = |c: char| is_disguising(c) || c.is_control();
    // Printable ASCII is neither, and most messages are nothing else: only
    // the text from the first other byte (a character boundary, as every
    // byte before it is ASCII) is read character by character. Natively
    // only: `iam-eval` writes tens of thousands of messages a run, the
    // browser a few, and the word scan would grow the WebAssembly module.
    let rest = if cfg!(target_arch = "wasm32") {
        text
    } else {
        crate::json::scan::not_printable_ascii(text.as_bytes())
            .and_then(|at| text.get(at..))
            .unwrap_or_default()
    };
    if !rest.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The longest quoted input, in characters, a message shows whole.
const QUOTE_LIMIT: usize = 160;
/// How much of a longer quote a message keeps: its first and last characters.
const QUOTE_HEAD: usize = 100;
const QUOTE_TAIL: usize = 40;

/// `text` with each backtick-quoted part longer than 160 characters
/// shortened to its first 100 and last 40 characters around `…`;
/// borrowed when no quote is that long. A message quotes what the person
/// wrote (an ARN, an action, a key), which can be a megabyte: the
/// diagnostic's span still points at all of it.
pub fn shorten_quotes(text: &str) -> Cow<'_, str> {
    let too_long =
        |quoted: &&str| quoted.len() > QUOTE_LIMIT && quoted.chars().count() > QUOTE_LIMIT;
    if text.len() <= QUOTE_LIMIT || !text.split('`').skip(1).step_by(2).any(|q| too_long(&q)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(4 * 1024));
    for (index, part) in text.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        if index % 2 == 0 || !too_long(&part) {
            out.push_str(part);
            continue;
        }
        let chars = part.chars().count();
        let at_char = |n: usize| part.char_indices().nth(n).map_or(part.len(), |(at, _)| at);
        out.push_str(part.get(..at_char(QUOTE_HEAD)).unwrap_or_default());
        out.push('…');
        out.push_str(
            part.get(at_char(chars.saturating_sub(QUOTE_TAIL))..)
                .unwrap_or_default(),
        );
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_and_plain_text_is_untouched() {
        assert!(matches!(show_controls("AllowRead"), Cow::Borrowed(_)));
        assert_eq!(show_controls("Allow\u{202E}daeR"), "Allow⟨U+202E⟩daeR");
        assert_eq!(
            show_controls("\u{2066}a\u{2069}\u{200B}b\u{FEFF}"),
            "⟨U+2066⟩a⟨U+2069⟩⟨U+200B⟩b⟨U+FEFF⟩"
        );
        // Ordinary non-ASCII text stays.
        assert_eq!(
            show_controls("Zugriff für Größe ✓ مرحبا"),
            "Zugriff für Größe ✓ مرحبا"
        );
        assert!(!is_disguising('a') && !is_disguising('\u{00E9}'));
    }

    #[test]
    fn one_line_shows_breaks_and_controls() {
        assert_eq!(
            one_line("invalid escape `\\\n`"),
            "invalid escape `\\⟨U+000A⟩`"
        );
        assert_eq!(one_line("a\tb\u{202E}"), "a⟨U+0009⟩b⟨U+202E⟩");
        assert!(matches!(one_line("plain ✓"), Cow::Borrowed(_)));
        assert!(matches!(one_line("printable ascii ~!"), Cow::Borrowed(_)));
        // Hidden characters after eight and more plain bytes, after
        // non-ASCII text, and DEL.
        assert_eq!(one_line("abcdefghijk\u{200B}"), "abcdefghijk⟨U+200B⟩");
        assert_eq!(one_line("größe\r"), "größe⟨U+000D⟩");
        assert_eq!(one_line("abcdefgh\u{7f}"), "abcdefgh⟨U+007F⟩");
    }

    #[test]
    fn long_quotes_are_shortened_and_short_ones_kept() {
        let short = format!("invalid resource `{}`", "a".repeat(160));
        assert!(matches!(shorten_quotes(&short), Cow::Borrowed(_)));
        // Long text outside quotes is ours: kept.
        let help = "word ".repeat(100);
        assert!(matches!(shorten_quotes(&help), Cow::Borrowed(_)));

        let value = format!("arn:aws{}{}", "x".repeat(300_000), "TAIL-0123456789");
        let message = format!("`{value}` is not an ARN; `s3:GetObject` is fine");
        let shown = shorten_quotes(&message);
        let head: String = value.chars().take(100).collect();
        let tail: String = value.chars().skip(value.chars().count() - 40).collect();
        assert_eq!(
            shown,
            format!("`{head}…{tail}` is not an ARN; `s3:GetObject` is fine")
        );
        assert!(shown.ends_with("TAIL-0123456789` is not an ARN; `s3:GetObject` is fine"));

        // Multi-byte characters are cut at character boundaries, and an
        // unclosed quote is shortened too.
        let wide = "é".repeat(500);
        let unclosed = format!("bad `{wide}");
        let shown = shorten_quotes(&unclosed);
        assert_eq!(shown.chars().filter(|&c| c == 'é').count(), 140);
        assert!(shown.contains('…'));
    }
}
