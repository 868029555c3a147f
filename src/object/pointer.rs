//! RFC 6901 JSON pointers: the path of a field inside an object
//! (`/spec/template/spec/containers/0/image`).
//!
//! A pointer shares its parent's segments: walks over an object make a child
//! pointer at every level and keep them all alive down the recursion, so a
//! child that copied its parent's path would cost the square of the depth (a
//! 10,000-deep list took gigabytes). [`Pointer::child`] costs one segment; the
//! segments are gathered into a list only when [`Pointer::segments`] asks,
//! and the questions walks ask at every level ([`Pointer::last`],
//! [`Pointer::from_end`], [`Pointer::len`]) never gather them.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use serde::{Serialize, Serializer};

/// A path into a JSON object, one segment per map key or list index.
#[derive(Clone, Default)]
pub struct Pointer {
    /// The last segment, linked to its parents; `None` for the root.
    last: Option<Arc<Link>>,
    /// The segments from the root, gathered on first use.
    segments: OnceLock<Vec<String>>,
}

/// One segment and the path above it.
struct Link {
    parent: Option<Arc<Link>>,
    segment: String,
    /// Number of segments up to and including this one.
    len: usize,
}

impl Drop for Link {
    /// Unlinks the chain one link at a time: dropping a 10,000-deep path by
    /// recursion could overflow a small stack.
    fn drop(&mut self) {
        let mut parent = self.parent.take();
        while let Some(link) = parent {
            parent = match Arc::try_unwrap(link) {
                Ok(mut unique) => unique.parent.take(),
                Err(_) => None,
            };
        }
    }
}

impl Pointer {
    /// The empty pointer (the whole object).
    pub fn root() -> Self {
        Pointer::default()
    }

    /// Parses `/a/b~1c/0`; `None` unless it is empty or starts with `/`.
    pub fn parse(text: &str) -> Option<Self> {
        if text.is_empty() {
            return Some(Pointer::root());
        }
        let rest = text.strip_prefix('/')?;
        let segments: Vec<String> = rest.split('/').map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
        Some(Pointer::from_segments(&segments))
    }

    /// A pointer from its segments.
    pub fn from_segments(segments: &[String]) -> Self {
        let pointer = segments.iter().fold(Pointer::root(), |parent, segment| parent.child(segment.as_str()));
        Pointer { segments: OnceLock::from(segments.to_vec()), ..pointer }
    }

    /// This pointer with one more segment; shares this pointer's segments.
    pub fn child(&self, segment: impl Into<String>) -> Self {
        let link = Link { parent: self.last.clone(), segment: segment.into(), len: self.len() + 1 };
        Pointer { last: Some(Arc::new(link)), segments: OnceLock::new() }
    }

    /// Number of segments (0 for the root).
    pub fn len(&self) -> usize {
        self.last.as_ref().map_or(0, |link| link.len)
    }

    /// Whether this is the root (no segments).
    pub fn is_empty(&self) -> bool {
        self.last.is_none()
    }

    /// Whether `other` is this pointer or lies below it.
    pub fn covers(&self, other: &Pointer) -> bool {
        other.starts_with(self)
    }

    /// The segments from the root.
    pub fn segments(&self) -> &[String] {
        self.segments.get_or_init(|| self.walk().into_iter().map(str::to_owned).collect())
    }

    /// Whether `self` is `other` or inside it.
    pub fn starts_with(&self, other: &Pointer) -> bool {
        let Some(excess) = self.len().checked_sub(other.len()) else { return false };
        let mut link = self.last.as_ref();
        for _ in 0..excess {
            link = link.and_then(|l| l.parent.as_ref());
        }
        same_chain(link, other.last.as_ref())
    }

    /// The last segment.
    pub fn last(&self) -> Option<&str> {
        self.last.as_ref().map(|link| link.segment.as_str())
    }

    /// The segment `n` places before the last (`from_end(0)` is the last, `from_end(1)` its parent's).
    pub fn from_end(&self, n: usize) -> Option<&str> {
        let mut link = self.last.as_ref();
        for _ in 0..n {
            link = link.and_then(|l| l.parent.as_ref());
        }
        link.map(|l| l.segment.as_str())
    }

    /// The first segment.
    pub fn first(&self) -> Option<&str> {
        self.len().checked_sub(1).and_then(|n| self.from_end(n))
    }

    /// The segments from the root, borrowed, without keeping a list.
    fn walk(&self) -> Vec<&str> {
        let mut segments = Vec::with_capacity(self.len());
        let mut link = self.last.as_ref();
        while let Some(l) = link {
            segments.push(l.segment.as_str());
            link = l.parent.as_ref();
        }
        segments.reverse();
        segments
    }
}

/// Whether two chains name the same segments (both of the same length).
fn same_chain(mut a: Option<&Arc<Link>>, mut b: Option<&Arc<Link>>) -> bool {
    loop {
        match (a, b) {
            (None, None) => return true,
            (Some(x), Some(y)) if Arc::ptr_eq(x, y) => return true,
            (Some(x), Some(y)) if x.len == y.len && x.segment == y.segment => {
                a = x.parent.as_ref();
                b = y.parent.as_ref();
            }
            _ => return false,
        }
    }
}

impl PartialEq for Pointer {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && same_chain(self.last.as_ref(), other.last.as_ref())
    }
}

impl Eq for Pointer {}

impl Hash for Pointer {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.walk().hash(state);
    }
}

impl PartialOrd for Pointer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pointer {
    /// Segment by segment from the root, as the list of segments compares.
    fn cmp(&self, other: &Self) -> Ordering {
        self.walk().cmp(&other.walk())
    }
}

impl fmt::Debug for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pointer({:?})", self.to_string())
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for segment in self.walk() {
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
    fn children_share_their_parent_and_compare_by_segments() {
        let spec = Pointer::root().child("spec");
        let replicas = spec.child("replicas");
        assert_eq!(replicas, Pointer::parse("/spec/replicas").unwrap());
        assert_eq!(replicas.segments(), ["spec", "replicas"]);
        assert_eq!(
            (replicas.len(), replicas.last(), replicas.from_end(1), replicas.first()),
            (2, Some("replicas"), Some("spec"), Some("spec"))
        );
        assert!(
            spec < replicas && replicas < Pointer::parse("/spec/x").unwrap() && Pointer::parse("/a/z").unwrap() < spec
        );
        assert!(spec.covers(&replicas) && !replicas.covers(&spec) && Pointer::root().covers(&spec));
        let hash = |p: &Pointer| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            p.hash(&mut hasher);
            hasher.finish()
        };
        assert_eq!(hash(&replicas), hash(&Pointer::parse("/spec/replicas").unwrap()));
    }

    #[test]
    fn a_deep_walk_keeps_one_segment_per_level() {
        // Each level's pointer stays alive, as in a recursive walk: 10,000 levels
        // used to copy 50 million segments; sharing makes it 10,000.
        let mut levels = vec![Pointer::root()];
        for i in 0..10_000 {
            let child = levels.last().unwrap().child(i.to_string());
            levels.push(child);
        }
        assert_eq!(levels.last().unwrap().from_end(9_999), Some("0"));
        drop(levels);
    }

    #[test]
    fn prefix_is_segment_wise() {
        let spec = Pointer::parse("/spec/rep").unwrap();
        assert!(!Pointer::parse("/spec/replicas").unwrap().starts_with(&spec));
        assert!(Pointer::parse("/spec/rep/x").unwrap().starts_with(&spec));
    }
}
