//! Go's reference-time layouts (`2006-01-02 15:04:05.999 -0700 MST`): the
//! split of a layout into literal text and elements, as Go's `nextStdChunk`
//! does it. Formatting and parsing both walk layouts through this one
//! tokenizer, so they agree on what `Jan`, `_2`, `.000` or `Z07:00` mean.
//!
//! This module must not format or parse times itself.

/// One element of a layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Element {
    /// `January`
    LongMonth,
    /// `Jan`
    Month,
    /// `1`
    NumMonth,
    /// `01`
    ZeroMonth,
    /// `Monday`
    LongWeekDay,
    /// `Mon`
    WeekDay,
    /// `2`
    Day,
    /// `_2`
    UnderDay,
    /// `02`
    ZeroDay,
    /// `__2`
    UnderYearDay,
    /// `002`
    ZeroYearDay,
    /// `15`
    Hour,
    /// `3`
    Hour12,
    /// `03`
    ZeroHour12,
    /// `4`
    Minute,
    /// `04`
    ZeroMinute,
    /// `5`
    Second,
    /// `05`
    ZeroSecond,
    /// `2006`
    LongYear,
    /// `06`
    Year,
    /// `PM`
    UpperPm,
    /// `pm`
    LowerPm,
    /// `MST`
    ZoneName,
    /// `Z0700`, `Z07:00`, `Z07`, `Z070000`, `Z07:00:00`: `Z` for UTC.
    Iso8601(OffsetForm),
    /// `-0700`, `-07:00`, `-07`, `-070000`, `-07:00:00`.
    NumericZone(OffsetForm),
    /// `.000`, `,000`: exactly `digits` fractional digits after `separator`.
    FracZeros { digits: usize, separator: u8 },
    /// `.999`, `,999`: up to `digits`, trailing zeros (and the separator) dropped.
    FracNines { digits: usize, separator: u8 },
}

/// Which parts of a numeric zone offset a layout element shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OffsetForm {
    /// `:` between hours, minutes and seconds.
    pub colons: bool,
    /// Minutes are shown (all forms but `-07`).
    pub minutes: bool,
    /// Seconds are shown (`-070000`, `-07:00:00`).
    pub seconds: bool,
}

const HOURS_ONLY: OffsetForm = OffsetForm { colons: false, minutes: false, seconds: false };
const PLAIN: OffsetForm = OffsetForm { colons: false, minutes: true, seconds: false };
const COLON: OffsetForm = OffsetForm { colons: true, minutes: true, seconds: false };
const PLAIN_SECONDS: OffsetForm = OffsetForm { colons: false, minutes: true, seconds: true };
const COLON_SECONDS: OffsetForm = OffsetForm { colons: true, minutes: true, seconds: true };

/// A layout split at its first element: literal `prefix`, the element and
/// its text in the layout, and the rest of the layout after it.
pub(crate) struct Chunk<'a> {
    pub prefix: &'a str,
    pub element: Option<(Element, &'a str)>,
    pub rest: &'a str,
}

/// Split `layout` at its first element (Go's `nextStdChunk`).
pub(crate) fn next_chunk(layout: &str) -> Chunk<'_> {
    let bytes = layout.as_bytes();
    let at = |i: usize, text: &str| layout.get(i..i + text.len()) == Some(text);
    let found = |i: usize, len: usize, element: Element| Chunk {
        prefix: &layout[..i],
        element: Some((element, &layout[i..i + len])),
        rest: &layout[i + len..],
    };
    for i in 0..bytes.len() {
        match bytes[i] {
            b'J' if at(i, "Jan") => {
                if at(i, "January") {
                    return found(i, 7, Element::LongMonth);
                }
                if !starts_with_lower(&bytes[i + 3..]) {
                    return found(i, 3, Element::Month);
                }
            }
            b'M' => {
                if at(i, "Mon") {
                    if at(i, "Monday") {
                        return found(i, 6, Element::LongWeekDay);
                    }
                    if !starts_with_lower(&bytes[i + 3..]) {
                        return found(i, 3, Element::WeekDay);
                    }
                }
                if at(i, "MST") {
                    return found(i, 3, Element::ZoneName);
                }
            }
            b'0' => {
                if let Some(&next @ b'1'..=b'6') = bytes.get(i + 1) {
                    let element = [
                        Element::ZeroMonth,
                        Element::ZeroDay,
                        Element::ZeroHour12,
                        Element::ZeroMinute,
                        Element::ZeroSecond,
                        Element::Year,
                    ][usize::from(next - b'1')];
                    return found(i, 2, element);
                }
                if at(i, "002") {
                    return found(i, 3, Element::ZeroYearDay);
                }
            }
            b'1' => {
                if at(i, "15") {
                    return found(i, 2, Element::Hour);
                }
                return found(i, 1, Element::NumMonth);
            }
            b'2' => {
                if at(i, "2006") {
                    return found(i, 4, Element::LongYear);
                }
                return found(i, 1, Element::Day);
            }
            b'_' => {
                if bytes.get(i + 1) == Some(&b'2') {
                    // `_2006` is a literal underscore before the year.
                    if at(i + 1, "2006") {
                        return Chunk {
                            prefix: &layout[..i + 1],
                            element: Some((Element::LongYear, &layout[i + 1..i + 5])),
                            rest: &layout[i + 5..],
                        };
                    }
                    return found(i, 2, Element::UnderDay);
                }
                if at(i, "__2") {
                    return found(i, 3, Element::UnderYearDay);
                }
            }
            b'3' => return found(i, 1, Element::Hour12),
            b'4' => return found(i, 1, Element::Minute),
            b'5' => return found(i, 1, Element::Second),
            b'P' if at(i, "PM") => return found(i, 2, Element::UpperPm),
            b'p' if at(i, "pm") => return found(i, 2, Element::LowerPm),
            b'-' => {
                for (text, form) in [
                    ("-070000", PLAIN_SECONDS),
                    ("-07:00:00", COLON_SECONDS),
                    ("-0700", PLAIN),
                    ("-07:00", COLON),
                    ("-07", HOURS_ONLY),
                ] {
                    if at(i, text) {
                        return found(i, text.len(), Element::NumericZone(form));
                    }
                }
            }
            b'Z' => {
                for (text, form) in [
                    ("Z070000", PLAIN_SECONDS),
                    ("Z07:00:00", COLON_SECONDS),
                    ("Z0700", PLAIN),
                    ("Z07:00", COLON),
                    ("Z07", HOURS_ONLY),
                ] {
                    if at(i, text) {
                        return found(i, text.len(), Element::Iso8601(form));
                    }
                }
            }
            separator @ (b'.' | b',') => {
                if let Some(&digit @ (b'0' | b'9')) = bytes.get(i + 1) {
                    let end = i + 1 + bytes[i + 1..].iter().take_while(|&&b| b == digit).count();
                    // Only a run of one repeated digit ending the number is a fraction.
                    if !bytes.get(end).is_some_and(u8::is_ascii_digit) {
                        let digits = end - (i + 1);
                        let element = if digit == b'0' {
                            Element::FracZeros { digits, separator }
                        } else {
                            Element::FracNines { digits, separator }
                        };
                        return found(i, end - i, element);
                    }
                }
            }
            _ => {}
        }
    }
    Chunk { prefix: layout, element: None, rest: "" }
}

fn starts_with_lower(bytes: &[u8]) -> bool {
    bytes.first().is_some_and(u8::is_ascii_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elements(mut layout: &str) -> Vec<(String, Option<Element>)> {
        let mut out = Vec::new();
        while !layout.is_empty() {
            let chunk = next_chunk(layout);
            out.push((chunk.prefix.to_string(), chunk.element.map(|(e, _)| e)));
            layout = chunk.rest;
        }
        out
    }

    #[test]
    fn layouts_split_as_go_splits_them() {
        let split = elements("Jan _2 Janet Monk 2006");
        assert_eq!(split[0], (String::new(), Some(Element::Month)));
        assert_eq!(split[1], (" ".to_string(), Some(Element::UnderDay)));
        // `Janet` and `Monk` are text: the name continues in lower case.
        assert_eq!(split[2], (" Janet Monk ".to_string(), Some(Element::LongYear)));
        assert_eq!(elements("_2006")[0], ("_".to_string(), Some(Element::LongYear)));
        assert_eq!(elements("05.000")[1].1, Some(Element::FracZeros { digits: 3, separator: b'.' }));
        // `.01` is a dot before a month, not a fraction.
        assert_eq!(elements("2006.01")[1], (".".to_string(), Some(Element::ZeroMonth)));
        assert_eq!(elements("Z07:00")[0].1, Some(Element::Iso8601(COLON)));
    }
}
