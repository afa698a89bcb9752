#include "store/sqlite/bm25_topk.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <numeric>
#include <queue>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/code_tokens.h"
#include "store/sqlite/fts_tokenizer.h"
#include "store/sqlite/maxscore.h"
#include "store/sqlite/row_lengths.h"
#include "store/sqlite/word_bounds.h"

namespace engram::sqlite {
namespace {

// TextQueryOptions::max_word_share leaves out only words in more rows.
constexpr std::int64_t kStopListMinRows = 1000;
// Name of the auxiliary function registered on the connection.
constexpr char kScoreFunction[] = "engram_bm25";

std::string WeightArgs(const FtsTableSpec& t) {
  std::string out;
  for (double w : t.weights) out += ", " + std::to_string(w);
  return out;
}

// engram_bm25(fts, first, lengths, ncol, w_1..w_ncol, idf_first..idf_last):
// FTS5's bm25 (positive) over the phrases numbered first.. of the MATCH
// expression, with their idf given by the caller instead of counted per
// query. The phrases before `first` only select rows. `lengths` is a
// pointer (kLengthsType) to RowLengths' vector, or NULL: row lengths not
// found there are read from FTS5 (<fts>_docsize).
constexpr char kLengthsType[] = "engram_row_lengths";

struct ScoreArgs {
  int first = 0;
  const std::vector<std::uint32_t>* lengths = nullptr;
  std::vector<double> weights, idf;
  double avgdl = 1;
  std::vector<double> freq;  // scratch, per scored phrase
};

void DeleteScoreArgs(void* p) { delete static_cast<ScoreArgs*>(p); }

void ScoreFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
                   sqlite3_value** argv) {
  auto* a = static_cast<ScoreArgs*>(api->xGetAuxdata(fts, 0));
  if (!a) {
    if (argc < 3) {
      sqlite3_result_error(ctx, "engram_bm25: needs first, lengths and ncol", -1);
      return;
    }
    auto made = std::make_unique<ScoreArgs>();
    made->first = sqlite3_value_int(argv[0]);
    made->lengths = static_cast<const std::vector<std::uint32_t>*>(
        sqlite3_value_pointer(argv[1], kLengthsType));
    const int ncol = sqlite3_value_int(argv[2]);
    const int phrases = api->xPhraseCount(fts);
    if (made->first < 0 || ncol < 0 || argc != 3 + ncol + (phrases - made->first)) {
      sqlite3_result_error(ctx, "engram_bm25: wrong argument count", -1);
      return;
    }
    for (int c = 0; c < ncol; ++c) made->weights.push_back(sqlite3_value_double(argv[3 + c]));
    for (int i = 3 + ncol; i < argc; ++i) made->idf.push_back(sqlite3_value_double(argv[i]));
    sqlite3_int64 rows = 0, tokens = 0;
    if (api->xRowCount(fts, &rows) != SQLITE_OK ||
        api->xColumnTotalSize(fts, -1, &tokens) != SQLITE_OK || rows <= 0) {
      sqlite3_result_error(ctx, "engram_bm25: no row statistics", -1);
      return;
    }
    made->avgdl = static_cast<double>(tokens) / static_cast<double>(rows);
    made->freq.resize(made->idf.size());
    a = made.get();
    if (api->xSetAuxdata(fts, made.release(), DeleteScoreArgs) != SQLITE_OK) {
      sqlite3_result_error_nomem(ctx);
      return;
    }
  }
  std::fill(a->freq.begin(), a->freq.end(), 0.0);
  // The row's length: from memory when held, else FTS5's docsize lookup.
  int length = -1;
  if (a->lengths) {
    const sqlite3_int64 rowid = api->xRowid(fts);
    if (rowid >= 0 && static_cast<std::uint64_t>(rowid) < a->lengths->size()) {
      const std::uint32_t held = (*a->lengths)[static_cast<std::size_t>(rowid)];
      if (held != RowLengths::kUnknown) length = static_cast<int>(held);
    }
  }
  if (length < 0 && api->xColumnSize(fts, -1, &length) != SQLITE_OK) {
    sqlite3_result_error(ctx, "engram_bm25: cannot read the row's length", -1);
    return;
  }
  // Each scored phrase's instances in this row (the selecting phrases
  // before `first` are not read: cheaper than xInstCount over all).
  for (std::size_t i = 0; i < a->freq.size(); ++i) {
    Fts5PhraseIter iter;
    int col = 0, off = 0;
    if (api->xPhraseFirst(fts, a->first + static_cast<int>(i), &iter, &col, &off) != SQLITE_OK) {
      sqlite3_result_error(ctx, "engram_bm25: cannot read the row's instances", -1);
      return;
    }
    for (; col >= 0; api->xPhraseNext(fts, &iter, &col, &off)) {
      a->freq[i] += col < static_cast<int>(a->weights.size()) ? a->weights[col] : 1.0;
    }
  }
  const double norm = Bm25Norm(length, a->avgdl);
  double score = 0;
  for (std::size_t i = 0; i < a->freq.size(); ++i) {
    const double f = a->freq[i];
    if (f > 0) score += a->idf[i] * Bm25Factor(f, norm);
  }
  sqlite3_result_double(ctx, score);
}

double Idf(std::int64_t rows, std::int64_t hits) {
  const double idf =
      std::log((static_cast<double>(rows - hits) + 0.5) / (static_cast<double>(hits) + 0.5));
  return idf <= 0 ? 1e-6 : idf;
}

}  // namespace

Bm25TopK::Bm25TopK(Connection& conn, Bm25TopKOptions options)
    : conn_(conn), options_(options), lengths_(conn), postings_(conn, options.postings) {}

Bm25TopK::~Bm25TopK() = default;

Result<double> Bm25TopK::ScoreBound(const FtsTableSpec& t, const std::string& word, double idf,
                                    double avgdl) {
  const double loose = idf * (kBm25K1 + 1);
  auto built = bounds_built_.find(t.fts);
  if (built == bounds_built_.end()) {
    ENGRAM_ASSIGN_OR_RETURN(bool b, WordBoundsBuilt(conn_, t));
    built = bounds_built_.emplace(t.fts, b).first;
  }
  if (!built->second || avgdl <= 0) return loose;
  const std::string key = t.fts + '\x1f' + word;
  auto it = word_bounds_.find(key);
  if (it == word_bounds_.end()) {
    std::pair<double, std::int64_t> b{-1, 0};
    ENGRAM_ASSIGN_OR_RETURN(std::vector<std::string> tokens, QueryTokens(t, word));
    if (tokens.size() == 1) {
      ENGRAM_ASSIGN_OR_RETURN(std::optional<WordBound> wb, GetWordBound(conn_, t, tokens[0]));
      if (wb) b = {wb->max_tf, wb->min_len};
    }
    it = word_bounds_.emplace(key, b).first;
  }
  const auto [tf, len] = it->second;
  if (tf < 0) return loose;
  // BM25's term factor rises with the count and falls with the row length.
  return std::min(loose, idf * Bm25Factor(tf, Bm25Norm(static_cast<double>(len), avgdl)));
}

Result<std::vector<TextHit>> Bm25TopK::FullQuery(const FtsTableSpec& t,
                                                 const std::vector<std::string>& words, int limit) {
  std::vector<TextHit> out;
  const std::string match = FtsOrOfPhrases(words);
  if (match.empty()) return out;
  // The top rows first, then their ids: the join runs for `limit` rows only.
  const std::string sql = "SELECT c." + QuotedIdentifier(t.id) +
                          ", h.s FROM (SELECT rowid AS r, -bm25(" + QuotedIdentifier(t.fts) +
                          WeightArgs(t) + ") AS s FROM " + QuotedIdentifier(t.fts) + " WHERE " +
                          QuotedIdentifier(t.fts) + " MATCH ?1 ORDER BY s DESC LIMIT ?2) h " +
                          "JOIN " + QuotedIdentifier(t.content) + " c ON c." +
                          QuotedIdentifier(t.rowid) + " = h.r ORDER BY h.s DESC";
  ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_.Query(sql, match, limit));
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back({st.Text(0), st.Double(1)});
  }
}

Result<std::vector<TextHit>> Bm25TopK::IdsOf(
    const FtsTableSpec& t, const std::vector<std::pair<std::int64_t, double>>& top) {
  // One statement for all rows: their rowids as a JSON array.
  std::string rowids = "[";
  for (const auto& [rowid, score] : top) {
    rowids += (rowids.size() > 1 ? "," : "") + std::to_string(rowid);
  }
  rowids += "]";
  ENGRAM_ASSIGN_OR_RETURN(
      Statement r,
      conn_.Query("SELECT " + QuotedIdentifier(t.rowid) + ", " + QuotedIdentifier(t.id) + " FROM " +
                      QuotedIdentifier(t.content) + " WHERE " + QuotedIdentifier(t.rowid) +
                      " IN (SELECT value FROM json_each(?1))",
                  rowids));
  std::unordered_map<std::int64_t, std::string> id_of;
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, r.Step());
    if (!row) break;
    id_of.emplace(r.Int(0), r.Text(1));
  }
  std::vector<TextHit> out;
  out.reserve(top.size());
  for (const auto& [rowid, score] : top) {
    auto it = id_of.find(rowid);
    if (it == id_of.end()) {
      return Status::Corruption("full-text row " + std::to_string(rowid) + " of " + t.fts +
                                " has no " + t.content + " row");
    }
    out.push_back({it->second, score});
  }
  return out;
}

Result<std::int64_t> Bm25TopK::RowsWith(const FtsTableSpec& t, const std::string& word) {
  const std::string key = t.fts + '\x1f' + word;
  if (auto it = rows_with_.find(key); it != rows_with_.end()) return it->second;
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st, conn_.Query("SELECT count(*) FROM " + QuotedIdentifier(t.fts) + " WHERE " +
                                    QuotedIdentifier(t.fts) + " MATCH ?1",
                                FtsOrOfPhrases({word})));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  const std::int64_t n = row ? st.Int(0) : 0;
  rows_with_.emplace(key, n);
  return n;
}

Result<const std::vector<std::uint32_t>*> Bm25TopK::Lengths(const FtsTableSpec& t,
                                                            std::uint64_t rows, bool force) {
  if (!force && !lengths_.Loaded(t.fts)) {
    const bool large =
        rows > static_cast<std::uint64_t>(std::max<std::int64_t>(options_.inline_length_rows, 0));
    if (awaited_[t.fts] || (large && ++searches_[t.fts] < options_.inline_length_searches)) {
      return nullptr;
    }
  }
  ENGRAM_ASSIGN_OR_RETURN(const std::vector<std::uint32_t>* lengths, lengths_.Get(t.fts));
  if (lengths) {
    const RowLengths::Changes changes = lengths_.LastChanges(t.fts);
    ENGRAM_RETURN_IF_ERROR(postings_.Sync(t, changes.generation, *changes.rows, *lengths));
  }
  return lengths;
}

void Bm25TopK::AwaitLengths(const std::string& fts, bool on) { awaited_[fts] = on; }

Result<bool> Bm25TopK::AdoptLengths(const FtsTableSpec& t, RowLengths::Snapshot snapshot) {
  ENGRAM_ASSIGN_OR_RETURN(bool taken, lengths_.Adopt(std::move(snapshot)));
  if (!taken) return false;
  // As a search would next: the postings brought in step with them.
  ENGRAM_RETURN_IF_ERROR(Lengths(t, /*rows=*/0, /*force=*/true).status());
  return true;
}

Result<std::optional<std::vector<TextHit>>> Bm25TopK::InMemory(
    const FtsTableSpec& t, const std::vector<std::string>& words, const TextQueryOptions& options,
    const std::vector<std::uint32_t>& lengths, std::uint64_t rows, double avgdl,
    Bm25TopKStats& st) {
  // Each word must be one FTS5 token (several make a phrase).
  std::vector<std::string> tokens;
  tokens.reserve(words.size());
  for (const std::string& w : words) {
    ENGRAM_ASSIGN_OR_RETURN(std::vector<std::string> parts, QueryTokens(t, w));
    if (parts.size() != 1) return std::optional<std::vector<TextHit>>();
    tokens.push_back(std::move(parts[0]));
  }
  ENGRAM_ASSIGN_OR_RETURN(std::vector<TermPostings::List*> lists, postings_.Get(t, words, tokens));
  std::vector<ScoredWord> scored;
  for (TermPostings::List* list : lists) {
    const auto df = static_cast<std::int64_t>(list->postings.size());
    if (df == 0) continue;
    // The learned stop list: words in more than max_word_share of the rows.
    if (options.max_word_share < 1 && df > kStopListMinRows &&
        static_cast<double>(df) > options.max_word_share * static_cast<double>(rows)) {
      continue;
    }
    RefreshBound(*list, lengths, avgdl);
    const double idf = Idf(static_cast<std::int64_t>(rows), df);
    scored.push_back({&list->postings, idf, idf * list->bound_factor});
  }
  MaxScoreStats ms;
  std::optional<std::vector<std::pair<std::int64_t, double>>> top =
      MaxScoreTopK(std::move(scored), lengths, avgdl, options.limit, &ms);
  if (!top) return std::optional<std::vector<TextHit>>();
  st.in_memory = true;
  if (top->empty()) return std::optional<std::vector<TextHit>>(std::vector<TextHit>{});
  st.rounds = 1;
  st.pruned = ms.pruned;
  st.rows_scored = ms.rows_scored;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<TextHit> hits, IdsOf(t, *top));
  return std::optional<std::vector<TextHit>>(std::move(hits));
}

Result<std::vector<std::string>> Bm25TopK::QueryTokens(const FtsTableSpec& t,
                                                       const std::string& word) {
  if (!tokenizer_) {
    ENGRAM_ASSIGN_OR_RETURN(tokenizer_, FtsTokenizer::Create(conn_, t.tokenizer));
  }
  return tokenizer_->Query(word);
}

Status Bm25TopK::Register() {
  if (registered_) return Status::Ok();
  ENGRAM_RETURN_IF_ERROR(RegisterFts5Function(conn_, kScoreFunction, ScoreFunction));
  registered_ = true;
  return Status::Ok();
}

void Bm25TopK::ResetIfChanged(const std::string& change_token) {
  if (change_token == cache_token_) return;
  rows_with_.clear();
  bounds_built_.clear();
  word_bounds_.clear();
  cache_token_ = change_token;
}

Result<Bm25TopK::RowStats> Bm25TopK::ReadRowStats(const FtsTableSpec& t) {
  // FTS5's averages record: rowid 1 of <fts>_data, the row count, then
  // each column's token total, as varints.
  RowStats out;
  ENGRAM_ASSIGN_OR_RETURN(
      Statement avg,
      conn_.Query("SELECT block FROM " + QuotedIdentifier(t.fts + "_data") + " WHERE id = 1"));
  ENGRAM_ASSIGN_OR_RETURN(bool row, avg.Step());
  if (!row) return out;  // nothing indexed yet
  const std::string block = avg.Blob(0);
  std::string_view rec = block;
  if (!GetVarint(rec, out.rows)) {
    out.readable = false;
    return out;
  }
  if (out.rows == 0) return out;
  std::uint64_t tokens = 0;
  bool complete = true;
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    std::uint64_t column_tokens = 0;
    complete = complete && GetVarint(rec, column_tokens);
    tokens += column_tokens;
  }
  if (complete) out.avgdl = static_cast<double>(tokens) / static_cast<double>(out.rows);
  return out;
}

Result<std::vector<TextHit>> Bm25TopK::Search(const FtsTableSpec& t,
                                              const std::vector<std::string>& all_words,
                                              const TextQueryOptions& options,
                                              const std::string& change_token,
                                              Bm25TopKStats* stats) {
  const int limit = options.limit;
  Bm25TopKStats local;
  Bm25TopKStats& st = stats ? *stats : local;
  st = Bm25TopKStats{};
  ResetIfChanged(change_token);
  const bool every_word = options.max_word_share >= 1;
  if (all_words.empty()) return std::vector<TextHit>{};
  ENGRAM_ASSIGN_OR_RETURN(const RowStats row_stats, ReadRowStats(t));
  if (!row_stats.readable) return FullQuery(t, all_words, limit);
  if (row_stats.rows == 0) return std::vector<TextHit>{};  // nothing indexed yet
  const std::uint64_t rows = row_stats.rows;
  const double avgdl = row_stats.avgdl;
  const std::vector<std::uint32_t>* lengths = nullptr;
  bool have_lengths = false;
  if (options_.in_memory_postings && limit >= 1 && avgdl > 0) {
    ENGRAM_ASSIGN_OR_RETURN(lengths, Lengths(t, rows, /*force=*/false));
    have_lengths = true;
    if (lengths) {
      ENGRAM_ASSIGN_OR_RETURN(std::optional<std::vector<TextHit>> hits,
                              InMemory(t, all_words, options, *lengths, rows, avgdl, st));
      if (hits) return std::move(*hits);
    }
  }
  if (every_word && (all_words.size() < 2 || limit < 1)) return FullQuery(t, all_words, limit);
  // The learned stop list: words in more than max_word_share of the rows.
  std::vector<std::string> words;
  for (const std::string& w : all_words) {
    if (every_word) {
      words.push_back(w);
      continue;
    }
    ENGRAM_ASSIGN_OR_RETURN(std::int64_t n, RowsWith(t, w));
    if (n <= kStopListMinRows ||
        static_cast<double>(n) <= options.max_word_share * static_cast<double>(rows)) {
      words.push_back(w);
    }
  }
  if (words.empty()) return std::vector<TextHit>{};  // every word is frequent
  if (words.size() < 2 || limit < 1) return FullQuery(t, words, limit);
  ENGRAM_RETURN_IF_ERROR(Register());
  if (!have_lengths) {
    ENGRAM_ASSIGN_OR_RETURN(lengths, Lengths(t, rows, /*force=*/false));
  }

  const std::size_t n = words.size();
  std::vector<std::int64_t> df(n);
  std::vector<double> idf(n), bound(n);
  for (std::size_t i = 0; i < n; ++i) {
    ENGRAM_ASSIGN_OR_RETURN(df[i], RowsWith(t, words[i]));
    idf[i] = Idf(static_cast<std::int64_t>(rows), df[i]);
    ENGRAM_ASSIGN_OR_RETURN(bound[i], ScoreBound(t, words[i], idf[i], avgdl));
  }
  // Rarest first; words in no row contribute nothing and are dropped.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return df[a] < df[b]; });
  std::erase_if(order, [&](std::size_t i) { return df[i] == 0; });
  std::vector<std::string> kept;
  kept.reserve(order.size());
  for (std::size_t i : order) kept.push_back(words[i]);
  if (order.size() < 2) return FullQuery(t, kept, limit);
  std::size_t essential = 1;
  for (std::int64_t sum = df[order[0]];
       essential < order.size() && sum + df[order[essential]] <= options_.first_round_rows;
       ++essential) {
    sum += df[order[essential]];
  }

  // Score arguments: first scored phrase (?2), row lengths (?4), column
  // weights, idf per phrase (?5..); the SQL depends on the word count
  // only, so it is prepared once per count.
  std::string score_sql = "SELECT rowid, " + std::string(kScoreFunction) + "(" +
                          QuotedIdentifier(t.fts) + ", ?2, ?4, " +
                          std::to_string(t.weights.size()) + WeightArgs(t);
  for (std::size_t j = 0; j < order.size(); ++j) score_sql += ", ?" + std::to_string(5 + j);
  score_sql += ") AS s FROM " + QuotedIdentifier(t.fts) + " WHERE " + QuotedIdentifier(t.fts) +
               " MATCH ?1 ORDER BY s DESC LIMIT ?3";
  // The top `limit` (rowid, score) of the rows `match` selects, scored on
  // the phrases from `first` on.
  auto score_rows = [&](const std::string& match,
                        std::size_t first) -> Result<std::vector<std::pair<std::int64_t, double>>> {
    std::vector<std::pair<std::int64_t, double>> top;
    ENGRAM_ASSIGN_OR_RETURN(Statement q, conn_.Prepare(score_sql));
    q.Bind(match, static_cast<std::int64_t>(first), limit);
    q.BindPointer(4, lengths, kLengthsType);
    for (std::size_t j = 0; j < order.size(); ++j) {
      q.BindAt(static_cast<int>(5 + j), idf[order[j]]);
    }
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      top.emplace_back(q.Int(0), q.Double(1));
    }
    st.rows_scored += static_cast<std::int64_t>(top.size());
    return top;
  };
  while (essential < order.size()) {
    ++st.rounds;
    double rest_bound = 0;
    for (std::size_t j = essential; j < order.size(); ++j) rest_bound += bound[order[j]];
    // Rows holding an essential word, scored on every word:
    // (e1 OR e2) AND (e1 OR e2 OR f1 OR ...), phrases numbered from 0.
    const std::vector<std::string> ess(kept.begin(), kept.begin() + static_cast<long>(essential));
    const std::string match = "(" + FtsOrOfPhrases(ess) + ") AND (" + FtsOrOfPhrases(kept) + ")";
    ENGRAM_ASSIGN_OR_RETURN(auto top, score_rows(match, essential));
    // Exact when the k-th score beats every row holding frequent words only.
    const bool short_of_k = static_cast<int>(top.size()) < limit;
    if (short_of_k) {
      // Every row holding an essential word is found, fewer than k: no
      // threshold yet. Move only the rarest frequent words whose rows can
      // make up k; the next round's k-th score may prune the rest (the
      // most frequent words hold the most rows to score).
      auto have = static_cast<std::int64_t>(top.size());
      do {
        have += df[order[essential]];
        ++essential;
      } while (essential < order.size() && have < limit);
      continue;
    }
    const double theta = top.back().second;
    if (theta < rest_bound) {
      // theta bounds the true k-th from below: move the rarest frequent
      // words to the essential set until the rest's bound is under it.
      do {
        rest_bound -= bound[order[essential]];
        ++essential;
      } while (essential < order.size() && rest_bound > theta);
      continue;
    }
    st.pruned = true;
    return IdsOf(t, top);
  }
  // Every word essential: the plain OR query, scored with the idf known
  // (FTS5's bm25() would count each word's rows again, a pass over each
  // word's whole doclist).
  ++st.rounds;
  ENGRAM_ASSIGN_OR_RETURN(auto top, score_rows(FtsOrOfPhrases(kept), 0));
  return IdsOf(t, top);
}

}  // namespace engram::sqlite
