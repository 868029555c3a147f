//! `Config::resolve`: the one place that reads the environment and the
//! terminal. Everything downstream takes `&Config` and never looks again.

use std::io::IsTerminal;
use std::path::PathBuf;

use super::args::{Args, ColorChoice, Command};

/// Settings the program runs with, resolved once from arguments, environment and terminal.
#[derive(Debug, Clone)]
pub struct Config {
    /// Whether the report gets ANSI colors.
    pub color: bool,
    /// How chatty stderr is (0 = default).
    pub verbose: u8,
    /// Whether stderr is a terminal (progress is drawn only there).
    pub stderr_is_terminal: bool,
    /// Whether stdin is a terminal (confirmation prompts are asked only there).
    pub stdin_is_terminal: bool,
    /// The kubeconfig to read: `--kubeconfig`, else the first `$KUBECONFIG` entry that exists.
    pub kubeconfig: Option<PathBuf>,
    /// Where Git clones and exported trees are cached.
    pub cache_dir: PathBuf,
    /// Credentials for Git sources (the ssh key path comes from the command line).
    pub git_auth: crate::source::GitAuth,
}

/// The environment variables driftctl reads, captured once.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// `TERM` is `dumb`.
    pub term_dumb: bool,
    /// `KUBECONFIG`.
    pub kubeconfig: Option<String>,
    /// `HOME`.
    pub home: Option<PathBuf>,
    /// `DRIFTCTL_CACHE`, else `XDG_CACHE_HOME/driftctl`.
    pub cache_dir: Option<PathBuf>,
    /// `DRIFTCTL_GIT_TOKEN`.
    pub git_token: Option<String>,
}

impl Environment {
    /// Reads the process environment.
    pub fn from_process() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Environment {
            no_color: var("NO_COLOR").is_some(),
            term_dumb: var("TERM").as_deref() == Some("dumb"),
            kubeconfig: var("KUBECONFIG"),
            home: var("HOME").map(PathBuf::from),
            cache_dir: var("DRIFTCTL_CACHE")
                .map(PathBuf::from)
                .or_else(|| var("XDG_CACHE_HOME").map(|x| PathBuf::from(x).join("driftctl"))),
            git_token: var("DRIFTCTL_GIT_TOKEN"),
        }
    }
}

impl Config {
    /// Resolves the configuration from the arguments, the process environment and the terminal.
    pub fn resolve(args: &Args) -> Self {
        Self::resolve_with(args, &Environment::from_process(), std::io::stdout().is_terminal())
            .with_terminals(std::io::stderr().is_terminal(), std::io::stdin().is_terminal())
    }

    /// Resolves against an explicit environment (for tests).
    pub fn resolve_with(args: &Args, env: &Environment, stdout_is_terminal: bool) -> Self {
        let (color, kubeconfig_flag, ssh_key) = match &args.command {
            Command::Check(c) => (c.color, c.cluster.kubeconfig.clone(), c.source.ssh_key.clone()),
            Command::Snapshot(s) => (ColorChoice::Never, s.cluster.kubeconfig.clone(), s.source.ssh_key.clone()),
            _ => (ColorChoice::Never, None, None),
        };
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_is_terminal && !env.no_color && !env.term_dumb,
        };
        let kubeconfig = kubeconfig_flag.or_else(|| {
            // KUBECONFIG may list several files; kubectl merges them, we take the first that exists.
            let list = env.kubeconfig.as_deref()?;
            std::env::split_paths(list).find(|p| p.exists())
        });
        let cache_dir = env.cache_dir.clone().unwrap_or_else(|| match &env.home {
            Some(home) => home.join(".cache").join("driftctl"),
            None => std::env::temp_dir().join("driftctl-cache"),
        });
        Config {
            color,
            cache_dir,
            git_auth: crate::source::GitAuth { ssh_key, https_token: env.git_token.clone(), home: env.home.clone() },
            verbose: args.verbose,
            stderr_is_terminal: false,
            stdin_is_terminal: false,
            kubeconfig,
        }
    }

    fn with_terminals(mut self, stderr: bool, stdin: bool) -> Self {
        self.stderr_is_terminal = stderr;
        self.stdin_is_terminal = stdin;
        self
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn args(line: &[&str]) -> Args {
        Args::try_parse_from(std::iter::once("driftctl").chain(line.iter().copied())).unwrap()
    }

    #[test]
    fn color_auto_follows_terminal_and_no_color() {
        let a = args(&["check"]);
        let plain = Environment::default();
        assert!(Config::resolve_with(&a, &plain, true).color);
        assert!(!Config::resolve_with(&a, &plain, false).color);
        let no_color = Environment { no_color: true, ..Default::default() };
        assert!(!Config::resolve_with(&a, &no_color, true).color);
        let dumb = Environment { term_dumb: true, ..Default::default() };
        assert!(!Config::resolve_with(&a, &dumb, true).color);
    }

    #[test]
    fn color_always_and_never_override_the_environment() {
        let no_color = Environment { no_color: true, ..Default::default() };
        assert!(Config::resolve_with(&args(&["check", "--color", "always"]), &no_color, false).color);
        assert!(!Config::resolve_with(&args(&["check", "--color=never"]), &Environment::default(), true).color);
    }

    #[test]
    fn kubeconfig_flag_wins_over_environment() {
        let env = Environment { kubeconfig: Some("/nonexistent/a".into()), ..Default::default() };
        let c = Config::resolve_with(&args(&["check", "--kubeconfig", "/x/config"]), &env, false);
        assert_eq!(c.kubeconfig, Some(PathBuf::from("/x/config")));
        let c = Config::resolve_with(&args(&["check"]), &env, false);
        assert_eq!(c.kubeconfig, None, "a KUBECONFIG entry that does not exist is skipped");
    }
}
