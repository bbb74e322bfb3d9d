//! Decimal digits to the nearest `f64` (ties to even), exactly as
//! `str::parse::<f64>` rounds, with a small big-integer division instead of
//! core's float parser: the parser's tables (a 10 KB table of 128-bit powers
//! of five that gzip cannot shrink) are the larger part of what a number
//! costs in the WebAssembly module (BENCHMARKS.md, "Engine package size
//! (size-engine, 2026-12-06)").
//!
//! Most numbers in policies are short: up to 15 digits and 22 decimal
//! places, one exact multiplication or division gives the answer
//! (Clinger's fast path). Longer ones divide big integers.

use std::cmp::Ordering;

/// Significant digits kept: every halfway point between two adjacent
/// `f64`s has at most 767, so the digits after the 800th only matter as
/// "some were not zero" (kept as a final `1`).
const MAX_DIGITS: usize = 800;

/// `digits × 10^exponent` (ASCII digits, no sign) as the nearest `f64`;
/// `None` when it is too large for one.
pub(crate) fn decimal_to_f64(digits: &[u8], mut exponent: i64) -> Option<f64> {
    // Without leading and trailing zeros.
    let start = digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len());
    let mut digits = digits.get(start..).unwrap_or_default();
    while let Some((b'0', rest)) = digits.split_last() {
        digits = rest;
        exponent += 1;
    }
    if digits.is_empty() {
        return Some(0.0);
    }
    let length = i64::try_from(digits.len()).ok()?;
    // The value is in [10^(magnitude - 1), 10^magnitude).
    let magnitude = length.checked_add(exponent)?;
    if magnitude > 310 {
        return None;
    }
    if magnitude < -330 {
        return Some(0.0);
    }
    if let Some(f) = fast_path(digits, exponent) {
        return Some(f);
    }
    let mut n = Big::default();
    let kept = digits.get(..MAX_DIGITS).unwrap_or(digits);
    for &d in kept {
        n.mul_add(10, u32::from(d - b'0'));
    }
    if kept.len() < digits.len() {
        // The digits left out are not all zeros (trailing zeros are gone).
        n.mul_add(10, 1);
        exponent += i64::try_from(digits.len() - kept.len() - 1).ok()?;
    }
    let mut d = Big::from(1);
    if exponent >= 0 {
        for _ in 0..exponent {
            n.mul_add(10, 0);
        }
    } else {
        for _ in 0..exponent.unsigned_abs() {
            d.mul_add(10, 0);
        }
    }
    Some(divide(&n, &d)).filter(|f| f.is_finite())
}

/// Up to 15 digits (so exactly an `f64`) times or over a power of ten that
/// is exactly an `f64` (at most `1e22`): one correctly rounded operation.
fn fast_path(digits: &[u8], exponent: i64) -> Option<f64> {
    if digits.len() > 15 || exponent.unsigned_abs() > 22 {
        return None;
    }
    let mut m = 0u64;
    for &d in digits {
        m = m * 10 + u64::from(d - b'0');
    }
    // Below 10^15, so exact.
    let m = m as f64;
    let mut pow = 1.0f64;
    for _ in 0..exponent.unsigned_abs() {
        pow *= 10.0;
    }
    Some(if exponent >= 0 { m * pow } else { m / pow })
}

/// `n / d` (both non-zero) rounded to the nearest `f64`, ties to even.
fn divide(n: &Big, d: &Big) -> f64 {
    // Binary exponent `e` such that n / d / 2^e is in [2^52, 2^54), but
    // not below the smallest subnormal's.
    let bits = i64::try_from(n.bit_length()).unwrap_or(i64::MAX)
        - i64::try_from(d.bit_length()).unwrap_or(i64::MAX);
    let e = (bits - 53).max(-1074);
    let (mut num, mut den) = (n.clone(), d.clone());
    if e >= 0 {
        den.shift_left(e.unsigned_abs());
    } else {
        num.shift_left(e.unsigned_abs());
    }
    // Restoring division: the quotient has at most 54 bits.
    let mut q = 0u64;
    for bit in (0..55u64).rev() {
        let mut step = den.clone();
        step.shift_left(bit);
        if num.cmp(&step) != Ordering::Less {
            num.sub(&step);
            q |= 1 << bit;
        }
    }
    // `num` is now the remainder; round q (with the remainder) to 53 bits.
    let mut e = e;
    let (half, rest) = if q >= 1 << 53 {
        let half = q & 1 == 1;
        q >>= 1;
        e += 1;
        (half, !num.is_zero())
    } else {
        num.shift_left(1);
        match num.cmp(&den) {
            Ordering::Greater => (true, true),
            Ordering::Equal => (true, false),
            Ordering::Less => (false, !num.is_zero()),
        }
    };
    if half && (rest || q & 1 == 1) {
        q += 1;
        if q == 1 << 53 {
            q >>= 1;
            e += 1;
        }
    }
    if q >= 1 << 52 {
        // A normal number: e + 52 is its exponent.
        let biased = e + 52 + 1023;
        if biased >= 2047 {
            return f64::INFINITY;
        }
        f64::from_bits((biased.unsigned_abs() << 52) | (q & ((1 << 52) - 1)))
    } else {
        // A subnormal one (e is -1074), or one that rounded up to the
        // smallest normal number, whose bits are the same.
        f64::from_bits(q)
    }
}

/// A non-negative big integer, 32-bit limbs, least significant first.
#[derive(Clone, Default)]
struct Big(Vec<u32>);

impl From<u32> for Big {
    fn from(v: u32) -> Self {
        Big(vec![v])
    }
}

impl Big {
    /// `self = self × m + a`.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.0.iter().all(|&l| l == 0)
    }

    fn bit_length(&self) -> u64 {
        let mut b = self.clone();
        b.trim();
        match b.0.last() {
            None => 0,
            Some(&top) => (b.0.len() as u64 - 1) * 32 + u64::from(32 - top.leading_zeros()),
        }
    }

    fn shift_left(&mut self, bits: u64) {
        let limbs = usize::try_from(bits / 32).unwrap_or(usize::MAX);
        let bits = (bits % 32) as u32;
        if bits != 0 {
            let mut carry = 0u32;
            for limb in &mut self.0 {
                let v = (*limb << bits) | carry;
                carry = *limb >> (32 - bits);
                *limb = v;
            }
            if carry != 0 {
                self.0.push(carry);
            }
        }
        if limbs != 0 {
            self.0.splice(0..0, std::iter::repeat_n(0, limbs));
        }
    }

    /// `self -= other` (`other` ≤ `self`).
    fn sub(&mut self, other: &Big) {
        let mut borrow = false;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let o = other.0.get(i).copied().unwrap_or(0);
            let (v, b1) = limb.overflowing_sub(o);
            let (v, b2) = v.overflowing_sub(u32::from(borrow));
            *limb = v;
            borrow = b1 || b2;
        }
    }

    fn cmp(&self, other: &Big) -> Ordering {
        let len = self.0.len().max(other.0.len());
        for i in (0..len).rev() {
            let a = self.0.get(i).copied().unwrap_or(0);
            let b = other.0.get(i).copied().unwrap_or(0);
            match a.cmp(&b) {
                Ordering::Equal => {}
                unequal => return unequal,
            }
        }
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The exact decimal value of the point halfway between the positive
    /// `f64` of `bits` and the next one: digits and exponent.
    fn halfway(bits: u64) -> (String, i64) {
        let biased = (bits >> 52) as i64;
        let fraction = bits & ((1 << 52) - 1);
        let (m, e) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | 1 << 52, biased - 1075)
        };
        // (2m + 1) × 2^(e - 1)
        let odd = 2 * m + 1;
        let mut n = Big(vec![odd as u32, (odd >> 32) as u32]);
        let power = e - 1;
        if power >= 0 {
            n.shift_left(power as u64);
            (decimal(n), 0)
        } else {
            for _ in 0..-power {
                n.mul_add(5, 0);
            }
            (decimal(n), power)
        }
    }

    fn decimal(mut n: Big) -> String {
        let mut digits = Vec::new();
        n.trim();
        while !n.0.is_empty() {
            let mut rem = 0u64;
            for limb in n.0.iter_mut().rev() {
                let v = (rem << 32) | u64::from(*limb);
                *limb = (v / 10) as u32;
                rem = v % 10;
            }
            digits.push(b'0' + rem as u8);
            n.trim();
        }
        digits.reverse();
        String::from_utf8(digits).unwrap()
    }

    fn check(digits: &str, exponent: i64) {
        let ours = decimal_to_f64(digits.as_bytes(), exponent);
        let text = format!("{digits}e{exponent}");
        let theirs = text.parse::<f64>().ok().filter(|f| f.is_finite());
        assert_eq!(ours.map(f64::to_bits), theirs.map(f64::to_bits), "{text}");
    }

    #[test]
    fn rounds_as_core_does() {
        for (digits, exponent) in [
            ("0", 0),
            ("000", 5),
            ("1", 0),
            ("25", -1),
            ("1", 22),
            ("1", 23),
            ("1", 308),
            ("17976931348623157", 292),
            ("17976931348623158", 292),
            ("17976931348623159", 292),
            ("1", 309),
            ("9007199254740993", 0),
            ("9007199254740995", 0),
            ("30000000000000004", -17),
            ("1", -1),
            ("1", -323),
            ("1", -324),
            ("25", -325),
            ("247", -326),
            ("5", -324),
            ("4940656458412465441765687928682213723651", -363),
            ("22250738585072011", -324),
            ("22250738585072012", -324),
            ("22250738585072014", -324),
            ("1", -400),
            ("123456789012345678901234567890", -5),
            ("7450580596923828125", -27),
        ] {
            check(digits, exponent);
        }
    }

    #[test]
    fn long_inputs_round_as_core_does() {
        // Halfway between 1 and the next f64, then one more digit far away.
        let halfway = "10000000000000001110223024625156540423631668090820312500";
        check(halfway, -55);
        let above = format!("{halfway}{}1", "0".repeat(900));
        check(&above, -955);
        let below = format!(
            "{}{}",
            "1000000000000000111022302462515654042363166809082031249",
            "9".repeat(900)
        );
        check(&below, -955);
        check(&"9".repeat(2000), -1700);
        check(&"1".repeat(1200), -1500);
    }

    proptest! {
        #[test]
        fn any_decimal_rounds_as_core_does(digits in "[0-9]{1,40}", exponent in -360i64..320) {
            check(&digits, exponent);
        }

        #[test]
        fn halfway_points_round_as_core_does(bits in 1u64..0x7ff0_0000_0000_0000, tail in "[0-9]{0,3}") {
            let (digits, exponent) = halfway(bits);
            check(&digits, exponent);
            // Just above it.
            check(&format!("{digits}{tail}1"), exponent - tail.len() as i64 - 1);
            // Just below it.
            let (head, last) = digits.split_at(digits.len() - 1);
            if let Some(lower) = (last.as_bytes()[0] - b'0').checked_sub(1) {
                check(
                    &format!("{head}{lower}{}", "9".repeat(tail.len() + 1)),
                    exponent - tail.len() as i64 - 1,
                );
            }
        }
    }
}
