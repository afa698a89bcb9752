// Retrieval requests and results of the Engine: lesson search
// (Engine::SearchLessons), context retrieval for a new task
// (Engine::RetrieveContext) and note search. Every result carries an
// explanation with each component of its score. Formulas and defaults:
// docs/RETRIEVAL.md.
//
// Thread safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engram/episode.h"
#include "engram/json.h"
#include "engram/lesson.h"
#include "engram/note.h"
#include "engram/what_worked.h"

namespace engram {

// A term added to a lesson query by query expansion (docs/LEARNING.md,
// "Query expansion").
struct QueryExpansion {
  std::string term;    // the added term
  std::string source;  // "tag", "topic" (co-occurrence) or "cluster"
  std::string from;    // the query term that brought it in
  double strength = 0;
};

struct SearchRequest {
  std::string query;  // required
  // Global lessons plus this project's (never another project's). Unset:
  // global lessons only.
  std::optional<std::string> project;
  std::optional<LessonType> type;
  std::optional<std::string> topic;
  std::vector<std::string> tags;  // a lesson must carry all of them
  std::optional<double> min_confidence;
  bool include_deprecated = false;
  int limit = 10;         // 1..100
  int token_budget = 0;   // > 0: pack the best results into this many tokens
  bool diversify = true;  // MMR
  // Opinion profile weighting the ranking signals (opinion_profile.h);
  // "" = "default", today's ranking.
  std::string profile;
  // Add related topic/tag/cluster terms learned from the store; their BM25
  // counts at most expansion weight (0.5) of the original query's best.
  bool expand = true;
  // Results whose absolute relevance (ScoreExplanation::absolute_relevance)
  // is below this are dropped; unset: the calibrated default
  // (kDefaultMinRelevance, docs/RETRIEVAL.md "Absolute relevance"); 0 keeps
  // every result. In [0, 1].
  std::optional<double> min_relevance;
};

// Every component of a result's score.
struct ScoreExplanation {
  std::string mode;  // "hybrid" or "bm25"
  std::string note;  // e.g. why there is no semantic component
  // Raw BM25 (0 = no term matched). FTS5 floors the idf of a word in half
  // the texts or more at 1e-6, so a match may score ~2e-6 beside a lexical
  // of 1; the JSON form keeps 4 significant digits so it never reads 0.
  double bm25 = 0;
  double lexical = 0;    // BM25 / best BM25 among the candidates
  double cosine = 0;     // embedding similarity (hybrid)
  double semantic = 0;   // min-max normalised cosine (hybrid)
  double relevance = 0;  // fused
  double confidence_factor = 1;
  double decay = 1;
  double months_unused = 0;
  double type_weight = 1;
  double recency = 0;
  double boost = 0;  // episodes: reward and context overlap
  double mmr_penalty = 0;
  double score = 0;      // final
  std::string profile;   // lessons: the opinion profile that weighted the factors
  double expansion = 0;  // lessons: BM25 credited through expansion terms (0 = none)
  // Lessons: the factor a contradiction with a more trusted result applied
  // to the score (1 = none; docs/RETRIEVAL.md, "Contradicting results").
  double contradiction_factor = 1;
  // How much of the query the text holds (TermCoverage: share of the
  // query's idf mass; matched idf in units of the rarest possible word).
  double coverage = 0;
  double matched_idf = 0;
  // Calibrated probability that the result is relevant, in [0, 1], on one
  // scale for BM25-only and hybrid search and across queries (unlike
  // `relevance`, which is relative to the best candidate).
  double absolute_relevance = 0;
};
Json ToJson(const ScoreExplanation& e);

struct LessonResult {
  Lesson lesson;
  double score = 0;
  int tokens = 0;  // estimated
  ScoreExplanation explanation;
  // Other results of the same response this lesson contradicts (a recorded
  // contradiction or opposite stances on one subject), and a warning that
  // says which one is trusted more and how this one was ranked for it.
  // Empty when it contradicts none (engine/result_contradictions.h).
  std::vector<std::string> contradicts;
  std::string warning;
};

struct SearchResponse {
  std::string mode;  // "hybrid" or "bm25"
  std::string note;
  std::vector<LessonResult> results;
  int tokens = 0;  // estimated total of the results
  int candidates = 0;
  Json profile = Json::object();  // the opinion profile used, with its weights
  bool expanded = false;          // expansion was enabled
  std::vector<QueryExpansion> expansions;
  // The ranking read filters and factors from the vector index and loaded
  // only the results (docs/RETRIEVAL.md, "Ranking from the index"); false:
  // every candidate was loaded from the store. For tests and benchmarks;
  // not part of the JSON form.
  bool ranked_from_index = false;
  double min_relevance = 0;         // the threshold applied
  bool no_relevant_memory = false;  // no result reached min_relevance
  // With no_relevant_memory: the dropped result of highest absolute relevance.
  std::optional<LessonResult> near_miss;
};
Json ToJson(const SearchResponse& r);

struct ContextRequest {
  std::string description;  // the new task, required
  TaskContext context;
  std::optional<TaskType> task_type;
  int episode_limit = 5;  // 1..50
  int lesson_limit = 5;   // 0..50
  int token_budget = 0;   // lessons only; 0 = none
  std::string profile;    // opinion profile of the lesson ranking; "" = default
  // Episodes: false (default) = episodes without a project plus those of
  // context.project (none of another project; no project given: only those
  // without one); true = every project's. Lessons always follow the
  // SearchRequest::project rule. docs/RETRIEVAL.md, "Projects".
  bool include_other_projects = false;
  // As SearchRequest::min_relevance, for episodes and lessons alike.
  std::optional<double> min_relevance;
  // Filters (query_memory's task_type and domain): only episodes of this
  // task type / domain come back; unset = any. Unlike `task_type` and
  // `context`, which only boost matching episodes. Lessons carry neither
  // and are not filtered.
  std::optional<TaskType> only_task_type;
  std::optional<std::string> only_domain;
};

struct EpisodeResult {
  std::string id;
  TaskType task_type = TaskType::kOther;
  std::string description;
  TaskContext context;
  std::optional<std::string> outcome_kind;
  std::optional<double> reward_total;
  std::optional<Reflection> reflection;
  double score = 0;
  std::vector<std::string> matched_context;  // e.g. "language", "project"
  ScoreExplanation explanation;
  WhatWorked what_worked;  // recoveries and approach, as actions (what_worked.h)
};

struct ContextResponse {
  std::string mode;
  std::string note;
  std::vector<EpisodeResult> episodes;
  std::vector<LessonResult> lessons;
  std::vector<ContextHeuristic> heuristics;  // learned heuristics that apply (what_worked.h)
  std::vector<ContextWarning> warnings;      // what to avoid
  std::string summary;                       // lines an agent can paste; "" = nothing to say
  double min_relevance = 0;                  // the threshold applied
  // Neither an episode nor a lesson reached min_relevance.
  bool no_relevant_memory = false;
  // For a list that came back empty: its dropped result of highest
  // absolute relevance.
  std::optional<EpisodeResult> episode_near_miss;
  std::optional<LessonResult> lesson_near_miss;
};
Json ToJson(const ContextResponse& r);

// Note search (Engine::SearchNotes; method: src/retrieval/note_search.h).
struct NoteSearchRequest {
  std::string query;                  // required
  std::optional<std::string> thread;  // unset: every thread
  // Global notes plus this project's (never another project's); "" =
  // global notes only.
  std::string project;
  int limit = 10;  // >= 1
};

struct NoteResult {
  Note note;
  double score = 0;   // smoothed over neighbouring notes
  double bm25 = 0;    // raw BM25
  double cosine = 0;  // hybrid only
  double base = 0;    // before smoothing
};

struct NoteSearchResponse {
  std::string mode;                 // "hybrid" or "bm25"
  std::string note;                 // why the search is BM25 only ("" when hybrid)
  std::vector<NoteResult> results;  // best first
};
Json ToJson(const NoteSearchResponse& r);

}  // namespace engram
