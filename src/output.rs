//! Write stage: put the rendered files into a staging folder beside the output, then swap it in,
//! so a failed build never leaves a half-written or empty site.

use crate::render::OutputFile;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};

/// Make a path absolute and resolve what exists of it (the output folder may not exist yet).
fn resolve(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    if let Ok(c) = abs.canonicalize() {
        return c;
    }
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => resolve(parent).join(name),
        _ => abs,
    }
}

/// Refuse an output folder whose replacement would destroy the user's files: `/`, the home
/// folder, the project root, or a folder that is or contains the content, templates, static
/// files or the config file.
pub fn check_output_dir(output: &Path, protected: &[(&str, &Path)]) -> Result<()> {
    let out = resolve(output);
    if out.parent().is_none() {
        bail!(
            "refusing to write the site to {}: it is the file system root",
            output.display()
        );
    }
    if let Some(home) = std::env::var_os("HOME") {
        if !home.is_empty() && out == resolve(Path::new(&home)) {
            bail!(
                "refusing to write the site to {}: it is the home folder",
                output.display()
            );
        }
    }
    for (what, p) in protected {
        let p = resolve(p);
        if p.starts_with(&out) {
            bail!(
                "refusing to write the site to {}: it would replace the {what} ({})",
                output.display(),
                p.display()
            );
        }
    }
    if out.exists() && !out.is_dir() {
        bail!(
            "refusing to write the site to {}: it is a file, not a folder",
            output.display()
        );
    }
    Ok(())
}

/// Write all files into `<parent>/.<name>.staging`, then swap it in place of `output`.
pub fn write_site(output: &Path, files: &[OutputFile]) -> Result<()> {
    let name = output
        .file_name()
        .with_context(|| format!("output folder {} has no name", output.display()))?
        .to_string_lossy()
        .to_string();
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = parent.join(format!(".{name}.staging"));
    let old = parent.join(format!(".{name}.old"));
    for stale in [&staging, &old] {
        if stale.exists() {
            std::fs::remove_dir_all(stale)
                .with_context(|| format!("cannot remove stale {}", stale.display()))?;
        }
    }
    let written = write_all(&staging, files);
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if output.exists() {
        std::fs::rename(output, &old)
            .with_context(|| format!("cannot move the previous site {} aside", output.display()))?;
    }
    if let Err(e) = std::fs::rename(&staging, output) {
        if old.exists() {
            let _ = std::fs::rename(&old, output);
        }
        return Err(e)
            .with_context(|| format!("cannot move the new site into {}", output.display()));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("cannot remove {}", old.display()))?;
    }
    Ok(())
}

fn write_all(dir: &Path, files: &[OutputFile]) -> Result<()> {
    for f in files {
        check_relative(&f.path)?;
        let p = dir.join(&f.path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&p, &f.bytes).with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(())
}

/// What an incremental write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Files created or replaced (their bytes changed).
    pub written: usize,
    /// Files deleted because the site no longer has them.
    pub removed: usize,
}

/// A hash of a file's bytes, to tell whether a file on disk needs rewriting without keeping
/// every file's bytes in memory.
///
/// XXH3 (64 bits): `serve` hashes every file it rendered again before telling the pages to
/// reload, tens of MB per rebuild on a large site; XXH3 runs at memory speed where FxHash took
/// 15 ms for the 45 MB of a 1,000-article edit. It only ever compares a file with the same
/// file's last write.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// What an incremental write has to do: the files whose bytes changed (shared, so `serve` can
/// answer requests from them while they are written) and the files the site no longer has.
#[derive(Debug, Default, Clone)]
pub struct Delta {
    pub files: Vec<(String, std::sync::Arc<Vec<u8>>)>,
    pub removed: Vec<String>,
}

#[cfg(test)]
impl Delta {
    /// A delta of small text files and deletions (for tests).
    pub(crate) fn of(files: &[(&str, &str)], removed: &[&str]) -> Delta {
        Delta {
            files: files
                .iter()
                .map(|(p, b)| (p.to_string(), std::sync::Arc::new(b.as_bytes().to_vec())))
                .collect(),
            removed: removed.iter().map(|p| p.to_string()).collect(),
        }
    }
}

impl Delta {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.removed.is_empty()
    }

    pub fn stats(&self) -> WriteStats {
        WriteStats {
            written: self.files.len(),
            removed: self.removed.len(),
        }
    }
}

/// Plan an incremental write for `serve`. `files` are the files that may have changed (rendered
/// again); `site` names every file of the new site (those not in `files` are unchanged on disk);
/// `previous` holds the [`content_hash`] of each file written so far and is brought up to date
/// as if the [`Delta`] were written (apply it with [`apply`]). Refuses a path that would leave
/// the output folder.
pub fn plan_changes(
    files: Vec<OutputFile>,
    site: &dyn Fn(&str) -> bool,
    previous: &mut std::collections::BTreeMap<String, u64>,
) -> Result<Delta> {
    let mut delta = Delta::default();
    for f in &files {
        check_relative(&f.path)?;
    }
    for f in files {
        let hash = content_hash(&f.bytes);
        if previous.get(&f.path) != Some(&hash) {
            previous.insert(f.path.clone(), hash);
            delta.files.push((f.path, std::sync::Arc::new(f.bytes)));
        }
    }
    delta.removed = previous.keys().filter(|p| !site(p)).cloned().collect();
    for gone in &delta.removed {
        previous.remove(gone);
    }
    Ok(delta)
}

/// Carry out `delta` in `output`: each changed file is written through a temporary file renamed
/// into place (a reader never sees half a file); files the site no longer has are deleted, with
/// the folders they leave empty (never the output folder itself).
pub fn apply(output: &Path, delta: &Delta) -> Result<WriteStats> {
    for (path, bytes) in &delta.files {
        check_relative(path)?;
        write_atomic(&output.join(path), bytes)?;
    }
    let mut removed = 0;
    for gone in &delta.removed {
        check_relative(gone)?;
        let p = output.join(gone);
        match std::fs::remove_file(&p) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot remove {}", p.display())),
        }
        let mut dir = p.parent();
        while let Some(d) = dir.filter(|d| *d != output && d.starts_with(output)) {
            if std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(WriteStats {
        written: delta.files.len(),
        removed,
    })
}

/// [`plan_changes`] and [`apply`] at once: write only the files whose hash differs from the last
/// write, delete the files the site no longer has, update `previous`. `build` keeps
/// [`write_site`] (staging + swap).
pub fn write_changed(
    output: &Path,
    files: Vec<OutputFile>,
    site: &std::collections::BTreeSet<String>,
    previous: &mut std::collections::BTreeMap<String, u64>,
) -> Result<WriteStats> {
    let delta = plan_changes(files, &|p| site.contains(p), previous)?;
    apply(output, &delta)
}

fn check_relative(path: &str) -> Result<()> {
    if path.split('/').any(|c| c == ".." || c.is_empty()) {
        bail!("refusing to write {path:?}: the path leaves the output folder");
    }
    Ok(())
}

/// Write `bytes` to `path` through a temporary file in the same folder, then rename it in place.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let parent = path
        .parent()
        .with_context(|| format!("{} has no parent folder", path.display()))?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = parent.join(format!(".{name}.briefing-tmp"));
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_root_and_folders_holding_inputs() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("seeds");
        std::fs::create_dir_all(&content).unwrap();
        assert!(check_output_dir(Path::new("/"), &[]).is_err());
        assert!(check_output_dir(tmp.path(), &[("content folder", &content)]).is_err());
        assert!(check_output_dir(&content, &[("content folder", &content)]).is_err());
        assert!(
            check_output_dir(&tmp.path().join("public"), &[("content folder", &content)]).is_ok()
        );
    }

    #[test]
    fn swap_replaces_the_old_site_and_leaves_no_staging() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("stale.html"), "old").unwrap();
        let files = vec![OutputFile {
            path: "a/index.html".into(),
            bytes: b"new".to_vec(),
        }];
        write_site(&out, &files).unwrap();
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"new");
        assert!(!out.join("stale.html").exists());
        let names: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn write_changed_writes_only_what_changed_and_removes_what_is_gone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let file = |p: &str, b: &str| OutputFile {
            path: p.into(),
            bytes: b.as_bytes().to_vec(),
        };
        let paths = |ps: &[&str]| ps.iter().map(|p| p.to_string()).collect();
        let mut prev = std::collections::BTreeMap::new();
        let first = vec![
            file("index.html", "home"),
            file("articles/a/index.html", "a"),
            file("claims/c/index.html", "c"),
        ];
        let all = paths(&["index.html", "articles/a/index.html", "claims/c/index.html"]);
        let s = write_changed(&out, first, &all, &mut prev).unwrap();
        assert_eq!(
            s,
            WriteStats {
                written: 3,
                removed: 0
            }
        );
        // Touch the unchanged file on disk: an unchanged page must not be rewritten.
        std::fs::write(out.join("index.html"), "on disk").unwrap();
        // The claim page was not rendered again but is still part of the site: it stays.
        let second = vec![
            file("index.html", "home"),
            file("articles/b/index.html", "b"),
        ];
        let all = paths(&["index.html", "articles/b/index.html", "claims/c/index.html"]);
        let s = write_changed(&out, second, &all, &mut prev).unwrap();
        assert_eq!(
            s,
            WriteStats {
                written: 1,
                removed: 1
            }
        );
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"on disk");
        assert_eq!(
            std::fs::read(out.join("articles/b/index.html")).unwrap(),
            b"b"
        );
        assert_eq!(
            std::fs::read(out.join("claims/c/index.html")).unwrap(),
            b"c"
        );
        assert!(
            !out.join("articles/a").exists(),
            "empty article folder removed"
        );
        let bad = paths(&["../x"]);
        assert!(write_changed(&out, vec![file("../x", "x")], &bad, &mut prev).is_err());
    }
}
