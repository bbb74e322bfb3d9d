//! JSON numbers read into [`serde_json::Number`] exactly as
//! `text.parse::<serde_json::Number>()` reads them, without serde_json's
//! deserializer: the JavaScript package has no other use for that
//! deserializer, and leaving it out also leaves out serde's error messages
//! and core's `f64` formatting behind them (BENCHMARKS.md, "Engine package
//! size (size-engine, 2026-12-06)").
//!
//! The same steps as serde_json 1.0 (without its `float_roundtrip` and
//! `arbitrary_precision` features, which this workspace does not enable):
//! an integer that fits is a `u64` (or, negative, an `i64`); anything else
//! is an `f64` built from at most 19 or 20 significant digits and a power of
//! ten, so the same text gives the same number, rounding included.

use serde_json::Number;

/// Reads `text`, a JSON number literal (`-12`, `2.5`, `1e3`), as
/// serde_json does; `None` when it is not one or is out of `f64`'s range.
pub fn parse_json_number(text: &str) -> Option<Number> {
    let (positive, rest) = match text.strip_prefix('-') {
        Some(rest) => (false, rest),
        None => (true, text),
    };
    let mut reader = NumberReader {
        bytes: rest.as_bytes(),
        pos: 0,
    };
    let number = reader.integer(positive)?;
    // Anything after the number makes it no number.
    (reader.pos == reader.bytes.len()).then_some(number)
}

/// `significand * 10 + digit` overflows `u64`.
fn overflows(significand: u64, digit: u64) -> bool {
    significand
        .checked_mul(10)
        .and_then(|s| s.checked_add(digit))
        .is_none()
}

struct NumberReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl NumberReader<'_> {
    /// The next byte, or 0 at the end.
    fn peek(&self) -> u8 {
        self.bytes.get(self.pos).copied().unwrap_or(0)
    }

    /// The next byte as a digit.
    fn digit(&self) -> Option<u8> {
        let b = self.peek();
        b.is_ascii_digit().then(|| b - b'0')
    }

    fn integer(&mut self, positive: bool) -> Option<Number> {
        match self.peek() {
            b'0' => {
                self.pos += 1;
                // There can be only one leading `0`.
                if self.digit().is_some() {
                    return None;
                }
                self.number(positive, 0)
            }
            b'1'..=b'9' => {
                let mut significand = 0u64;
                while let Some(d) = self.digit() {
                    let d = u64::from(d);
                    if overflows(significand, d) {
                        return float(self.long_integer(positive, significand)?);
                    }
                    self.pos += 1;
                    significand = significand * 10 + d;
                }
                self.number(positive, significand)
            }
            _ => None,
        }
    }

    fn number(&mut self, positive: bool, significand: u64) -> Option<Number> {
        match self.peek() {
            b'.' => float(self.decimal(positive, significand, 0)?),
            b'e' | b'E' => float(self.exponent(positive, significand, 0)?),
            _ if positive => Some(Number::from(significand)),
            _ => {
                // serde_json: `as i64` then negated, wrapping; an integer
                // below `i64::MIN`, and `-0`, become floats.
                let negated = (significand as i64).wrapping_neg();
                if negated >= 0 {
                    float(-(significand as f64))
                } else {
                    Some(Number::from(negated))
                }
            }
        }
    }

    /// The digits of an integer too long for `u64`: each one left out
    /// multiplies by ten.
    fn long_integer(&mut self, positive: bool, significand: u64) -> Option<f64> {
        let mut exponent = 0i32;
        while self.digit().is_some() {
            self.pos += 1;
            exponent = exponent.saturating_add(1);
        }
        match self.peek() {
            b'.' => self.decimal(positive, significand, exponent),
            b'e' | b'E' => self.exponent(positive, significand, exponent),
            _ => from_parts(positive, significand, exponent),
        }
    }

    fn decimal(&mut self, positive: bool, mut significand: u64, before_point: i32) -> Option<f64> {
        self.pos += 1; // the `.`
        let mut after_point = 0i32;
        while let Some(d) = self.digit() {
            let d = u64::from(d);
            if overflows(significand, d) {
                // The digits that do not fit are left out.
                while self.digit().is_some() {
                    self.pos += 1;
                }
                let exponent = before_point.saturating_add(after_point);
                return match self.peek() {
                    b'e' | b'E' => self.exponent(positive, significand, exponent),
                    _ => from_parts(positive, significand, exponent),
                };
            }
            self.pos += 1;
            significand = significand * 10 + d;
            after_point -= 1;
        }
        // At least one digit after the point.
        if after_point == 0 {
            return None;
        }
        let exponent = before_point.saturating_add(after_point);
        match self.peek() {
            b'e' | b'E' => self.exponent(positive, significand, exponent),
            _ => from_parts(positive, significand, exponent),
        }
    }

    fn exponent(&mut self, positive: bool, significand: u64, starting: i32) -> Option<f64> {
        self.pos += 1; // the `e`
        let positive_exponent = match self.peek() {
            b'+' => {
                self.pos += 1;
                true
            }
            b'-' => {
                self.pos += 1;
                false
            }
            _ => true,
        };
        let mut exponent = i32::from(self.digit()?);
        self.pos += 1;
        while let Some(d) = self.digit() {
            self.pos += 1;
            let d = i32::from(d);
            match exponent.checked_mul(10).and_then(|e| e.checked_add(d)) {
                Some(e) => exponent = e,
                None => {
                    // Out of range: an error for a large number, zero for a
                    // tiny one.
                    if significand != 0 && positive_exponent {
                        return None;
                    }
                    while self.digit().is_some() {
                        self.pos += 1;
                    }
                    return Some(if positive { 0.0 } else { -0.0 });
                }
            }
        }
        let exponent = if positive_exponent {
            starting.saturating_add(exponent)
        } else {
            starting.saturating_sub(exponent)
        };
        from_parts(positive, significand, exponent)
    }
}

/// A float as a number (every float read here is finite).
fn float(f: f64) -> Option<Number> {
    Number::from_f64(f)
}

/// `significand × 10^exponent` as serde_json computes it: one
/// multiplication or division by a power of ten (`1e0` to `1e308`), with
/// divisions by `1e308` first for the smallest numbers; `None` when the
/// result is infinite.
fn from_parts(positive: bool, significand: u64, mut exponent: i32) -> Option<f64> {
    let mut f = significand as f64;
    loop {
        let magnitude = exponent.unsigned_abs();
        if magnitude <= 308 {
            let pow = power_of_ten(magnitude);
            if exponent >= 0 {
                f *= pow;
                if f.is_infinite() {
                    return None;
                }
            } else {
                f /= pow;
            }
            break;
        }
        if f == 0.0 {
            break;
        }
        if exponent >= 0 {
            return None;
        }
        f /= 1e308;
        exponent += 308;
    }
    Some(if positive { f } else { -f })
}

/// `10^n` (`n` ≤ 308) as the nearest `f64`, as the literal `1eN` is.
fn power_of_ten(n: u32) -> f64 {
    crate::condition::decimal_to_f64(b"1", i64::from(n)).unwrap_or(f64::INFINITY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same_as_serde_json(text: &str) {
        let ours = parse_json_number(text);
        let theirs = text.parse::<Number>().ok();
        assert_eq!(ours, theirs, "{text}");
        // `PartialEq` on floats says -0.0 == 0.0; the text tells them apart.
        assert_eq!(
            ours.map(|n| n.to_string()),
            theirs.map(|n| n.to_string()),
            "{text}"
        );
    }

    #[test]
    fn reads_numbers_as_serde_json_does() {
        for text in [
            "0",
            "-0",
            "-0.0",
            "0.0",
            "1",
            "-1",
            "10",
            "2.5",
            "-2.5",
            "1e3",
            "1E3",
            "1e+3",
            "1e-3",
            "-1.5e-7",
            "0.1",
            "0.30000000000000004",
            "123456789012345678901234567890",
            "18446744073709551615",
            "18446744073709551616",
            "18446744073709551619.5",
            "-9223372036854775808",
            "-9223372036854775809",
            "9007199254740993",
            "1.00000000000000000000000000001",
            "0.000000000000000000000000000000000000000001",
            "1e308",
            "1.7976931348623157e308",
            "1e309",
            "-1e309",
            "1e-400",
            "-1e-400",
            "0e999999999999",
            "1e999999999999",
            "1e-999999999999",
            "4.9e-324",
            "2.2250738585072014e-308",
            "123.456e-310",
            "1e-320",
        ] {
            same_as_serde_json(text);
        }
    }

    #[test]
    fn rejects_what_serde_json_rejects() {
        for text in [
            "", "-", "01", "-01", "1.", ".5", "1e", "1e+", "+1", "1x", "0x10", " 1", "1 ", "1.2.3",
            "NaN", "--1", "1e1.5",
        ] {
            assert_eq!(parse_json_number(text), None, "{text}");
            assert!(text.parse::<Number>().is_err(), "{text}");
        }
    }

    #[test]
    fn powers_of_ten_are_the_literals() {
        assert_eq!(power_of_ten(0), 1.0);
        assert_eq!(power_of_ten(7), 1e7);
        assert_eq!(power_of_ten(22), 1e22);
        assert_eq!(power_of_ten(23), 1e23);
        assert_eq!(power_of_ten(100), 1e100);
        assert_eq!(power_of_ten(308), 1e308);
    }

    proptest! {
        #[test]
        fn any_number_reads_as_serde_json_reads_it(
            negative in any::<bool>(),
            whole in "(0|[1-9][0-9]{0,25})",
            fraction in proptest::option::of("[0-9]{1,25}"),
            exponent in proptest::option::of("[eE][+-]?[0-9]{1,4}"),
        ) {
            let text = format!(
                "{}{whole}{}{}",
                if negative { "-" } else { "" },
                fraction.map(|f| format!(".{f}")).unwrap_or_default(),
                exponent.unwrap_or_default()
            );
            same_as_serde_json(&text);
        }

        #[test]
        fn any_text_is_read_or_refused_as_serde_json_does(text in "[-+0-9.eE]{0,12}") {
            same_as_serde_json(&text);
        }
    }
}
