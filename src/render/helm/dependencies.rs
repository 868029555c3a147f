//! Subchart selection as Helm's `ProcessDependencies` does it: dependencies
//! listed in `Chart.yaml` must be present in `charts/`, aliases rename
//! copies of a subchart, `tags` and `condition` values disable subcharts,
//! and `import-values` copy subchart values into the parent.
//!
//! This module must not fetch charts from repositories: a missing one is an
//! error naming it.

use serde_json::Value;

use super::chart::{Chart, Dependency};
use super::constraint::is_compatible_range;
use super::error::HelmError;
use super::values::{Values, coalesce_merging, coalesce_tables, lookup_path};

/// Helm's `CheckDependencies` for the top chart: every dependency listed must be in `charts/`.
pub fn check_dependencies(chart: &Chart) -> Result<(), HelmError> {
    let missing: Vec<&str> = chart
        .metadata
        .dependencies
        .iter()
        .filter(|d| !chart.dependencies.iter().any(|c| c.metadata.name == d.name))
        .map(|d| d.name.as_str())
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(HelmError::Dependency {
        message: format!(
            "An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: {}",
            missing.join(", ")
        ),
    })
}

/// Applies aliases, conditions and tags to `chart` (recursively) given the
/// user's values, removing disabled subcharts, then imports values.
pub fn process_dependencies(chart: &mut Chart, user: &Values) -> Result<(), HelmError> {
    select_enabled(chart, user.clone(), "").map_err(|message| HelmError::Values { message })?;
    import_values(chart).map_err(|message| HelmError::Values { message })?;
    Ok(())
}

/// Helm's `processDependencyImportValues` (merge flavour), children first:
/// a chart with dependencies gets its defaults merged with theirs, and the
/// tables named by `import-values` copied under it, its own values winning.
fn import_values(chart: &mut Chart) -> Result<(), String> {
    for subchart in &mut chart.dependencies {
        import_values(subchart)?;
    }
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let mut merged = coalesce_merging(chart, Values::new())?;
    let mut imported = Values::new();
    for dependency in &mut chart.metadata.dependencies {
        let mut normalized = Vec::new();
        for entry in &dependency.import_values {
            let (child, parent) = match entry {
                Value::String(name) => (format!("exports.{name}"), ".".to_string()),
                Value::Object(map) => (
                    map.get("child").and_then(Value::as_str).unwrap_or_default().to_string(),
                    map.get("parent").and_then(Value::as_str).unwrap_or_default().to_string(),
                ),
                _ => continue,
            };
            let table = lookup_path(&merged, &format!("{}.{child}", dependency.name)).and_then(Value::as_object);
            if let Some(table) = table {
                coalesce_tables(&mut imported, &nest_under(&parent, table.clone()), true);
            }
            normalized.push(serde_json::json!({"child": child, "parent": parent}));
        }
        dependency.import_values = normalized;
    }
    coalesce_tables(&mut merged, &imported, true);
    chart.values = merged;
    Ok(())
}

/// Helm's `pathToMap`: `table` placed at the dotted `path` (`.` is the top).
fn nest_under(path: &str, table: Values) -> Values {
    if path == "." {
        return table;
    }
    let mut nested = table;
    for part in path.split('.').filter(|p| !p.is_empty()).collect::<Vec<_>>().into_iter().rev() {
        let mut outer = Values::new();
        outer.insert(part.to_string(), Value::Object(nested));
        nested = outer;
    }
    nested
}

fn select_enabled(chart: &mut Chart, values: Values, path: &str) -> Result<(), String> {
    if chart.metadata.dependencies.is_empty() {
        return Ok(());
    }
    let mut loaded: Vec<Option<Chart>> = std::mem::take(&mut chart.dependencies).into_iter().map(Some).collect();
    // Version ranges are checked once per (entry, subchart) pair: each check is a semver parse.
    let listed: Vec<Vec<bool>> = chart
        .metadata
        .dependencies
        .iter()
        .map(|d| loaded.iter().flatten().map(|c| is_listed_as(c, d)).collect())
        .collect();
    let first_match: Vec<Option<usize>> = listed.iter().map(|row| row.iter().position(|m| *m)).collect();
    let mut selected: Vec<Chart> = Vec::new();
    for index in 0..loaded.len() {
        if !listed.iter().any(|row| row[index]) {
            selected.extend(loaded[index].take());
        }
    }
    for (entry, dependency) in chart.metadata.dependencies.iter_mut().enumerate() {
        if let Some(index) = first_match[entry] {
            // Two entries may alias the same subchart: only its last use takes it.
            let used_later = first_match[entry + 1..].contains(&Some(index));
            let found = if used_later { loaded[index].clone() } else { loaded[index].take() };
            if let Some(mut found) = found {
                if !dependency.alias.is_empty() {
                    found.metadata.name = dependency.alias.clone();
                }
                selected.push(found);
            }
        }
        if !dependency.alias.is_empty() {
            dependency.name = dependency.alias.clone();
        }
        dependency.enabled = Some(true);
    }
    chart.dependencies = selected;
    let coalesced = coalesce_merging(chart, values)?;
    apply_tags(&mut chart.metadata.dependencies, &coalesced);
    apply_conditions(&mut chart.metadata.dependencies, &coalesced, path);
    let disabled: Vec<String> =
        chart.metadata.dependencies.iter().filter(|d| d.enabled == Some(false)).map(|d| d.name.clone()).collect();
    chart.dependencies.retain(|c| !disabled.contains(&c.metadata.name));
    chart.metadata.dependencies.retain(|d| !disabled.contains(&d.name));
    for subchart in &mut chart.dependencies {
        let sub_path = format!("{path}{}.", subchart.metadata.name);
        select_enabled(subchart, coalesced.clone(), &sub_path)?;
    }
    Ok(())
}

/// Whether a loaded subchart is the one a dependency entry names (name and
/// version range). As in Helm, an entry without a version matches nothing.
fn is_listed_as(chart: &Chart, dependency: &Dependency) -> bool {
    chart.metadata.name == dependency.name && is_compatible_range(&dependency.version, &chart.metadata.version)
}

/// Helm's `processDependencyTags`: any true tag enables, only false tags disable.
fn apply_tags(dependencies: &mut [Dependency], values: &Values) {
    let Some(Value::Object(tags)) = values.get("tags") else {
        return;
    };
    for dependency in dependencies {
        let states: Vec<bool> = dependency.tags.iter().filter_map(|t| tags.get(t)).filter_map(Value::as_bool).collect();
        let has_true = states.contains(&true);
        let has_false = states.contains(&false);
        dependency.enabled = Some(has_true || !has_false);
    }
}

/// Helm's `processDependencyConditions`: the first condition path holding a bool decides.
fn apply_conditions(dependencies: &mut [Dependency], values: &Values, path: &str) {
    for dependency in dependencies {
        for condition in dependency.condition.trim().split(',') {
            if condition.is_empty() {
                continue;
            }
            if let Some(Value::Bool(enabled)) = lookup_path(values, &format!("{path}{condition}")) {
                dependency.enabled = Some(*enabled);
                break;
            }
        }
    }
}
