//! driftctl: audit a Kubernetes cluster against the state declared in Git and,
//! on request, repair the drift.
//!
//! One pass flows one way, and each stage imports only the types of the stage
//! before it:
//!
//! ```text
//! source ─► discover ─► render ─► desired objects ─┐
//! cluster ─► live objects + last-applied ──────────┴─► diff ─► report
//!                                                        └──► fix
//! ```
//!
//! `object` is the vocabulary every stage shares (object identity and origin).
//! `diff` and `report` are pure functions of their inputs; everything that
//! talks to a cluster lives in `cluster` and `fix`. `pipeline` drives the
//! stages as one session that every command (and a watch loop, a test) uses;
//! `cli` and `app` are the edge: they turn the command line into a validated
//! plan, run it through the session and talk to the terminal.

pub mod app;
pub mod cli;
pub mod cluster;
pub mod diff;
pub mod discover;
pub mod error_chain;
pub mod fix;
pub mod object;
pub mod owner_only;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod source;
pub mod template;
pub mod yaml;
