//! `.driftctl.yaml`: per-repository settings found at the source root (or
//! given with `--config`): ignore rules and extra controller and people names.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diff::IgnoreRuleSpec;

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
#[error("{path}: {message}")]
pub struct ProjectConfigError {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub message: String,
}

impl ProjectConfig {
    /// Loads `explicit`, else `.driftctl.yaml` in `source_root` if present, else defaults.
    pub fn load(explicit: Option<&Path>, source_root: &Path) -> Result<(Self, Option<PathBuf>), ProjectConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let candidate = source_root.join(PROJECT_FILE);
                if !candidate.is_file() {
                    return Ok((ProjectConfig::default(), None));
                }
                candidate
            }
        };
        let fail = |message: String| ProjectConfigError { path: path.clone(), message };
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

    #[test]
    fn loads_from_source_root() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(ProjectConfig::load(None, dir.path()).unwrap().0, ProjectConfig::default());
        std::fs::write(
            dir.path().join(PROJECT_FILE),
            "ignore:\n- paths: [/spec/replicas]\ncontrollers: [my-operator]\npeople: [ops-console]\n",
        )
        .unwrap();
        let (config, path) = ProjectConfig::load(None, dir.path()).unwrap();
        assert_eq!(config.controllers, ["my-operator"]);
        assert_eq!(config.people, ["ops-console"]);
        assert_eq!(config.ignore[0].paths, ["/spec/replicas"]);
        assert!(path.is_some());
        std::fs::write(dir.path().join(PROJECT_FILE), "ignor: []\n").unwrap();
        let err = ProjectConfig::load(None, dir.path()).unwrap_err().to_string();
        assert!(err.contains("unknown field `ignor`"), "{err}");
    }
}
