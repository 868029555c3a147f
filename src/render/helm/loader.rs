//! Loading a chart from disk: a directory (filtered by its `.helmignore`)
//! or a packaged `.tgz`, with subcharts under `charts/` as directories or
//! archives, as Helm's `loader.Load` does. Helm follows a directory's
//! symlinks wherever they lead; here a file or directory whose symlinks lead
//! out of the source's boundary is refused, so templates, values files and
//! `.Files` only ever hold the source's own content.
//!
//! This module must not render templates or merge values.

use std::collections::BTreeMap;
use std::path::Path;

use super::archive::read_tgz;
use super::chart::{Chart, ChartFile};
use super::error::HelmError;
use super::ignore::IgnoreRules;
use crate::source::SourceRoot;

/// Loads the chart at `path`: a directory holding `Chart.yaml`, or a `.tgz`,
/// reading nothing that resolves outside `boundary`.
pub fn load_chart(path: &Path, boundary: &SourceRoot) -> Result<Chart, HelmError> {
    let read_error = |source| HelmError::Read { path: path.to_path_buf(), source };
    check_inside(path, boundary)?;
    let metadata = std::fs::metadata(path).map_err(read_error)?;
    if metadata.is_dir() {
        if !path.join(crate::discover::CHART_FILE).is_file() {
            return Err(HelmError::NotAChart { path: path.to_path_buf() });
        }
        let files = read_directory(path, boundary)?;
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let origin = canonical.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        return chart_from_files(files, &origin);
    }
    let bytes = std::fs::read(path).map_err(read_error)?;
    load_archive(&bytes, &path.display().to_string()).map_err(|e| with_archive_path(e, path))
}

fn with_archive_path(error: HelmError, path: &Path) -> HelmError {
    match error {
        HelmError::Archive { message, .. } => HelmError::Archive { path: path.to_path_buf(), message },
        other => other,
    }
}

/// Loads a packaged chart (`.tgz`) from its bytes; `origin` names it in
/// errors. [`load_chart`] calls it for archives on disk; it is public as the
/// entry point of the chart archive fuzz target.
pub fn load_archive(bytes: &[u8], origin: &str) -> Result<Chart, HelmError> {
    let archive_error = |message: String| HelmError::Archive { path: origin.into(), message };
    let entries = read_tgz(bytes).map_err(archive_error)?;
    let mut files = Vec::new();
    for (name, data) in entries {
        let name = archive_entry_name(name.trim_start_matches("./")).map_err(archive_error)?;
        files.push(ChartFile { name, data: without_utf8_bom(data) });
    }
    if files.is_empty() {
        return Err(archive_error("no files in chart archive".to_string()));
    }
    chart_from_files(files, origin)
}

/// An archive entry's name inside the chart (its first directory dropped),
/// refused as Helm's `LoadArchiveFiles` refuses it when it is absolute,
/// climbs out with `..`, names nothing, or names a drive.
fn archive_entry_name(entry: &str) -> Result<String, String> {
    let delimiter = if entry.contains('\\') { '\\' } else { '/' };
    let mut parts = entry.split(delimiter);
    let top = parts.next().unwrap_or_default();
    let name = parts.collect::<Vec<_>>().join("/");
    if name.starts_with('/') {
        return Err("chart illegally contains absolute paths".to_string());
    }
    let name = crate::object::clean_relative_path(&name);
    if name == "." {
        return Err(format!(
            "chart illegally contains content outside the base directory: {}",
            crate::yaml::goquote::quote(entry)
        ));
    }
    if name.starts_with("..") {
        return Err("chart illegally references parent directory".to_string());
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/' {
        return Err("chart contains illegally named files".to_string());
    }
    if top == crate::discover::CHART_FILE {
        return Err("chart yaml not in base directory".to_string());
    }
    Ok(name)
}

/// Sorts `charts/` entries into subcharts and builds the chart from the
/// rest, then loads each subchart (recursively) as Helm's `LoadFiles` does:
/// entries whose name starts with `_` or `.` are skipped, and a subchart's
/// error is wrapped with its entry name and the parent chart's name.
fn chart_from_files(files: Vec<ChartFile>, origin: &str) -> Result<Chart, HelmError> {
    let mut own = Vec::new();
    let mut subchart_files: BTreeMap<String, Vec<ChartFile>> = BTreeMap::new();
    for file in files {
        match file.name.strip_prefix("charts/") {
            Some(_) if file.name.ends_with(".prov") => own.push(file),
            Some(inner) => {
                let (subchart, rest) = inner.split_once('/').unwrap_or((inner, ""));
                let entry = ChartFile { name: rest.to_string(), data: file.data.clone() };
                subchart_files.entry(subchart.to_string()).or_default().push(entry);
            }
            None => own.push(file),
        }
    }
    let mut chart = Chart::from_files(own)?;
    for (name, files) in subchart_files {
        if name.starts_with(['_', '.']) {
            continue;
        }
        let sub_origin = format!("{origin}/charts/{name}");
        let subchart = if name.ends_with(".tgz") {
            let data = files.into_iter().next().map(|f| f.data).unwrap_or_default();
            load_archive(&data, &sub_origin)
        } else {
            chart_from_files(files.into_iter().filter(|f| !f.name.is_empty()).collect(), &sub_origin)
        };
        chart.dependencies.push(subchart.map_err(|error| HelmError::InvalidChart {
            message: format!("error unpacking subchart {name} in {}: {error}", chart.metadata.name),
        })?);
    }
    Ok(chart)
}

/// Every regular file under `root` not excluded by its `.helmignore`, in
/// Go's `filepath.Walk` order (names sorted byte-wise within a directory).
fn read_directory(root: &Path, boundary: &SourceRoot) -> Result<Vec<ChartFile>, HelmError> {
    let ignore_path = root.join(".helmignore");
    let rules = if ignore_path.is_file() {
        check_inside(&ignore_path, boundary)?;
        let text = std::fs::read_to_string(&ignore_path)
            .map_err(|source| HelmError::Read { path: ignore_path.clone(), source })?;
        IgnoreRules::parse(&text)?
    } else {
        IgnoreRules::defaults()
    };
    let mut files = Vec::new();
    walk(root, "", &rules, boundary, &mut files)?;
    Ok(files)
}

fn check_inside(path: &Path, boundary: &SourceRoot) -> Result<(), HelmError> {
    boundary.resolve(path).map(drop).map_err(|source| HelmError::OutsideSource { path: path.to_path_buf(), source })
}

fn walk(
    dir: &Path,
    relative: &str,
    rules: &IgnoreRules,
    boundary: &SourceRoot,
    files: &mut Vec<ChartFile>,
) -> Result<(), HelmError> {
    let read_error = |source| HelmError::Read { path: dir.to_path_buf(), source };
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(read_error)?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(read_error)?;
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let name_in_chart = if relative.is_empty() { name } else { format!("{relative}/{name}") };
        let metadata = std::fs::metadata(&path).map_err(|source| HelmError::Read { path: path.clone(), source })?;
        if rules.ignores(&name_in_chart, metadata.is_dir()) {
            continue;
        }
        if metadata.is_dir() || metadata.is_file() {
            // Only what the chart keeps is checked: an ignored link is never read.
            check_inside(&path, boundary)?;
        }
        if metadata.is_dir() {
            walk(&path, &name_in_chart, rules, boundary, files)?;
        } else if metadata.is_file() {
            let data = std::fs::read(&path).map_err(|source| HelmError::Read { path: path.clone(), source })?;
            files.push(ChartFile { name: name_in_chart, data: without_utf8_bom(data) });
        }
    }
    Ok(())
}

/// A file's bytes without one leading UTF-8 byte order mark: Helm's loader
/// drops it from every file it reads, from a directory or an archive, so
/// templates, values and `.Files` never see it.
fn without_utf8_bom(mut data: Vec<u8>) -> Vec<u8> {
    if data.starts_with(b"\xEF\xBB\xBF") {
        data.drain(..3);
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_entry_names_are_refused_as_helm_refuses_them() {
        assert_eq!(archive_entry_name("web/templates/a.yaml"), Ok("templates/a.yaml".to_string()));
        assert_eq!(archive_entry_name("web/x/../values.yaml"), Ok("values.yaml".to_string()));
        let refused = |entry: &str| archive_entry_name(entry).unwrap_err();
        assert_eq!(refused("web/../../etc/passwd"), "chart illegally references parent directory");
        assert_eq!(refused("../../malformed"), "chart illegally references parent directory");
        assert_eq!(refused("web//etc/passwd"), "chart illegally contains absolute paths");
        assert_eq!(refused("\\\\foo"), "chart illegally contains absolute paths");
        assert_eq!(
            refused("missing-leading-slash"),
            "chart illegally contains content outside the base directory: \"missing-leading-slash\""
        );
        assert_eq!(refused("web/c:/evil"), "chart contains illegally named files");
        assert_eq!(refused("Chart.yaml/x"), "chart yaml not in base directory");
    }
}
