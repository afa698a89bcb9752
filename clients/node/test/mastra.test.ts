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
  // The query ranks lessons by the words they share with it.
  const byQuery = await tools.recall_best_practices.execute(ctx({ query: "slow join on a foreign key", limit: 1 }));
  assert.deepEqual(
    byQuery.lessons.map((l) => l.title),
    ["Index foreign keys"],
  );

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

  // Another project's episode must not show up in this project's context.
  const elsewhere = await engram.startEpisode({ description: "Unrelated", context: { project: "other" } });
  await engram.completeEpisode(elsewhere.id, { kind: "failure", reason: "n/a" });

  const context = await tools.retrieve_context.execute(ctx({ query: "react context performance", project: "dash" }));
  assert.deepEqual(
    context.episodes.map((e) => [e.episode_id, e.outcome_kind, e.step_count]),
    [[started.episode_id, "success", 2]],
  );
  assert.deepEqual(context.episodes[0]?.improvements, completed.reflection?.improvements);
  assert.equal(context.lessons[0]?.title, "Memoise context values");
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
