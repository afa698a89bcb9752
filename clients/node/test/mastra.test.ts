// engramTools(client): each Mastra tool executed the way @mastra/core 0.24.9
// runs tools ({ context, runtimeContext }), against a live engram process.
import assert from "node:assert/strict";
import { test } from "node:test";

import { RuntimeContext } from "@mastra/core/runtime-context";

import { engramTools } from "../src/mastra.js";
import { startEngram } from "./helpers.js";

/** The execution context Mastra passes to Tool.execute. */
function ctx<T>(context: T): { context: T; runtimeContext: RuntimeContext } {
  return { context, runtimeContext: new RuntimeContext() };
}

test("Mastra tools: task lifecycle, lessons and context round-trip through engram", async (t) => {
  const { engram } = await startEngram(t);
  const tools = engramTools(engram);
  assert.deepEqual(Object.keys(tools).sort(), [
    "finish_task",
    "lesson_feedback",
    "log_step",
    "recall_best_practices",
    "remember_lesson",
    "retrieve_context",
    "start_task",
  ]);
  for (const [key, tool] of Object.entries(tools)) assert.equal(tool.id, key);

  const remembered = await tools.remember_lesson.execute(
    ctx({
      topic: "react",
      title: "Memoise context values",
      content: "Wrap context provider values in useMemo so consumers do not re-render on every parent render.",
      type: "best_practice" as const,
      confidence: 0.8,
      tags: ["performance"],
    }),
  );
  assert.equal(remembered.title, "Memoise context values");
  assert.equal(remembered.version, 1);
  assert.deepEqual((await engram.getLesson(remembered.id)).tags, ["performance"]);
  await tools.remember_lesson.execute(
    ctx({ topic: "sql", title: "Index foreign keys", content: "Joins on unindexed foreign keys scan.", confidence: 0.7 }),
  );
  await tools.remember_lesson.execute(
    ctx({ topic: "react", title: "Keys in lists", content: "Use stable keys, not array indexes.", type: "gotcha" as const, confidence: 0.6 }),
  );

  const byTopic = await tools.recall_best_practices.execute(ctx({ topic: "react" }));
  assert.equal(byTopic.count, 2);
  assert.deepEqual(
    byTopic.lessons.map((l) => l.title),
    ["Memoise context values", "Keys in lists"],
  );
  const byType = await tools.recall_best_practices.execute(ctx({ type: "gotcha" as const }));
  assert.deepEqual(
    byType.lessons.map((l) => l.title),
    ["Keys in lists"],
  );
  // With a query, recall is search_lessons: ranked by relevance, with scores.
  const byQuery = await tools.recall_best_practices.execute(ctx({ query: "slow join on a foreign key", limit: 1 }));
  assert.deepEqual(
    byQuery.lessons.map((l) => l.title),
    ["Index foreign keys"],
  );
  assert.ok((byQuery.lessons[0]?.score ?? 0) > 0);
  // ... so a lesson phrased differently from the query is recalled too: no
  // word of this query is in the lesson (BM25 0), its meaning is.
  const paraphrase = "components redraw too often when the shared state object changes";
  const direct = await engram.searchLessons({ query: paraphrase, expand: false });
  const hit = direct.results.find((r) => r.lesson.id === remembered.id);
  assert.ok(hit !== undefined && hit.explanation.bm25 === 0, JSON.stringify(direct.results.map((r) => r.explanation)));
  const recalled = await tools.recall_best_practices.execute(ctx({ query: paraphrase, limit: 1 }));
  assert.deepEqual(
    recalled.lessons.map((l) => l.id),
    [remembered.id],
  );
  // Filters restrict the search.
  const filtered = await tools.recall_best_practices.execute(ctx({ query: paraphrase, topic: "sql" }));
  assert.ok(filtered.lessons.every((l) => l.topic === "sql"));

  const started = await tools.start_task.execute(
    ctx({ description: "Speed up the dashboard", task_type: "refactoring" as const, language: "typescript", project: "dash", tags: ["perf"] }),
  );
  const episode = await engram.getEpisode(started.episode_id);
  assert.equal(episode.context.project, "dash");
  assert.deepEqual(episode.context.tags, ["perf"]);

  const step1 = await tools.log_step.execute(
    ctx({ episode_id: started.episode_id, tool: "profiler", action: "record a render profile", observation: "context re-renders" }),
  );
  const step2 = await tools.log_step.execute(
    ctx({ episode_id: started.episode_id, tool: "editor", action: "useMemo the provider value", status: "success" as const }),
  );
  assert.deepEqual([step1.step_number, step2.step_number], [1, 2]);

  const finished = await tools.finish_task.execute(
    ctx({ episode_id: started.episode_id, outcome: "success" as const, verdict: "render time halved", artifacts: ["src/Provider.tsx"] }),
  );
  assert.equal(finished.outcome, "success");
  assert.ok(finished.reward_total !== undefined && finished.reward_total > 0);
  assert.ok(finished.reward_notes.length > 0);
  const completed = await engram.getEpisode(started.episode_id);
  assert.deepEqual(completed.outcome, { kind: "success", verdict: "render time halved", artifacts: ["src/Provider.tsx"] });
  assert.equal(completed.steps.length, 2);

  // Another project's failed episode with a similar description ranks below
  // the episode of the same context.
  const elsewhere = await engram.startEpisode({ description: "Speed up the dashboard charts", context: { project: "other" } });
  await engram.completeEpisode(elsewhere.id, { kind: "failure", reason: "gave up" });

  const context = await tools.retrieve_context.execute(
    // min_relevance 0: every memory, ranked (not a relevance test).
    ctx({
      query: "make the dashboard faster",
      task_type: "refactoring" as const,
      language: "typescript",
      project: "dash",
      min_relevance: 0,
    }),
  );
  const first = context.episodes[0];
  assert.ok(first !== undefined);
  assert.equal(first.episode_id, started.episode_id);
  assert.equal(first.outcome_kind, "success");
  assert.equal(first.reward_total, completed.reward?.total);
  assert.deepEqual([...first.matched_context].sort(), ["language", "project", "task_type"]);
  // The reflection comes with it.
  assert.deepEqual(first.improvements, completed.reflection?.improvements);
  assert.deepEqual(first.insights, completed.reflection?.insights);
  assert.deepEqual(first.successes, completed.reflection?.successes);
  // What worked, as actions: no failure to fix, the approach step by step.
  assert.equal(first.fixes, undefined);
  assert.deepEqual(first.approach, ["profiler: record a render profile", "editor: useMemo the provider value"]);
  assert.equal(typeof context.summary, "string");
  assert.ok(Array.isArray(context.warnings) && Array.isArray(context.heuristics));
  const other = context.episodes.find((e) => e.episode_id === elsewhere.id);
  assert.ok(other === undefined || other.score < first.score);
  assert.ok(context.lessons.some((l) => l.id === remembered.id), JSON.stringify(context.lessons.map((l) => l.title)));

  // Without a query or any context field there is no task to match.
  await assert.rejects(tools.retrieve_context.execute(ctx({})), /needs a query/);

  // A lesson remembered with the symptom it answers is found by that symptom.
  const symptom = "apt-get install fails with Hash Sum mismatch on the nightly job";
  const pinned = await tools.remember_lesson.execute(
    ctx({ topic: "ci", title: "Pin the runner image", content: "Use a fixed image digest for CI runners.", situations: [symptom] }),
  );
  assert.deepEqual((await engram.getLesson(pinned.id)).situations, [symptom]);
  const bySymptom = await tools.recall_best_practices.execute(ctx({ query: "Hash Sum mismatch", limit: 1 }));
  assert.deepEqual(
    bySymptom.lessons.map((l) => l.id),
    [pinned.id],
  );
});

test("Mastra tools: lesson_feedback moves a recalled lesson's confidence and records the report", async (t) => {
  const { engram } = await startEngram(t);
  const tools = engramTools(engram);
  const lesson = await tools.remember_lesson.execute(
    ctx({ topic: "git", title: "Rebase before merging", content: "Rebasing keeps the history linear.", confidence: 0.5 }),
  );
  const { episode_id } = await tools.start_task.execute(ctx({ description: "Merge the release branch" }));
  const recalled = await tools.recall_best_practices.execute(ctx({ topic: "git" }));
  assert.deepEqual(
    recalled.lessons.map((l) => l.id),
    [lesson.id],
  );

  const helped = await tools.lesson_feedback.execute(
    ctx({ lesson_id: lesson.id, signal: "helped" as const, episode_id, note: "history stayed linear" }),
  );
  assert.equal(helped.lesson_id, lesson.id);
  assert.equal(helped.signal, "helped");
  assert.equal(helped.confidence_before, 0.5);
  assert.ok(helped.confidence_after > 0.5, JSON.stringify(helped));
  assert.equal(helped.confidence_after, (await engram.getLesson(lesson.id)).confidence);
  assert.ok(helped.rule.length > 0);

  const harmful = await tools.lesson_feedback.execute(ctx({ lesson_id: lesson.id, signal: "harmful" as const }));
  assert.equal(harmful.confidence_before, helped.confidence_after);
  assert.ok(harmful.confidence_after < helped.confidence_after, JSON.stringify(harmful));

  // Both reports are stored with who made them and where.
  const events = await engram.listLessonFeedback(lesson.id);
  assert.deepEqual(
    events.events.map((e) => [e.signal, e.actor, e.episode_id, e.note]),
    [
      ["harmful", "agent:mastra", "", ""],
      ["helped", "agent:mastra", episode_id, "history stayed linear"],
    ],
  );

  // A signal engram does not know is Mastra's validation error; an unknown
  // lesson is engram's not_found.
  const invalid: unknown = await tools.lesson_feedback.execute(ctx({ lesson_id: lesson.id, signal: "great" }) as never);
  assert.ok(typeof invalid === "object" && invalid !== null && "error" in invalid && invalid.error === true);
  assert.equal((await engram.listLessonFeedback(lesson.id)).count, 2);
  await assert.rejects(
    tools.lesson_feedback.execute(ctx({ lesson_id: "no-such-lesson", signal: "helped" as const })),
    (err: unknown) => err instanceof Error && "code" in err && err.code === "not_found",
  );
});

test("Mastra tools: invalid input is reported by Mastra's validation, engram errors reject", async (t) => {
  const { engram } = await startEngram(t);
  const tools = engramTools(engram);
  // @mastra/core returns a validation error object instead of calling execute.
  const invalid: unknown = await tools.remember_lesson.execute(ctx({ topic: "x", title: "", content: "y" }));
  assert.ok(typeof invalid === "object" && invalid !== null && "error" in invalid && invalid.error === true);
  assert.equal((await engram.listLessons()).count, 0);
  // Only the fields of the outcome's kind are sent.
  const { episode_id } = await tools.start_task.execute(ctx({ description: "Migrate the build" }));
  const partial = await tools.finish_task.execute(
    ctx({ episode_id, outcome: "partial" as const, completed: ["cmake"], failed: ["ci"], verdict: "ignored for partial" }),
  );
  assert.equal(partial.outcome, "partial");
  assert.deepEqual((await engram.getEpisode(episode_id)).outcome, { kind: "partial", completed: ["cmake"], failed: ["ci"] });
  await assert.rejects(
    tools.log_step.execute(ctx({ episode_id: "no-such-episode", tool: "bash", action: "ls" })),
    (err: unknown) => err instanceof Error && "code" in err && err.code === "not_found",
  );
});
