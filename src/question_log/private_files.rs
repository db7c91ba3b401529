//! Files that only qabot's own user may read: the SQLite question log (with
//! its `-wal` and `-shm` files) and the key of its hashes. Each is created
//! with mode 0600, and each folder qabot creates for them with 0700,
//! whatever the umask: the mode is set explicitly after creation (a umask
//! can only take permissions away, so there is no moment when the file is
//! open to others). Folders that already exist are never changed: one may
//! be the user's working directory.
//!
//! On systems without Unix permissions these are plain creations.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The mode of the files.
pub const FILE_MODE: u32 = 0o600;
/// The mode of the folders qabot creates for them.
pub const DIR_MODE: u32 = 0o700;

/// Creates `dir` and the missing folders above it, each new one with
/// [`DIR_MODE`]; folders that exist are left as they are.
pub fn create_dirs(dir: &Path) -> io::Result<()> {
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent() {
        create_dirs(parent)?;
    }
    match fs::create_dir(dir) {
        Ok(()) => set_mode(dir, DIR_MODE),
        // Another instance made it meanwhile; it is theirs to have set.
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates `path`, empty, with [`FILE_MODE`] if it does not exist.
pub fn create_empty(path: &Path) -> io::Result<()> {
    match new_file(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes `contents` to `path` if no file is there, in one step: a file
/// that appears at `path` is complete, even with several instances racing
/// to create it. Whether this call created it.
pub fn create_with(path: &Path, contents: &[u8]) -> io::Result<bool> {
    let mut nonce = [0u8; 8];
    let _ = getrandom::fill(&mut nonce);
    let name = path
        .file_name()
        .map_or_else(|| "qabot".into(), |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        u64::from_le_bytes(nonce)
    ));
    let written = new_file(&temp).and_then(|mut file| {
        file.write_all(contents)?;
        file.sync_all()
    });
    // A hard link fails when the target exists, where a rename would
    // replace a key another instance already uses.
    let linked = written.and_then(|()| fs::hard_link(&temp, path));
    let _ = fs::remove_file(&temp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// The mode of `path` when its group or others have any permission on it.
pub fn loose_mode(path: &Path) -> io::Result<Option<u32>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)?.permissions().mode() & 0o7777;
        Ok((mode & 0o077 != 0).then_some(mode))
    }
    #[cfg(not(unix))]
    {
        fs::metadata(path).map(|_| None)
    }
}

/// Sets each of `paths` that exists and is open to its group or others
/// to [`FILE_MODE`]; the ones changed, with their old modes.
pub fn tighten(paths: &[PathBuf]) -> Vec<(PathBuf, u32)> {
    paths
        .iter()
        .filter_map(|path| {
            let old = loose_mode(path).ok()??;
            set_mode(path, FILE_MODE).ok()?;
            Some((path.clone(), old))
        })
        .collect()
}

fn new_file(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    let file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(FILE_MODE))?;
    }
    Ok(file)
}

fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("qabot-private-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        dir
    }

    #[test]
    fn new_folders_are_0700_and_existing_ones_are_left_alone() {
        let dir = scratch("dirs");
        create_dirs(&dir.join("a/b")).unwrap();
        assert_eq!(mode(&dir.join("a")), 0o700);
        assert_eq!(mode(&dir.join("a/b")), 0o700);
        assert_eq!(mode(&dir), 0o755, "a folder qabot did not make");
        create_dirs(&dir.join("a/b")).unwrap();
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn files_are_created_0600_once_and_loose_ones_are_tightened() {
        let dir = scratch("files");
        let key = dir.join("k");
        assert!(create_with(&key, b"first").unwrap());
        assert!(!create_with(&key, b"second").unwrap(), "never replaced");
        assert_eq!(fs::read(&key).unwrap(), b"first");
        assert_eq!(mode(&key), 0o600);
        // No temporary file is left beside it.
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);

        let db = dir.join("db");
        create_empty(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(loose_mode(&db).unwrap(), Some(0o644));
        let missing = dir.join("db-wal");
        assert_eq!(tighten(&[db.clone(), missing]), [(db.clone(), 0o644)]);
        assert_eq!(mode(&db), 0o600);
        assert_eq!(loose_mode(&db).unwrap(), None);
        assert!(tighten(std::slice::from_ref(&db)).is_empty());
        fs::remove_dir_all(&dir).unwrap();
    }
}
