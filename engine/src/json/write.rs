//! Writing a `Serialize` value as compact JSON text, byte for byte as
//! `serde_json::to_string` writes it, with less code per type.
//!
//! The answers of the JavaScript API go out as JSON text (read back with
//! `JSON.parse`). serde_json's serializer inlines its writing into every
//! type's `Serialize` code and carries an error that can hold any I/O
//! error; this one writes into a `String` through a few shared functions
//! (a key, a string, a number) and has a unit error, so each type's code
//! is a short run of calls (BENCHMARKS.md, "Engine package size, second
//! round"). The output is the same: the same string escapes (`\"`, `\\`,
//! `\b`, `\f`, `\n`, `\r`, `\t`, other control characters as `\u00xx`),
//! the same integers, the same shortest `f64` text (zmij, as serde_json),
//! `null` for a non-finite float, enums as serde_json writes them. One
//! difference, for input no answer has: a map key that is not a string is
//! refused (serde_json quotes integer and boolean keys).

use std::fmt;

use serde::ser::{self, Serialize};

use crate::json::{Json, JsonValue, Member};

/// Writes `value` as compact JSON text.
pub fn to_json_string<T: Serialize + ?Sized>(value: &T) -> Result<String, WriteError> {
    let mut writer = Writer { out: String::new() };
    value.serialize(&mut writer)?;
    Ok(writer.out)
}

/// `text` as a JSON string literal, quoted and escaped as
/// `serde_json::to_string(text)` writes it.
pub fn quoted(text: &str) -> String {
    let mut writer = Writer {
        out: String::with_capacity(text.len() + 2),
    };
    writer.string(text);
    writer.out
}

/// JSON text that serializes as `serde_json::Value` does once read
/// (`serde_json::from_str`): object keys sorted, the last of duplicate keys
/// kept, numbers as serde_json reads them; `null` when serde_json would not
/// read it (a syntax error, nesting deeper than its 127 levels, a number it
/// refuses). The JavaScript module then needs no `Value` type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SortedJson(pub String);

impl SortedJson {
    /// `value` written as JSON text, to be written back sorted.
    pub fn of<T: Serialize + ?Sized>(value: &T) -> Self {
        SortedJson(to_json_string(value).unwrap_or_default())
    }
}

/// The levels of arrays and objects `serde_json::from_str` reads.
pub(crate) const SERDE_JSON_DEPTH: usize = 127;

impl Serialize for SortedJson {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match crate::json::parse_json_nested(&self.0, SERDE_JSON_DEPTH) {
            Ok(json) if numbers_read(&json) => Sorted(&json).serialize(serializer),
            _ => serializer.serialize_unit(),
        }
    }
}

/// Whether serde_json reads every number of `json`.
pub(crate) fn numbers_read(json: &Json<'_>) -> bool {
    match &json.value {
        JsonValue::Number(n) => crate::request::parse_json_number(n).is_some(),
        JsonValue::Array(items) => items.iter().all(numbers_read),
        JsonValue::Object(members) => members.iter().all(|m| numbers_read(&m.value)),
        JsonValue::Null | JsonValue::Bool(_) | JsonValue::String(_) => true,
    }
}

/// A JSON tree written as `serde_json::Value` writes it (see
/// [`SortedJson`]; a number serde_json refuses is written as `null`).
pub(crate) struct Sorted<'j, 'a>(pub &'j Json<'a>);

impl Serialize for Sorted<'_, '_> {
    fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0.value {
            JsonValue::Null => serializer.serialize_unit(),
            JsonValue::Bool(b) => serializer.serialize_bool(*b),
            JsonValue::Number(n) => match crate::request::parse_json_number(n) {
                Some(number) => number.serialize(serializer),
                None => serializer.serialize_unit(),
            },
            JsonValue::String(text) => serializer.serialize_str(text),
            JsonValue::Array(items) => serializer.collect_seq(items.iter().map(Sorted)),
            JsonValue::Object(members) => {
                let members = sorted_members(members);
                let mut map = ser::Serializer::serialize_map(serializer, Some(members.len()))?;
                for member in members {
                    ser::SerializeMap::serialize_entry(
                        &mut map,
                        &*member.key,
                        &Sorted(&member.value),
                    )?;
                }
                ser::SerializeMap::end(map)
            }
        }
    }
}

/// An object's members as a `serde_json::Map` keeps them: sorted by key,
/// and of duplicate keys the last one.
pub(crate) fn sorted_members<'j, 'a>(members: &'j [Member<'a>]) -> Vec<&'j Member<'a>> {
    let mut sorted: Vec<&Member<'a>> = members.iter().collect();
    crate::sorting::sort_by(&mut sorted, |a, b| a.key.cmp(&b.key));
    let mut kept: Vec<&Member<'a>> = Vec::with_capacity(sorted.len());
    for member in sorted {
        match kept.last_mut() {
            Some(last) if last.key == member.key => *last = member,
            _ => kept.push(member),
        }
    }
    kept
}

/// A value that cannot be written as JSON: a map key that is not a string,
/// or an error a `Serialize` implementation raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteError;

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value cannot be written as JSON")
    }
}

impl std::error::Error for WriteError {}

impl ser::Error for WriteError {
    fn custom<T: fmt::Display>(_message: T) -> Self {
        // The message is dropped: formatting it would bring every
        // `Display` it could name into the module.
        WriteError
    }
}

/// The JSON text written so far.
pub struct Writer {
    out: String,
}

impl Writer {
    /// A string literal, quoted and escaped.
    #[inline(never)]
    fn string(&mut self, text: &str) {
        self.out.push('"');
        let mut start = 0;
        for (i, byte) in text.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            // Escaped bytes are ASCII: `i` is a character boundary.
            self.out.push_str(text.get(start..i).unwrap_or_default());
            if escape.is_empty() {
                self.out.push_str("\\u00");
                self.out.push(hex_digit(byte >> 4));
                self.out.push(hex_digit(byte & 0xf));
            } else {
                self.out.push_str(escape);
            }
            start = i + 1;
        }
        self.out.push_str(text.get(start..).unwrap_or_default());
        self.out.push('"');
    }

    /// Opens an object or array: `open`, and the compound that writes its
    /// members and closes it with `close`.
    #[inline(never)]
    fn open(&mut self, open: &'static str, close: &'static str) -> Compound<'_> {
        self.out.push_str(open);
        Compound {
            writer: self,
            first: true,
            close,
        }
    }

    /// `{"variant":` of an enum variant with data, which closes with `}`.
    #[inline(never)]
    fn open_variant(&mut self, variant: &str) {
        self.out.push('{');
        self.string(variant);
        self.out.push(':');
    }

    #[inline(never)]
    fn integer(&mut self, value: impl itoa::Integer) {
        self.out.push_str(itoa::Buffer::new().format(value));
    }

    #[inline(never)]
    fn float(&mut self, value: f64) {
        if value.is_finite() {
            self.out.push_str(zmij::Buffer::new().format_finite(value));
        } else {
            self.out.push_str("null");
        }
    }
}

fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16).unwrap_or('0')
}

/// The members of an object or array being written.
pub struct Compound<'a> {
    writer: &'a mut Writer,
    first: bool,
    close: &'static str,
}

impl Compound<'_> {
    /// The separator before a member.
    #[inline(never)]
    fn next(&mut self) -> &mut Writer {
        if !self.first {
            self.writer.out.push(',');
        }
        self.first = false;
        self.writer
    }

    /// `"key":` of an object's member.
    #[inline(never)]
    fn key(&mut self, key: &str) -> &mut Writer {
        let writer = self.next();
        writer.string(key);
        writer.out.push(':');
        writer
    }

    #[inline(never)]
    fn close(self) {
        self.writer.out.push_str(self.close);
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, value: bool) -> Result<(), WriteError> {
        self.out.push_str(if value { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, value: i8) -> Result<(), WriteError> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i16(self, value: i16) -> Result<(), WriteError> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i32(self, value: i32) -> Result<(), WriteError> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i64(self, value: i64) -> Result<(), WriteError> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i128(self, value: i128) -> Result<(), WriteError> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u8(self, value: u8) -> Result<(), WriteError> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u16(self, value: u16) -> Result<(), WriteError> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u32(self, value: u32) -> Result<(), WriteError> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u64(self, value: u64) -> Result<(), WriteError> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u128(self, value: u128) -> Result<(), WriteError> {
        self.integer(value);
        Ok(())
    }

    fn serialize_f32(self, value: f32) -> Result<(), WriteError> {
        if value.is_finite() {
            self.out.push_str(zmij::Buffer::new().format_finite(value));
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }

    fn serialize_f64(self, value: f64) -> Result<(), WriteError> {
        self.float(value);
        Ok(())
    }

    fn serialize_char(self, value: char) -> Result<(), WriteError> {
        self.string(value.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), WriteError> {
        self.string(value);
        Ok(())
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), WriteError> {
        let mut seq = self.open("[", "]");
        for byte in value {
            seq.next().integer(*byte);
        }
        seq.close();
        Ok(())
    }

    fn serialize_none(self) -> Result<(), WriteError> {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), WriteError> {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), WriteError> {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), WriteError> {
        self.string(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("[", "]"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("[", "]"))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("[", "]"))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, WriteError> {
        self.open_variant(variant);
        Ok(self.open("[", "]}"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("{", "}"))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, WriteError> {
        Ok(self.open("{", "}"))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, WriteError> {
        self.open_variant(variant);
        Ok(self.open("{", "}}"))
    }
}

/// The four serde compounds whose elements follow one another without keys
/// (sequences and tuples of every kind): the same body for each trait.
macro_rules! positional_compound {
    ($($trait:ident :: $method:ident),+) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = WriteError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
                value.serialize(self.next())
            }

            fn end(self) -> Result<(), WriteError> {
                self.close();
                Ok(())
            }
        }
    )+};
}

positional_compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WriteError> {
        let writer = self.next();
        let start = writer.out.len();
        key.serialize(&mut *writer)?;
        // Only string keys (serde_json would quote a number or a boolean).
        if writer.out.as_bytes().get(start) != Some(&b'"') {
            return Err(WriteError);
        }
        writer.out.push(':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), WriteError> {
        self.close();
        Ok(())
    }
}

/// Structs and struct variants: each field under its name.
macro_rules! keyed_compound {
    ($($trait:ident),+) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = WriteError;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), WriteError> {
                value.serialize(self.key(key))
            }

            fn end(self) -> Result<(), WriteError> {
                self.close();
                Ok(())
            }
        }
    )+};
}

keyed_compound!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;

    use serde::Serialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    /// The same text as serde_json for `value`.
    fn same<T: Serialize + ?Sized>(value: &T) {
        let ours = to_json_string(value).expect("writes");
        let theirs = serde_json::to_string(value).expect("serde_json writes");
        assert_eq!(ours, theirs);
    }

    #[test]
    fn strings_escape_as_serde_json() {
        let mut all = String::new();
        for c in (0u32..0x250).filter_map(char::from_u32) {
            all.push(c);
        }
        all.push_str("\u{2028}\u{2029}\u{fffd}😀 \"quoted\" back\\slash");
        same(&all);
        same("");
        same("\u{7f}\u{0}\u{1f}");
        same(&'\n');
        assert_eq!(quoted(&all), serde_json::to_string(&all).expect("writes"));
        assert_eq!(quoted(""), "\"\"");
        same(&'é');
    }

    #[test]
    fn numbers_as_serde_json() {
        for f in [
            0.0,
            -0.0,
            1.5,
            1e21,
            1e-7,
            123456789.125,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            0.1 + 0.2,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            same(&f);
            same(&(f as f32));
        }
        same(&[u64::MAX, 0, 7]);
        same(&[i64::MIN, -1, 0, i64::MAX]);
        same(&(
            i128::MIN,
            u128::MAX,
            5u8,
            -5i8,
            300u16,
            -300i16,
            70000u32,
            -70000i32,
        ));
        for text in [
            "0",
            "-0",
            "12",
            "-12",
            "1.25",
            "1e300",
            "-2.5e-10",
            "18446744073709551615",
            "-9223372036854775808",
        ] {
            let number: serde_json::Number = serde_json::from_str(text).expect("a number");
            same(&number);
        }
    }

    #[test]
    fn compound_values_as_serde_json() {
        same(
            &json!({"a": [1, 2.5, null, true, false, "x"], "b": {}, "c": [], "d": {"e": {"f": [[]]}}}),
        );
        let mut map = BTreeMap::new();
        map.insert("k\"ey".to_owned(), vec![Some(1), None]);
        map.insert(String::new(), vec![]);
        same(&map);
        same(&());
        same(&(1, "two", [3]));
        same(&Vec::<u8>::new());
        same(&Some("x"));
        same(&None::<u8>);
        same(&Bytes(vec![1, 2, 255]));
        same(&Bytes(Vec::new()));
    }

    /// Bytes written through `serialize_bytes`.
    struct Bytes(Vec<u8>);

    impl Serialize for Bytes {
        fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.serialize_bytes(&self.0)
        }
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Tagged {
        Unit,
        Struct { a: u8, b: Option<&'static str> },
        Newtype(Inner),
    }

    #[derive(Serialize)]
    #[serde(untagged)]
    enum Untagged {
        Number(i32),
        Text(&'static str),
        List(Vec<Untagged>),
    }

    #[derive(Serialize)]
    enum External {
        Unit,
        Newtype(u8),
        Tuple(u8, &'static str),
        Struct { x: bool },
    }

    #[derive(Serialize)]
    struct Inner {
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        name: &'static str,
        #[serde(flatten)]
        rest: BTreeMap<&'static str, u8>,
    }

    #[derive(Serialize)]
    struct Empty {}

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Wrapped(u8);

    #[derive(Serialize)]
    struct Pair(u8, u8);

    #[test]
    fn derived_types_as_serde_json() {
        let rest: BTreeMap<_, _> = [("x", 1), ("y", 2)].into_iter().collect();
        same(&Tagged::Unit);
        same(&Tagged::Struct { a: 1, b: None });
        same(&Tagged::Struct { a: 1, b: Some("b") });
        same(&Tagged::Newtype(Inner {
            skipped: None,
            name: "n",
            rest: rest.clone(),
        }));
        same(&Tagged::Newtype(Inner {
            skipped: Some(3),
            name: "n",
            rest: BTreeMap::new(),
        }));
        same(&Untagged::List(vec![
            Untagged::Number(-4),
            Untagged::Text("t"),
            Untagged::List(vec![]),
        ]));
        same(&[
            External::Unit,
            External::Newtype(2),
            External::Tuple(3, "x"),
            External::Struct { x: true },
        ]);
        same(&(Empty {}, Unit, Wrapped(9), Pair(1, 2)));
    }

    #[test]
    fn sorted_json_as_serde_json_value() {
        let deep_ok = format!("{}{}", "[".repeat(127), "]".repeat(127));
        let too_deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
        for text in [
            r#"{"b": [1, -0, 2.5, 1e400], "a": null}"#,
            r#"{"b": [1, -0, 2.5e-3, "x\u00e9\n"], "a": {"z": true, "y": false}, "b": 3}"#,
            r#"{"é": 1, "e": 2, "E": 3, "": 4, "ee": {"b": 1, "a": 2, "b": [5]}}"#,
            r#"[18446744073709551615, 18446744073709551616, -9223372036854775809, 1.0, 1e-400]"#,
            "[]",
            "  \"text\"  ",
            "[1, 2",
            r#"{"a": 1,}"#,
            &deep_ok,
            &too_deep,
        ] {
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
            let json = SortedJson(text.to_owned());
            assert_eq!(
                to_json_string(&json).expect("writes"),
                serde_json::to_string(&theirs).expect("writes"),
                "{text}"
            );
            assert_eq!(
                serde_json::to_string(&json).expect("writes"),
                serde_json::to_string(&theirs).expect("writes"),
                "{text}"
            );
        }
        let diagnostic = crate::Diagnostic::error("code", "a `message`", crate::Span::new(3, 9))
            .with_help("help");
        assert_eq!(
            to_json_string(&SortedJson::of(&[&diagnostic])).expect("writes"),
            serde_json::to_value([&diagnostic])
                .expect("a value")
                .to_string()
        );
    }

    #[test]
    fn non_string_keys_are_refused() {
        let mut map = BTreeMap::new();
        map.insert(1, 2);
        assert_eq!(to_json_string(&map), Err(WriteError));
    }
}
