"""The lexicon's features, as src/claims/lexicon.rs computes them (read that file's header):
hashed words and bigrams two sentences share, words and bigrams one has alone, and pairs of
lone words (substitutions). Used by fit_model.py, which fits the lexicon's logistic model on
MSRP train and writes src/claims/lexicon.bin.

A sentence is given as its words joined by spaces (what the binary's dumps print as
`Features::words`).

For experiments, LEXICON_KINDS (comma-separated, default all: shared, lone, bishared, bilone,
swap) leaves kinds of features out of the fit; their weights are then 0, so the binary reads
the resulting file as the fit does."""

import os

SHARED = 0
LONE = 0x5555555555555555
SWAP = 0xAAAAAAAAAAAAAAAA
GOLDEN = 0x9E3779B97F4A7C15
MASK = (1 << 64) - 1
MAX_SWAP = 24
BITS = 18


def fnv(data, h=0xCBF29CE484222325):
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & MASK
    return h


def tokens(words):
    ws = words.split(" ") if words else []
    uni = sorted({fnv(w.encode()) >> 32 for w in ws})
    bi = sorted({fnv((a + " " + b).encode()) >> 32 for a, b in zip(ws, ws[1:])})
    return uni, bi


def place(kind, h, bits):
    return (((h ^ kind) * GOLDEN) & MASK) >> (64 - bits)


KINDS = os.environ.get("LEXICON_KINDS", "shared,lone,bishared,bilone,swap").split(",")


def features(ta, tb, bits):
    """The places a pair's features read, one per feature (a place may repeat)."""
    out = []
    (ua, ba), (ub, bb) = ta, tb
    sa, sb = set(ua), set(ub)
    if "shared" in KINDS:
        out += [place(SHARED, h, bits) for h in ua if h in sb]
    lone_a = [h for h in ua if h not in sb]
    lone_b = [h for h in ub if h not in sa]
    if "lone" in KINDS:
        out += [place(LONE, h, bits) for h in lone_a + lone_b]
    sba, sbb = set(ba), set(bb)
    if "bishared" in KINDS:
        out += [place(SHARED, h, bits) for h in ba if h in sbb]
    if "bilone" in KINDS:
        out += [place(LONE, h, bits) for h in ba if h not in sbb]
        out += [place(LONE, h, bits) for h in bb if h not in sba]
    for x in (lone_a[:MAX_SWAP] if "swap" in KINDS else []):
        for y in lone_b[:MAX_SWAP]:
            lo, hi = min(x, y), max(x, y)
            out.append(place(SWAP, (lo << 32) | hi, bits))
    return out


def matrix(np, sp, pairs, bits=None):
    bits = bits or BITS
    """A sparse matrix of feature counts, one row per pair of word strings."""
    rows, cols = [], []
    cache = {}

    def tok(w):
        if w not in cache:
            cache[w] = tokens(w)
        return cache[w]

    for i, (a, b) in enumerate(pairs):
        f = features(tok(a), tok(b), bits)
        rows += [i] * len(f)
        cols += f
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(pairs), 1 << bits))


# The logistic model's inverse regularisation strength: 0.3 against 1.0 moved the MSRP 5-fold
# check by less than its noise; the smaller keeps rare features' weights small.
C = 0.3


class Model:
    """A fitted lexicon: bias and one weight per place (quantised as the file stores them)."""

    def __init__(self, bias, weights):
        self.bias, self.weights = bias, weights

    def value(self, np, M):
        return 1.0 / (1.0 + np.exp(-(self.bias + M @ self.weights)))


def fit(np, M, y, quantise=False):
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=C, max_iter=5000).fit(M, y)
    w, bias = m.coef_[0].astype(float), float(m.intercept_[0])
    if quantise:
        scale = float(np.abs(w).max()) / 32767.0
        q = np.round(w / scale).astype(np.int16)
        model = Model(bias, q.astype(float) * scale)
        model.q, model.scale = q, scale
        return model
    return Model(bias, w)


FOLDS = 5


def out_of_fold(np, M, y, folds=None, seed=99):
    """Each pair's value from a model fitted without its fold (the trees are fitted on these,
    as the lexicon meets new pairs in use)."""
    folds = folds or FOLDS
    f = np.random.RandomState(seed).randint(0, folds, len(y))
    v = np.zeros(len(y))
    for k in range(folds):
        v[f == k] = fit(np, M[f != k], y[f != k]).value(np, M[f == k])
    return v


def write(model, path, bits=None):
    bits = bits or BITS
    with open(path, "wb") as f:
        f.write(("briefing lexicon 1\nbits %d\nbias %r\nscale %r\ndata\n"
                 % (bits, model.bias, model.scale)).encode())
        f.write(model.q.astype("<i2").tobytes())
