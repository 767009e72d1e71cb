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
        if f.path.split('/').any(|c| c == ".." || c.is_empty()) {
            bail!(
                "refusing to write {:?}: the path leaves the output folder",
                f.path
            );
        }
        let p = dir.join(&f.path);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&p, &f.bytes).with_context(|| format!("cannot write {}", p.display()))?;
    }
    Ok(())
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
}
