// SqliteStore::Warm: loads a corpus's row lengths and the postings of its
// most frequent words before the queries that would, the postings in steps
// under the store's lock; the row lengths and the words (by FTS5's
// vocabulary) are read on a connection of their own, so those scans of the
// whole index do not hold the lock. Bm25TopK::Warm loads one step.
#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engram/fulltext.h"
#include "store/sqlite/bm25_topk.h"
#include "store/sqlite/fulltext.h"
#include "store/sqlite/maxscore.h"
#include "store/sqlite/row_lengths.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

struct WordRows {
  std::string token;
  std::int64_t rows = 0;
};

// `table`'s row lengths read on `conn` in one read transaction.
Result<RowLengths::Snapshot> ReadLengths(Connection& conn, const FtsTableSpec& table) {
  ENGRAM_RETURN_IF_ERROR(conn.Exec("BEGIN"));
  Result<RowLengths::Snapshot> out = RowLengths::ReadSnapshot(conn, table.fts);
  Status ended = conn.Exec(out.ok() ? "COMMIT" : "ROLLBACK");
  if (!out.ok()) return out.status();
  ENGRAM_RETURN_IF_ERROR(ended);
  return out;
}

// The tokens of `table` held by at least `min_rows` rows, most rows first
// (ties by token), from FTS5's vocabulary on `conn` (read-only). The
// vocabulary walks every doclist: a second or so at 1M rows.
Result<std::vector<WordRows>> WordsByRows(Connection& conn, const FtsTableSpec& table,
                                          std::int64_t min_rows) {
  ENGRAM_RETURN_IF_ERROR(
      conn.Exec("CREATE VIRTUAL TABLE temp.engram_warm_vocab USING fts5vocab("
                "main, " +
                QuotedIdentifier(table.fts) + ", row)"));
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st,
      conn.Query("SELECT term, doc FROM temp.engram_warm_vocab WHERE doc >= ?1", min_rows));
  std::vector<WordRows> out;
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Text(0), st.Int(1)});
  }
  std::sort(out.begin(), out.end(), [](const WordRows& a, const WordRows& b) {
    return a.rows != b.rows ? a.rows > b.rows : a.token < b.token;
  });
  return out;
}

}  // namespace

Result<Bm25TopK::WarmCount> Bm25TopK::Warm(const FtsTableSpec& t,
                                           const std::vector<std::string>& tokens,
                                           const std::string& change_token) {
  ResetIfChanged(change_token);
  WarmCount out;
  if (!options_.in_memory_postings || tokens.empty()) return out;
  ENGRAM_ASSIGN_OR_RETURN(const RowStats stats, ReadRowStats(t));
  if (!stats.readable || stats.rows == 0 || stats.avgdl <= 0) return out;
  ENGRAM_ASSIGN_OR_RETURN(const std::vector<std::uint32_t>* lengths,
                          Lengths(t, stats.rows, /*force=*/true));
  if (!lengths) return out;
  // A query reaches a token's list through a word the tokenizer turns into
  // it; the token itself is that word unless the stemmer changes it again.
  std::vector<std::string> words;
  words.reserve(tokens.size());
  for (const std::string& token : tokens) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<std::string> parts, QueryTokens(t, token));
    if (parts.size() == 1 && parts[0] == token) words.push_back(token);
  }
  if (words.empty()) return out;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<TermPostings::List*> lists, postings_.Get(t, words, words));
  for (TermPostings::List* list : lists) {
    RefreshBound(*list, *lengths, stats.avgdl);
    ++out.lists;
    out.postings += static_cast<std::int64_t>(list->postings.size());
  }
  return out;
}

Result<FullTextWarmStats> SqliteStore::Warm(TextCorpus corpus, const FullTextWarmOptions& o) {
  if (o.min_rows < 1) return Status::InvalidArgument("warm-up min_rows must be at least 1");
  if (o.step_postings == 0) return Status::InvalidArgument("warm-up step_postings must be > 0");
  const auto t0 = std::chrono::steady_clock::now();
  const FtsTableSpec& table = corpus == TextCorpus::kLessons ? LessonFtsTable() : EpisodeFtsTable();
  // Reads of the whole index run on a connection of their own, without the
  // lock: first the row lengths (searches score in memory once they are
  // in), then the vocabulary.
  // Searches meanwhile leave the lengths to this read (a search loading
  // them too would hold the lock as long).
  {
    std::lock_guard lock(mu_);
    if (!bm25_) bm25_ = std::make_unique<Bm25TopK>(*conn_);
    bm25_->AwaitLengths(table.fts, true);
  }
  Result<std::unique_ptr<Connection>> aside =
      Connection::Open(options_.path, /*read_only=*/true, options_.busy_timeout_ms);
  Result<RowLengths::Snapshot> lengths =
      aside.ok() ? ReadLengths(**aside, table) : Result<RowLengths::Snapshot>(aside.status());
  Status adopted = lengths.status();
  {
    std::lock_guard lock(mu_);
    bm25_->AwaitLengths(table.fts, false);
    if (adopted.ok()) {
      adopted = Read("adopt row lengths", [&]() -> Status {
        return bm25_->AdoptLengths(table, std::move(*lengths)).status();
      });
    }
  }
  ENGRAM_RETURN_IF_ERROR(adopted);
  ENGRAM_ASSIGN_OR_RETURN(std::vector<WordRows> vocabulary,
                          WordsByRows(**aside, table, o.min_rows));
  FullTextWarmStats stats;
  std::size_t budget = o.max_postings;
  std::vector<std::string> step;
  std::size_t step_rows = 0;
  auto load_step = [&]() -> Status {
    if (step.empty()) return Status::Ok();
    std::lock_guard lock(mu_);
    ENGRAM_ASSIGN_OR_RETURN(std::string token, ChangeToken());
    ENGRAM_RETURN_IF_ERROR(Read("warm full text", [&]() -> Status {
      ENGRAM_ASSIGN_OR_RETURN(Bm25TopK::WarmCount held, bm25_->Warm(table, step, token));
      stats.words += held.lists;
      stats.postings += held.postings;
      return Status::Ok();
    }));
    step.clear();
    step_rows = 0;
    return Status::Ok();
  };
  {
    std::lock_guard lock(mu_);
    if (!bm25_) bm25_ = std::make_unique<Bm25TopK>(*conn_);  // load_step relies on it
    budget = std::min(budget, bm25_->max_postings_held());
  }
  for (const WordRows& w : vocabulary) {
    if (o.stop.stop_requested()) {
      stats.stopped = true;
      break;
    }
    const auto rows = static_cast<std::size_t>(w.rows);
    if (rows > budget) {
      ++stats.words_skipped;
      continue;
    }
    budget -= rows;
    step.push_back(w.token);
    step_rows += rows;
    if (step_rows >= o.step_postings) ENGRAM_RETURN_IF_ERROR(load_step());
  }
  if (!stats.stopped) ENGRAM_RETURN_IF_ERROR(load_step());
  stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return stats;
}

}  // namespace engram::sqlite
