import os
import sys, re; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
for d, p in CORPORA:
    L, Q = load(d, p)
    full = embed([l["title"] + "\n" + l["content"] + "\n" + l["topic"] for l in L])
    QE = embed([q["query"] for q in Q])
    bm = BM25([[l["title"], l["content"], l["topic"]] for l in L], [2, 1, 1.5])
    def kw(s, n):
        ws = [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", s) if w.lower() not in STOP]
        ws = sorted(dict.fromkeys(ws), key=lambda w: -bm.idf.get(stem(w.lower()), 8.0))[:n]
        return " ".join(ws)
    for n in (8, 16, 32):
        QK = embed([kw(q["query"], n) for q in Q])
        print(p, f"q-kw{n}", "%.1f %.1f %.3f" % evaluate(L, Q, lambda i, q: [dot(QK[i], e) for e in full]))
        print(p, f"q-kw{n}+full", "%.1f %.1f %.3f" % evaluate(L, Q, lambda i, q: [dot(QK[i], e) + dot(QE[i], e) for e in full]))
    print(p, "full", "%.1f %.1f %.3f" % evaluate(L, Q, lambda i, q: [dot(QE[i], e) for e in full]))
