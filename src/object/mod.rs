//! The vocabulary every stage shares: which object we mean (`ObjectRef`) and
//! where a desired object came from (`Origin`). No I/O, no cluster types.

mod reference;

pub use reference::ObjectRef;
