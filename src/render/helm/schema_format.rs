//! The `format` checks gojsonschema applies to strings (what Helm 3 uses for
//! `values.schema.json`), with Go's parsers' rules: `date-time` accepts
//! Go's RFC 3339 and also a bare date or time, `ipv4`/`ipv6` follow
//! `net.ParseIP`, `uri` follows `url.Parse` and needs a scheme, `email`
//! follows `net/mail`'s address parser. Unknown formats pass.
//!
//! This module must not know about schemas or values; it answers one string at a time.

/// Formats gojsonschema checks (others pass whatever the value).
const CHECKED_FORMATS: [&str; 17] = [
    "date-time",
    "date",
    "time",
    "hostname",
    "email",
    "idn-email",
    "ipv4",
    "ipv6",
    "uri",
    "iri",
    "uri-reference",
    "iri-reference",
    "uri-template",
    "uuid",
    "regex",
    "json-pointer",
    "relative-json-pointer",
];

/// Whether gojsonschema has a checker for `format`.
pub fn is_checked_format(format: &str) -> bool {
    CHECKED_FORMATS.contains(&format)
}

/// Whether `text` conforms to `format`.
pub fn conforms(format: &str, text: &str) -> bool {
    match format {
        "date-time" => is_time(text) || is_date(text) || is_date_time(text),
        "date" => is_date(text),
        "time" => is_time(text),
        "hostname" => is_hostname(text),
        "email" | "idn-email" => is_email(text),
        "ipv4" => parse_ip(text) && text.contains('.'),
        "ipv6" => parse_ip(text) && text.contains(':'),
        "uri" | "iri" => parse_url(text).is_some_and(|scheme| !scheme.is_empty()) && !text.contains('\\'),
        "uri-reference" | "iri-reference" => parse_url(text).is_some() && !text.contains('\\'),
        "uri-template" => parse_url(text).is_some() && !text.contains('\\') && balanced_braces(text),
        "uuid" => is_uuid(text),
        "regex" => regex::Regex::new(text).is_ok(),
        "json-pointer" => is_json_pointer(text),
        "relative-json-pointer" => is_relative_json_pointer(text),
        _ => true,
    }
}

fn digits(text: &str, count: usize) -> Option<u32> {
    (text.len() == count && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

/// Go's `time.Parse("2006-01-02", …)`: the day must exist in its month.
fn is_date(text: &str) -> bool {
    let mut parts = text.splitn(3, '-');
    let (Some(year), Some(month), Some(day)) = (parts.next(), parts.next(), parts.next()) else { return false };
    let (Some(year), Some(month), Some(day)) = (digits(year, 4), digits(month, 2), digits(day, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `15:04:05` with optional fractional seconds (Go accepts them when parsing)
/// and, when `zone` is allowed, `Z` or `±hh:mm`.
fn is_clock(text: &str, zone: bool) -> bool {
    let Some(clock) = text.get(..8) else { return false };
    let bytes = clock.as_bytes();
    if bytes[2] != b':' || bytes[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) =
        (digits(&clock[..2], 2), digits(&clock[3..5], 2), digits(&clock[6..8], 2))
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    let mut rest = &text[8..];
    if let Some(fraction) = rest.strip_prefix(['.', ',']) {
        let end = fraction.find(|c: char| !c.is_ascii_digit()).unwrap_or(fraction.len());
        if end == 0 {
            return false;
        }
        rest = &fraction[end..];
    }
    if rest.is_empty() {
        return !zone;
    }
    zone && (rest == "Z" || is_offset(rest))
}

fn is_offset(text: &str) -> bool {
    let Some(offset) = text.strip_prefix(['+', '-']) else { return false };
    offset.len() == 5
        && offset.as_bytes()[2] == b':'
        && digits(&offset[..2], 2).is_some_and(|h| h < 24)
        && digits(&offset[3..], 2).is_some_and(|m| m < 60)
}

/// gojsonschema's time formats: `15:04:05` or `15:04:05Z07:00`.
fn is_time(text: &str) -> bool {
    is_clock(text, false) || is_clock(text, true)
}

/// Go's RFC 3339 layout (`2006-01-02T15:04:05Z07:00`, fraction optional).
fn is_date_time(text: &str) -> bool {
    match (text.get(..10), text.get(10..11), text.get(11..)) {
        (Some(date), Some("T"), Some(clock)) => is_date(date) && is_clock(clock, true),
        _ => false,
    }
}

/// RFC 1123 host names of at most 255 characters.
fn is_hostname(text: &str) -> bool {
    text.len() < 256
        && text.split('.').all(|label| {
            let bytes = label.as_bytes();
            !bytes.is_empty()
                && bytes.len() <= 63
                && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
                && bytes[0] != b'-'
                && bytes[bytes.len() - 1] != b'-'
        })
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_json_pointer(text: &str) -> bool {
    text.is_empty() || (text.starts_with('/') && escapes_are_valid(text))
}

fn is_relative_json_pointer(text: &str) -> bool {
    let end = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, rest) = text.split_at(end);
    !number.is_empty()
        && (number == "0" || !number.starts_with('0'))
        && (rest == "#" || rest.is_empty() || (rest.starts_with('/') && escapes_are_valid(rest)))
}

fn escapes_are_valid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| *b != b'~' || matches!(bytes.get(i + 1), Some(b'0' | b'1')))
}

fn balanced_braces(text: &str) -> bool {
    let mut open = false;
    for c in text.chars() {
        match (c, open) {
            ('{', false) => open = true,
            ('}', true) => open = false,
            ('{', true) => return false,
            _ => {}
        }
    }
    !open
}

/// Go's `net.ParseIP`: dotted IPv4 without leading zeros, or IPv6 with `::`
/// compression and an optional trailing dotted IPv4.
fn parse_ip(text: &str) -> bool {
    if text.contains(':') { parse_ipv6(text) } else { parse_ipv4(text) }
}

fn parse_ipv4(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

fn parse_ipv6(text: &str) -> bool {
    let (head, tail, compressed) = match text.split_once("::") {
        Some((head, tail)) => (head, tail, true),
        None => (text, "", false),
    };
    if tail.contains("::") {
        return false;
    }
    let groups = |part: &str| -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let pieces: Vec<&str> = part.split(':').collect();
        let mut count = 0;
        for (index, piece) in pieces.iter().enumerate() {
            if index == pieces.len() - 1 && piece.contains('.') {
                if !parse_ipv4(piece) {
                    return None;
                }
                count += 2;
            } else if !piece.is_empty() && piece.len() <= 4 && piece.bytes().all(|b| b.is_ascii_hexdigit()) {
                count += 1;
            } else {
                return None;
            }
        }
        Some(count)
    };
    let (Some(before), Some(after)) = (groups(head), groups(tail)) else { return false };
    if head.contains('.') && compressed {
        return false;
    }
    if compressed { before + after < 8 } else { before == 8 }
}

/// Go's `url.Parse`, reduced to what makes it fail; returns the scheme
/// (empty for a relative reference).
fn parse_url(text: &str) -> Option<&str> {
    if text.chars().any(|c| c.is_ascii_control()) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let valid = bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
            if !valid {
                return None;
            }
        }
        i += 1;
    }
    let without_fragment = text.split('#').next().unwrap_or(text);
    let scheme_end = without_fragment.find(':');
    let scheme = match scheme_end {
        Some(end) => {
            let candidate = &without_fragment[..end];
            let valid = candidate.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && candidate.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            if valid {
                candidate
            } else if end == 0 {
                return None;
            } else {
                let first_segment = without_fragment.split(['/', '?']).next().unwrap_or("");
                if first_segment.contains(':') && !without_fragment.starts_with('/') {
                    return None;
                }
                ""
            }
        }
        None => "",
    };
    let rest = &without_fragment[scheme.len() + usize::from(!scheme.is_empty())..];
    if let Some(authority) = rest.strip_prefix("//") {
        let host_port = authority.split(['/', '?']).next().unwrap_or("");
        let host_port = host_port.rsplit('@').next().unwrap_or(host_port);
        if !valid_host_port(host_port) {
            return None;
        }
    }
    Some(scheme)
}

/// `host[:port]` as Go's URL parser accepts it.
fn valid_host_port(text: &str) -> bool {
    let (host, port) = if let Some(rest) = text.strip_prefix('[') {
        match rest.split_once(']') {
            Some((_, after)) => ("", after.strip_prefix(':')),
            None => return false,
        }
    } else {
        match text.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        }
    };
    let host_ok = host.chars().all(|c| c.is_alphanumeric() || "-._~!$&'()*+,;=%".contains(c));
    host_ok && port.is_none_or(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// `net/mail.ParseAddress`: `local@domain`, optionally as `Name <local@domain>`.
fn is_email(text: &str) -> bool {
    let address = match (text.find('<'), text.ends_with('>')) {
        (Some(start), true) => &text[start + 1..text.len() - 1],
        (None, false) => text.trim(),
        _ => return false,
    };
    let Some((local, domain)) = address.rsplit_once('@') else { return false };
    let atom = |part: &str| {
        !part.is_empty()
            && part
                .split('.')
                .all(|a| !a.is_empty() && a.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c)))
    };
    let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
    (quoted || atom(local)) && (atom(domain) || (domain.starts_with('[') && domain.ends_with(']')))
}

#[cfg(test)]
mod tests {
    use super::conforms;

    #[test]
    fn formats_follow_gos_parsers() {
        let cases = [
            ("date-time", "2024-01-02T03:04:05.5+01:00", true),
            ("date-time", "2024-02-30T00:00:00Z", false),
            ("date-time", "2024-01-02", true),
            ("email", "Ops <ops@example.com>", true),
            ("email", "not-an-email", false),
            ("ipv4", "10.0.0.300", false),
            ("ipv4", "10.0.0.01", false),
            ("ipv6", "fe80::1", true),
            ("ipv6", "10.0.0.1", false),
            ("uri", "/relative", false),
            ("uri", "https://example.com/a?b#c", true),
            ("uri-reference", "%zz", false),
            ("uri-reference", "./docs/index.html", true),
            ("hostname", "-bad-.example", false),
            ("uuid", "123e4567-e89b-12d3-a456-426614174000", true),
            ("regex", "a(b", false),
            ("unknown-format", "anything", true),
        ];
        for (format, text, expected) in cases {
            assert_eq!(conforms(format, text), expected, "{format} {text}");
        }
    }
}
