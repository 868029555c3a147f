//! Sprig's certificate functions: `genCA`, `genSelfSignedCert`,
//! `genSignedCert` (each with a `...WithKey` form) and `buildCustomCert`.
//! They return Sprig's `certificate` struct (`.Cert`, `.Key` in PEM) and
//! build certificates as Sprig's template does: the common name as the
//! only subject field, a random 128-bit serial, valid from now for the
//! given days, key usage digitalSignature + keyEncipherment (+ certSign for
//! a CA), extended key usage serverAuth + clientAuth, basic constraints,
//! DNS names then IPs as alternative names, new keys RSA 2048.
//!
//! Keys and serials are random and validity reads the clock: every call
//! makes the render nondeterministic. This module must not generate or
//! encode keys itself (see `keys`).

use std::net::IpAddr;
use std::rc::Rc;

use base64::Engine;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyIdMethod,
    KeyPair, KeyUsagePurpose, SanType, SerialNumber,
};
use sha1::Digest;

use super::keys::{generate_rsa_2048, key_pem, parse_key_pem, pem_decode};
use super::{CallResult, Param, Registry, arg_int, arg_str};
use crate::template::exec::Exec;
use crate::template::value::{HostObject, Value};

/// Go name of Sprig's certificate struct.
const CERTIFICATE_TYPE: &str = "sprig.certificate";

/// Sprig's `certificate`: PEM texts of a certificate and its key.
#[derive(Debug)]
pub(crate) struct Certificate {
    cert: String,
    key: String,
}

impl HostObject for Certificate {
    fn go_type(&self) -> String {
        CERTIFICATE_TYPE.to_string()
    }

    fn go_kind(&self) -> &'static str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Cert" => Some(Value::str(self.cert.as_str())),
            "Key" => Some(Value::str(self.key.as_str())),
            _ => None,
        }
    }

    fn format(&self) -> String {
        format!("{{{} {}}}", self.cert, self.key)
    }

    fn to_json(&self) -> Option<serde_json::Value> {
        let mut fields = serde_json::Map::new();
        fields.insert("Cert".to_string(), serde_json::Value::String(self.cert.clone()));
        fields.insert("Key".to_string(), serde_json::Value::String(self.key.clone()));
        Some(serde_json::Value::Object(fields))
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}

/// What a certificate is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Authority,
    Leaf,
}

pub(super) fn register(r: &mut Registry) {
    use Param::{Int, List, Str};
    const CA: Param = Param::Host(CERTIFICATE_TYPE);
    r.add_random("genCA", &[Str, Int], None, |x, a| {
        let key = generate_rsa_2048()?;
        issue(x, arg_str(&a, 0), &[], &[], arg_int(&a, 1), Role::Authority, key, None)
    });
    r.add_random("genCAWithKey", &[Str, Int, Str], None, |x, a| {
        let key = parse_key_pem(arg_str(&a, 2)).map_err(|e| format!("parsing private key: {e}"))?;
        issue(x, arg_str(&a, 0), &[], &[], arg_int(&a, 1), Role::Authority, key, None)
    });
    r.add_random("genSelfSignedCert", &[Str, List, List, Int], None, |x, a| {
        let key = generate_rsa_2048()?;
        let (ips, names) = (ip_list(&a[1])?, dns_list(&a[2])?);
        issue(x, arg_str(&a, 0), &ips, &names, arg_int(&a, 3), Role::Leaf, key, None)
    });
    r.add_random("genSelfSignedCertWithKey", &[Str, List, List, Int, Str], None, |x, a| {
        let key = parse_key_pem(arg_str(&a, 4)).map_err(|e| format!("parsing private key: {e}"))?;
        let (ips, names) = (ip_list(&a[1])?, dns_list(&a[2])?);
        issue(x, arg_str(&a, 0), &ips, &names, arg_int(&a, 3), Role::Leaf, key, None)
    });
    r.add_random("genSignedCert", &[Str, List, List, Int, CA], None, |x, a| {
        let key = generate_rsa_2048()?;
        let (ips, names) = (ip_list(&a[1])?, dns_list(&a[2])?);
        issue(x, arg_str(&a, 0), &ips, &names, arg_int(&a, 3), Role::Leaf, key, certificate_arg(&a[4]))
    });
    r.add_random("genSignedCertWithKey", &[Str, List, List, Int, CA, Str], None, |x, a| {
        let key = parse_key_pem(arg_str(&a, 5)).map_err(|e| format!("parsing private key: {e}"))?;
        let (ips, names) = (ip_list(&a[1])?, dns_list(&a[2])?);
        issue(x, arg_str(&a, 0), &ips, &names, arg_int(&a, 3), Role::Leaf, key, certificate_arg(&a[4]))
    });
    r.add("buildCustomCert", &[Str, Str], None, |_, a| build_custom(arg_str(&a, 0), arg_str(&a, 1)));
}

fn certificate_arg(value: &Value) -> Option<&Certificate> {
    match value {
        Value::Object(object) => object.as_any()?.downcast_ref::<Certificate>(),
        _ => None,
    }
}

/// Sprig's `getNetIPs`.
fn ip_list(value: &Value) -> Result<Vec<IpAddr>, String> {
    let Value::List(items, _) = value else { return Ok(Vec::new()) };
    items
        .iter()
        .map(|item| match item {
            Value::String(text) => text.parse().map_err(|_| format!("error parsing ip: {text}")),
            other => Err(format!("error parsing ip: {} is not a string", crate::template::format_value(other))),
        })
        .collect()
}

/// Sprig's `getAlternateDNSStrs`.
fn dns_list(value: &Value) -> Result<Vec<String>, String> {
    let Value::List(items, _) = value else { return Ok(Vec::new()) };
    items
        .iter()
        .map(|item| match item {
            Value::String(text) => Ok(text.to_string()),
            other => Err(format!(
                "error processing alternate dns name: {} is not a string",
                crate::template::format_value(other)
            )),
        })
        .collect()
}

/// Build and sign a certificate for `key`: self-signed, or by `authority`.
#[allow(clippy::too_many_arguments)]
fn issue(
    x: &mut Exec<'_>,
    common_name: &str,
    ips: &[IpAddr],
    dns_names: &[String],
    days: i64,
    role: Role,
    key: KeyPair,
    authority: Option<&Certificate>,
) -> CallResult {
    let mut params = CertificateParams::default();
    let mut subject = DistinguishedName::new();
    subject.push(DnType::CommonName, common_name);
    params.distinguished_name = subject;
    let mut serial: [u8; 16] = std::array::from_fn(|_| x.rng.u8(..));
    serial[0] &= 0x7f;
    params.serial_number = Some(SerialNumber::from_slice(&serial));
    let now = x.now();
    let not_after = now.unix().saturating_add(days.saturating_mul(86_400));
    params.not_before = offset_date_time(now.unix())?;
    params.not_after = offset_date_time(not_after)?;
    params.key_usages = vec![KeyUsagePurpose::KeyEncipherment, KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth, ExtendedKeyUsagePurpose::ClientAuth];
    params.is_ca = IsCa::ExplicitNoCa;
    // Go's subject key identifier: SHA-1 of the public key bits.
    let key_id = sha1::Sha1::digest(key.public_key_raw()).to_vec();
    params.key_identifier_method = KeyIdMethod::PreSpecified(key_id);
    if role == Role::Authority {
        params.key_usages.push(KeyUsagePurpose::KeyCertSign);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    }
    for name in dns_names {
        let name = name.as_str().try_into().map_err(|e: rcgen::Error| e.to_string())?;
        params.subject_alt_names.push(SanType::DnsName(name));
    }
    params.subject_alt_names.extend(ips.iter().map(|ip| SanType::IpAddress(*ip)));
    let certificate = match authority {
        None => params.self_signed(&key),
        Some(authority) => {
            let (_, der) = pem_decode(&authority.cert).ok_or("unable to decode certificate")?;
            let signer_key = parse_key_pem(&authority.key)
                .map_err(|e| format!("error parsing private key: decodedSignerKey.Bytes: {e}"))?;
            let issuer = Issuer::from_ca_cert_der(&der.into(), signer_key)
                .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
            params.use_authority_key_identifier_extension = true;
            params.signed_by(&key, &issuer)
        }
    }
    .map_err(|e| e.to_string())?;
    let cert = super::keys::pem_encode("CERTIFICATE", certificate.der());
    Ok(Value::Object(Rc::new(Certificate { cert, key: key_pem(&key) })))
}

fn offset_date_time(unix: i64) -> Result<time::OffsetDateTime, String> {
    time::OffsetDateTime::from_unix_timestamp(unix).map_err(|e| e.to_string())
}

/// Sprig's `buildCustomCert`: base64 PEM texts checked, kept as given.
fn build_custom(cert_base64: &str, key_base64: &str) -> CallResult {
    let engine = base64::engine::general_purpose::STANDARD;
    let cert = engine.decode(cert_base64).map_err(|_| "unable to decode base64 certificate")?;
    let key = engine.decode(key_base64).map_err(|_| "unable to decode base64 private key")?;
    let (cert, key) = (String::from_utf8_lossy(&cert).into_owned(), String::from_utf8_lossy(&key).into_owned());
    let (_, der) = pem_decode(&cert).ok_or("unable to decode certificate")?;
    let key_pair = parse_key_pem(&key).map_err(|e| format!("error parsing private key: {e}"));
    Issuer::from_ca_cert_der(&der.into(), key_pair?)
        .map_err(|e| format!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    Ok(Value::Object(Rc::new(Certificate { cert, key })))
}

#[cfg(test)]
mod tests {
    use x509_parser::prelude::{FromDer, X509Certificate};

    use crate::template::{FixedClock, TemplateSet, Value};

    fn render(text: &str) -> String {
        let mut set = TemplateSet::new();
        set.set_clock(Rc::new(FixedClock::at_unix_seconds(1_700_000_000)));
        set.add("t", text).expect("parses");
        let out = set.execute("t", &Value::Nil).expect("renders");
        assert!(out.nondeterministic);
        out.text
    }

    use std::rc::Rc;

    fn der_of(pem: &str) -> Vec<u8> {
        super::pem_decode(pem).expect("PEM").1
    }

    #[test]
    fn ca_signs_a_leaf_with_sprig_s_fields() {
        let out = render(
            "{{ $ca := genCA \"my-ca\" 365 }}{{ $c := genSignedCert \"web\" (list \"10.0.0.1\") (list \"web.local\" \"b\") 30 $ca }}\
             {{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}|{{ typeOf $c }}",
        );
        let parts: Vec<&str> = out.split('|').collect();
        assert_eq!(parts[3], "sprig.certificate");
        assert!(parts[2].starts_with("-----BEGIN RSA PRIVATE KEY-----\n"));
        let (ca_der, leaf_der) = (der_of(parts[0]), der_of(parts[1]));
        let (_, ca) = X509Certificate::from_der(&ca_der).expect("CA parses");
        let (_, leaf) = X509Certificate::from_der(&leaf_der).expect("leaf parses");
        assert!(ca.is_ca());
        assert!(!leaf.is_ca());
        assert_eq!(ca.subject().to_string(), "CN=my-ca");
        assert_eq!(leaf.issuer().to_string(), "CN=my-ca");
        assert_eq!(leaf.validity().not_before.timestamp(), 1_700_000_000);
        assert_eq!(leaf.validity().not_after.timestamp(), 1_700_000_000 + 30 * 86_400);
        leaf.verify_signature(Some(ca.public_key())).expect("the CA signed the leaf");
        let ski = ca.iter_extensions().find_map(|e| match e.parsed_extension() {
            x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(id) => Some(id.0.to_vec()),
            _ => None,
        });
        let go_key_id = <sha1::Sha1 as sha1::Digest>::digest(&*ca.public_key().subject_public_key.data).to_vec();
        assert_eq!(ski, Some(go_key_id), "Go's key identifier: SHA-1 of the public key bits");
        let san = leaf.subject_alternative_name().expect("valid").expect("present");
        let names: Vec<String> = san.value.general_names.iter().map(|n| n.to_string()).collect();
        assert_eq!(names, ["DNSName(web.local)", "DNSName(b)", "IPAddress(0a:00:00:01)"]);
        let usage = leaf.extended_key_usage().expect("valid").expect("present").value;
        assert!(usage.server_auth && usage.client_auth);
    }

    #[test]
    fn self_signed_with_a_given_key_keeps_the_key() {
        let out = render(
            "{{ $k := genPrivateKey \"ecdsa\" }}{{ $c := genSelfSignedCertWithKey \"me\" nil nil 1 $k }}\
             {{ eq $c.Key $k }}|{{ $c.Cert }}",
        );
        let (same, cert) = out.split_once('|').expect("two parts");
        assert_eq!(same, "true");
        let der = der_of(cert);
        let (_, parsed) = X509Certificate::from_der(&der).expect("parses");
        parsed.verify_signature(None).expect("self-signed");
    }

    #[test]
    fn custom_certificates_are_checked_and_kept() {
        let out = render(
            "{{ $ca := genCA \"x\" 1 }}{{ $c := buildCustomCert ($ca.Cert | b64enc) ($ca.Key | b64enc) }}{{ eq $c.Cert $ca.Cert }}",
        );
        assert_eq!(out, "true");
        let mut set = TemplateSet::new();
        set.add("t", "{{ buildCustomCert \"@@\" \"\" }}").expect("parses");
        let error = set.execute("t", &Value::Nil).expect_err("bad base64").to_string();
        assert!(error.ends_with("error calling buildCustomCert: unable to decode base64 certificate"), "{error}");
        set.add("ip", "{{ genSelfSignedCert \"a\" (list \"nope\") nil 1 }}").expect("parses");
        let error = set.execute("ip", &Value::Nil).expect_err("bad ip").to_string();
        assert!(error.ends_with("error parsing ip: nope"), "{error}");
    }
}
