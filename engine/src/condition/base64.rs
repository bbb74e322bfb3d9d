//! A small, strict decoder for standard base64 (RFC 4648 §4), as
//! `BinaryEquals` values are written.
//!
//! Padding with `=` is optional, but when present it must complete the last
//! group. Whitespace, the URL-safe alphabet and stray characters are
//! rejected.

/// The 6-bit value of one base64 character.
fn sextet(c: u8) -> Option<u32> {
    let value = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

/// Decodes `text`, or `None` when it is not valid base64.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let body = bytes
        .strip_suffix(b"==")
        .or_else(|| bytes.strip_suffix(b"="))
        .unwrap_or(bytes);
    let padded = body.len() != bytes.len();
    if padded && bytes.len() % 4 != 0 {
        return None;
    }
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    for chunk in body.chunks(4) {
        let mut acc: u32 = 0;
        for &c in chunk {
            acc = (acc << 6) | sextet(c)?;
        }
        match chunk.len() {
            4 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            3 => {
                // 18 bits: two bytes and two zero bits.
                if acc & 0b11 != 0 {
                    return None;
                }
                out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]);
            }
            2 => {
                // 12 bits: one byte and four zero bits.
                if acc & 0b1111 != 0 {
                    return None;
                }
                out.push((acc >> 4) as u8);
            }
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
            ("Zg", "f"),
            ("Zm8", "fo"),
            ("QmluYXJ5VmFsdWVJbkJhc2U2NA==", "BinaryValueInBase64"),
        ];
        for (encoded, decoded) in cases {
            assert_eq!(
                decode(encoded).as_deref(),
                Some(decoded.as_bytes()),
                "{encoded}"
            );
        }
        assert_eq!(decode("//+/"), Some(vec![0xff, 0xff, 0xbf]));
    }

    #[test]
    fn rejects_invalid_text() {
        for bad in [
            "Z", "Zg=", "Zm9vY", "Zm9v!", "Zm 9v", "Zm9v====", "Zh==", "Zm9=", "-_8=", "=",
            "Zg==Zg==",
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }
}
