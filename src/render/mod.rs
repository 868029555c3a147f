//! render: turn discovered units into desired manifests — helm/, kustomize/, plain.
//!
//! Each renderer takes a unit found on disk and returns the objects it declares, in the
//! order and form the real tool would print them. Renderers never talk to a cluster.

pub mod kustomize;
