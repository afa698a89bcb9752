// Types of engram's retrieval operations (search_lessons, retrieve_context,
// query_memory, add_note, search_notes), matching the JSON Schemas the
// server publishes (src/server/ops_search.cc; scoring in docs/RETRIEVAL.md).
// Re-exported by types.ts.
import type { Complexity, JsonObject, Lesson, LessonType, TaskContext, TaskType } from "./model_types.js";

/** hybrid = BM25 + embeddings; bm25 = the server has no embedder. */
export type SearchMode = "hybrid" | "bm25";

/** Every component of a result's score (docs/RETRIEVAL.md). */
export interface ScoreExplanation {
  mode: SearchMode;
  /** Why a component is missing, if one is. */
  note?: string;
  /** Raw BM25 (0 = no query term matched). */
  bm25: number;
  /** BM25 / best BM25 among the candidates. */
  lexical: number;
  /** Embedding cosine similarity (hybrid). */
  cosine: number;
  /** Min-max normalised cosine (hybrid). */
  semantic: number;
  /** (1 - w) lexical + w semantic. */
  relevance: number;
  /** 1 - cw + cw * confidence. */
  confidence_factor: number;
  /** 0.98 ^ months since last use. */
  decay: number;
  months_unused: number;
  type_weight: number;
  /** exp(-days since update / 90). */
  recency: number;
  /** Episodes: reward and context-overlap boost. */
  boost: number;
  /** Diversity penalty applied by MMR. */
  mmr_penalty: number;
  score: number;
  /** Lessons: the opinion profile that weighted the factors. */
  profile?: string;
  /** BM25 credited through query-expansion terms (absent = none). */
  expansion?: number;
  /** Lessons: score factor for contradicting a more trusted result (absent = 1). */
  contradiction_factor?: number;
  /** Share of the query's idf mass the text holds, 0..1. */
  coverage: number;
  /** idf of the query words the text holds, in units of the rarest possible word. */
  matched_idf: number;
  /**
   * Calibrated probability that the result is relevant, 0..1: the same scale for
   * every query, BM25-only and hybrid (docs/RETRIEVAL.md, "Absolute relevance").
   */
  absolute_relevance: number;
}

/** One lesson found, with its score explained. */
export interface LessonResult {
  lesson: Lesson;
  score: number;
  /** Estimated tokens (4 characters each). */
  tokens: number;
  explanation: ScoreExplanation;
  /** Other results of the same response this lesson contradicts (absent = none). */
  contradicts?: string[];
  /** Which contradicting lesson is trusted more and how this one was ranked for it. */
  warning?: string;
}

/** The opinion profile that weighted a ranking (docs/LEARNING.md). */
export interface OpinionProfile {
  name: string;
  description: string;
  /** Built in, or a kv entry of namespace "profiles". */
  source: "built_in" | "custom";
  /** cw: confidence factor 1 - cw + cw * confidence. */
  confidence: number;
  /** rw: recency factor 1 + rw * recency. */
  recency: number;
  /** MMR diversity share (lambda = 1 - novelty). */
  novelty: number;
  /** Gotcha weight 1 + safety, anti_pattern 1 + safety / 2. */
  safety: number;
}

/** A term query expansion added, and why. */
export interface ExpansionTerm {
  term: string;
  source: "tag" | "topic" | "cluster";
  /** The query term that brought it in. */
  from: string;
  /** Co-occurrence share, or the cluster strength. */
  strength: number;
}

export interface QueryExpansionReport {
  /** Whether expansion ran (the `expand` argument). */
  enabled: boolean;
  /** Terms added to the query, strongest first. */
  terms: ExpansionTerm[];
}

/** Opinion profile names built in; custom ones live in kv namespace "profiles". */
export type ProfileName = "default" | "pragmatic" | "strict" | "startup" | "enterprise" | (string & {});

export interface SearchLessonsInput {
  /** What you need to know, in words or identifiers. */
  query: string;
  /** Include this project's lessons (never another project's). */
  project?: string;
  type?: LessonType;
  topic?: string;
  /** Lessons carrying all these tags. */
  tags?: string[];
  min_confidence?: number;
  include_deprecated?: boolean;
  /** 1..100, default 10. */
  limit?: number;
  /** Pack the best results into this many tokens (0 = no budget). */
  token_budget?: number;
  /** Diversify near-duplicates with MMR (default true). */
  diversify?: boolean;
  profile?: ProfileName;
  /** Expand the query with related topics, tags and cluster terms (default true). */
  expand?: boolean;
  /** Drop results under this absolute relevance, 0..1 (default: the calibrated threshold; 0 keeps all). */
  min_relevance?: number;
}

export interface SearchLessonsResult {
  mode: SearchMode;
  /** Why the search is BM25 only, if it is. */
  note?: string;
  /** Best first. */
  results: LessonResult[];
  /** Estimated tokens of all results. */
  tokens: number;
  /** Candidates that passed the filters. */
  candidates: number;
  profile: OpinionProfile;
  expansion: QueryExpansionReport;
  /** The absolute-relevance threshold applied. */
  min_relevance: number;
  /** True when no result reached min_relevance: nothing relevant is remembered. */
  no_relevant_memory: boolean;
  /** With no_relevant_memory: the dropped result of highest absolute relevance. */
  near_miss?: LessonResult;
}

/** Where a new task happens (every field optional). */
export interface ContextInput {
  language?: string;
  framework?: string;
  domain?: string;
  project?: string;
  tags?: string[];
  complexity?: Complexity;
}

export interface RetrieveContextInput {
  /** The new task, in one or two sentences. */
  description: string;
  context?: ContextInput;
  task_type?: TaskType;
  /** 1..50, default 5. */
  episode_limit?: number;
  /** 0..50, default 5. */
  lesson_limit?: number;
  /** Token budget for the lessons (0 = none). */
  token_budget?: number;
  profile?: ProfileName;
  /** Also other projects' episodes (default false: global and context.project's only). */
  include_other_projects?: boolean;
  /** As SearchLessonsInput.min_relevance, for episodes and lessons. */
  min_relevance?: number;
}

export interface ContextReflection {
  successes?: string[];
  failures?: string[];
  improvements?: string[];
  insights?: string[];
}

/** One failure of a past episode and what fixed it; steps read "<tool>: <action>". */
export interface WorkedRecovery {
  /** The failing step and its error: "bash: npm test failed: Timeout in login.spec.ts". */
  failed: string;
  failed_step: number;
  /** Failed runs of the step before it passed. */
  attempts: number;
  /** Steps after which it failed again (did not help). */
  tried: string[];
  /** Steps between its last failure and the passing run; empty = a plain retry. */
  fix: string[];
  /** The run that passed: "bash: npm test passed". */
  verified: string;
  verified_step: number;
  /** failed -> fix -> verified on one line. */
  text: string;
}

/** What worked in a past episode, as actions (docs/RETRIEVAL.md, "What worked"). */
export interface WhatWorked {
  /** The outcome is success or partial. */
  worked: boolean;
  recovery: WorkedRecovery[];
  /** Final working approach; empty unless worked. */
  approach: string[];
  /** Failures never followed by a passing run. */
  unresolved: string[];
}

/** A learned heuristic that applies to the task. */
export interface ContextHeuristic {
  id: string;
  /** "do: <step>". */
  action: string;
  description: string;
  confidence: number;
  effectiveness: number;
  /** "context": its condition matches the task; "episodes": a returned episode is its evidence. */
  matched_by: Array<"context" | "episodes">;
  episode_ids: string[];
}

/** Something to avoid. */
export interface ContextWarning {
  kind: "avoid_heuristic" | "anti_pattern" | "gotcha" | "failed_episode" | "unresolved_error" | "did_not_help";
  /** Heuristic, lesson or episode id. */
  source_id: string;
  text: string;
}

/** A past episode relevant to a new task. */
export interface EpisodeResult {
  id: string;
  task_type: TaskType;
  description: string;
  context: TaskContext;
  /** null while the episode is open. */
  outcome_kind: string | null;
  reward_total: number | null;
  /** What the episode taught; null while it is open. */
  reflection: ContextReflection | null;
  /** Context fields equal to the request's (language, project, ...). */
  matched_context: string[];
  score: number;
  explanation: ScoreExplanation;
  /** Its recoveries and approach, as actions. */
  what_worked: WhatWorked;
}

/** retrieve_context and query_memory. */
export interface ContextResult {
  mode: SearchMode;
  note?: string;
  /** Relevant past episodes, best first. */
  episodes: EpisodeResult[];
  /** Relevant lessons, best first. */
  lessons: LessonResult[];
  /** Learned heuristics that apply to the task. */
  heuristics: ContextHeuristic[];
  /** What to avoid: anti-pattern heuristics and lessons, gotchas, failures seen before. */
  warnings: ContextWarning[];
  /** Lines an agent can paste; "" when there is nothing to say. */
  summary: string;
  /** The absolute-relevance threshold applied. */
  min_relevance: number;
  /** True when neither an episode nor a lesson reached min_relevance. */
  no_relevant_memory: boolean;
  /** For each empty list, its dropped result of highest absolute relevance. */
  near_miss?: { episode?: EpisodeResult; lesson?: LessonResult };
}

export interface QueryMemoryInput {
  query: string;
  /** Include this project's memories. */
  project?: string;
  /** Maximum lessons and episodes each, 1..50 (default 5). */
  limit?: number;
  /** Also other projects' episodes (default false: global and project's only). */
  include_other_projects?: boolean;
  /** As RetrieveContextInput.min_relevance. */
  min_relevance?: number;
  /** Only episodes of this kind of task (lessons are not filtered). */
  task_type?: TaskType;
  /** Only episodes of this domain, e.g. web (lessons are not filtered; "" = any). */
  domain?: string;
}

export interface Note {
  id: number;
  thread: string;
  /** Position in the thread, from 0. */
  position: number;
  speaker: string;
  text: string;
  timestamp: number;
  metadata: JsonObject;
  /** Project it belongs to ("" = global). */
  project: string;
}

export interface AddNoteInput {
  /** Thread id, e.g. a conversation or session. */
  thread: string;
  text: string;
  speaker?: string;
  /** Default: next in the thread. */
  position?: number;
  /** Unix ms, default now. */
  timestamp?: number;
  metadata?: JsonObject;
  /** Project it belongs to (default: global). */
  project?: string;
}

export interface SearchNotesInput {
  query: string;
  /** Only this thread (default: all). */
  thread?: string;
  /** Global notes plus this project's (default: global notes only). */
  project?: string;
  /** 1..1000, default 10. */
  limit?: number;
}

export interface NoteResult {
  note: Note;
  /** Score after smoothing over neighbouring notes of the thread. */
  score: number;
  bm25: number;
  /** Cosine (hybrid). */
  cosine: number;
  /** Score before smoothing. */
  base: number;
}

export interface SearchNotesResult {
  mode: SearchMode;
  note?: string;
  /** Best first; notes scoring 0 are left out. */
  results: NoteResult[];
}
