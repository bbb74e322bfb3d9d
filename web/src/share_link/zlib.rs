//! zlib (RFC 1950): the packing of share links.
//!
//! In the browser this is the browser's own `CompressionStream` and
//! `DecompressionStream` with format `"deflate"` (which is zlib), so the
//! module carries no compressor of its own (miniz_oxide was about 10 KB of
//! the gzipped `.wasm`). Natively (unit tests, fuzzing, the end-to-end
//! tests' fixtures) it is miniz_oxide at its best level. Either reads what
//! the other writes: the format is the same, only the chosen bytes differ.

/// Why packed bytes do not unpack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InflateError {
    /// Not a complete zlib stream, or its checksum does not match.
    Corrupted,
    /// It unpacks to more than the limit.
    TooLarge,
    /// The browser has no `DecompressionStream`.
    Unsupported,
}

/// miniz's best level (links are small; speed is moot).
#[cfg(not(target_arch = "wasm32"))]
const COMPRESSION_LEVEL: u8 = 10;

/// Packs `data`.
#[cfg(not(target_arch = "wasm32"))]
pub fn compress(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, COMPRESSION_LEVEL)
}

/// Unpacks `data`, refusing to produce more than `limit` bytes.
#[cfg(not(target_arch = "wasm32"))]
pub fn decompress(data: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, limit).map_err(|e| {
        match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => InflateError::TooLarge,
            _ => InflateError::Corrupted,
        }
    })
}

#[cfg(target_arch = "wasm32")]
pub use self::browser::{compress, decompress};

#[cfg(target_arch = "wasm32")]
mod browser {
    use js_sys::Uint8Array;
    use wasm_bindgen::prelude::wasm_bindgen;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{
        Blob, ReadableStream, ReadableStreamDefaultReader, ReadableStreamReadResult,
        ReadableWritablePair, WritableStream,
    };

    use super::InflateError;

    // web-sys has these only behind `--cfg=web_sys_unstable_apis`; they are
    // in every current browser (Compression Streams standard).
    #[wasm_bindgen]
    extern "C" {
        type CompressionStream;
        #[wasm_bindgen(constructor, catch)]
        fn new(format: &str) -> Result<CompressionStream, JsValue>;
        #[wasm_bindgen(method, getter)]
        fn readable(this: &CompressionStream) -> ReadableStream;
        #[wasm_bindgen(method, getter)]
        fn writable(this: &CompressionStream) -> WritableStream;

        type DecompressionStream;
        #[wasm_bindgen(constructor, catch)]
        fn new(format: &str) -> Result<DecompressionStream, JsValue>;
        #[wasm_bindgen(method, getter)]
        fn readable(this: &DecompressionStream) -> ReadableStream;
        #[wasm_bindgen(method, getter)]
        fn writable(this: &DecompressionStream) -> WritableStream;
    }

    /// zlib (RFC 1950) is what the standard calls `"deflate"`.
    const ZLIB: &str = "deflate";

    /// Why a stream could not be read to its end.
    enum ReadError {
        /// The stream failed (for a decompressor: bad data).
        Failed,
        /// More than the limit.
        TooLarge,
    }

    /// `data` piped through a transform stream's two ends.
    fn piped(
        data: &[u8],
        readable: &ReadableStream,
        writable: &WritableStream,
    ) -> Result<ReadableStream, JsValue> {
        let parts = js_sys::Array::of1(&Uint8Array::from(data));
        let source = Blob::new_with_u8_array_sequence(&parts)?.stream();
        Ok(source.pipe_through(&ReadableWritablePair::new(readable, writable)))
    }

    /// Reads `stream` to its end, giving up past `limit` bytes.
    async fn read_all(stream: ReadableStream, limit: usize) -> Result<Vec<u8>, ReadError> {
        let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
        let mut out = Vec::new();
        loop {
            let result: ReadableStreamReadResult = JsFuture::from(reader.read())
                .await
                .map_err(|_| ReadError::Failed)?
                .unchecked_into();
            if result.get_done() == Some(true) {
                return Ok(out);
            }
            let chunk = Uint8Array::new(&result.get_value());
            if out.len().saturating_add(chunk.length() as usize) > limit {
                let _ = reader.cancel();
                return Err(ReadError::TooLarge);
            }
            out.extend_from_slice(&chunk.to_vec());
        }
    }

    /// Packs `data`; `None` when the browser has no `CompressionStream`.
    pub async fn compress(data: &[u8]) -> Option<Vec<u8>> {
        let stream = CompressionStream::new(ZLIB).ok()?;
        let output = piped(data, &stream.readable(), &stream.writable()).ok()?;
        read_all(output, usize::MAX).await.ok()
    }

    /// Unpacks `data`, refusing to produce more than `limit` bytes.
    pub async fn decompress(data: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
        let stream = DecompressionStream::new(ZLIB).map_err(|_| InflateError::Unsupported)?;
        let output = piped(data, &stream.readable(), &stream.writable())
            .map_err(|_| InflateError::Unsupported)?;
        read_all(output, limit).await.map_err(|e| match e {
            ReadError::Failed => InflateError::Corrupted,
            ReadError::TooLarge => InflateError::TooLarge,
        })
    }
}
