import os
import sys, re, math; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
for d, p in CORPORA:
    L, Q = load(d, p)
    full = embed([l["title"] + "\n" + l["content"] + "\n" + l["topic"] for l in L])
    QE = embed([q["query"] for q in Q])
    bm = BM25([[l["title"], l["content"], l["topic"]] for l in L], [2, 1, 1.5])
    # surface words per stem for embedding: use raw lowercase words
    def words(s): return [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", s) if w.lower() not in STOP]
    dw = [set(words(l["title"] + " " + l["content"])) for l in L]
    vocab = sorted(set().union(*dw) | set(w for q in Q for w in words(q["query"])))
    V = dict(zip(vocab, embed(vocab)))
    df = collections.Counter(w for s in dw for w in s); N = len(L)
    idf = {w: math.log((N - n + 0.5)/(n + 0.5)) if n < N/2 else 0.01 for w, n in df.items()}
    for theta in (0.5, 0.6, 0.7):
        soft = []
        for q in Q:
            qw = set(words(q["query"]))
            row = []
            for s in dw:
                sc = 0
                for t in qw:
                    if t in s: continue
                    best, bu = 0, None
                    for u in s:
                        c = dot(V[t], V[u])
                        if c > best: best, bu = c, u
                    if best >= theta: sc += best * idf.get(bu, 0)
                row.append(sc)
            soft.append(row)
        for lam in (0.3, 0.6):
            def f(i, q):
                b = bm.score(toks(q["query"])); mb = max(b) or 1
                s = soft[i]; ms = max(s) or 1
                ds = minmax([dot(QE[i], e) for e in full])
                lex = [x/mb + lam*y/ms for x, y in zip(b, s)]; ml = max(lex) or 1
                return [0.6*x/ml + 0.4*y for x, y in zip(lex, ds)]
            print(p, f"soft th={theta} lam={lam}", "%.1f %.1f %.3f" % evaluate(L, Q, f))
    print(p, "soft-only th=0.6", "%.1f %.1f %.3f" % evaluate(L, Q, lambda i, q: soft[i]))
