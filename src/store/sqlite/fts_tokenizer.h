// FtsTokenizer: FTS5's own tokenizer ("porter unicode61", as the full-text
// tables declare it), callable from C++ so that engram can count a row's
// tokens exactly as FTS5 indexes them (WordBounds) and map a query word to
// the token FTS5 looks up.
//
// Ownership: owns one tokenizer instance made through the connection's
// fts5_api; the Connection must outlive it. Thread safety: none (use under
// the store's mutex, like the Connection).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engram/status.h"
#include "store/sqlite/db.h"

namespace engram::sqlite {

class FtsTokenizer {
 public:
  // `spec`: the tokenize= argument split on spaces, e.g. {"porter",
  // "unicode61"}. Unavailable when SQLite has no FTS5 API or no such tokenizer.
  static Result<std::unique_ptr<FtsTokenizer>> Create(Connection& conn,
                                                      const std::vector<std::string>& spec);
  ~FtsTokenizer();
  FtsTokenizer(const FtsTokenizer&) = delete;
  FtsTokenizer& operator=(const FtsTokenizer&) = delete;

  // Calls `fn` with each token of `text` that FTS5 counts in a column's size
  // (colocated synonyms are skipped), as a document is indexed.
  Status Document(std::string_view text, const std::function<void(std::string_view)>& fn);
  // The tokens of `text` as a query phrase is tokenized.
  Result<std::vector<std::string>> Query(std::string_view text);

 private:
  struct Impl;
  explicit FtsTokenizer(std::unique_ptr<Impl> impl);
  Status Run(int flags, std::string_view text, const std::function<void(std::string_view)>& fn);
  std::unique_ptr<Impl> impl_;
};

// The connection's fts5_api (null when SQLite was built without FTS5).
fts5_api* Fts5Api(Connection& conn);

// Registers FTS5 auxiliary function `name` on the connection (Unavailable
// without an FTS5 extension API of version 2 or later).
Status RegisterFts5Function(Connection& conn, const char* name, fts5_extension_function fn);

}  // namespace engram::sqlite
