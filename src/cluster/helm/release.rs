//! Helm releases as recorded in release storage: decoding `data.release`
//! (base64, gzip when it starts with the gzip magic, then JSON) into the parts
//! driftctl uses. Field names are matched without regard to case, and unknown
//! fields are ignored, so Helm 3 and Helm 4 records both read.

use std::io::Read;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use crate::object::ReleaseRef;

/// Why a stored release cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReleaseDecodeError {
    /// `data.release` is not base64.
    #[error("release data is not valid base64: {0}")]
    Base64(String),
    /// The gzip stream is broken.
    #[error("release data is not valid gzip: {0}")]
    Gzip(String),
    /// The payload is not a release JSON document.
    #[error("release data is not valid release JSON: {0}")]
    Json(String),
}

/// The parts of a Helm release driftctl uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    /// Release name.
    pub name: String,
    /// Release namespace.
    pub namespace: String,
    /// Revision.
    pub version: u64,
    /// `deployed`, `superseded`, `failed`, `pending-install`, `pending-upgrade`, `pending-rollback`, `uninstalling`…
    pub status: String,
    /// Chart name.
    pub chart_name: String,
    /// Chart version.
    pub chart_version: String,
    /// The user-supplied values (`config`).
    pub config: Value,
    /// The rendered manifest (hooks excluded), `---`-separated with `# Source:` comments.
    pub manifest: String,
    /// Hook manifests, which are not part of the release's steady state.
    pub hook_manifests: Vec<String>,
    /// `info.description`: what Helm recorded of the revision (`Upgrade complete`).
    pub description: String,
}

impl Release {
    /// `CHART-VERSION`, as `helm list` shows it.
    pub fn chart(&self) -> String {
        format!("{}-{}", self.chart_name, self.chart_version)
    }

    /// The revision as reports name it.
    pub fn reference(&self) -> ReleaseRef {
        ReleaseRef {
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            revision: self.version,
            chart: self.chart(),
            description: self.description.clone(),
            provenance: None,
        }
    }
}

/// Decodes the `release` payload: `payload` is the base64 text Helm wrote (for
/// Secrets, after the API's own base64 layer has been removed).
pub fn decode_release(payload: &str) -> Result<Release, ReleaseDecodeError> {
    let bytes = STANDARD.decode(payload.trim()).map_err(|e| ReleaseDecodeError::Base64(e.to_string()))?;
    let json = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| ReleaseDecodeError::Gzip(e.to_string()))?;
        out
    } else {
        bytes
    };
    let value: Value = serde_json::from_slice(&json).map_err(|e| ReleaseDecodeError::Json(e.to_string()))?;
    if !value.is_object() {
        return Err(ReleaseDecodeError::Json("expected an object".into()));
    }
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    let info = field(&value, "info");
    let metadata = field(&value, "chart").and_then(|c| field(c, "metadata"));
    let hooks = field(&value, "hooks").and_then(Value::as_array).cloned().unwrap_or_default();
    let release = Release {
        name: text(field(&value, "name")),
        namespace: text(field(&value, "namespace")),
        version: field(&value, "version").and_then(Value::as_u64).unwrap_or(0),
        status: text(info.and_then(|i| field(i, "status"))),
        chart_name: text(metadata.and_then(|m| field(m, "name"))),
        chart_version: text(metadata.and_then(|m| field(m, "version"))),
        config: field(&value, "config").cloned().unwrap_or(Value::Null),
        manifest: text(field(&value, "manifest")),
        hook_manifests: hooks.iter().map(|h| text(field(h, "manifest"))).collect(),
        description: text(info.and_then(|i| field(i, "description"))),
    };
    if release.name.is_empty() {
        return Err(ReleaseDecodeError::Json("the release has no name".into()));
    }
    Ok(release)
}

/// A field by name, ignoring case (`manifest`, `Manifest`).
fn field<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    let map = value.as_object()?;
    map.get(name).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    /// Encodes a release JSON document as Helm stores it (gzip, then base64).
    pub(crate) fn encode(json: &Value, gzip: bool) -> String {
        let bytes = serde_json::to_vec(json).unwrap();
        let bytes = if gzip {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&bytes).unwrap();
            encoder.finish().unwrap()
        } else {
            bytes
        };
        STANDARD.encode(bytes)
    }

    fn sample() -> Value {
        serde_json::json!({
            "name": "web", "namespace": "shop", "version": 3,
            "info": {"status": "deployed", "description": "Upgrade complete"},
            "chart": {"metadata": {"name": "podinfo", "version": "6.5.0"}},
            "config": {"replicaCount": 2},
            "manifest": "---\n# Source: podinfo/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
            "hooks": [{"name": "test", "manifest": "apiVersion: v1\nkind: Pod\n"}]
        })
    }

    #[test]
    fn decodes_gzipped_and_plain_releases() {
        for gzip in [true, false] {
            let release = decode_release(&encode(&sample(), gzip)).unwrap();
            assert_eq!((release.name.as_str(), release.namespace.as_str(), release.version), ("web", "shop", 3));
            assert_eq!(release.status, "deployed");
            assert_eq!(release.chart(), "podinfo-6.5.0");
            assert!(release.manifest.contains("kind: ConfigMap"));
            assert_eq!(release.hook_manifests.len(), 1);
        }
    }

    #[test]
    fn field_names_are_matched_without_case() {
        let mut v = sample();
        let manifest = v["manifest"].take();
        v.as_object_mut().unwrap().remove("manifest");
        v["Manifest"] = manifest;
        v["SomethingNew"] = serde_json::json!(true);
        assert!(decode_release(&encode(&v, true)).unwrap().manifest.contains("ConfigMap"));
    }

    #[test]
    fn corrupt_data_says_which_layer_broke() {
        assert!(matches!(decode_release("%%%"), Err(ReleaseDecodeError::Base64(_))));
        let broken_gzip = STANDARD.encode([0x1f, 0x8b, 0x08, 0x00, 0x01]);
        assert!(matches!(decode_release(&broken_gzip), Err(ReleaseDecodeError::Gzip(_))));
        assert!(matches!(decode_release(&STANDARD.encode(b"{not json")), Err(ReleaseDecodeError::Json(_))));
    }
}
