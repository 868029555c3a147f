//! Sprig's password functions: `bcrypt` and `htpasswd` (bcrypt at Go's
//! default cost 10, `$2a$` hashes; random salt, so nondeterministic) and
//! `derivePassword` (the Master Password algorithm: scrypt, then HMAC-SHA256
//! choosing a template and its characters; deterministic).
//!
//! Failures come back as result text, as Sprig returns them. This module
//! must not encrypt (see `cipher`).

use hmac::Mac;

use super::{Param, Registry, arg_int, arg_str};
use crate::template::value::Value;

/// Go's `bcrypt.DefaultCost`.
const BCRYPT_COST: u32 = 10;

/// Go's bcrypt refuses longer passwords.
const BCRYPT_MAX_BYTES: usize = 72;

const MASTER_PASSWORD_SEED: &str = "com.lyndir.masterpassword";

pub(super) fn register(r: &mut Registry) {
    use Param::{Int, Str};
    r.add_random("bcrypt", &[Str], None, |_, a| Ok(Value::str(bcrypt_text(arg_str(&a, 0)))));
    r.add_random("htpasswd", &[Str, Str], None, |_, a| {
        let (user, password) = (arg_str(&a, 0), arg_str(&a, 1));
        if user.contains(':') {
            return Ok(Value::str(format!("invalid username: {user}")));
        }
        Ok(Value::str(format!("{user}:{}", bcrypt_text(password))))
    });
    r.add("derivePassword", &[Int, Str, Str, Str, Str], None, |_, a| {
        let counter = arg_int(&a, 0) as u32;
        Ok(Value::str(derive_password(counter, arg_str(&a, 1), arg_str(&a, 2), arg_str(&a, 3), arg_str(&a, 4))))
    });
}

/// A `$2a$10$` hash of `password`, or Sprig's failure text.
fn bcrypt_text(password: &str) -> String {
    if password.len() > BCRYPT_MAX_BYTES {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes".to_string();
    }
    match bcrypt::hash_with_result(password, BCRYPT_COST) {
        Ok(parts) => parts.format_for_version(bcrypt::Version::TwoA),
        Err(error) => format!("failed to encrypt string with bcrypt: {error}"),
    }
}

/// Characters each template letter draws from.
fn template_characters(letter: u8) -> &'static [u8] {
    match letter {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// Templates of each password type.
fn password_templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

/// Sprig's `derivePassword`.
fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = password_templates(kind) else {
        return format!("cannot find password template {kind}");
    };
    let mut salt = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    // N = 32768 (2^15), r = 8, p = 2, 64 bytes.
    let mut key = [0u8; 64];
    let derived = scrypt::Params::new(15, 8, 2, 64)
        .map_err(|e| e.to_string())
        .and_then(|params| scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key).map_err(|e| e.to_string()));
    if let Err(error) = derived {
        return format!("failed to derive password: {error}");
    }
    let mut message = MASTER_PASSWORD_SEED.as_bytes().to_vec();
    message.extend_from_slice(&(site.len() as u32).to_be_bytes());
    message.extend_from_slice(site.as_bytes());
    message.extend_from_slice(&counter.to_be_bytes());
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key) else {
        return "failed to derive password: invalid key".to_string();
    };
    mac.update(&message);
    let seed = mac.finalize().into_bytes();
    let template = templates[usize::from(seed[0]) % templates.len()];
    template
        .bytes()
        .enumerate()
        .map(|(i, letter)| {
            let characters = template_characters(letter);
            characters[usize::from(seed[i + 1]) % characters.len()] as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcrypt_hashes_verify_and_use_go_s_version_and_cost() {
        let hash = bcrypt_text("s3cret");
        assert!(hash.starts_with("$2a$10$"), "{hash}");
        assert!(bcrypt::verify("s3cret", &hash).expect("a valid hash"));
        assert!(!bcrypt::verify("other", &hash).expect("a valid hash"));
        assert!(bcrypt_text(&"a".repeat(73)).ends_with("password length exceeds 72 bytes"));
    }
}
