// RankLessonCandidates (engine/search_rank.h): lesson ranking from the
// index's metadata, or from the stored lessons.
#include "engine/search_rank.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <utility>

#include "core/similarity.h"
#include "embed/vector_norm.h"
#include "engram/vector_index.h"

namespace engram {
namespace {

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

// One candidate that passed the filters.
struct Row {
  const std::string* id = nullptr;
  CandidateScore score;
  ItemMeta meta;                 // from the index (index way)
  std::optional<Lesson> lesson;  // the stored lesson (store way)
};

// What ranking reads of a row: the stored lesson if loaded, else its metadata.
retrieval::RankInputs InputsOf(const Row& row) {
  if (row.lesson) return retrieval::RankInputs::Of(*row.lesson);
  const ItemMeta& m = row.meta;
  retrieval::RankInputs in;
  in.confidence = m.confidence;
  in.type = static_cast<LessonType>(m.type);
  in.updated_at = m.updated_at;
  if (m.last_used_at != 0) in.last_used_at = m.last_used_at;
  return in;
}

void SetFactors(const RankContext& c, const retrieval::RankInputs& in, ScoreExplanation& e) {
  const retrieval::RankFactors f = retrieval::FactorsFor(in, c.now, c.options);
  e.confidence_factor = f.confidence_factor;
  e.decay = f.decay;
  e.months_unused = f.months_unused;
  e.type_weight = f.type_weight;
  e.recency = f.recency;
  e.profile = c.profile;
  e.score = e.relevance * f.multiplier;
}

// Explanations and scores of the rows; a row without relevance scores -1.
void Score(const RankContext& c, const std::vector<Row>& rows,
           const std::map<std::string, double>& expanded, std::vector<ScoreExplanation>* expl,
           std::vector<double>* scores) {
  std::vector<double> bm25, cosine;
  for (const Row& r : rows) {
    bm25.push_back(r.score.bm25);
    cosine.push_back(r.score.cosine);
  }
  *expl = RelevanceExplanations(bm25, cosine, !c.model_id.empty(), c.options.dense_weight, c.mode,
                                c.note);
  scores->assign(rows.size(), -1);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ScoreExplanation& e = (*expl)[i];
    SetFactors(c, InputsOf(rows[i]), e);
    if (auto x = expanded.find(*rows[i].id); x != expanded.end()) e.expansion = x->second;
    if (e.relevance > 0) (*scores)[i] = e.score;
  }
}

// Row indexes by score, best first, without the rows that have no relevance.
std::vector<std::size_t> ByScore(const std::vector<double>& scores) {
  std::vector<std::size_t> order(scores.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  while (!order.empty() && scores[order.back()] < 0) order.pop_back();
  return order;
}

// How many of `order` MMR considers.
std::size_t PoolSize(const SearchRequest& r, const std::vector<std::size_t>& order) {
  return std::min<std::size_t>(order.size(), 4 * r.limit + 10);
}

// The rows to return, in order, with their MMR penalties: MMR over the pool
// of best rows when diversifying (`similarity` of two row indexes in [0, 1]),
// else every row by score.
std::vector<std::pair<std::size_t, double>> Pick(
    const SearchRequest& r, double lambda, const std::vector<double>& scores,
    const std::vector<std::size_t>& order,
    const std::function<double(std::size_t, std::size_t)>& similarity) {
  std::vector<std::pair<std::size_t, double>> out;
  if (!r.diversify || order.empty()) {
    for (std::size_t i : order) out.emplace_back(i, 0.0);
    return out;
  }
  const std::size_t pool = PoolSize(r, order);
  std::vector<double> pool_scores;
  for (std::size_t i = 0; i < pool; ++i) pool_scores.push_back(scores[order[i]]);
  const double top = std::max(1e-12, pool_scores.front());
  for (double& s : pool_scores) s /= top;
  std::vector<double> memo(pool * pool, -1.0);  // symmetric similarity cache
  auto sim = [&](std::size_t a, std::size_t b) {
    double& m = memo[std::min(a, b) * pool + std::max(a, b)];
    if (m < 0) m = similarity(order[a], order[b]);
    return m;
  };
  // Only as many picks as can be returned (all of the pool with a budget).
  const std::size_t picks =
      r.token_budget > 0 ? pool : std::min<std::size_t>(pool, static_cast<std::size_t>(r.limit));
  for (auto [i, pen] : retrieval::Mmr(pool_scores, picks, lambda, sim)) {
    out.emplace_back(order[i], pen);
  }
  return out;
}

int TokensOf(const Lesson& l, const RankContext& c) {
  return retrieval::EstimateTokens(l.title + "\n" + l.content, c.options.chars_per_token);
}

double VectorSimilarity(const std::vector<float>& a, const std::vector<float>& b) {
  return std::max(0.0, double(InnerProduct(a, b)));  // unit vectors
}

using MaybeRanked = std::optional<RankedLessons>;

// The index way; nullopt when it cannot answer exactly.
Result<MaybeRanked> FromIndex(Store& store, SearchState& state, const RankContext& c,
                              const std::map<std::string, CandidateScore>& candidates,
                              const std::map<std::string, double>& expanded) {
  const SearchRequest& r = *c.request;
  const std::uint64_t project_hash = r.project ? ProjectHash(*r.project) : 0;
  std::vector<Row> rows;
  rows.reserve(candidates.size());
  {
    std::lock_guard lock(state.mu);
    if (!state.index) return MaybeRanked();
    for (const auto& [id, s] : candidates) {
      Result<ItemMeta> m = state.index->GetMeta(id);
      if (!m.ok()) return MaybeRanked();  // not indexed: only the store knows it
      if (m->kind != 0 || m->type > static_cast<std::uint8_t>(LessonType::kExample)) {
        return MaybeRanked();
      }
      if (!AcceptsItemMeta(r, *m, project_hash)) continue;
      if (s.bm25 <= 0 && s.cosine < c.options.min_cosine) continue;
      Row row;
      row.id = &id;
      row.score = s;
      row.meta = *m;
      rows.push_back(std::move(row));
    }
  }
  std::vector<ScoreExplanation> expl;
  std::vector<double> scores;
  Score(c, rows, expanded, &expl, &scores);
  const std::vector<std::size_t> order = ByScore(scores);
  std::vector<std::vector<float>> vectors(rows.size());
  if (r.diversify) {
    std::lock_guard lock(state.mu);
    if (!state.index) return MaybeRanked();
    for (std::size_t i = 0; i < PoolSize(r, order); ++i) {
      Result<std::vector<float>> v = state.index->GetVector(*rows[order[i]].id);
      if (!v.ok()) return MaybeRanked();  // removed meanwhile
      vectors[order[i]] = std::move(*v);
    }
  }
  std::vector<std::pair<std::size_t, double>> picks =
      Pick(r, c.options.mmr_lambda, scores, order,
           [&](std::size_t a, std::size_t b) { return VectorSimilarity(vectors[a], vectors[b]); });
  if (picks.size() > static_cast<std::size_t>(r.limit)) picks.resize(r.limit);

  // Load the results; each must still be what the index says it is.
  std::vector<std::string> ids;
  ids.reserve(picks.size());
  for (const auto& [i, pen] : picks) ids.push_back(*rows[i].id);
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> stored, store.GetLessons(ids));
  if (stored.size() != ids.size()) return MaybeRanked();  // deleted meanwhile
  RankedLessons out;
  out.candidates = static_cast<int>(rows.size());
  out.from_index = true;
  for (std::size_t k = 0; k < picks.size(); ++k) {
    const auto [i, pen] = picks[k];
    Lesson& l = stored[k];
    if (l.id != ids[k] || !Accepts(r, l) || !(MetaOf(l) == rows[i].meta)) return MaybeRanked();
    LessonResult res;
    res.explanation = std::move(expl[i]);
    SetFactors(c, retrieval::RankInputs::Of(l), res.explanation);  // exact, from the store
    res.explanation.mmr_penalty = pen;
    res.tokens = TokensOf(l, c);
    res.lesson = std::move(l);
    out.results.push_back(std::move(res));
  }
  return MaybeRanked(std::move(out));
}

// The store way: every candidate loaded and checked. `correct_index`: the
// index way found stale metadata; set the index's copy of every loaded
// lesson right, so the next search can take the index way again.
Result<RankedLessons> FromStore(Store& store, SearchState* state, const RankContext& c,
                                const std::map<std::string, CandidateScore>& candidates,
                                const std::map<std::string, double>& expanded, bool correct_index) {
  const SearchRequest& r = *c.request;
  std::vector<std::string> ids;
  ids.reserve(candidates.size());
  for (const auto& entry : candidates) ids.push_back(entry.first);
  // Lessons deleted since they were indexed are not returned.
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Lesson> stored, store.GetLessons(ids));
  if (correct_index && state != nullptr) {
    // E.g. a use noted by another process without a new version.
    std::lock_guard lock(state->mu);
    for (const Lesson& l : stored) {
      if (!state->index) break;
      const ItemMeta now = MetaOf(l);
      Result<ItemMeta> m = state->index->GetMeta(l.id);
      if (m.ok() && !(*m == now) && state->index->SetMeta(l.id, now).ok()) {
        ++state->unsaved_changes;
      }
    }
  }
  std::vector<Row> rows;
  rows.reserve(stored.size());
  for (Lesson& l : stored) {
    const auto& [id, s] = *candidates.find(l.id);  // GetLessons returns only ids asked for
    if (!Accepts(r, l)) continue;
    if (s.bm25 <= 0 && s.cosine < c.options.min_cosine) continue;  // neither lexical nor semantic
    Row row;
    row.id = &id;
    row.score = s;
    row.lesson = std::move(l);
    rows.push_back(std::move(row));
  }
  std::vector<ScoreExplanation> expl;
  std::vector<double> scores;
  Score(c, rows, expanded, &expl, &scores);
  const std::vector<std::size_t> order = ByScore(scores);

  // Similarity: vectors (the index's copy, else the stored embedding), else
  // the word sets of the texts.
  std::map<std::size_t, std::vector<float>> vecs;
  auto vec_of = [&](std::size_t i) -> const std::vector<float>* {
    auto it = vecs.find(i);
    if (it == vecs.end()) {
      std::vector<float> v;
      if (state != nullptr) {
        std::lock_guard lock(state->mu);
        if (state->index) {
          if (auto got = state->index->GetVector(*rows[i].id); got.ok()) v = std::move(*got);
        }
      }
      if (v.empty()) {
        if (auto e = store.GetEmbedding(*rows[i].id, c.model_id); e.ok()) {
          v = std::move(e->vector);
          embed::L2Normalize(v);
        }
      }
      it = vecs.emplace(i, std::move(v)).first;
    }
    return it->second.empty() ? nullptr : &it->second;
  };
  std::map<std::size_t, std::set<std::string>> words;
  auto words_of = [&](std::size_t i) -> const std::set<std::string>& {
    auto it = words.find(i);
    if (it == words.end()) {
      const Lesson& l = *rows[i].lesson;
      it = words.emplace(i, retrieval::WordSet(l.title + " " + l.content)).first;
    }
    return it->second;
  };
  std::vector<std::pair<std::size_t, double>> picks =
      Pick(r, c.options.mmr_lambda, scores, order, [&](std::size_t a, std::size_t b) {
        if (!c.model_id.empty()) {
          const auto* va = vec_of(a);
          const auto* vb = vec_of(b);
          if (va && vb) return VectorSimilarity(*va, *vb);
        }
        return Jaccard(words_of(a), words_of(b));
      });
  RankedLessons out;
  out.candidates = static_cast<int>(rows.size());
  for (const auto& [i, pen] : picks) {
    LessonResult res;
    res.explanation = expl[i];
    res.explanation.mmr_penalty = pen;
    res.tokens = TokensOf(*rows[i].lesson, c);
    res.lesson = std::move(*rows[i].lesson);  // each row is picked once
    out.results.push_back(std::move(res));
  }
  if (out.results.size() > static_cast<std::size_t>(r.limit) && r.token_budget == 0) {
    out.results.resize(r.limit);
  }
  return out;
}

}  // namespace

bool AcceptsItemMeta(const SearchRequest& r, const ItemMeta& m, std::uint64_t project_hash) {
  if (m.deprecated && !r.include_deprecated) return false;
  if (m.scope == static_cast<std::uint8_t>(LessonScope::kProject) &&
      (!r.project || m.project_hash != project_hash)) {
    return false;
  }
  if (r.type && m.type != static_cast<std::uint8_t>(*r.type)) return false;
  if (r.min_confidence && m.confidence < *r.min_confidence - 1e-6) return false;
  return true;
}

Result<RankedLessons> RankLessonCandidates(Store& store, SearchState* state,
                                           const RankContext& context,
                                           const std::map<std::string, CandidateScore>& candidates,
                                           const std::map<std::string, double>& expanded) {
  const SearchRequest& r = *context.request;
  if (context.from_index && state != nullptr && !context.model_id.empty() && !r.topic &&
      r.tags.empty() && r.token_budget == 0) {
    ENGRAM_ASSIGN_OR_RETURN(std::optional<RankedLessons> ranked,
                            FromIndex(store, *state, context, candidates, expanded));
    if (ranked) return std::move(*ranked);
    return FromStore(store, state, context, candidates, expanded, /*correct_index=*/true);
  }
  return FromStore(store, state, context, candidates, expanded, /*correct_index=*/false);
}

}  // namespace engram
