// One corpus of the scale benchmark, measured end to end (see scale_bench.h):
// lessons + embeddings into a scratch SQLite store, a parallel HNSW build
// saved where the Engine loads it, exact / HNSW / BM25 / Engine timings and
// sqlite-vec on the same vectors.
//
// Ownership: borrows the spec's matrices and embedder for the call.
// Thread safety: one call at a time per work directory.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bench/scale_bench.h"
#include "bench/scale_data.h"
#include "bench/table_embedder.h"
#include "engram/json.h"

namespace engram::bench {

// Untimed queries before each timing. A corpus holds `--queries` + this many
// query rows: the timed ones first, the warm-up ones after them.
inline constexpr std::size_t kWarmupQueries = 20;

struct CorpusSpec {
  std::string name;              // "real" or "synthetic"
  const Matrix* base = nullptr;  // one vector per lesson
  std::function<std::string(std::size_t)> title;
  std::function<std::string(std::size_t)> content;
  std::string topic;
  const Matrix* queries = nullptr;
  std::vector<std::string> query_texts;  // one per query row
  // Exact top-10 rows per query; empty = computed with the exact index.
  std::vector<std::vector<std::int32_t>> truth;
  // The Engine's embedder: holds the query vectors; with an inner model
  // the end-to-end (query embedding included) timing is measured too.
  std::shared_ptr<TableEmbedder> embedder;
  bool end_to_end = false;
};

// Fills spec.truth when empty (it is needed before synthetic query texts
// can be made). Returns the exact-scan latencies' summary as JSON.
Result<Json> ExactTruth(const ScaleOptions& options, CorpusSpec& spec);

// `exact` is ExactTruth's result, put into the report.
Result<Json> RunCorpus(const ScaleOptions& options, CorpusSpec& spec, Json exact);

}  // namespace engram::bench
