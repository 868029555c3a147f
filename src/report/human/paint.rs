//! Colors for the terminal report: one tone per meaning (object class, field
//! class, diff side), turned into ANSI codes only when color is on. Whether
//! color is on is decided by the caller; this module must never look at the
//! terminal or the environment.

use comfy_table::Color;

use crate::diff::{FieldClass, ObjectClass};

/// A meaning that has a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tone {
    /// Cluster changes, removed lines, missing objects.
    Red,
    /// In-sync objects, added lines, converged fields.
    Green,
    /// Modified objects.
    Yellow,
    /// Pending Git changes.
    Blue,
    /// Conflicts, unknown kinds.
    Magenta,
    /// Extra objects, hunk headers.
    Cyan,
    /// Headings.
    Bold,
    /// Secondary text: origins, field labels.
    Dim,
    /// The changed words inside a removed line.
    RedEmphasis,
    /// The changed words inside an added line.
    GreenEmphasis,
}

impl Tone {
    fn ansi(self) -> &'static str {
        match self {
            Tone::Red => "31",
            Tone::Green => "32",
            Tone::Yellow => "33",
            Tone::Blue => "34",
            Tone::Magenta => "35",
            Tone::Cyan => "36",
            Tone::Bold => "1",
            Tone::Dim => "2",
            Tone::RedEmphasis => "1;31;4",
            Tone::GreenEmphasis => "1;32;4",
        }
    }

    /// The color of a table cell in this tone (tables style their own cells).
    pub(super) fn table_color(self) -> Option<Color> {
        match self {
            Tone::Red | Tone::RedEmphasis => Some(Color::DarkRed),
            Tone::Green | Tone::GreenEmphasis => Some(Color::DarkGreen),
            Tone::Yellow => Some(Color::DarkYellow),
            Tone::Blue => Some(Color::DarkBlue),
            Tone::Magenta => Some(Color::DarkMagenta),
            Tone::Cyan => Some(Color::DarkCyan),
            Tone::Bold | Tone::Dim => None,
        }
    }

    /// The tone of an object class.
    pub(super) fn of_object(class: ObjectClass) -> Tone {
        match class {
            ObjectClass::InSync => Tone::Green,
            ObjectClass::Modified => Tone::Yellow,
            ObjectClass::Missing | ObjectClass::Error => Tone::Red,
            ObjectClass::Extra => Tone::Cyan,
            ObjectClass::UnknownKind => Tone::Magenta,
        }
    }

    /// The tone of a field class.
    pub(super) fn of_field(class: FieldClass) -> Tone {
        match class {
            FieldClass::Drift => Tone::Red,
            FieldClass::Pending => Tone::Blue,
            FieldClass::Conflict => Tone::Magenta,
            FieldClass::Converged => Tone::Green,
            FieldClass::Nondeterministic => Tone::Dim,
        }
    }
}

/// Applies tones, or nothing at all when color is off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Paint {
    color: bool,
}

impl Paint {
    /// A painter that colors only when `color` is set.
    pub(super) fn new(color: bool) -> Self {
        Paint { color }
    }

    /// Whether ANSI codes are written.
    pub(super) fn enabled(self) -> bool {
        self.color
    }

    /// `text` in `tone`; unchanged when color is off or the text is empty.
    pub(super) fn paint(self, tone: Tone, text: &str) -> String {
        if !self.color || text.is_empty() {
            return text.to_string();
        }
        format!("\x1b[{}m{text}\x1b[0m", tone.ansi())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_codes_without_color() {
        assert_eq!(Paint::new(false).paint(Tone::Red, "drift"), "drift");
        assert_eq!(Paint::new(true).paint(Tone::Red, "drift"), "\x1b[31mdrift\x1b[0m");
        assert_eq!(Paint::new(true).paint(Tone::Red, ""), "");
    }
}
