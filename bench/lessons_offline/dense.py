import os
import sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib import *
for d, p in CORPORA:
    L, Q = load(d, p)
    full = embed([l["title"] + "\n" + l["content"] + "\n" + l["topic"] for l in L])
    title = embed([l["title"] for l in L])
    content = embed([l["content"] for l in L])
    lsent = [embed([l["title"]] + sentences(l["content"])) for l in L]
    QE = embed([q["query"] for q in Q])
    qsent = [embed(sentences(q["query"]) or [q["query"]]) for q in Q]
    def run(name, f): print(p, name, "%.1f %.1f %.3f" % evaluate(L, Q, f))
    run("full", lambda i, q: [dot(QE[i], e) for e in full])
    run("title", lambda i, q: [dot(QE[i], e) for e in title])
    run("content", lambda i, q: [dot(QE[i], e) for e in content])
    run("t+c", lambda i, q: [dot(QE[i], a) + dot(QE[i], b) for a, b in zip(title, content)])
    run("maxsent(q full)", lambda i, q: [max(dot(QE[i], s) for s in ls) for ls in lsent])
    run("maxmax", lambda i, q: [max(dot(a, s) for a in qsent[i] for s in ls) for ls in lsent])
    run("mean-of-max (q sents)", lambda i, q: [sum(max(dot(a, s) for s in ls) for a in qsent[i]) / len(qsent[i]) for ls in lsent])
    run("full+maxsent", lambda i, q: [dot(QE[i], e) + max(dot(QE[i], s) for s in ls) for e, ls in zip(full, lsent)])
    # hubness: CSLS with lesson's mean sim to k nearest queries? use k nearest lessons (available in a store)
    k = 5
    hub = []
    for a in range(len(L)):
        sims = sorted((dot(full[a], full[b]) for b in range(len(L)) if b != a), reverse=True)[:k]
        hub.append(sum(sims)/k)
    for beta in (0.5, 1.0):
        run(f"full-csls{beta}", lambda i, q: [dot(QE[i], e) - beta*h/2 for e, h in zip(full, hub)])
    # centering: subtract corpus mean vector
    mu = [sum(c)/len(full) for c in zip(*full)]
    fullc = [norm([x - m for x, m in zip(e, mu)]) for e in full]
    run("full-centered", lambda i, q: [dot(norm([x - m for x, m in zip(QE[i], mu)]), e) for e in fullc])
