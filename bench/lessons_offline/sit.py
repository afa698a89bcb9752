import os
import sys, json; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
d, p = "bench/data", "devlessons"
L, Q = load(d, p)
S = [json.loads(x)["situation"] for x in open(f"{d}/{p}-situations.jsonl")]
full = embed([l["title"] + "\n" + l["content"] + "\n" + l["topic"] for l in L])
fulls = embed([l["title"] + "\n" + l["content"] + "\n" + l["topic"] + "\n" + s for l, s in zip(L, S)])
SE = embed(S)
QE = embed([q["query"] for q in Q])
for sw in (0, 1, 2):
    bm = BM25([[l["title"], l["content"], l["topic"], s] for l, s in zip(L, S)], [2, 1, 1.5, sw])
    BS = [bm.score(toks(q["query"])) for q in Q]
    print("bm25 sit-weight", sw, "%.1f %.1f %.3f" % evaluate(L, Q, lambda i, q: BS[i]))
    for name, dfn in [("full", lambda i: [dot(QE[i], e) for e in full]),
                      ("full+sit text", lambda i: [dot(QE[i], e) for e in fulls]),
                      ("max(full, sit)", lambda i: [max(dot(QE[i], e), dot(QE[i], s)) for e, s in zip(full, SE)])]:
        def f(i, q):
            b = BS[i]; mb = max(b) or 1
            return [0.6*x/mb + 0.4*y for x, y in zip(b, minmax(dfn(i)))]
        print("   hybrid dense=", name, "%.1f %.1f %.3f" % evaluate(L, Q, f), " dense-only %.1f %.1f %.3f" % evaluate(L, Q, lambda i, q: dfn(i)))
