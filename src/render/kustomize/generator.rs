//! `configMapGenerator` and `secretGenerator`: build ConfigMaps and Secrets from literals,
//! files and env files, with `generatorOptions`. The hash suffix is added at the end of the
//! build (see `hash.rs`), once the object's final content is known.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use serde_json::{Map, Value};

use super::error::{KustomizeError, Result, go_quote};
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
    let pairs = collect_pairs(args, loader)
        .map_err(|message| KustomizeError::Generator { path: kustomization_path.to_path_buf(), message })?;
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

/// kustomize's `makeValidatedDataMap`: the pairs of env files, then literals, then files,
/// keys sorted and a repeated one refused. Keys are not validated otherwise: the field
/// validator `kubectl kustomize` uses accepts any key (`a b`, `export X`).
fn collect_pairs(args: &GeneratorArgs, loader: &Loader) -> std::result::Result<BTreeMap<String, Vec<u8>>, String> {
    let ordered = load_pairs(args, loader).map_err(|err| format!("loading KV pairs: {err}"))?;
    let mut pairs = BTreeMap::new();
    for (key, value) in ordered {
        if pairs.insert(key.clone(), value).is_some() {
            // kustomize says configmap for secrets too.
            return Err(format!("configmap {} illegally repeats the key `{key}`", args.name));
        }
    }
    Ok(pairs)
}

/// kustomize's `kv.Load`, failing as it words each kind of source.
fn load_pairs(args: &GeneratorArgs, loader: &Loader) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    let go_list = |items: &[String]| format!("[{}]", items.join(" "));
    let mut ordered: Vec<(String, Vec<u8>)> = Vec::new();
    let envs: Vec<String> = args.envs.iter().chain(args.env.iter()).cloned().collect();
    for env in &envs {
        let bytes = loader.read_relative(env).map_err(|e| e.to_string()).and_then(|bytes| parse_env_file(&bytes));
        ordered.extend(bytes.map_err(|e| format!("env source files: {}: {e}", go_list(&envs)))?);
    }
    for literal in &args.literals {
        let (key, value) = literal.split_once('=').filter(|(key, _)| !key.is_empty()).ok_or_else(|| {
            format!("literal sources {}: invalid literal source {literal}, expected key=value", go_list(&args.literals))
        })?;
        ordered.push((key.to_string(), strip_matching_quotes(value).as_bytes().to_vec()));
    }
    for file in &args.files {
        let content = parse_file_source(file)
            .and_then(|(key, path)| Ok((key, loader.read_relative(path).map_err(|e| e.to_string())?)));
        ordered.push(content.map_err(|e| format!("file sources: {}: {e}", go_list(&args.files)))?);
    }
    Ok(ordered)
}

/// kustomize's `ParseFileSource`: `path` (keyed by its base name) or `key=path`.
fn parse_file_source(source: &str) -> std::result::Result<(String, &str), String> {
    match source.matches('=').count() {
        0 => Ok((go_path_base(source), source)),
        1 if source.starts_with('=') => {
            Err(format!("missing key name for file path {} in source {}", go_quote(&source[1..]), go_quote(source)))
        }
        1 if source.ends_with('=') => Err(format!(
            "missing file path for key name {} in source {}",
            go_quote(&source[..source.len() - 1]),
            go_quote(source)
        )),
        1 => {
            let (key, path) = source.split_once('=').expect("one separator");
            Ok((key.to_string(), path))
        }
        _ => Err(format!("source {} key name or file path contains '='", go_quote(source))),
    }
}

/// Go's `path.Base`: the last element, trailing slashes ignored; `.` for an empty path.
fn go_path_base(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return if path.is_empty() { ".".to_string() } else { "/".to_string() };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

fn strip_matching_quotes(value: &str) -> &str {
    let bytes = value.as_bytes();
    if bytes.len() >= 2 && (bytes[0] == b'"' || bytes[0] == b'\'') && bytes[bytes.len() - 1] == bytes[0] {
        &value[1..value.len() - 1]
    } else {
        value
    }
}

/// kustomize's env file reading: lines as Go's `bufio.Scanner` cuts them (a `\r` before the
/// line break dropped), a byte order mark dropped from the first line only, leading white
/// space trimmed; blank lines, `#` comments and lines with an empty key skipped; a bare `KEY`
/// reads the environment ("" when unset).
fn parse_env_file(bytes: &[u8]) -> std::result::Result<Vec<(String, Vec<u8>)>, String> {
    let mut pairs = Vec::new();
    if bytes.is_empty() {
        return Ok(pairs);
    }
    let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    for (index, raw) in body.split(|b| *b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let raw = if index == 0 { raw.strip_prefix("\u{feff}".as_bytes()).unwrap_or(raw) } else { raw };
        let Ok(line) = std::str::from_utf8(raw) else {
            let numbers: Vec<String> = raw.iter().map(u8::to_string).collect();
            return Err(format!(
                "line [{}] has invalid utf8 bytes : {}",
                numbers.join(" "),
                String::from_utf8_lossy(raw)
            ));
        };
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((key, value)) => (key, value.to_string()),
            None => (line, std::env::var(line).unwrap_or_default()),
        };
        if !key.is_empty() {
            pairs.push((key.to_string(), value.into_bytes()));
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_files_skip_comments_and_keep_values_verbatim() {
        let pairs = parse_env_file(b"# c\n\n  A=1 \nB=x=y\r\n=skipped\n").unwrap();
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
