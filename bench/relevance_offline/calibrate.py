#!/usr/bin/env python3
"""Offline fit of the absolute-relevance maps (docs/RETRIEVAL.md, "Absolute relevance"):
the generated docs split and LoCoMo conv-30..43 questions of relevance_calibration.py,
features from replica.py. Usage: calibrate.py bm25|hybrid m  (m: the matched-idf map used;
"cov" and "both" are the alternatives compared). Prints coefficients, threshold, figures."""
import json, math, os, re, sys
HERE = os.path.dirname(os.path.abspath(__file__)); ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, HERE)
from replica import Corpus, embed
src = open(os.path.join(ROOT, "bench", "relevance_calibration.py")).read().split("conversations = json.load")[0]
src = src.replace('args = sys.argv[1:]', 'args=["x","y","--docs",os.environ.get("CALIB_DOCS", os.path.join(ROOT, "docs"))]')
exec(src)  # -> pairs (the same generated split as the engine-driven script)
loc = json.load(open(os.path.join(ROOT, "..", "shared", "bench-data", "locomo-dev.json")))
ood = [q["question"] for conv in loc[1:] for q in conv["qa"][:60]]
mode = sys.argv[1]
hybrid = mode == "hybrid"
lessons = [(t[:200], r, "docs") for q, t, r in pairs]
C = Corpus(lessons, hybrid)
qv = embed([q for q, _, _ in pairs] + ood) if hybrid else [None] * (len(pairs) + len(ood))
samples, indom, oodr = [], [], []
for k, (q, _, _) in enumerate(pairs):
    got = C.top(q, qv[k]); indom.append((got, k + 1))
    samples += [(c, s, 1 if r == k + 1 else 0) for r, c, s in got]
for j, q in enumerate(ood):
    got = C.top(q, qv[len(pairs) + j]); oodr.append(got)
    samples += [(c, s, 0) for r, c, s in got]
FE = sys.argv[2] if len(sys.argv) > 2 else "cov"
def feats(c, s):
    cov, m = c if isinstance(c, tuple) else (c, 0)
    base = [1.0, cov] if FE == "cov" else [1.0, m] if FE == "m" else [1.0, cov, m]
    return base + ([s] if hybrid else [])
def fit(rows):
    k = len(feats((0, 0), 0)); w = [0.0] * k
    for _ in range(60):
        g = [0.0] * k; H = [[0.0] * k for _ in range(k)]
        npos = sum(r[2] for r in rows); wpos = (len(rows) - npos) / max(1, npos)
        for c, s, y in rows:
            sw = wpos if y else 1.0
            x = feats(c, s); z = sum(a * b for a, b in zip(w, x)); p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            for i in range(k):
                g[i] += sw * (y - p) * x[i]
                for j in range(k): H[i][j] += sw * p * (1 - p) * x[i] * x[j]
        for i in range(k): H[i][i] += 1e-6
        m = [H[i][:] + [g[i]] for i in range(k)]
        for i in range(k):
            piv = max(range(i, k), key=lambda r: abs(m[r][i])); m[i], m[piv] = m[piv], m[i]
            for r in range(k):
                if r != i:
                    f = m[r][i] / m[i][i]; m[r] = [a - f * b for a, b in zip(m[r], m[i])]
        d = [m[i][k] / m[i][i] for i in range(k)]; w = [a + b for a, b in zip(w, d)]
        if max(abs(x) for x in d) < 1e-9: break
    return w
w = fit(samples)
def prob(c, s): return 1 / (1 + math.exp(-sum(a * b for a, b in zip(w, feats(c, s)))))
kept = sorted(prob(c, s) for got, want in indom for r, c, s in got[:5] if r == want)
allowed = math.floor(0.01 * len(indom))
thr = math.floor((kept[allowed] if kept else 0) * 1000) / 1000
def abst(t): return sum(1 for got in oodr if all(prob(c, s) < t for _, c, s in got[:5]))
print(json.dumps({"mode": mode, "pairs": len(pairs), "ood": len(ood), "samples": len(samples),
                  "positives": sum(y for *_, y in samples), "w": w, "threshold": thr,
                  "r5_without": 100 * len(kept) / len(indom), "r5_with": 100 * sum(1 for x in kept if x >= thr) / len(indom),
                  "ood_abstain": 100 * abst(thr) / len(oodr)}, indent=1))
# Distribution: calibration-positive probabilities (lowest 10) and OOD best probabilities.
print("lowest positives", [round(x, 3) for x in kept[:10]])
best = sorted(max([prob(c, s) for _, c, s in got[:5]] or [0]) for got in oodr)
print("ood best p quantiles", [round(best[int(q * (len(best) - 1))], 3) for q in (0.5, 0.8, 0.9, 0.95)])
