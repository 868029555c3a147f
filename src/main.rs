//! The `driftctl` binary: parse the command line, run it, turn the outcome
//! into an exit code. Nothing else lives here.

use std::process::ExitCode;

use clap::Parser;

/// Rendering a chart allocates and frees many small values (template values,
/// YAML nodes); mimalloc does that in a fraction of the time glibc's malloc takes.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Stack reserved for the run: Helm lets one template include itself 1000
/// levels deep, which recurses far past the main thread's 8 MiB. The
/// memory is only reserved; pages are touched as the recursion reaches them.
const RUN_STACK_SIZE: usize = 1 << 30;

fn main() -> ExitCode {
    let args = driftctl::cli::Args::parse();
    let verbose = args.verbose > 0;
    let run = std::thread::Builder::new().stack_size(RUN_STACK_SIZE).spawn(move || driftctl::app::run(args));
    let result = match run.map(std::thread::JoinHandle::join) {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(spawn_error) => Err(anyhow::Error::new(spawn_error).context("cannot start the run thread")),
    };
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            // One line by default; with -v every cause on its own line.
            let messages = driftctl::error_chain::messages(err.as_ref());
            if verbose {
                eprintln!("error: {}", messages.first().map(String::as_str).unwrap_or("unknown"));
                for cause in messages.iter().skip(1) {
                    eprintln!("  caused by: {cause}");
                }
            } else {
                eprintln!("error: {}", messages.join(": "));
            }
            ExitCode::from(driftctl::app::EXIT_ERROR)
        }
    }
}
