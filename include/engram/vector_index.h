// Vector index: the nearest-neighbour half of engram's hybrid retrieval.
//
// A VectorIndex maps engram's string ids (UUIDs) to fixed-size float vectors
// plus a small ItemMeta record, and answers "the k items most similar to this
// query, among those a filter accepts". Similarity is the inner product of
// L2-normalised vectors (= cosine similarity); every vector, stored or query,
// is normalised on the way in. Two implementations:
//  - HnswIndex: an approximate graph index (hnswlib) with filtered search,
//    persistence in a checksummed, versioned file, and capacity growth.
//  - NewExactIndex(): brute force over all items; exact, for small sets,
//    tests and as the benchmark baseline.
// A later PostgreSQL tier can implement the same interface.
//
// Ownership: factories return a std::unique_ptr the caller owns. An index
// copies every vector and id it is given; callers keep nothing alive for it.
// Thread safety: every implementation is safe for concurrent use without
// external synchronisation. Searches run concurrently with each other; a
// write (Add/Update/SetMeta/Remove/AddBatch/SetEfSearch) waits for running
// searches and blocks new ones while it runs (one writer at a time).
// Design, file format and benchmark figures: docs/INDEX.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engram/lesson.h"
#include "engram/status.h"

namespace engram {

// Cheap per-item attributes kept inside the index so filters never need the
// store, and ranking can start from memory. 32 bytes. The fields mirror what
// lesson retrieval filters and ranks on; other item kinds may use them as
// they see fit (the index never interprets them).
struct ItemMeta {
  std::uint64_t project_hash = 0;  // ProjectHash(project); 0 for global items
  float confidence = 0.0f;         // [0, 1]
  std::uint8_t type = 0;           // e.g. static_cast<uint8_t>(LessonType)
  std::uint8_t scope = 0;          // e.g. static_cast<uint8_t>(LessonScope)
  bool deprecated = false;
  std::uint8_t kind = 0;          // caller-defined item kind (0 = lesson)
  std::int64_t updated_at = 0;    // Unix ms of the item's last write
  std::int64_t last_used_at = 0;  // Unix ms of its last use; 0 = never

  friend bool operator==(const ItemMeta&, const ItemMeta&) = default;
};

// Stable 64-bit FNV-1a hash of a project name; never 0 for a non-empty name.
std::uint64_t ProjectHash(std::string_view project);
// The ItemMeta of a lesson (type, scope, project hash, confidence,
// deprecated, updated_at, last_used_at).
ItemMeta MetaOf(const Lesson& lesson);

// <a, b> over min(a.size(), b.size()) entries, with the run-time dispatched
// kernel the index itself uses (AVX2/AVX-512 where the CPU has them). For
// unit vectors (GetVector's) this is their cosine similarity.
float InnerProduct(std::span<const float> a, std::span<const float> b);

// Decides whether an item may appear in the results. Must be cheap, must not
// call back into the index, and must be safe to call from the searching
// thread (it is called while the index's read lock is held).
using SearchFilter = std::function<bool(std::string_view id, const ItemMeta& meta)>;

struct SearchHit {
  std::string id;
  float score = 0.0f;  // inner product of the normalised vectors, in [-1, 1]
};

// One item for bulk loading; views stay owned by the caller during the call.
struct ItemView {
  std::string_view id;
  std::span<const float> vector;
  ItemMeta meta;
};

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;

  virtual std::size_t dimension() const = 0;
  // Number of live (not removed) items.
  virtual std::size_t size() const = 0;
  virtual bool Contains(std::string_view id) const = 0;
  // The stored metadata of a live item (NotFound otherwise).
  virtual Result<ItemMeta> GetMeta(std::string_view id) const = 0;
  // The stored vector of a live item, scaled to unit length as every
  // vector is on Add (NotFound otherwise). Saves a store read where only
  // the direction matters (MMR's similarity).
  virtual Result<std::vector<float>> GetVector(std::string_view id) const = 0;

  // Adds a new item. InvalidArgument for an empty id, a vector of the wrong
  // dimension, a non-finite entry or a zero vector; AlreadyExists if `id` is
  // live. A failed call changes nothing.
  virtual Status Add(std::string_view id, std::span<const float> vector, const ItemMeta& meta) = 0;
  // Replaces the vector and metadata of a live item (NotFound otherwise).
  virtual Status Update(std::string_view id, std::span<const float> vector,
                        const ItemMeta& meta) = 0;
  // Replaces only the metadata of a live item (NotFound otherwise).
  virtual Status SetMeta(std::string_view id, const ItemMeta& meta) = 0;
  // Removes a live item (NotFound otherwise). Its slot is reused by a later Add.
  virtual Status Remove(std::string_view id) = 0;

  // Up to k hits, best first, among live items `filter` accepts (all live
  // items when `filter` is empty). Returns min(k, number of accepted items)
  // hits. InvalidArgument for a query of the wrong dimension, non-finite or zero.
  virtual Result<std::vector<SearchHit>> Search(std::span<const float> query, std::size_t k,
                                                const SearchFilter& filter) const = 0;
  Result<std::vector<SearchHit>> Search(std::span<const float> query, std::size_t k) const {
    return Search(query, k, SearchFilter{});
  }
};

// Brute-force index: scans every item. Exact; O(n * dimension) per search.
// REQUIRES: dimension > 0.
std::unique_ptr<VectorIndex> NewExactIndex(std::size_t dimension);

struct HnswOptions {
  std::size_t dimension = 512;  // required; 512 = USE Lite
  // Embedding model the vectors come from; saved in the file and checked on
  // Load so vectors of another model are never mixed in.
  std::string model_id;
  std::size_t M = 16;                   // graph degree (2*M on the base layer)
  std::size_t ef_construction = 200;    // candidate list size while inserting
  std::size_t ef_search = 64;           // candidate list size while searching (>= k is used)
  std::size_t initial_capacity = 1024;  // slots allocated up front
  double growth_factor = 2.0;           // capacity multiplier when full (> 1)
  std::size_t random_seed = 100;        // level generator seed (deterministic builds)
  // Filtered searches whose estimated number of matching items m satisfies
  // m * m <= exact_scan_factor * ef * live_items scan the m matches exactly
  // instead of walking the graph (a walk visits about ef * live / m nodes).
  double exact_scan_factor = 8.0;
  // Filtered searches whose estimated matches are at least this share of
  // the live items take hnswlib's own walk over ef candidates and filter
  // those (falling back to the filtered walk when fewer than k pass): a
  // filter that rejects almost nothing then costs almost nothing. > 1
  // disables it; negative or NaN is InvalidArgument.
  double post_filter_share = 0.9;
};

// How a search was answered (for tests and benchmarks). kGraphThenFilter:
// the filter accepts nearly every item, so the plain walk's ef candidates
// were filtered afterwards (docs/INDEX.md, "Filtered search").
enum class SearchPath { kGraph, kFilteredGraph, kExactScan, kGraphThenFilter };
struct SearchInfo {
  SearchPath path = SearchPath::kGraph;
  std::size_t estimated_matches = 0;  // filtered searches: sampled estimate
};

// Approximate nearest-neighbour index over hnswlib's HNSW graph.
class HnswIndex : public VectorIndex {
 public:
  // The index file format Save writes (docs/INDEX.md). Load also reads
  // versions 1 and 2; saving such an index again writes the current format.
  static constexpr std::uint32_t kFormatVersion = 3;

  // InvalidArgument for dimension 0, M < 2, growth_factor <= 1 or an empty model_id.
  static Result<std::unique_ptr<HnswIndex>> Create(const HnswOptions& options);

  // Reads a file written by Save. `options.model_id` and `options.dimension`
  // must equal the file's; M and ef_construction come from the file; the
  // search settings (ef_search, exact_scan_factor) and growth from `options`.
  // When `expected_fingerprint` is non-empty it must equal the one given to
  // Save. Corruption for a file that is not an index, truncated or failing
  // its checksum; FailedPrecondition for an unsupported format version,
  // another model or dimension, or a stale fingerprint; NotFound / IOError
  // from the file system. Never returns a partly read index.
  static Result<std::unique_ptr<HnswIndex>> Load(const std::string& path,
                                                 const HnswOptions& options,
                                                 std::string_view expected_fingerprint = {});

  // Writes the whole index to `path` atomically (temporary file, fsync,
  // rename, fsync of the directory). `source_fingerprint` (<= 1024 bytes)
  // describes the data the index was built from, so the owner can detect a
  // stale file after Load. Searches may run meanwhile; writes wait.
  virtual Status Save(const std::string& path, std::string_view source_fingerprint) const = 0;
  // The fingerprint saved with the file this index was loaded from ("" otherwise).
  virtual const std::string& source_fingerprint() const = 0;
  // The format version of the file this index was loaded from; the current
  // one for an index made by Create. Files before version 3 are converted
  // while loading (costing a pass over the vectors): the owner should save
  // them again. Files of version 1 hold no item times:
  // ItemMeta::updated_at and last_used_at load as 0 until the owner sets
  // them (SetMeta) and saves the index again.
  virtual std::uint32_t loaded_format_version() const = 0;
  virtual const std::string& model_id() const = 0;

  // Adds many new items; with threads > 1 the graph is built in parallel,
  // threads <= 0 means one thread per core (std::thread::hardware_concurrency).
  // Validates every item first (nothing is added if one is invalid, a
  // duplicate within the batch, or already live). A parallel build is not
  // deterministic (insertion order varies), a single-threaded one is.
  virtual Status AddBatch(std::span<const ItemView> items, int threads) = 0;
  // ef for later searches (REQUIRES ef >= 1; a search uses max(ef, k)).
  virtual void SetEfSearch(std::size_t ef) = 0;
  // Slots allocated (live + removed-awaiting-reuse + free).
  virtual std::size_t capacity() const = 0;

  using VectorIndex::Search;
  // Search that also reports how it was answered. `info` may be null.
  virtual Result<std::vector<SearchHit>> Search(std::span<const float> query, std::size_t k,
                                                const SearchFilter& filter,
                                                SearchInfo* info) const = 0;
  Result<std::vector<SearchHit>> Search(std::span<const float> query, std::size_t k,
                                        const SearchFilter& filter) const final {
    return Search(query, k, filter, nullptr);
  }
};

}  // namespace engram
