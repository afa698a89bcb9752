import os
import sys, re, math, statistics; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
def zs(v):
    m = statistics.mean(v); s = statistics.pstdev(v) or 1
    return [(x - m)/s for x in v]
allL = {p: load(d, p) for d, p in CORPORA}
# background df: all lessons of all corpora + all queries of other corpora
for d, p in CORPORA:
    L, Q = allL[p]
    full = embed([l["title"] + "\n" + l["content"] + "\n" + l["topic"] for l in L])
    QE = embed([q["query"] for q in Q])
    bm = BM25([[l["title"], l["content"], l["topic"]] for l in L], [2, 1, 1.5])
    bg = collections.Counter(); N = 0
    for p2, (L2, Q2) in allL.items():
        for l in L2: bg.update(set(toks(l["title"] + " " + l["content"]))); N += 1
    bidf = {t: max(1e-6, math.log((N - n + 0.5)/(n + 0.5))) for t, n in bg.items()}
    for mix in (0.0, 0.5, 1.0):
        saved = dict(bm.idf)
        bm.idf = {t: (1-mix)*v + mix*bidf.get(t, v) for t, v in saved.items()}
        def f(i, q):
            b = bm.score(toks(q["query"])); mb = max(b) or 1
            ds = minmax([dot(QE[i], e) for e in full])
            return [0.6*x/mb + 0.4*y for x, y in zip(b, ds)]
        def fz(i, q):
            return [0.6*x + 0.4*y for x, y in zip(zs(bm.score(toks(q["query"]))), zs([dot(QE[i], e) for e in full]))]
        print(p, f"bg-idf mix={mix}", "%.1f %.1f %.3f" % evaluate(L, Q, f), " z: %.1f %.1f %.3f" % evaluate(L, Q, fz))
        bm.idf = saved
