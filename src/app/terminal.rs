//! What a person at a terminal sees besides the report: `-v` notes and the
//! live read's progress on stderr, the repair plan and the confirmation
//! prompt, and stdout that may be closed early (`driftctl check | head`)
//! without changing the exit code the run earned.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use crate::cli::Config;
use crate::fix::{FixAction, PlannedFix};
use crate::object::ObjectRef;
use crate::pipeline::{Observer, RepairUi};

/// Writes to stdout. A reader that went away (a closed pipe) is not an error:
/// the rest of the output is dropped quietly and the run still ends with the
/// exit code it earned.
pub(super) fn write_stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// `-v` notes and progress on stderr.
pub(super) struct TerminalObserver {
    verbose: bool,
    draw_progress: bool,
}

impl TerminalObserver {
    pub(super) fn new(config: &Config) -> Self {
        TerminalObserver { verbose: config.verbose > 0, draw_progress: config.stderr_is_terminal }
    }

    /// A `-v` line.
    pub(super) fn verbose(&self, message: &str) {
        if self.verbose {
            eprintln!("driftctl: {message}");
        }
    }
}

impl Observer for TerminalObserver {
    fn note(&self, message: &str) {
        self.verbose(message);
    }

    fn progress(&self, done: usize, total: usize) {
        if self.draw_progress {
            eprint!("\r\x1b[2Kreading live objects: {done}/{total} lists");
        }
    }

    fn progress_done(&self) {
        if self.draw_progress {
            eprint!("\r\x1b[2K");
        }
    }
}

/// The repair's plan and prompt on stderr, answers from stdin.
pub(super) struct TerminalRepair {
    pub(super) stdin_is_terminal: bool,
}

impl RepairUi for TerminalRepair {
    fn can_confirm(&self) -> bool {
        self.stdin_is_terminal
    }

    fn show_plan(&mut self, plan: &[PlannedFix], rejected: &HashMap<ObjectRef, String>) {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "Repair plan:");
        for fix in plan {
            let action = match fix.action {
                FixAction::Apply => "apply ",
                FixAction::Create => "create",
                FixAction::Delete => "delete",
                FixAction::Skip => "skip  ",
            };
            let detail = match (&fix.reason, fix.action) {
                (Some(reason), _) => reason.clone(),
                (None, FixAction::Apply) => {
                    let fields: Vec<String> = fix.fields.iter().map(ToString::to_string).collect();
                    format!("{} (as {})", fields.join(", "), fix.manager)
                }
                (None, _) => format!("(as {})", fix.manager),
            };
            let _ = writeln!(err, "  {action}  {}  {detail}", fix.reference);
            if let Some(message) = rejected.get(&fix.reference) {
                let _ = writeln!(err, "          rejected by the server's dry-run: {message}");
            }
        }
    }

    fn confirm(&mut self) -> bool {
        eprint!("Apply this plan? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        if std::io::stdin().lock().read_line(&mut answer).is_err() {
            return false;
        }
        matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes")
    }

    fn note(&mut self, message: &str) {
        eprintln!("{message}");
    }
}
