//! RFC 6901 JSON pointers: the path of a field inside an object
//! (`/spec/template/spec/containers/0/image`).

use std::fmt;

use serde::{Serialize, Serializer};

/// A path into a JSON object, one segment per map key or list index.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(Vec<String>);

impl Pointer {
    /// The empty pointer (the whole object).
    pub fn root() -> Self {
        Pointer(Vec::new())
    }

    /// Parses `/a/b~1c/0`; `None` unless it is empty or starts with `/`.
    pub fn parse(text: &str) -> Option<Self> {
        if text.is_empty() {
            return Some(Pointer::root());
        }
        let rest = text.strip_prefix('/')?;
        Some(Pointer(rest.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect()))
    }

    /// A pointer from its segments.
    pub fn from_segments(segments: &[String]) -> Self {
        Pointer(segments.to_vec())
    }

    /// This pointer with one more segment.
    pub fn child(&self, segment: impl Into<String>) -> Self {
        let mut segments = self.0.clone();
        segments.push(segment.into());
        Pointer(segments)
    }

    /// Whether `other` is this pointer or lies below it.
    pub fn covers(&self, other: &Pointer) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The segments.
    pub fn segments(&self) -> &[String] {
        &self.0
    }

    /// Whether `self` is `other` or inside it.
    pub fn starts_with(&self, other: &Pointer) -> bool {
        self.0.starts_with(&other.0)
    }

    /// The last segment.
    pub fn last(&self) -> Option<&str> {
        self.0.last().map(String::as_str)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for segment in &self.0 {
            write!(f, "/{}", segment.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}

impl Serialize for Pointer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_escapes() {
        let p = Pointer::parse("/metadata/annotations/app.kubernetes.io~1name/a~0b").unwrap();
        assert_eq!(p.segments(), ["metadata", "annotations", "app.kubernetes.io/name", "a~b"]);
        assert_eq!(p.to_string(), "/metadata/annotations/app.kubernetes.io~1name/a~0b");
        assert_eq!(Pointer::parse("spec"), None);
        assert_eq!(Pointer::parse("").unwrap(), Pointer::root());
    }

    #[test]
    fn prefix_is_segment_wise() {
        let spec = Pointer::parse("/spec/rep").unwrap();
        assert!(!Pointer::parse("/spec/replicas").unwrap().starts_with(&spec));
        assert!(Pointer::parse("/spec/rep/x").unwrap().starts_with(&spec));
    }
}
