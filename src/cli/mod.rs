//! The command line: what the user typed (`args`) and the configuration
//! resolved from it, the environment and the terminal exactly once (`config`).
//!
//! Nothing below `cli` reads environment variables or probes the terminal;
//! every stage takes the resolved [`Config`].

mod args;
mod config;
mod csv_flag;
mod project;

pub use args::{
    Args, CheckArgs, ColorChoice, Command, CompletionsArgs, FailOn, FixArgs, OutputFormat, RenderArgs, SnapshotArgs,
    SourceArgs,
};
pub use config::{Config, KubeSettings};
pub use csv_flag::read_csv_flag;
pub use project::{PROJECT_FILE, ProjectConfig, ProjectConfigError, ignore_flag_rule};

/// Writes the completion script for `shell`, generated from the clap definition.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut command = <Args as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "driftctl", out);
}
