// Lesson embeddings and the persisted HNSW index of the Engine's lesson
// search (docs/RETRIEVAL.md).
//
// The index file (<db>.lessons.hnsw) carries a fingerprint of the lessons it
// was built from: "<model id>|<lesson count>|<max updated_at>". Whenever the
// file is missing, corrupt, of another model or its fingerprint differs from
// the store's, the index is rebuilt from the stored embeddings (embedding
// lessons whose embedding is missing or older than the lesson) and saved
// in the background (index_saver.h): no search waits for, or fails with,
// writing the file.
// The Engine's own lesson writes update the index in place instead
// (lesson_index_sync.h).
//
// Ownership: SearchState is owned by the Engine. Thread safety: SearchState
// is guarded by its mutex, taken before the store's lock (never after it);
// EnsureLessonIndex locks it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "engine/index_saver.h"
#include "engine/side_worker.h"
#include "engram/embedder.h"
#include "engram/engine.h"
#include "engram/lesson.h"
#include "engram/search.h"
#include "engram/store.h"
#include "engram/time.h"
#include "engram/vector_index.h"

namespace engram {
namespace learn {
class ExpansionModel;
}  // namespace learn

// The store facts the lesson index fingerprint is made of.
struct LessonCounts {
  std::int64_t lessons = 0;
  Timestamp max_updated = 0;  // of any lesson, deprecated ones included
};
Result<LessonCounts> CountLessons(Store& store);

// CountLessons, answered from memory while the store's ChangeToken() is
// unchanged (an empty token is never trusted). Counting reads whole tables,
// so without it every search would scan the lessons twice.
// Thread safety: internally locked.
class LessonCountCache {
 public:
  Result<LessonCounts> Get(Store& store);

 private:
  std::mutex mu_;
  std::string token_;  // "" = nothing cached
  LessonCounts counts_;
};

struct SearchState {
  ~SearchState();  // saves writes applied since the last save (lesson_index_sync.h)

  // Lock order: mu, then the store's lock. Lesson writes take mu around
  // their store transaction (lesson_index_sync.h), so a caller whose own
  // transaction makes lesson writes takes mu first
  // (Engine::RunInLessonTransaction); recursive for that reason.
  std::recursive_mutex mu;
  // Null until first needed; shared so a background save can finish
  // writing an index a rebuild has just replaced.
  std::shared_ptr<HnswIndex> index;
  std::string fingerprint;          // of the lessons `index` holds
  std::string last_rebuild_reason;  // why the last rebuild happened ("" = loaded)
  std::string path;                 // index file ("" = in memory only)
  int rebuilds = 0;                 // full rebuilds so far
  int incremental_updates = 0;      // lesson writes applied in place
  int unsaved_changes = 0;          // applied since the file was last written
  std::string save_error;           // why the last save failed ("" = it did not)
  // Query expansion model and the fingerprint of the lessons it was learned
  // from (engine/query_expansion.h).
  std::shared_ptr<const learn::ExpansionModel> expansion;
  std::string expansion_fingerprint;
  LessonCountCache counts;  // the fingerprint's counts between writes
  // Engine::Warm's progress (guarded by warm_mu, not mu).
  std::mutex warm_mu;
  WarmStatus warm;
  // Embeds the query and walks the index while the caller runs BM25
  // (EngineOptions::overlap_search). Declared late: stopped early.
  SideWorker side;
  // Writes the index file off the request path (index_saver.h). Declared
  // last: stopped first, before the members its jobs use.
  IndexSaver saver;
};

// The relevance part of each candidate's explanation, shared by lesson and
// episode search: raw BM25 and cosine, their normalised forms
// (retrieval::MaxNorm / MinMax) and the fused relevance
// (1 - w) * lexical + w * semantic, with w = dense_weight when `semantic`
// (an embedder is configured), else 0. REQUIRES: cosine.size() == bm25.size().
std::vector<ScoreExplanation> RelevanceExplanations(const std::vector<double>& bm25,
                                                    const std::vector<double>& cosine,
                                                    bool semantic, double dense_weight,
                                                    const std::string& mode,
                                                    const std::string& note);

// The text a lesson is embedded as.
std::string LessonEmbeddingText(const Lesson& lesson);
Result<Embedding> EmbedLesson(const Embedder& embedder, const Lesson& lesson, Timestamp now);

// "<model id>|<lesson count>|<max updated_at>"; counts come from `cache`
// when given (unchanged store), else from the store.
Result<std::string> LessonFingerprint(Store& store, const std::string& model_id,
                                      LessonCountCache* cache = nullptr);

// The ANN candidate list size (HNSW ef) for an index of `items` vectors:
// 64 up to 200,000, 128 up to 2,000,000, 256 beyond. Recall falls as the
// graph grows (bench/README.md: ef 64 finds 0.96-0.975 of the exact top 10
// at 100k real texts, 0.93 at 1M; ef 128 finds 0.96 at 1M).
std::size_t EngineEfSearch(std::size_t items);

struct IndexRequest {
  std::string path;    // "" = in memory only
  bool force = false;  // rebuild even if current
  std::function<void(int, int)> progress;
  // Load the index file only: when it is missing, stale or unreadable, leave
  // the rebuild to the next search and return 0 (state.index stays as it was).
  bool load_only = false;
};

// Makes state.index current (see above). Returns how many lessons the index
// holds. REQUIRES: caller does not hold state.mu.
Result<int> EnsureLessonIndex(Store& store, const Embedder& embedder, SearchState& state,
                              const IndexRequest& request, Timestamp now);

}  // namespace engram
