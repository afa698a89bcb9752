import os
import sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
for d, p in CORPORA:
    L, Q = load(d, p)
    full = [l["title"] + "\n" + l["content"] + "\n" + l["topic"] for l in L]
    E = embed(full); QE = embed([q["query"] for q in Q])
    bm = BM25([[l["title"], l["content"], l["topic"]] for l in L], [2, 1, 1.5])
    BS = [bm.score(toks(q["query"])) for q in Q]
    DS = [[dot(qe, e) for e in E] for qe in QE]
    print(p, "bm25 %.1f %.1f %.3f" % evaluate(L, Q, lambda i, q: BS[i]))
    print(p, "dense %.1f %.1f %.3f" % evaluate(L, Q, lambda i, q: DS[i]))
    for w in (0.4, 0.5, 0.6, 0.7):
        def f(i, q):
            b = BS[i]; mb = max(b) or 1
            return [(1-w)*x/mb + w*y for x, y in zip(b, minmax(DS[i]))]
        print(p, "hybrid w=%.1f %.1f %.1f %.3f" % ((w,) + evaluate(L, Q, f)))
