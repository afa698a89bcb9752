// Bm25TopK: the exact top k of an FTS5 BM25 query (the OR of single-word
// phrases) without scoring every row that holds a common word.
//
// FTS5 scores every row matching any phrase of a MATCH expression, so one
// frequent query word ("go", "support") makes a query cost ~1 us per row
// holding it. Bm25TopK runs MaxScore over FTS5 (docs/RETRIEVAL.md, "BM25
// top-k"): the words are split into rare "essential" ones and frequent
// ones. FTS5 visits only the rows holding an essential word, scored on all
// words ("(e1 OR e2) AND (e1 OR e2 OR f1 ...)" with the auxiliary function
// engram_bm25, which skips the selecting phrases and takes each word's idf
// from the caller). A row holding frequent words only scores below the sum
// of their bounds (idf * the largest term factor any row holding the word
// can reach, from word_bounds.h; idf * (k1 + 1) without one); when the
// k-th score found is not above
// that sum, the rarest frequent words move to the essential set and the
// round repeats, ending at the plain OR query (still scored by
// engram_bm25). The scores are FTS5's bm25() with the same column weights
// (k1 1.2, b 0.75), so the results are those of the plain query (ties aside).
// engram_bm25 takes each row's length from RowLengths (row_lengths.h) when
// it holds it, not from FTS5's per-row docsize lookup.
//
// By default the words' postings are held in memory (TermPostings) and
// MaxScore runs over them in C++ (maxscore.h), with the same scores; the
// FTS5 rounds above answer only what that cannot: inside a write
// transaction, when the row lengths are not held, or for a query word that
// FTS5 splits into several tokens (a phrase).
//
// Ownership: borrows the Connection (which outlives it; the auxiliary
// functions are registered on it at first use; its RowLengths keeps TEMP
// triggers there) and owns
// the postings and per-word row-count and
// bound caches, cleared whenever the caller's change token moves. Thread safety:
// none; the owner (SqliteStore) serialises calls with its mutex, and every
// call runs inside one read transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engram/fulltext.h"
#include "engram/status.h"
#include "store/sqlite/db.h"
#include "store/sqlite/row_lengths.h"
#include "store/sqlite/term_postings.h"

namespace engram::sqlite {
class FtsTokenizer;
}

namespace engram::sqlite {

// One FTS5 table with an external content table.
struct FtsTableSpec {
  std::string fts;                     // e.g. "lesson_fts"
  std::string content;                 // its content table, e.g. "lesson_text"
  std::string rowid;                   // content_rowid column, e.g. "doc"
  std::string id;                      // the id column returned, e.g. "lesson_id"
  std::vector<std::string> columns;    // the FTS5 columns in declaration order
  std::vector<double> weights;         // bm25() weight per column
  std::vector<std::string> tokenizer;  // its tokenize= argument, split on spaces
};

// What one Search did (for tests and benchmarks).
struct Bm25TopKStats {
  bool in_memory = false;  // scored over TermPostings (then rounds is 1)
  bool pruned = false;     // some rows holding a word were never scored
  int rounds = 0;          // MaxScore rounds run (the full query counts as one)
  // FTS5 rounds: top rows returned by their queries; in memory: rows scored.
  std::int64_t rows_scored = 0;
};

struct Bm25TopKOptions {
  // The first round's essential words: the rarest ones while their row
  // counts add up to at most this (at least one word). Rows are cheap to
  // score in small numbers, and a larger set makes the first round's
  // bound smaller, so it is more often the last round.
  std::int64_t first_round_rows = 1024;
  // Score over in-memory postings (TermPostings) where possible.
  bool in_memory_postings = true;
  // In-memory scoring needs every row's length (RowLengths), a read of the
  // whole docsize table: ~0.14 s at 100k rows on a cold cache, growing
  // with the table. A search loads them when the table has at most
  // `inline_length_rows` rows, or when it is at least the
  // `inline_length_searches`-th search of the table; before that it is
  // scored by FTS5's rounds (each scored row's length read on its own), so
  // a one-off search of a large table never pays for the whole read and a
  // warm-up (AdoptLengths) can bring them in off the request path.
  std::int64_t inline_length_rows = 50000;
  int inline_length_searches = 8;
  TermPostingsOptions postings;
};

class Bm25TopK {
 public:
  explicit Bm25TopK(Connection& conn, Bm25TopKOptions options = {});
  ~Bm25TopK();
  Bm25TopK(const Bm25TopK&) = delete;
  Bm25TopK& operator=(const Bm25TopK&) = delete;

  // The top `options.limit` rows of `table` for the OR of `words` (lower-case
  // query words, as QueryTerms gives them), best first, as (id, bm25 >= 0);
  // words in more than options.max_word_share of the rows (and in more
  // than 1,000) are left out. `change_token` identifies the data version (cached row
  // counts are dropped when it differs from the last call's).
  Result<std::vector<TextHit>> Search(const FtsTableSpec& table,
                                      const std::vector<std::string>& words,
                                      const TextQueryOptions& options,
                                      const std::string& change_token,
                                      Bm25TopKStats* stats = nullptr);

  // Loads the in-memory row lengths of `table` and the postings of
  // `tokens` (FTS5 tokens of `table`, e.g. from its vocabulary) with their
  // score bounds, as a search using them would; tokens that the table's
  // tokenizer does not map to themselves (a query could not name them) are
  // skipped. Returns the lists now held for `tokens` and their postings
  // (none when postings are not held in memory: options, nothing indexed).
  // Runs in the caller's read transaction (fulltext_warm.cc).
  struct WarmCount {
    std::int64_t lists = 0;
    std::int64_t postings = 0;
  };
  Result<WarmCount> Warm(const FtsTableSpec& table, const std::vector<std::string>& tokens,
                         const std::string& change_token);

  // Takes row lengths read on another connection (RowLengths::ReadSnapshot)
  // as `table`'s, unless some are held or the index changed since; true
  // when taken. Runs in the caller's read transaction.
  Result<bool> AdoptLengths(const FtsTableSpec& table, RowLengths::Snapshot snapshot);
  // While on, searches of `fts` never load its row lengths themselves (a
  // warm-up is reading them for AdoptLengths).
  void AwaitLengths(const std::string& fts, bool on);

  // For each of `ids` (values of table.id), how much of `words` (as for
  // Search) the row's text holds (FullTextIndex::QueryCoverage); zeros for
  // an id without a row. Runs in the caller's read transaction (coverage.cc).
  Result<std::vector<TermCoverage>> Coverage(const FtsTableSpec& table,
                                             const std::vector<std::string>& words,
                                             const std::vector<std::string>& ids,
                                             const std::string& change_token);

  // What the in-memory row lengths did so far (for tests).
  const RowLengthsStats& row_length_stats() const { return lengths_.stats(); }
  // What the in-memory postings did so far (for tests and benchmarks).
  const TermPostingsStats& postings_stats() const { return postings_.stats(); }
  std::size_t postings_held() const { return postings_.postings_held(); }
  // The most postings held at once (TermPostingsOptions::max_postings).
  std::size_t max_postings_held() const { return options_.postings.max_postings; }

 private:
  // FTS5's row count and average row length of a table (its averages record).
  struct RowStats {
    bool readable = true;  // false: the record did not parse (use FTS5's own bm25)
    std::uint64_t rows = 0;
    double avgdl = 0;  // 0 when a column total is missing
  };
  Result<RowStats> ReadRowStats(const FtsTableSpec& table);
  // Drops the per-version caches when `change_token` differs from the last one.
  void ResetIfChanged(const std::string& change_token);
  Result<std::vector<TextHit>> FullQuery(const FtsTableSpec& table,
                                         const std::vector<std::string>& words, int limit);
  Result<std::int64_t> RowsWith(const FtsTableSpec& table, const std::string& word);
  // (id, score) of each (rowid, score), in one statement.
  Result<std::vector<TextHit>> IdsOf(const FtsTableSpec& table,
                                     const std::vector<std::pair<std::int64_t, double>>& top);
  // The most `word` can add to a row's score: idf * the BM25 term factor at
  // the word bound's count and length (word_bounds.h), or idf * (k1 + 1)
  // when the table's bounds are not built or the word is not one token.
  Result<double> ScoreBound(const FtsTableSpec& table, const std::string& word, double idf,
                            double avgdl);
  // The FTS5 tokens `table`'s tokenizer makes of query word `word` (the
  // tokenizer is made on first use).
  Result<std::vector<std::string>> QueryTokens(const FtsTableSpec& table, const std::string& word);
  // Registers the engram_bm25 auxiliary function on the connection.
  Status Register();
  // RowLengths::Get, with the postings brought in step with what it read;
  // nullptr (without reading) when `table` (of `rows` rows) should not have
  // them loaded on this search (Bm25TopKOptions::inline_length_rows) unless
  // `force`.
  Result<const std::vector<std::uint32_t>*> Lengths(const FtsTableSpec& table, std::uint64_t rows,
                                                    bool force);
  // The search over TermPostings; nullopt when it cannot answer (see above).
  Result<std::optional<std::vector<TextHit>>> InMemory(const FtsTableSpec& table,
                                                       const std::vector<std::string>& words,
                                                       const TextQueryOptions& options,
                                                       const std::vector<std::uint32_t>& lengths,
                                                       std::uint64_t rows, double avgdl,
                                                       Bm25TopKStats& stats);

  Connection& conn_;
  Bm25TopKOptions options_;
  bool registered_ = false;
  std::string cache_token_;
  std::unordered_map<std::string, std::int64_t> rows_with_;  // "table\x1fword" -> rows
  std::unordered_map<std::string, bool> bounds_built_;       // table -> built (per token)
  // "table\x1fword" -> (max_tf, min_len), or (-1, 0) without a usable bound (per token).
  std::unordered_map<std::string, std::pair<double, std::int64_t>> word_bounds_;
  std::unordered_map<std::string, int> searches_;  // table -> searches without lengths loaded
  std::unordered_map<std::string, bool> awaited_;  // table -> AwaitLengths on
  std::unique_ptr<FtsTokenizer> tokenizer_;        // made on first use
  RowLengths lengths_;                             // the scorer's row lengths
  TermPostings postings_;                          // kept in step with lengths_
};

}  // namespace engram::sqlite
