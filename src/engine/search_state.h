// Lesson embeddings and the persisted HNSW index of the Engine's lesson
// search (docs/RETRIEVAL.md, docs/INDEX.md "Following the store").
//
// The index file (<db>.lessons.hnsw) carries a fingerprint of the lessons it
// holds. With a store that keeps a lesson change log (Store::
// LessonChangeMarkNow) it is "<model id>|log:<lineage>:<seq>|<lessons>":
// an index behind the store catches up by applying exactly the lessons
// changed and deleted since its seq (CatchUpLessonIndex). Without a log it
// is "<model id>|<lesson count>|<max updated_at>" and any difference means a
// rebuild. An index that cannot catch up (another lineage, a store older
// than the index, more changes than a catch-up takes) is rebuilt from the
// stored embeddings (embedding lessons whose embedding is missing or older
// than the lesson) and saved in the background (index_worker.h): no search
// waits for, or fails with, writing the file. The Engine's own lesson writes
// update the index in place (lesson_index_sync.h).
//
// Loading, rebuilding and catching up run off the lock searches take: a
// new index is built aside and swapped in. With LessonIndexOptions::
// background, work beyond the inline limits runs on SearchState::builder
// and searches answer meanwhile from BM25 plus the index as it is
// (IndexReadiness says how).
//
// Ownership: SearchState is owned by the Engine. Thread safety: SearchState
// is guarded by its mutex, taken before the store's lock (never after it);
// EnsureLessonIndex locks it; `progress` has a mutex of its own.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "engine/index_worker.h"
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

// What the index builder is doing (SearchState::progress).
struct IndexProgress {
  std::string phase;  // "" = nothing; "loading", "embedding", "building", "catching up"
  std::int64_t done = 0;
  std::int64_t total = 0;
  std::string error;  // of the last background build ("" = none failed)
};

// The store's side of the fingerprint (see above).
struct StoreFingerprint {
  std::string text;                      // compared with SearchState::fingerprint
  std::optional<LessonChangeMark> mark;  // when the store keeps a change log
  LessonCounts counts;                   // without one: what `text` was made of
};
// `cache` (may be null: counted afresh) serves the counts without a log.
Result<StoreFingerprint> ReadStoreFingerprint(Store& store, const std::string& model_id,
                                              LessonCountCache* cache);
std::string FingerprintOf(const std::string& model_id, const LessonChangeMark& mark);
std::string FingerprintOf(const std::string& model_id, const LessonCounts& counts);
// The mark of a change-log fingerprint of `model_id`; nullopt for another
// model or a count-based fingerprint.
std::optional<LessonChangeMark> ParseLogFingerprint(std::string_view fingerprint,
                                                    const std::string& model_id);

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
  std::optional<LessonChangeMark> expansion_mark;  // with a change log: where it was built
  LessonCountCache counts;                         // the fingerprint's counts between writes
  // Engine::Warm's progress (guarded by warm_mu, not mu).
  std::mutex warm_mu;
  WarmStatus warm;
  // Embeds the query and walks the index while the caller runs BM25
  // (EngineOptions::overlap_search). Declared late: stopped early.
  SideWorker side;
  // Work on the index under way, for lesson_index_status and the notes of
  // searches that do not wait for it (guarded by progress_mu, not mu).
  std::mutex progress_mu;
  IndexProgress progress;
  std::int64_t caught_up = 0;  // lesson changes applied from the change log (mu)
  // The embedder's model is loaded (Embedder::Prepare succeeded on the
  // builder); searches that do not wait use vectors only then.
  std::atomic<bool> model_ready{false};
  // Writes the index file off the request path (index_worker.h).
  IndexWorker saver;
  // Loads, rebuilds or catches up the index when searches do not wait
  // (LessonIndexOptions::background). Declared late: stopped before the
  // members (and the saver) its jobs use.
  IndexWorker builder;
  // Learns the query expansion model when searches do not wait for it
  // (engine/query_expansion.h). Declared last: stopped first.
  IndexWorker learner;
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

// The store's fingerprint text (ReadStoreFingerprint); without a change
// log, counts come from `cache` when given (unchanged store).
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
  // Do not wait for work beyond these limits: hand it to state.builder and
  // return at once (LessonIndexOptions::background). Null = wait for all.
  const LessonIndexOptions* background = nullptr;
};

// How far the index is from the store once EnsureLessonIndex returns.
struct IndexReadiness {
  int items = 0;        // lessons the index holds (0 = no index)
  bool current = true;  // it holds every stored lesson as stored
  std::string note;     // when not current: why, and what is under way
};

// Makes state.index current (see above), or, with request.background, as
// current as the inline limits allow while the builder does the rest.
// REQUIRES: caller does not hold state.mu.
Result<IndexReadiness> EnsureLessonIndex(Store& store, const Embedder& embedder, SearchState& state,
                                         const IndexRequest& request, Timestamp now);

// Applies the store's lesson changes since the index's fingerprint to
// state.index (catching up; see above). kTooMany: more than `max_changes`
// changed or more than `max_embeds` need embedding (what was applied
// stays; the fingerprint does not move). kCannot: the index's fingerprint
// is not of this store's log (or the store is behind it): rebuild.
// REQUIRES: state.mu held and state.index non-null.
enum class CatchUpResult { kDone, kTooMany, kCannot };
// `progress(done, total)` after each change applied, when given.
Result<CatchUpResult> CatchUpLessonIndex(Store& store, const Embedder& embedder, SearchState& state,
                                         std::int64_t max_changes, std::int64_t max_embeds,
                                         Timestamp now,
                                         const std::function<void(int, int)>& progress = {});

}  // namespace engram
