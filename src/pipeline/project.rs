//! `.driftctl.yaml`: per-repository settings found at the source root (or
//! given with `--config`): ignore rules and extra controller and people names.
//! The file found in the source is a file of the source: a symlink leading
//! out of it is refused (a file given with `--config` is the user's choice).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diff::IgnoreRuleSpec;
use crate::source::{OutsideSource, SourceRoot};

/// Name of the file looked up at the source root.
pub const PROJECT_FILE: &str = ".driftctl.yaml";

/// The settings file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectConfig {
    /// Ignore rules (Flux `driftDetection.ignore` schema plus `managers`).
    #[serde(default)]
    pub ignore: Vec<IgnoreRuleSpec>,
    /// Field managers to treat as controllers: fields they add are never drift.
    #[serde(default)]
    pub controllers: Vec<String>,
    /// Field managers of tools people edit the cluster with (besides kubectl, k9s,
    /// Lens, Headlamp, the dashboard and curl): fields they add are drift.
    #[serde(default)]
    pub people: Vec<String>,
}

/// A settings file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ProjectConfigError {
    /// It cannot be read or is not valid.
    #[error("{}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The file found in the source leads out of it through a symlink.
    #[error("{}: refused", path.display())]
    Outside {
        /// The file.
        path: PathBuf,
        /// Where it leads.
        #[source]
        source: OutsideSource,
    },
}

impl ProjectConfig {
    /// Loads `explicit`, else `.driftctl.yaml` in `source_root` if present
    /// (and inside `boundary`), else defaults.
    pub fn load(
        explicit: Option<&Path>,
        source_root: &Path,
        boundary: &SourceRoot,
    ) -> Result<(Self, Option<PathBuf>), ProjectConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let candidate = source_root.join(PROJECT_FILE);
                if !candidate.is_file() {
                    return Ok((ProjectConfig::default(), None));
                }
                boundary
                    .resolve(&candidate)
                    .map_err(|source| ProjectConfigError::Outside { path: candidate.clone(), source })?;
                candidate
            }
        };
        let fail = |message: String| ProjectConfigError::Invalid { path: path.clone(), message };
        let text = std::fs::read_to_string(&path).map_err(|e| fail(format!("cannot read: {e}")))?;
        if text.trim().is_empty() {
            return Ok((ProjectConfig::default(), Some(path)));
        }
        let config = serde_yaml::from_str(&text).map_err(|e| fail(e.to_string()))?;
        Ok((config, Some(path)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(dir: &Path) -> Result<(ProjectConfig, Option<PathBuf>), ProjectConfigError> {
        ProjectConfig::load(None, dir, &SourceRoot::new(dir).unwrap())
    }

    #[test]
    fn a_settings_file_leading_out_of_the_source_is_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("settings.yaml"), "controllers: [x]\n").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("settings.yaml"), dir.path().join(PROJECT_FILE)).unwrap();
        let err = load(dir.path()).unwrap_err();
        assert!(matches!(err, ProjectConfigError::Outside { .. }), "{err}");
        assert!(crate::error_chain::one_line(&err).contains("outside the source"), "{err}");
        let explicit = outside.path().join("settings.yaml");
        let (config, _) =
            ProjectConfig::load(Some(explicit.as_path()), dir.path(), &SourceRoot::new(dir.path()).unwrap()).unwrap();
        assert_eq!(config.controllers, ["x"], "a file given with --config is read wherever it is");
    }

    #[test]
    fn loads_from_source_root() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap().0, ProjectConfig::default());
        std::fs::write(
            dir.path().join(PROJECT_FILE),
            "ignore:\n- paths: [/spec/replicas]\ncontrollers: [my-operator]\npeople: [ops-console]\n",
        )
        .unwrap();
        let (config, path) = load(dir.path()).unwrap();
        assert_eq!(config.controllers, ["my-operator"]);
        assert_eq!(config.people, ["ops-console"]);
        assert_eq!(config.ignore[0].paths, ["/spec/replicas"]);
        assert!(path.is_some());
        std::fs::write(dir.path().join(PROJECT_FILE), "ignor: []\n").unwrap();
        let err = load(dir.path()).unwrap_err().to_string();
        assert!(err.contains("unknown field `ignor`"), "{err}");
    }
}
