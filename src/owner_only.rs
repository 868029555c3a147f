//! Files and directories only their owner can read: the one way driftctl
//! writes anything that may hold a Secret's data (snapshots, the Git cache).
//! Modes are set explicitly after creation, so the umask cannot widen them
//! (or take the owner's own bits away).
//!
//! This module must not decide what is written or where: callers pass the
//! path and the bytes. It never loosens a mode, and never changes the mode of
//! a directory it did not create unless asked to ([`restrict_dir`]), since a
//! user's existing directory (`--out .`) is theirs to set.

use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Mode of a file driftctl writes: read and write for the owner only.
pub const FILE_MODE: u32 = 0o600;
/// Mode of a directory driftctl creates: the owner only.
pub const DIR_MODE: u32 = 0o700;

/// Creates `path` and its missing parents, each new one with [`DIR_MODE`];
/// directories that already exist keep their mode.
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    if path.is_dir() {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir_all(parent)?;
    }
    match DirBuilder::new().mode(DIR_MODE).create(path) {
        Ok(()) => std::fs::set_permissions(path, Permissions::from_mode(DIR_MODE)),
        // Another process created it first: it is theirs as it is.
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        Err(error) => Err(error),
    }
}

/// [`create_dir_all`], then [`DIR_MODE`] on `path` itself even if it existed:
/// for directories that belong to driftctl (the Git cache), which an older
/// version may have created readable by others.
pub fn restrict_dir(path: &Path) -> io::Result<()> {
    create_dir_all(path)?;
    std::fs::set_permissions(path, Permissions::from_mode(DIR_MODE))
}

/// Writes `contents` to `path` with [`FILE_MODE`], replacing what was there;
/// an existing file loses its wider mode before the new contents go in.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create(true).truncate(true).mode(FILE_MODE).open(path)?;
    file.set_permissions(Permissions::from_mode(FILE_MODE))?;
    file.write_all(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_directories_and_files_are_owner_only() {
        let tmp = tempfile::tempdir().unwrap();
        let nested = tmp.path().join("a/b");
        create_dir_all(&nested).unwrap();
        assert_eq!((mode(&tmp.path().join("a")), mode(&nested)), (DIR_MODE, DIR_MODE));
        let file = nested.join("secret.yaml");
        write(&file, b"data: {}\n").unwrap();
        assert_eq!(mode(&file), FILE_MODE);
        assert_eq!(std::fs::read(&file).unwrap(), b"data: {}\n");
    }

    #[test]
    fn existing_files_are_tightened_and_existing_directories_kept_unless_restricted() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::set_permissions(tmp.path(), Permissions::from_mode(0o755)).unwrap();
        create_dir_all(tmp.path()).unwrap();
        assert_eq!(mode(tmp.path()), 0o755, "a directory the user made is theirs");
        let file = tmp.path().join("old.yaml");
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, Permissions::from_mode(0o644)).unwrap();
        write(&file, b"new").unwrap();
        assert_eq!((mode(&file), std::fs::read_to_string(&file).unwrap().as_str()), (FILE_MODE, "new"));
        restrict_dir(tmp.path()).unwrap();
        assert_eq!(mode(tmp.path()), DIR_MODE);
    }
}
