//! IP addresses and CIDR ranges for `IpAddress` / `NotIpAddress`.
//!
//! A policy value is `ADDRESS/PREFIX` or a bare address, which AWS reads as
//! a single-address range (`/32` for IPv4, `/128` for IPv6). Host bits after
//! the prefix are ignored (`203.0.113.9/24` is the range `203.0.113.0/24`).

use std::net::IpAddr;

/// An IPv4 or IPv6 range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IpRange {
    address: IpAddr,
    prefix: u32,
}

/// Whether an address falls in a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Containment {
    /// The address is in the range.
    Inside,
    /// Same family, outside the range.
    Outside,
    /// An IPv4 address and an IPv6 range, or the other way round.
    OtherFamily,
}

impl IpRange {
    /// Parses `ADDRESS[/PREFIX]`.
    pub(crate) fn parse(text: &str) -> Option<IpRange> {
        let (address_text, prefix_text) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: IpAddr = address_text.parse().ok()?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix_text {
            None => max,
            Some(p) => {
                if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                p.parse::<u32>().ok().filter(|n| *n <= max)?
            }
        };
        Some(IpRange { address, prefix })
    }

    /// The prefix length.
    pub(crate) fn prefix(&self) -> u32 {
        self.prefix
    }

    /// The same range with the bits after the prefix cleared
    /// (`10.0.0.1/8` is `10.0.0.0/8`).
    pub(crate) fn network(&self) -> IpRange {
        let address = match self.address {
            IpAddr::V4(a) => {
                let mask = u32::MAX
                    .checked_shl(32u32.saturating_sub(self.prefix))
                    .unwrap_or(0);
                IpAddr::V4((u32::from(a) & mask).into())
            }
            IpAddr::V6(a) => {
                let mask = u128::MAX
                    .checked_shl(128u32.saturating_sub(self.prefix))
                    .unwrap_or(0);
                IpAddr::V6((u128::from(a) & mask).into())
            }
        };
        IpRange {
            address,
            prefix: self.prefix,
        }
    }

    /// Whether the address as written has bits set after the prefix,
    /// which AWS ignores.
    pub(crate) fn has_host_bits(&self) -> bool {
        self.network().address != self.address
    }

    /// Whether every address of this range is in `other`.
    pub(crate) fn is_within(&self, other: &IpRange) -> bool {
        self.prefix >= other.prefix && other.contains(self.address) == Containment::Inside
    }

    /// Whether `address` is in the range.
    pub(crate) fn contains(&self, address: IpAddr) -> Containment {
        let inside = match (self.address, address) {
            (IpAddr::V4(net), IpAddr::V4(a)) => {
                let mask = u32::MAX
                    .checked_shl(32u32.saturating_sub(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(a)) => {
                let mask = u128::MAX
                    .checked_shl(128u32.saturating_sub(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(a) & mask
            }
            _ => return Containment::OtherFamily,
        };
        if inside {
            Containment::Inside
        } else {
            Containment::Outside
        }
    }
}

impl std::fmt::Display for IpRange {
    /// `ADDRESS/PREFIX`, the address in its canonical form.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.address, self.prefix)
    }
}

/// Parses a request value as a single address.
pub(crate) fn parse_address(text: &str) -> Option<IpAddr> {
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(range: &str, address: &str) -> Containment {
        IpRange::parse(range)
            .unwrap()
            .contains(parse_address(address).unwrap())
    }

    #[test]
    fn ipv4_ranges() {
        use Containment::*;
        let cases = [
            ("203.0.113.0/24", "203.0.113.0", Inside),
            ("203.0.113.0/24", "203.0.113.255", Inside),
            ("203.0.113.0/24", "203.0.114.0", Outside),
            ("203.0.113.9/24", "203.0.113.1", Inside),
            ("0.0.0.0/0", "198.51.100.7", Inside),
            ("10.0.0.1/32", "10.0.0.1", Inside),
            ("10.0.0.1/32", "10.0.0.2", Outside),
            ("10.0.0.1", "10.0.0.1", Inside),
            ("10.0.0.1", "10.0.0.2", Outside),
            ("10.0.0.0/8", "11.0.0.0", Outside),
            ("10.0.0.0/31", "10.0.0.1", Inside),
            ("10.0.0.0/31", "10.0.0.2", Outside),
            ("10.0.0.0/8", "2001:db8::1", OtherFamily),
        ];
        for (range, address, want) in cases {
            assert_eq!(inside(range, address), want, "{range} {address}");
        }
    }

    #[test]
    fn ipv6_ranges() {
        use Containment::*;
        let cases = [
            ("2001:db8::/32", "2001:db8:1234::1", Inside),
            (
                "2001:DB8:1234:5678::/64",
                "2001:db8:1234:5678:ffff::1",
                Inside,
            ),
            ("2001:db8::/32", "2001:db9::1", Outside),
            ("::/0", "2001:db8::1", Inside),
            ("2001:db8::1/128", "2001:db8::1", Inside),
            ("2001:db8::1/128", "2001:db8::2", Outside),
            ("2001:db8::1", "2001:db8::1", Inside),
            ("::/0", "10.0.0.1", OtherFamily),
        ];
        for (range, address, want) in cases {
            assert_eq!(inside(range, address), want, "{range} {address}");
        }
    }

    #[test]
    fn networks_and_subranges() {
        let range = |t: &str| IpRange::parse(t).unwrap();
        assert!(range("10.0.0.1/8").has_host_bits());
        assert!(!range("10.0.0.0/8").has_host_bits());
        assert!(!range("10.0.0.1").has_host_bits());
        assert_eq!(range("10.1.2.3/8").network().to_string(), "10.0.0.0/8");
        assert_eq!(range("203.0.113.9/0").network().to_string(), "0.0.0.0/0");
        assert_eq!(
            range("2001:DB8:0:0:1::7/32").network().to_string(),
            "2001:db8::/32"
        );
        assert!(range("10.1.0.0/16").is_within(&range("10.0.0.0/8")));
        assert!(range("10.1.2.3").is_within(&range("10.0.0.0/8")));
        assert!(!range("10.0.0.0/7").is_within(&range("10.0.0.0/8")));
        assert!(!range("11.0.0.0/8").is_within(&range("10.0.0.0/8")));
        assert!(!range("fd00::/8").is_within(&range("10.0.0.0/8")));
        assert!(range("fd12::/16").is_within(&range("fc00::/7")));
    }

    #[test]
    fn rejects_malformed_ranges() {
        for bad in [
            "10.0.0.0/33",
            "2001:db8::/129",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "10.0.0.0/+8",
            "10.0.0/24",
            "10.0.0.256",
            "abc",
            "",
            "/24",
            "10.0.0.0/24/8",
            "10.0.0.0/0008",
            " 10.0.0.0/8",
        ] {
            assert_eq!(IpRange::parse(bad), None, "{bad}");
        }
        assert_eq!(parse_address("10.0.0.0/8"), None);
    }
}
