//! A unified diff of two YAML texts, for the terminal: `-` lines are Git's,
//! `+` lines the cluster's, with the changed words emphasized when color is
//! on. It compares text only; it must not know about objects or classes.

use similar::udiff::UnifiedHunkHeader;
use similar::{ChangeTag, TextDiff};

use super::paint::{Paint, Tone};

/// The diff of `desired` and `live` as lines (each ending in `\n`), with
/// `context` unchanged lines around each change; empty when the texts are equal.
pub(super) fn unified_diff(desired: &str, live: &str, context: usize, paint: Paint) -> Vec<String> {
    let diff = TextDiff::from_lines(desired, live);
    let groups = diff.grouped_ops(context);
    if groups.iter().all(|group| group.is_empty()) {
        return Vec::new();
    }
    let mut lines = vec![
        format!("{}\n", paint.paint(Tone::Red, "--- desired (Git)")),
        format!("{}\n", paint.paint(Tone::Green, "+++ live (cluster)")),
    ];
    for group in groups.iter().filter(|group| !group.is_empty()) {
        lines.push(format!("{}\n", paint.paint(Tone::Cyan, &UnifiedHunkHeader::new(group).to_string())));
        for op in group {
            for change in diff.iter_inline_changes(op) {
                let (sign, tones) = match change.tag() {
                    ChangeTag::Delete => ("-", Some((Tone::Red, Tone::RedEmphasis))),
                    ChangeTag::Insert => ("+", Some((Tone::Green, Tone::GreenEmphasis))),
                    // Context stays in the terminal's own color, as `git diff` does.
                    ChangeTag::Equal => (" ", None),
                };
                let mut runs = vec![(false, sign.to_string())];
                for (emphasized, text) in change.iter_strings_lossy() {
                    let text = text.trim_end_matches('\n');
                    match runs.last_mut() {
                        Some((last, run)) if *last == emphasized => run.push_str(text),
                        _ => runs.push((emphasized, text.to_string())),
                    }
                }
                let mut line: String = runs
                    .iter()
                    .map(|(emphasized, run)| match tones {
                        Some((plain, emphasis)) => paint.paint(if *emphasized { emphasis } else { plain }, run),
                        None => run.clone(),
                    })
                    .collect();
                line.push('\n');
                lines.push(line);
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_diff_has_headers_hunks_and_context() {
        let desired = "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n";
        let live = "a: 1\nb: 2\nc: 9\nd: 4\ne: 5\n";
        let lines = unified_diff(desired, live, 1, Paint::new(false));
        assert_eq!(
            lines.concat(),
            "--- desired (Git)\n+++ live (cluster)\n@@ -2,3 +2,3 @@\n b: 2\n-c: 3\n+c: 9\n d: 4\n"
        );
    }

    #[test]
    fn equal_texts_give_no_diff() {
        assert!(unified_diff("a: 1\n", "a: 1\n", 3, Paint::new(true)).is_empty());
    }

    #[test]
    fn color_emphasizes_the_changed_word_only() {
        let lines = unified_diff("image: app:1\n", "image: app:2\n", 0, Paint::new(true));
        assert_eq!(lines[3], "\x1b[31m-image: \x1b[0m\x1b[1;31;4mapp:1\x1b[0m\n");
        assert_eq!(lines[4], "\x1b[32m+image: \x1b[0m\x1b[1;32;4mapp:2\x1b[0m\n");
    }
}
