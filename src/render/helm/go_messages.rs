//! Error texts worded as Helm's Go libraries word them (`os`; go-yaml's
//! wording is `YamlError::go_v2_message`), so driftctl's messages read like
//! `helm template`'s.
//!
//! This module must not decide whether something is an error.

/// An I/O error as Go's `os` package words it.
pub fn go_io_message(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => error.to_string(),
    }
}
