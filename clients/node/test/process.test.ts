// EngramProcess lifecycle against the real engram binary: timeouts, crashes,
// restarts, graceful close, durability across processes.
import assert from "node:assert/strict";
import { test } from "node:test";

import { EngramError, EngramProcess, isEngramError, type ExitInfo } from "../src/index.js";
import { engramBinary, startEngram, tempDb, waitFor } from "./helpers.js";

function pidOf(engram: EngramProcess): number {
  const pid = engram.pid;
  assert.ok(pid !== undefined, "engram is running");
  return pid;
}

test("a request that gets no answer in time rejects with timeout; the client keeps working", async (t) => {
  const { engram } = await startEngram(t);
  const pid = pidOf(engram);
  process.kill(pid, "SIGSTOP"); // the child can't answer until SIGCONT
  try {
    const started = Date.now();
    const err = await engram.healthCheck({ timeoutMs: 200 }).then(
      () => assert.fail("expected a timeout"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof EngramError);
    assert.equal(err.code, "timeout");
    assert.equal(err.action, "health_check");
    assert.match(err.message, /did not answer health_check within 200 ms/);
    assert.ok(Date.now() - started < 5_000);
  } finally {
    process.kill(pid, "SIGCONT");
  }
  // The late answer to the timed-out request is dropped; the next one gets its own.
  const entry = await engram.kvPut({ namespace: "t", key: "after-timeout", value: 1 });
  assert.equal(entry.key, "after-timeout");
  assert.equal(engram.pid, pid);
});

test("child killed with SIGKILL: pending requests reject with process_exited naming the signal", async (t) => {
  const exits: ExitInfo[] = [];
  const { engram } = await startEngram(t, { onExit: (info) => exits.push(info) });
  const pid = pidOf(engram);
  process.kill(pid, "SIGSTOP"); // hold the requests pending
  const pending = [
    engram.healthCheck(),
    engram.kvPut({ namespace: "t", key: "k", value: 1 }),
    engram.listLessons(),
  ].map((p) => p.then(() => assert.fail("expected a rejection"), (e: unknown) => e));
  process.kill(pid, "SIGKILL");
  const errors = await Promise.all(pending);
  for (const [i, err] of errors.entries()) {
    assert.ok(err instanceof EngramError, `request ${i} rejects with EngramError`);
    assert.equal(err.code, "process_exited");
    assert.equal(err.signal, "SIGKILL");
    assert.equal(err.exitCode, null);
    assert.match(err.message, /engram process was killed by signal SIGKILL before answering/);
  }
  assert.deepEqual(
    errors.map((e) => (e as EngramError).action),
    ["health_check", "kv_put", "list_lessons"],
  );
  assert.equal(exits.length, 1);
  assert.equal(exits[0]?.expected, false);
  // Without autoRestart the client stays down and says why.
  await assert.rejects(engram.healthCheck(), (err) => isEngramError(err, "process_exited") && /SIGKILL/.test(err.message));
  assert.equal(engram.running, false);
});

test("a child that fails at startup reports its exit code and stderr", async (t) => {
  const { dir } = await tempDb(t);
  // A directory is not a database file: engram exits with an error.
  const engram = new EngramProcess({ binary: engramBinary(), db: dir, timeoutMs: 20_000 });
  t.after(() => engram.close());
  const err = await engram.healthCheck().then(
    () => assert.fail("expected engram to fail on a directory"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof EngramError);
  assert.equal(err.code, "process_exited");
  assert.ok(typeof err.exitCode === "number" && err.exitCode !== 0, `exit code ${String(err.exitCode)}`);
  assert.ok((err.stderrTail ?? "").trim().length > 0, "stderr is captured");
  assert.ok(err.message.includes((err.stderrTail ?? "").trim().split("\n").at(-1) ?? "\u0000"), err.message);
});

test("a missing binary rejects with spawn_failed", async () => {
  const engram = new EngramProcess({ binary: "/nonexistent/engram-binary" });
  await assert.rejects(engram.healthCheck(), (err) => isEngramError(err, "spawn_failed") && /ENOENT/.test(err.message));
  await engram.close();
});

test("autoRestart: after a crash a new child serves the same database", async (t) => {
  const restarts: number[] = [];
  const { engram } = await startEngram(t, { autoRestart: { delayMs: 50 }, onRestart: (n) => restarts.push(n) });
  await engram.kvPut({ namespace: "t", key: "before-crash", value: "kept" });
  const firstPid = pidOf(engram);
  process.kill(firstPid, "SIGSTOP");
  const inFlight = engram.healthCheck();
  process.kill(firstPid, "SIGKILL");
  await assert.rejects(inFlight, (err) => isEngramError(err, "process_exited"));
  await waitFor(() => restarts.length === 1, 5_000, "the restart");
  const secondPid = pidOf(engram);
  assert.notEqual(secondPid, firstPid);
  assert.equal((await engram.kvGet("t", "before-crash")).value, "kept");

  // A request sent before the restart delay elapses restarts at once.
  process.kill(secondPid, "SIGKILL");
  await waitFor(() => engram.pid === undefined, 5_000, "the second exit");
  assert.equal((await engram.healthCheck()).status, "ok");
  assert.deepEqual(restarts, [1, 2]);
});

test("autoRestart gives up after maxRestarts crashes in a row", async (t) => {
  const { engram } = await startEngram(t, { autoRestart: { maxRestarts: 1, delayMs: 10 } });
  process.kill(pidOf(engram), "SIGKILL");
  await waitFor(() => engram.restarts === 1 && engram.pid !== undefined, 5_000, "the restart");
  process.kill(pidOf(engram), "SIGKILL"); // no successful answer in between
  await waitFor(() => engram.pid === undefined, 5_000, "the second exit");
  await assert.rejects(engram.healthCheck(), (err) => isEngramError(err, "process_exited"));
  assert.equal(engram.restarts, 1);
});

test("close(): requests sent before close resolve, writes are durable, later requests reject", async (t) => {
  const { db, onCleanup } = await tempDb(t);
  const exits: ExitInfo[] = [];
  const first = new EngramProcess({ binary: engramBinary(), db, onExit: (i) => exits.push(i) });
  onCleanup(() => first.close());
  await first.start();
  const puts = Array.from({ length: 50 }, (_, i) => first.kvPut({ namespace: "durable", key: `k${String(i).padStart(2, "0")}`, value: i }));
  const lesson = first.addLesson({ topic: "close", title: "Written before close", content: "Must survive." });
  await first.close();
  assert.equal((await Promise.all(puts)).length, 50);
  const { id } = await lesson;
  assert.deepEqual(
    exits.map((e) => [e.code, e.signal, e.expected]),
    [[0, null, true]],
  );
  await assert.rejects(first.healthCheck(), (err) => isEngramError(err, "closed"));
  await first.close(); // idempotent

  const second = new EngramProcess({ binary: engramBinary(), db });
  onCleanup(() => second.close());
  const listed = await second.kvList({ namespace: "durable" });
  assert.equal(listed.count, 50);
  assert.deepEqual(
    listed.entries.map((e) => e.value),
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.equal((await second.getLesson(id)).title, "Written before close");
  assert.equal((await second.verifyStore()).ok, true);
});

test("close() kills a child that does not exit within the grace period", async (t) => {
  const exits: ExitInfo[] = [];
  const { engram } = await startEngram(t, { closeGraceMs: 200, onExit: (i) => exits.push(i) });
  process.kill(pidOf(engram), "SIGSTOP"); // a stopped process ignores EOF and SIGTERM
  const started = Date.now();
  await engram.close();
  assert.ok(Date.now() - started < 3_000, "close() returned after the grace periods");
  assert.equal(exits[0]?.signal, "SIGKILL");
  assert.equal(exits[0]?.expected, true);
});
