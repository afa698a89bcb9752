// The drop-in: a client of the NDJSON memory service engram replaces, speaking
// exactly its payloads over a raw pipe (no engram client library), reads
// result.ids, result.documents and result.metadatas.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { test } from "node:test";

import { engramBinary, tempDb } from "./helpers.js";

type Reply = { id: unknown; ok: boolean; result?: any; error?: { code: string; message: string } };

/** A raw line client: one request line out, the reply line with its id back. */
async function rawServer(t: import("node:test").TestContext, env: NodeJS.ProcessEnv = {}) {
  const { db, onCleanup } = await tempDb(t);
  const proc = spawn(engramBinary(), ["--db", db, "serve", "--ndjson", "--no-warm"], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const pending = new Map<unknown, (r: Reply) => void>();
  createInterface({ input: proc.stdout! }).on("line", (line) => {
    const reply = JSON.parse(line) as Reply;
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  onCleanup(async () => {
    proc.stdin!.end();
    assert.equal(await exited, 0, "the server ends cleanly at EOF");
  });
  let next = 0;
  return (action: string, payload: unknown): Promise<Reply> => {
    const id = `req-${++next}`;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      proc.stdin!.write(JSON.stringify({ id, action, payload }) + "\n");
    });
  };
}

test("drop-in add/search: caller ids, metadata mapping, the three lists in rank order", async (t) => {
  const call = await rawServer(t, { ENGRAM_EMBEDDER: "hashing" });
  const add = await call("add", {
    id: "mem-001",
    content: "Unawaited promises in beforeEach make jest tests flaky. Await the setup promise.",
    metadata: { type: "pitfall", topic: "testing", tags: "jest, async", confidence: 0.8, app: "desk", rev: 3 },
  });
  assert.equal(add.ok, true, JSON.stringify(add.error));
  assert.deepEqual(add.result.ids, ["mem-001"]);
  assert.deepEqual(add.result.documents, [
    "Unawaited promises in beforeEach make jest tests flaky. Await the setup promise.",
  ]);
  const meta = add.result.metadatas[0];
  assert.equal(meta.type, "gotcha", "type synonyms map onto lesson types");
  assert.equal(meta.topic, "testing");
  assert.deepEqual(meta.tags, ["async", "jest"]);
  assert.equal(meta.confidence, 0.8);
  assert.equal(meta.app, "desk", "other keys are kept as metadata");
  assert.equal(meta.rev, 3);
  assert.equal(add.result.id, "mem-001", "engram's own result is there too");
  assert.equal(add.result.title, "Unawaited promises in beforeEach make jest tests flaky.");

  const other = await call("add", {
    id: "mem-002",
    content: "Prefer parameterized SQL queries; string concatenation invites injection.",
    metadata: { topic: "security", project: "billing" },
  });
  assert.equal(other.ok, true, JSON.stringify(other.error));
  assert.equal(other.result.metadatas[0].project, "billing");
  assert.equal(other.result.scope, "project");

  const found = await call("search", { query: "flaky jest beforeEach promise", k: 5 });
  assert.equal(found.ok, true, JSON.stringify(found.error));
  assert.ok(found.result.ids.length >= 1 && found.result.ids.length <= 5);
  assert.equal(found.result.ids[0], "mem-001");
  assert.deepEqual(
    found.result.ids,
    found.result.results.map((r: any) => r.lesson.id),
    "the lists follow engram's rank order",
  );
  assert.equal(found.result.documents.length, found.result.ids.length);
  assert.equal(found.result.metadatas.length, found.result.ids.length);
  assert.equal(found.result.metadatas[0].app, "desk");
  assert.ok(!found.result.ids.includes("mem-002"), "a project lesson stays out of a global search");

  const one = await call("search", { query: "flaky jest beforeEach promise", k: 1 });
  assert.deepEqual(one.result.ids, ["mem-001"], "k bounds the results");
});

test("drop-in: an add of a known id updates it with history; caller ids work in every lesson operation", async (t) => {
  const call = await rawServer(t, { ENGRAM_EMBEDDER: "none" });
  const first = await call("add", { id: "note-7", content: "Use fake timers for debounced handlers.", metadata: { topic: "testing" } });
  assert.equal(first.ok, true, JSON.stringify(first.error));
  const second = await call("add", {
    id: "note-7",
    content: "Use jest.useFakeTimers() and advanceTimersByTime for debounced handlers.",
    metadata: { topic: "testing", owner: "ana" },
  });
  assert.equal(second.ok, true, JSON.stringify(second.error));
  assert.equal(second.result.replaced, true);
  assert.equal(second.result.version, 2);
  assert.deepEqual(second.result.ids, ["note-7"]);
  assert.equal(second.result.metadatas[0].owner, "ana");

  const history = await call("lesson_history", { lesson_id: "note-7" });
  assert.equal(history.result.count, 1);
  assert.equal(history.result.versions[0].lesson.content, "Use fake timers for debounced handlers.");
  assert.equal(history.result.versions[0].reason, "add: replaced");

  const got = await call("get_lesson", { lesson_id: "note-7" });
  assert.equal(got.result.metadata.owner, "ana");
  const updated = await call("update_lesson", { lesson_id: "note-7", confidence: 0.9, reason: "verified" });
  assert.equal(updated.ok, true, JSON.stringify(updated.error));
  assert.equal(updated.result.version, 3);
  const fb = await call("lesson_feedback", { lesson_id: "note-7", signal: "helped" });
  assert.equal(fb.ok, true, JSON.stringify(fb.error));
  const deprecated = await call("deprecate_lesson", { lesson_id: "note-7", reason: "superseded" });
  assert.equal(deprecated.result.deprecated, true);
  const deleted = await call("delete_lesson", { lesson_id: "note-7" });
  assert.equal(deleted.result.deleted, true);
  const gone = await call("get_lesson", { lesson_id: "note-7" });
  assert.equal(gone.ok, false);
  assert.equal(gone.error?.code, "not_found");

  const bad = await call("add", { id: " ", content: "x" });
  assert.equal(bad.ok, false);
  assert.match(bad.error!.message, /id/);
});
