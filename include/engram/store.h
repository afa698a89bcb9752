// Store: the persistence interface behind engram.
//
// A Store persists episodes (with steps as separate rows), lessons (with
// their version history and tags), lesson embeddings and namespaced
// key-value entries. SqliteStore (src/store/sqlite/) is the embedded default;
// later tiers (PostgreSQL, a cache) implement the same interface.
//
// Contract for every implementation:
//  - A method that returns OK has durably committed its write (it survives
//    kill -9 of the process).
//  - A failed write changes nothing (each write is one transaction).
//  - Several processes may use the same database at once; contention is
//    retried internally and surfaces only as kBusy after the retry budget.
//  - The store does not validate domain rules beyond integrity (unknown ids,
//    duplicate ids, completing twice, step-count limit); the Engine validates
//    input against Limits before calling it.
//
// Thread safety: implementations are safe for concurrent use from multiple
// threads without external synchronisation.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "engram/candidates.h"
#include "engram/contradictions.h"
#include "engram/episode.h"
#include "engram/feedback.h"
#include "engram/fulltext.h"
#include "engram/kv.h"
#include "engram/lesson.h"
#include "engram/patterns.h"
#include "engram/status.h"
#include "engram/store_stats.h"

namespace engram {

// Where a store's lesson change log stands (Store::LessonChangeMarkNow).
struct LessonChangeMark {
  std::string lineage;  // names the database; "" = unknown
  std::int64_t seq = 0;
  std::int64_t lessons = 0;
};

// What changed after a mark (Store::LessonChangesSince).
struct LessonChanges {
  LessonChangeMark mark;             // where the log stood when read
  std::vector<std::string> changed;  // inserted or updated, still stored
  std::vector<std::string> deleted;  // deleted (possibly inserted again: then in `changed` too)
  bool truncated = false;            // more than the limit changed; `changed` is incomplete
};

struct Embedding {
  std::string lesson_id;
  std::string model_id;
  std::vector<float> vector;
  Timestamp created_at = 0;
};

// A (topic, tags) combination and how many lessons carry it.
struct LessonKeyCount {
  std::string topic;
  std::vector<std::string> tags;  // sorted
  std::int64_t lessons = 0;
};

// Retrieval uses of one lesson, recorded in a batch (Store::RecordLessonUses).
struct LessonUse {
  std::string lesson_id;
  Timestamp used_at = 0;  // the latest use
  int count = 1;          // uses since the last batch, >= 1
};

// What Store::WarmPages reads ahead of the first searches.
struct PageWarmOptions {
  // Stops once this many bytes of pages are read (one page more is read and
  // not counted), the structures lesson searches read first
  // (docs/RETRIEVAL.md, "Warm-up"); 0 reads nothing. At a million
  // lessons they hold about 510 MB: the OS keeps them in its page cache, as
  // it would once the searches had read them, and may drop them under memory
  // pressure.
  std::int64_t max_bytes = std::int64_t{1} << 30;
  // Checked between steps: WarmPages returns early (stopped = true).
  std::stop_token stop;
};

struct PageWarmStats {
  std::int64_t bytes = 0;  // of pages read
  int structures = 0;      // tables and indexes read whole
  bool stopped = false;    // a stop was requested before the end
};

class Store {
 public:
  virtual ~Store() = default;

  // --- episodes ---
  // REQUIRES: episode.id is set, no steps, not completed.
  virtual Status CreateEpisode(const Episode& episode) = 0;
  // Appends `step` with the next step number (returned). Fails with
  // NotFound (unknown id), FailedPrecondition (episode completed) or
  // InvalidArgument (max_steps reached) and then stores nothing.
  virtual Result<int> AppendStep(const std::string& episode_id, const Step& step,
                                 std::size_t max_steps) = 0;
  // Sets outcome, reward, reflection and ended_at at once. FailedPrecondition
  // if already completed.
  virtual Status CompleteEpisode(const std::string& episode_id, const Outcome& outcome,
                                 const RewardBreakdown& reward, const Reflection& reflection,
                                 Timestamp ended_at) = 0;
  virtual Result<Episode> GetEpisode(const std::string& episode_id) = 0;  // with steps
  virtual Result<std::vector<EpisodeSummary>> ListEpisodes(const EpisodeFilter& filter) = 0;
  virtual Status DeleteEpisode(const std::string& episode_id) = 0;  // with its steps

  // --- lessons ---
  virtual Status InsertLesson(const Lesson& lesson) = 0;  // AlreadyExists on id clash
  virtual Result<Lesson> GetLesson(const std::string& lesson_id) = 0;
  // The lessons of `lesson_ids` that exist, in the order of `lesson_ids`
  // (unknown ids are skipped, not errors; a repeated id is returned once per
  // occurrence). One read for all of them; the default calls GetLesson.
  virtual Result<std::vector<Lesson>> GetLessons(const std::vector<std::string>& lesson_ids);
  virtual Result<std::vector<Lesson>> ListLessons(const LessonFilter& filter) = 0;
  // Topic and sorted tags of every non-deprecated global lesson, grouped:
  // each distinct (topic, tags) once with how many lessons carry it, in no
  // set order (query expansion's model, shared by every project's searches,
  // so no project lesson's topic or tags; one pass, no lesson is decoded).
  // The default pages through ListLessons.
  virtual Result<std::vector<LessonKeyCount>> CountLessonKeys();
  // Replaces the lesson with `updated` (same id). The stored previous version
  // goes to history with `reason`; `updated.version` must be stored
  // version + 1 (else FailedPrecondition: a concurrent update won).
  virtual Status UpdateLesson(const Lesson& updated, const std::string& reason) = 0;
  // Oldest first; the current version is not included.
  virtual Result<std::vector<LessonVersion>> LessonHistory(const std::string& lesson_id) = 0;
  virtual Status DeleteLesson(const std::string& lesson_id) = 0;  // with history, tags, embeddings
  virtual Status TouchLesson(const std::string& lesson_id, Timestamp used_at) = 0;
  // Records retrieval uses in one write transaction: each lesson's
  // use_count grows by `count` and last_used_at moves forward to `used_at`
  // (never back). Unknown ids are skipped. Must not wait for a lock held by
  // another connection: kBusy at once instead (the caller keeps the uses
  // and retries). A use changes no text, count or updated_at, so it does
  // not move ChangeToken(). The default: FailedPrecondition (not kept).
  virtual Status RecordLessonUses(const std::vector<LessonUse>& uses);

  // --- the lesson change log (docs/INDEX.md, "Following the store") ---
  // Lets a derived index (the Engine's HNSW file) tell exactly what it
  // misses: every insert, update and delete of a lesson, by any process or
  // path (import included), raises `seq`; recording uses (use_count,
  // last_used_at) does not. `lineage` names the database (new for each new
  // store file, kept by backup and restore), `lessons` counts them.
  // The default: FailedPrecondition (an index then compares counts and
  // update times only).
  virtual Result<LessonChangeMark> LessonChangeMarkNow();
  // Lessons inserted or updated after `since` (ids, oldest change first) and
  // lessons deleted after it; `truncated` when more than `limit` changed.
  // Read in one snapshot with `mark`. The default: FailedPrecondition.
  virtual Result<LessonChanges> LessonChangesSince(std::int64_t since, int limit);

  // --- embeddings (one per lesson and model) ---
  virtual Status PutEmbedding(const Embedding& embedding) = 0;  // insert or replace
  virtual Result<Embedding> GetEmbedding(const std::string& lesson_id,
                                         const std::string& model_id) = 0;

  // --- key-value ---
  virtual Result<KvEntry> KvPut(const std::string& ns, const std::string& key, const Json& value,
                                const KvPutOptions& options, Timestamp now) = 0;
  virtual Result<KvEntry> KvGet(const std::string& ns, const std::string& key, Timestamp now) = 0;
  // Keys of `ns` starting with `prefix`, ascending; expired entries skipped.
  virtual Result<std::vector<KvEntry>> KvList(const std::string& ns, const std::string& prefix,
                                              int limit, Timestamp now) = 0;
  virtual Status KvDelete(const std::string& ns, const std::string& key) = 0;

  // --- maintenance ---
  virtual Result<StoreStats> Stats() = 0;
  // Integrity and foreign-key checks plus engram's own invariants; returns
  // Corruption describing the first problems found.
  virtual Status Verify() = 0;
  // Merges each full-text index into one segment (SQLite: FTS5 'optimize'
  // on every FTS5 table, in one write transaction). Incremental writes leave
  // a word's postings spread over a dozen segments; merged, a word's first
  // read after open costs about 1.4x less (docs/RETRIEVAL.md). Seconds at a
  // million lessons, nothing when already merged; ImportJsonl runs it after
  // kOptimizeAfterRecords or more records, and so does the Chroma import. The
  // default does nothing (stores without segments).
  virtual Status OptimizeFullText() { return Status::Ok(); }
  // Reads the pages searches read (lesson rows, tags, text and full-text
  // index, the id indexes that join them; then episodes') so that the first
  // searches find them in the OS page cache: on a store the OS has not
  // cached, each page a search touches first is a disk read (at a million
  // lessons, the first 500 new queries read 17k pages: p50 2.1-2.4 ms and
  // p99 5.4-5.9 ms, against 1.3-1.4 and 2.9 ms after it). Reads on a
  // read-only connection of its own, one read transaction per structure:
  // writers are not blocked. InvalidArgument for max_bytes < 0. The default
  // reads nothing.
  virtual Result<PageWarmStats> WarmPages(const PageWarmOptions& options);
  // Rewrites the database so that every page carries a checksum (SQLite: a
  // VACUUM that reserves 8 bytes per page, docs/FORMATS.md "Page
  // checksums"); does nothing when they already do. Stores created since
  // checksums exist have them; this migrates an older file. Holds the write
  // lock while it copies the whole file (about as long as a backup). The
  // default: FailedPrecondition (a store without pages).
  virtual Status EnablePageChecksums() {
    return Status::FailedPrecondition("this store has no page checksums");
  }
  // Consistent online copy of the whole database to `dest_path`.
  virtual Status Backup(const std::string& dest_path) = 0;
  // Replaces the whole content with the backup at `src_path` after checking
  // it is an engram database that passes Verify. The current content is left
  // untouched if the backup is bad.
  virtual Status Restore(const std::string& src_path) = 0;

  // --- bulk access for export/import (lossless: ids, timestamps, versions) ---
  virtual Status ForEachEpisode(const std::function<Status(const Episode&)>& fn) = 0;
  virtual Status ForEachLesson(
      const std::function<Status(const Lesson&, const std::vector<LessonVersion>&)>& fn) = 0;
  virtual Status ForEachEmbedding(const std::function<Status(const Embedding&)>& fn) = 0;
  // Includes expired-but-not-purged entries.
  virtual Status ForEachKv(const std::function<Status(const KvEntry&)>& fn) = 0;
  // Insert-or-replace a complete record as exported, preserving every field.
  virtual Status ImportEpisode(const Episode& episode) = 0;
  virtual Status ImportLesson(const Lesson& lesson, const std::vector<LessonVersion>& history) = 0;
  virtual Status ImportKv(const KvEntry& entry) = 0;
  // Runs `fn` inside one transaction: all of its writes commit, or none.
  virtual Status RunInTransaction(const std::function<Status()>& fn) = 0;
  // A token that differs whenever stored data may have changed since it was
  // last read: a write through this store, or a commit by another
  // connection or process that changed lessons or the full-text indexes
  // (another connection's commit of retrieval uses only, use_count and
  // last_used_at, does not move it). Cheap (reads no table unless another connection
  // committed; then three point reads), so a caller can cache what it
  // derived from the data. "" means "unknown": assume a change. Default: "".
  virtual Result<std::string> ChangeToken() { return std::string(); }

  // --- retrieval (include/engram/fulltext.h) ---
  // Full-text search and notes; nullptr if this store has none.
  virtual FullTextIndex* fulltext() { return nullptr; }
  // Embeddings of texts by (model id, text hash); nullptr if none.
  virtual EmbeddingCache* embedding_cache() { return nullptr; }

  // --- learning (docs/LEARNING.md); nullptr if this store has none ---
  virtual FeedbackStore* feedback() { return nullptr; }
  virtual PatternStore* patterns() { return nullptr; }
  virtual ContradictionStore* contradictions() { return nullptr; }
  virtual CandidateStore* candidates() { return nullptr; }
};

struct SqliteOptions {
  // Database file; its directory is created if missing.
  std::string path;
  // How long one write waits for another process's lock before retrying.
  int busy_timeout_ms = 5000;
  // Total time a write keeps retrying under contention before kBusy.
  int busy_retry_budget_ms = 30000;
  // PRAGMA synchronous: FULL makes every commit durable against power loss
  // too; NORMAL (WAL) is durable against process crashes only.
  bool synchronous_full = true;
  // Open read-only (no migrations are run; fails on an older schema).
  bool read_only = false;
  // SQLite's page cache for this connection (PRAGMA cache_size), in MiB.
  // Searches walk full-text posting lists and lesson rows: with SQLite's
  // 2 MiB default every query re-reads them from the OS with pread. It
  // fills only as pages are read, so a small store uses little of it.
  // Swept at 1M lessons (bench scale): 64 -> 256 with mmap 2047 took
  // retrieval p50 from 7.9-8.8 ms to 6.2-6.6 ms for +200 MB RSS.
  int cache_mib = 256;
  // Memory-mapped reads of the database file (PRAGMA mmap_size), in MiB;
  // 0 turns them off. Pages are then read in place instead of copied.
  // SQLite caps it at its build's SQLITE_MAX_MMAP_SIZE (Debian: 2 GiB).
  // Turned on once WarmPages has read every page searches read (a fault on
  // a cold mapped page is slower than a read): until then, and in a
  // process that never warms up (a CLI command), reads copy.
  int mmap_mib = 2047;
};

// Opens (creating and migrating as needed) the SQLite store.
Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// Latest schema version the binary knows.
int SqliteSchemaVersion();

}  // namespace engram
