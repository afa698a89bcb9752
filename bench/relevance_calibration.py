#!/usr/bin/env python3
"""Fits the absolute-relevance calibration of engram's lesson search
(docs/RETRIEVAL.md, "Absolute relevance"; src/engine/relevance.cc).

Usage: relevance_calibration.py ENGRAM LOCOMO_JSON [--docs DIR] [--ood N]
Run it once with the native embedder (hybrid) and once with ENGRAM_EMBEDDER=none
(BM25 only); it fits the map of the mode the binary runs in.

Data (neither the jstest lessons nor the LoCoMo questions of the
out-of-domain check, which are the first 100 of conv-26):
  - in domain, generated: every prose paragraph of engram's own docs (DIR,
    default ../docs next to this script) with at least two sentences is cut
    in two: its first sentence is the query, the rest (under the section
    heading as title) is a lesson. The relevant lesson of a query is the rest
    of its own paragraph.
  - out of domain: the first N questions (default 60) of each LoCoMo
    conversation but the first (conv-26), asked of those lessons.
Every query is asked through `engram serve --ndjson` (search_lessons, limit
10, min_relevance 0). Each returned result is one sample: features
explanation.matched_idf and explanation.cosine, label 1 when it is the
query's own lesson. A logistic regression (Newton's method, relevant and
other samples weighted to equal mass) gives P(relevant | matched[, cosine]).
Pass --docs with docs/ of commit 59347d7 (git archive 59347d7 docs) to
redo the fit of src/engine/relevance.cc. The threshold printed is the highest one
that keeps every in-domain query's relevant lesson in the top 5 where it was
without a threshold, but for at most 1 % of the queries.
"""
import json, math, os, re, subprocess, sys, tempfile

args = sys.argv[1:]
if len(args) < 2:
    sys.exit(__doc__)
eng, locomo = args[0], args[1]
docs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs")
n_ood = 60
if "--docs" in args: docs = args[args.index("--docs") + 1]
if "--ood" in args: n_ood = int(args[args.index("--ood") + 1])

def clean(text):
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[`*]", "", text).strip()

def paragraphs(path):
    heading, block, fenced = "", [], False
    for line in open(path, encoding="utf-8").read().splitlines() + [""]:
        if line.startswith("```"):
            fenced = not fenced
            block = []
            continue
        if fenced:
            continue
        if line.startswith("#"):
            heading, block = clean(line.lstrip("#")), []
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("|") or stripped.startswith("- ") and block:
            if block:
                yield heading, clean(" ".join(block))
            block = [] if not stripped.startswith("- ") else [stripped[2:]]
            continue
        block.append(stripped[2:] if stripped.startswith("- ") else stripped)

pairs = []
for name in sorted(os.listdir(docs)):
    if not name.endswith(".md"):
        continue
    for heading, text in paragraphs(os.path.join(docs, name)):
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z(])", text)
        if len(sentences) < 2:
            continue
        query, rest = sentences[0], " ".join(sentences[1:])
        if len(query.split()) < 6 or len(rest.split()) < 10:
            continue
        pairs.append((query, heading or name, rest))

conversations = json.load(open(locomo))
ood = [q["question"] for conv in conversations[1:] for q in conv["qa"][:n_ood]]

db = os.path.join(tempfile.mkdtemp(prefix="engram-calibrate-"), "engram.db")
p = subprocess.Popen([eng, "serve", "--ndjson", "--db", db], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
n = 0
def call(action, payload):
    global n; n += 1
    p.stdin.write(json.dumps({"id": f"r{n}", "action": action, "payload": payload}) + "\n")
    p.stdin.flush()
    msg = json.loads(p.stdout.readline())
    if not msg.get("ok"): sys.exit(f"{action} failed: {msg.get('error')}")
    return msg["result"]

lesson_of = []
for query, title, rest in pairs:
    r = call("add_lesson", {"title": title[:200], "content": rest, "type": "best_practice",
                            "topic": "docs", "on_duplicate": "allow"})
    lesson_of.append(r["lesson"]["id"] if "lesson" in r else r["id"])

samples = []      # (coverage, cosine, label)
in_domain = []    # per query: list of (id, coverage, cosine) in rank order, and the relevant id
mode = None
def ask(q):
    global mode
    r = call("search_lessons", {"query": q, "limit": 10, "min_relevance": 0})
    mode = r["mode"]
    return [(x["lesson"]["id"], x["explanation"]["matched_idf"], x["explanation"]["cosine"])
            for x in r["results"]]
for (query, _, _), want in zip(pairs, lesson_of):
    got = ask(query)
    in_domain.append((got, want))
    samples += [(c, s, 1 if i == want else 0) for i, c, s in got]
ood_results = []
for q in ood:
    got = ask(q)
    ood_results.append(got)
    samples += [(c, s, 0) for _, c, s in got]
p.stdin.close(); p.wait(timeout=30)

hybrid = mode == "hybrid"
def features(c, s):
    return [1.0, c, s] if hybrid else [1.0, c]

def fit(rows):
    k = len(features(0, 0))
    w = [0.0] * k
    for _ in range(50):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        npos = sum(r[2] for r in rows)
        wpos = (len(rows) - npos) / max(1, npos)  # relevant and other samples weigh the same
        for c, s, y in rows:
            sw = wpos if y else 1.0
            x = features(c, s)
            z = sum(a * b for a, b in zip(w, x))
            pr = 1 / (1 + math.exp(-max(-30, min(30, z))))
            for i in range(k):
                grad[i] += sw * (y - pr) * x[i]
                for j in range(k):
                    hess[i][j] += sw * pr * (1 - pr) * x[i] * x[j]
        for i in range(k):
            hess[i][i] += 1e-6  # ridge, keeps the solve stable
        # Solve hess * d = grad (Gaussian elimination).
        m = [hess[i][:] + [grad[i]] for i in range(k)]
        for i in range(k):
            piv = max(range(i, k), key=lambda r: abs(m[r][i]))
            m[i], m[piv] = m[piv], m[i]
            for r in range(k):
                if r != i:
                    f = m[r][i] / m[i][i]
                    m[r] = [a - f * b for a, b in zip(m[r], m[i])]
        d = [m[i][k] / m[i][i] for i in range(k)]
        w = [a + b for a, b in zip(w, d)]
        if max(abs(x) for x in d) < 1e-9:
            break
    return w

w = fit(samples)
def prob(c, s):
    z = sum(a * b for a, b in zip(w, features(c, s)))
    return 1 / (1 + math.exp(-z))

# Threshold: in-domain queries whose relevant lesson is in the top 5 without a
# threshold; keep it for all but at most 1 % of the queries.
kept_probs = sorted(prob(c, s) for got, want in in_domain
                    for rank, (i, c, s) in enumerate(got[:5]) if i == want)
hits5 = len(kept_probs)
allowed = math.floor(0.01 * len(in_domain))
threshold = kept_probs[allowed] if kept_probs else 0.0
threshold = math.floor(threshold * 1000) / 1000  # the printed value, kept inclusive
abstained = sum(1 for got in ood_results if all(prob(c, s) < threshold for _, c, s in got[:5]))
lost = sum(1 for x in kept_probs if x < threshold)
report = {
    "mode": mode,
    "in_domain_queries": len(in_domain),
    "ood_questions": len(ood_results),
    "samples": len(samples),
    "positives": sum(y for _, _, y in samples),
    "coefficients": {"intercept": w[0], "matched": w[1], "cosine": w[2] if hybrid else 0.0},
    "threshold": threshold,
    "in_domain_r5_without": 100 * hits5 / len(in_domain),
    "in_domain_r5_with": 100 * (hits5 - lost) / len(in_domain),
    "ood_abstain_share": 100 * abstained / len(ood_results),
}
print(json.dumps(report, indent=2))
