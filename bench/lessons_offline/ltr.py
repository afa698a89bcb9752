import os
import sys, re, math, random, statistics; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
def zs(v):
    m = statistics.mean(v); s = statistics.pstdev(v) or 1
    return [(x - m)/s for x in v]
def mx(v):
    m = max(v) or 1; return [x/m for x in v]
FEATS = {}
for d, p in CORPORA:
    L, Q = load(d, p)
    full = embed([l["title"] + "\n" + l["content"] + "\n" + l["topic"] for l in L])
    tit = embed([l["title"] for l in L]); con = embed([l["content"] for l in L])
    lsent = [embed([l["title"]] + sentences(l["content"])) for l in L]
    QE = embed([q["query"] for q in Q])
    bm = BM25([[l["title"], l["content"], l["topic"]] for l in L], [2, 1, 1.5])
    bt = BM25([[l["title"]] for l in L], [1]); bc = BM25([[l["content"]] for l in L], [1])
    rows = []
    for i, q in enumerate(Q):
        qt = toks(q["query"])
        qidf = sum(bm.idf.get(t, 0) for t in set(qt)) or 1
        cov = [sum(bm.idf.get(t, 0) for t in set(qt) if any(t in c for c in doc))/qidf for doc in bm.docs]
        F = [mx(bm.score(qt)), mx(bt.score(qt)), mx(bc.score(qt)),
             zs([dot(QE[i], e) for e in full]), zs([dot(QE[i], e) for e in tit]), zs([dot(QE[i], e) for e in con]),
             zs([max(dot(QE[i], s) for s in ls) for ls in lsent]), cov,
             zs(bm.score(qt))]
        rows.append([list(x) for x in zip(*F)])
    FEATS[p] = (L, Q, rows)
NF = len(next(iter(FEATS.values()))[2][0][0])
def train(names, l2=0.01, epochs=60, lr=0.1):
    w = [0.0]*NF; random.seed(1)
    pairs = []
    for p in names:
        L, Q, rows = FEATS[p]; ids = [l["id"] for l in L]
        for i, q in enumerate(Q):
            pos = ids.index(q["expected"])
            for j in range(len(L)):
                if j != pos: pairs.append([a - b for a, b in zip(rows[i][pos], rows[i][j])])
    for ep in range(epochs):
        random.shuffle(pairs)
        for x in pairs:
            s = sum(a*b for a, b in zip(w, x))
            g = 1/(1 + math.exp(min(30, s)))  # d/dw log sigmoid
            for k in range(NF): w[k] += lr*(g*x[k] - l2*w[k])/10
    return w
def test(p, w):
    L, Q, rows = FEATS[p]
    return evaluate(L, Q, lambda i, q: [sum(a*b for a, b in zip(w, r)) for r in rows[i]])
names = list(FEATS)
for p in names:
    others = [x for x in names if x != p]
    w = train(others)
    print(f"test {p} train {others}: %.1f %.1f %.3f" % test(p, w), " w=", [round(x, 2) for x in w])
