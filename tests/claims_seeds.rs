//! The claim engine over the seed articles shipped with the project.

use briefing::config::Site;
use briefing::model::Verdict;
use std::path::Path;

fn analysis() -> briefing::Analysis {
    let site = Site::load(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("site.toml")
            .as_path(),
    )
    .expect("the default site loads");
    briefing::analyse(&site).expect("the seeds analyse")
}

#[test]
fn the_exit_date_disagreement_is_a_conflict_naming_both_dates() {
    let a = analysis();
    let found = a.claims.iter().find_map(|c| {
        let conflict = c.conflicts.iter().find(|k| k.slot == "date")?;
        let nov = conflict
            .values
            .iter()
            .find(|v| v.value.ends_with("11-30"))?;
        let dec = conflict
            .values
            .iter()
            .find(|v| v.value.ends_with("12-30"))?;
        Some((c, nov, dec))
    });
    let (claim, nov, dec) = found.unwrap_or_else(|| {
        panic!(
            "no claim has a date conflict between November 30 and December 30: {:#?}",
            a.claims
                .iter()
                .filter(|c| !c.conflicts.is_empty())
                .collect::<Vec<_>>()
        )
    });
    assert_eq!(claim.verdict, Verdict::Conflicting);
    // Who says what: each date is carried by an article, and not by the same one.
    assert!(!nov.articles.is_empty() && !dec.articles.is_empty());
    assert!(nov.articles.iter().all(|s| !dec.articles.contains(s)));
    assert!(claim.rule.contains("11-30") && claim.rule.contains("12-30"));
}

#[test]
fn no_claim_with_several_mentions_comes_from_one_article_alone() {
    let a = analysis();
    for c in a.claims.iter().filter(|c| c.mentions.len() > 1) {
        let first = c.mentions[0].article;
        assert!(
            c.mentions.iter().any(|m| m.article != first),
            "claim {} repeats one article: {c:#?}",
            c.id
        );
    }
}

#[test]
fn claims_and_their_ids_are_the_same_on_every_run() {
    let (a, b) = (analysis(), analysis());
    let key = |x: &briefing::Analysis| {
        x.claims
            .iter()
            .map(|c| (c.id.clone(), c.verdict, c.mentions.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&a), key(&b));
}
