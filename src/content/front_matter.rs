//! TOML front matter between `+++` lines at the top of a file.

use crate::error::InputError;
use crate::model::{FrontMatter, Line};
use std::path::Path;

/// Split a file's text into its front matter (if any) and its body lines (with file line numbers).
pub fn split(path: &Path, text: &str) -> Result<(FrontMatter, Vec<Line>), InputError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let all: Vec<&str> = text.lines().collect();
    let opens = all.first().map(|l| l.trim_end() == "+++").unwrap_or(false);
    if !opens {
        return Ok((FrontMatter::default(), numbered(&all, 0)));
    }
    let close = all
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| l.trim_end() == "+++")
        .map(|(i, _)| i)
        .ok_or_else(|| {
            InputError::new(
                path,
                Some(1),
                "front matter opened with `+++` is never closed by a second `+++` line",
            )
        })?;
    let inner = all[1..close].join("\n");
    let front: FrontMatter = toml::from_str(&inner).map_err(|e| {
        // Line inside the TOML block, shifted by the opening `+++` line.
        let line = e
            .span()
            .map(|s| inner[..s.start.min(inner.len())].matches('\n').count() + 2);
        InputError::new(
            path,
            line,
            format!("invalid front matter: {}", e.message().trim_end()),
        )
    })?;
    if let Some(date) = &front.date {
        if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
            let line = all[1..close]
                .iter()
                .position(|l| l.trim_start().starts_with("date"))
                .map(|i| i + 2);
            return Err(InputError::new(
                path,
                line,
                format!("invalid front matter: date {date:?} is not a YYYY-MM-DD date"),
            ));
        }
    }
    Ok((front, numbered(&all[close + 1..], close + 1)))
}

fn numbered(lines: &[&str], offset: usize) -> Vec<Line> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| Line {
            no: offset + i + 1,
            text: l.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.txt")
    }

    #[test]
    fn no_front_matter_keeps_all_lines() {
        let (fm, lines) = split(p(), "one\ntwo\n").unwrap();
        assert_eq!(fm, FrontMatter::default());
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1].no, 2);
    }

    #[test]
    fn parses_keys_and_numbers_body_lines_from_the_file() {
        let text = "+++\ntitle = \"T\"\ndate = \"2015-11-30\"\ndraft = true\n+++\nBody.\n";
        let (fm, lines) = split(p(), text).unwrap();
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(fm.date.as_deref(), Some("2015-11-30"));
        assert!(fm.draft);
        assert_eq!(lines[0].no, 6);
        assert_eq!(lines[0].text, "Body.");
    }

    #[test]
    fn unknown_key_is_an_error_with_its_line() {
        let e = split(p(), "+++\ntitle = \"T\"\nauthr = \"x\"\n+++\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("authr"), "{}", e.message);
    }

    #[test]
    fn broken_toml_and_unclosed_block_are_errors() {
        let e = split(p(), "+++\ntitle = \n+++\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = split(p(), "+++\ntitle = \"T\"\nBody").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.to_string().starts_with("a.txt:1:"));
    }

    #[test]
    fn bad_date_is_an_error() {
        let e = split(p(), "+++\ntitle = \"T\"\ndate = \"30/11/2015\"\n+++\n").unwrap_err();
        assert_eq!(e.line, Some(3));
    }
}
