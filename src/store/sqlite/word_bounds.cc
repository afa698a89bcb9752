#include "store/sqlite/word_bounds.h"

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "store/sqlite/fts_tokenizer.h"

namespace engram::sqlite {
namespace {

using Bounds = std::unordered_map<std::string, WordBound>;

// Adds one row's per-token weighted counts and length to `into` (max / min).
Status FoldRow(FtsTokenizer& tokenizer, const FtsTableSpec& table,
               const std::vector<std::string_view>& columns, Bounds& into) {
  std::unordered_map<std::string, double> tf;
  std::int64_t length = 0;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const double w = c < table.weights.size() ? table.weights[c] : 1.0;
    ENGRAM_RETURN_IF_ERROR(tokenizer.Document(columns[c], [&](std::string_view token) {
      tf[std::string(token)] += w;
      ++length;
    }));
  }
  for (const auto& [token, count] : tf) {
    auto [it, fresh] = into.try_emplace(token, WordBound{count, length});
    if (!fresh) {
      it->second.max_tf = std::max(it->second.max_tf, count);
      it->second.min_len = std::min(it->second.min_len, length);
    }
  }
  return Status::Ok();
}

Status Store(Connection& conn, const FtsTableSpec& table, const Bounds& bounds) {
  for (const auto& [token, b] : bounds) {
    ENGRAM_RETURN_IF_ERROR(
        conn.Run("INSERT INTO fts_word_bounds (fts, word, max_tf, min_len) VALUES (?1, ?2, ?3, "
                 "?4) ON CONFLICT (fts, word) DO UPDATE SET max_tf = max(max_tf, "
                 "excluded.max_tf), min_len = min(min_len, excluded.min_len) WHERE "
                 "excluded.max_tf > max_tf OR excluded.min_len < min_len",
                 table.fts, token, b.max_tf, b.min_len)
            .status());
  }
  return Status::Ok();
}

}  // namespace

Status AddWordBounds(Connection& conn, const FtsTableSpec& table,
                     const std::vector<std::string_view>& columns) {
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<FtsTokenizer> tokenizer,
                          FtsTokenizer::Create(conn, table.tokenizer));
  Bounds bounds;
  ENGRAM_RETURN_IF_ERROR(FoldRow(*tokenizer, table, columns, bounds));
  return Store(conn, table, bounds);
}

Status BackfillWordBounds(Connection& conn, const FtsTableSpec& table) {
  ENGRAM_ASSIGN_OR_RETURN(bool built, WordBoundsBuilt(conn, table));
  if (built) return Status::Ok();
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<FtsTokenizer> tokenizer,
                          FtsTokenizer::Create(conn, table.tokenizer));
  std::string cols;
  for (const std::string& c : table.columns)
    cols += (cols.empty() ? "" : ", ") + QuotedIdentifier(c);
  Bounds bounds;
  {
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st, conn.Query("SELECT " + cols + " FROM " + QuotedIdentifier(table.content)));
    std::vector<std::string> texts(table.columns.size());
    std::vector<std::string_view> views(table.columns.size());
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      for (std::size_t c = 0; c < texts.size(); ++c) {
        texts[c] = st.OptText(static_cast<int>(c)).value_or("");
        views[c] = texts[c];
      }
      ENGRAM_RETURN_IF_ERROR(FoldRow(*tokenizer, table, views, bounds));
    }
  }
  ENGRAM_RETURN_IF_ERROR(Store(conn, table, bounds));
  return conn.Run("INSERT OR IGNORE INTO fts_word_bounds_built (fts) VALUES (?1)", table.fts)
      .status();
}

Result<bool> WordBoundsBuilt(Connection& conn, const FtsTableSpec& table) {
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st, conn.Query("SELECT 1 FROM fts_word_bounds_built WHERE fts = ?1", table.fts));
  return st.Step();
}

Result<std::optional<WordBound>> GetWordBound(Connection& conn, const FtsTableSpec& table,
                                              std::string_view token) {
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st,
      conn.Query("SELECT max_tf, min_len FROM fts_word_bounds WHERE fts = ?1 AND word = ?2",
                 table.fts, token));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<WordBound>();
  return std::optional<WordBound>(WordBound{st.Double(0), st.Int(1)});
}

}  // namespace engram::sqlite
