//! Numbers as `Numeric*` operators read them: an optional sign, decimal
//! digits and an optional fraction (`10`, `-3`, `2.5`, `007`). Exponents,
//! `inf`, `NaN`, hexadecimal and surrounding spaces are not numbers.

/// Parses `text` as a decimal number.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let unsigned = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('+'))
        .unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_integers_and_decimals() {
        assert_eq!(parse_number("10"), Some(10.0));
        assert_eq!(parse_number("010"), Some(10.0));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("+3"), Some(3.0));
        assert_eq!(parse_number("2.5"), Some(2.5));
        assert_eq!(parse_number(".5"), Some(0.5));
        assert_eq!(parse_number("5."), Some(5.0));
    }

    #[test]
    fn rejects_non_numbers() {
        for bad in [
            "", "-", ".", "abc", "1e3", "inf", "NaN", "0x10", " 1", "1 ", "1.2.3", "--1", "1,0",
        ] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }
}
