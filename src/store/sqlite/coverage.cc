// Bm25TopK::Coverage and SqliteStore::QueryCoverage: how much of a query's
// idf mass a stored text holds (FullTextIndex::QueryCoverage; the input of
// the absolute relevance, docs/RETRIEVAL.md). Each row's text is tokenized
// with FTS5's own tokenizer, so a word counts as held exactly when a MATCH
// on it would find the row; the words' row counts are Search's cached ones.
#include <algorithm>
#include <cmath>
#include <mutex>
#include <unordered_set>

#include "core/code_tokens.h"
#include "store/sqlite/bm25_topk.h"
#include "store/sqlite/fts_tokenizer.h"
#include "store/sqlite/fulltext.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

// Lucene's BM25 idf over the rows plus TermCoverage::kPriorRows
// background rows (TermCoverage): positive for every word.
double CoverageIdf(std::int64_t rows, std::int64_t hits) {
  const double n = static_cast<double>(rows) + TermCoverage::kPriorRows;
  return std::log1p((n - static_cast<double>(hits) + 0.5) / (static_cast<double>(hits) + 0.5));
}

}  // namespace

Result<std::vector<TermCoverage>> Bm25TopK::Coverage(const FtsTableSpec& t,
                                                     const std::vector<std::string>& words,
                                                     const std::vector<std::string>& ids,
                                                     const std::string& change_token) {
  ResetIfChanged(change_token);
  std::vector<TermCoverage> out(ids.size());
  if (words.empty() || ids.empty()) return out;
  ENGRAM_ASSIGN_OR_RETURN(const RowStats stats, ReadRowStats(t));
  const auto rows = static_cast<std::int64_t>(stats.rows);
  if (rows == 0) return out;  // nothing indexed: no row holds anything
  struct Word {
    std::vector<std::string> tokens;  // all must be held (a phrase when several)
    double idf = 0;
  };
  std::vector<Word> query;
  double total = 0;
  for (const std::string& w : words) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<std::string> tokens, QueryTokens(t, w));
    if (tokens.empty()) continue;
    ENGRAM_ASSIGN_OR_RETURN(const std::int64_t n, RowsWith(t, w));
    const double idf = CoverageIdf(rows, n);
    total += idf;
    query.push_back({std::move(tokens), idf});
  }
  if (query.empty() || total <= 0) return out;
  std::string columns;
  for (const std::string& c : t.columns) {
    columns += (columns.empty() ? "" : ", ") + QuotedIdentifier(c);
  }
  const std::string sql = "SELECT " + columns + " FROM " + QuotedIdentifier(t.content) + " WHERE " +
                          QuotedIdentifier(t.id) + " = ?1";
  for (std::size_t k = 0; k < ids.size(); ++k) {
    ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_.Query(sql, ids[k]));
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) continue;
    std::unordered_set<std::string> held;
    for (int c = 0; c < static_cast<int>(t.columns.size()); ++c) {
      ENGRAM_RETURN_IF_ERROR(
          tokenizer_->Document(st.Text(c), [&](std::string_view tok) { held.emplace(tok); }));
    }
    double matched = 0;
    for (const Word& w : query) {
      bool all = true;
      for (const std::string& tok : w.tokens) all = all && held.contains(tok);
      if (all) matched += w.idf;
    }
    out[k].share = std::min(1.0, matched / total);
    out[k].matched = matched / CoverageIdf(rows, 0);
  }
  return out;
}

Result<std::vector<TermCoverage>> SqliteStore::QueryCoverage(TextCorpus corpus,
                                                             std::string_view query,
                                                             const std::vector<std::string>& ids) {
  const std::vector<std::string> words = QueryTerms(query);
  if (words.empty() || ids.empty()) return std::vector<TermCoverage>(ids.size());
  std::lock_guard lock(mu_);
  ENGRAM_ASSIGN_OR_RETURN(std::string token, ChangeToken());
  if (!bm25_) bm25_ = std::make_unique<Bm25TopK>(*conn_);
  std::vector<TermCoverage> out;
  ENGRAM_RETURN_IF_ERROR(Read("query coverage", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        out, bm25_->Coverage(corpus == TextCorpus::kLessons ? LessonFtsTable() : EpisodeFtsTable(),
                             words, ids, token));
    return Status::Ok();
  }));
  return out;
}

}  // namespace engram::sqlite
