//! Numbers as `Numeric*` operators read them: an optional sign, decimal
//! digits and an optional fraction (`10`, `-3`, `2.5`, `007`). Exponents,
//! `inf`, `NaN`, hexadecimal and surrounding spaces are not numbers.

mod decimal;

pub(crate) use decimal::decimal_to_f64;

/// Parses `text` as a decimal number: the nearest `f64`, as
/// `str::parse::<f64>` gives it.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !digits(whole) || !digits(fraction) {
        return None;
    }
    let mut all = Vec::with_capacity(whole.len() + fraction.len());
    all.extend_from_slice(whole.as_bytes());
    all.extend_from_slice(fraction.as_bytes());
    let exponent = -i64::try_from(fraction.len()).ok()?;
    let magnitude = decimal_to_f64(&all, exponent)?;
    Some(if negative { -magnitude } else { magnitude })
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
    fn reads_as_core_reads() {
        for text in [
            "0",
            "-0",
            "-0.0",
            "+0.5",
            "0.1",
            "0.30000000000000004",
            "123456789012345678901234567890.123456789",
            "9007199254740993",
            "179769313486231570000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000494065645841246544",
        ] {
            assert_eq!(
                parse_number(text).map(f64::to_bits),
                text.parse::<f64>().ok().map(f64::to_bits),
                "{text}"
            );
        }
        let too_large = format!("1{}", "0".repeat(309));
        assert_eq!(parse_number(&too_large), None);
    }

    proptest::proptest! {
        #[test]
        fn any_number_is_core_s(text in "[-+]?[0-9]{0,30}([.][0-9]{0,30})?") {
            let ours = parse_number(&text);
            if ours.is_some() {
                proptest::prop_assert_eq!(
                    ours.map(f64::to_bits),
                    text.parse::<f64>().ok().map(f64::to_bits)
                );
            }
        }
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
