#!/usr/bin/env python3
"""Builds a symptom -> lesson corpus of the jstest shape from a best-practices
README written as "## N.M Title / **TL;DR:** ... / **Otherwise:** ...".

Usage: extract_otherwise.py README.md OUT_DIR PREFIX
Writes OUT_DIR/PREFIX-lessons.jsonl ({id, topic, title, content}: content is
the TL;DR text) and OUT_DIR/PREFIX-queries.jsonl ({query, expected}: the
"Otherwise:" text). Markdown links keep their text, images and code fences
are dropped. Used for held-out corpora (bench/README.md, "lessons"): the
output is never committed."""
import json, os, re, sys

src, out, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(src, encoding="utf-8").read()
text = re.sub(r"```.*?```", " ", text, flags=re.S)


def clean(s):
    s = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = re.sub(r"<[^>]+>", " ", s)
    s = s.replace("**", "").replace("`", "")
    return re.sub(r"\s+", " ", s).strip()


topic, title, tldr, item = "general", None, None, None
lessons, queries = [], []
mode = None
for line in text.splitlines():
    sec = re.match(r"^# `?\d+\.\s*(.+?)`?\s*$", line)
    head = re.match(r"^##\s+(?:!\[[^\]]*\]\s*)?(\d+(?:\.\d+)+)\.?\s+(.+)$", line)
    if sec:
        topic = re.sub(r"[^a-z0-9]+", "-", clean(sec.group(1)).lower()).strip("-")
        mode = None
    elif head:
        item, title, tldr, mode = head.group(1), clean(head.group(2)), None, None
    elif item and line.startswith("**TL;DR:**"):
        tldr, mode = line[len("**TL;DR:**"):], "tldr"
    elif item and line.startswith("**Otherwise:**"):
        query, mode = line[len("**Otherwise:**"):], "otherwise"
        lid = f"{prefix}-{item}"
        lessons.append({"id": lid, "topic": topic, "title": title, "content": clean(tldr or "")})
        queries.append({"query": clean(query), "expected": lid})
    elif line.startswith("#") or line.startswith("<br") or "Read More" in line:
        mode = None
    elif mode == "tldr" and line.strip():
        tldr += " " + line
    elif mode == "otherwise" and line.strip():
        queries[-1]["query"] = clean(queries[-1]["query"] + " " + line)

keep = [(l, q) for l, q in zip(lessons, queries) if l["content"] and q["query"]]
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, f"{prefix}-lessons.jsonl"), "w") as f:
    for l, _ in keep:
        f.write(json.dumps(l) + "\n")
with open(os.path.join(out, f"{prefix}-queries.jsonl"), "w") as f:
    for _, q in keep:
        f.write(json.dumps(q) + "\n")
print(f"{prefix}: {len(keep)} lessons and queries")
