//! The `driftctl` binary: parse the command line, run it, turn the outcome
//! into an exit code. Nothing else lives here.

use std::process::ExitCode;

use clap::Parser;

/// Rendering a chart allocates and frees many small values (template values,
/// YAML nodes); mimalloc does that in a fraction of the time glibc's malloc takes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = driftctl::cli::Args::parse();
    match driftctl::app::run(args) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(driftctl::app::EXIT_ERROR)
        }
    }
}

/// `driftctl check | head` closes our stdout early; that is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
