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
pub use origin::{Origin, Provenance, ReleaseRef, Unit, clean_relative_path};
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
    /// Fields whose value a chart read from a cluster Secret with `lookup`
    /// (each pointer covers its subtree): reports mask them as Secret values.
    /// Empty for plain manifests and overlays.
    pub secret_fields: Vec<Pointer>,
}

/// A part of the desired state that could not be rendered or read (a Helm
/// release whose storage is corrupt, a unit whose source is missing): it is
/// reported as an error on the object that declares it, and the rest of the
/// desired state is still audited.
#[derive(Debug, Clone, PartialEq)]
pub struct DesiredFailure {
    /// The object that declares the failed part (a release's storage record, a Flux object).
    pub reference: ObjectRef,
    /// Its `apiVersion`.
    pub api_version: String,
    /// Where it is declared.
    pub origin: Origin,
    /// What went wrong, with its causes, and what to do.
    pub message: String,
}

/// Everything the desired state is made of, ready to audit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DesiredSet {
    /// The objects, identities settled (namespaces set or cleared by their kind's scope).
    pub objects: Vec<DesiredObject>,
    /// The parts that could not be rendered or read.
    pub failures: Vec<DesiredFailure>,
    /// The Helm release revisions the objects were read from (`check --release`).
    pub releases: Vec<ReleaseRef>,
}

impl DesiredObject {
    /// An object whose every field is deterministic.
    pub fn new(manifest: Manifest, origin: Origin) -> Self {
        DesiredObject { manifest, origin, nondeterministic: Vec::new(), secret_fields: Vec::new() }
    }

    /// The object's identity.
    pub fn object_ref(&self) -> ObjectRef {
        self.manifest.object_ref()
    }
}
