#!/usr/bin/env python3
"""jstest check of a fitted map on the offline replica (a check only, never a fit).
Usage: jstest_check.py bm25|hybrid A B C THRESHOLD"""
import json, math, os, sys
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from replica import Corpus, embed
mode = sys.argv[1]; hybrid = mode == "hybrid"
a, b, c, thr = [float(x) for x in sys.argv[2:6]]
D = os.path.join(HERE, "..", "..", "..", "shared", "bench-data")
L = [json.loads(x) for x in open(f"{D}/jstest-lessons.jsonl")]
Q = [json.loads(x) for x in open(f"{D}/jstest-queries.jsonl")]
loc = json.load(open(f"{D}/locomo-dev.json"))
ood = [q["question"] for conv in loc for q in conv["qa"]][:100]
C = Corpus([(l["title"], l["content"], l.get("topic", "general")) for l in L], hybrid)
qv = embed([q["query"] for q in Q] + ood) if hybrid else [None] * (len(Q) + len(ood))
def p(cv, s): return 1 / (1 + math.exp(-(a + b * cv[1] + (c * s if hybrid else 0))))
r5a = r5b = 0
for k, q in enumerate(Q):
    got = C.top(q["query"], qv[k])
    want = 1 + [l["id"] for l in L].index(q["expected"])
    ids = [r for r, _, _ in got]
    kept = [r for r, cv, s in got if p(cv, s) >= thr]
    r5a += want in ids[:5]; r5b += want in kept[:5]
ab = 0
for j, q in enumerate(ood):
    got = C.top(q, qv[len(Q) + j], 5)
    ab += all(p(cv, s) < thr for _, cv, s in got)
print(mode, "replica jstest R@5 without", 100 * r5a / len(Q), "with", 100 * r5b / len(Q), "OOD abstain", ab)
