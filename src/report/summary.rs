//! How many objects fall in each class: the one count every format prints,
//! so the terminal summary line and the document's `summary` always agree.

use crate::diff::{Audit, ObjectClass};

/// Object counts per class for one audit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Audited objects (ignored ones not included).
    pub objects: usize,
    /// Live matches Git.
    pub in_sync: usize,
    /// Live differs from Git.
    pub modified: usize,
    /// In Git, absent from the cluster.
    pub missing: usize,
    /// In the cluster, owned by a unit, absent from Git.
    pub extra: usize,
    /// The cluster does not serve the kind.
    pub unknown_kind: usize,
    /// Could not be audited.
    pub errors: usize,
    /// Skipped by an ignore annotation.
    pub ignored: usize,
}

impl Tally {
    /// Counts the objects of `audit` by class.
    pub fn of(audit: &Audit) -> Self {
        let mut tally = Tally { objects: audit.objects.len(), ignored: audit.ignored.len(), ..Tally::default() };
        for object in &audit.objects {
            let count = match object.diff.class {
                ObjectClass::InSync => &mut tally.in_sync,
                ObjectClass::Modified => &mut tally.modified,
                ObjectClass::Missing => &mut tally.missing,
                ObjectClass::Extra => &mut tally.extra,
                ObjectClass::UnknownKind => &mut tally.unknown_kind,
                ObjectClass::Error => &mut tally.errors,
            };
            *count += 1;
        }
        tally
    }

    /// Objects that could not be audited: errors plus unknown kinds (never counted as in sync).
    pub fn unaudited(&self) -> usize {
        self.errors + self.unknown_kind
    }

    /// The one-line summary: `12 objects: 9 in sync, 2 modified, 1 missing` (zero counts left out).
    pub fn line(&self) -> String {
        let noun = if self.objects == 1 { "object" } else { "objects" };
        let parts: Vec<String> = [
            (self.in_sync, "in sync"),
            (self.modified, "modified"),
            (self.missing, "missing"),
            (self.extra, "extra"),
            (self.unknown_kind, "unknown kind"),
            (self.errors, if self.errors == 1 { "error" } else { "errors" }),
        ]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, label)| format!("{count} {label}"))
        .collect();
        let mut line = format!("{} {noun}", self.objects);
        if !parts.is_empty() {
            line.push_str(": ");
            line.push_str(&parts.join(", "));
        }
        if self.ignored > 0 {
            line.push_str(&format!(" ({} ignored)", self.ignored));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_leaves_out_zero_counts_and_says_what_was_ignored() {
        let tally = Tally { objects: 12, in_sync: 9, modified: 2, missing: 1, ..Tally::default() };
        assert_eq!(tally.line(), "12 objects: 9 in sync, 2 modified, 1 missing");
        let tally = Tally { objects: 2, errors: 1, unknown_kind: 1, ignored: 3, ..Tally::default() };
        assert_eq!(tally.line(), "2 objects: 1 unknown kind, 1 error (3 ignored)");
        assert_eq!(tally.unaudited(), 2);
        assert_eq!(Tally::default().line(), "0 objects");
    }
}
