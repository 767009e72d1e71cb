//! The pair model: gradient-boosted regression trees over a pair's measurements
//! (`matcher::Parts`), fitted by `eval/fit_model.py` and shipped as `model.txt` beside this file.
//!
//! Trees rather than one weighted sum: the pairs the model must tell apart live in different
//! regimes. Paraphrase pairs from news share most of their words and differ by an added fact;
//! the pairs of a story range from unrelated to heavily reworded. A linear logit has to trade
//! one regime against the other (the earlier logistic model did); shallow trees can ask "much
//! shared, but one side adds a fact?" and "little shared, but the rarest term agrees?" apart.
//! Each tree reads at most two measurements, so the model stays small and general.
//!
//! The file format (text, one item a line; `#` starts a comment line):
//! `parts N`, `base LOGIT`, `rate R`, then for each tree a `tree` line followed by its nodes in
//! index order, `PART THRESHOLD LEFT RIGHT VALUE` (PART is -1 for a leaf; a pair goes LEFT when
//! its measurement, read as a 32-bit float as the fitting library does, is at most THRESHOLD).
//! The logit is `base + rate × Σ leaf values`.

use std::fmt;

/// The most measurements a model may read (so a pair's measurements fit on the stack).
const MAX_PARTS: usize = 64;

/// One node of a tree: a split on a part, or a leaf.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Node {
    /// The part the node splits on; `None` for a leaf.
    part: Option<usize>,
    threshold: f64,
    left: usize,
    right: usize,
    /// The tree's output at this node (a leaf's is what the tree adds; an inner node's is the
    /// mean its subtree was fitted to, used to explain a score).
    value: f64,
}

/// A fitted ensemble of regression trees.
#[derive(Debug, Clone, PartialEq)]
pub struct Forest {
    parts: usize,
    base: f64,
    rate: f64,
    trees: Vec<Vec<Node>>,
}

/// What is wrong with a model file, and on which line (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ModelError {}

impl Forest {
    /// Reads a model in the text format above; every tree is checked (children in range and
    /// after their parent, so evaluation always ends at a leaf; parts in range).
    pub fn parse(text: &str) -> Result<Forest, ModelError> {
        let mut parts = None;
        let mut base = None;
        let mut rate = None;
        let mut trees: Vec<Vec<Node>> = Vec::new();
        let mut last = 0;
        for (k, raw) in text.lines().enumerate() {
            let line = raw.trim();
            let at = k + 1;
            last = at;
            let err = |message: String| ModelError { line: at, message };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split_whitespace().collect();
            let num = |s: &str| -> Result<f64, ModelError> {
                s.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| err(format!("`{s}` is not a finite number")))
            };
            let int = |s: &str| -> Result<i64, ModelError> {
                s.parse::<i64>()
                    .map_err(|_| err(format!("`{s}` is not a whole number")))
            };
            match fields.as_slice() {
                ["parts", n] => {
                    let n = int(n)?;
                    if !(0..=MAX_PARTS as i64).contains(&n) {
                        return Err(err(format!("parts must be from 0 to {MAX_PARTS}")));
                    }
                    parts = Some(n as usize)
                }
                ["base", x] => base = Some(num(x)?),
                ["rate", x] => rate = Some(num(x)?),
                ["tree"] => trees.push(Vec::new()),
                [p, t, l, r, v] => {
                    let tree = trees
                        .last_mut()
                        .ok_or_else(|| err("a node before the first `tree` line".into()))?;
                    let n = parts.ok_or_else(|| err("a node before the `parts` line".into()))?;
                    let (p, t, l, r, v) = (int(p)?, num(t)?, int(l)?, int(r)?, num(v)?);
                    let node = if p < 0 {
                        Node {
                            part: None,
                            threshold: 0.0,
                            left: 0,
                            right: 0,
                            value: v,
                        }
                    } else {
                        let here = tree.len() as i64;
                        if p as usize >= n {
                            return Err(err(format!("part {p} is not below {n}")));
                        }
                        if l <= here || r <= here {
                            return Err(err("a child must come after its node".into()));
                        }
                        Node {
                            part: Some(p as usize),
                            threshold: t,
                            left: l as usize,
                            right: r as usize,
                            value: v,
                        }
                    };
                    tree.push(node);
                }
                _ => return Err(err(format!("cannot read `{line}`"))),
            }
        }
        let missing = |what: &str| ModelError {
            line: last,
            message: format!("no `{what}` line"),
        };
        let forest = Forest {
            parts: parts.ok_or_else(|| missing("parts"))?,
            base: base.ok_or_else(|| missing("base"))?,
            rate: rate.ok_or_else(|| missing("rate"))?,
            trees,
        };
        for (k, tree) in forest.trees.iter().enumerate() {
            let bad = tree.is_empty()
                || tree
                    .iter()
                    .any(|n| n.part.is_some() && (n.left >= tree.len() || n.right >= tree.len()));
            if bad {
                return Err(ModelError {
                    line: last,
                    message: format!("tree {} is empty or has a child out of range", k + 1),
                });
            }
        }
        Ok(forest)
    }

    /// How many measurements the model reads.
    pub fn parts(&self) -> usize {
        self.parts
    }

    /// The path of `x` through `tree`: the node indices from the root to a leaf.
    fn walk<'a>(tree: &'a [Node], x: &'a [f64]) -> impl Iterator<Item = &'a Node> + 'a {
        let mut at = Some(0usize);
        std::iter::from_fn(move || {
            let node = &tree[at?];
            at = node.part.map(|p| {
                // Compared as the fitting library compares: the measurement as a 32-bit float.
                if f64::from(x[p] as f32) <= node.threshold {
                    node.left
                } else {
                    node.right
                }
            });
            Some(node)
        })
    }

    /// The model's log-odds that the pair with measurements `x` states one claim. (The hot
    /// path of scoring: every candidate pair walks every tree, so the measurements are rounded
    /// to 32 bits once, and the walk is a plain loop.)
    pub fn logit(&self, x: &[f64]) -> f64 {
        let mut x32 = [0.0f64; MAX_PARTS];
        for (r, &v) in x32.iter_mut().zip(x) {
            *r = f64::from(v as f32);
        }
        let mut sum = 0.0;
        for tree in &self.trees {
            let mut at = 0;
            loop {
                let node = &tree[at];
                match node.part {
                    None => {
                        sum += node.value;
                        break;
                    }
                    Some(p) => {
                        at = if x32[p] <= node.threshold {
                            node.left
                        } else {
                            node.right
                        }
                    }
                }
            }
        }
        self.base + self.rate * sum
    }

    /// The logit taken apart: the part every pair starts from (the base and each tree's root),
    /// and each measurement's share, the changes of the trees' values at the splits on it along
    /// the pair's paths. The start and the shares add up to [`Forest::logit`] (up to rounding).
    pub fn explain(&self, x: &[f64]) -> (f64, Vec<f64>) {
        let mut start = self.base;
        let mut shares = vec![0.0; self.parts];
        for tree in &self.trees {
            start += self.rate * tree[0].value;
            let path: Vec<&Node> = Self::walk(tree, x).collect();
            for w in path.windows(2) {
                if let Some(p) = w[0].part {
                    shares[p] += self.rate * (w[1].value - w[0].value);
                }
            }
        }
        (start, shares)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Two stumps over two parts: part 0 up means "same", part 1 up means "different".
    const SMALL: &str = "# test\nparts 2\nbase -0.5\nrate 0.5\n\
        tree\n0 0.5 1 2 0.0\n-1 0 -1 -1 -1.0\n-1 0 -1 -1 2.0\n\
        tree\n1 0.25 1 2 0.1\n-1 0 -1 -1 0.6\n-1 0 -1 -1 -1.4\n";

    #[test]
    fn a_pair_takes_each_trees_leaf_on_its_side_of_each_split() {
        let f = Forest::parse(SMALL).unwrap();
        // Part 0 high, part 1 low: -0.5 + 0.5 × (2.0 + 0.6).
        assert!((f.logit(&[0.9, 0.1]) - 0.8).abs() < 1e-12);
        // Part 0 low, part 1 high: -0.5 + 0.5 × (-1.0 - 1.4).
        assert!((f.logit(&[0.2, 0.9]) + 1.7).abs() < 1e-12);
        // At the threshold a pair goes left.
        assert!((f.logit(&[0.5, 0.25]) - (-0.5 + 0.5 * (-1.0 + 0.6))).abs() < 1e-12);
    }

    #[test]
    fn the_explanation_adds_up_to_the_logit_and_blames_the_split_parts() {
        let f = Forest::parse(SMALL).unwrap();
        let x = [0.9, 0.9];
        let (start, shares) = f.explain(&x);
        assert!((start + shares.iter().sum::<f64>() - f.logit(&x)).abs() < 1e-12);
        assert!(shares[0] > 0.0, "part 0 high pushes towards the same claim");
        assert!(shares[1] < 0.0, "part 1 high pushes away");
    }

    /// The logit by the plain walk of each tree (what `explain` follows).
    fn logit_by_walk(f: &Forest, x: &[f64]) -> f64 {
        let mut sum = 0.0;
        for tree in &f.trees {
            sum += Forest::walk(tree, x).last().map_or(0.0, |n| n.value);
        }
        f.base + f.rate * sum
    }

    #[test]
    fn the_fast_walk_gives_the_plain_walks_logit_to_the_bit() {
        let f = Forest::parse(include_str!("model.txt")).unwrap();
        let mut seed = 12345u64;
        for _ in 0..200 {
            let x: Vec<f64> = (0..f.parts())
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 11) as f64 / (1u64 << 53) as f64 * 1.5
                })
                .collect();
            assert_eq!(f.logit(&x).to_bits(), logit_by_walk(&f, &x).to_bits());
            let (start, shares) = f.explain(&x);
            assert!((start + shares.iter().sum::<f64>() - f.logit(&x)).abs() < 1e-9);
        }
    }

    #[test]
    fn a_broken_model_is_refused_with_its_line() {
        let e = Forest::parse("parts 2\nbase 0\nrate 0.1\ntree\n0 0.5 0 2 0.0\n").unwrap_err();
        assert_eq!(e.line, 5, "{e}");
        let e = Forest::parse("parts 65\nbase 0\nrate 1\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
        let e = Forest::parse("parts 2\nbase 0\nrate x\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        let e = Forest::parse("parts 2\nbase 0\ntree\n-1 0 -1 -1 1\n").unwrap_err();
        assert!(e.message.contains("rate"), "{e}");
        let e = Forest::parse("parts 2\nbase 0\nrate 1\ntree\n5 0.5 1 2 0\n").unwrap_err();
        assert!(e.message.contains("part 5"), "{e}");
        let e = Forest::parse("parts 2\nbase 0\nrate 1\ntree\n0 0.5 1 7 0\n-1 0 -1 -1 1\n")
            .unwrap_err();
        assert!(e.message.contains("out of range"), "{e}");
    }

    #[test]
    fn the_shipped_model_reads_every_measurement_the_matcher_makes() {
        let f = Forest::parse(include_str!("model.txt")).expect("the shipped model parses");
        assert_eq!(f.parts(), crate::claims::matcher::Parts::NAMES.len());
        assert!(f.trees.len() >= 10);
    }
}
