//! SemVer range checks (`kubeVersion`, dependency versions) with
//! Masterminds/semver semantics. The template engine already implements
//! them for `semverCompare`; this asks it, so there is one implementation.
//!
//! This module must not know about charts.

use std::collections::BTreeMap;

use crate::template::{TemplateSet, Value};

/// Helm's `IsCompatibleRange`: whether `version` satisfies `constraint`;
/// false when either does not parse.
pub fn is_compatible_range(constraint: &str, version: &str) -> bool {
    // Masterminds refuses an empty constraint ("improper constraint: ").
    if constraint.trim().is_empty() {
        return false;
    }
    let mut data = BTreeMap::new();
    data.insert("c".to_string(), Value::str(constraint));
    data.insert("v".to_string(), Value::str(version));
    CHECK.with(|set| {
        set.as_ref().is_some_and(|set| set.execute("constraint", &Value::map(data)).is_ok_and(|out| out.text == "true"))
    })
}

thread_local! {
    /// The check, parsed once: a chart with many dependencies asks it for every (entry, subchart) pair.
    static CHECK: Option<TemplateSet> = {
        let mut set = TemplateSet::new();
        set.add("constraint", "{{ semverCompare .c .v }}").ok().map(|_| set)
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_semver() {
        assert!(is_compatible_range(">=1.20.0-0", "v1.32.0"));
        assert!(!is_compatible_range("<1.20", "v1.32.0"));
        assert!(is_compatible_range("1.x", "1.4.0"));
        assert!(!is_compatible_range("not a range", "1.0.0"));
        assert!(!is_compatible_range("", "1.0.0"), "Helm's dependency matching relies on this");
    }
}
