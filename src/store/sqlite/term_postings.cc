#include "store/sqlite/term_postings.h"

#include <sqlite3.h>

#include <algorithm>
#include <tuple>
#include <utility>

#include "core/code_tokens.h"
#include "store/sqlite/bm25_topk.h"
#include "store/sqlite/row_lengths.h"

namespace engram::sqlite {
namespace {

// engram_postings(fts, target): walks the doclist of each phrase of the
// MATCH expression (xQueryPhrase) into target's lists. The query selects
// one row (LIMIT 1), so it runs once; no row matched means no postings.
constexpr char kPostingsFunction[] = "engram_postings";
constexpr char kTargetType[] = "engram_postings_target";

double WeightOf(const FtsTableSpec& t, std::size_t column) {
  return column < t.weights.size() ? t.weights[column] : 1.0;
}

struct LoadTarget {
  const FtsTableSpec* spec = nullptr;
  std::vector<std::vector<Posting>>* lists = nullptr;
  bool out_of_range = false;  // a rowid beyond 32 bits
};

struct PhraseTarget {
  LoadTarget* load;
  std::vector<Posting>* list;
};

// xQueryPhrase's callback: one row of the phrase (phrase 0 of `fts`).
int CollectRow(const Fts5ExtensionApi* api, Fts5Context* fts, void* user) {
  auto* t = static_cast<PhraseTarget*>(user);
  const sqlite3_int64 rowid = api->xRowid(fts);
  if (rowid < 0 || rowid > sqlite3_int64{0xffffffff}) {
    t->load->out_of_range = true;
    return SQLITE_ERROR;
  }
  double weight = 0;
  Fts5PhraseIter iter;
  int col = 0, off = 0;
  const int rc = api->xPhraseFirst(fts, 0, &iter, &col, &off);
  if (rc != SQLITE_OK) return rc;
  for (; col >= 0; api->xPhraseNext(fts, &iter, &col, &off)) {
    weight += WeightOf(*t->load->spec, static_cast<std::size_t>(col));
  }
  t->list->push_back({static_cast<std::uint32_t>(rowid), static_cast<float>(weight)});
  return SQLITE_OK;
}

void PostingsFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
                      sqlite3_value** argv) {
  auto* target =
      argc == 1 ? static_cast<LoadTarget*>(sqlite3_value_pointer(argv[0], kTargetType)) : nullptr;
  if (!target || static_cast<std::size_t>(api->xPhraseCount(fts)) != target->lists->size()) {
    sqlite3_result_error(ctx, "engram_postings: needs its target, one list per phrase", -1);
    return;
  }
  for (std::size_t i = 0; i < target->lists->size(); ++i) {
    PhraseTarget phrase{target, &(*target->lists)[i]};
    phrase.list->clear();
    const int rc = api->xQueryPhrase(fts, static_cast<int>(i), &phrase, CollectRow);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
  }
  sqlite3_result_null(ctx);
}

bool RowLess(const Posting& a, const Posting& b) { return a.row < b.row; }
bool RowBefore(const Posting& p, std::uint32_t row) { return p.row < row; }

// Sorts `p` by row and merges a row's postings (xQueryPhrase walks rows in
// order: this only guards the assumption).
void SortByRow(std::vector<Posting>& p) {
  if (std::is_sorted(p.begin(), p.end(), RowLess)) return;
  std::stable_sort(p.begin(), p.end(), RowLess);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (kept > 0 && p[kept - 1].row == p[i].row) {
      p[kept - 1].weight += p[i].weight;
    } else {
      p[kept++] = p[i];
    }
  }
  p.resize(kept);
}

}  // namespace

TermPostings::TermPostings(Connection& conn, TermPostingsOptions options)
    : conn_(conn), options_(options) {}

TermPostings::~TermPostings() = default;

void TermPostings::Drop(Table& table) {
  if (table.lists.empty()) return;
  ++stats_.tables_dropped;
  for (const auto& [token, list] : table.lists) held_ -= list.postings.size();
  table.lists.clear();
}

Status TermPostings::Sync(const FtsTableSpec& spec, std::uint64_t generation,
                          const std::vector<std::int64_t>& changed_rows,
                          const std::vector<std::uint32_t>& lengths) {
  Table& table = tables_[spec.fts];
  if (table.generation != generation) {
    Drop(table);
    table.generation = generation;
  } else if (!changed_rows.empty() && !table.lists.empty()) {
    if (changed_rows.size() > options_.max_patched_rows) {
      Drop(table);
    } else {
      // A row's text as FTS5 indexed it: the content table's columns.
      std::string select_text;
      for (const std::string& c : spec.columns) {
        select_text += (select_text.empty() ? "SELECT " : ", ") + QuotedIdentifier(c);
      }
      select_text += " FROM main." + QuotedIdentifier(spec.content) + " WHERE " +
                     QuotedIdentifier(spec.rowid) + " = ?1";
      for (std::int64_t row : changed_rows) {
        const bool deleted = row < 0 || static_cast<std::uint64_t>(row) >= lengths.size() ||
                             lengths[static_cast<std::size_t>(row)] == RowLengths::kUnknown;
        Status patched = Patch(spec, table, row, deleted, select_text);
        if (!patched.ok()) {
          Drop(table);  // the lists would be wrong: read them again when used
          return patched;
        }
      }
    }
  }
  Evict();
  return Status::Ok();
}

Status TermPostings::Patch(const FtsTableSpec& spec, Table& table, std::int64_t row, bool deleted,
                           const std::string& select_text) {
  ++stats_.rows_patched;
  const auto at = static_cast<std::uint32_t>(row);
  for (auto& [token, list] : table.lists) {
    auto it = std::lower_bound(list.postings.begin(), list.postings.end(), at, RowBefore);
    if (it != list.postings.end() && it->row == at) {
      list.postings.erase(it);
      list.bound_avgdl = -1;
      --held_;
    }
  }
  if (deleted) return Status::Ok();
  ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_.Query(select_text, row));
  ENGRAM_ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found) {
    return Status::Corruption("full-text row " + std::to_string(row) + " of " + spec.fts +
                              " has no " + spec.content + " row");
  }
  if (!table.tokenizer) {
    ENGRAM_ASSIGN_OR_RETURN(table.tokenizer, FtsTokenizer::Create(conn_, spec.tokenizer));
  }
  // Weighted counts of the row's tokens that have a cached list.
  std::unordered_map<std::string, double> weight;
  for (std::size_t c = 0; c < spec.columns.size(); ++c) {
    const double w = WeightOf(spec, c);
    std::string token;
    ENGRAM_RETURN_IF_ERROR(table.tokenizer->Document(
        st.IsNull(static_cast<int>(c)) ? "" : st.Text(static_cast<int>(c)),
        [&](std::string_view t) {
          token.assign(t);
          if (table.lists.count(token) != 0) weight[token] += w;
        }));
  }
  for (const auto& [token, w] : weight) {
    List& list = table.lists[token];
    auto it = std::lower_bound(list.postings.begin(), list.postings.end(), at, RowBefore);
    list.postings.insert(it, Posting{at, static_cast<float>(w)});
    list.bound_avgdl = -1;
    ++held_;
  }
  return Status::Ok();
}

Status TermPostings::Load(const FtsTableSpec& spec, const std::vector<std::string>& words,
                          const std::vector<List*>& out) {
  if (!registered_) {
    ENGRAM_RETURN_IF_ERROR(RegisterFts5Function(conn_, kPostingsFunction, PostingsFunction));
    registered_ = true;
  }
  stats_.lists_loaded += static_cast<std::int64_t>(words.size());
  std::vector<std::vector<Posting>> lists(words.size());
  LoadTarget target{&spec, &lists};
  const std::string fts = QuotedIdentifier(spec.fts);
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st, conn_.Prepare("SELECT " + std::string(kPostingsFunction) + "(" + fts +
                                  ", ?2) FROM " + fts + " WHERE " + fts + " MATCH ?1 LIMIT 1"));
  st.Bind(FtsOrOfPhrases(words));
  st.BindPointer(2, &target, kTargetType);
  Status ran = st.Exhaust();
  if (target.out_of_range) {
    return Status::Corruption("a full-text rowid of " + spec.fts + " is beyond 32 bits");
  }
  ENGRAM_RETURN_IF_ERROR(ran);
  for (std::size_t i = 0; i < words.size(); ++i) {
    SortByRow(lists[i]);
    lists[i].shrink_to_fit();
    held_ += lists[i].size();
    out[i]->postings = std::move(lists[i]);
    out[i]->bound_avgdl = -1;
  }
  return Status::Ok();
}

Result<std::vector<TermPostings::List*>> TermPostings::Get(const FtsTableSpec& spec,
                                                           const std::vector<std::string>& words,
                                                           const std::vector<std::string>& tokens) {
  Table& table = tables_[spec.fts];
  std::vector<List*> out;
  std::vector<std::string> missing_words, missing_tokens;
  std::vector<List*> missing;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    auto [it, fresh] = table.lists.try_emplace(tokens[i]);
    if (fresh) {
      missing_words.push_back(words[i]);
      missing_tokens.push_back(tokens[i]);
      missing.push_back(&it->second);
    }
    it->second.last_used = ++clock_;
    out.push_back(&it->second);
  }
  if (!missing.empty()) {
    Status loaded = Load(spec, missing_words, missing);
    if (!loaded.ok()) {  // forget the lists not read
      for (const std::string& token : missing_tokens) {
        auto it = table.lists.find(token);
        held_ -= it->second.postings.size();
        table.lists.erase(it);
      }
      return loaded;
    }
  }
  return out;
}

void TermPostings::Evict() {
  if (held_ <= options_.max_postings) return;
  // Least recently used first, over every table's lists.
  std::vector<std::tuple<std::uint64_t, Table*, const std::string*>> lru;
  for (auto& [fts, table] : tables_) {
    for (const auto& [token, list] : table.lists) lru.emplace_back(list.last_used, &table, &token);
  }
  std::sort(lru.begin(), lru.end(),
            [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
  for (const auto& [used, table, token] : lru) {
    if (held_ <= options_.max_postings) break;
    auto it = table->lists.find(*token);
    held_ -= it->second.postings.size();
    table->lists.erase(it);
    ++stats_.lists_evicted;
  }
}

}  // namespace engram::sqlite
