//! The catalogue file's primitives: a signature, LEB128 unsigned integers,
//! length-prefixed UTF-8 strings and sorted index lists stored as gaps.
//!
//! Layout (version 2). Every integer is a LEB128 `varint`; a `str` is a
//! length and UTF-8 bytes. Tables are stored column by column, which
//! compresses well; a column of texts (`text × n`) is front-coded: for each
//! item, how many bytes it shares with the item before, then one `str` of
//! the rests separated by newlines.
//!
//! ```text
//! "IAMCATLG" version:varint source:str data_date:str
//! keys       count; text × count (sorted by lowercase name); type:u8 × count;
//!            flags:u8 × count (bit 0: global; bit 1: not documented by
//!            AWS, see [`super::SourceKey::documented`]; other bits: 0)
//! key lists  count; list × count, a list being a length and ascending key
//!            indices, each as its gap from the previous one
//! services   count; prefix text × n (sorted by lowercase prefix); name text × n;
//!            resource type count × n; action count × n; key list × n
//! resource   (the services' resource types, in order, each service's sorted
//! types       by lowercase name) name text × n; format count × n; format text × all;
//!            key list × n
//! actions    (likewise) name text × n; access level:u8 × n; resource type count × n;
//!            key list × n; dependent count × n; dependent text × all
//! action     (each action's, in order) resource type (index in its service) × n;
//! resource   required:u8 × n; key list × n; dependent count × n;
//! types      dependent text × all
//! ```
//!
//! "key list" columns hold indices in the key lists table: actions share
//! few distinct lists.

use super::CatalogError;

/// The first bytes of every catalogue file.
pub const MAGIC: &[u8; 8] = b"IAMCATLG";

/// A key's flag: usable with every service.
pub const KEY_GLOBAL: u8 = 1;
/// A key's flag: AWS uses it but does not document it.
pub const KEY_UNDOCUMENTED: u8 = 1 << 1;

/// Writes the primitives.
#[derive(Debug, Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn varint(&mut self, mut value: u64) {
        loop {
            let low = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.bytes.push(low);
                return;
            }
            self.bytes.push(low | 0x80);
        }
    }

    pub fn count(&mut self, n: usize) {
        self.varint(n as u64);
    }

    pub fn byte(&mut self, b: u8) {
        self.bytes.push(b);
    }

    pub fn str(&mut self, s: &str) {
        self.count(s.len());
        self.bytes.extend_from_slice(s.as_bytes());
    }

    /// A text column: each item front-coded against the one before (a
    /// column of shared byte counts), then the rest of every item in one
    /// string, separated by newlines. Items must not hold a newline.
    pub fn texts<S: AsRef<str>>(&mut self, items: &[S]) {
        let mut previous = "";
        let mut rest = String::new();
        for (i, item) in items.iter().enumerate() {
            let s = item.as_ref();
            let shared = previous
                .bytes()
                .zip(s.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            // Split on a character boundary.
            let shared = (0..=shared)
                .rev()
                .find(|&i| s.is_char_boundary(i))
                .unwrap_or(0);
            self.count(shared);
            if i > 0 {
                rest.push('\n');
            }
            rest.push_str(s.get(shared..).unwrap_or_default());
            previous = s;
        }
        self.str(&rest);
    }

    /// Ascending, distinct indices as gaps.
    pub fn list(&mut self, ascending: &[u32]) {
        self.count(ascending.len());
        let mut previous = 0;
        for (i, &index) in ascending.iter().enumerate() {
            let gap = if i == 0 {
                index
            } else {
                index.saturating_sub(previous)
            };
            self.varint(u64::from(gap));
            previous = index;
        }
    }
}

/// Reads the primitives, reporting where the data is short or wrong.
#[derive(Debug)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    pub offset: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, offset: 0 }
    }

    pub fn damaged(&self, what: &'static str) -> CatalogError {
        CatalogError::Damaged {
            what,
            offset: self.offset,
        }
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.offset)
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], CatalogError> {
        let end = self
            .offset
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(CatalogError::Truncated {
                offset: self.bytes.len(),
            })?;
        let slice = self.bytes.get(self.offset..end).unwrap_or_default();
        self.offset = end;
        Ok(slice)
    }

    pub fn byte(&mut self) -> Result<u8, CatalogError> {
        Ok(self.take(1)?.first().copied().unwrap_or_default())
    }

    pub fn varint(&mut self) -> Result<u64, CatalogError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.damaged("an integer is too long"))
    }

    /// A count of items that each take at least one byte: never more than
    /// the bytes left, so a damaged count cannot make us allocate much.
    pub fn count(&mut self) -> Result<usize, CatalogError> {
        let n = self.varint()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.remaining())
            .ok_or(CatalogError::Truncated {
                offset: self.bytes.len(),
            })
    }

    /// A `u32` below `limit`.
    pub fn index(&mut self, limit: usize, what: &'static str) -> Result<u32, CatalogError> {
        let n = self.varint()?;
        u32::try_from(n)
            .ok()
            .filter(|&n| (n as usize) < limit)
            .ok_or_else(|| self.damaged(what))
    }

    pub fn str(&mut self) -> Result<&'a str, CatalogError> {
        let len = self.count()?;
        let start = self.offset;
        let bytes = self.take(len)?;
        std::str::from_utf8(bytes).map_err(|_| CatalogError::Damaged {
            what: "a name is not UTF-8",
            offset: start,
        })
    }

    /// A text column of `n` items (see [`Writer::texts`]): the shared
    /// byte counts and the newline-separated rests.
    pub fn texts(
        &mut self,
        n: usize,
    ) -> Result<(Vec<usize>, std::str::Split<'a, char>), CatalogError> {
        let mut shared = Vec::with_capacity(n.min(self.remaining()));
        for _ in 0..n {
            shared.push(self.count()?);
        }
        let rest = self.str()?;
        if n == 0 && !rest.is_empty() {
            return Err(self.damaged("an empty text column holds text"));
        }
        if n > 0 && rest.bytes().filter(|&b| b == b'\n').count() != n - 1 {
            return Err(self.damaged("a text column holds the wrong number of items"));
        }
        Ok((shared, rest.split('\n')))
    }

    /// An ascending list of indices below `limit`, appended to `out`.
    pub fn list(&mut self, limit: usize, out: &mut Vec<u32>) -> Result<(), CatalogError> {
        let n = self.count()?;
        let mut previous: Option<u64> = None;
        for _ in 0..n {
            let gap = self.varint()?;
            let index = match previous {
                None => gap,
                Some(_) if gap == 0 => return Err(self.damaged("a key list repeats a key")),
                Some(p) => p.saturating_add(gap),
            };
            let index = u32::try_from(index)
                .ok()
                .filter(|&i| (i as usize) < limit)
                .ok_or_else(|| self.damaged("a key list names a key that does not exist"))?;
            out.push(index);
            previous = Some(u64::from(index));
        }
        Ok(())
    }

    pub fn at_end(&self) -> bool {
        self.offset >= self.bytes.len()
    }
}
