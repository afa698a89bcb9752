// Word bounds: per FTS5 table and indexed token, the largest column-weighted
// count of the token in one row and the fewest tokens of a row holding it
// (table fts_word_bounds, migration 5). A row's BM25 term score rises with
// the count and falls with the row's length, so idf * f(max_tf, min_len)
// bounds the token's score in every row; Bm25TopK prunes with it where
// idf * (k1 + 1) (any count, any length) is far too loose.
//
// Rows only ever raise a bound: inserts and updates fold their tokens in, in
// the writer's transaction; deletes leave the bound as it was (still an
// upper bound). fts_word_bounds_built marks the tables whose every row has
// been folded in (BackfillWordBounds after migrating); until then readers
// fall back to the loose bound.
//
// Thread safety: free functions over a Connection the caller serialises.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/status.h"
#include "store/sqlite/bm25_topk.h"
#include "store/sqlite/db.h"

namespace engram::sqlite {

struct WordBound {
  double max_tf = 0;         // largest sum of column weights over a row's instances
  std::int64_t min_len = 0;  // fewest tokens (all columns) of a row holding the word
};

// Folds one row of `table` into the bounds; `columns` are its column texts
// in declaration order (as written to the content table).
Status AddWordBounds(Connection& conn, const FtsTableSpec& table,
                     const std::vector<std::string_view>& columns);
// Folds every row of `table`'s content table in and marks the table built,
// unless it is already marked. Runs in the caller's transaction.
Status BackfillWordBounds(Connection& conn, const FtsTableSpec& table);
// Whether `table`'s bounds cover every row.
Result<bool> WordBoundsBuilt(Connection& conn, const FtsTableSpec& table);
// The bound of `token` (an indexed token, see FtsTokenizer::Query), if any
// row holding it was ever folded in.
Result<std::optional<WordBound>> GetWordBound(Connection& conn, const FtsTableSpec& table,
                                              std::string_view token);

}  // namespace engram::sqlite
