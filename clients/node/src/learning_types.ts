// Types of engram's learning operations: patterns and heuristics
// (src/server/ops_patterns.cc), lesson feedback (ops_feedback.cc), clusters,
// profiles, promotion and audit (ops_insights.cc), contradictions and
// lesson candidates; matching the JSON Schemas the server publishes. Rules
// and defaults: docs/LEARNING.md. Re-exported by types.ts.
import type { JsonObject, JsonValue, Lesson, LessonType } from "./model_types.js";
import type { OpinionProfile } from "./search_types.js";

// ---------------------------------------------------------------- feedback

/** Applied-knowledge signals (patterns and heuristics take the first three). */
export const FEEDBACK_SIGNALS = [
  "helped",
  "no_effect",
  "hindered",
  "accepted",
  "tests_passed",
  "rejected",
  "harmful",
] as const;
export type FeedbackSignal = (typeof FEEDBACK_SIGNALS)[number];

/** What a pattern or heuristic report may say. */
export type AppliedSignal = "helped" | "no_effect" | "hindered";

export interface FeedbackEvent {
  id: string;
  target: "lesson" | "pattern" | "heuristic";
  /** Id of the lesson, pattern or heuristic. */
  target_id: string;
  signal: FeedbackSignal;
  /** Episode it was applied in ("" if none). */
  episode_id: string;
  actor: string;
  note: string;
  /** Confidence (lessons) or effectiveness before the event. */
  before?: number;
  after?: number;
  created_at: number;
}

/** Events by signal. */
export type FeedbackCounts = { [S in FeedbackSignal]: number } & { total: number };

export interface LessonFeedbackInput {
  lesson_id: string;
  signal: FeedbackSignal;
  episode_id?: string;
  /** Who reports it, e.g. agent:claude or user:ana. */
  actor?: string;
  note?: string;
}

export interface LessonFeedbackResult {
  event: FeedbackEvent;
  /** The lesson after its confidence moved. */
  lesson: Lesson;
  /** The reinforcement rule applied, in words. */
  rule: string;
}

export interface LessonFeedbackList {
  /** Newest first. */
  events: FeedbackEvent[];
  count: number;
  counts: FeedbackCounts;
}

// ---------------------------------------------------------------- patterns

export const PATTERN_KINDS = ["sequence", "error_recovery", "decision_point", "context"] as const;
export type PatternKind = (typeof PATTERN_KINDS)[number];

export interface Pattern {
  /** Deterministic: same pattern, same id. */
  id: string;
  kind: PatternKind;
  /** Canonical form: steps as tool:normalised action. */
  signature: string;
  description?: string;
  /** task_type/language/framework/domain where first seen. */
  context?: JsonObject;
  /** Distinct episodes it occurred in. */
  support: number;
  /** Of them, episodes that succeeded. */
  successes: number;
  occurrences?: number;
  /** successes / support. */
  success_rate?: number;
  /** Wilson lower bound (z 1.96) of the success rate. */
  wilson_lower?: number;
  /** success_rate minus the success rate of episodes without it (-1..1). */
  lift?: number;
  /** Fisher's exact test, one-sided: episodes with it succeed more often. */
  p_value?: number;
  mean_latency_ms?: number;
  first_seen?: number;
  last_seen?: number;
  feedback?: FeedbackCounts;
  /** Blend of wilson_lower and feedback; ranks patterns (0..1). */
  effectiveness: number;
}

/** A pattern with the episodes it occurred in. */
export interface PatternDetail extends Pattern {
  /** Newest first, at most 50. */
  episode_ids?: string[];
}

export interface Heuristic {
  id: string;
  /** Context fields that must match. */
  condition: JsonObject;
  /** "do: <step>" or "avoid: <step>". */
  action: string;
  description?: string;
  /** Episode ids, success counts with and without, lift, the test (p_value, q_value, odds_ratio, alpha, hypotheses). */
  evidence?: JsonObject;
  /** Episodes with the action. */
  sample_size: number;
  successes: number;
  /** Wilson lower bound of successes / sample_size. */
  confidence: number;
  /** Fisher's exact test, one-sided in the rule's direction. */
  p_value?: number;
  /** Benjamini-Hochberg adjusted p_value; rules are kept when q_value <= alpha (0.05). */
  q_value?: number;
  /** Success rate with the action minus without (-1..1). */
  lift?: number;
  updated_at?: number;
  feedback?: FeedbackCounts;
  effectiveness?: number;
}

/** Filters shared by analyze_patterns and list_patterns ("" or absent = any). */
export interface PatternFilterInput {
  task_type?: string;
  language?: string;
  framework?: string;
  domain?: string;
  kind?: PatternKind;
  /** Minimum episodes a pattern occurred in. */
  min_support?: number;
  /** Only what episodes without a project and this project's show (default: every episode). */
  project?: string;
}

export interface AnalyzePatternsInput extends PatternFilterInput {
  /** Patterns and heuristics returned, each (default 10). */
  limit?: number;
  /** Re-learn heuristics from all episodes first (default true). */
  learn?: boolean;
  /** Leave out patterns whose success_rate is below this, 0..1 (default 0; heuristics are not filtered). */
  min_success_rate?: number;
}

export interface PatternAnalysis {
  /** By effectiveness. */
  patterns: Pattern[];
  /** Matching the context. */
  heuristics: Heuristic[];
  heuristics_learned: boolean;
  /** Completed episodes used to learn. */
  episodes_analyzed: number;
}

export interface ListPatternsInput extends PatternFilterInput {
  /** Default 20. */
  limit?: number;
  offset?: number;
}

export interface PatternList {
  patterns: Pattern[];
  count: number;
}

export interface HeuristicList {
  heuristics: Heuristic[];
  count: number;
}

export interface PatternFeedbackInput {
  /** Pattern or heuristic id. */
  id: string;
  /** What `id` names (default "pattern"). */
  target?: "pattern" | "heuristic";
  signal: AppliedSignal;
  episode_id?: string;
  actor?: string;
  note?: string;
}

export interface PatternFeedbackResult {
  feedback: FeedbackEvent;
  effectiveness_before: number;
  effectiveness_after: number;
  counts: FeedbackCounts;
}

// ---------------------------------------------------------------- insights

export interface ListClustersInput {
  /** Global lessons plus this project's (default: every lesson). */
  project?: string;
  include_deprecated?: boolean;
  /** Merge threshold (default 0.5 with embeddings, 0.2 with text vectors). */
  min_similarity?: number;
  /** Cluster at most the newest N lessons (default 2000). */
  max_lessons?: number;
  /** Terms per label (default 3). */
  label_terms?: number;
}

export interface ClusterMember {
  id: string;
  title: string;
  topic: string;
  type: string;
  confidence: number;
  /** Project of a project lesson, else null. */
  project: string | null;
}

export interface LessonCluster {
  /** 1-based, largest cluster first. */
  id: number;
  /** Most distinctive terms (TF-IDF). */
  label: string[];
  size: number;
  members: ClusterMember[];
  /** Mean pairwise similarity of the members. */
  cohesion: number;
  mean_confidence: number;
  /** One member, below the confidence threshold. */
  single_low_confidence: boolean;
  /** Open contradictions between members; null = not available. */
  open_contradictions: number | null;
  /** single_low_confidence, contradiction. */
  flags: string[];
}

export interface ClusterReport {
  /** Embeddings, or TF-IDF text vectors without an embedder. */
  vectors: "embedding" | "text";
  model_id?: string;
  note?: string;
  min_similarity: number;
  /** Lessons clustered. */
  lessons: number;
  /** More lessons than max_lessons (the newest were used). */
  truncated: boolean;
  contradictions_available: boolean;
  /** Themes, largest first. */
  clusters: LessonCluster[];
}

export interface ProfileList {
  /** Built-ins first. */
  profiles: OpinionProfile[];
}

export interface AuditInput {
  /** Global lessons plus this project's (default: every lesson). */
  project?: string;
  /** Entries per list (default 10). */
  top?: number;
  /** Confidence below this is low (default 0.3). */
  low_confidence?: number;
  /** Idle this many days is stale (default 90). */
  stale_days?: number;
  /** A topic with at most this many lessons is thin (default 1). */
  thin_topic_lessons?: number;
  /** A topic with a lower mean confidence is weak (default 0.4). */
  weak_topic_confidence?: number;
}

export interface AuditedLesson {
  id: string;
  title: string;
  topic: string;
  confidence: number;
  project: string | null;
  last_used_at: number | null;
  /** Times a search or context retrieval returned it (lesson use_count). */
  retrievals: number;
  /** Feedback events reporting an application. */
  uses: number;
  /** helped + accepted + tests_passed events. */
  positive: number;
  /** hindered + rejected + harmful events. */
  negative: number;
  /** Days since last use, else since update. */
  days_idle: number;
}

export interface WeakTopic {
  topic: string;
  lessons: number;
  mean_confidence: number;
  /** thin: few lessons; weak: low confidence. */
  reasons: ("thin" | "weak")[];
}

export interface AuditSection<T = JsonValue> {
  /** Whether the store keeps this data. */
  available: boolean;
  /** Why it is not available. */
  note?: string;
  items: T[];
}

export interface AuditReport {
  generated_at: number;
  thresholds: JsonObject;
  counts: { lessons: number; deprecated: number; global: number; per_project: { [project: string]: number } };
  feedback_available: boolean;
  most_used: AuditedLesson[];
  low_confidence: AuditedLesson[];
  stale: AuditedLesson[];
  weak_topics: WeakTopic[];
  open_contradictions: AuditSection;
  duplicate_candidates: AuditSection;
}

// ----------------------------------------------------------- contradictions

export type ContradictionStatus = "open" | "resolved" | "dismissed";

/** Two live lessons of one topic that say opposite things (lesson_a < lesson_b). */
export interface Contradiction {
  id: string;
  lesson_a: string;
  lesson_b: string;
  /** Why they contradict, in words. */
  reason: string;
  score: number;
  status: ContradictionStatus;
  created_at: number;
  /** The lesson kept, once resolved. */
  winner?: string;
  resolved_at?: number;
}

// --------------------------------------------------------------- candidates

export type CandidateStatus = "pending" | "approved" | "rejected";
export type CandidateOrigin = "episode" | "diff" | "transcript";

/** A proposed lesson waiting for approval. */
export interface Candidate {
  id: string;
  status: CandidateStatus;
  origin: CandidateOrigin;
  /** Episode id, file name, ... it came from. */
  origin_ref: string;
  /** Project of its origin ("" = global); approval makes a lesson of it. */
  project: string;
  /** Identical proposals share it; they are queued once. */
  fingerprint: string;
  type: LessonType;
  topic: string;
  title: string;
  content: string;
  tags: string[];
  confidence: number;
  /** The diff hunk, sentence or steps it came from. */
  evidence: string;
  rationale: string;
  decision_note: string;
  created_at: number;
  /** The lesson an approval created. */
  lesson_id?: string;
  decided_at?: number;
}

/** Fields to change on edit, or to override on approval. */
export interface CandidatePatch {
  type?: LessonType;
  topic?: string;
  title?: string;
  content?: string;
  tags?: string[];
  confidence?: number;
}

/** Overrides on approval: proposal fields, and the lesson's project. */
export interface ApproveOverrides extends CandidatePatch {
  /** Make a lesson of this project instead of the candidate's. */
  project?: string;
  /** Make a global lesson instead. */
  global?: boolean;
}

export interface ListContradictionsInput {
  /** Which ones (default "open"). */
  status?: ContradictionStatus | "all";
  /** Compare every live lesson first (default false). */
  scan?: boolean;
  /** Default 50. */
  limit?: number;
  /** Only contradictions between global lessons and this project's (default: all). */
  project?: string;
}

export interface ContradictionList {
  /** Newest first. */
  contradictions: Contradiction[];
  count: number;
  /** Newly found by the scan. */
  new: number;
}

export interface ContradictionResolution {
  /** Closed as resolved, winner = kept.id. */
  contradiction: Contradiction;
  kept: Lesson;
  /** Deprecated, superseded by the kept lesson. */
  superseded: Lesson;
}

export interface ListCandidatesInput {
  /** Only this status (default "all"). */
  status?: CandidateStatus | "all";
  origin?: CandidateOrigin;
  /** Only global candidates and this project's; default every candidate. */
  project?: string;
  /** Default 20. */
  limit?: number;
  offset?: number;
}

export interface CandidateList {
  /** Newest first. */
  candidates: Candidate[];
  count: number;
}

/** A proposal as queued by propose_from_diff / propose_from_transcript. */
export interface ProposedCandidate extends Candidate {
  /** false: the same proposal was already queued (nothing added). */
  created: boolean;
}

export interface ProposedCandidates {
  /** In rule order. */
  candidates: ProposedCandidate[];
  count: number;
}

export interface ApprovedCandidate {
  /** Approved, with lesson_id. */
  candidate: Candidate;
  lesson: Lesson;
}

/** One conversation message; content is text or a list of {type, text} parts. */
export interface TranscriptMessage {
  role?: string;
  content: string | { type: string; text?: string }[];
}
