//! Sprig's random functions. Their output differs on every run, so calling
//! them marks the render nondeterministic (see `Rendered`). They draw from
//! the executor's generator, which a caller may seed
//! (`TemplateSet::set_random_seed`).

use base64::Engine;

use super::{Param, Registry, arg_int};
use crate::template::value::Value;

pub(super) fn register(r: &mut Registry) {
    use Param::{Int, Str};
    r.add_random("randAlphaNum", &[Int], None, |x, a| {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Ok(Value::str(random_string(&mut x.rng, arg_int(&a, 0), alphabet)))
    });
    r.add_random("randAlpha", &[Int], None, |x, a| {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        Ok(Value::str(random_string(&mut x.rng, arg_int(&a, 0), alphabet)))
    });
    r.add_random("randNumeric", &[Int], None, |x, a| {
        Ok(Value::str(random_string(&mut x.rng, arg_int(&a, 0), b"0123456789")))
    });
    r.add_random("randAscii", &[Int], None, |x, a| {
        let printable: Vec<u8> = (b' '..=b'~').collect();
        Ok(Value::str(random_string(&mut x.rng, arg_int(&a, 0), &printable)))
    });
    r.add_random("randInt", &[Int, Int], None, |x, a| {
        let (min, max) = (arg_int(&a, 0), arg_int(&a, 1));
        if max <= min {
            return Err("invalid argument to Intn".into());
        }
        Ok(Value::Int(x.rng.i64(min..max)))
    });
    r.add_random("randBytes", &[Int], None, |x, a| {
        let n = arg_int(&a, 0).max(0) as usize;
        let bytes: Vec<u8> = (0..n).map(|_| x.rng.u8(..)).collect();
        Ok(Value::str(base64::engine::general_purpose::STANDARD.encode(bytes)))
    });
    r.add_random("uuidv4", &[], None, |x, _| Ok(Value::str(uuid_v4(&mut x.rng))));
    r.add_random("shuffle", &[Str], None, |x, a| {
        let mut chars: Vec<char> = super::arg_str(&a, 0).chars().collect();
        x.rng.shuffle(&mut chars);
        Ok(Value::str(chars.into_iter().collect::<String>()))
    });
}

fn random_string(rng: &mut fastrand::Rng, count: i64, alphabet: &[u8]) -> String {
    (0..count.max(0)).map(|_| alphabet[rng.usize(..alphabet.len())] as char).collect()
}

/// A random (version 4, variant 1) UUID in canonical text form.
fn uuid_v4(rng: &mut fastrand::Rng) -> String {
    let mut bytes: [u8; 16] = std::array::from_fn(|_| rng.u8(..));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}
