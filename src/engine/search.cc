// Engine::SearchLessons and ReindexLessons: hybrid lesson retrieval
// (docs/RETRIEVAL.md). Candidates come from BM25 (FullTextIndex) and the
// HNSW index of lesson embeddings; every candidate is checked against the
// request's filters on the stored lesson (so a project lesson never leaks
// into another project), scored, ranked, diversified and packed.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "engine/query_expansion.h"
#include "engine/search_state.h"
#include "engram/engine.h"
#include "engram/opinion_profile.h"
#include "retrieval/ranking.h"

namespace engram {
namespace {

// Candidates from each source: 4 * limit + 20, at most 100.
int CandidatesFor(int limit) { return std::min(100, 4 * limit + 20); }

bool Accepts(const SearchRequest& r, const Lesson& l) {
  if (l.deprecated && !r.include_deprecated) return false;
  if (l.scope == LessonScope::kProject && (!r.project || l.project != *r.project)) return false;
  if (r.type && l.type != *r.type) return false;
  if (r.topic && l.topic != *r.topic) return false;
  if (r.min_confidence && l.confidence < *r.min_confidence) return false;
  for (const std::string& t : r.tags) {
    if (!std::binary_search(l.tags.begin(), l.tags.end(), t)) return false;
  }
  return true;
}

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

// `v` scaled to unit length (unchanged if it is zero).
void Normalise(std::vector<float>& v) {
  double n = 0;
  for (float x : v) n += double(x) * x;
  if (n <= 0) return;
  const float inv = static_cast<float>(1 / std::sqrt(n));
  for (float& x : v) x *= inv;
}

}  // namespace

Result<int> Engine::ReindexLessons(const std::function<void(int, int)>& progress) {
  if (!embedder()) {
    return Status::FailedPrecondition(options_.no_embedder_reason +
                                      ": nothing to index (BM25 search needs no index)");
  }
  IndexRequest req{options_.lesson_index_path, true, progress};
  return EnsureLessonIndex(*store_, *embedder(), *search_, req, Now());
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
      ResolveOpinionProfile(*this, request.profile.empty() ? "default" : request.profile));
  const retrieval::RankingOptions ro = ProfiledRanking(profile);
  const Timestamp now = Now();
  SearchResponse resp;
  resp.profile = ToJson(profile);
  resp.mode = embedder() ? "hybrid" : "bm25";
  if (!embedder()) resp.note = Bm25OnlyNote();

  // Candidates: id -> (bm25, cosine).
  std::map<std::string, std::pair<double, double>> cand;
  ENGRAM_ASSIGN_OR_RETURN(
      std::vector<TextHit> lexical,
      fts->SearchText(TextCorpus::kLessons, request.query, CandidatesFor(request.limit)));
  for (const TextHit& h : lexical) cand[h.id].first = h.bm25;
  std::vector<float> qvec;
  if (embedder()) {
    IndexRequest ir{options_.lesson_index_path, false, {}};
    ENGRAM_RETURN_IF_ERROR(EnsureLessonIndex(*store_, *embedder(), *search_, ir, now).status());
    ENGRAM_ASSIGN_OR_RETURN(qvec, embedder()->Embed(request.query));
    const std::uint64_t project_hash = request.project ? ProjectHash(*request.project) : 0;
    SearchFilter filter = [&](std::string_view, const ItemMeta& m) {
      if (m.deprecated && !request.include_deprecated) return false;
      if (m.scope == static_cast<std::uint8_t>(LessonScope::kProject) &&
          (!request.project || m.project_hash != project_hash)) {
        return false;
      }
      if (request.type && m.type != static_cast<std::uint8_t>(*request.type)) return false;
      if (request.min_confidence && m.confidence < *request.min_confidence - 1e-6) return false;
      return true;
    };
    std::lock_guard lock(search_->mu);
    ENGRAM_ASSIGN_OR_RETURN(std::vector<SearchHit> hits,
                            search_->index->Search(qvec, CandidatesFor(request.limit), filter));
    for (const SearchHit& h : hits) cand[h.id].second = h.score;
  }

  // Query expansion: hits of the expansion terms alone, scaled so the best
  // counts kExpansionWeight of the original query's best BM25, merged by max.
  std::map<std::string, double> expanded;  // id -> credited BM25
  if (request.expand) {
    resp.expanded = true;
    ENGRAM_ASSIGN_OR_RETURN(resp.expansions, ExpandLessonQuery(*this, *search_, request.query));
    std::string terms;
    for (const QueryExpansion& x : resp.expansions) terms += x.term + " ";
    if (!terms.empty()) {
      TextQueryOptions to;
      to.limit = CandidatesFor(request.limit);
      to.max_word_share = kExpansionMaxWordShare;
      ENGRAM_ASSIGN_OR_RETURN(std::vector<TextHit> extra,
                              fts->SearchText(TextCorpus::kLessons, terms, to));
      double best_orig = 0, best_extra = 0;
      for (const TextHit& h : lexical) best_orig = std::max(best_orig, h.bm25);
      for (const TextHit& h : extra) best_extra = std::max(best_extra, h.bm25);
      const double base = best_orig > 0 ? best_orig : best_extra;
      for (const TextHit& h : extra) {
        if (best_extra <= 0) break;
        double credited = kExpansionWeight * base * h.bm25 / best_extra;
        double& b = cand[h.id].first;
        if (credited > b) {
          b = credited;
          expanded[h.id] = credited;
        }
      }
    }
  }

  // Load and filter on the stored lessons (authoritative).
  std::vector<Lesson> lessons;
  std::vector<double> bm25, cosine;
  {
    std::vector<std::string> ids;
    ids.reserve(cand.size());
    for (const auto& entry : cand) ids.push_back(entry.first);
    // Lessons deleted since they were indexed are not returned.
    ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> stored, store_->GetLessons(ids));
    for (Lesson& l : stored) {
      const auto& s = cand[l.id];
      if (!Accepts(request, l)) continue;
      if (s.first <= 0 && s.second < ro.min_cosine) continue;  // neither lexical nor semantic
      lessons.push_back(std::move(l));
      bm25.push_back(s.first);
      cosine.push_back(s.second);
    }
  }
  resp.candidates = static_cast<int>(lessons.size());
  std::vector<ScoreExplanation> relevance = RelevanceExplanations(
      bm25, cosine, embedder() != nullptr, ro.dense_weight, resp.mode, resp.note);
  std::vector<LessonResult> results(lessons.size());
  std::vector<double> scores(lessons.size());
  for (std::size_t i = 0; i < lessons.size(); ++i) {
    results[i].explanation = std::move(relevance[i]);
    ScoreExplanation& e = results[i].explanation;
    retrieval::RankFactors f = retrieval::FactorsFor(lessons[i], now, ro);
    e.confidence_factor = f.confidence_factor;
    e.decay = f.decay;
    e.months_unused = f.months_unused;
    e.type_weight = f.type_weight;
    e.recency = f.recency;
    e.profile = profile.name;
    if (auto x = expanded.find(lessons[i].id); x != expanded.end()) e.expansion = x->second;
    e.score = e.relevance * f.multiplier;
    scores[i] = e.relevance > 0 ? e.score : -1;  // no relevance: dropped below
    results[i].lesson = std::move(lessons[i]);
    results[i].tokens = retrieval::EstimateTokens(
        results[i].lesson.title + "\n" + results[i].lesson.content, ro.chars_per_token);
  }
  // Order: MMR over the best candidates (or plain score order).
  std::vector<std::size_t> order(results.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  // Candidates with no relevance at all (no term matched and the weakest
  // cosine) are not results.
  while (!order.empty() && scores[order.back()] < 0) order.pop_back();
  std::vector<LessonResult> ranked;
  if (request.diversify && !order.empty()) {
    std::size_t pool = std::min<std::size_t>(order.size(), 4 * request.limit + 10);
    std::vector<double> pool_scores;
    for (std::size_t i = 0; i < pool; ++i) pool_scores.push_back(scores[order[i]]);
    double top = std::max(1e-12, pool_scores.front());
    for (double& s : pool_scores) s /= top;
    std::map<std::string, std::vector<float>> vecs;
    auto vec_of = [&](const Lesson& l) -> const std::vector<float>* {
      auto it = vecs.find(l.id);
      if (it == vecs.end()) {
        // The index's copy (in memory); the stored embedding if it has none.
        std::vector<float> v;
        {
          std::lock_guard lock(search_->mu);
          if (search_->index) {
            if (auto r = search_->index->GetVector(l.id); r.ok()) v = std::move(*r);
          }
        }
        if (v.empty()) {
          auto e = store_->GetEmbedding(l.id, embedder()->model_id());
          if (e.ok()) v = std::move(e->vector);
          Normalise(v);
        }
        it = vecs.emplace(l.id, std::move(v)).first;
      }
      return it->second.empty() ? nullptr : &it->second;
    };
    std::vector<std::optional<std::set<std::string>>> words(pool);
    auto words_of = [&](std::size_t i) -> const std::set<std::string>& {
      if (!words[i]) {
        const Lesson& l = results[order[i]].lesson;
        words[i] = retrieval::WordSet(l.title + " " + l.content);
      }
      return *words[i];
    };
    auto Similarity = [&](std::size_t a, std::size_t b) {
      const Lesson& la = results[order[a]].lesson;
      const Lesson& lb = results[order[b]].lesson;
      if (embedder()) {
        const auto* va = vec_of(la);
        const auto* vb = vec_of(lb);
        if (va && vb) return std::max(0.0, double(InnerProduct(*va, *vb)));  // unit vectors
      }
      return retrieval::Jaccard(words_of(a), words_of(b));
    };
    std::vector<double> memo(pool * pool, -1.0);  // symmetric similarity cache
    auto sim = [&](std::size_t a, std::size_t b) {
      double& m = memo[std::min(a, b) * pool + std::max(a, b)];
      if (m < 0) m = Similarity(a, b);
      return m;
    };
    // Only as many picks as can be returned (all of the pool with a budget).
    std::size_t picks =
        request.token_budget > 0 ? pool : std::min<std::size_t>(pool, request.limit);
    for (auto [i, pen] : retrieval::Mmr(pool_scores, picks, ro.mmr_lambda, sim)) {
      LessonResult r = results[order[i]];
      r.explanation.mmr_penalty = pen;
      ranked.push_back(std::move(r));
    }
  } else {
    for (std::size_t i : order) ranked.push_back(results[i]);
  }
  if (ranked.size() > static_cast<std::size_t>(request.limit) && request.token_budget == 0) {
    ranked.resize(request.limit);
  }
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
  return resp;
}

}  // namespace engram
