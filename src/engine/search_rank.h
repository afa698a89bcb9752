// The ranking step of Engine::SearchLessons (docs/RETRIEVAL.md, "Ranking"
// and "Ranking from the index"): the candidates found by BM25 and the vector
// index are filtered, scored (relevance times confidence, decay, type and
// recency factors), ordered, diversified by MMR and cut to the request's
// limit or token budget.
//
// Two ways, one result:
//  - from the index: filters and factors are read from the vector index's
//    ItemMeta (in memory), and only the lessons returned are loaded from the
//    store. Each of them is checked against its metadata; if any differs
//    (another process changed it without moving the index fingerprint) the
//    search is ranked again from the store. Used in hybrid mode without
//    topic, tag or token-budget requests (ItemMeta has no topic, tags or
//    text).
//  - from the store: every candidate is loaded, filtered and scored on the
//    stored lesson. When this follows a failed index way, the index's
//    metadata of every loaded lesson is corrected on the way.
//
// Thread safety: RankLessonCandidates locks state->mu while it reads or
// corrects the index; it never holds it while reading the store.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/search_state.h"
#include "engram/search.h"
#include "engram/store.h"
#include "engram/vector_index.h"
#include "retrieval/ranking.h"

namespace engram {

struct CandidateScore {
  double bm25 = 0;    // 0 = no query word matched
  double cosine = 0;  // 0 = not among the vector hits
};

struct RankContext {
  const SearchRequest* request = nullptr;  // required
  retrieval::RankingOptions options;
  Timestamp now = 0;
  std::string mode;     // "hybrid" or "bm25", for the explanations
  std::string note;     // why there is no semantic component, if so
  std::string profile;  // opinion profile name
  // The embedder's model id; "" = BM25 only (no vectors, no index).
  std::string model_id;
  bool from_index = true;  // EngineOptions::rank_from_index
};

struct RankedLessons {
  std::vector<LessonResult> results;  // best first, explanation.score set
  int candidates = 0;                 // candidates that passed the filters
  bool from_index = false;            // which way answered
};

// The filter of the vector search: `m` may belong to a lesson `r` accepts
// (all of Accepts but topic and tags; confidence with 1e-6 slack for the
// float). `project_hash` = ProjectHash(*r.project), 0 without a project.
bool AcceptsItemMeta(const SearchRequest& r, const ItemMeta& m, std::uint64_t project_hash);

// `state` may be null (no vector index). `expanded`: the BM25 credited to
// candidates through query expansion terms (explanation.expansion).
Result<RankedLessons> RankLessonCandidates(Store& store, SearchState* state,
                                           const RankContext& context,
                                           const std::map<std::string, CandidateScore>& candidates,
                                           const std::map<std::string, double>& expanded);

}  // namespace engram
