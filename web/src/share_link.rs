//! Share links: the whole scenario in the URL fragment.
//!
//! A link is `<page>#s=<version>.<payload>`, where the payload is the
//! scenario JSON (with every policy's exact text,
//! [`DocumentStyle::Text`](iam_engine::scenario::DocumentStyle::Text)),
//! zlib-compressed and written in base64url without padding. The zlib
//! checksum catches corrupted and truncated links; the version says which
//! reader a link needs, so links made by a newer playground are refused with
//! a clear message instead of being misread.
//!
//! Browsers never send the fragment (the part after `#`) to a server, so a
//! shared scenario stays between the people who have the link.
//!
//! The packing itself is the browser's (`CompressionStream`, see [`zlib`]),
//! so in the page packing and unpacking are asynchronous
//! ([`share_fragment`], [`open_fragment`]); natively (unit tests, fuzzing,
//! the end-to-end tests' fixtures) the same format is read and written
//! synchronously with miniz_oxide ([`encode`], [`decode`], …).

pub mod zlib;

use std::fmt;

use self::zlib::InflateError;
use crate::workspace::Workspace;

/// The link format this playground writes and reads.
pub const VERSION: u32 = 1;

/// What starts a share link's fragment (after `#`).
pub const FRAGMENT_PREFIX: &str = "s=";

/// The largest scenario a link may unpack to: the engine's scenario limit
/// (it would refuse more anyway; this also guards against zip bombs).
const MAX_UNPACKED_BYTES: usize = iam_engine::limits::MAX_SCENARIO_BYTES;

/// The longest payload read: base64 of [`MAX_UNPACKED_BYTES`] that did not
/// compress at all, plus zlib's framing. Longer payloads are refused before
/// they are decoded.
pub const MAX_PAYLOAD_CHARS: usize = (MAX_UNPACKED_BYTES + 1024).div_ceil(3) * 4;

/// The longest address Chromium opens (`kMaxURLChars`, 2 MiB); other
/// browsers allow at least as much. A longer link is made, but the share
/// panel says to export the scenario as a file instead.
pub const BROWSER_URL_LIMIT: usize = 2 * 1024 * 1024;

/// The warning for a link longer than [`BROWSER_URL_LIMIT`], if it is.
pub fn length_warning(link_length: usize) -> Option<String> {
    (link_length > BROWSER_URL_LIMIT).then(|| {
        format!(
            "This link is {} characters long, more than browsers open ({}): use Export to share the scenario as a file.",
            iam_engine::limits::thousands(link_length),
            iam_engine::limits::thousands(BROWSER_URL_LIMIT)
        )
    })
}

/// Why a share link cannot be opened. Each names what is wrong; see
/// [`LinkError::help`] for what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// `#s=` with nothing after it.
    Empty,
    /// No `<version>.` in front of the payload.
    MissingVersion,
    /// Made by a newer playground.
    FutureVersion(u32),
    /// A character that base64url does not use, at this 1-based position of
    /// the payload.
    BadCharacter { position: usize, character: char },
    /// The payload does not unpack (cut short or altered).
    Corrupted,
    /// The payload unpacks to more than the playground reads.
    TooLarge,
    /// The payload is longer than any link to a scenario within the limit.
    TooLong {
        /// The payload's length, in characters.
        characters: usize,
    },
    /// The payload unpacks, but not to a scenario: the reader's message.
    NotAScenario(String),
    /// The browser cannot unpack links (it has no `DecompressionStream`).
    Unsupported,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Empty => write!(f, "the share link holds no scenario"),
            LinkError::MissingVersion => {
                write!(f, "the share link has no format version, so it cannot be read")
            }
            LinkError::FutureVersion(v) => write!(
                f,
                "the share link was made by a newer version of the playground (link format {v}; this page reads format {VERSION})"
            ),
            LinkError::BadCharacter { position, character } => {
                // A space, line break or control character is named by its
                // code point: shown as itself it would be invisible or break
                // the message's line.
                let shown = if character.is_whitespace()
                    || character.is_control()
                    || iam_engine::visible::is_disguising(*character)
                {
                    format!("U+{:04X}", u32::from(*character))
                } else {
                    format!("`{character}`")
                };
                write!(
                    f,
                    "the share link is damaged: character {position} of its data ({shown}) cannot appear in a link"
                )
            }
            LinkError::Corrupted => write!(
                f,
                "the share link is damaged or cut short: its data does not unpack"
            ),
            LinkError::TooLarge => write!(
                f,
                "the share link holds a scenario of more than {}, the limit",
                iam_engine::limits::describe_bytes(MAX_UNPACKED_BYTES)
            ),
            LinkError::TooLong { characters } => write!(
                f,
                "the share link's data is {} characters long, over the limit of {} characters (the longest link a scenario within {} makes)",
                iam_engine::limits::thousands(*characters),
                iam_engine::limits::thousands(MAX_PAYLOAD_CHARS),
                iam_engine::limits::describe_bytes(MAX_UNPACKED_BYTES)
            ),
            LinkError::NotAScenario(reason) => {
                write!(f, "the share link does not hold a scenario: {reason}")
            }
            LinkError::Unsupported => write!(
                f,
                "this browser cannot unpack share links (it has no `DecompressionStream`)"
            ),
        }
    }
}

impl LinkError {
    /// What the person can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            LinkError::FutureVersion(_) => {
                "reload the page to get the latest playground, or ask for a link made with this version"
            }
            LinkError::TooLarge | LinkError::TooLong { .. } => {
                "ask for a smaller scenario (a scenario holds a few policies of a few KB each)"
            }
            LinkError::Unsupported => {
                "open the link in a current browser (Chrome or Edge 80, Firefox 113, Safari 16.4 or later)"
            }
            _ => "ask for the link again and copy all of it (links are long; chat apps sometimes cut or wrap them)",
        }
    }
}

/// The whole fragment, `#s=1.…`, for zlib-packed scenario JSON.
fn fragment_of_packed(packed: &[u8]) -> String {
    format!("#{FRAGMENT_PREFIX}{VERSION}.{}", base64url_encode(packed))
}

/// The fragment payload (`1.<base64url>`) for a scenario's JSON text.
#[cfg(not(target_arch = "wasm32"))]
pub fn encode(json: &str) -> String {
    format!(
        "{VERSION}.{}",
        base64url_encode(&zlib::compress(json.as_bytes()))
    )
}

/// The whole fragment, `#s=1.…`, for a scenario's JSON text.
#[cfg(not(target_arch = "wasm32"))]
pub fn fragment(json: &str) -> String {
    fragment_of_packed(&zlib::compress(json.as_bytes()))
}

/// The share fragment for `workspace` (exact policy texts).
#[cfg(not(target_arch = "wasm32"))]
pub fn fragment_for(workspace: &Workspace) -> String {
    fragment(&workspace.to_json(iam_engine::scenario::DocumentStyle::Text))
}

/// The share fragment for `workspace` (exact policy texts), as the page
/// makes it: `None` when the browser cannot pack (no `CompressionStream`).
pub async fn share_fragment(workspace: &Workspace) -> Option<String> {
    let json = workspace.to_json(iam_engine::scenario::DocumentStyle::Text);
    #[cfg(target_arch = "wasm32")]
    let packed = zlib::compress(json.as_bytes()).await?;
    #[cfg(not(target_arch = "wasm32"))]
    let packed = zlib::compress(json.as_bytes());
    Some(fragment_of_packed(&packed))
}

/// Reads a payload made by [`encode`] back into the scenario's JSON text.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode(payload: &str) -> Result<String, LinkError> {
    text_of(zlib::decompress(&packed_of(payload)?, MAX_UNPACKED_BYTES))
}

/// The zlib bytes of a payload (checked: length, version, base64url).
fn packed_of(payload: &str) -> Result<Vec<u8>, LinkError> {
    let payload = payload.trim();
    if payload.is_empty() {
        return Err(LinkError::Empty);
    }
    if payload.len() > MAX_PAYLOAD_CHARS {
        return Err(LinkError::TooLong {
            characters: payload.chars().count(),
        });
    }
    let (version, data) = payload.split_once('.').ok_or(LinkError::MissingVersion)?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::MissingVersion);
    }
    let version: u32 = version.parse().unwrap_or(u32::MAX);
    if version > VERSION {
        return Err(LinkError::FutureVersion(version));
    }
    if version != VERSION {
        return Err(LinkError::MissingVersion);
    }
    base64url_decode(data)
}

/// The scenario text of unpacked bytes.
fn text_of(unpacked: Result<Vec<u8>, InflateError>) -> Result<String, LinkError> {
    let bytes = unpacked.map_err(|e| match e {
        InflateError::Corrupted => LinkError::Corrupted,
        InflateError::TooLarge => LinkError::TooLarge,
        InflateError::Unsupported => LinkError::Unsupported,
    })?;
    String::from_utf8(bytes).map_err(|_| LinkError::Corrupted)
}

/// The payload of a `#s=…` fragment (with or without the `#`), or `None`
/// when the fragment is not a share link at all.
pub fn payload_of(fragment: &str) -> Option<&str> {
    let f = fragment.strip_prefix('#').unwrap_or(fragment);
    f.strip_prefix(FRAGMENT_PREFIX)
}

/// Reads a location fragment: `None` when it is not a share link, else the
/// workspace it holds or why it cannot be opened.
#[cfg(not(target_arch = "wasm32"))]
pub fn workspace_from_fragment(fragment: &str) -> Option<Result<Workspace, LinkError>> {
    let payload = payload_of(fragment)?;
    Some(decode(payload).and_then(|json| workspace_of(&json)))
}

/// What a location fragment opens to, as the page reads it (see
/// [`workspace_from_fragment`]).
pub async fn open_fragment(fragment: &str) -> Option<Result<Workspace, LinkError>> {
    let payload = payload_of(fragment)?;
    let packed = match packed_of(payload) {
        Ok(packed) => packed,
        Err(e) => return Some(Err(e)),
    };
    #[cfg(target_arch = "wasm32")]
    let unpacked = zlib::decompress(&packed, MAX_UNPACKED_BYTES).await;
    #[cfg(not(target_arch = "wasm32"))]
    let unpacked = zlib::decompress(&packed, MAX_UNPACKED_BYTES);
    Some(text_of(unpacked).and_then(|json| workspace_of(&json)))
}

/// The workspace of an unpacked link's scenario text.
fn workspace_of(json: &str) -> Result<Workspace, LinkError> {
    Workspace::from_scenario_text(json).map_err(|diagnostics| {
        LinkError::NotAScenario(
            diagnostics
                .first()
                .map_or_else(|| "it cannot be read".to_owned(), |d| d.message.clone()),
        )
    })
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url (RFC 4648 §5) without padding.
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let symbol = |v: u32| char::from(ALPHABET.get((v & 63) as usize).copied().unwrap_or(b'A'));
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(symbol(n >> 18));
        out.push(symbol(n >> 12));
        if chunk.len() > 1 {
            out.push(symbol(n >> 6));
        }
        if chunk.len() > 2 {
            out.push(symbol(n));
        }
    }
    out
}

/// Reads base64url without padding (trailing `=` tolerated).
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, LinkError> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in text.chars().enumerate() {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '-' | '+' => 62,
            '_' | '/' => 63,
            _ => {
                return Err(LinkError::BadCharacter {
                    position: i + 1,
                    character: c,
                })
            }
        };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    // A single leftover symbol (6 bits) cannot end a valid encoding.
    if bits >= 6 {
        return Err(LinkError::Corrupted);
    }
    Ok(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::gallery::EXAMPLES;
    use iam_engine::scenario::DocumentStyle;

    /// A typical deployment's page address, for link-length figures.
    const BASE: &str = "https://example.github.io/iam-policy-playground/";

    #[test]
    fn base64url_round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..40 {
            let slice = &data[..n];
            let text = base64url_encode(slice);
            assert!(!text.contains(['=', '+', '/']), "{text}");
            assert_eq!(base64url_decode(&text).unwrap(), slice, "length {n}");
        }
        assert_eq!(base64url_encode(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn every_gallery_example_round_trips_exactly_and_stays_short() {
        let mut report = Vec::new();
        for example in EXAMPLES {
            let ws = example.workspace();
            let json = ws.to_json(DocumentStyle::Text);
            let frag = fragment(&json);
            let link = format!("{BASE}{frag}");
            report.push(format!("{}: {} chars", example.id, link.len()));
            assert!(
                link.len() < 1500,
                "{}: link is {} characters",
                example.id,
                link.len()
            );
            let back = workspace_from_fragment(&frag).unwrap().unwrap();
            assert_eq!(back.to_json(DocumentStyle::Text), json, "{}", example.id);
            assert_eq!(back.policies.len(), ws.policies.len());
            for (a, b) in back.policies.iter().zip(&ws.policies) {
                assert_eq!(
                    (&a.name, a.policy_type, &a.text),
                    (&b.name, b.policy_type, &b.text)
                );
            }
            assert_eq!(back.request, {
                // Row ids are allocated afresh; compare everything else.
                let mut r = ws.request.clone();
                for (row, new) in r.context.iter_mut().zip(&back.request.context) {
                    row.id = new.id;
                }
                r
            });
        }
        eprintln!("share link lengths:\n  {}", report.join("\n  "));
    }

    /// Gallery example 11 as the playground packed it before the page used
    /// the browser's compressor (miniz_oxide, level 10; 2026-12-06, `1272cde`).
    const LINK_BEFORE_BROWSER_PACKING: &str = "#s=1.eNpVUj2P2zAM3fMrCC0HFEnunA4F3ClFgqJDP9BL2-F8A2MxtQBHciX6XCPIfy8l-dJEiyC9Rz7ykacZgLJ4JFWC-ohtS36EoiiBG4Ivjtc1G2dBADcAe-zUPEZoCrU3XcRi4E7I2HPjPBwJLcMdvUgiboz9DfS3po7h0_rzHRyEgdC5gTz0gfwc0GoYvGOCddIYDDdXwgaP5Zsl7BpkCIxMR5L0qZwASQRwYtrp7aR0D-tfjyACL6amOQQHmlriWA7CZpSG3eYDMO5bAhNyPtLLK-FURy4pEY4uRN0BxwB771CLBjcYdZmsJv3-uuoAAQ_CSFk2ZMdl9q1zrakNBTHtSd4Ap__uf4uu_JCa1RwUj136NFr6NTym8HiUdnUfTYjoqbIAlfpJPohsJV-VWj0Uq0XxsCjeVWqe8cdX4yLjKf6JcL4SbHQO3V6Gtk0zk5FNOTJxezhQzZmbrLlBL-1nQprcDeE7Bdf7mjIuWIbO8Xqu7FnBWZp8TkZ5-tNTiE2eUuOq88bWpsM29o3eljiEMmqUhZyVnLdyyrhU9ygm0-SYyusRo3Sau96Xm7gLtIvTf2X5qbbr7Bd-HxaEgRfFrVZan_uvXlYhKElznp1n_wCyvgpQ";

    #[test]
    fn a_link_made_by_the_earlier_packer_opens_exactly() {
        let expected = EXAMPLES[10].workspace();
        let opened = workspace_from_fragment(LINK_BEFORE_BROWSER_PACKING)
            .unwrap()
            .unwrap();
        assert_eq!(
            opened.to_json(DocumentStyle::Text),
            expected.to_json(DocumentStyle::Text)
        );
        // The page's asynchronous reader opens it the same.
        use std::future::Future;
        let mut open = std::pin::pin!(open_fragment(LINK_BEFORE_BROWSER_PACKING));
        let waker = std::task::Waker::from(std::sync::Arc::new(NoWake));
        let polled = open
            .as_mut()
            .poll(&mut std::task::Context::from_waker(&waker));
        let std::task::Poll::Ready(Some(Ok(read))) = polled else {
            panic!("not opened at once: {polled:?}")
        };
        assert_eq!(
            read.to_json(DocumentStyle::Text),
            expected.to_json(DocumentStyle::Text)
        );
        // Packing is unchanged natively (the end-to-end tests' fixtures).
        assert_eq!(fragment_for(&expected), LINK_BEFORE_BROWSER_PACKING);
    }

    /// A waker for futures that are ready when first polled.
    struct NoWake;

    impl std::task::Wake for NoWake {
        fn wake(self: std::sync::Arc<Self>) {}
    }

    #[test]
    fn broken_policy_text_survives_a_link() {
        let mut ws = EXAMPLES[0].workspace();
        ws.policies[0].text =
            "{ \"Version\": \"2012-10-17\",\n  \"Statement\": [ oops ünïcode ✓\n".into();
        let frag = fragment_for(&ws);
        let back = workspace_from_fragment(&frag).unwrap().unwrap();
        assert_eq!(back.policies[0].text, ws.policies[0].text);
    }

    #[test]
    fn not_a_share_link() {
        assert!(workspace_from_fragment("").is_none());
        assert!(workspace_from_fragment("#main").is_none());
        assert_eq!(payload_of("#s=1.abc"), Some("1.abc"));
        assert_eq!(payload_of("s=1.abc"), Some("1.abc"));
    }

    #[test]
    fn corrupted_truncated_and_future_links_say_what_is_wrong() {
        let frag = fragment_for(&EXAMPLES[1].workspace());
        let payload = payload_of(&frag).unwrap();

        // Cut short.
        let cut = &payload[..payload.len() / 2];
        assert_eq!(decode(cut), Err(LinkError::Corrupted));
        // Last few characters lost.
        assert_eq!(
            decode(&payload[..payload.len() - 3]),
            Err(LinkError::Corrupted)
        );
        // One character changed in the middle (the zlib checksum catches it).
        let mid = payload.len() / 2;
        let flipped = if &payload[mid..=mid] == "A" { "B" } else { "A" };
        let altered = format!("{}{flipped}{}", &payload[..mid], &payload[mid + 1..]);
        assert!(
            matches!(decode(&altered), Err(LinkError::Corrupted)),
            "{:?}",
            decode(&altered)
        );
        // A character that base64url does not use.
        let bad = format!("{}!{}", &payload[..10], &payload[11..]);
        assert_eq!(
            decode(&bad),
            Err(LinkError::BadCharacter {
                position: 9,
                character: '!'
            })
        );
        // An invisible character is named by its code point.
        let e = decode(&format!("{}\n{}", &payload[..10], &payload[11..])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the share link is damaged: character 9 of its data (U+000A) cannot appear in a link"
        );
        // A newer format.
        let future = format!("7.{}", &payload[2..]);
        let err = decode(&future).unwrap_err();
        assert_eq!(err, LinkError::FutureVersion(7));
        assert!(err.to_string().contains("newer version"), "{err}");
        assert!(err.help().contains("reload"));
        // No version at all.
        assert_eq!(decode(&payload[2..]), Err(LinkError::MissingVersion));
        assert_eq!(decode(""), Err(LinkError::Empty));
        assert_eq!(
            workspace_from_fragment("#s=").unwrap().unwrap_err(),
            LinkError::Empty
        );
        // Valid packing of something that is not a scenario.
        let not_scenario = fragment("[1, 2]");
        assert!(matches!(
            workspace_from_fragment(&not_scenario).unwrap(),
            Err(LinkError::NotAScenario(_))
        ));
        // Every message is one readable sentence without a final period.
        for e in [
            LinkError::Empty,
            LinkError::MissingVersion,
            LinkError::FutureVersion(2),
            LinkError::Corrupted,
            LinkError::TooLarge,
            LinkError::TooLong { characters: 9 },
        ] {
            let m = e.to_string();
            assert!(m.starts_with("the share link"), "{m}");
            assert!(!m.ends_with('.'), "{m}");
        }
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let huge = "a".repeat(MAX_UNPACKED_BYTES + 10);
        assert_eq!(decode(&encode(&huge)), Err(LinkError::TooLarge));
        assert_eq!(
            LinkError::TooLarge.to_string(),
            "the share link holds a scenario of more than 4 MiB (4,194,304 bytes), the limit"
        );
        assert!(LinkError::TooLarge.help().contains("smaller scenario"));
    }

    #[test]
    fn a_link_too_long_for_browsers_is_flagged() {
        assert_eq!(length_warning(BROWSER_URL_LIMIT), None);
        let warning = length_warning(BROWSER_URL_LIMIT + 1).unwrap();
        assert!(warning.contains("2,097,153 characters"), "{warning}");
        assert!(warning.contains("Export"), "{warning}");
    }

    #[test]
    fn links_are_read_up_to_the_scenario_limit() {
        // Exactly at the limit (whitespace compresses well: a short link).
        let text = "{\"policies\": [], \"request\": {\"principal\": \"*\", \"action\": \"s3:GetObject\", \"resource\": \"*\"}}";
        let at = format!("{text}{}", " ".repeat(MAX_UNPACKED_BYTES - text.len()));
        assert_eq!(
            decode(&encode(&at)).map(|t| t.len()),
            Ok(MAX_UNPACKED_BYTES)
        );
        let over = format!("{at} ");
        assert_eq!(decode(&encode(&over)), Err(LinkError::TooLarge));
        // Incompressible data at the limit still fits in the payload cap.
        let mut noise = Vec::with_capacity(MAX_UNPACKED_BYTES);
        let mut x: u32 = 12345;
        while noise.len() < MAX_UNPACKED_BYTES {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            noise.push(b'a' + ((x >> 16) % 26) as u8);
        }
        let noise = String::from_utf8(noise).unwrap();
        let payload = encode(&noise);
        assert!(payload.len() <= MAX_PAYLOAD_CHARS, "{}", payload.len());
        assert_eq!(decode(&payload).map(|t| t.len()), Ok(MAX_UNPACKED_BYTES));
        // A payload longer than any such link is refused before decoding.
        let long = format!("1.{}", "A".repeat(MAX_PAYLOAD_CHARS));
        let e = decode(&long).unwrap_err();
        assert_eq!(
            e,
            LinkError::TooLong {
                characters: MAX_PAYLOAD_CHARS + 2
            }
        );
        assert!(e.to_string().contains("over the limit of"), "{e}");
    }
}
/// Links and drafts written before the request panel took lists open as
/// they did: one request in the panel, and written back byte for byte.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod old_links {
    use super::*;
    use crate::workspace::RequestField;

    /// A link copied with the app before lists (one request with a resource
    /// account and a context key).
    const OLD_LINK: &str = "#s=1.eNplUMtOwzAQvPcrrD2iVm3aA5JvBSGORRRxIQi5zlYydezgh0oV5d9ZO4ka0TnZOzO7O9vOGAMjagTOYKcrppU5wTxVG6uVVOiJ-aA_Y-1V-QJzBuHS5I-q0AQVLtmWAJWVsaZiYtsS3tF5ZU0JvIT1qlgvitWiuC9hXsI-iIBJSiQpn45HlCELt1rbc9ZsZRjdfsOfMewO31lF3Ct6G53EzN7l0qM1lRoc1PLBWt2_xNnzPcro8M0J4xvr-knBRfJ3BGAdRfjM8R3-RPQpQptjQeOUkaoROqUSzvDUT4ma84KwJmwIPHp0S0Gnw-EeIPL-yTVdf2TdkGDalXScH5an_5ovIaWN_V2nQ0edtCbg73XnNPw2NNEpclakvN2sm_0BoEuY_A";

    /// The draft the app saved for it (drafts are the scenario's text).
    const OLD_DRAFT: &str = "{\n  \"name\": \"Old link\",\n  \"policies\": [\n    { \"name\": \"P\", \"type\": \"identity\",\n      \"document\": \"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"s3:GetObject\\\",\\\"Resource\\\":\\\"*\\\",\\\"Condition\\\":{\\\"Bool\\\":{\\\"aws:SecureTransport\\\":\\\"true\\\"}}}}\" }\n  ],\n  \"request\": {\n    \"principal\": \"arn:aws:iam::111122223333:user/alice\",\n    \"action\": \"s3:GetObject\",\n    \"resource\": \"arn:aws:s3:::b/k\",\n    \"resource_account\": \"111122223333\",\n    \"context\": {\n      \"aws:SecureTransport\": true\n    }\n  }\n}\n";

    #[test]
    fn an_old_link_opens_as_one_request_and_copies_the_same() {
        let ws = workspace_from_fragment(OLD_LINK).unwrap().unwrap();
        let r = &ws.request;
        assert!(!r.is_matrix());
        assert_eq!(r.principal, "arn:aws:iam::111122223333:user/alice");
        assert_eq!(r.action, "s3:GetObject");
        assert_eq!(r.resource, "arn:aws:s3:::b/k");
        assert_eq!(r.resource_account, "111122223333");
        assert_eq!(r.context.len(), 1);
        for field in [
            RequestField::Principal,
            RequestField::Action,
            RequestField::Resource,
        ] {
            assert_eq!(r.rows(field).count(), 1);
        }
        assert!(ws.requests.is_empty());
        assert_eq!(fragment_for(&ws), OLD_LINK);
        assert_eq!(decode(payload_of(OLD_LINK).unwrap()).unwrap(), OLD_DRAFT);
        let evaluation = iam_engine::evaluate(&ws.to_scenario().0).unwrap();
        assert_eq!(evaluation.decision, iam_engine::Decision::Allow);
    }

    #[test]
    fn an_old_draft_opens_as_one_request_and_saves_the_same() {
        let ws = crate::drafts::parse_draft(OLD_DRAFT).unwrap();
        assert!(!ws.request.is_matrix());
        assert_eq!(crate::drafts::draft_text(&ws), OLD_DRAFT);
    }

    #[test]
    fn a_matrix_travels_in_a_link() {
        let mut ws = workspace_from_fragment(OLD_LINK).unwrap().unwrap();
        ws.request.set_rows(
            RequestField::Action,
            vec!["s3:GetObject".into(), "s3:List*".into()],
        );
        ws.request.set_rows(
            RequestField::Resource,
            vec!["arn:aws:s3:::b/k".into(), "arn:aws:s3:::b/l".into()],
        );
        let link = fragment_for(&ws);
        let back = workspace_from_fragment(&link).unwrap().unwrap();
        assert!(back.request.is_matrix());
        assert_eq!(back.request.size(), 4);
        assert_eq!(back.request.resource_account, "111122223333");
        assert_eq!(fragment_for(&back), link);
    }
}
