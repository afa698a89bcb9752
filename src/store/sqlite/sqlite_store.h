// SqliteStore: the embedded default Store (one SQLite file, WAL mode).
//
// Layout of the implementation (one concept per file):
//   db.*          RAII connection / statement / transaction + error mapping
//   migrations.*  schema versions and numbered migrations
//   retry.*       bounded retry with backoff under contention
//   columns.*     JSON and enum columns <-> values, paging checks
//   verify.*      integrity checks and engram invariants
//   checksum_vfs.* the VFS shim that stamps and checks every page's checksum
//   page_checksum.* the page hash and the WAL format's checksum
//   file_check.*  the files read directly: every page's checksum, the WAL
//                 walked before SQLite's recovery, truncated files
//   sqlite_store.cc  open, transactions, RunInTransaction
//   episodes.cc, lessons.cc, embeddings.cc, kv.cc  the methods of each
//                 concept, including its ForEach*/Import* bulk methods (as do
//                 the learning files below)
//   maintenance.cc   Stats, Verify, EnablePageChecksums, Backup, Restore
//   fulltext.*    indexed text of lessons/episodes, SearchText, embedding cache
//   bm25_topk.*   exact top-k BM25 over FTS5 without scoring every match
//   fulltext_warm.cc  Warm: the frequent words' postings loaded ahead of queries
//   page_warm.cc  WarmPages: the pages searches read, into the OS page cache
//   row_lengths.* the BM25 scorer's in-memory row lengths per FTS5 table
//   term_postings.* the query words' postings held in memory for bm25_topk
//   maxscore.*    exact top-k BM25 over those postings (MaxScore in C++)
//   word_bounds.* per-word score bounds for bm25_topk
//   notes.cc      notes and their full-text search
//   feedback.cc   feedback events (FeedbackStore)
//   patterns.cc   mined patterns and heuristics (PatternStore)
//   contradictions.cc  contradictions between lessons (ContradictionStore)
//   candidates.cc lesson candidates (CandidateStore)
//   lesson_uses.cc  retrieval uses of lessons (RecordLessonUses)
//   lesson_changes.cc  the lesson change log (LessonChangeMarkNow, LessonChangesSince)
//
// Transactions: every public method runs in exactly one transaction (writes:
// BEGIN IMMEDIATE, so the busy handler can wait for the write lock instead of
// failing on lock upgrade; multi-statement reads: BEGIN DEFERRED, one
// snapshot). Called from inside RunInTransaction's fn, a method runs in a
// SAVEPOINT instead, so a failing call still changes nothing while the outer
// transaction goes on. SQLITE_BUSY is retried with backoff for
// busy_retry_budget_ms, then surfaces as kBusy.
//
// Ownership: owns its Connection. Thread safety: every method locks a
// recursive mutex for its whole duration (including RunInTransaction's fn, so
// methods may be called from inside fn on the same thread; another thread
// waits until the transaction ends).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "engram/store.h"
#include "store/sqlite/bm25_topk.h"
#include "store/sqlite/db.h"

namespace engram::sqlite {

class SqliteStore final : public Store,
                          public FullTextIndex,
                          public EmbeddingCache,
                          public FeedbackStore,
                          public PatternStore,
                          public ContradictionStore,
                          public CandidateStore {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);

  Status CreateEpisode(const Episode& episode) override;
  Result<int> AppendStep(const std::string& episode_id, const Step& step,
                         std::size_t max_steps) override;
  Status CompleteEpisode(const std::string& episode_id, const Outcome& outcome,
                         const RewardBreakdown& reward, const Reflection& reflection,
                         Timestamp ended_at) override;
  Result<Episode> GetEpisode(const std::string& episode_id) override;
  Result<std::vector<EpisodeSummary>> ListEpisodes(const EpisodeFilter& filter) override;
  Status DeleteEpisode(const std::string& episode_id) override;

  Status InsertLesson(const Lesson& lesson) override;
  Result<Lesson> GetLesson(const std::string& lesson_id) override;
  Result<std::vector<Lesson>> GetLessons(const std::vector<std::string>& lesson_ids) override;
  Result<std::vector<Lesson>> ListLessons(const LessonFilter& filter) override;
  Result<std::vector<LessonKeyCount>> CountLessonKeys() override;
  Status UpdateLesson(const Lesson& updated, const std::string& reason) override;
  Result<std::vector<LessonVersion>> LessonHistory(const std::string& lesson_id) override;
  Status DeleteLesson(const std::string& lesson_id) override;
  Status TouchLesson(const std::string& lesson_id, Timestamp used_at) override;
  Status RecordLessonUses(const std::vector<LessonUse>& uses) override;  // lesson_uses.cc
  Result<LessonChangeMark> LessonChangeMarkNow() override;               // lesson_changes.cc
  Result<LessonChanges> LessonChangesSince(std::int64_t since, int limit) override;

  Status PutEmbedding(const Embedding& embedding) override;
  Result<Embedding> GetEmbedding(const std::string& lesson_id,
                                 const std::string& model_id) override;

  Result<KvEntry> KvPut(const std::string& ns, const std::string& key, const Json& value,
                        const KvPutOptions& options, Timestamp now) override;
  Result<KvEntry> KvGet(const std::string& ns, const std::string& key, Timestamp now) override;
  Result<std::vector<KvEntry>> KvList(const std::string& ns, const std::string& prefix, int limit,
                                      Timestamp now) override;
  Status KvDelete(const std::string& ns, const std::string& key) override;

  Result<StoreStats> Stats() override;
  Status Verify() override;
  Status OptimizeFullText() override;
  Result<PageWarmStats> WarmPages(const PageWarmOptions& options) override;  // page_warm.cc
  Status EnablePageChecksums() override;
  Status Backup(const std::string& dest_path) override;
  Status Restore(const std::string& src_path) override;
  // PRAGMA data_version (commits by other connections) + our write count.
  Result<std::string> ChangeToken() override;

  Status ForEachEpisode(const std::function<Status(const Episode&)>& fn) override;
  Status ForEachLesson(
      const std::function<Status(const Lesson&, const std::vector<LessonVersion>&)>& fn) override;
  Status ForEachEmbedding(const std::function<Status(const Embedding&)>& fn) override;
  Status ForEachKv(const std::function<Status(const KvEntry&)>& fn) override;
  Status ImportEpisode(const Episode& episode) override;
  Status ImportLesson(const Lesson& lesson, const std::vector<LessonVersion>& history) override;
  Status ImportKv(const KvEntry& entry) override;
  Status RunInTransaction(const std::function<Status()>& fn) override;

  FullTextIndex* fulltext() override { return this; }
  EmbeddingCache* embedding_cache() override { return this; }
  FeedbackStore* feedback() override { return this; }
  PatternStore* patterns() override { return this; }
  Status RecordEpisodePatterns(const std::string& episode_id, bool success,
                               const std::vector<PatternOccurrence>& occurrences,
                               Timestamp now) override;
  using PatternStore::GetPattern;
  using PatternStore::PatternEpisodes;
  Result<Pattern> GetPattern(const std::string& pattern_id,
                             const std::optional<std::string>& project) override;
  Result<std::vector<Pattern>> ListPatterns(const PatternFilter& filter) override;
  Result<std::vector<std::string>> PatternEpisodes(
      const std::string& pattern_id, int limit, const std::optional<std::string>& project) override;
  Status ReplaceHeuristics(const std::vector<Heuristic>& heuristics) override;
  Result<Heuristic> GetHeuristic(const std::string& heuristic_id) override;
  Result<std::vector<Heuristic>> ListHeuristics(int limit) override;
  Status ForEachPattern(const std::function<Status(const StoredPattern&)>& fn) override;
  Status ImportPattern(const StoredPattern& p) override;
  Status ForEachHeuristic(const std::function<Status(const Heuristic&)>& fn) override;
  Status ImportHeuristic(const Heuristic& h) override;
  ContradictionStore* contradictions() override { return this; }
  Result<std::pair<Contradiction, bool>> RecordContradiction(const Contradiction& c) override;
  Result<Contradiction> GetContradiction(const std::string& id) override;
  using ContradictionStore::ListContradictions;
  Result<std::vector<Contradiction>> ListContradictions(
      std::optional<ContradictionStatus> status, int limit,
      const std::optional<std::string>& project) override;
  Status CloseContradiction(const std::string& id, ContradictionStatus status,
                            const std::optional<std::string>& winner, Timestamp at) override;
  Result<std::vector<Contradiction>> ContradictionsAmong(
      const std::vector<std::string>& lesson_ids) override;
  Status ForEachContradiction(const std::function<Status(const Contradiction&)>& fn) override;
  Status ImportContradiction(const Contradiction& c) override;
  CandidateStore* candidates() override { return this; }
  Result<std::pair<Candidate, bool>> InsertCandidate(const Candidate& c) override;
  Result<Candidate> GetCandidate(const std::string& id) override;
  Result<std::vector<Candidate>> ListCandidates(const CandidateFilter& filter) override;
  Status UpdatePendingCandidate(const Candidate& c) override;
  Status ForEachCandidate(const std::function<Status(const Candidate&)>& fn) override;
  Status ImportCandidate(const Candidate& c) override;
  Status RecordFeedback(const FeedbackEvent& event) override;
  Result<std::vector<FeedbackEvent>> ListFeedback(FeedbackTarget target,
                                                  const std::string& target_id, int limit) override;
  Result<FeedbackCounts> CountFeedback(FeedbackTarget target,
                                       const std::string& target_id) override;
  Status ForEachFeedback(const std::function<Status(const FeedbackEvent&)>& fn) override;
  Status ImportFeedback(const FeedbackEvent& event) override;
  using FullTextIndex::SearchText;
  Result<std::vector<TextHit>> SearchText(TextCorpus corpus, std::string_view query,
                                          const TextQueryOptions& options) override;
  Result<std::vector<TermCoverage>> QueryCoverage(TextCorpus corpus, std::string_view query,
                                                  const std::vector<std::string>& ids) override;
  Result<FullTextWarmStats> Warm(TextCorpus corpus, const FullTextWarmOptions& options) override;
  Result<std::vector<Note>> AddNotes(std::span<const Note> notes) override;
  Result<std::vector<Note>> ThreadNotes(const std::string& thread) override;
  Result<std::vector<std::string>> NoteThreads() override;
  Result<std::vector<NoteHit>> SearchNoteText(const std::string& thread, std::string_view query,
                                              int limit) override;
  Result<std::int64_t> DeleteThread(const std::string& thread) override;
  Result<std::optional<std::vector<float>>> GetCached(const std::string& model_id,
                                                      std::string_view text) override;
  Status PutCached(const std::string& model_id, std::string_view text,
                   const std::vector<float>& vector, Timestamp now) override;

 private:
  SqliteStore(SqliteOptions options, std::unique_ptr<Connection> conn)
      : options_(std::move(options)), conn_(std::move(conn)) {}

  // Runs `fn` in one transaction (a savepoint when nested). `idempotent`
  // bodies are re-run when they hit kBusy; others fail with it.
  Status InTx(TxKind kind, bool idempotent, std::string_view what,
              const std::function<Status()>& fn);
  Status Write(std::string_view what, const std::function<Status()>& fn) {
    return InTx(TxKind::kWrite, true, what, fn);
  }
  Status Read(std::string_view what, const std::function<Status()>& fn) {
    return InTx(TxKind::kRead, true, what, fn);
  }

  SqliteOptions options_;
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<Bm25TopK> bm25_;  // SearchText's scorer, made on first use (guarded by mu_)
  std::recursive_mutex mu_;
  int depth_ = 0;                  // > 0 while a transaction is open (guarded by mu_)
  std::uint64_t write_calls_ = 0;  // write transactions begun (guarded by mu_)
  // ChangeToken(): the data_version last seen, the content marks read then,
  // and how often another connection's commit changed them (guarded by mu_).
  std::int64_t token_data_version_ = -1;
  std::string token_marks_;
  std::uint64_t foreign_changes_ = 0;
};

}  // namespace engram::sqlite
