// TermPostings: the postings (row, weighted count) of the words BM25
// queries use, held in memory so that top-k BM25 is scored in C++
// (maxscore.h) rather than by FTS5 calling a rank function per row.
//
// A word's list is read from FTS5 the first time a query uses it (an
// auxiliary function walks the word's doclist with xQueryPhrase: no SQL
// row per posting), then kept exact by the same signals as
// RowLengths (row_lengths.h), which the caller passes to Sync after each
// RowLengths::Get:
// - a whole-table load there (first use, another connection's write to the
//   index, a large batch of writes) drops every list of that table;
// - rows re-read there after this connection's writes are re-tokenized from
//   the content table with FTS5's own tokenizer (fts_tokenizer.h): each
//   cached list loses the row and regains it with its new count.
// Lists are evicted least recently used first when their postings exceed
// TermPostingsOptions::max_postings (checked at each Sync, so lists handed
// out during one search stay valid through it).
//
// Ownership: borrows the Connection (which outlives it); registers the
// auxiliary function engram_postings there at first use. Thread safety: none;
// the owner (Bm25TopK) runs under the store's mutex, inside one read
// transaction per search.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "engram/status.h"
#include "store/sqlite/db.h"
#include "store/sqlite/fts_tokenizer.h"

namespace engram::sqlite {

struct FtsTableSpec;

// One row holding a word: the sum of the column weights of the word's
// instances in the row (FTS5's bm25() term frequency with column weights).
struct Posting {
  std::uint32_t row = 0;
  float weight = 0;
};

struct TermPostingsOptions {
  // Postings kept across all lists (8 bytes each: 256 MB by default).
  std::size_t max_postings = std::size_t{1} << 25;
  // More rows changed by one Sync than this drops the table's lists
  // instead of patching each (re-tokenizing a row is a content read).
  std::size_t max_patched_rows = 256;
};

struct TermPostingsStats {
  std::int64_t lists_loaded = 0;    // lists read from FTS5
  std::int64_t rows_patched = 0;    // changed rows re-tokenized into lists
  std::int64_t tables_dropped = 0;  // Syncs that dropped a table's lists
  std::int64_t lists_evicted = 0;   // lists dropped for max_postings
};

class TermPostings {
 public:
  // One cached word's list, by row. `bound_*` memoise the largest BM25 term
  // factor of any posting for one average row length (maxscore.h).
  struct List {
    std::vector<Posting> postings;
    std::uint64_t last_used = 0;
    double bound_avgdl = -1;  // -1: not computed since the list changed
    double bound_factor = 0;
  };

  explicit TermPostings(Connection& conn, TermPostingsOptions options = {});
  ~TermPostings();
  TermPostings(const TermPostings&) = delete;
  TermPostings& operator=(const TermPostings&) = delete;

  // Brings `table`'s lists in step with RowLengths' last Get (its
  // generation and re-read rows; `lengths` as that Get returned them, so a
  // row of unknown length is a deleted one), then evicts lists over the
  // budget. Runs in the caller's read transaction.
  Status Sync(const FtsTableSpec& table, std::uint64_t generation,
              const std::vector<std::int64_t>& changed_rows,
              const std::vector<std::uint32_t>& lengths);

  // The lists of `words` in `table`, cached by their FTS5 token (`tokens`,
  // what FtsTokenizer::Query gives for each word: one token each); those
  // not cached are read from FTS5 in one statement. Valid until the next
  // Sync. Call only after a Sync of `table` in the same transaction.
  Result<std::vector<List*>> Get(const FtsTableSpec& table, const std::vector<std::string>& words,
                                 const std::vector<std::string>& tokens);

  const TermPostingsStats& stats() const { return stats_; }
  std::size_t postings_held() const { return held_; }

 private:
  struct Table {
    std::uint64_t generation = 0;
    std::unordered_map<std::string, List> lists;
    std::unique_ptr<FtsTokenizer> tokenizer;  // for Patch, made on first use
  };
  void Drop(Table& table);
  // Re-reads `row` (`select_text` selects its columns by rowid) into the
  // cached lists; a deleted row only leaves them.
  Status Patch(const FtsTableSpec& spec, Table& table, std::int64_t row, bool deleted,
               const std::string& select_text);
  // Reads the lists of `words` (FTS5 query words) into `out`, one each.
  Status Load(const FtsTableSpec& spec, const std::vector<std::string>& words,
              const std::vector<List*>& out);
  void Evict();

  Connection& conn_;
  TermPostingsOptions options_;
  bool registered_ = false;                        // engram_postings on conn_
  std::unordered_map<std::string, Table> tables_;  // by FTS table name
  std::uint64_t clock_ = 0;                        // Get count, for last_used
  std::size_t held_ = 0;                           // postings in all lists
  TermPostingsStats stats_;
};

}  // namespace engram::sqlite
