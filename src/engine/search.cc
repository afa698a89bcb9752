// Engine::SearchLessons and ReindexLessons: hybrid lesson retrieval
// (docs/RETRIEVAL.md). Candidates come from BM25 (FullTextIndex), the HNSW
// index of lesson embeddings and optional query expansion; RankLessonCandidates
// (engine/search_rank.h) filters, scores, orders and diversifies them, every
// returned lesson checked against the request's filters on the stored lesson
// (so a project lesson never leaks into another project); then the token
// budget packs them.
#include <algorithm>
#include <map>

#include "engine/lesson_use_recorder.h"
#include "engine/query_expansion.h"
#include "engine/relevance.h"
#include "engine/result_contradictions.h"
#include "engine/search_rank.h"
#include "engine/search_state.h"
#include "engram/engine.h"
#include "engram/opinion_profile.h"
#include "retrieval/ranking.h"

namespace engram {
namespace {

// Candidates from each source: 4 * limit + 20, at most 100.
int CandidatesFor(int limit) { return std::min(100, 4 * limit + 20); }

// The ranking options weighted by an opinion profile (docs/LEARNING.md,
// "Opinion profiles"); the default profile gives the defaults unchanged.
retrieval::RankingOptions ProfiledRanking(const OpinionProfile& p) {
  retrieval::RankingOptions ro;
  ro.confidence_weight = p.confidence;
  ro.recency_weight = p.recency;
  ro.mmr_lambda = 1 - p.novelty;
  ro.weight_gotcha = 1 + p.safety;
  ro.weight_anti_pattern = 1 + p.safety / 2;
  return ro;
}

// ReindexLessons (force) and UpdateLessonIndex: the index brought up to the
// store, waiting for it.
Result<int> UpdateLessonIndexNow(Engine& engine, SearchState& state, const EngineOptions& options,
                                 bool force, const std::function<void(int, int)>& progress) {
  if (!engine.embedder()) {
    return Status::FailedPrecondition(options.no_embedder_reason +
                                      ": nothing to index (BM25 search needs no index)");
  }
  IndexRequest req{.path = options.lesson_index_path,
                   .force = force,
                   .progress = progress,
                   .load_only = false,
                   .background = nullptr};
  ENGRAM_ASSIGN_OR_RETURN(
      IndexReadiness ready,
      EnsureLessonIndex(engine.store(), *engine.embedder(), state, req, engine.Now()));
  return ready.items;
}

}  // namespace

Result<int> Engine::ReindexLessons(const std::function<void(int, int)>& progress) {
  return UpdateLessonIndexNow(*this, *search_, options_, /*force=*/true, progress);
}

Result<int> Engine::UpdateLessonIndex(const std::function<void(int, int)>& progress) {
  return UpdateLessonIndexNow(*this, *search_, options_, /*force=*/false, progress);
}

Result<SearchResponse> Engine::SearchLessons(const SearchRequest& request) {
  if (request.query.empty()) return Status::InvalidArgument("search query is empty");
  if (request.limit < 1 || request.limit > 100) {
    return Status::InvalidArgument("search limit must be in 1..100");
  }
  if (request.token_budget < 0) return Status::InvalidArgument("token budget must be >= 0");
  FullTextIndex* fts = store_->fulltext();
  if (!fts) return Status::FailedPrecondition("this store has no full-text index");
  ENGRAM_ASSIGN_OR_RETURN(
      OpinionProfile profile,
      ResolveOpinionProfile(request.profile.empty() ? "default" : request.profile));
  const retrieval::RankingOptions ro = ProfiledRanking(profile);
  const Timestamp now = Now();
  SearchResponse resp;
  resp.profile = ToJson(profile);
  // The vector side takes part once there is an index: behind the store
  // (LessonIndexOptions::background) it still finds what it holds, and the
  // note says what is missing; without one the search is BM25 alone.
  const Embedder* vectors = embedder();
  bool index_pending = false;  // the builder is at work: nothing else may embed either
  if (vectors) {
    IndexRequest ir{
        .path = options_.lesson_index_path,
        .force = false,
        .progress = {},
        .load_only = false,
        .background = options_.lesson_index.background ? &options_.lesson_index : nullptr};
    ENGRAM_ASSIGN_OR_RETURN(IndexReadiness ready,
                            EnsureLessonIndex(*store_, *vectors, *search_, ir, now));
    if (!ready.current) resp.note = ready.note;
    index_pending = !ready.current;
    if (ready.items == 0 && !ready.current) vectors = nullptr;
  } else {
    resp.note = Bm25OnlyNote();
  }
  resp.mode = vectors ? "hybrid" : "bm25";
  ENGRAM_ASSIGN_OR_RETURN(const double min_relevance,
                          ResolveMinRelevance(request.min_relevance, vectors != nullptr));

  // The two candidate sources are independent: BM25 reads the store on this
  // thread while the SideWorker embeds the query and walks the index (it
  // touches no store), unless overlap_search is off.
  Result<std::vector<TextHit>> lexical = std::vector<TextHit>{};
  const auto run_bm25 = [&] {
    lexical = fts->SearchText(TextCorpus::kLessons, request.query, CandidatesFor(request.limit));
  };
  Result<std::vector<SearchHit>> semantic = std::vector<SearchHit>{};
  if (vectors) {
    const auto run_ann = [&] {
      Result<std::vector<float>> qvec = vectors->Embed(request.query);
      if (!qvec.ok()) {
        semantic = qvec.status();
        return;
      }
      const std::uint64_t project_hash = request.project ? ProjectHash(*request.project) : 0;
      SearchFilter filter = [&](std::string_view, const ItemMeta& m) {
        return AcceptsItemMeta(request, m, project_hash);
      };
      std::lock_guard lock(search_->mu);
      semantic = search_->index->Search(*qvec, CandidatesFor(request.limit), filter);
    };
    if (options_.overlap_search) {
      search_->side.RunBoth(run_ann, run_bm25);
    } else {
      run_bm25();
      run_ann();
    }
  } else {
    run_bm25();
  }
  ENGRAM_RETURN_IF_ERROR(lexical.status());
  ENGRAM_RETURN_IF_ERROR(semantic.status());
  std::map<std::string, CandidateScore> cand;
  for (const TextHit& h : *lexical) cand[h.id].bm25 = h.bm25;
  for (const SearchHit& h : *semantic) cand[h.id].cosine = h.score;

  // Query expansion: hits of the expansion terms alone, scaled so the best
  // counts kExpansionWeight of the original query's best BM25, merged by max.
  std::map<std::string, double> expanded;  // id -> credited BM25
  if (request.expand) {
    resp.expanded = true;
    ENGRAM_ASSIGN_OR_RETURN(resp.expansions, ExpandLessonQuery(*this, *search_, request.query,
                                                               index_pending ? ExpansionBuild::kHeld
                                                               : options_.lesson_index.background
                                                                   ? ExpansionBuild::kBackground
                                                                   : ExpansionBuild::kInline));
    std::string terms;
    for (const QueryExpansion& x : resp.expansions) terms += x.term + " ";
    if (!terms.empty()) {
      TextQueryOptions to;
      to.limit = CandidatesFor(request.limit);
      to.max_word_share = kExpansionMaxWordShare;
      ENGRAM_ASSIGN_OR_RETURN(std::vector<TextHit> extra,
                              fts->SearchText(TextCorpus::kLessons, terms, to));
      double best_orig = 0, best_extra = 0;
      for (const TextHit& h : *lexical) best_orig = std::max(best_orig, h.bm25);
      for (const TextHit& h : extra) best_extra = std::max(best_extra, h.bm25);
      const double base = best_orig > 0 ? best_orig : best_extra;
      for (const TextHit& h : extra) {
        if (best_extra <= 0) break;
        double credited = kExpansionWeight * base * h.bm25 / best_extra;
        double& b = cand[h.id].bm25;
        if (credited > b) {
          b = credited;
          expanded[h.id] = credited;
        }
      }
    }
  }

  RankContext rc;
  rc.request = &request;
  rc.options = ro;
  rc.now = now;
  rc.mode = resp.mode;
  rc.note = resp.note;
  rc.profile = profile.name;
  rc.model_id = vectors ? vectors->model_id() : "";
  rc.from_index = options_.rank_from_index;
  ENGRAM_ASSIGN_OR_RETURN(
      RankedLessons ranked_lessons,
      RankLessonCandidates(*store_, vectors ? search_.get() : nullptr, rc, cand, expanded));
  resp.candidates = ranked_lessons.candidates;
  resp.ranked_from_index = ranked_lessons.from_index;
  std::vector<LessonResult> ranked = std::move(ranked_lessons.results);
  ENGRAM_RETURN_IF_ERROR(
      ApplyMinRelevance(*fts, request.query, vectors != nullptr, min_relevance, ranked, resp));
  if (request.token_budget > 0) {
    std::vector<int> tokens;
    tokens.reserve(ranked.size());
    for (const auto& r : ranked) tokens.push_back(r.tokens);
    std::vector<LessonResult> packed;
    for (std::size_t i : retrieval::PackBudget(tokens, request.token_budget)) {
      if (packed.size() == static_cast<std::size_t>(request.limit)) break;
      packed.push_back(ranked[i]);
    }
    ranked = std::move(packed);
  }
  for (auto& r : ranked) {
    r.score = r.explanation.score;
    resp.tokens += r.tokens;
  }
  resp.results = std::move(ranked);
  ENGRAM_RETURN_IF_ERROR(FlagResultContradictions(*store_, resp.results));
  NoteReturnedLessons(uses_.get(), resp.results, now);
  return resp;
}

}  // namespace engram
