//! The command line: what the user typed (`args`), the configuration
//! resolved from it, the environment and the terminal exactly once
//! (`config`), and the validated plan of each subcommand (`plan`).
//!
//! Nothing below `cli` reads environment variables, probes the terminal or
//! sees a clap type; every stage takes plain settings.

mod args;
mod config;
mod csv_flag;
mod plan;

pub use args::{
    Args, CheckArgs, ClusterArgs, ColorChoice, Command, CompletionsArgs, FixArgs, RenderArgs, SnapshotArgs, SourceArgs,
};
pub use config::{Config, Environment};
pub use csv_flag::read_csv_flag;
pub use plan::{CheckPlan, PlanError, SnapshotPlan, ignore_flag_rule, plan_check, plan_snapshot, render_api_versions};

/// Writes the completion script for `shell`, generated from the clap definition.
pub fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
    let mut command = <Args as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "driftctl", out);
}
