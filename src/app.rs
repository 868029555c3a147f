//! The edge of the program: resolves the configuration once, runs the chosen
//! subcommand through the pipeline's session, and says how the run ended.
//! Terminal concerns (progress, the confirmation prompt, the report on
//! stdout) live here too; audit and repair logic do not.
//!
//! This is one of the two places (with `cli`) where `anyhow` is used; the
//! stages below return their own typed errors.

use std::process::ExitCode;

use anyhow::Context;

use crate::cli::{Args, Command, CompletionsArgs, Config};

mod check;
mod render;
mod snapshot;
mod terminal;

/// Exit code for errors: bad input, unreachable cluster, partial fix.
pub const EXIT_ERROR: u8 = 2;

/// How a successful run ended; errors are the `Err` side of [`run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Drift was found in a category chosen by `--fail-on`.
    Drift,
}

impl Outcome {
    /// The process exit code for this outcome.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Clean => ExitCode::SUCCESS,
            Outcome::Drift => ExitCode::from(1),
        }
    }
}

/// Runs one invocation of driftctl.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let config = Config::resolve(&args);
    if config.verbose > 0 {
        eprintln!("driftctl {}: color={}", env!("CARGO_PKG_VERSION"), config.color);
    }
    match &args.command {
        Command::Completions(c) => print_completions(c),
        Command::Check(c) => check::check(c, &config),
        Command::Render(r) => render::render(r, &config),
        Command::Snapshot(s) => snapshot::snapshot(s, &config),
    }
}

fn print_completions(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut out = Vec::new();
    crate::cli::write_completions(args.shell, &mut out);
    terminal::write_stdout(&out).context("writing the completion script to stdout")?;
    Ok(Outcome::Clean)
}

/// The async runtime the cluster requests run on; the run's own thread stays
/// outside it, so rendering (which may block on a chart's `lookup`) can use it.
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}
