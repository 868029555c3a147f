//! The `images` transformer: change the name, tag or digest of container images. Like
//! kustomize, it updates every `containers` and `initContainers` list anywhere in an
//! object, plus any extra image fields the configuration names.

use serde_json::Value;

use super::error::{KustomizeError, Result};
use super::fieldspec::FieldSpec;
use super::kustomization::ImageOverride;
use super::resmap::ResMap;

/// Applies every `images` entry to every object: every container list, then the fields
/// `specs` name (the configuration's image fields, or an image transformer plugin's).
pub fn set_images(resources: &mut ResMap, overrides: &[ImageOverride], specs: &[FieldSpec]) -> Result<()> {
    for entry in overrides {
        let matcher = entry.name.as_str();
        for resource in &mut resources.resources {
            let gvk = resource.gvk();
            let mut object = Value::Object(std::mem::take(&mut resource.object));
            update_container_lists(&mut object, entry, matcher);
            resource.object = match object {
                Value::Object(map) => map,
                _ => unreachable!("an object stays an object"),
            };
            for spec in specs.iter().filter(|s| s.filter.matches(&gvk)) {
                spec.visit::<KustomizeError>(&mut resource.object, &|| Value::Null, &mut |value| {
                    update_image(value, entry, matcher);
                    Ok(())
                })?;
            }
        }
    }
    Ok(())
}

fn update_container_lists(value: &mut Value, entry: &ImageOverride, matcher: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if let ("containers" | "initContainers", Value::Array(items)) = (key.as_str(), &mut *child) {
                    for item in items.iter_mut() {
                        if let Some(image) = item.get_mut("image") {
                            update_image(image, entry, matcher);
                        }
                    }
                }
                update_container_lists(child, entry, matcher);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| update_container_lists(item, entry, matcher)),
        _ => {}
    }
}

fn update_image(value: &mut Value, entry: &ImageOverride, matcher: &str) {
    let Some(current) = value.as_str() else { return };
    let (mut name, mut tag, mut digest) = split_image(current);
    if name != matcher {
        return;
    }
    if let Some(new_name) = entry.new_name.as_deref().filter(|n| !n.is_empty()) {
        name = new_name.to_string();
    }
    let new_tag = entry.new_tag.as_deref().filter(|t| !t.is_empty());
    let new_digest = entry.digest.as_deref().filter(|d| !d.is_empty());
    match (new_tag, new_digest) {
        (Some(t), Some(d)) => (tag, digest) = (t.to_string(), d.to_string()),
        (Some(t), None) => (tag, digest) = (t.to_string(), String::new()),
        (None, Some(d)) => (tag, digest) = (String::new(), d.to_string()),
        (None, None) => {}
    }
    if let Some(suffix) = entry.tag_suffix.as_deref().filter(|s| !s.is_empty()) {
        tag.push_str(suffix);
    }
    let mut image = name;
    if !tag.is_empty() {
        image = format!("{image}:{tag}");
    }
    if !digest.is_empty() {
        image = format!("{image}@{digest}");
    }
    *value = Value::String(image);
}

/// Splits `registry:5000/app:tag@sha256:...` into name, tag and digest; a `:` before the
/// first `/` belongs to the registry host.
pub fn split_image(image: &str) -> (String, String, String) {
    let offset = image.find('/').filter(|&i| i > 0).unwrap_or(0);
    let search = &image[offset..];
    let at = search.find('@').map(|i| i + offset);
    let colon = search.find(':').map(|i| i + offset);
    match (colon, at) {
        (None, None) => (image.to_string(), String::new(), String::new()),
        (c, Some(a)) if c.is_none_or(|c| a < c) => (image[..a].to_string(), String::new(), image[a + 1..].to_string()),
        (Some(c), Some(a)) => (image[..c].to_string(), image[c + 1..a].to_string(), image[a + 1..].to_string()),
        (Some(c), None) => (image[..c].to_string(), image[c + 1..].to_string(), String::new()),
        (None, Some(_)) => unreachable!("handled by the digest-only arm"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_registry_port_tag_and_digest() {
        assert_eq!(split_image("reg:5000/app:1.0"), ("reg:5000/app".into(), "1.0".into(), String::new()));
        assert_eq!(split_image("app@sha256:ab"), ("app".into(), String::new(), "sha256:ab".into()));
        assert_eq!(split_image("app:1@sha256:ab"), ("app".into(), "1".into(), "sha256:ab".into()));
        assert_eq!(split_image("nginx"), ("nginx".into(), String::new(), String::new()));
    }
}
