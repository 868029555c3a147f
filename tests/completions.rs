//! The committed completion scripts under `completions/` must match what the
//! clap definition generates. Regenerate with
//! `DRIFTCTL_UPDATE_COMPLETIONS=1 cargo test --test completions`.

use std::path::Path;

use clap_complete::Shell;

const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "driftctl.bash"),
    (Shell::Zsh, "_driftctl"),
    (Shell::Fish, "driftctl.fish"),
    (Shell::PowerShell, "_driftctl.ps1"),
    (Shell::Elvish, "driftctl.elv"),
];

#[test]
fn committed_completions_are_current() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions");
    let update = std::env::var_os("DRIFTCTL_UPDATE_COMPLETIONS").is_some();
    let mut stale = Vec::new();
    for (shell, file) in SHELLS {
        let mut generated = Vec::new();
        driftctl::cli::write_completions(shell, &mut generated);
        let path = dir.join(file);
        if update {
            std::fs::write(&path, &generated).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&generated[..]) {
            stale.push(file);
        }
    }
    assert!(
        stale.is_empty(),
        "completions are stale: {stale:?}; run DRIFTCTL_UPDATE_COMPLETIONS=1 cargo test --test completions"
    );
}

#[test]
fn completions_subcommand_prints_the_same_script() {
    let out = assert_cmd::Command::cargo_bin("driftctl").unwrap().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let mut generated = Vec::new();
    driftctl::cli::write_completions(Shell::Bash, &mut generated);
    assert_eq!(out.stdout, generated);
}
