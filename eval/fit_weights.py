#!/usr/bin/env python3
"""Fit the matcher's feature weights (src/claims/matcher.rs WEIGHTS/BIAS) on MSRP train.

Runs `briefing similar --tsv` with BRIEFING_DUMP_PARTS set, so the tool writes each pair's
feature vector, then fits an L2-regularised logistic regression (plain gradient descent, standard
library only) and reports 5-fold cross-validated accuracy, so the figure is not in-sample.

    python3 eval/fit_weights.py [--bin target/release/briefing]

Prints a message and exits 0 when ../shared/eval is absent (the data is not part of the repo).
"""
import math, os, random, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSV = os.path.join(ROOT, "..", "shared", "eval", "msrp", "train.tsv")


def solve(A, v):
    """Gaussian elimination with partial pivoting."""
    n = len(v)
    M = [row[:] + [v[i]] for i, row in enumerate(A)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(M[r][c]))
        M[c], M[p] = M[p], M[c]
        for r in range(n):
            if r != c and M[c][c] != 0:
                f = M[r][c] / M[c][c]
                for k in range(c, n + 1):
                    M[r][k] -= f * M[c][k]
    return [M[i][n] / M[i][i] for i in range(n)]


def fit(X, y, l2=1e-3, iters=12):
    """Logistic regression by Newton's method (IRLS); returns (weights, bias)."""
    Z = [[1.0] + xi for xi in X]
    d = len(Z[0])
    th = [0.0] * d
    for _ in range(iters):
        g = [0.0] * d
        H = [[0.0] * d for _ in range(d)]
        for zi, yi in zip(Z, y):
            t = sum(a * c for a, c in zip(th, zi))
            p = 1 / (1 + math.exp(-max(-30, min(30, t))))
            e = p - yi
            s = p * (1 - p)
            for j in range(d):
                g[j] += e * zi[j]
                for k in range(d):
                    H[j][k] += s * zi[j] * zi[k]
        for j in range(1, d):
            g[j] += l2 * len(X) * th[j]
            H[j][j] += l2 * len(X)
        step = solve(H, g)
        th = [a - b for a, b in zip(th, step)]
    return th[1:], th[0]


def acc(X, y, w, b, t=0.5):
    ok = 0
    for xi, yi in zip(X, y):
        z = b + sum(a * c for a, c in zip(w, xi))
        ok += int((1 / (1 + math.exp(-z)) >= t) == (yi == 1))
    return ok / len(X)


def main():
    if not os.path.exists(TSV):
        print(f"fit_weights: {TSV} not found (../shared absent); nothing to do")
        return 0
    exe = sys.argv[sys.argv.index("--bin") + 1] if "--bin" in sys.argv else os.path.join(ROOT, "target", "release", "briefing")
    with tempfile.TemporaryDirectory() as tmp:
        parts = os.path.join(tmp, "parts.tsv")
        env = dict(os.environ, BRIEFING_DUMP_PARTS=parts)
        subprocess.run([exe, "similar", "--tsv", TSV], env=env, check=True, stdout=subprocess.DEVNULL)
        X = [[float(v) for v in line.split("\t")] for line in open(parts, encoding="utf-8").read().splitlines()]
    y = [int(line.split("\t")[0]) for line in open(TSV, encoding="utf-8").read().splitlines()[1:] if line]
    assert len(X) == len(y)
    idx = list(range(len(X)))
    random.Random(7).shuffle(idx)
    folds = [idx[k::5] for k in range(5)]
    accs = []
    for k in range(5):
        test = set(folds[k])
        tr = [i for i in idx if i not in test]
        w, b = fit([X[i] for i in tr], [y[i] for i in tr])
        accs.append(acc([X[i] for i in folds[k]], [y[i] for i in folds[k]], w, b))
    w, b = fit(X, y)
    print("5-fold CV accuracy: %.4f (folds %s)" % (sum(accs) / 5, " ".join("%.3f" % a for a in accs)))
    print("in-sample accuracy: %.4f" % acc(X, y, w, b))
    print("WEIGHTS: [%s]" % ", ".join("%.3f" % v for v in w))
    print("BIAS: %.3f" % b)
    return 0


if __name__ == "__main__":
    sys.exit(main())
