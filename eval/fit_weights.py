#!/usr/bin/env python3
"""Fit the matcher's feature weights (src/claims/matcher.rs WEIGHTS/BIAS).

One logistic model is fitted on two kinds of development data at once:
- MSRP train pairs (../shared/eval/msrp/train.tsv): `briefing similar --tsv` with
  BRIEFING_DUMP_PARTS set writes each pair's measurements;
- the development stories (../shared/eval/dev/*/): a build with BRIEFING_DUMP_PAIRS set writes
  every unit (sentence or clause) and every cross-article pair of units with its measurements;
  a pair is positive when both units contain mentions of one gold claim, negative when both
  contain gold mentions (of claims or singletons) but share no claim, and unused otherwise.

The stories' two classes weigh equally; all stories together weigh STORY_WEIGHT of MSRP. A
weight whose sign comes out against its part's meaning (SIGNS) is dropped and the rest refitted.
Reports MSRP accuracy at the build's threshold, ROC-AUC per data set, and leave-one-story-out
AUC (each story scored by a model fitted without it), so the figures are not only in-sample.

    python3 eval/fit_weights.py [--bin target/release/briefing] [--threshold 0.5]
                                [--story-weight 0.3] [--drop part,part,...]

The last line printed, BRIEFING_WEIGHTS=..., can be exported to try the fitted weights with the
eval scripts before writing them into matcher.rs (the binary reads that variable once).

Needs numpy. Prints a message and exits 0 when ../shared/eval is absent (the data is not part of
the repository).
"""
import json, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVAL = os.path.join(ROOT, "..", "shared", "eval")
TSV = os.path.join(EVAL, "msrp", "train.tsv")
STORY_WEIGHT = 0.3
# The parts in the order of matcher::Parts::as_array, each with its sign: +1 when more of it
# means more alike, -1 less alike.
PARTS = [
    ("dice", 1), ("min_cover", 1), ("words", 1), ("bigrams", 1), ("lone_numbers", -1),
    ("same_figure", 1), ("length_ratio", 1), ("same_quote_or_person", 1), ("lcs", 1),
    ("chars", 1), ("extra", -1), ("lone_names", -1), ("plain_dice", 1), ("same_numbers", 1),
    ("shared_mass", 1), ("rarest_shared", 1), ("pinned_slot", 1), ("extra_both", -1),
    ("indel", -1), ("negation", -1), ("contained", 1), ("chars_min", 1), ("length_gap", -1),
    ("words_min", 1),
]
SIGNS = [s for _, s in PARTS]


def arg(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def words(s):
    return [w for w in re.split(r"[^a-z0-9]+", s.lower()) if w]


def story_pairs(exe, story_dir, tmp, np):
    sys.path.insert(0, EVAL)
    import story_score

    gold = json.load(open(os.path.join(story_dir, "gold.json"), encoding="utf-8"))
    res = story_score.Resolver(story_dir, gold)
    site = os.path.join(tmp, os.path.basename(story_dir))
    os.makedirs(site, exist_ok=True)
    with open(os.path.join(site, "site.toml"), "w", encoding="utf-8") as f:
        f.write('title = "fit"\ncontent_dir = %s\n' % json.dumps(os.path.abspath(story_dir)))
    dump = os.path.join(site, "pairs.tsv")
    env = dict(os.environ, BRIEFING_DUMP_PAIRS=dump)
    subprocess.run([exe, "build", "--config", os.path.join(site, "site.toml"), "--output",
                    os.path.join(site, "public")], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Gold mentions as word lists, by article index (files are read in name order).
    keys = sorted(gold["files"], key=lambda k: story_score.file_of(gold["files"][k]))
    index = {k: i for i, k in enumerate(keys)}
    items = []
    for label, ms in gold["clusters"].items():
        for k, s in map(res.mention, ms):
            items.append((index[k], words(s), label))
    for k, s in map(res.mention, gold.get("singletons", [])):
        items.append((index[k], words(s), None))
    units, X, y = {}, [], []
    labels = {}

    def label_of(i):
        if i not in labels:
            art, text = units[i]
            ws = set(words(text))
            found = [l for a, t, l in items if a == art and t and sum(w in ws for w in t) >= 0.8 * len(t)]
            labels[i] = {l for l in found if l} if found else None
        return labels[i]

    for line in open(dump, encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if f[0] == "U":
            units[int(f[1])] = (int(f[2]), f[6])
            continue
        a, b = label_of(int(f[1])), label_of(int(f[2]))
        if a is None or b is None:
            continue
        X.append([float(v) for v in f[5:]])
        y.append(1 if a & b else 0)
    return np.array(X), np.array(y)


def main():
    if not os.path.exists(TSV) or not os.path.isdir(os.path.join(EVAL, "dev")):
        print(f"fit_weights: {EVAL} not found (../shared absent); nothing to do")
        return 0
    try:
        import numpy as np
    except ImportError:
        print("fit_weights: needs numpy (pip install numpy)")
        return 2
    exe = arg("--bin", os.path.join(ROOT, "target", "release", "briefing"))
    threshold = float(arg("--threshold", "0.5"))
    global STORY_WEIGHT
    STORY_WEIGHT = float(arg("--story-weight", str(STORY_WEIGHT)))
    dropped = {n for n in arg("--drop", "").split(",") if n}
    unknown = dropped - {n for n, _ in PARTS}
    if unknown:
        print("fit_weights: unknown parts %s" % sorted(unknown))
        return 2

    def fit(sets, cols, l2=1e-3, iters=25):
        X = np.vstack([d[0][:, cols] for d in sets])
        y = np.concatenate([d[1] for d in sets])
        w = [np.full(len(sets[0][1]), 1.0 / len(sets[0][1]))]
        for Xs, ys in sets[1:]:
            pos, neg = ys.sum(), len(ys) - ys.sum()
            share = STORY_WEIGHT / (len(sets) - 1)
            w.append(np.where(ys == 1, share * 0.5 / pos, share * 0.5 / neg))
        w = np.concatenate(w)
        w /= w.mean()
        Z = np.hstack([np.ones((len(X), 1)), X])
        th = np.zeros(Z.shape[1])
        for _ in range(iters):
            p = 1 / (1 + np.exp(-np.clip(Z @ th, -30, 30)))
            g = Z.T @ (w * (p - y))
            H = (Z * (w * p * (1 - p))[:, None]).T @ Z
            reg = l2 * w.sum() * np.eye(len(th))
            reg[0, 0] = 0
            th -= np.linalg.solve(H + reg, g + reg @ th)
        return th

    def signed_fit(sets):
        cols = [c for c in range(sets[0][0].shape[1]) if PARTS[c][0] not in dropped]
        while True:
            th = fit(sets, cols)
            wrong = [(th[1 + k] * SIGNS[c], c) for k, c in enumerate(cols) if th[1 + k] * SIGNS[c] < 0]
            if not wrong:
                full = np.zeros(sets[0][0].shape[1] + 1)
                full[0] = th[0]
                for k, c in enumerate(cols):
                    full[1 + c] = th[1 + k]
                return full
            cols.remove(min(wrong)[1])

    def prob(th, X):
        return 1 / (1 + np.exp(-(th[0] + X @ th[1:])))

    def auc(s, y):
        order = np.argsort(s, kind="stable")
        rank = np.empty(len(s))
        rank[order] = np.arange(1, len(s) + 1)
        pos = y.sum()
        return (rank[y == 1].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos))

    with tempfile.TemporaryDirectory() as tmp:
        parts = os.path.join(tmp, "parts.tsv")
        env = dict(os.environ, BRIEFING_DUMP_PARTS=parts)
        subprocess.run([exe, "similar", "--tsv", TSV], env=env, check=True, stdout=subprocess.DEVNULL)
        Xm = np.array([[float(v) for v in l.split("\t")[:-6]] for l in open(parts, encoding="utf-8").read().splitlines()])
        ym = np.array([int(l.split("\t")[0]) for l in open(TSV, encoding="utf-8").read().splitlines()[1:] if l])
        stories = {}
        for name in sorted(os.listdir(os.path.join(EVAL, "dev"))):
            d = os.path.join(EVAL, "dev", name)
            if os.path.isfile(os.path.join(d, "gold.json")):
                stories[name] = story_pairs(exe, d, tmp, np)
    th = signed_fit([(Xm, ym)] + list(stories.values()))
    pm = prob(th, Xm)
    print("MSRP: accuracy %.4f at threshold %.2f, ROC-AUC %.4f (in-sample)"
          % (((pm >= threshold) == (ym == 1)).mean(), threshold, auc(pm, ym)))
    # MSRP held out: 10 folds, each scored by a model fitted (same parts) without it.
    folds = np.random.RandomState(0).randint(0, 10, len(ym))
    cv = np.zeros(len(ym))
    for k in range(10):
        tr = folds != k
        cols = [c for c in range(len(th) - 1) if th[1 + c] != 0]
        sub = fit([(Xm[tr], ym[tr])] + list(stories.values()), cols)
        full = np.zeros(len(th))
        full[0] = sub[0]
        full[[1 + c for c in cols]] = sub[1:]
        cv[~tr] = prob(full, Xm[~tr])
    print("MSRP 10-fold: accuracy %.4f at threshold %.2f, ROC-AUC %.4f (held out)"
          % (((cv >= threshold) == (ym == 1)).mean(), threshold, auc(cv, ym)))
    for name, (X, y) in stories.items():
        others = [v for k, v in stories.items() if k != name]
        held = signed_fit([(Xm, ym)] + others)
        print("%s: %d pairs (%d same claim), ROC-AUC %.4f in-sample, %.4f left out"
              % (name, len(y), y.sum(), auc(prob(th, X), y), auc(prob(held, X), y)))
    print("WEIGHTS: [%s]" % ", ".join("%.3f" % v for v in th[1:]))
    print("BIAS: %.3f" % th[0])
    print("kept: %s" % " ".join(PARTS[c][0] for c in range(len(PARTS)) if th[1 + c] != 0))
    # To try these weights without rebuilding (eval/claims_pairs.sh, eval/claims_stories.sh):
    print("BRIEFING_WEIGHTS=%s" % ",".join("%.3f" % v for v in th))
    return 0


if __name__ == "__main__":
    sys.exit(main())
