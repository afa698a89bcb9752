// Engine: engram's front door. The CLI and the servers call only this.
//
// The Engine validates input against Limits, redacts secrets, assigns ids and
// timestamps, computes reward and reflection at completion, and delegates
// persistence to a Store it owns. It also answers retrieval queries
// (lessons, context for a task) with BM25 and, given an embedder, vectors.
//
// Ownership: owns its Store and the in-memory lesson index; shares the
// optional Embedder. The Clock is borrowed and must outlive it.
// Thread safety: safe for concurrent use from multiple threads (the Store
// serialises writes; the only mutable state, the lesson index cache, has its
// own mutex, always taken before the Store's lock: see
// RunInLessonTransaction).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/embedder.h"
#include "engram/episode.h"
#include "engram/fulltext.h"
#include "engram/kv.h"
#include "engram/lesson.h"
#include "engram/lesson_writer.h"
#include "engram/limits.h"
#include "engram/note.h"
#include "engram/reward.h"
#include "engram/search.h"
#include "engram/status.h"
#include "engram/store.h"
#include "engram/time.h"

namespace engram {

// Recording which lessons searches return (docs/RETRIEVAL.md, "Use
// recording"): each returned lesson's use_count and last_used_at are written
// in batches by a background thread, never on the search's own path.
struct LessonUseOptions {
  bool record = true;  // false: searches record no use
  // A batch is written once this many distinct lessons wait...
  int flush_items = 256;
  // ...or once the oldest waiting use is this old (ms), and when the Engine
  // is destroyed (Engine::FlushLessonUses writes at once).
  int flush_ms = 1000;
  // Distinct lessons kept while writes fail (the database locked by
  // another process); uses beyond are dropped and counted.
  int max_pending = 100000;
};

// How lesson searches get a current vector index (docs/RETRIEVAL.md,
// "Searching while the index builds").
struct LessonIndexOptions {
  // false (the default): a search that finds the index missing or behind the
  // store brings it up to date first and waits for it, as a one-shot
  // command wants. true (the servers): a search waits only for small work
  // (the limits below); larger work (loading a big index file, rebuilding,
  // embedding an imported backlog) runs on a background thread while
  // searches answer from BM25 plus the index as it is, and say so in
  // `mode` and `note`. Engine::lesson_index_status reports the progress.
  bool background = false;
  // With background: the work a search still does itself.
  std::int64_t inline_file_bytes = std::int64_t{64} << 20;  // loading a file up to this size
  int inline_lessons = 5000;  // building a graph of up to this many lessons
  int inline_embeds = 64;     // embedding up to this many lessons
};

struct EngineOptions {
  Limits limits;
  RewardOptions reward;
  // Replace secrets before storing anything (docs/ARCHITECTURE.md).
  bool redact_secrets = true;
  // Time source; nullptr = the system clock.
  const Clock* clock = nullptr;
  // Embedder for semantic search (lessons are embedded when added or
  // updated). nullptr = BM25-only search, reported as such in every result's
  // explanation. Shared so several Engines can use one loaded model.
  std::shared_ptr<const Embedder> embedder;
  // Persisted HNSW index of lesson embeddings. "" = OpenSqlite uses
  // "<db>.lessons.hnsw"; otherwise the index is kept in memory only.
  std::string lesson_index_path;
  // Why there is no embedder, when `embedder` is null; every BM25-only
  // result says "<reason>: BM25 only, no semantic component". Default "no
  // embedder configured"; the CLI names the unavailable model or
  // ENGRAM_EMBEDDER=none.
  std::string no_embedder_reason = "no embedder configured";
  // Lesson search ranks from the vector index's metadata and loads only the
  // lessons it returns, each checked against the store (docs/RETRIEVAL.md,
  // "Ranking from the index"). false = load every candidate first: the same
  // results, slower; for comparisons.
  bool rank_from_index = true;
  // Lesson search embeds the query and walks the vector index on a second
  // thread while this one runs BM25 (docs/RETRIEVAL.md, "Overlapped
  // candidate sources"). false = one after the other: the same results,
  // slower; for comparisons.
  bool overlap_search = true;
  LessonUseOptions lesson_uses;
  LessonIndexOptions lesson_index;
};

// What the Engine's use recording did so far (Engine::lesson_use_stats).
struct LessonUseStats {
  std::int64_t pending = 0;        // distinct lessons waiting for a write
  std::int64_t written = 0;        // lesson uses written (one per lesson per batch)
  std::int64_t failed_writes = 0;  // batches whose write failed
  std::int64_t dropped = 0;        // lesson uses given up (see LessonUseOptions)
  std::string last_error;          // of the last failed write, "" if none
};

// What Engine::Warm loads before the first queries need it.
struct WarmOptions {
  // The embedding model (Embedder::Prepare) and the lesson vector index from
  // its file. A missing or stale file is left for the first search to
  // rebuild: a rebuild is minutes of work at a million lessons, and it
  // could not be stopped.
  bool vector_index = true;
  // The query expansion model of the current lessons (built from every
  // lesson's topic and tags: about a second at 1M lessons).
  bool expansion_model = true;
  // Full-text postings of lessons, then of episodes, from one budget
  // (fulltext.max_postings over both).
  FullTextWarmOptions fulltext;
  // Last, the pages searches read, into the OS page cache (Store::WarmPages;
  // pages.max_bytes = 0 skips it).
  PageWarmOptions pages;
  // Checked between stages and inside the full-text and page stages (it
  // replaces fulltext.stop and pages.stop): a stop skips what is left.
  std::stop_token stop;
};

struct WarmStats {
  bool vector_index_loaded = false;  // the lesson vector index is in memory
  std::size_t vector_items = 0;      // lessons it holds
  bool expansion_model = false;      // the query expansion model is built
  FullTextWarmStats lessons;         // full-text warm-up of lessons
  FullTextWarmStats episodes;        // and of episodes
  PageWarmStats pages;               // pages read into the OS page cache
  bool stopped = false;              // a stop was requested before the end
  double seconds = 0;
};

// Where this Engine's last Warm got to (the servers report it in get_metrics).
enum class WarmState { kNotRun, kRunning, kDone, kStopped, kFailed };
// "not_run", "running", "done", "stopped", "failed".
const char* WarmStateName(WarmState state);
struct WarmStatus {
  WarmState state = WarmState::kNotRun;
  WarmStats stats;    // what it loaded (done or stopped)
  std::string error;  // why it failed
};

struct ExportStats;          // include/engram/export.h
struct OpinionProfile;       // include/engram/opinion_profile.h
class Auditor;               // include/engram/audit.h
class CandidateQueue;        // include/engram/candidate_queue.h
class ContradictionChecker;  // include/engram/contradiction_checker.h
class LessonClusterer;       // include/engram/clusters.h
class LessonDecay;           // include/engram/lesson_decay.h
class LessonDedupe;          // include/engram/lesson_dedupe.h
class LessonFeedback;        // include/engram/lesson_feedback.h
class PatternLearning;       // include/engram/pattern_learning.h
struct SearchState;          // src/engine/search_state.h
class LessonUseRecorder;     // src/engine/lesson_use_recorder.h

// How the lesson vector index kept up with lesson writes (tests, diagnostics).
struct LessonIndexStatus {
  bool loaded = false;              // an index is in memory
  bool stale = false;               // a write it could not follow: the next search rebuilds
  std::size_t items = 0;            // lessons in the index
  int rebuilds = 0;                 // full rebuilds by this Engine
  int incremental_updates = 0;      // lesson writes applied to the index in place
  int unsaved_changes = 0;          // applied but not yet in the index file
  std::string last_rebuild_reason;  // "" = loaded from the file (or never built)
  // Why the last write of the index file failed ("" = it did not): the
  // index then serves from memory and health_check says degraded.
  std::string save_error;
  // Work on the index under way ("" = none): "loading", "embedding",
  // "building", "catching up"; `done` of `total` units (bytes, lessons).
  std::string building;
  std::int64_t build_done = 0;
  std::int64_t build_total = 0;
  std::string build_error;  // why the last background build failed ("" = it did not)
  // Lesson changes the index has followed from the store's change log
  // (Store::LessonChangesSince) without a rebuild.
  std::int64_t caught_up = 0;
};

class Engine {
 public:
  Engine(std::unique_ptr<Store> store, EngineOptions options);
  ~Engine();

  // Opens the SQLite store at `db_path` and builds an Engine over it.
  static Result<std::unique_ptr<Engine>> OpenSqlite(const std::string& db_path,
                                                    EngineOptions options = {});

  // --- episodes ---
  Result<Episode> StartEpisode(const StartEpisodeRequest& request);
  Result<Step> LogStep(const std::string& episode_id, const StepInput& step);
  // Computes reward and reflection from the stored steps and `outcome`.
  Result<Episode> CompleteEpisode(const std::string& episode_id, const Outcome& outcome);
  Result<Episode> GetEpisode(const std::string& episode_id);
  Result<std::vector<EpisodeSummary>> ListEpisodes(const EpisodeFilter& filter);
  Status DeleteEpisode(const std::string& episode_id);

  // --- lessons ---
  Result<Lesson> AddLesson(const NewLesson& lesson);
  // Adds `lesson` as AddLesson with on_duplicate allow, stored with
  // `vector` as its embedding instead of embedding it: the current
  // embedder's vector of LessonEmbeddingText of the lesson as stored
  // (redacted). For batch writers that embed many texts in one call
  // (LessonDedupe::AddBatch). FailedPrecondition without an embedder,
  // InvalidArgument for a vector of another dimension.
  Result<Lesson> AddLessonEmbedded(const NewLesson& lesson, const std::vector<float>& vector);
  Result<Lesson> GetLesson(const std::string& lesson_id);
  Result<std::vector<Lesson>> ListLessons(const LessonFilter& filter);
  // Applies `patch`; the previous version goes to history with `reason`.
  Result<Lesson> UpdateLesson(const std::string& lesson_id, const LessonPatch& patch,
                              const std::string& reason);
  Result<Lesson> DeprecateLesson(const std::string& lesson_id, const std::string& reason);
  Status DeleteLesson(const std::string& lesson_id);
  Result<std::vector<LessonVersion>> LessonHistory(const std::string& lesson_id);

  // --- learning services (docs/ARCHITECTURE.md, "Services") ---
  // Each is built on what it uses (this Engine's store, limits, clock,
  // embedder and LessonWriter), never on the Engine itself; cheap to make,
  // valid while the Engine lives. Include the service's header to call it.
  LessonDedupe dedupe();                  // lesson_dedupe.h
  ContradictionChecker contradictions();  // contradiction_checker.h
  CandidateQueue candidates();            // candidate_queue.h
  LessonFeedback feedback();              // lesson_feedback.h
  LessonDecay decay();                    // lesson_decay.h
  PatternLearning patterns();             // pattern_learning.h
  LessonClusterer clusterer();            // clusters.h
  Auditor auditor();                      // audit.h
  // Built-in and custom opinion profiles (opinion_profile.h).
  Result<OpinionProfile> ResolveOpinionProfile(std::string_view name);
  Result<std::vector<OpinionProfile>> ListOpinionProfiles();
  // Project lesson -> global (promotion.h).
  Result<Lesson> PromoteLesson(const std::string& lesson_id, const std::string& reason);
  // The lesson writes the services make: AddLesson, the dedupe-free
  // insert, UpdateLesson and RunInLessonTransaction of this Engine.
  LessonWriter& lesson_writer() { return *writer_; }

  // --- key-value ---
  Result<KvEntry> KvPut(const std::string& ns, const std::string& key, const Json& value,
                        const KvPutOptions& options = {});
  Result<KvEntry> KvGet(const std::string& ns, const std::string& key);
  Result<std::vector<KvEntry>> KvList(const std::string& ns, const std::string& prefix,
                                      int limit = 100);
  Status KvDelete(const std::string& ns, const std::string& key);

  // --- notes (include/engram/note.h) ---
  // Validates (ValidateNewNote), redacts and stores one note; returns it
  // with id, position and timestamp (now, unless given) assigned.
  // FailedPrecondition when the store keeps no notes.
  Result<Note> AddNote(const NewNote& note);
  // The notes most relevant to `request.query` (BM25, plus embeddings when
  // configured), smoothed over neighbouring notes of the same thread; only
  // global notes and `request.project`'s. InvalidArgument for an empty
  // query or a limit < 1.
  Result<NoteSearchResponse> SearchNotes(const NoteSearchRequest& request);

  // --- maintenance of the store (docs/CLI.md, `engram db`) ---
  // Counts, schema and journal mode (Store::Stats).
  Result<StoreStats> Stats();
  // Integrity checks plus engram's invariants (Store::Verify): Corruption
  // naming the first problems found.
  Status Verify();
  // Merges each full-text index into one segment (Store::OptimizeFullText).
  Status OptimizeFullText();
  // Rewrites an older database so that every page carries a checksum
  // (Store::EnablePageChecksums).
  Status EnablePageChecksums();
  // Consistent online copy of the whole database to `dest_path`.
  Status Backup(const std::string& dest_path);
  // Replaces the whole content with the verified backup at `src_path`
  // (Store::Restore: not redacted, a backup of a redacting store holds no
  // secrets).
  Status Restore(const std::string& src_path);
  // Writes every record as JSON Lines (include/engram/export.h, ExportJsonl).
  Result<ExportStats> Export(std::ostream& out);
  // Loads a JSON Lines export through the redacting store; records with
  // stored ids are replaced (ImportJsonl). The lesson index follows on the
  // next search or UpdateLessonIndex.
  Result<ExportStats> Import(std::istream& in);
  // The latest schema version of the SQLite store this binary knows.
  static int SqliteSchemaVersion();

  // --- retrieval (include/engram/search.h, docs/RETRIEVAL.md) ---
  // Hybrid (BM25 + embedding) lesson search with filters, ranking, MMR and
  // an optional token budget.
  Result<SearchResponse> SearchLessons(const SearchRequest& request);
  // Past episodes relevant to a new task (with their reflections) plus
  // relevant lessons.
  Result<ContextResponse> RetrieveContext(const ContextRequest& request);
  // Re-embeds lessons whose embedding is missing or older than the lesson
  // and rebuilds the persisted index. `progress(done, total)` may be empty.
  // Returns the number of lessons indexed. FailedPrecondition without an
  // embedder.
  Result<int> ReindexLessons(const std::function<void(int, int)>& progress = {});
  // Brings the lesson index up to the store and waits for it: catches up
  // from the store's change log (or rebuilds when it cannot), embedding
  // lessons whose embedding is missing or stale; `progress(done, total)`
  // while embedding. For `db import`, so that the next search does not
  // embed the backlog. Returns the lessons indexed; FailedPrecondition
  // without an embedder.
  Result<int> UpdateLessonIndex(const std::function<void(int, int)>& progress = {});
  // Loads ahead of the first queries what they would otherwise load: the
  // embedding model, the lesson vector index from its file, the query
  // expansion model and the postings of the most frequent words
  // (FullTextIndex::Warm). The servers
  // run it on a background thread at start-up (docs/RETRIEVAL.md,
  // "Warm-up"); searches meanwhile run as usual and wait only for the step
  // under way. Errors are those of the first failing stage.
  Result<WarmStats> Warm(const WarmOptions& options = {});
  // The last Warm's state and figures (kNotRun before any).
  WarmStatus warm_status();
  // The lesson index's state; the Engine's own lesson writes update it in
  // place (src/engine/lesson_index_sync.h).
  LessonIndexStatus lesson_index_status();
  // Waits for background work on the lesson index (a load, rebuild or
  // catch-up, then a save of the file), then writes the file now if changes
  // are still unsaved; the save's error, if any. The destructor does the
  // same without waiting for a build; searches only ask for a save in the
  // background (src/engine/index_worker.h).
  Status FlushLessonIndex();
  // Writes the lesson uses searches recorded so far (EngineOptions::
  // lesson_uses) now instead of in the background; the Engine's destructor
  // does it too. kBusy when another connection holds the write lock (the
  // uses stay queued); never blocks a search.
  Status FlushLessonUses();
  LessonUseStats lesson_use_stats();
  const Embedder* embedder() const { return options_.embedder.get(); }
  // Why embedder() is null (EngineOptions::no_embedder_reason).
  const std::string& no_embedder_reason() const { return options_.no_embedder_reason; }
  // The note BM25-only results carry (EngineOptions::no_embedder_reason).
  std::string Bm25OnlyNote() const {
    return options_.no_embedder_reason + ": BM25 only, no semantic component";
  }

  // Runs `fn` in one store transaction (Store::RunInTransaction) in which
  // it may call the Engine's lesson writes (AddLesson, UpdateLesson, ...)
  // and read the store, but not search. It takes the lesson index's lock
  // before the store's, the order every lesson write takes them in; a
  // store transaction around lesson writes taken any other way can
  // deadlock with a concurrent search or warm-up.
  Status RunInLessonTransaction(const std::function<Status()>& fn);

  // The store itself, for the Engine's own services, tests and the
  // benchmarks. Front ends (src/server, src/cli) never use it: every read
  // and write they make goes through the methods above, so that validation,
  // redaction and a replicated store see all of them
  // (tests/cli/front_door_test.cc enforces it).
  Store& store() { return *store_; }
  const Limits& limits() const { return options_.limits; }
  // Whether text is redacted before it is stored (EngineOptions::redact_secrets).
  bool redacts_secrets() const { return options_.redact_secrets; }
  Timestamp Now() const { return clock_->NowMs(); }

 private:
  friend class EngineLessonWriter;  // src/engine/engine.cc: calls InsertLesson
  // AddLesson without dedupe; `vector` (may be null) is the embedding.
  Result<Lesson> InsertLesson(const NewLesson& lesson, const std::vector<float>* vector);

  std::unique_ptr<Store> store_;
  EngineOptions options_;
  const Clock* clock_;
  std::unique_ptr<SearchState> search_;   // lesson index cache (own mutex)
  std::unique_ptr<LessonWriter> writer_;  // this Engine's lesson writes, for its services
  // Declared last: destroyed (its last batch written) while the store and
  // the index are still there. Own mutex, never held while writing.
  std::unique_ptr<LessonUseRecorder> uses_;
};

// Default database path: $ENGRAM_DB, else $XDG_DATA_HOME/engram/engram.db,
// else $HOME/.local/share/engram/engram.db.
std::string DefaultDbPath();

}  // namespace engram
