//! Encodings and digests: base64, base32, `sha1sum`/`sha256sum`/`sha512sum`
//! (hex), `adler32sum` (decimal), and JSON in both directions. Decoding
//! errors come back as the result text, as Sprig does.

use base64::Engine;
use sha1::Digest;

use super::{Param, Registry, arg_str};
use crate::template::value::Value;
use crate::yaml::gounmarshal::{self, Decoded, Destination};
use crate::yaml::{GoJsonOptions, to_json_go};

pub(super) fn register(r: &mut Registry) {
    use Param::{Any, Str};
    r.add("b64enc", &[Str], None, |_, a| {
        Ok(Value::str(base64::engine::general_purpose::STANDARD.encode(arg_str(&a, 0))))
    });
    r.add("b64dec", &[Str], None, |_, a| Ok(Value::str(base64_decode(arg_str(&a, 0)))));
    r.add("b32enc", &[Str], None, |_, a| Ok(Value::str(base32_encode(arg_str(&a, 0).as_bytes()))));
    r.add("b32dec", &[Str], None, |_, a| Ok(Value::str(base32_decode(arg_str(&a, 0)))));
    r.add("sha1sum", &[Str], None, |_, a| Ok(Value::str(hex(&sha1::Sha1::digest(arg_str(&a, 0).as_bytes())))));
    r.add("sha256sum", &[Str], None, |_, a| Ok(Value::str(hex(&sha2::Sha256::digest(arg_str(&a, 0).as_bytes())))));
    r.add("sha512sum", &[Str], None, |_, a| Ok(Value::str(hex(&sha2::Sha512::digest(arg_str(&a, 0).as_bytes())))));
    r.add("adler32sum", &[Str], None, |_, a| Ok(Value::str(adler32(arg_str(&a, 0).as_bytes()).to_string())));
    // Helm's toJson and Sprig's toPrettyJson print nothing when Go cannot
    // encode; Sprig's toRawJson panics, which fails the call.
    r.add("toJson", &[Any], None, |_, a| Ok(Value::str(go_json(&a[0], GoJsonOptions::TO_JSON).unwrap_or_default())));
    r.add("toPrettyJson", &[Any], None, |_, a| {
        Ok(Value::str(go_json(&a[0], GoJsonOptions::TO_PRETTY_JSON).unwrap_or_default()))
    });
    r.add("toRawJson", &[Any], None, |_, a| Ok(Value::str(go_json(&a[0], GoJsonOptions::TO_RAW_JSON)?)));
    r.add("mustToJson", &[Any], None, |_, a| Ok(Value::str(go_json(&a[0], GoJsonOptions::TO_JSON)?)));
    r.add("mustToPrettyJson", &[Any], None, |_, a| Ok(Value::str(go_json(&a[0], GoJsonOptions::TO_PRETTY_JSON)?)));
    r.add("mustToRawJson", &[Any], None, |_, a| Ok(Value::str(go_json(&a[0], GoJsonOptions::TO_RAW_JSON)?)));
    r.add("fromJson", &[Str], None, |_, a| Ok(from_json_object(arg_str(&a, 0))));
    r.add("mustFromJson", &[Str], None, |_, a| {
        gounmarshal::from_str(arg_str(&a, 0)).map(|v| Value::from_json(&v)).map_err(|e| e.to_string().into())
    });
    r.add("fromJsonArray", &[Str], None, |_, a| {
        // Helm replaces the whole list by the error's text.
        Ok(match gounmarshal::unmarshal(arg_str(&a, 0), Destination::Slice) {
            Ok(Decoded { value, error: None }) => match value {
                serde_json::Value::Null => Value::list(Vec::new()),
                value => Value::from_json(&value),
            },
            Ok(Decoded { error: Some(e), .. }) | Err(e) => Value::list(vec![Value::str(e.to_string())]),
        })
    });
}

/// The value as Go's `encoding/json` writes it, through the shared encoder;
/// the error is Go's when it refuses the value.
fn go_json(value: &Value, options: GoJsonOptions) -> Result<String, String> {
    // Sprig's raw encoders encode a pointer to the value.
    let pointer_levels = usize::from(!options.escape_html);
    if let Some(message) = value.json_unsupported(pointer_levels) {
        return Err(message);
    }
    // `to_json` inserts map keys sorted and struct fields in Go's order.
    Ok(to_json_go(&value.to_json(), GoJsonOptions { keep_key_order: true, ..options }))
}

/// Helm's `fromJson`: the map Go's decoder filled, with the error's text
/// under `Error` when it failed (a syntax error leaves the map empty; a
/// number out of range leaves the rest decoded).
fn from_json_object(text: &str) -> Value {
    let (value, error) = match gounmarshal::unmarshal(text, Destination::Map) {
        Ok(Decoded { value, error }) => (value, error),
        Err(error) => (serde_json::Value::Null, Some(error)),
    };
    let mut map = match Value::from_json(&value) {
        Value::Map(map, _) => map.borrow().clone(),
        _ => std::collections::BTreeMap::new(),
    };
    if let Some(error) = error {
        map.insert("Error".to_string(), Value::str(error.to_string()));
    }
    Value::map(map)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Go's `base64.StdEncoding.DecodeString`, which skips `\r` and `\n`; the
/// error text replaces the result, as in Sprig.
fn base64_decode(text: &str) -> String {
    let cleaned: String = text.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    match base64::engine::general_purpose::STANDARD.decode(cleaned.as_bytes()) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(base64::DecodeError::InvalidByte(offset, _)) | Err(base64::DecodeError::InvalidLastSymbol(offset, _)) => {
            format!("illegal base64 data at input byte {offset}")
        }
        Err(_) => format!("illegal base64 data at input byte {}", go_base64_error_offset(&cleaned)),
    }
}

/// Where Go reports a length or padding error: the start of the incomplete quantum.
fn go_base64_error_offset(text: &str) -> usize {
    text.trim_end_matches('=').len() / 4 * 4
}

const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 with padding (Go's `base32.StdEncoding`).
fn base32_encode(input: &[u8]) -> String {
    let mut out = String::new();
    for chunk in input.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, &b| (acc << 8) | b as u64);
        let chars = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < chars {
                out.push(BASE32_ALPHABET[((bits >> (35 - i * 5)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base32_decode(text: &str) -> String {
    let cleaned: Vec<u8> = text.bytes().filter(|b| *b != b'\r' && *b != b'\n').collect();
    if !cleaned.len().is_multiple_of(8) {
        return format!("illegal base32 data at input byte {}", cleaned.len() / 8 * 8);
    }
    let mut out = Vec::new();
    for (ci, chunk) in cleaned.chunks(8).enumerate() {
        let data_len = chunk.iter().position(|b| *b == b'=').unwrap_or(8);
        if chunk[data_len..].iter().any(|b| *b != b'=') || !matches!(data_len, 2 | 4 | 5 | 7 | 8) {
            return format!("illegal base32 data at input byte {}", ci * 8 + data_len);
        }
        let mut bits: u64 = 0;
        for (i, &b) in chunk[..data_len].iter().enumerate() {
            let Some(v) = BASE32_ALPHABET.iter().position(|a| *a == b) else {
                return format!("illegal base32 data at input byte {}", ci * 8 + i);
            };
            bits |= (v as u64) << (35 - i * 5);
        }
        let bytes = match data_len {
            2 => 1,
            4 => 2,
            5 => 3,
            7 => 4,
            _ => 5,
        };
        for i in 0..bytes {
            out.push((bits >> (32 - i * 8)) as u8);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Adler-32 checksum (RFC 1950).
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + byte as u32) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips() {
        assert_eq!(base32_encode(b"hello"), "NBSWY3DP");
        assert_eq!(base32_encode(b"hi"), "NBUQ====");
        assert_eq!(base32_decode("NBUQ===="), "hi");
        assert_eq!(adler32(b"hello"), 103547413);
    }
}
