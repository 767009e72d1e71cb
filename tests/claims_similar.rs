//! `briefing similar`: one `SCORE<TAB>DECISION` line per pair, the build's threshold, clear errors.

use std::process::Command;

fn briefing(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn tsv_pairs_get_one_score_and_decision_each_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pairs.tsv");
    std::fs::write(
        &path,
        "Quality\t#1 String\t#2 String\r\n\
         1\tThe storm hit Texas on Monday, killing two people.\tTwo people died when the storm struck Texas on Monday.\r\n\
         0\tShares of the bank rose after its results.\tThe museum will open a new wing in June.\n",
    )
    .unwrap();
    let out = briefing(&["similar", "--tsv", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<(f64, u8)> = stdout
        .lines()
        .map(|l| {
            let (s, d) = l.split_once('\t').expect("SCORE<TAB>DECISION");
            (s.parse().unwrap(), d.parse().unwrap())
        })
        .collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|(s, _)| (0.0..=1.0).contains(s)));
    assert_eq!(rows[0].1, 1);
    assert_eq!(rows[1].1, 0);
    assert!(rows[0].0 > rows[1].0);
}

#[test]
fn a_line_without_two_columns_is_an_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.tsv");
    std::fs::write(&path, "h1\th2\nonly one column\n").unwrap();
    let out = briefing(&["similar", "--tsv", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.tsv:2"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn one_pair_is_explained_with_its_slots() {
    let out = briefing(&[
        "similar",
        "The company confirmed the plant will close on 30 December.",
        "The company denied the plant will close on November 30.",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("score "), "{text}");
    assert!(text.contains("dates differ: 12-30 vs 11-30"), "{text}");
    assert!(
        text.contains("stance differs: confirmed vs denied"),
        "{text}"
    );
}
