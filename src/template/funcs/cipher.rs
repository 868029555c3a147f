//! Sprig's `encryptAES` and `decryptAES`: AES-256-CBC with the password's
//! bytes as the key (cut or zero-padded to 32), PKCS#7 padding, a random IV
//! in front, base64 around it all. Decryption strips padding without
//! checking it and fails where Go panics, with Go's messages.
//!
//! This module must not hash passwords (see `passwords`).

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
use base64::Engine;

use super::{Param, Registry, arg_str};
use crate::template::value::Value;

const BLOCK: usize = 16;

type Encryptor = cbc::Encryptor<aes::Aes256>;
type Decryptor = cbc::Decryptor<aes::Aes256>;

pub(super) fn register(r: &mut Registry) {
    use Param::Str;
    r.add_random("encryptAES", &[Str, Str], None, |x, a| {
        let iv: [u8; BLOCK] = std::array::from_fn(|_| x.rng.u8(..));
        Ok(Value::str(encrypt(arg_str(&a, 0), arg_str(&a, 1), iv)))
    });
    r.add("decryptAES", &[Str, Str], None, |_, a| Ok(Value::str(decrypt(arg_str(&a, 0), arg_str(&a, 1))?)));
}

/// Sprig's key: the password's bytes in a 32-byte buffer.
fn key_of(password: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let bytes = password.as_bytes();
    let n = bytes.len().min(32);
    key[..n].copy_from_slice(&bytes[..n]);
    key
}

fn encrypt(password: &str, plaintext: &str, iv: [u8; BLOCK]) -> String {
    if plaintext.is_empty() {
        return String::new();
    }
    let mut content = plaintext.as_bytes().to_vec();
    let padding = BLOCK - content.len() % BLOCK;
    content.extend(std::iter::repeat_n(padding as u8, padding));
    let length = content.len();
    let encrypted = Encryptor::new(&key_of(password).into(), &iv.into())
        .encrypt_padded_mut::<NoPadding>(&mut content, length)
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let mut out = iv.to_vec();
    out.extend(encrypted);
    base64::engine::general_purpose::STANDARD.encode(out)
}

fn decrypt(password: &str, encoded: &str) -> Result<String, String> {
    if encoded.is_empty() {
        return Ok(String::new());
    }
    let data = base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|error| {
        let at = match error {
            base64::DecodeError::InvalidByte(at, _) | base64::DecodeError::InvalidLastSymbol(at, _) => at,
            _ => encoded.len() - encoded.len() % 4,
        };
        format!("illegal base64 data at input byte {at}")
    })?;
    if data.len() < BLOCK {
        return Err(format!("runtime error: slice bounds out of range [:{BLOCK}] with capacity {}", data.len()));
    }
    let (iv, body) = data.split_at(BLOCK);
    if body.len() % BLOCK != 0 {
        return Err("crypto/cipher: input not full blocks".to_string());
    }
    let mut buffer = body.to_vec();
    let iv: [u8; BLOCK] = iv.try_into().map_err(|_| "crypto/cipher: IV length must equal block size")?;
    let decrypted = Decryptor::new(&key_of(password).into(), &iv.into())
        .decrypt_padded_mut::<NoPadding>(&mut buffer)
        .map_err(|_| "crypto/cipher: input not full blocks".to_string())?;
    let Some(&last) = decrypted.last() else {
        return Err("runtime error: index out of range [-1]".to_string());
    };
    let end = decrypted.len() as i64 - i64::from(last);
    if end < 0 {
        return Err(format!("runtime error: slice bounds out of range [:{end}]"));
    }
    Ok(String::from_utf8_lossy(&decrypted[..end as usize]).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_encrypted_by_helm_decrypts() {
        // `encryptAES "secretkey" "plaintext"` from helm v3.17.
        assert_eq!(decrypt("secretkey", "IKSkmlFJtf+fnmIa7njfZQWHgh97dlqpvZ0Jx1YuFI0=").as_deref(), Ok("plaintext"));
    }

    #[test]
    fn encryption_round_trips_with_sprig_s_layout() {
        let iv = [7u8; BLOCK];
        let encrypted = encrypt("k", "exactly sixteen!", iv);
        let raw = base64::engine::general_purpose::STANDARD.decode(&encrypted).expect("base64");
        // IV, then the text and a whole block of padding.
        assert_eq!(raw.len(), 3 * BLOCK);
        assert_eq!(raw[..BLOCK], iv);
        assert_eq!(decrypt("k", &encrypted).as_deref(), Ok("exactly sixteen!"));
        assert_ne!(decrypt("other", &encrypted).as_deref(), Ok("exactly sixteen!"));
    }
}
