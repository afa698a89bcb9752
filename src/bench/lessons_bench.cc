// `engram-bench lessons` (bench/lessons_bench.h).
#include "bench/lessons_bench.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <sstream>
#include <vector>

#include "core/similarity.h"
#include "engine/search_state.h"

namespace engram::bench {
namespace {

// Adds every lesson; returns stored id -> data id, and the stored lessons.
Result<std::map<std::string, std::string>> AddAll(Engine& engine, const AbstainData& data,
                                                  std::vector<Lesson>* stored) {
  std::map<std::string, std::string> data_id;
  for (const AbstainLesson& l : data.lessons) {
    NewLesson n;
    n.title = l.title;
    n.content = l.content;
    n.topic = l.topic;
    n.on_duplicate = DuplicatePolicy::kAllow;
    ENGRAM_ASSIGN_OR_RETURN(Lesson s, engine.AddLesson(n));
    data_id[s.id] = l.id;
    if (stored != nullptr) stored->push_back(std::move(s));
  }
  return data_id;
}

// 1-based rank of `expected` among the search's results, 0 if absent.
Result<int> SearchRank(Engine& engine, const std::map<std::string, std::string>& data_id,
                       const AbstainQuery& q, int limit, bool* empty) {
  SearchRequest s;
  s.query = q.query;
  s.limit = limit;
  ENGRAM_ASSIGN_OR_RETURN(SearchResponse resp, engine.SearchLessons(s));
  *empty = resp.results.empty();
  for (std::size_t i = 0; i < resp.results.size(); ++i) {
    auto it = data_id.find(resp.results[i].lesson.id);
    if (it != data_id.end() && it->second == q.expected) return static_cast<int>(i) + 1;
  }
  return 0;
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
  std::vector<Lesson> stored;
  ENGRAM_ASSIGN_OR_RETURN(auto hybrid_ids, AddAll(engine, data, &stored));
  ENGRAM_ASSIGN_OR_RETURN(auto keyword_ids, AddAll(keyword, data, nullptr));

  // Dense only: the query's cosine to each lesson's embedding text.
  const Embedder* embedder = engine.embedder();
  std::vector<std::vector<float>> lesson_vectors;
  if (embedder != nullptr) {
    r.model = embedder->model_id();
    std::vector<std::string> texts;
    for (const Lesson& l : stored) texts.push_back(LessonEmbeddingText(l));
    ENGRAM_ASSIGN_OR_RETURN(lesson_vectors, embedder->EmbedBatch(texts));
  }
  for (const AbstainQuery& q : data.queries) {
    bool empty = false;
    ENGRAM_ASSIGN_OR_RETURN(int engine_rank,
                            SearchRank(engine, hybrid_ids, q, options.limit, &empty));
    CountRankOf(r.engine, engine_rank);
    if (empty) ++r.engine.empty;
    // BM25 ranks every lesson (no threshold), so that best_of_two sees
    // ranks beyond the limit too.
    SearchRequest s;
    s.query = q.query;
    s.limit = std::min(100, std::max(options.limit, r.lessons));
    s.min_relevance = 0.0;
    ENGRAM_ASSIGN_OR_RETURN(SearchResponse kw, keyword.SearchLessons(s));
    int bm25_rank = 0;
    for (std::size_t i = 0; i < kw.results.size(); ++i) {
      if (keyword_ids[kw.results[i].lesson.id] == q.expected) {
        bm25_rank = static_cast<int>(i) + 1;
        break;
      }
    }
    CountRankOf(r.bm25, bm25_rank <= options.limit ? bm25_rank : 0);
    if (kw.results.empty()) ++r.bm25.empty;
    if (embedder == nullptr) continue;
    ENGRAM_ASSIGN_OR_RETURN(std::vector<float> qv, embedder->Embed(q.query));
    std::vector<double> cos(stored.size());
    for (std::size_t i = 0; i < stored.size(); ++i)
      cos[i] = CosineSimilarity(qv, lesson_vectors[i]);
    int dense_rank = 0;
    for (std::size_t i = 0; i < stored.size(); ++i) {
      if (hybrid_ids[stored[i].id] != q.expected) continue;
      dense_rank = 1 + static_cast<int>(std::count_if(cos.begin(), cos.end(),
                                                      [&](double c) { return c > cos[i]; }));
      break;
    }
    CountRankOf(r.dense, dense_rank <= options.limit ? dense_rank : 0);
    int best = bm25_rank == 0    ? dense_rank
               : dense_rank == 0 ? bm25_rank
                                 : std::min(bm25_rank, dense_rank);
    CountRankOf(r.best_of_two, best <= options.limit ? best : 0);
  }
  FinishFigures(r.engine);
  FinishFigures(r.bm25);
  FinishFigures(r.dense);
  FinishFigures(r.best_of_two);
  r.mode = embedder != nullptr ? "hybrid" : "bm25";
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
    std::snprintf(line, sizeof line, "%-12s R@1 %5.1f  R@5 %5.1f  MRR %.3f\n", name, f.r1, f.r5,
                  f.mrr);
    os << line;
  };
  row("engine", r.engine);
  row("bm25 only", r.bm25);
  if (r.dense.queries > 0) {
    row("dense only", r.dense);
    row("best of two", r.best_of_two);
  }
  return os.str();
}

}  // namespace engram::bench
