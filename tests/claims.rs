//! The claim engine on small corpora written for these tests: each conflict kind, syndicated
//! copies, a near-identical pair that says the opposite, and a chain that must not merge.

use briefing::claims;
use briefing::model::{Article, Claim, Meta, Sentence, SourceKind, Strength, Verdict};

/// An article from an outlet, one sentence per string.
fn article(slug: &str, outlet: &str, date: Option<&str>, sentences: &[&str]) -> Article {
    Article {
        slug: slug.to_string(),
        file: format!("{slug}.txt"),
        kind: SourceKind::Txt,
        meta: Meta {
            source: Some(outlet.to_string()),
            date: date.map(str::to_string),
            ..Meta::default()
        },
        blocks: Vec::new(),
        sentences: sentences
            .iter()
            .enumerate()
            .map(|(i, s)| Sentence {
                anchor: format!("s{}", i + 1),
                text: s.to_string(),
                html: s.to_string(),
                line: i + 1,
            })
            .collect(),
        removed: Vec::new(),
        raw: sentences.join("\n"),
    }
}

/// The claim holding the given sentence of the given article.
fn claim_with<'a>(
    claims: &'a [Claim],
    articles: &[Article],
    slug: &str,
    anchor: &str,
) -> &'a Claim {
    claims
        .iter()
        .find(|c| {
            c.mentions.iter().any(|m| {
                articles[m.article].slug == slug
                    && articles[m.article].sentences[m.sentence].anchor == anchor
            })
        })
        .unwrap_or_else(|| panic!("no claim holds {slug}#{anchor}: {claims:#?}"))
}

/// Two outlets, one sentence each, plus filler that is about something else.
fn pair(a: &str, b: &str) -> (Vec<Article>, Vec<Claim>) {
    let articles = vec![
        article(
            "alpha",
            "Alpha News",
            Some("2024-03-15"),
            &[
                a,
                "Local bakeries reported a busy weekend ahead of the spring festival.",
            ],
        ),
        article(
            "beta",
            "Beta Daily",
            Some("2024-03-15"),
            &[
                b,
                "The city council will vote on a new parking plan in April.",
            ],
        ),
    ];
    let claims = claims::analyse(&articles);
    (articles, claims)
}

/// The values of the claim's conflict on `slot`, with the articles saying each.
fn conflict_values(claim: &Claim, slot: &str) -> Vec<(String, Vec<String>)> {
    claim
        .conflicts
        .iter()
        .filter(|c| c.slot == slot)
        .flat_map(|c| {
            c.values
                .iter()
                .map(|v| (v.value.clone(), v.articles.clone()))
        })
        .collect()
}

/// The two outlets' sentences make one claim, and it is not a conflict.
fn assert_agree(a: &str, b: &str) {
    let (articles, claims) = pair(a, b);
    let c = claim_with(&claims, &articles, "alpha", "s1");
    assert_eq!(c.verdict, Verdict::Corroborated, "{c:#?}");
}

fn assert_conflict(a: &str, b: &str, slot: &str, want_a: &str, want_b: &str) {
    let (articles, claims) = pair(a, b);
    let c = claim_with(&claims, &articles, "alpha", "s1");
    assert_eq!(c.verdict, Verdict::Conflicting, "{c:#?}");
    let values = conflict_values(c, slot);
    let says = |slug: &str, want: &str| {
        values
            .iter()
            .any(|(v, arts)| v.contains(want) && arts == &vec![slug.to_string()])
    };
    assert!(
        says("alpha", want_a),
        "alpha should say {want_a}: {values:?}"
    );
    assert!(says("beta", want_b), "beta should say {want_b}: {values:?}");
}

#[test]
fn a_date_conflict_names_who_says_which_date() {
    assert_conflict(
        "The company said the plant in Ridgeview will close on March 3.",
        "The plant in Ridgeview will close on March 10, the company said.",
        "date",
        "2024-03-03",
        "2024-03-10",
    );
}

#[test]
fn relative_dates_are_resolved_before_they_are_compared() {
    // 2024-03-15 is a Friday: "on Thursday" is March 14, so both outlets agree.
    let (articles, claims) = pair(
        "Regulators announced the recall of 40,000 space heaters on Thursday.",
        "On March 14, regulators announced the recall of 40,000 space heaters.",
    );
    let c = claim_with(&claims, &articles, "alpha", "s1");
    assert_eq!(c.verdict, Verdict::Corroborated, "{c:#?}");
    assert_eq!(c.dates, vec!["2024-03-14"]);
}

#[test]
fn a_number_outside_the_stated_range_conflicts_and_one_inside_does_not() {
    assert_conflict(
        "The storm damaged about 300 homes in the valley, officials said.",
        "The storm damaged 1,200 homes in the valley, officials said.",
        "number",
        "about 300",
        "1200",
    );
    assert_agree(
        "Between 4,000 and 5,000 customers lost power after the storm.",
        "About 4,500 customers lost power after the storm.",
    );
}

#[test]
fn a_loose_lower_bound_beside_an_exact_figure_is_a_soft_conflict_and_a_close_one_is_none() {
    let (articles, claims) = pair(
        "Rescue crews pulled more than 100 people from flooded homes on Monday.",
        "Rescue crews pulled 140 people from flooded homes on Monday.",
    );
    let c = claim_with(&claims, &articles, "alpha", "s1");
    assert_eq!(c.verdict, Verdict::Conflicting, "{c:#?}");
    let k = c
        .conflicts
        .iter()
        .find(|k| k.slot == "number")
        .expect("a number conflict");
    assert_eq!(k.strength, Strength::Soft, "{k:#?}");
    let values: Vec<&str> = k.values.iter().map(|v| v.value.as_str()).collect();
    assert!(
        values.contains(&"more than 100") && values.contains(&"140"),
        "{values:?}"
    );
    assert!(c.rule.contains("reconcilably"), "{}", c.rule);

    assert_agree(
        "Rescue crews pulled more than 100 people from flooded homes on Monday.",
        "Rescue crews pulled 104 people from flooded homes on Monday.",
    );
}

#[test]
fn a_persons_title_conflicts() {
    assert_conflict(
        "Mayor Dana Whitmore said the bridge would be rebuilt by next spring.",
        "Town Manager Dana Whitmore said the bridge would be rebuilt by next spring.",
        "title",
        "mayor",
        "town manager",
    );
}

#[test]
fn a_place_conflicts() {
    assert_conflict(
        "The shelter at Pine Ridge High School housed 60 people on Monday night.",
        "The shelter at Pine Ridge Middle School housed 60 people on Monday night.",
        "place",
        "High School",
        "Middle School",
    );
}

#[test]
fn a_place_and_its_initials_agree() {
    assert_agree(
        "The recall covers 40,000 space heaters sold in the United States since October.",
        "The recall covers 40,000 space heaters sold in the US since October.",
    );
}

#[test]
fn a_model_number_or_a_size_is_no_count_of_the_things() {
    // "Breeze 9" names the heater and "nine-inch" measures it: neither counts the heaters, so
    // neither disagrees with the 40,000.
    for a in [
        "Northgate is recalling about 40,000 Breeze 9 space heaters because they can overheat.",
        "Northgate is recalling roughly 40,000 of the nine-inch space heaters because they can \
         overheat.",
    ] {
        assert_agree(
            a,
            "Northgate is recalling about 40,000 space heaters because they can overheat.",
        );
    }
}

#[test]
fn a_name_conflicts() {
    assert_conflict(
        "Finance Minister Jane Okafor presented the new budget to parliament.",
        "Finance Minister Janet Okafor presented the new budget to parliament.",
        "name",
        "Jane Okafor",
        "Janet Okafor",
    );
}

#[test]
fn a_quote_reported_in_other_words_shows_both_wordings() {
    assert_conflict(
        "\u{201c}Nothing matters more to us than the safety of our riders,\u{201d} said Ana Ruiz.",
        "\u{201c}The safety of our riders is our first priority,\u{201d} said Ana Ruiz.",
        "quote",
        "Nothing matters more",
        "first priority",
    );
}

#[test]
fn confirmed_and_denied_share_words_but_not_meaning() {
    assert_conflict(
        "A ministry spokesman confirmed that the airline had asked for a state loan.",
        "A ministry spokesman denied that the airline had asked for a state loan.",
        "stance",
        "confirmed",
        "denied",
    );
}

#[test]
fn the_same_fact_from_two_outlets_is_corroborated() {
    let (articles, claims) = pair(
        "The river crested at 19.7 feet on Monday afternoon, the weather service said.",
        "The weather service said the river crested at 19.7 feet Monday afternoon.",
    );
    let c = claim_with(&claims, &articles, "alpha", "s1");
    assert_eq!(c.verdict, Verdict::Corroborated);
    assert_eq!(c.sources, 2);
    assert!(c.conflicts.is_empty());
}

#[test]
fn syndicated_copies_count_once() {
    let story: Vec<&str> = vec![
        "The regional water board approved a plan to rebuild the Birch Lane dam on Tuesday.",
        "The project will cost about 14 million dollars and take three years to finish.",
        "Engineers found cracks in the spillway during an inspection last autumn.",
        "Residents downstream have been asked to sign up for flood alerts by text message.",
        "The board chair said the old dam had served the valley well for ninety years.",
        "Construction crews are expected to begin clearing the site in early summer.",
        "A public meeting on the plan is scheduled for next month at the library.",
    ];
    let original = article("wire", "Wire Service", Some("2024-05-07"), &story);
    let copy = article("reprint", "Valley Paper", Some("2024-05-07"), &story);
    let other = article(
        "own",
        "Town Radio",
        Some("2024-05-07"),
        &[
            "Engineers found cracks in the dam's spillway during an inspection last autumn.",
            "The high school band won a state award on Saturday.",
        ],
    );
    let articles = vec![original, copy, other];
    let claims = claims::analyse(&articles);
    // Told by the wire and its reprint only: one independent source.
    let c = claim_with(&claims, &articles, "wire", "s1");
    assert!(c.mentions.len() >= 2, "{c:#?}");
    assert_eq!(c.sources, 1);
    assert_eq!(c.verdict, Verdict::SingleSource);
    // Also told by another outlet: two independent sources, not three.
    let c = claim_with(&claims, &articles, "own", "s1");
    assert_eq!(c.mentions.len(), 3, "{c:#?}");
    assert_eq!(c.sources, 2);
    assert_eq!(c.verdict, Verdict::Corroborated);
}

#[test]
fn a_chain_does_not_merge_its_ends() {
    let a = "The river crested at 21 feet on Monday afternoon near the old mill.";
    let b = "The river crested at 21 feet on Monday afternoon, and the town opened a shelter at the school.";
    let c = "The town opened a shelter at the school for forty displaced families.";
    let articles = vec![
        article("a", "A News", None, &[a]),
        article("b", "B News", None, &[b]),
        article("c", "C News", None, &[c]),
    ];
    let claims = claims::analyse(&articles);
    for claim in &claims {
        let slugs: Vec<&str> = claim
            .mentions
            .iter()
            .map(|m| articles[m.article].slug.as_str())
            .collect();
        assert!(
            !(slugs.contains(&"a") && slugs.contains(&"c")),
            "A and C merged: {claim:#?}"
        );
    }
    // B states both facts, so it sides with A on one claim and with C on another.
    let with_a = claim_with(&claims, &articles, "a", "s1");
    let with_c = claim_with(&claims, &articles, "c", "s1");
    assert!(with_a.mentions.len() == 2 && with_c.mentions.len() == 2);
}

#[test]
fn a_sentence_stating_two_facts_joins_both_claims_even_without_a_clause_break() {
    // No comma or conjunction to split on: the whole sentence carries both facts.
    let b = "The Harbour Street bridge reopened to traffic on Tuesday after repairs that cost the city $12 million over eight months.";
    let articles = vec![
        article(
            "a",
            "A News",
            None,
            &["The Harbour Street bridge reopened to traffic on Tuesday morning."],
        ),
        article("b", "B News", None, &[b]),
        article(
            "c",
            "C News",
            None,
            &["The repairs cost the city $12 million over eight months."],
        ),
    ];
    let claims = claims::analyse(&articles);
    let with_a = claim_with(&claims, &articles, "a", "s1");
    let with_c = claim_with(&claims, &articles, "c", "s1");
    assert_ne!(with_a.id, with_c.id, "two facts, two claims: {claims:#?}");
    for claim in [with_a, with_c] {
        assert!(
            claim
                .mentions
                .iter()
                .any(|m| articles[m.article].slug == "b"),
            "B states both facts, so it belongs to both claims: {claims:#?}"
        );
    }
}

#[test]
fn two_claims_sharing_their_first_sentence_are_worded_apart() {
    // B states both facts and comes first, so it is the first mention of both claims: each
    // claim must still read as its own fact on the pages, not as one sentence listed twice.
    let articles = vec![
        article(
            "a-both",
            "B News",
            None,
            &["The Harbour Street bridge reopened to traffic on Tuesday after repairs that cost the city $12 million over eight months."],
        ),
        article(
            "b-reopened",
            "A News",
            None,
            &["The Harbour Street bridge reopened to traffic on Tuesday morning."],
        ),
        article(
            "c-cost",
            "C News",
            None,
            &["The repairs cost the city $12 million over eight months."],
        ),
    ];
    let claims = claims::analyse(&articles);
    let reopened = claim_with(&claims, &articles, "b-reopened", "s1");
    let cost = claim_with(&claims, &articles, "c-cost", "s1");
    assert_ne!(reopened.id, cost.id, "{claims:#?}");
    assert_ne!(reopened.text, cost.text, "{claims:#?}");
    for c in [reopened, cost] {
        assert!(
            c.mentions
                .iter()
                .any(|m| articles[m.article].sentences[m.sentence].text == c.text),
            "a claim is worded by one of its own sentences: {c:#?}"
        );
    }
}

#[test]
fn unrelated_sentences_stay_apart_and_no_claim_repeats_one_article() {
    let (articles, claims) = pair(
        "Shares of the regional bank rose after its quarterly results beat forecasts.",
        "The museum will open a new wing devoted to early photography in June.",
    );
    for c in &claims {
        let first = c.mentions[0].article;
        assert!(
            c.mentions.len() == 1 || c.mentions.iter().any(|m| m.article != first),
            "{c:#?}"
        );
        assert_eq!(c.mentions.len(), 1, "unrelated sentences merged: {c:#?}");
    }
    assert!(!claims.is_empty() && articles.len() == 2);
}

#[test]
fn denials_of_unrelated_things_stay_apart() {
    // Each states that something did not happen; the "didn't" they share is no fact.
    for (a, b) in [
        (
            "We didn't play any rounds of golf.",
            "I didn't write that letter.",
        ),
        (
            "The old man wasn\u{2019}t a heavy smoker.",
            "The city\u{2019}s air wasn\u{2019}t always so bad.",
        ),
    ] {
        let (articles, claims) = pair(a, b);
        let c = claim_with(&claims, &articles, "alpha", "s1");
        assert_eq!(c.mentions.len(), 1, "unrelated denials merged: {c:#?}");
        claim_with(&claims, &articles, "beta", "s1");
    }
}

#[test]
fn two_facts_from_one_source_stay_apart_and_one_fact_it_reports_twice_agrees() {
    // They share only who reports them: the weather bureau.
    for a in [
        "The Orlan Weather Bureau said nine inches of rain fell overnight in the valley.",
        "The weather bureau issued a flood warning shortly before midnight.",
    ] {
        let (articles, claims) = pair(
            a,
            "Showers are forecast for Friday, but the weather bureau says they will be light.",
        );
        let c = claim_with(&claims, &articles, "alpha", "s1");
        assert_eq!(
            c.mentions.len(),
            1,
            "two facts of one source merged: {c:#?}"
        );
    }
    assert_agree(
        "The Orlan Weather Bureau said the river crested late on Tuesday.",
        "The river crested late Tuesday, the weather bureau said.",
    );
}

#[test]
fn ids_are_stable_across_runs() {
    let (_, a) = pair(
        "The river crested at 19.7 feet on Monday afternoon.",
        "The river crested at 19.7 feet Monday afternoon, officials said.",
    );
    let (_, b) = pair(
        "The river crested at 19.7 feet on Monday afternoon.",
        "The river crested at 19.7 feet Monday afternoon, officials said.",
    );
    let ids = |c: &[Claim]| c.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
}

#[test]
fn different_titles_for_one_person_conflict_even_in_unrelated_sentences() {
    let (articles, claims) = pair(
        "\u{201c}We are adding shifts,\u{201d} said Rosa Delgado, Acme's director of communications.",
        "Rosa Delgado, Acme's vice president of product safety, declined to give a date for the new lids.",
    );
    let c = claims
        .iter()
        .find(|c| c.conflicts.iter().any(|k| k.slot == "title"))
        .unwrap_or_else(|| panic!("no title conflict: {claims:#?}"));
    assert_eq!(c.verdict, Verdict::Conflicting);
    let values = conflict_values(c, "title");
    assert!(values.iter().any(
        |(v, a)| v.starts_with("director of communications") && a == &vec!["alpha".to_string()]
    ));
    assert!(values
        .iter()
        .any(|(v, a)| v.starts_with("vice president of product safety")
            && a == &vec!["beta".to_string()]));
    assert!(articles.len() == 2);
}

#[test]
fn an_organisations_base_in_two_places_conflicts() {
    let (_, claims) = pair(
        "Norwick, which is based in Leeds, said it acted out of caution.",
        "Norwick, the York-based maker of the heaters, says 40 people were hurt.",
    );
    let c = claims
        .iter()
        .find(|c| c.conflicts.iter().any(|k| k.slot == "place"))
        .unwrap_or_else(|| panic!("no place conflict: {claims:#?}"));
    let values = conflict_values(c, "place");
    assert!(values
        .iter()
        .any(|(v, a)| v.contains("Leeds") && a == &vec!["alpha".to_string()]));
    assert!(values
        .iter()
        .any(|(v, a)| v.contains("York") && a == &vec!["beta".to_string()]));
}
