//! Private keys as Sprig handles them: `genPrivateKey` (RSA 4096, ECDSA
//! P-256, Ed25519) and the PEM forms Sprig writes — `RSA PRIVATE KEY`
//! (PKCS#1), `EC PRIVATE KEY` (SEC 1 with the curve named), `PRIVATE KEY`
//! (PKCS#8 v1, Ed25519) — and reads back for the `...WithKey` functions.
//! Keys are random: the functions are nondeterministic.
//!
//! This module must not build certificates (see `certs`).

use base64::Engine;
use rcgen::{KeyPair, PKCS_ECDSA_P256_SHA256, PKCS_ED25519, PKCS_RSA_SHA256, RsaKeySize};

use super::{Param, Registry, arg_str};
use crate::template::value::Value;

const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

pub(super) fn register(r: &mut Registry) {
    r.add_random("genPrivateKey", &[Param::Str], None, |_, a| {
        let kind = arg_str(&a, 0);
        let generated = match kind {
            "" | "rsa" => KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_4096),
            "ecdsa" => KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256),
            "ed25519" => KeyPair::generate_for(&PKCS_ED25519),
            "dsa" => {
                return Err("DSA keys are not supported by driftctl's template engine; \
                            render the chart with helm to compare its output"
                    .into());
            }
            _ => return Ok(Value::str(format!("Unknown type {kind}"))),
        };
        Ok(Value::str(match generated {
            Ok(key) => key_pem(&key),
            Err(error) => format!("failed to generate private key: {error}"),
        }))
    });
}

/// A fresh RSA 2048 key, as Sprig makes for `genCA` and the certificate functions.
pub(super) fn generate_rsa_2048() -> Result<KeyPair, String> {
    KeyPair::generate_rsa_for(&PKCS_RSA_SHA256, RsaKeySize::_2048).map_err(|e| e.to_string())
}

/// The key as Sprig's `pemBlockForKey` writes it.
pub(super) fn key_pem(key: &KeyPair) -> String {
    let document = key.serialize_der();
    let Some((algorithm, inner)) = pkcs8_parts(&document) else {
        // Already PKCS#1 or SEC 1, as it was read.
        let label = if key.algorithm() == &PKCS_RSA_SHA256 { "RSA PRIVATE KEY" } else { "EC PRIVATE KEY" };
        return pem_encode(label, &document);
    };
    match algorithm.as_slice() {
        OID_RSA => pem_encode("RSA PRIVATE KEY", inner),
        OID_EC => pem_encode("EC PRIVATE KEY", &sec1_with_curve(inner).unwrap_or_else(|| inner.to_vec())),
        OID_ED25519 => {
            // Go writes PKCS#8 v1: the seed only, no public key.
            let seed = der_elements(inner).and_then(|e| e.first().map(|(_, c)| c.to_vec())).unwrap_or_default();
            let v1 = der(
                0x30,
                &[der(0x02, &[0]), der(0x30, &der(0x06, OID_ED25519)), der(0x04, &der(0x04, &seed))].concat(),
            );
            pem_encode("PRIVATE KEY", &v1)
        }
        _ => pem_encode("PRIVATE KEY", &document),
    }
}

/// Sprig's `parsePrivateKeyPEM`, with its messages.
pub(super) fn parse_key_pem(text: &str) -> Result<KeyPair, String> {
    let (label, bytes) = pem_decode(text).ok_or("no PEM data in input")?;
    let kind = if label == "PRIVATE KEY" {
        "PKCS#8"
    } else {
        match label.strip_suffix(" PRIVATE KEY") {
            Some("RSA") => "RSA",
            Some("EC") => "EC",
            Some(_) => return Err(format!("invalid private key type {label}")),
            None => return Err(format!("no private key data in PEM block of type {label}")),
        }
    };
    KeyPair::try_from(bytes.as_slice()).map_err(|error| match kind {
        "PKCS#8" => format!("decoding PEM as PKCS#8: {error}"),
        other => format!("parsing {other} private key from PEM: {error}"),
    })
}

/// Go's `pem.EncodeToMemory`: base64 in lines of 64.
pub(super) fn pem_encode(label: &str, der: &[u8]) -> String {
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).unwrap_or(""));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// Go's `pem.Decode` for the first block: its label and bytes.
pub(super) fn pem_decode(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")? + "-----BEGIN ".len();
    let label_end = start + text[start..].find("-----")?;
    let label = &text[start..label_end];
    let body_start = label_end + 5;
    let end_marker = format!("-----END {label}-----");
    let body_end = body_start + text[body_start..].find(&end_marker)?;
    let body: String = text[body_start..body_end]
        .lines()
        .filter(|line| !line.contains(':'))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let bytes = base64::engine::general_purpose::STANDARD.decode(body).ok()?;
    Some((label.to_string(), bytes))
}

/// A DER element: tag, then length, then content.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

/// The elements inside a DER SEQUENCE (or any constructed value): tag and content.
fn der_elements(mut bytes: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let tag = *bytes.first()?;
        let first = *bytes.get(1)?;
        let (length, header) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let count = usize::from(first & 0x7f);
            let length = bytes.get(2..2 + count)?.iter().fold(0usize, |n, b| (n << 8) | usize::from(*b));
            (length, 2 + count)
        };
        out.push((tag, bytes.get(header..header + length)?));
        bytes = &bytes[header + length..];
    }
    Some(out)
}

/// The algorithm OID and private key bytes of a PKCS#8 document.
fn pkcs8_parts(document: &[u8]) -> Option<(Vec<u8>, &[u8])> {
    let outer = der_elements(document)?;
    let [(0x30, body)] = outer.as_slice() else { return None };
    let fields = der_elements(body)?;
    let [(0x02, _), (0x30, algorithm), (0x04, key), ..] = fields.as_slice() else { return None };
    let algorithm = der_elements(algorithm)?;
    let (0x06, oid) = algorithm.first()? else { return None };
    Some((oid.to_vec(), key))
}

/// An EC private key (RFC 5915) with the P-256 curve named, as Go's
/// `MarshalECPrivateKey` writes it.
fn sec1_with_curve(ec_private_key: &[u8]) -> Option<Vec<u8>> {
    let outer = der_elements(ec_private_key)?;
    let [(0x30, body)] = outer.as_slice() else { return None };
    let fields = der_elements(body)?;
    let scalar = fields.iter().find(|(tag, _)| *tag == 0x04)?.1;
    let public = fields.iter().find(|(tag, _)| *tag == 0xa1).map(|(_, content)| content.to_vec());
    let mut content = [der(0x02, &[1]), der(0x04, scalar), der(0xa0, &der(0x06, OID_P256))].concat();
    if let Some(public) = public {
        content.extend(der(0xa1, &public));
    }
    Some(der(0x30, &content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_have_sprig_s_pem_forms_and_read_back() {
        for (key, label, header) in [
            (KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256), "EC PRIVATE KEY", &[0x30u8][..]),
            (KeyPair::generate_for(&PKCS_ED25519), "PRIVATE KEY", &[0x30, 0x2e, 0x02, 0x01, 0x00][..]),
            (generate_rsa_2048().map_err(|_| rcgen::Error::KeyGenerationUnavailable), "RSA PRIVATE KEY", &[0x30][..]),
        ] {
            let key = key.expect("generated");
            let pem = key_pem(&key);
            let (read_label, bytes) = pem_decode(&pem).expect("PEM");
            assert_eq!(read_label, label);
            assert!(bytes.starts_with(header), "{label}");
            assert!(pem.lines().all(|line| line.len() <= 64));
            let again = parse_key_pem(&pem).expect("reads back");
            assert_eq!(again.public_key_raw(), key.public_key_raw(), "{label}");
        }
        let ec = key_pem(&KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).expect("generated"));
        let (_, sec1) = pem_decode(&ec).expect("PEM");
        assert!(sec1.windows(OID_P256.len()).any(|w| w == OID_P256), "the curve is named, as Go needs");
    }

    #[test]
    fn bad_key_text_gives_sprig_s_messages() {
        assert_eq!(parse_key_pem("nothing").err().as_deref(), Some("no PEM data in input"));
        let cert = pem_encode("CERTIFICATE", b"x");
        assert_eq!(parse_key_pem(&cert).err().as_deref(), Some("no private key data in PEM block of type CERTIFICATE"));
        let dsa = pem_encode("OPENSSH PRIVATE KEY", b"x");
        assert_eq!(parse_key_pem(&dsa).err().as_deref(), Some("invalid private key type OPENSSH PRIVATE KEY"));
        assert!(
            parse_key_pem(&pem_encode("RSA PRIVATE KEY", b"x")).unwrap_err().starts_with("parsing RSA private key")
        );
    }
}
