//! Command-line behavior of the binary: help, errors and exit codes.

use assert_cmd::Command;

fn driftctl() -> Command {
    let mut cmd = Command::cargo_bin("driftctl").unwrap();
    cmd.env_clear();
    cmd
}

#[test]
fn help_lists_the_subcommands_and_exit_codes() {
    let out = driftctl().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for word in
        ["check", "render", "snapshot", "completions", "--kubeconfig", "--context", "--color", "--output", "Exit codes"]
    {
        assert!(help.contains(word), "--help should mention {word}:\n{help}");
    }
}

#[test]
fn usage_error_exits_2() {
    let out = driftctl().arg("no-such-command").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
