// `engram-bench lessons` (bench/lessons_bench.h).
#include "bench/lessons_bench.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "core/similarity.h"
#include "engine/search_state.h"

namespace engram::bench {
namespace {

using IdMap = std::map<std::string, std::string>;  // stored id -> the data's id

// 1-based rank of `expected` among `results`, 0 if absent.
int RankOf(const std::vector<LessonResult>& results, const IdMap& data_id,
           const std::string& expected) {
  for (std::size_t i = 0; i < results.size(); ++i) {
    auto it = data_id.find(results[i].lesson.id);
    if (it != data_id.end() && it->second == expected) return static_cast<int>(i) + 1;
  }
  return 0;
}

// Ranks of every query in `engine`'s answers of `limit` results, with the
// default threshold (`min_relevance` unset: as a user searches) or another.
Result<std::vector<int>> Ranks(Engine& engine, const IdMap& ids, const AbstainData& data, int limit,
                               std::optional<double> min_relevance, int* empty) {
  std::vector<int> ranks;
  for (const AbstainQuery& q : data.queries) {
    SearchRequest s;
    s.query = q.query;
    s.limit = limit;
    s.min_relevance = min_relevance;
    ENGRAM_ASSIGN_OR_RETURN(SearchResponse resp, engine.SearchLessons(s));
    if (resp.results.empty()) ++*empty;
    ranks.push_back(RankOf(resp.results, ids, q.expected));
  }
  return ranks;
}

RankFigures Figures(const std::vector<int>& ranks, int limit, int empty = 0) {
  RankFigures f;
  for (int r : ranks) CountRankOf(f, r <= limit ? r : 0);
  f.empty = empty;
  FinishFigures(f);
  return f;
}

// The engine's figures (as a user searches) and BM25-only's (every lesson
// ranked) over every query; BM25's ranks also in `bm25_ranks`.
Status RankBoth(Engine& engine, const IdMap& engine_ids, Engine& keyword, const IdMap& keyword_ids,
                const AbstainData& data, int limit, RankFigures* engine_figures,
                RankFigures* bm25_figures, std::vector<int>* bm25_ranks) {
  int empty = 0;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<int> ranks,
                          Ranks(engine, engine_ids, data, limit, std::nullopt, &empty));
  *engine_figures = Figures(ranks, limit, empty);
  // BM25 ranks every lesson (no threshold, up to 100), so that best_of_two
  // sees ranks beyond the limit too.
  const int all = std::min(100, static_cast<int>(data.lessons.size()));
  int bm25_empty = 0;
  ENGRAM_ASSIGN_OR_RETURN(*bm25_ranks, Ranks(keyword, keyword_ids, data, all, 0.0, &bm25_empty));
  *bm25_figures = Figures(*bm25_ranks, limit, bm25_empty);
  return Status::Ok();
}

}  // namespace

Result<LessonsReport> RunLessons(Engine& engine, Engine& keyword, const AbstainData& data,
                                 const LessonsOptions& options) {
  if (keyword.embedder() != nullptr) {
    return Status::InvalidArgument("the keyword Engine must have no embedder");
  }
  if (options.limit < 1) return Status::InvalidArgument("limit must be >= 1");
  LessonsReport r;
  r.lessons = static_cast<int>(data.lessons.size());
  const Embedder* embedder = engine.embedder();
  r.mode = embedder != nullptr ? "hybrid" : "bm25";
  std::vector<Lesson> stored;
  ENGRAM_ASSIGN_OR_RETURN(IdMap hybrid_ids, AddDataLessons(engine, data, &stored));
  ENGRAM_ASSIGN_OR_RETURN(IdMap keyword_ids, AddDataLessons(keyword, data, nullptr));

  std::vector<int> bm25_ranks;
  ENGRAM_RETURN_IF_ERROR(RankBoth(engine, hybrid_ids, keyword, keyword_ids, data, options.limit,
                                  &r.engine, &r.bm25, &bm25_ranks));

  if (embedder != nullptr) {
    // Dense only: the query's cosine to each lesson's embedding text.
    r.model = embedder->model_id();
    std::vector<std::string> texts;
    texts.reserve(stored.size());
    for (const Lesson& l : stored) texts.push_back(LessonEmbeddingText(l));
    ENGRAM_ASSIGN_OR_RETURN(auto lesson_vectors, embedder->EmbedBatch(texts));
    std::vector<int> dense_ranks, best_ranks;
    for (std::size_t qi = 0; qi < data.queries.size(); ++qi) {
      const AbstainQuery& q = data.queries[qi];
      ENGRAM_ASSIGN_OR_RETURN(std::vector<float> qv, embedder->Embed(q.query));
      std::vector<double> cos(stored.size());
      for (std::size_t i = 0; i < stored.size(); ++i) {
        cos[i] = CosineSimilarity(qv, lesson_vectors[i]);
      }
      int dense = 0;
      for (std::size_t i = 0; i < stored.size(); ++i) {
        if (hybrid_ids[stored[i].id] != q.expected) continue;
        dense = 1 + static_cast<int>(std::count_if(cos.begin(), cos.end(),
                                                   [&](double c) { return c > cos[i]; }));
        break;
      }
      const int bm25 = bm25_ranks[qi];
      dense_ranks.push_back(dense);
      best_ranks.push_back(bm25 == 0 ? dense : dense == 0 ? bm25 : std::min(bm25, dense));
    }
    r.dense = Figures(dense_ranks, options.limit);
    r.best_of_two = Figures(best_ranks, options.limit);
  }

  if (!options.situations.empty()) {
    for (const auto& [id, list] : options.situations) r.situations += static_cast<int>(list.size());
    ENGRAM_RETURN_IF_ERROR(ApplySituations(engine, hybrid_ids, options.situations));
    ENGRAM_RETURN_IF_ERROR(ApplySituations(keyword, keyword_ids, options.situations));
    std::vector<int> ranks;
    ENGRAM_RETURN_IF_ERROR(RankBoth(engine, hybrid_ids, keyword, keyword_ids, data, options.limit,
                                    &r.engine_situations, &r.bm25_situations, &ranks));
  }
  return r;
}

Json ToJson(const LessonsReport& r) {
  Json j{{"mode", r.mode},
         {"model", r.model},
         {"lessons", r.lessons},
         {"engine", FiguresJson(r.engine)},
         {"bm25", FiguresJson(r.bm25)}};
  if (r.dense.queries > 0) {
    j["dense"] = FiguresJson(r.dense);
    j["best_of_two"] = FiguresJson(r.best_of_two);
  }
  if (r.situations > 0) {
    j["situations"] = r.situations;
    j["engine_with_situations"] = FiguresJson(r.engine_situations);
    j["bm25_with_situations"] = FiguresJson(r.bm25_situations);
  }
  return j;
}

std::string FormatReport(const LessonsReport& r) {
  std::ostringstream os;
  char line[256];
  std::snprintf(line, sizeof line, "%d lessons, %d queries, engine mode %s%s%s\n", r.lessons,
                r.engine.queries, r.mode.c_str(), r.model.empty() ? "" : ", model ",
                r.model.c_str());
  os << line;
  auto row = [&](const char* name, const RankFigures& f) {
    std::snprintf(line, sizeof line, "%-22s R@1 %5.1f  R@5 %5.1f  MRR %.3f\n", name, f.r1, f.r5,
                  f.mrr);
    os << line;
  };
  row("engine", r.engine);
  row("bm25 only", r.bm25);
  if (r.dense.queries > 0) {
    row("dense only", r.dense);
    row("best of two", r.best_of_two);
  }
  if (r.situations > 0) {
    std::snprintf(line, sizeof line, "with %d situations (Lesson::situations):\n", r.situations);
    os << line;
    row("engine + situations", r.engine_situations);
    row("bm25 + situations", r.bm25_situations);
  }
  return os.str();
}

}  // namespace engram::bench
