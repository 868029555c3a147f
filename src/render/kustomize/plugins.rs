//! `generators`, `transformers` and `validators`: plugin configurations. kustomize, as
//! `kubectl kustomize` runs it, refuses every plugin but its built-in ones; driftctl runs
//! none, so a build that lists plugins fails, with kustomize's words for the plugins it
//! refuses too. Loading the configuration objects is the build's business, not this module's.

use std::path::Path;

use super::error::{KustomizeError, Result};
use super::resource::Resource;

/// The kustomization field a plugin configuration is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PluginRole {
    /// `generators`.
    Generator,
    /// `transformers`.
    Transformer,
    /// `validators`.
    Validator,
}

/// kustomize's built-in generator kinds (the others are transformers).
const BUILTIN_GENERATORS: [&str; 4] =
    ["ConfigMapGenerator", "SecretGenerator", "HelmChartInflationGenerator", "IAMPolicyGenerator"];

/// Fails on the first plugin configuration: an external plugin as kustomize fails on it
/// (external plugins are disabled in `kubectl kustomize`), a built-in one as unsupported.
pub fn refuse(role: PluginRole, configs: &[Resource], kustomization: &Path) -> Result<()> {
    let Some(config) = configs.first() else {
        return Ok(());
    };
    let id = config.original_id();
    // kustomize's `isBuiltinPlugin`: apiVersion `builtin`, no group.
    let builtin = id.gvk.group.is_empty() && id.gvk.version == "builtin";
    let message = if !builtin {
        format!("external plugins disabled; unable to load external plugin '{}'", id.gvk.kind)
    } else if role == PluginRole::Generator && !BUILTIN_GENERATORS.contains(&id.gvk.kind.as_str()) {
        format!("plugin {id} not a generator")
    } else {
        return Err(KustomizeError::Unsupported {
            path: kustomization.to_path_buf(),
            feature: format!("builtin plugin {}", id.gvk.kind),
            hint: "use the kustomization field that configures the same transformer or generator".into(),
        });
    };
    let refused = KustomizeError::Refused { path: kustomization.to_path_buf(), message };
    Err(if role == PluginRole::Generator { refused.within("failed to load generator") } else { refused })
}
