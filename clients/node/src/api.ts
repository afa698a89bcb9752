// EngramApi: one typed method per engram action, over any transport that
// implements `request`. EngramProcess (process.ts) is the stdio NDJSON one.
import type {
  ActionDescription,
  AddLessonInput,
  AddLessonsInput,
  Episode,
  EpisodeDeleted,
  EpisodeList,
  HealthStatus,
  JsonValue,
  KvDeleted,
  KvEntry,
  KvList,
  KvListInput,
  KvPutInput,
  Lesson,
  LessonBatch,
  LessonDeleted,
  LessonFields,
  LessonHistory,
  LessonList,
  ListEpisodesInput,
  ListLessonsInput,
  LogStepInput,
  Outcome,
  StartEpisodeInput,
  Step,
  StoreMetrics,
} from "./types.js";
import type {
  AddNoteInput,
  ContextResult,
  Note,
  QueryMemoryInput,
  RetrieveContextInput,
  SearchLessonsInput,
  SearchLessonsResult,
  SearchNotesInput,
  SearchNotesResult,
} from "./search_types.js";
import type {
  AnalyzePatternsInput,
  ApproveOverrides,
  ApprovedCandidate,
  AuditInput,
  AuditReport,
  Candidate,
  CandidateList,
  CandidatePatch,
  ClusterReport,
  Contradiction,
  ContradictionList,
  ContradictionResolution,
  HeuristicList,
  LessonFeedbackInput,
  LessonFeedbackList,
  LessonFeedbackResult,
  ListCandidatesInput,
  ListClustersInput,
  ListContradictionsInput,
  ListPatternsInput,
  PatternAnalysis,
  PatternDetail,
  PatternFeedbackInput,
  PatternFeedbackResult,
  PatternList,
  ProfileList,
  ProposedCandidates,
  TranscriptMessage,
} from "./learning_types.js";

export interface RequestOptions {
  /** Overrides the client's default timeout for this request (ms; 0 = none). */
  timeoutMs?: number;
}

/** What a transport must provide: one request, one result or a rejection with EngramError. */
export interface EngramTransport {
  request<T>(action: string, payload?: object, options?: RequestOptions): Promise<T>;
}

// The wire accepts any JSON object (undefined members are dropped by
// JSON.stringify); typed inputs are interfaces, which TS
// does not consider assignable to an index-signature type, hence `object`.
type Payload = object;

export abstract class EngramApi implements EngramTransport {
  abstract request<T>(action: string, payload?: Payload, options?: RequestOptions): Promise<T>;

  /** Any action by name, for actions added to the server after this client. */
  call<T = JsonValue>(action: string, payload: Payload = {}, options?: RequestOptions): Promise<T> {
    return this.request<T>(action, payload, options);
  }

  /** Every action the server offers, with JSON Schemas of input and output. */
  async describe(options?: RequestOptions): Promise<ActionDescription[]> {
    const r = await this.request<{ actions: ActionDescription[] }>("describe", {}, options);
    return r.actions;
  }

  // ---------------------------------------------------------------- episodes

  startEpisode(input: StartEpisodeInput, options?: RequestOptions): Promise<Episode> {
    return this.request("start_episode", input, options);
  }
  logStep(input: LogStepInput, options?: RequestOptions): Promise<Step> {
    return this.request("log_step", input, options);
  }
  completeEpisode(episodeId: string, outcome: Outcome, options?: RequestOptions): Promise<Episode> {
    return this.request("complete_episode", { episode_id: episodeId, outcome }, options);
  }
  getEpisode(episodeId: string, options?: RequestOptions): Promise<Episode> {
    return this.request("get_episode", { episode_id: episodeId }, options);
  }
  listEpisodes(filter: ListEpisodesInput = {}, options?: RequestOptions): Promise<EpisodeList> {
    return this.request("list_episodes", filter, options);
  }
  deleteEpisode(episodeId: string, options?: RequestOptions): Promise<EpisodeDeleted> {
    return this.request("delete_episode", { episode_id: episodeId }, options);
  }

  // ----------------------------------------------------------------- lessons

  addLesson(input: AddLessonInput, options?: RequestOptions): Promise<Lesson> {
    return this.request("add_lesson", input, options);
  }
  addLessons(input: AddLessonsInput, options?: RequestOptions): Promise<LessonBatch> {
    return this.request("add_lessons", input, options);
  }
  getLesson(lessonId: string, options?: RequestOptions): Promise<Lesson> {
    return this.request("get_lesson", { lesson_id: lessonId }, options);
  }
  listLessons(filter: ListLessonsInput = {}, options?: RequestOptions): Promise<LessonList> {
    return this.request("list_lessons", filter, options);
  }
  /** Changes the given fields; the previous version goes to the lesson's history with `reason`. */
  updateLesson(
    lessonId: string,
    patch: LessonFields,
    reason?: string,
    options?: RequestOptions,
  ): Promise<Lesson> {
    return this.request("update_lesson", { ...patch, lesson_id: lessonId, reason }, options);
  }
  deprecateLesson(lessonId: string, reason?: string, options?: RequestOptions): Promise<Lesson> {
    return this.request("deprecate_lesson", { lesson_id: lessonId, reason }, options);
  }
  deleteLesson(lessonId: string, options?: RequestOptions): Promise<LessonDeleted> {
    return this.request("delete_lesson", { lesson_id: lessonId }, options);
  }
  lessonHistory(lessonId: string, options?: RequestOptions): Promise<LessonHistory> {
    return this.request("lesson_history", { lesson_id: lessonId }, options);
  }

  // --------------------------------------------------------------- retrieval

  /** Lessons most relevant to a query (hybrid BM25 + embeddings), each score explained. */
  searchLessons(input: SearchLessonsInput, options?: RequestOptions): Promise<SearchLessonsResult> {
    return this.request("search_lessons", input, options);
  }
  /** Before a task: similar past episodes with their reflections, plus relevant lessons. */
  retrieveContext(input: RetrieveContextInput, options?: RequestOptions): Promise<ContextResult> {
    return this.request("retrieve_context", input, options);
  }
  /** Lessons and past episodes for a free-text query. */
  queryMemory(input: QueryMemoryInput, options?: RequestOptions): Promise<ContextResult> {
    return this.request("query_memory", input, options);
  }
  /** Appends a note to a thread (a conversation turn, an observation). */
  addNote(input: AddNoteInput, options?: RequestOptions): Promise<Note> {
    return this.request("add_note", input, options);
  }
  /** Notes most relevant to a query, smoothed over neighbouring notes of the thread. */
  searchNotes(input: SearchNotesInput, options?: RequestOptions): Promise<SearchNotesResult> {
    return this.request("search_notes", input, options);
  }

  // ---------------------------------------------------------------- feedback

  /** Reports how an applied lesson worked; its confidence moves by the documented rule. */
  lessonFeedback(input: LessonFeedbackInput, options?: RequestOptions): Promise<LessonFeedbackResult> {
    return this.request("lesson_feedback", input, options);
  }
  /** A lesson's feedback events, newest first, with counts by signal. */
  listLessonFeedback(lessonId: string, limit?: number, options?: RequestOptions): Promise<LessonFeedbackList> {
    return this.request("list_lesson_feedback", { lesson_id: lessonId, limit }, options);
  }

  // ---------------------------------------------------------------- patterns

  /** Effective patterns and heuristics for a context; re-learns heuristics unless `learn` is false. */
  analyzePatterns(input: AnalyzePatternsInput = {}, options?: RequestOptions): Promise<PatternAnalysis> {
    return this.request("analyze_patterns", input, options);
  }
  listPatterns(filter: ListPatternsInput = {}, options?: RequestOptions): Promise<PatternList> {
    return this.request("list_patterns", filter, options);
  }
  /** One pattern with the ids of the episodes it occurred in. */
  getPattern(patternId: string, options?: RequestOptions): Promise<PatternDetail> {
    return this.request("get_pattern", { pattern_id: patternId }, options);
  }
  /** Reports an applied pattern or heuristic; its effectiveness moves. */
  patternFeedback(input: PatternFeedbackInput, options?: RequestOptions): Promise<PatternFeedbackResult> {
    return this.request("pattern_feedback", input, options);
  }
  listHeuristics(limit?: number, options?: RequestOptions): Promise<HeuristicList> {
    return this.request("list_heuristics", { limit }, options);
  }

  // ---------------------------------------------------------------- insights

  /** Lessons grouped into labelled themes. */
  listClusters(input: ListClustersInput = {}, options?: RequestOptions): Promise<ClusterReport> {
    return this.request("list_clusters", input, options);
  }
  /** Opinion profiles that can weight ranking (built-in and custom). */
  listProfiles(options?: RequestOptions): Promise<ProfileList> {
    return this.request("list_profiles", {}, options);
  }
  /** Makes a project lesson global; the project version goes to its history. */
  promoteLesson(lessonId: string, reason?: string, options?: RequestOptions): Promise<Lesson> {
    return this.request("promote_lesson", { lesson_id: lessonId, reason }, options);
  }
  /** Health report: most used, low-confidence, stale lessons, weak topics, ... */
  audit(input: AuditInput = {}, options?: RequestOptions): Promise<AuditReport> {
    return this.request("audit", input, options);
  }

  // ---------------------------------------------------------- contradictions

  listContradictions(input: ListContradictionsInput = {}, options?: RequestOptions): Promise<ContradictionList> {
    return this.request("list_contradictions", input, options);
  }
  /** Keeps one lesson; the other is deprecated, superseded by it. */
  resolveContradiction(
    contradictionId: string,
    keepLessonId: string,
    options?: RequestOptions,
  ): Promise<ContradictionResolution> {
    return this.request("resolve_contradiction", { contradiction_id: contradictionId, keep: keepLessonId }, options);
  }
  /** Closes a contradiction as not a real conflict; both lessons stay. */
  dismissContradiction(contradictionId: string, options?: RequestOptions): Promise<Contradiction> {
    return this.request("dismiss_contradiction", { contradiction_id: contradictionId }, options);
  }

  // -------------------------------------------------------------- candidates

  listCandidates(filter: ListCandidatesInput = {}, options?: RequestOptions): Promise<CandidateList> {
    return this.request("list_candidates", filter, options);
  }
  getCandidate(candidateId: string, options?: RequestOptions): Promise<Candidate> {
    return this.request("get_candidate", { candidate_id: candidateId }, options);
  }
  /** Changes a pending candidate's proposed fields. */
  editCandidate(candidateId: string, patch: CandidatePatch, options?: RequestOptions): Promise<Candidate> {
    return this.request("edit_candidate", { ...patch, candidate_id: candidateId }, options);
  }
  /** Turns a pending candidate into a lesson; `overrides` replace proposed fields. */
  approveCandidate(
    candidateId: string,
    overrides: ApproveOverrides = {},
    note?: string,
    options?: RequestOptions,
  ): Promise<ApprovedCandidate> {
    return this.request("approve_candidate", { ...overrides, candidate_id: candidateId, note }, options);
  }
  /** Rejects a pending candidate (kept, so the same proposal is not raised again). */
  rejectCandidate(candidateId: string, note?: string, options?: RequestOptions): Promise<Candidate> {
    return this.request("reject_candidate", { candidate_id: candidateId, note }, options);
  }
  /** Queues candidates drawn from a unified diff; `source` names it (default "diff"). */
  proposeFromDiff(diff: string, source?: string, options?: RequestOptions): Promise<ProposedCandidates> {
    return this.request("propose_from_diff", { diff, source }, options);
  }
  /** Queues a candidate for each rule-like sentence of a conversation. */
  proposeFromTranscript(
    messages: TranscriptMessage[],
    source?: string,
    options?: RequestOptions,
  ): Promise<ProposedCandidates> {
    return this.request("propose_from_transcript", { messages, source }, options);
  }

  // ---------------------------------------------------------------------- kv

  kvPut<V extends JsonValue>(input: KvPutInput<V>, options?: RequestOptions): Promise<KvEntry<V>> {
    return this.request("kv_put", input, options);
  }
  kvGet<V extends JsonValue = JsonValue>(
    namespace: string,
    key: string,
    options?: RequestOptions,
  ): Promise<KvEntry<V>> {
    return this.request("kv_get", { namespace, key }, options);
  }
  kvList<V extends JsonValue = JsonValue>(input: KvListInput, options?: RequestOptions): Promise<KvList<V>> {
    return this.request("kv_list", input, options);
  }
  kvDelete(namespace: string, key: string, options?: RequestOptions): Promise<KvDeleted> {
    return this.request("kv_delete", { namespace, key }, options);
  }

  // ------------------------------------------------------------------ system

  healthCheck(options?: RequestOptions): Promise<HealthStatus> {
    return this.request("health_check", {}, options);
  }
  getMetrics(options?: RequestOptions): Promise<StoreMetrics> {
    return this.request("get_metrics", {}, options);
  }
  /** Resolves `{ok: true}`; rejects with `corruption` describing the problems found. */
  verifyStore(options?: RequestOptions): Promise<{ ok: boolean }> {
    return this.request("verify_store", {}, options);
  }
}
