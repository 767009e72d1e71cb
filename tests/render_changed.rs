//! Incremental rendering (what `serve` does on an edit) gives the same site as a full render,
//! and skips the pages whose inputs did not change.

mod common;

use briefing::render::pages::{render_all, render_changed, PageKeys};
use std::collections::BTreeMap;

fn site() -> briefing::config::Site {
    briefing::config::Site::load(&common::repo().join("site.toml")).unwrap()
}

fn as_map(files: Vec<briefing::render::OutputFile>) -> BTreeMap<String, Vec<u8>> {
    files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

#[test]
fn an_unchanged_corpus_renders_nothing_again() {
    let site = site();
    let tera = briefing::render::templates::load(&site.templates_dir).unwrap();
    let a = briefing::analyse(&site).unwrap();
    let first = render_changed(
        &tera,
        &site.config,
        &a.articles,
        &a.claims,
        &PageKeys::new(),
    )
    .unwrap();
    assert!(first.files.len() > 10);
    assert_eq!(first.files.len(), first.keys.len());
    let again = render_changed(&tera, &site.config, &a.articles, &a.claims, &first.keys).unwrap();
    assert!(
        again.files.is_empty(),
        "{:?}",
        again.files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    assert_eq!(again.keys, first.keys);
}

#[test]
fn an_edit_renders_exactly_what_a_full_render_changes() {
    let site = site();
    let tera = briefing::render::templates::load(&site.templates_dir).unwrap();
    let mut a = briefing::analyse(&site).unwrap();
    let first = render_changed(
        &tera,
        &site.config,
        &a.articles,
        &a.claims,
        &PageKeys::new(),
    )
    .unwrap();
    let before = as_map(render_all(&tera, &site.config, &a.articles, &a.claims).unwrap());

    // Edit the wording of one sentence that states a claim: its article page, its claim pages,
    // the lists showing that claim's wording and the data files change; other pages do not.
    let m = a.claims[0].mentions[0];
    let s = &mut a.articles[m.article].sentences[m.sentence];
    s.text.push_str(" (edited)");
    s.html.push_str(" (edited)");
    let after = as_map(render_all(&tera, &site.config, &a.articles, &a.claims).unwrap());
    let changed = as_map(
        render_changed(&tera, &site.config, &a.articles, &a.claims, &first.keys)
            .unwrap()
            .files,
    );
    // Everything whose bytes differ was rendered again, with the same bytes as a full render.
    for (path, bytes) in &after {
        if before.get(path) != Some(bytes) {
            assert_eq!(changed.get(path), Some(bytes), "{path} not rendered again");
        }
    }
    for (path, bytes) in &changed {
        assert_eq!(after.get(path), Some(bytes), "{path}");
    }
    let slug = &a.articles[m.article].slug;
    assert!(changed.contains_key(&format!("articles/{slug}/index.html")));
    assert!(
        changed.len() < after.len() / 2,
        "{} of {}",
        changed.len(),
        after.len()
    );
}
