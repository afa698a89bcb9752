#!/usr/bin/env python3
"""Offline replica of engram's relevance features, for calibration while no
binary is at hand: coverage exactly as FullTextIndex::QueryCoverage defines it
(SQLite FTS5 porter unicode61 over title, content, topic, tags, expanded
identifiers; QueryTerms; BM25 idf), cosine from the USE Lite reference
(@energetic-ai/embeddings, which engram's native embedder reproduces), the
candidates as engram ranks them (relevance 0.6 lexical + 0.4 semantic, top 10).
Usage: replica.py DOCS_DIR LOCOMO_JSON [JSTEST_DIR]"""
import json, math, os, re, sqlite3, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
# Background rows assumed to hold no query word (TermCoverage::kPriorRows).
PRIOR_ROWS = 100

STOP = set("""a an the and or but if of at by for with about against between into through during before after above below to from up down in out on off over under again further then once here there when where why how all any both each few more most other some such no nor not only own same so than too very s t can will just don should now i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself they them their theirs themselves what which who whom this that these those am is are was were be been being have has had having do does did doing would could ought m re ve d ll""".split())
JOIN = set("_:.-$")
def wb(c): return (c.isascii() and c.isalnum()) or ord(c) >= 0x80
def identifiers(text):
    i, n = 0, len(text)
    while i < n:
        if not wb(text[i]): i += 1; continue
        j = i
        while j < n and (wb(text[j]) or text[j] in JOIN): j += 1
        e = j
        while e > i and text[e-1] in JOIN: e -= 1
        yield text[i:e]; i = j
def kind(c):
    if c.isascii() and c.isdigit(): return 0
    if c.isascii() and c.isupper(): return 1
    return 2
def split_word(w):
    out, s = [], 0
    for i in range(1, len(w)):
        p, c = kind(w[i-1]), kind(w[i])
        nl = i + 1 < len(w) and kind(w[i+1]) == 2
        if ((p != 0) != (c != 0)) or (p == 2 and c == 1) or (p == 1 and c == 1 and nl):
            out.append(w[s:i].lower()); s = i
    if s < len(w): out.append(w[s:].lower())
    return out
def split_identifier(ident):
    out, s = [], 0
    for i in range(len(ident) + 1):
        if i == len(ident) or ident[i] in JOIN:
            if i > s: out += split_word(ident[s:i])
            s = i + 1
    return out
def expand(text):
    out = []
    for ident in identifiers(text):
        jp = 1 + sum(1 for c in ident if c in JOIN)
        parts = split_identifier(ident)
        if len(parts) > jp: out += parts
    return " ".join(out)
def query_terms(q):
    out, seen = [], set()
    def add(t):
        if t and t not in STOP and t not in seen: seen.add(t); out.append(t)
    for ident in identifiers(q):
        s = 0
        for i in range(len(ident) + 1):
            if i == len(ident) or ident[i] in JOIN:
                if i > s: add(ident[s:i].lower())
                s = i + 1
        for p in split_identifier(ident): add(p)
    return out
def phrase(w): return '"' + w.replace('"', '""') + '"'

import hashlib
def embed(texts):
    key = os.path.join(os.environ.get("TMPDIR", "/tmp"), "engram-relevance-emb-") + hashlib.md5(json.dumps(texts).encode()).hexdigest() + ".json"
    if os.path.exists(key): return json.load(open(key))
    r = subprocess.run(["node", os.path.join(HERE, "embed.mjs")], input=json.dumps(texts), capture_output=True, text=True, check=True)
    open(key, "w").write(r.stdout)
    return json.loads(r.stdout)

class Corpus:
    def __init__(self, lessons, hybrid):  # lessons: (title, content, topic)
        self.db = sqlite3.connect(":memory:")
        self.db.execute("create virtual table lf using fts5(title, content, topic, tags, expanded, tokenize='porter unicode61')")
        for i, (t, c, tp) in enumerate(lessons):
            self.db.execute("insert into lf(rowid, title, content, topic, tags, expanded) values (?,?,?,?,?,?)",
                            (i + 1, t, c, tp, "", expand(t + "\n" + c)))
        self.n = len(lessons)
        self.vec = embed([f"{t}\n{c}\n{tp}" for t, c, tp in lessons]) if hybrid else None
        self.df = {}
    def dfreq(self, w):
        if w not in self.df:
            self.df[w] = self.db.execute("select count(*) from lf where lf match ?", (phrase(w),)).fetchone()[0]
        return self.df[w]
    def coverage(self, words, rowid):
        tot = m = 0.0
        for w in words:
            idf = math.log(1 + (self.n + PRIOR_ROWS - self.dfreq(w) + 0.5) / (self.dfreq(w) + 0.5))
            tot += idf
            if self.db.execute("select count(*) from lf where lf match ? and rowid = ?", (phrase(w), rowid)).fetchone()[0]:
                m += idf
        self.last_matched = m / math.log(2 * (self.n + PRIOR_ROWS) + 2)
        return m / tot if tot > 0 else 0.0
    def top(self, query, qvec, k=10):
        words = query_terms(query)
        bm = {}
        if words:
            expr = " OR ".join(phrase(w) for w in words)
            for rid, s in self.db.execute("select rowid, -bm25(lf, 2.0, 1.0, 1.5, 1.5, 1.0) from lf where lf match ? order by 2 desc limit 60", (expr,)):
                bm[rid] = s
        cos = {}
        if qvec is not None:
            sims = sorted(((sum(a * b for a, b in zip(qvec, v)), i + 1) for i, v in enumerate(self.vec)), reverse=True)[:60]
            for s, rid in sims: cos[rid] = s
        cands = [r for r in set(bm) | set(cos) if bm.get(r, 0) > 0 or cos.get(r, 0) >= 0.3]
        if not cands: return []
        mb = max([bm.get(r, 0) for r in cands]) or 1
        cs = [cos.get(r, 0) for r in cands]; lo, hi = min(cs), max(cs)
        def rel(r):
            lex = bm.get(r, 0) / mb
            if qvec is None: return lex
            sem = (cos.get(r, 0) - lo) / (hi - lo) if hi > lo else 1.0
            return 0.6 * lex + 0.4 * sem
        ranked = sorted((r for r in cands if rel(r) > 0), key=lambda r: -rel(r))[:k]
        out = []
        for r in ranked:
            c = self.coverage(words, r)
            out.append((r, (c, self.last_matched), cos.get(r, 0.0)))
        return out
