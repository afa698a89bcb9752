// `engram-bench scale`: retrieval at 100k-1M memories (bench/README.md).
//
// Two corpora, each measured the same way (RunCorpus):
//  - real: N texts from the LoCoMo dialogs (BuildRealTexts) embedded with the
//    native USE Lite model (cached in the work dir), queried with the LoCoMo
//    questions;
//  - synthetic: clustered 512-d vectors (the peers data, or generated) with
//    deterministic Zipfian text per vector.
// Each corpus becomes lessons in a scratch SQLite store (FTS5 BM25 index and
// stored embeddings) plus an HNSW index built with AddBatch on `threads`
// threads and saved where the Engine loads it. Then: exact brute force
// (ExactIndex), HNSW at each ef (latency, recall@10 against exact), BM25
// alone, Engine::SearchLessons with the query vector given (ANN + BM25 +
// fusion + ranking + MMR) and, for real text, end to end including
// embedding the query; sqlite-vec exact KNN on the same vectors; the ratios.
//
// Ownership: the caller owns the options; files go under options.work.
// Thread safety: one run at a time per work directory.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "engram/embedder.h"
#include "engram/json.h"
#include "engram/status.h"

namespace engram::bench {

struct ScaleOptions {
  std::size_t n = 100000;     // synthetic vectors (0 = no synthetic part)
  std::size_t real = 10000;   // real embedded texts (0 = no real part)
  std::size_t queries = 500;  // timed queries per measurement (after 20 warm-up)
  std::vector<std::size_t> efs = {64, 128, 256, 512};
  std::string work;    // required: scratch stores, caches
  std::string locomo;  // LoCoMo JSON (real texts and questions)
  // gen.py output for the synthetic part; used when its n equals `n`.
  // "" = /tmp/peers-data/n<n> if present, else vectors are generated here.
  std::string peers_data;
  std::string sqlite_vec;               // vec0.so; "" = DefaultSqliteVecPath()
  std::size_t sqlite_vec_queries = 50;  // sqlite-vec is slow at 1M: fewer queries
  std::size_t exact_queries = 200;      // exact scans timed when the truth is given
  int threads = 2;                      // HNSW build and embedding threads
  // HNSW ef_construction of the index this bench builds; 0 = HnswOptions' default.
  std::size_t ef_construction = 0;
  // EngineOptions::overlap_search of the Engine measured (false: BM25, then
  // the ANN, one after the other; for A/B runs).
  bool overlap_search = true;
  // EngineOptions::lesson_uses.record of the Engine measured (false: the
  // searches record no use; for A/B runs of use recording's cost).
  bool record_uses = true;
  // EngineOptions::lesson_uses.flush_items (0: the engine's default).
  int use_flush_items = 0;
  bool progress = false;  // bars on stderr
  // Keep the store of an earlier run in `work` (same corpus and N) instead
  // of rebuilding it, and its HNSW file when present (then without build
  // figures; a missing one is rebuilt and timed).
  bool reuse = false;
  // Embedder of the real part; null = the native USE Lite model.
  std::shared_ptr<const Embedder> embedder;
};

// The whole report: {"machine": ..., "real": {...}, "synthetic": {...}}.
Result<Json> RunScaleBench(const ScaleOptions& options);

// Human-readable tables of a report.
std::string FormatScaleReport(const Json& report);

}  // namespace engram::bench
