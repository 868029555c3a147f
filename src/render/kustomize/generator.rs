//! `configMapGenerator` and `secretGenerator`: build ConfigMaps and Secrets from literals,
//! files and env files, with `generatorOptions`. The hash suffix is added at the end of the
//! build (see `hash.rs`), once the object's final content is known.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use serde_json::{Map, Value};

use super::error::{KustomizeError, Result};
use super::kustomization::{GeneratorArgs, GeneratorOptions};
use super::loader::Loader;
use super::resource::{Behavior, Resource};

/// Which object a generator makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratedKind {
    /// `configMapGenerator`.
    ConfigMap,
    /// `secretGenerator`.
    Secret,
}

impl GeneratedKind {
    fn label(self) -> &'static str {
        match self {
            GeneratedKind::ConfigMap => "ConfigMap",
            GeneratedKind::Secret => "Secret",
        }
    }
}

/// Builds the object one generator entry declares.
pub fn generate(
    kind: GeneratedKind,
    args: &GeneratorArgs,
    defaults: Option<&GeneratorOptions>,
    loader: &Loader,
    kustomization_path: &Path,
) -> Result<Resource> {
    let fail = |message: String| KustomizeError::Generator {
        path: kustomization_path.to_path_buf(),
        kind: kind.label(),
        name: args.name.clone(),
        message,
    };
    let pairs = collect_pairs(args, loader).map_err(&fail)?;
    let options = merge_options(defaults, args.options.as_ref());

    let mut metadata = Map::new();
    metadata.insert("name".into(), Value::String(args.name.clone()));
    if let Some(ns) = args.namespace.as_deref().filter(|ns| !ns.is_empty()) {
        metadata.insert("namespace".into(), Value::String(ns.to_string()));
    }
    for (key, map) in [("labels", &options.labels), ("annotations", &options.annotations)] {
        if !map.is_empty() {
            metadata.insert(key.into(), string_map(map.iter().map(|(k, v)| (k.clone(), v.clone()))));
        }
    }

    let mut object = Map::new();
    object.insert("apiVersion".into(), Value::String("v1".into()));
    match kind {
        GeneratedKind::ConfigMap => {
            let (text, binary): (Vec<_>, Vec<_>) = pairs.into_iter().partition(|(_, v)| std::str::from_utf8(v).is_ok());
            if !binary.is_empty() {
                object.insert("binaryData".into(), string_map(binary.into_iter().map(|(k, v)| (k, encode_base64(&v)))));
            }
            if !text.is_empty() {
                let text = text.into_iter().map(|(k, v)| (k, String::from_utf8(v).unwrap_or_default()));
                object.insert("data".into(), string_map(text));
            }
        }
        GeneratedKind::Secret => {
            if !pairs.is_empty() {
                object.insert("data".into(), string_map(pairs.into_iter().map(|(k, v)| (k, encode_base64(&v)))));
            }
        }
    }
    if options.immutable == Some(true) {
        object.insert("immutable".into(), Value::Bool(true));
    }
    object.insert("kind".into(), Value::String(kind.label().into()));
    object.insert("metadata".into(), Value::Object(metadata));
    if kind == GeneratedKind::Secret {
        let secret_type = args.secret_type.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| "Opaque".into());
        object.insert("type".into(), Value::String(secret_type));
    }

    let behavior = match args.behavior.as_deref() {
        Some("merge") => Behavior::Merge,
        Some("replace") => Behavior::Replace,
        // kustomize treats any other value (unspecified) as create.
        _ => Behavior::Create,
    };
    let mut resource = Resource::new(object, kustomization_path.to_path_buf());
    resource.needs_hash = options.disable_name_suffix_hash != Some(true);
    resource.behavior = Some(behavior);
    Ok(resource)
}

/// Base64 as kustomize writes generated values: an encoding of 70 characters or more is
/// cut into lines of 70, each ending in a newline (so it prints as a literal block and the
/// content hash covers the newlines).
fn encode_base64(bytes: &[u8]) -> String {
    const LINE: usize = 70;
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    if encoded.len() < LINE {
        return encoded;
    }
    let mut lines = String::with_capacity(encoded.len() + encoded.len() / LINE + 1);
    for chunk in encoded.as_bytes().chunks(LINE) {
        lines.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        lines.push('\n');
    }
    lines
}

fn string_map(pairs: impl Iterator<Item = (String, String)>) -> Value {
    Value::Object(pairs.map(|(k, v)| (k, Value::String(v))).collect())
}

/// Per-generator options override the kustomization's `generatorOptions`.
fn merge_options(defaults: Option<&GeneratorOptions>, own: Option<&GeneratorOptions>) -> GeneratorOptions {
    let mut merged = defaults.cloned().unwrap_or_default();
    if let Some(own) = own {
        merged.labels.extend(own.labels.clone());
        merged.annotations.extend(own.annotations.clone());
        // Either level can turn the hash off; neither can turn it back on.
        if own.disable_name_suffix_hash == Some(true) {
            merged.disable_name_suffix_hash = Some(true);
        }
        if own.immutable.is_some() {
            merged.immutable = own.immutable;
        }
    }
    merged
}

/// Key/value pairs from env files, then literals, then files; keys sorted, repeats rejected.
fn collect_pairs(args: &GeneratorArgs, loader: &Loader) -> std::result::Result<BTreeMap<String, Vec<u8>>, String> {
    let mut ordered: Vec<(String, Vec<u8>)> = Vec::new();
    for env in args.envs.iter().chain(args.env.iter()) {
        let bytes = loader.read_relative(env).map_err(|e| e.to_string())?;
        ordered.extend(parse_env_file(&String::from_utf8_lossy(&bytes), env)?);
    }
    for literal in &args.literals {
        let (key, value) =
            literal.split_once('=').ok_or_else(|| format!("invalid literal source {literal}, expected key=value"))?;
        ordered.push((key.to_string(), strip_matching_quotes(value).as_bytes().to_vec()));
    }
    for file in &args.files {
        let (key, path) = match file.split_once('=') {
            Some((key, path)) => (key.to_string(), path),
            None => (file.rsplit('/').next().unwrap_or(file).to_string(), file.as_str()),
        };
        if key.is_empty() {
            return Err(format!("key name for file path {file} missing"));
        }
        ordered.push((key, loader.read_relative(path).map_err(|e| e.to_string())?));
    }
    let mut pairs = BTreeMap::new();
    for (key, value) in ordered {
        if !is_valid_key(&key) {
            return Err(format!(
                "\"{key}\" is not a valid key name: a valid key must consist of alphanumeric characters, '-', '_' or '.'"
            ));
        }
        if pairs.insert(key.clone(), value).is_some() {
            return Err(format!("illegally repeats the key `{key}`"));
        }
    }
    Ok(pairs)
}

fn is_valid_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn strip_matching_quotes(value: &str) -> &str {
    let bytes = value.as_bytes();
    if bytes.len() >= 2 && (bytes[0] == b'"' || bytes[0] == b'\'') && bytes[bytes.len() - 1] == bytes[0] {
        &value[1..value.len() - 1]
    } else {
        value
    }
}

/// `KEY=value` lines; blank lines and `#` comments skipped; a bare `KEY` reads the environment.
fn parse_env_file(text: &str, name: &str) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut pairs = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once('=') {
            Some((key, value)) => {
                if key.is_empty() || key.contains(char::is_whitespace) {
                    return Err(format!("{name}:{}: invalid key {key:?}; env file lines are KEY=VALUE", index + 1));
                }
                pairs.push((key.to_string(), value.as_bytes().to_vec()));
            }
            None => {
                if let Ok(value) = std::env::var(line) {
                    pairs.push((line.to_string(), value.into_bytes()));
                }
            }
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_skip_comments_and_keep_values_verbatim() {
        let pairs = parse_env_file("# c\n\n  A=1 \nB=x=y\n", "e.env").unwrap();
        assert_eq!(pairs, vec![("A".to_string(), b"1 ".to_vec()), ("B".to_string(), b"x=y".to_vec())]);
    }

    #[test]
    fn long_base64_is_cut_into_lines_of_seventy() {
        assert_eq!(encode_base64(&[0xff; 51]), "/".repeat(68));
        let long = encode_base64(&[0xff; 60]);
        assert_eq!(long, format!("{}\n{}\n", "/".repeat(70), "/".repeat(10)));
    }

    #[test]
    fn literal_quotes_are_removed_only_when_matching() {
        assert_eq!(strip_matching_quotes("\"a b\""), "a b");
        assert_eq!(strip_matching_quotes("'a\""), "'a\"");
    }
}
