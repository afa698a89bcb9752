// EngramProcess typed operations against the real engram binary.
import assert from "node:assert/strict";
import { test } from "node:test";

import { EngramError, isEngramError, type Lesson } from "../src/index.js";
import { startEngram } from "./helpers.js";

test("episode lifecycle: start, log steps, complete, get, list, delete", async (t) => {
  const { engram } = await startEngram(t);
  const started = await engram.startEpisode({
    description: "Fix the flaky login test",
    task_type: "debugging",
    context: { language: "typescript", framework: "react", project: "web-app", tags: ["auth"] },
    metadata: { ticket: "WEB-12" },
  });
  assert.match(started.id, /\S/);
  assert.equal(started.task_type, "debugging");
  assert.deepEqual(started.context, {
    language: "typescript",
    framework: "react",
    domain: "",
    project: "web-app",
    tags: ["auth"],
    complexity: "moderate",
  });
  assert.deepEqual(started.steps, []);
  assert.deepEqual(started.metadata, { ticket: "WEB-12" });
  assert.equal(started.outcome, undefined);

  const s1 = await engram.logStep({
    episode_id: started.id,
    tool: "bash",
    action: "npm test -- login",
    status: "error",
    output: "1 failing: timeout waiting for #submit",
    latency_ms: 1200,
    parameters: { cwd: "/repo" },
  });
  const s2 = await engram.logStep({
    episode_id: started.id,
    tool: "editor",
    action: "await the submit button before clicking",
    observation: "race between render and click",
    tokens: 300,
  });
  assert.equal(s1.number, 1);
  assert.equal(s1.result.status, "error");
  assert.deepEqual(s1.parameters, { cwd: "/repo" });
  assert.equal(s2.number, 2);
  assert.equal(s2.result.status, "success");

  const done = await engram.completeEpisode(started.id, {
    kind: "success",
    verdict: "login test stable over 50 runs",
    artifacts: ["src/login.test.tsx"],
  });
  assert.deepEqual(done.outcome, {
    kind: "success",
    verdict: "login test stable over 50 runs",
    artifacts: ["src/login.test.tsx"],
  });
  assert.ok(done.reward !== undefined, "a completed episode has a reward");
  assert.ok(done.reward.total >= 0 && done.reward.total <= 1, `reward total ${done.reward.total}`);
  assert.ok(done.reward.notes.length > 0, "reward components are explained");
  assert.ok(done.reflection !== undefined, "a completed episode has a reflection");
  assert.ok(typeof done.ended_at === "number" && done.ended_at >= done.started_at);

  const fetched = await engram.getEpisode(started.id);
  assert.equal(fetched.steps.length, 2);
  assert.equal(fetched.steps[1]?.observation, "race between render and click");
  assert.deepEqual(fetched.reward, done.reward);

  const open = await engram.startEpisode({ description: "Write docs", task_type: "documentation" });
  const completed = await engram.listEpisodes({ completed: true });
  assert.deepEqual(
    completed.episodes.map((e) => e.id),
    [started.id],
  );
  assert.equal(completed.count, 1);
  assert.equal(completed.episodes[0]?.step_count, 2);
  assert.equal(completed.episodes[0]?.outcome_kind, "success");
  const byProject = await engram.listEpisodes({ project: "web-app" });
  assert.deepEqual(
    byProject.episodes.map((e) => e.id),
    [started.id],
  );
  const all = await engram.listEpisodes();
  assert.deepEqual(new Set(all.episodes.map((e) => e.id)), new Set([started.id, open.id]));

  assert.deepEqual(await engram.deleteEpisode(open.id), { deleted: true, episode_id: open.id });
  await assert.rejects(engram.getEpisode(open.id), (err) => isEngramError(err, "not_found"));
});

test("lessons: add, get, list filters, update with history, deprecate, delete", async (t) => {
  const { engram } = await startEngram(t);
  const hooks = await engram.addLesson({
    type: "best_practice",
    topic: "react",
    title: "Keep hooks at the top level",
    content: "Never call hooks conditionally; the call order must be stable.",
    confidence: 0.9,
    tags: ["hooks", "react"],
  });
  const gotcha = await engram.addLesson({
    type: "gotcha",
    topic: "testing",
    title: "Fake timers and promises",
    content: "Advance fake timers and flush microtasks, or awaited code never runs.",
    confidence: 0.6,
    scope: "project",
    project: "web-app",
    tags: ["jest"],
  });
  assert.equal(hooks.version, 1);
  assert.equal(hooks.deprecated, false);
  assert.equal(hooks.source, "manual");
  assert.equal(gotcha.scope, "project");
  assert.deepEqual(await engram.getLesson(hooks.id), hooks);

  const ids = (ls: { lessons: Lesson[] }): string[] => ls.lessons.map((l) => l.id);
  assert.deepEqual(ids(await engram.listLessons({ topic: "react" })), [hooks.id]);
  assert.deepEqual(ids(await engram.listLessons({ type: "gotcha", project: "web-app" })), [gotcha.id]);
  assert.deepEqual(ids(await engram.listLessons({ tags: ["hooks"] })), [hooks.id]);
  assert.deepEqual(ids(await engram.listLessons({ min_confidence: 0.8 })), [hooks.id]);
  // With a project: global lessons plus that project's (never another project's).
  await engram.addLesson({ topic: "x", title: "Elsewhere", content: "Other project.", scope: "project", project: "other" });
  assert.deepEqual(new Set(ids(await engram.listLessons({ project: "web-app" }))), new Set([hooks.id, gotcha.id]));

  const updated = await engram.updateLesson(hooks.id, { confidence: 0.95, tags: ["hooks", "rules"] }, "confirmed twice");
  assert.equal(updated.version, 2);
  assert.equal(updated.confidence, 0.95);
  assert.deepEqual(updated.tags, ["hooks", "rules"]);
  assert.equal(updated.title, hooks.title);

  const deprecated = await engram.deprecateLesson(hooks.id, "superseded by the linter rule");
  assert.equal(deprecated.deprecated, true);
  assert.deepEqual(ids(await engram.listLessons({ topic: "react" })), []);
  assert.deepEqual(ids(await engram.listLessons({ topic: "react", include_deprecated: true })), [hooks.id]);

  const history = await engram.lessonHistory(hooks.id);
  assert.equal(history.count, history.versions.length);
  assert.deepEqual(
    history.versions.map((v) => v.lesson.version),
    [1, 2],
  );
  assert.equal(history.versions[0]?.reason, "confirmed twice");
  assert.match(history.versions[1]?.reason ?? "", /superseded by the linter rule/);
  assert.ok(history.versions.every((v) => v.superseded_at >= v.lesson.updated_at));
  assert.equal(history.versions[0]?.lesson.confidence, 0.9);

  assert.deepEqual(await engram.deleteLesson(gotcha.id), { deleted: true, lesson_id: gotcha.id });
  await assert.rejects(engram.getLesson(gotcha.id), (err) => isEngramError(err, "not_found"));
});

test("list_lessons returns the most recently updated first, as its description says", async (t) => {
  const { engram } = await startEngram(t);
  // Distinct millisecond timestamps, so the order is fully determined.
  const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
  const ids: Record<string, string> = {};
  for (const [title, confidence] of [["high", 0.9], ["low", 0.2], ["mid", 0.5]] as const) {
    // Near-duplicates on purpose: allowed, not merged.
    const lesson = { topic: "order", title, content: `confidence ${confidence}`, confidence, on_duplicate: "allow" as const };
    ids[title] = (await engram.addLesson(lesson)).id;
    await tick();
  }
  let listed = await engram.listLessons({ topic: "order" });
  assert.deepEqual(listed.lessons.map((l) => l.title), ["mid", "low", "high"]);
  await engram.updateLesson(ids["high"]!, { confidence: 0.95 });
  listed = await engram.listLessons({ topic: "order" });
  assert.deepEqual(listed.lessons.map((l) => l.title), ["high", "mid", "low"]);
});

test("kv: put, versioned compare-and-set, get, list by prefix, delete", async (t) => {
  const { engram } = await startEngram(t);
  const first = await engram.kvPut({ namespace: "agent", key: "cursor/main", value: { line: 10 } });
  assert.equal(first.version, 1);
  assert.equal(first.ns, "agent");
  assert.deepEqual(first.value, { line: 10 });
  const second = await engram.kvPut({ namespace: "agent", key: "cursor/main", value: { line: 20 }, expected_version: 1 });
  assert.equal(second.version, 2);
  await assert.rejects(
    engram.kvPut({ namespace: "agent", key: "cursor/main", value: { line: 30 }, expected_version: 1 }),
    (err) => err instanceof EngramError && err.code === "failed_precondition" && err.action === "kv_put",
  );
  await engram.kvPut({ namespace: "agent", key: "cursor/other", value: [1, 2, 3] });
  await engram.kvPut({ namespace: "agent", key: "prefs", value: "dark", ttl_seconds: 3600 });
  await engram.kvPut({ namespace: "other-agent", key: "cursor/main", value: null });

  const got = await engram.kvGet<{ line: number }>("agent", "cursor/main");
  assert.equal(got.value.line, 20);
  const prefs = await engram.kvGet("agent", "prefs");
  assert.ok(prefs.expires_at !== undefined && prefs.expires_at > Date.now());

  const listed = await engram.kvList({ namespace: "agent", prefix: "cursor/" });
  assert.deepEqual(
    listed.entries.map((e) => e.key),
    ["cursor/main", "cursor/other"],
  );
  assert.equal(listed.count, 2);

  assert.deepEqual(await engram.kvDelete("agent", "cursor/main"), { deleted: true, namespace: "agent", key: "cursor/main" });
  await assert.rejects(engram.kvGet("agent", "cursor/main"), (err) => isEngramError(err, "not_found"));
  assert.equal((await engram.kvGet("other-agent", "cursor/main")).value, null);
});

test("errors map to EngramError with the server's code, message and action", async (t) => {
  const { engram } = await startEngram(t);
  const notFound = await engram.getEpisode("no-such-episode").then(
    () => assert.fail("expected not_found"),
    (err: unknown) => err,
  );
  assert.ok(notFound instanceof EngramError);
  assert.equal(notFound.code, "not_found");
  assert.equal(notFound.action, "get_episode");
  assert.equal(notFound.fromServer, true);
  assert.match(notFound.message, /^get_episode: /);

  // Schema violations (missing required field, wrong enum) are invalid_argument.
  await assert.rejects(engram.call("add_lesson", { topic: "x", title: "no content" }), (err) =>
    isEngramError(err, "invalid_argument"),
  );
  await assert.rejects(engram.call("start_episode", { description: "d", task_type: "dancing" }), (err) =>
    isEngramError(err, "invalid_argument"),
  );
  await assert.rejects(engram.call("no_such_action"), (err) => isEngramError(err, "unknown_action"));
  // The process is still healthy afterwards.
  assert.equal((await engram.healthCheck()).status, "ok");
});

test("pipelining: many concurrent requests each resolve to their own answer", async (t) => {
  const { engram } = await startEngram(t);
  const n = 200;
  const puts = Array.from({ length: n }, (_, i) => engram.kvPut({ namespace: "pipe", key: `k${i}`, value: i }));
  const entries = await Promise.all(puts);
  entries.forEach((e, i) => {
    assert.equal(e.key, `k${i}`);
    assert.equal(e.value, i);
  });
  // Interleave successes and failures: each rejection lands on its own request.
  const mixed = await Promise.allSettled(
    Array.from({ length: n }, (_, i) => (i % 3 === 0 ? engram.kvGet("pipe", `missing${i}`) : engram.kvGet<number>("pipe", `k${i}`))),
  );
  mixed.forEach((r, i) => {
    if (i % 3 === 0) {
      assert.equal(r.status, "rejected");
      assert.ok(isEngramError(r.reason, "not_found"));
      assert.match(String(r.reason.message), new RegExp(`missing${i}|not found`, "i"));
    } else {
      assert.equal(r.status, "fulfilled");
      assert.equal(r.value.value, i);
    }
  });
});

test("an oversized request rejects with payload_too_large; its neighbours are unaffected", async (t) => {
  const { engram } = await startEngram(t, { args: ["--max-message-bytes", "1024"] });
  // The server can't read the id of a line it discarded: the client ties the
  // anonymous error to the oldest unanswered request, which is this one.
  const [before, big, after] = await Promise.allSettled([
    engram.kvPut({ namespace: "size", key: "small-1", value: "ok" }),
    engram.kvPut({ namespace: "size", key: "big", value: "x".repeat(4096) }),
    engram.kvPut({ namespace: "size", key: "small-2", value: "ok" }),
  ]);
  assert.equal(before.status, "fulfilled");
  assert.equal(after.status, "fulfilled");
  assert.equal(big.status, "rejected");
  assert.ok(isEngramError(big.reason, "payload_too_large"), String(big.reason));
  assert.equal(big.reason.action, "kv_put");
  assert.deepEqual(
    (await engram.kvList({ namespace: "size" })).entries.map((e) => e.key),
    ["small-1", "small-2"],
  );
});

test("describe lists every action with its schemas", async (t) => {
  const { engram } = await startEngram(t);
  const actions = await engram.describe();
  const names = actions.map((a) => a.name);
  for (const name of ["start_episode", "log_step", "complete_episode", "add_lesson", "kv_put", "health_check"]) {
    assert.ok(names.includes(name), `describe lists ${name}`);
  }
  const add = actions.find((a) => a.name === "add_lesson");
  assert.deepEqual(add?.aliases, ["add"]);
  assert.equal(add?.input_schema["type"], "object");
  assert.equal(actions.find((a) => a.name === "get_lesson")?.read_only, true);
  const metrics = await engram.getMetrics();
  assert.equal(metrics.episodes, 0);
  assert.deepEqual(await engram.verifyStore(), { ok: true });
});

test("the server warms up in the background at start; --no-warm turns that off", async (t) => {
  const { engram } = await startEngram(t);
  await engram.addLesson({ topic: "logs", title: "Structured logs", content: "Log JSON with a request id." });
  const deadline = Date.now() + 15_000;
  let metrics = await engram.getMetrics();
  while (metrics.warm_up?.state === "not_run" || metrics.warm_up?.state === "running") {
    assert.ok(Date.now() < deadline, `warm-up still ${metrics.warm_up.state}`);
    await new Promise((r) => setTimeout(r, 20));
    metrics = await engram.getMetrics();
  }
  assert.equal(metrics.warm_up?.state, "done", JSON.stringify(metrics.warm_up));
  assert.equal(typeof metrics.warm_up?.seconds, "number");
  assert.equal(typeof metrics.warm_up?.lesson_words, "number");
  assert.ok((metrics.warm_up?.page_bytes ?? 0) > 0, JSON.stringify(metrics.warm_up));

  const { engram: cold } = await startEngram(t, { args: ["--no-warm"] });
  await cold.addLesson({ topic: "logs", title: "Log levels", content: "Keep debug logs off in production." });
  assert.equal((await cold.getMetrics()).warm_up?.state, "not_run");
  const found = await cold.searchLessons({ query: "debug logs" });
  assert.equal(found.results[0]?.lesson.title, "Log levels");
});
