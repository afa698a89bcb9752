// Mastra tools over an engram client (engram-client/mastra).
//
//   import { EngramProcess } from "engram-client";
//   import { engramTools } from "engram-client/mastra";
//   const engram = new EngramProcess({ db: "/path/to/memory.db" });
//   const agent = new Agent({ ..., tools: { ...engramTools(engram) } });
//
// The tools are shaped for an agent's task loop: retrieve_context and
// recall_best_practices before working, start_task / log_step / finish_task
// while working, lesson_feedback after applying a lesson, remember_lesson
// for knowledge worth keeping.
import { createTool } from "@mastra/core/tools";
import { z } from "zod";

import type { EngramApi } from "./api.js";
import {
  COMPLEXITIES,
  FEEDBACK_SIGNALS,
  LESSON_SCOPES,
  LESSON_SOURCES,
  LESSON_TYPES,
  OUTCOME_KINDS,
  STEP_STATUSES,
  TASK_TYPES,
  type EpisodeResult,
  type Lesson,
  type Outcome,
} from "./types.js";

// ------------------------------------------------------------------ schemas

const lessonType = z.enum(LESSON_TYPES);
const tags = z.array(z.string()).describe("Tags, lower-case.");
const project = z.string().describe("Project id; scopes memories to one project.");
const limit = z.number().int().min(1).max(100);

const lessonOut = z.object({
  id: z.string(),
  type: lessonType,
  topic: z.string(),
  title: z.string(),
  content: z.string(),
  confidence: z.number(),
  scope: z.enum(LESSON_SCOPES),
  project: z.string(),
  tags: z.array(z.string()),
  version: z.number(),
  score: z.number().optional().describe("Relevance score when recalled by a query (higher is better)."),
});
type LessonOut = z.infer<typeof lessonOut>;

const recallInput = z.object({
  query: z.string().optional().describe("What you are about to do, in words; ranks the lessons."),
  topic: z.string().optional().describe("Only this topic, e.g. react, testing."),
  tags: tags.optional().describe("Only lessons carrying all these tags."),
  type: lessonType.optional().describe("Only this kind of lesson."),
  project: project.optional(),
  min_confidence: z.number().min(0).max(1).optional(),
  limit: limit.optional().describe("Maximum lessons (default 10)."),
});

const episodeOut = z.object({
  episode_id: z.string(),
  description: z.string(),
  task_type: z.enum(TASK_TYPES),
  outcome_kind: z.string().optional().describe("success, partial, failure or abstained; absent while open."),
  reward_total: z.number().optional(),
  matched_context: z.array(z.string()).describe("Context fields equal to the request's (language, project, ...)."),
  score: z.number().describe("Relevance, boosted by reward and matching context."),
  successes: z.array(z.string()).optional().describe("Reflection: what worked."),
  failures: z.array(z.string()).optional().describe("Reflection: what failed."),
  improvements: z.array(z.string()).optional().describe("Reflection: what to do differently."),
  insights: z.array(z.string()).optional().describe("Reflection: what was learned."),
  fixes: z
    .array(z.string())
    .optional()
    .describe("What fixed its failures: the failing step -> the fix -> the run that passed."),
  approach: z.array(z.string()).optional().describe("Its final working approach, step by step."),
});
type EpisodeOut = z.infer<typeof episodeOut>;

const finishInput = z.object({
  episode_id: z.string().describe("Id from start_task."),
  outcome: z.enum(OUTCOME_KINDS).describe("success, partial, failure or abstained."),
  verdict: z.string().optional().describe("success: what was achieved."),
  artifacts: z.array(z.string()).optional().describe("success: files, commits, PRs."),
  completed: z.array(z.string()).optional().describe("partial: sub-goals done."),
  failed: z.array(z.string()).optional().describe("partial: sub-goals not done."),
  reason: z.string().optional().describe("failure/abstained: why."),
  details: z.string().optional().describe("failure: error output or analysis."),
});

const contextFields = {
  language: z.string().optional().describe("Programming language, e.g. typescript."),
  framework: z.string().optional().describe("Framework or library, e.g. react."),
  domain: z.string().optional().describe("Area, e.g. web, cli, embedded."),
  project: project.optional(),
};

// ------------------------------------------------------------------- recall

/**
 * Lessons for a query and filters, best first, with their scores.
 *
 * With a query this is search_lessons: hybrid BM25 + embeddings (BM25 only
 * when the server has no embedder), query expansion, ranked with confidence,
 * decay, type and recency, near-duplicates diversified; the filters restrict
 * the candidates. Without a query there is nothing to rank by relevance, so
 * it lists the lessons the filters match (the UNRANKED_POOL most recently
 * updated), most confident first.
 */
async function recallLessons(client: EngramApi, input: z.infer<typeof recallInput>): Promise<LessonOut[]> {
  const want = input.limit ?? 10;
  const filters = {
    topic: input.topic,
    tags: input.tags,
    type: input.type,
    project: input.project,
    min_confidence: input.min_confidence,
  };
  const query = input.query?.trim() ?? "";
  if (query !== "") {
    const { results } = await client.searchLessons({ query, ...filters, limit: want });
    return results.map((r) => ({ ...lessonView(r.lesson), score: r.score }));
  }
  const { lessons } = await client.listLessons({ ...filters, limit: Math.max(want, UNRANKED_POOL) });
  const byConfidence = lessons.map((lesson, rank) => ({ lesson, rank }));
  byConfidence.sort((a, b) => b.lesson.confidence - a.lesson.confidence || a.rank - b.rank);
  return byConfidence.slice(0, want).map((s) => lessonView(s.lesson));
}

/** Lessons a query-less recall orders by confidence (more if the limit is larger). */
const UNRANKED_POOL = 100;

/**
 * retrieve_context's task description: the query, else the context fields
 * in words (the operation needs a description to find similar episodes).
 */
function contextDescription(c: { query?: string | undefined } & Record<string, unknown>): string {
  const query = c.query?.trim() ?? "";
  if (query !== "") return query;
  return ["task_type", "language", "framework", "domain", "project"]
    .map((k) => c[k])
    .filter((v): v is string => typeof v === "string" && v.trim() !== "")
    .join(" ");
}

function episodeView(e: EpisodeResult): EpisodeOut {
  const view: EpisodeOut = {
    episode_id: e.id,
    description: e.description,
    task_type: e.task_type,
    matched_context: e.matched_context,
    score: e.score,
  };
  if (e.outcome_kind !== null) view.outcome_kind = e.outcome_kind;
  if (e.reward_total !== null) view.reward_total = e.reward_total;
  if (e.reflection !== null) {
    view.successes = e.reflection.successes ?? [];
    view.failures = e.reflection.failures ?? [];
    view.improvements = e.reflection.improvements ?? [];
    view.insights = e.reflection.insights ?? [];
  }
  if (e.what_worked.recovery.length > 0) view.fixes = e.what_worked.recovery.map((r) => r.text);
  if (e.what_worked.approach.length > 0) view.approach = e.what_worked.approach;
  return view;
}

/** The outcome of finish_task's flat input, with the fields its kind has. */
function outcomeOf(c: z.infer<typeof finishInput>): Outcome {
  switch (c.outcome) {
    case "success":
      return { kind: c.outcome, verdict: c.verdict, artifacts: c.artifacts };
    case "partial":
      return { kind: c.outcome, completed: c.completed, failed: c.failed };
    case "failure":
      return { kind: c.outcome, reason: c.reason, details: c.details };
    case "abstained":
      return { kind: c.outcome, reason: c.reason };
  }
}

function lessonView(l: Lesson): LessonOut {
  const { id, type, topic, title, content, confidence, scope, project: p, tags: t, version } = l;
  return { id, type, topic, title, content, confidence, scope, project: p, tags: t, version };
}

// -------------------------------------------------------------------- tools

/** The engram tools for a Mastra agent, keyed by id. */
export function engramTools(client: EngramApi) {
  const recall_best_practices = createTool({
    id: "recall_best_practices",
    description:
      "Recall lessons (best practices, anti-patterns, gotchas) from long-term memory before " +
      "starting or while doing a task. Describe the task in `query`; narrow with topic/tags/type.",
    inputSchema: recallInput,
    outputSchema: z.object({ lessons: z.array(lessonOut), count: z.number() }),
    execute: async ({ context }) => {
      const lessons = await recallLessons(client, context);
      return { lessons, count: lessons.length };
    },
  });

  const remember_lesson = createTool({
    id: "remember_lesson",
    description:
      "Store a reusable lesson in long-term memory: what to do or avoid, and why. Use for " +
      "knowledge that will help in future tasks, not for task progress.",
    inputSchema: z.object({
      topic: z.string().min(1).describe("Subject area, e.g. react, testing."),
      title: z.string().min(1).describe("One-line summary."),
      content: z.string().min(1).describe("The lesson: what to do or avoid, and why."),
      type: lessonType.optional().describe("Kind of knowledge (default best_practice)."),
      confidence: z.number().min(0).max(1).optional().describe("How sure, 0..1 (default 0.5)."),
      tags: tags.optional(),
      situations: z
        .array(z.string().min(1))
        .max(8)
        .optional()
        .describe(
          "When it applies, told as the symptom you saw (error message, failing test, " +
            "incident); a later task that meets the same symptom finds this lesson.",
        ),
      scope: z.enum(LESSON_SCOPES).optional().describe("global (default) or project."),
      project: project.optional().describe("Project id; required when scope is project."),
      source: z.enum(LESSON_SOURCES).optional(),
    }),
    outputSchema: lessonOut,
    execute: async ({ context }) => lessonView(await client.addLesson(context)),
  });

  const start_task = createTool({
    id: "start_task",
    description:
      "Start recording a task in engram. Keep the returned episode_id: pass it to log_step " +
      "after each meaningful action and to finish_task at the end.",
    inputSchema: z.object({
      description: z.string().min(1).describe("What the task is, in one or two sentences."),
      task_type: z.enum(TASK_TYPES).optional(),
      ...contextFields,
      tags: tags.optional(),
      complexity: z.enum(COMPLEXITIES).optional(),
    }),
    outputSchema: z.object({ episode_id: z.string(), started_at: z.number() }),
    execute: async ({ context }) => {
      const { description, task_type, tags: t, complexity, ...where } = context;
      const episode = await client.startEpisode({
        description,
        task_type,
        context: { ...where, tags: t, complexity },
      });
      return { episode_id: episode.id, started_at: episode.started_at };
    },
  });

  const log_step = createTool({
    id: "log_step",
    description: "Record one action of the current task (a tool call, an edit, a command) and its result.",
    inputSchema: z.object({
      episode_id: z.string().describe("Id from start_task."),
      tool: z.string().min(1).describe("Tool used, e.g. bash, editor."),
      action: z.string().min(1).describe("What was done."),
      status: z.enum(STEP_STATUSES).optional().describe("Result (default success)."),
      output: z.string().optional().describe("Output, or the error message."),
      observation: z.string().optional().describe("What you concluded."),
      latency_ms: z.number().int().min(0).optional(),
      tokens: z.number().int().min(0).optional(),
    }),
    outputSchema: z.object({ episode_id: z.string(), step_number: z.number() }),
    execute: async ({ context }) => {
      const step = await client.logStep(context);
      return { episode_id: context.episode_id, step_number: step.number };
    },
  });

  const finish_task = createTool({
    id: "finish_task",
    description:
      "Finish the current task with its outcome. engram scores it and returns a reflection " +
      "(what worked, what failed, what to try next).",
    inputSchema: finishInput,
    outputSchema: z.object({
      episode_id: z.string(),
      outcome: z.enum(OUTCOME_KINDS),
      reward_total: z.number().optional(),
      reward_notes: z.array(z.string()),
      improvements: z.array(z.string()),
      insights: z.array(z.string()),
    }),
    execute: async ({ context }) => {
      const { episode_id, outcome: kind } = context;
      const episode = await client.completeEpisode(episode_id, outcomeOf(context));
      return {
        episode_id,
        outcome: kind,
        reward_total: episode.reward?.total,
        reward_notes: episode.reward?.notes ?? [],
        improvements: episode.reflection?.improvements ?? [],
        insights: episode.reflection?.insights ?? [],
      };
    },
  });

  const retrieve_context = createTool({
    id: "retrieve_context",
    description:
      "Before a task: what engram remembers that is relevant — past episodes in the same " +
      "context (with their outcome and what to improve) and the lessons that apply.",
    inputSchema: z.object({
      query: z.string().optional().describe("The task about to start, in words."),
      task_type: z.enum(TASK_TYPES).optional(),
      ...contextFields,
      limit: limit.optional().describe("Maximum episodes and lessons each (default 5, at most 50 used)."),
      min_relevance: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe("Drop results under this calibrated relevance (default engram's threshold; 0 keeps all)."),
    }),
    outputSchema: z.object({
      episodes: z.array(episodeOut),
      lessons: z.array(lessonOut),
      no_relevant_memory: z.boolean().describe("True when nothing remembered is relevant to the task."),
      heuristics: z.array(z.string()).describe("Learned rules that apply to the task."),
      warnings: z.array(z.string()).describe("What to avoid: anti-patterns, gotchas, failures seen before."),
      summary: z.string().describe("What fixed similar tasks, in a few lines; empty when nothing did."),
    }),
    // The retrieve_context operation: episodes found by their description
    // and reflection (BM25 + embeddings), boosted by reward and by the
    // context fields they share with the request (not filtered by them),
    // plus the lessons search_lessons finds for the task.
    execute: async ({ context }) => {
      const { task_type, language, framework, domain, project: p } = context;
      const description = contextDescription(context);
      if (description === "") {
        throw new Error("retrieve_context needs a query or at least one of task_type, language, framework, domain, project");
      }
      const want = Math.min(context.limit ?? 5, MAX_CONTEXT_LIMIT);
      const found = await client.retrieveContext({
        description,
        task_type,
        context: { language, framework, domain, project: p },
        episode_limit: want,
        lesson_limit: want,
        min_relevance: context.min_relevance,
      });
      return {
        episodes: found.episodes.map(episodeView),
        lessons: found.lessons.map((r) => ({ ...lessonView(r.lesson), score: r.score })),
        no_relevant_memory: found.no_relevant_memory,
        heuristics: found.heuristics.map((h) => h.description),
        warnings: found.warnings.map((w) => w.text),
        summary: found.summary,
      };
    },
  });

  const lesson_feedback = createTool({
    id: "lesson_feedback",
    description:
      "After applying a lesson (from recall_best_practices or retrieve_context), report whether " +
      "it helped. Its confidence moves by engram's rule, so helpful lessons rank higher next " +
      "time and misleading ones lower.",
    inputSchema: z.object({
      lesson_id: z.string().min(1).describe("Id of the lesson you applied."),
      signal: z
        .enum(FEEDBACK_SIGNALS)
        .describe(
          "What happened: helped, no_effect, hindered; accepted or rejected (a reviewer's verdict); " +
            "tests_passed; harmful (it caused damage).",
        ),
      episode_id: z.string().optional().describe("Id from start_task, when applied in a task."),
      note: z.string().optional().describe("What happened, in a sentence."),
      actor: z.string().optional().describe("Who reports it (default agent:mastra)."),
    }),
    outputSchema: z.object({
      lesson_id: z.string(),
      signal: z.enum(FEEDBACK_SIGNALS),
      confidence_before: z.number().optional().describe("The lesson's confidence before the report."),
      confidence_after: z.number().describe("Its confidence now."),
      rule: z.string().describe("The rule that moved it, in words."),
    }),
    // The lesson_feedback operation (docs/LEARNING.md, "Feedback and
    // reinforcement").
    execute: async ({ context }) => {
      const { lesson_id, signal, episode_id, note, actor } = context;
      const { event, lesson, rule } = await client.lessonFeedback({
        lesson_id,
        signal,
        episode_id,
        note,
        actor: actor ?? "agent:mastra",
      });
      return {
        lesson_id,
        signal: event.signal,
        confidence_before: event.before,
        confidence_after: lesson.confidence,
        rule,
      };
    },
  });

  return {
    recall_best_practices,
    remember_lesson,
    start_task,
    log_step,
    finish_task,
    retrieve_context,
    lesson_feedback,
  };
}

/** retrieve_context's episode and lesson limits accept at most this. */
const MAX_CONTEXT_LIMIT = 50;

export type EngramTools = ReturnType<typeof engramTools>;
