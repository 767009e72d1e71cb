//! Walk the content folder in sorted order and read `.txt` and `.md` files.

use crate::content::front_matter;
use crate::error::InputError;
use crate::model::{Source, SourceKind};
use std::path::Path;

/// What loading found: the sources to build, and notes for the user (skipped files).
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Vec<Source>,
    pub notes: Vec<String>,
}

/// Load every article under `dir`. `display_root` is the folder paths are shown relative to.
pub fn load_dir(dir: &Path, display_root: &Path) -> Result<Loaded, InputError> {
    if !dir.is_dir() {
        return Err(InputError::new(dir, None, "content folder does not exist"));
    }
    let mut loaded = Loaded::default();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let p = e
                .path()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| dir.to_path_buf());
            InputError::new(p, None, format!("cannot read: {e}"))
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let shown = display_path(path, display_root);
        let kind = match path.extension().and_then(|e| e.to_str()) {
            Some("txt") => SourceKind::Txt,
            Some("md") => SourceKind::Md,
            _ => {
                loaded
                    .notes
                    .push(format!("{shown}: ignored (not .txt or .md)"));
                continue;
            }
        };
        let bytes = std::fs::read(path)
            .map_err(|e| InputError::new(path, None, format!("cannot read: {e}")))?;
        match load_bytes(path, &shown, kind, &bytes)? {
            Some(source) if source.front.draft => loaded
                .notes
                .push(format!("{shown}: skipped (draft = true)")),
            Some(source) => loaded.sources.push(source),
            None => loaded.notes.push(format!("{shown}: skipped (empty file)")),
        }
    }
    Ok(loaded)
}

/// Parse one file's bytes. `Ok(None)` for a file with no text.
pub fn load_bytes(
    path: &Path,
    shown: &str,
    kind: SourceKind,
    bytes: &[u8],
) -> Result<Option<Source>, InputError> {
    let raw = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        InputError::new(
            path,
            Some(line),
            format!("not valid UTF-8 (byte {})", e.valid_up_to()),
        )
    })?;
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let (front, lines) = front_matter::split(path, raw)?;
    Ok(Some(Source {
        path: path.to_path_buf(),
        file: shown.to_string(),
        kind,
        front,
        raw: raw.to_string(),
        lines,
    }))
}

/// `path` relative to `root`, with `/` separators, for messages and claims.json.
pub fn display_path(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_names_the_line() {
        let e = load_bytes(
            Path::new("x.txt"),
            "x.txt",
            SourceKind::Txt,
            b"ok\nfine\nbad \xff here\n",
        )
        .unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().contains("x.txt:3"));
    }

    #[test]
    fn empty_file_is_skipped() {
        let r = load_bytes(Path::new("x.txt"), "x.txt", SourceKind::Txt, b" \n\n").unwrap();
        assert!(r.is_none());
    }
}
