import os
import sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
for d, p in CORPORA:
    L, Q = load(d, p)
    full = embed([l["title"] + "\n" + l["content"] + "\n" + l["topic"] for l in L])
    QE = embed([q["query"] for q in Q])
    bm = BM25([[l["title"], l["content"], l["topic"]] for l in L], [2, 1, 1.5])
    ids = [l["id"] for l in L]
    either1 = either5 = 0
    for i, q in enumerate(Q):
        b = bm.score(toks(q["query"])); dv = [dot(QE[i], e) for e in full]
        rb = sorted(range(len(L)), key=lambda k: -b[k]).index(ids.index(q["expected"])) + 1
        rd = sorted(range(len(L)), key=lambda k: -dv[k]).index(ids.index(q["expected"])) + 1
        either1 += min(rb, rd) == 1; either5 += min(rb, rd) <= 5
    print(p, "oracle R@1 %.1f R@5 %.1f" % (100*either1/len(Q), 100*either5/len(Q)))
