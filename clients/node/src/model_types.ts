// The base types of engram's operations: JSON values, the enums, episodes,
// steps, lessons, kv entries and the system answers, matching the JSON
// Schemas the server publishes (src/server/model_schemas.cc). Retrieval
// types are in search_types.ts, learning types in learning_types.ts; import
// all of them through types.ts. This module imports nothing.

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

export const TASK_TYPES = [
  "code_generation",
  "debugging",
  "refactoring",
  "testing",
  "analysis",
  "documentation",
  "other",
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const COMPLEXITIES = ["simple", "moderate", "complex"] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export const STEP_STATUSES = ["success", "error", "timeout"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const OUTCOME_KINDS = ["success", "partial", "failure", "abstained"] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

export const LESSON_TYPES = ["best_practice", "anti_pattern", "gotcha", "heuristic", "example"] as const;
export type LessonType = (typeof LESSON_TYPES)[number];

export const LESSON_SCOPES = ["global", "project"] as const;
export type LessonScope = (typeof LESSON_SCOPES)[number];

export const LESSON_SOURCES = ["manual", "review", "incident", "episode", "diff"] as const;
export type LessonSource = (typeof LESSON_SOURCES)[number];

// ---------------------------------------------------------------- episodes

/** Where a task happens. Every field is present in results. */
export interface TaskContext {
  language: string;
  framework: string;
  domain: string;
  project: string;
  tags: string[];
  complexity: Complexity;
}

export interface StepResult {
  status: StepStatus;
  output: string;
}

export interface Step {
  /** 1-based position in the episode. */
  number: number;
  tool: string;
  action: string;
  parameters: JsonObject;
  result: StepResult;
  latency_ms: number;
  tokens: number;
  observation: string;
  timestamp: number;
}

export interface SuccessOutcome {
  kind: "success";
  verdict?: string;
  artifacts?: string[];
}
export interface PartialOutcome {
  kind: "partial";
  completed?: string[];
  failed?: string[];
}
export interface FailureOutcome {
  kind: "failure";
  reason?: string;
  details?: string;
}
export interface AbstainedOutcome {
  kind: "abstained";
  reason?: string;
  stopped_at_step?: number;
}
/** How an episode ended; the fields beyond `kind` depend on it. */
export type Outcome = SuccessOutcome | PartialOutcome | FailureOutcome | AbstainedOutcome;

/** Reward components (docs/REWARD.md), each with a note explaining it. */
export interface Reward {
  base: number;
  efficiency: number;
  complexity: number;
  quality: number;
  learning: number;
  /** 0..1 */
  total: number;
  notes: string[];
}

export interface Reflection {
  successes: string[];
  failures: string[];
  improvements: string[];
  insights: string[];
}

export interface Episode {
  id: string;
  task_type: TaskType;
  description: string;
  context: TaskContext;
  steps: Step[];
  /** Set once completed. */
  outcome?: Outcome;
  /** Set once completed. */
  reward?: Reward;
  /** Set once completed. */
  reflection?: Reflection;
  started_at: number;
  ended_at?: number;
  metadata: JsonObject;
}

/** An episode as listed: no steps, outcome and reward summarised. */
export interface EpisodeSummary {
  id: string;
  task_type: TaskType;
  description: string;
  context: TaskContext;
  outcome_kind?: OutcomeKind;
  reward_total?: number;
  step_count: number;
  started_at: number;
  ended_at?: number;
}

export interface StartEpisodeInput {
  /** What the task is, in one or two sentences. */
  description: string;
  /** Default "other". */
  task_type?: TaskType;
  context?: Partial<TaskContext>;
  metadata?: JsonObject;
}

export interface LogStepInput {
  episode_id: string;
  tool: string;
  action: string;
  parameters?: JsonObject;
  /** Default "success". */
  status?: StepStatus;
  output?: string;
  latency_ms?: number;
  tokens?: number;
  observation?: string;
  /** Default now. */
  timestamp?: number;
}

export interface ListEpisodesInput {
  task_type?: TaskType;
  project?: string;
  domain?: string;
  language?: string;
  completed?: boolean;
  /** 1..10000, default 20. */
  limit?: number;
  offset?: number;
}

// ----------------------------------------------------------------- lessons

export interface Lesson {
  id: string;
  type: LessonType;
  topic: string;
  title: string;
  content: string;
  /** 0..1 */
  confidence: number;
  scope: LessonScope;
  /** Project id when scope is "project", else "". */
  project: string;
  source: LessonSource;
  tags: string[];
  /** Situations it applies to, told as symptoms (absent when none). */
  situations?: string[];
  created_at: number;
  updated_at: number;
  last_used_at?: number;
  /** Times a search or context retrieval returned it. */
  use_count: number;
  deprecated: boolean;
  /** 1 for the first version. */
  version: number;
  /** The lesson kept instead of this one (resolved contradiction). */
  superseded_by?: string;
  /** The caller's own keys (absent when none). */
  metadata?: JsonObject;
  /** add_lesson: present when a near-duplicate was found (and, by default, merged into). */
  dedupe?: JsonObject;
  /** add_lesson: true when your id was stored and that lesson was replaced (history kept). */
  replaced?: boolean;
}

export interface LessonVersion {
  lesson: Lesson;
  superseded_at: number;
  reason: string;
}

/** Editable lesson fields (add_lesson and update_lesson). */
export interface LessonFields {
  type?: LessonType;
  topic?: string;
  title?: string;
  content?: string;
  confidence?: number;
  scope?: LessonScope;
  /** Required when scope is "project". */
  project?: string;
  source?: LessonSource;
  tags?: string[];
  /**
   * Situations it applies to, told as the symptom someone would see (an
   * error, a failing test); searched with the lesson, at most 8. Update
   * replaces the list.
   */
  situations?: string[];
  /** Your own keys, kept with the lesson (a JSON object). */
  metadata?: JsonObject;
}

export interface AddLessonInput extends LessonFields {
  /** Your own id (default: a new one); a stored id is replaced, its previous version kept. */
  id?: string;
  /** Default: metadata.topic, else "general". */
  topic?: string;
  /** Default: metadata.title, else the content's first sentence. */
  title?: string;
  content: string;
  /**
   * A near-duplicate of a live lesson of the same topic (docs/LEARNING.md,
   * "Dedupe at write time"): merge into it (default), reject with
   * already_exists, or allow.
   */
  on_duplicate?: "merge" | "reject" | "allow";
}

/** add_lessons: up to 1000 lessons, all stored or none. */
export interface AddLessonsInput {
  lessons: AddLessonInput[];
}

export interface LessonBatch {
  lessons: Lesson[];
  count: number;
}

export interface ListLessonsInput {
  type?: LessonType;
  topic?: string;
  scope?: LessonScope;
  /** Global lessons plus this project's. */
  project?: string;
  /** Lessons carrying all these tags. */
  tags?: string[];
  min_confidence?: number;
  include_deprecated?: boolean;
  limit?: number;
  offset?: number;
}

// ---------------------------------------------------------------------- kv

export interface KvEntry<V extends JsonValue = JsonValue> {
  ns: string;
  key: string;
  value: V;
  version: number;
  created_at: number;
  updated_at: number;
  expires_at?: number;
}

export interface KvPutInput<V extends JsonValue = JsonValue> {
  namespace: string;
  key: string;
  value: V;
  ttl_seconds?: number;
  /** Compare-and-set: only write if the current version is this (0 = must not exist). */
  expected_version?: number;
}

export interface KvListInput {
  namespace: string;
  prefix?: string;
  limit?: number;
}

// ------------------------------------------------------------------ system

export interface HealthStatus {
  status: "ok";
  version: string;
  schema_version: number;
  db_path: string;
  journal_mode?: string;
}

export interface StoreMetrics {
  path: string;
  schema_version: number;
  file_bytes?: number;
  episodes: number;
  completed_episodes?: number;
  steps?: number;
  lessons: number;
  deprecated_lessons?: number;
  lesson_versions?: number;
  embeddings?: number;
  kv_entries: number;
  journal_mode?: string;
  /** The server's start-up warm-up (`engram serve --no-warm` leaves it `not_run`). */
  warm_up?: WarmUp;
}

/** Loading the vector index, the frequent words' postings and the store's pages ahead of queries. */
export interface WarmUp {
  state: "not_run" | "running" | "done" | "stopped" | "failed";
  seconds?: number;
  vector_index_loaded?: boolean;
  vector_items?: number;
  lesson_words?: number;
  lesson_postings?: number;
  episode_words?: number;
  episode_postings?: number;
  /** Bytes of store pages read into the OS page cache. */
  page_bytes?: number;
  /** Why it failed (queries then load what they need themselves). */
  error?: string;
}

/** One action as `describe` lists it. */
export interface ActionDescription {
  name: string;
  aliases: string[];
  description: string;
  input_schema: JsonObject;
  output_schema: JsonObject;
  read_only: boolean;
}

// ------------------------------------------------------------ list results

export interface EpisodeList {
  episodes: EpisodeSummary[];
  count: number;
}
export interface LessonList {
  lessons: Lesson[];
  count: number;
}
export interface LessonHistory {
  versions: LessonVersion[];
  count: number;
}
export interface KvList<V extends JsonValue = JsonValue> {
  entries: KvEntry<V>[];
  count: number;
}
export interface EpisodeDeleted {
  deleted: true;
  episode_id: string;
}
export interface LessonDeleted {
  deleted: true;
  lesson_id: string;
}
export interface KvDeleted {
  deleted: true;
  namespace: string;
  key: string;
}
