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

/// The site a series of incremental renders leaves: each render's files over the last, and only
/// the paths of its keys (what `serve` writes and removes).
fn apply(site: &mut BTreeMap<String, Vec<u8>>, r: briefing::render::pages::Rendered) -> PageKeys {
    site.extend(r.files.into_iter().map(|f| (f.path, f.bytes)));
    site.retain(|p, _| r.keys.contains_key(p));
    r.keys
}

/// One change to the analysis, as an edit could bring.
type Step = Box<dyn Fn(&mut briefing::Analysis)>;

#[test]
fn a_series_of_edits_keeps_the_incremental_site_equal_to_a_full_render() {
    let site = site();
    let tera = briefing::render::templates::load(&site.templates_dir).unwrap();
    let mut a = briefing::analyse(&site).unwrap();
    let render = |a: &briefing::Analysis, keys: &PageKeys| {
        render_changed(&tera, &site.config, &a.articles, &a.claims, keys).unwrap()
    };
    let full = |a: &briefing::Analysis| {
        as_map(render_all(&tera, &site.config, &a.articles, &a.claims).unwrap())
    };
    let mut served = BTreeMap::new();
    let mut keys = apply(&mut served, render(&a, &PageKeys::new()));
    assert!(
        keys.fragments() > a.claims.len(),
        "claims list, search, claims.json"
    );
    assert_eq!(served, full(&a));

    // Each step changes what a rebuild can bring: a sentence's wording, a claim's wording (the
    // claims list, the sources page, the search index and claims.json), nothing at all (the
    // kept fragments must survive a render that made no list page), a claim's verdict, a claim
    // gone, an article's title.
    let steps: Vec<(&str, Step)> = vec![
        (
            "sentence",
            Box::new(|a| {
                let m = a.claims[1].mentions[0];
                let s = &mut a.articles[m.article].sentences[m.sentence];
                s.text.push_str(" (edited)");
                s.html.push_str(" (edited)");
            }),
        ),
        (
            "wording",
            Box::new(|a| a.claims[2].text.push_str(" (edited)")),
        ),
        ("nothing", Box::new(|_| {})),
        (
            "wording again",
            Box::new(|a| a.claims[0].text.push_str(" <again> & more")),
        ),
        (
            "verdict",
            Box::new(|a| {
                let c = a
                    .claims
                    .iter_mut()
                    .find(|c| c.verdict != briefing::model::Verdict::SingleSource)
                    .unwrap();
                c.verdict = briefing::model::Verdict::SingleSource;
            }),
        ),
        (
            "claim gone",
            Box::new(|a| {
                a.claims.remove(3);
            }),
        ),
        (
            "title",
            Box::new(|a| a.articles[0].meta.title = Some("A new title <b>".into())),
        ),
    ];
    for (name, step) in steps {
        step(&mut a);
        let fragments = keys.fragments();
        let r = render(&a, &keys);
        if name == "nothing" {
            assert!(r.files.is_empty(), "nothing changed, yet rendered");
            // The fragments of the pages not made again are kept for the next edit.
            assert_eq!(r.keys.fragments(), fragments);
        }
        keys = apply(&mut served, r);
        let expected = full(&a);
        assert_eq!(
            served.keys().collect::<Vec<_>>(),
            expected.keys().collect::<Vec<_>>(),
            "after {name}"
        );
        for (path, bytes) in &expected {
            assert!(
                served[path] == *bytes,
                "{path} differs from a full render after {name}"
            );
        }
    }
}

#[test]
fn pages_rendered_alone_match_the_full_render_and_list_pages_are_left_out() {
    use briefing::render::pages::render_pages;
    use std::collections::BTreeSet;
    let site = site();
    let tera = briefing::render::templates::load(&site.templates_dir).unwrap();
    let a = briefing::analyse(&site).unwrap();
    let full = as_map(render_all(&tera, &site.config, &a.articles, &a.claims).unwrap());
    // Every article page, every claim page (a conflicting one among them), search and 404.
    let mut paths: BTreeSet<String> = a
        .articles
        .iter()
        .map(|x| format!("articles/{}/index.html", x.slug))
        .chain(
            a.claims
                .iter()
                .map(|c| format!("claims/{}/index.html", c.id)),
        )
        .collect();
    assert!(a.claims.iter().any(|c| !c.conflicts.is_empty()));
    paths.insert("search/index.html".into());
    paths.insert("404.html".into());
    let alone = as_map(render_pages(&tera, &site.config, &a.articles, &a.claims, &paths).unwrap());
    assert_eq!(
        alone.keys().collect::<BTreeSet<_>>(),
        paths.iter().collect()
    );
    for (path, bytes) in &alone {
        assert_eq!(
            full.get(path),
            Some(bytes),
            "{path} differs from the full render"
        );
    }
    // One article page open, or the search page, without a claim page (the refs of the other
    // articles are not made then): the same bytes, first, middle and last article alike.
    for path in paths.iter().filter(|p| !p.starts_with("claims/")) {
        let one: BTreeSet<String> = [path.clone()].into();
        let got = as_map(render_pages(&tera, &site.config, &a.articles, &a.claims, &one).unwrap());
        assert_eq!(got.get(path), full.get(path), "{path} alone differs");
    }
    // A list page reads every claim, and a page the site does not have cannot be made alone:
    // they are left out, the others still made.
    let mut with = paths.clone();
    for other in [
        "index.html",
        "claims/index.html",
        "articles/no-such/index.html",
    ] {
        with.insert(other.to_string());
    }
    let got = as_map(render_pages(&tera, &site.config, &a.articles, &a.claims, &with).unwrap());
    assert_eq!(got, alone);
    let lists: BTreeSet<String> = ["index.html".to_string()].into();
    assert!(
        render_pages(&tera, &site.config, &a.articles, &a.claims, &lists)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn list_pages_rendered_first_match_the_full_render_after_an_edit() {
    use briefing::render::pages::render_list_pages;
    use std::collections::BTreeSet;
    let site = site();
    let tera = briefing::render::templates::load(&site.templates_dir).unwrap();
    let mut a = briefing::analyse(&site).unwrap();
    let lists: BTreeSet<String> = ["index.html", "claims/index.html", "sources/index.html"]
        .map(String::from)
        .into();
    // From nothing (no earlier render, so no fragments to reuse).
    let full = as_map(render_all(&tera, &site.config, &a.articles, &a.claims).unwrap());
    let first = render_list_pages(
        &tera,
        &site.config,
        &a.articles,
        &a.claims,
        &PageKeys::new(),
        &lists,
    )
    .unwrap();
    let first = as_map(first);
    assert_eq!(
        first.keys().collect::<BTreeSet<_>>(),
        lists.iter().collect()
    );
    for (path, bytes) in &first {
        assert_eq!(
            full.get(path),
            Some(bytes),
            "{path} differs from the full render"
        );
    }
    // After an edit that changes a claim's wording, against the last render's keys and
    // fragments (as `serve` makes them): each list page as the full render makes it now, even
    // the ones asked for whose bytes did not change. Other paths are left out.
    let keys = render_changed(
        &tera,
        &site.config,
        &a.articles,
        &a.claims,
        &PageKeys::new(),
    )
    .unwrap()
    .keys;
    let m = a.claims[0].mentions[0];
    a.articles[m.article].sentences[m.sentence]
        .text
        .push_str(" (edited)");
    a.claims[0].text.push_str(" (edited)");
    let full = as_map(render_all(&tera, &site.config, &a.articles, &a.claims).unwrap());
    let mut asked = lists.clone();
    asked.insert(format!("articles/{}/index.html", a.articles[0].slug));
    let early = as_map(
        render_list_pages(&tera, &site.config, &a.articles, &a.claims, &keys, &asked).unwrap(),
    );
    assert_eq!(
        early.keys().collect::<BTreeSet<_>>(),
        lists.iter().collect()
    );
    for (path, bytes) in &early {
        assert_eq!(full.get(path), Some(bytes), "{path} differs after the edit");
    }
    assert!(
        String::from_utf8_lossy(&early["claims/index.html"]).contains("(edited)"),
        "the claims list shows the edit"
    );
    // Each list page asked for alone (the briefing alone skips the sources page's
    // disagreements): the same bytes.
    for path in &lists {
        let alone: BTreeSet<String> = [path.clone()].into();
        let got = as_map(
            render_list_pages(&tera, &site.config, &a.articles, &a.claims, &keys, &alone).unwrap(),
        );
        assert_eq!(got.len(), 1, "{path}");
        assert_eq!(full.get(path), got.get(path), "{path} alone differs");
    }
    // No list page asked for: nothing made.
    let none: BTreeSet<String> = ["articles/x/index.html".to_string()].into();
    assert!(
        render_list_pages(&tera, &site.config, &a.articles, &a.claims, &keys, &none)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_render_stops_wherever_it_is_asked_to() {
    use briefing::render::pages::render_changed_unless;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let site = site();
    let tera = briefing::render::templates::load(&site.templates_dir).unwrap();
    let a = briefing::analyse(&site).unwrap();
    let (config, articles, claims) = (&site.config, &a.articles, &a.claims);
    // How often a whole render asks.
    let asked = AtomicUsize::new(0);
    let counting = || {
        asked.fetch_add(1, Ordering::Relaxed);
        false
    };
    let full = render_changed_unless(&tera, config, articles, claims, &PageKeys::new(), &counting)
        .unwrap();
    let n = asked.load(Ordering::Relaxed);
    assert!(
        n > full.files.len() / 2,
        "asked {n} times for {} files",
        full.files.len()
    );
    // Told to stop at the k-th question, it stops with `Cancelled` (not another error), at the
    // start, in the middle (both threads) and at the last question.
    for k in [1, 2, n / 3, n / 2, n] {
        let asked = AtomicUsize::new(0);
        let stop_at_k = || asked.fetch_add(1, Ordering::Relaxed) + 1 >= k;
        let e = render_changed_unless(
            &tera,
            config,
            articles,
            claims,
            &PageKeys::new(),
            &stop_at_k,
        )
        .err()
        .unwrap_or_else(|| panic!("a render told to stop at question {k} of {n} ended"));
        assert!(
            e.downcast_ref::<briefing::render::Cancelled>().is_some(),
            "{e:#}"
        );
    }
    // Never told to stop, it makes what a full render makes.
    assert_eq!(
        as_map(full.files),
        as_map(render_all(&tera, config, articles, claims).unwrap())
    );
}
