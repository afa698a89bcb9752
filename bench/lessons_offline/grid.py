import os
import sys, itertools, statistics; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
data = {}
for d, p in CORPORA:
    L, Q = load(d, p)
    full = embed([l["title"] + "\n" + l["content"] + "\n" + l["topic"] for l in L])
    QE = embed([q["query"] for q in Q])
    data[p] = (L, Q, full, QE)
def zs(v):
    m = statistics.mean(v); s = statistics.pstdev(v) or 1
    return [(x - m)/s for x in v]
def rrf(*lists, k=60):
    out = [0.0]*len(lists[0])
    for v in lists:
        order = sorted(range(len(v)), key=lambda i: -v[i])
        for r, i in enumerate(order): out[i] += 1/(k + r + 1)
    return out
def run(cfg):
    res = {}
    for p, (L, Q, full, QE) in data.items():
        bm = BM25([[l["title"], l["content"], l["topic"]] for l in L], [cfg["tw"], 1, cfg["pw"]], k1=cfg["k1"], b=cfg["b"])
        def f(i, q):
            qt = toks(q["query"])
            b = bm.score(qt)
            dv = [dot(QE[i], e) for e in full]
            if cfg.get("prf"):
                order = sorted(range(len(L)), key=lambda k: -b[k])[:cfg["prf"]]
                # dense rocchio
                qv = [x + cfg["alpha"]*sum(full[k][j] for k in order)/len(order) for j, x in enumerate(QE[i])]
                dv = [dot(qv, e) for e in full]
            if cfg["norm"] == "max":
                mb = max(b) or 1; lb = [x/mb for x in b]; sd = minmax(dv)
            elif cfg["norm"] == "z":
                lb = zs(b); sd = zs(dv)
            elif cfg["norm"] == "rrf":
                return rrf(b, dv)
            w = cfg["w"]
            return [(1-w)*x + w*y for x, y in zip(lb, sd)]
        res[p] = evaluate(L, Q, f)
    return res
base = dict(tw=2, pw=1.5, k1=1.2, b=0.75, norm="max", w=0.4)
def show(name, cfg):
    r = run(cfg)
    print(f"{name:40s}", "  ".join(f"{p} {a:.1f}/{b:.1f}/{c:.3f}" for p, (a, b, c) in r.items()))
show("base", base)
for k, vals in dict(tw=[1, 3], pw=[0, 1], k1=[0.9, 1.6, 2.0], b=[0.5, 0.9, 1.0], w=[0.3, 0.5], norm=["z", "rrf"]).items():
    for v in vals: show(f"{k}={v}", dict(base, **{k: v}))
for z in (0.3, 0.4, 0.5): show(f"z w={z}", dict(base, norm="z", w=z))
for prf, a in itertools.product((3, 5), (0.3, 0.6, 1.0)): show(f"dense-prf {prf} a={a}", dict(base, prf=prf, alpha=a))
