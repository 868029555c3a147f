//! The vocabulary every stage shares: which object we mean (`ObjectRef`),
//! the object itself (`Manifest`), and where a desired object came from
//! (`Origin`, `Unit`), and which objects a target selector picks (`selector`). No I/O,
//! no cluster types.

mod manifest;
mod origin;
mod pointer;
mod reference;
pub mod selector;

pub use manifest::{LAST_APPLIED_ANNOTATION, Manifest};
pub use origin::{Origin, ReleaseRef, Unit};
pub use pointer::Pointer;
pub use reference::{ObjectRef, group_of};

/// An object as Git declares it, rendered, with its origin.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredObject {
    /// The object.
    pub manifest: Manifest,
    /// Where it was declared.
    pub origin: Origin,
    /// Fields whose value a renderer produced with a nondeterministic
    /// function (`now`, `rand*`, `uuidv4`…): each pointer covers its subtree,
    /// the root pointer the whole object. Empty for plain manifests.
    pub nondeterministic: Vec<Pointer>,
}

impl DesiredObject {
    /// An object whose every field is deterministic.
    pub fn new(manifest: Manifest, origin: Origin) -> Self {
        DesiredObject { manifest, origin, nondeterministic: Vec::new() }
    }

    /// The object's identity.
    pub fn object_ref(&self) -> ObjectRef {
        self.manifest.object_ref()
    }
}
