//! What `serve` adds to HTML responses (never to the built files): the live-reload script and,
//! while the last rebuild failed, the error overlay.

use super::problem::Problem;
use pulldown_cmark_escape::escape_html;

/// Where open pages listen for server-sent events.
pub const EVENTS_PATH: &str = "/__briefing/events";

/// Listens for `reload` (the new files are in place) and `problems` (an overlay to show).
const SCRIPT: &str = r#"<script>/* briefing serve: live reload (not part of the built site) */
(function () {
  var es = new EventSource("/__briefing/events?page=" + encodeURIComponent(location.pathname));
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("problems", function (e) {
    var old = document.getElementById("briefing-overlay");
    if (old) { old.remove(); }
    document.body.insertAdjacentHTML("beforeend", e.data);
  });
})();
</script>"#;

fn esc(text: &str) -> String {
    let mut s = String::new();
    escape_html(&mut s, text).expect("writing to a String cannot fail");
    s
}

/// The overlay naming each problem's file, line and message (all text escaped).
pub fn overlay(problems: &[Problem]) -> String {
    let mut items = String::new();
    for p in problems {
        let place = match (&p.file, p.line) {
            (Some(f), Some(l)) => format!("{}, line {l}", esc(f)),
            (Some(f), None) => esc(f),
            _ => "site".to_string(),
        };
        items.push_str(&format!(
            "<li><strong class=\"briefing-file\">{place}</strong><pre style=\"white-space:pre-wrap;margin:.3em 0 1em\">{}</pre></li>",
            esc(&p.message)
        ));
    }
    format!(
        "<div id=\"briefing-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;\
background:rgba(30,0,0,.93);color:#fff;font:15px/1.5 ui-monospace,monospace;padding:2em;overflow:auto\">\
<h2 style=\"color:#ff9090;margin:0 0 .5em\">briefing could not rebuild the site</h2>\
<p>The last good version is still served. Fix the file and save: this page reloads by itself.</p>\
<ol>{items}</ol>\
<button type=\"button\" onclick=\"this.parentNode.remove()\">Dismiss</button></div>"
    )
}

/// Insert the script (and the overlay, if any) before the last `</body>`, else at the end.
pub fn inject(html: &[u8], overlay: Option<&str>) -> Vec<u8> {
    let mut snippet = String::new();
    if let Some(o) = overlay {
        snippet.push_str(o);
    }
    snippet.push_str(SCRIPT);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_closing_body_tag() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></BODY></html>", None)).unwrap();
        let script = out.find("EventSource").unwrap();
        assert!(script < out.find("</BODY>").unwrap());
        assert!(out.ends_with("</BODY></html>"));
        let bare = String::from_utf8(inject(b"<p>x</p>", None)).unwrap();
        assert!(bare.starts_with("<p>x</p><script>"));
    }

    #[test]
    fn overlay_names_file_and_line_and_escapes_the_message() {
        let o = overlay(&[Problem::new(
            Some("seeds/a.txt".into()),
            Some(3),
            "invalid front matter: <unknown> key",
        )]);
        assert!(o.contains("seeds/a.txt, line 3"), "{o}");
        assert!(o.contains("&lt;unknown&gt;"), "{o}");
    }
}
