// TYPED_ACTIONS: the typed EngramApi method of every engram operation, by
// operation name. The tests compare its keys with the operations the server
// lists (`describe`), so an operation added to the server without a typed
// method here fails them; and they check each method sends its operation.
import type { EngramApi } from "./api.js";

/** A method of EngramApi that sends one operation. */
export type ActionMethod = Exclude<keyof EngramApi, "request" | "call" | "describe">;

export const TYPED_ACTIONS = {
  // episodes
  start_episode: "startEpisode",
  log_step: "logStep",
  complete_episode: "completeEpisode",
  get_episode: "getEpisode",
  list_episodes: "listEpisodes",
  delete_episode: "deleteEpisode",
  // lessons
  add_lesson: "addLesson",
  add_lessons: "addLessons",
  get_lesson: "getLesson",
  list_lessons: "listLessons",
  update_lesson: "updateLesson",
  deprecate_lesson: "deprecateLesson",
  delete_lesson: "deleteLesson",
  lesson_history: "lessonHistory",
  // retrieval
  search_lessons: "searchLessons",
  retrieve_context: "retrieveContext",
  query_memory: "queryMemory",
  add_note: "addNote",
  search_notes: "searchNotes",
  // feedback
  lesson_feedback: "lessonFeedback",
  list_lesson_feedback: "listLessonFeedback",
  // patterns and heuristics
  analyze_patterns: "analyzePatterns",
  list_patterns: "listPatterns",
  get_pattern: "getPattern",
  pattern_feedback: "patternFeedback",
  list_heuristics: "listHeuristics",
  // insights
  list_clusters: "listClusters",
  list_profiles: "listProfiles",
  promote_lesson: "promoteLesson",
  audit: "audit",
  // contradictions
  list_contradictions: "listContradictions",
  resolve_contradiction: "resolveContradiction",
  dismiss_contradiction: "dismissContradiction",
  // candidates
  list_candidates: "listCandidates",
  get_candidate: "getCandidate",
  edit_candidate: "editCandidate",
  approve_candidate: "approveCandidate",
  reject_candidate: "rejectCandidate",
  propose_from_diff: "proposeFromDiff",
  propose_from_transcript: "proposeFromTranscript",
  // kv
  kv_put: "kvPut",
  kv_get: "kvGet",
  kv_list: "kvList",
  kv_delete: "kvDelete",
  // system
  health_check: "healthCheck",
  get_metrics: "getMetrics",
  verify_store: "verifyStore",
} as const satisfies Record<string, ActionMethod>;

export type ActionName = keyof typeof TYPED_ACTIONS;
