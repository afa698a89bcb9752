// Data of the scale benchmark (bench/README.md, "engram-bench scale"):
//  - Matrix: n row-major float vectors.
//  - the peers harness files (/work/shared/peers/gen.py: meta.json, base.f32,
//    queries.f32, gt.i32) or, without them, clustered vectors generated here
//    with the same shape (cluster centre + rank-16 local variation + noise,
//    L2-normalised);
//  - deterministic synthetic text for each synthetic vector (Zipfian words),
//    so BM25 runs over as many documents as the vector index holds;
//  - real texts from the LoCoMo dialogs (every turn, then pairs of turns of
//    one conversation at growing distance) until N distinct texts;
//  - a checksummed cache file of embedded vectors, so re-runs skip embedding.
//
// Ownership: plain values. Thread safety: pure functions (file I/O aside).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engram/status.h"

namespace engram::bench {

struct Matrix {
  std::size_t rows = 0;
  std::size_t dim = 0;
  std::vector<float> data;  // rows * dim

  std::span<const float> Row(std::size_t i) const { return {data.data() + i * dim, dim}; }
};

struct VectorData {
  Matrix base;
  Matrix queries;
  // Exact top-10 row ids per query, best first (empty when not given).
  std::vector<std::vector<std::int32_t>> truth;
  std::string source;  // where the data came from, for the report
};

// Reads a directory written by gen.py. NotFound if meta.json is missing;
// Corruption for short or inconsistent files.
Result<VectorData> LoadPeersData(const std::string& dir);

struct ClusteredOptions {
  std::size_t n = 10000;
  std::size_t queries = 500;
  std::size_t dim = 512;
  std::size_t clusters = 1000;  // at most n / 4 are used
  std::uint64_t seed = 42;
};
// Clustered vectors of the shape gen.py makes (no ground truth: callers
// compute it with an exact index).
VectorData GenerateClustered(const ClusteredOptions& options);

// Synthetic text: words "w<base-26 rank>" drawn from a Zipf(s = 1) law over
// `vocabulary` words, seeded by the row. Documents have `words` words.
struct SyntheticTextOptions {
  std::size_t vocabulary = 50000;
  std::size_t words = 16;
  // Ranks below this are never put into a query (as stop words are removed
  // from a natural-language query).
  std::size_t query_min_rank = 100;
  std::uint64_t seed = 7;
};
class SyntheticText {
 public:
  explicit SyntheticText(SyntheticTextOptions options = {});
  // The word ranks of document `row` (deterministic).
  std::vector<std::size_t> DocumentRanks(std::size_t row) const;
  std::string Document(std::size_t row) const;
  // A query "about" document `near_row`: its two rarest words plus one
  // Zipfian word of rank >= query_min_rank drawn from `query`.
  std::string Query(std::size_t query, std::size_t near_row) const;
  static std::string Word(std::size_t rank);

 private:
  std::size_t Draw(std::uint64_t& state, std::size_t min_rank) const;
  SyntheticTextOptions options_;
  std::vector<double> cdf_;  // cumulative Zipf weights by rank
};

// A real text and where it came from (LoCoMo dia ids joined by "+").
struct RealText {
  std::string text;
  std::string source;
  std::string conversation;
};
// The first `n` distinct texts of the sequence: every turn of every
// conversation ("speaker: text"), then for distance d = 1, 2, ... every pair
// (turn i, turn i + d) of one conversation joined by a newline. FailedPrecondition
// if the data cannot give `n` distinct texts.
Result<std::vector<RealText>> BuildRealTexts(const std::string& locomo_path, std::size_t n);
// The LoCoMo questions, in file order (the real queries).
Result<std::vector<std::string>> LocomoQuestions(const std::string& locomo_path);

// Cache file of embedded vectors: magic "ENGRVEC1", format version, rows,
// dim, model id, FNV-1a of the texts, the vectors, FNV-1a of everything
// before it. Load returns NotFound for a missing file and FailedPrecondition
// when the model or texts differ (the caller re-embeds); Corruption for a bad
// file.
Status SaveVectorCache(const std::string& path, const std::string& model_id,
                       std::uint64_t texts_hash, const Matrix& vectors);
Result<Matrix> LoadVectorCache(const std::string& path, const std::string& model_id,
                               std::uint64_t texts_hash);
std::uint64_t HashTexts(const std::vector<std::string>& texts);

}  // namespace engram::bench
