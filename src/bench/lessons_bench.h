// `engram-bench lessons`: coding-lesson retrieval, symptom -> lesson
// (docs/BENCH.md; bench/README.md, "lessons"; issue: an agent describes
// what goes wrong and needs the lesson written for it).
//
// The lessons of <data>/<prefix>-lessons.jsonl go into two scratch stores
// (on_duplicate allow, as ../shared/bench-data/eval_lessons.py stores
// them): one searched as a user searches (hybrid: BM25 + the embedder,
// default threshold, limit 10) and one without an embedder (BM25 only).
// Each query of <prefix>-queries.jsonl is asked of both, and of the
// embedder alone (exact cosine of the query to every lesson's embedding
// text, the text the engine embeds), in the same run. Reported per mode:
// R@1, R@5, MRR of the expected lesson. `best_of_two` takes, per query,
// the better rank of BM25-only and dense-only: a reference for what the two
// signals hold (not a strict bound: a fusion can lift an item that is
// second in both). With a <prefix>-situations.jsonl beside them, the
// lessons then get their situations and both searches run again.
//
// Ownership: the caller owns both Engines (scratch stores: the lessons are
// added to them). Thread safety: one run at a time per Engine.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bench/abstain_bench.h"
#include "bench/rank_figures.h"
#include "engram/engine.h"
#include "engram/json.h"
#include "engram/status.h"

namespace engram::bench {

struct LessonsOptions {
  int limit = 10;  // results per query (eval_lessons.py's)
  // When not empty: after the runs above, each lesson gets its situations
  // (update_lesson) and the engine and BM25-only runs are repeated.
  SituationMap situations;
};

struct LessonsReport {
  std::string mode;   // the hybrid Engine's mode ("hybrid", or "bm25" without an embedder)
  std::string model;  // embedder model id ("" without one)
  int lessons = 0;
  RankFigures engine;             // the Engine as a user searches (hybrid)
  RankFigures bm25;               // the Engine without an embedder
  RankFigures dense;              // cosine only (queries == 0 without an embedder)
  RankFigures best_of_two;        // per query the better of bm25 and dense
  int situations = 0;             // situations set (0: no situations run)
  RankFigures engine_situations;  // the engine once lessons carry them
  RankFigures bm25_situations;    // BM25 only, likewise
};

// `keyword` must have no embedder. Lesson data as LoadAbstainData reads it
// (its `ood` list is ignored).
Result<LessonsReport> RunLessons(Engine& engine, Engine& keyword, const AbstainData& data,
                                 const LessonsOptions& options);

Json ToJson(const LessonsReport& r);
std::string FormatReport(const LessonsReport& r);

}  // namespace engram::bench
