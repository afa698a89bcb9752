// The sqlite-vec baseline of the scale benchmark: the same vectors in a
// sqlite-vec `vec0` virtual table (exact brute-force KNN, cosine distance),
// loaded as a SQLite extension (npm package sqlite-vec-linux-x64, vec0.so)
// into the system libsqlite3 with sqlite3_load_extension, and timed on the
// same queries one at a time.
//
// Ownership: RunSqliteVec opens and closes its own connection and deletes
// its database file. Thread safety: one call at a time per database path.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/scale_data.h"
#include "bench/scale_util.h"
#include "engram/status.h"

namespace engram::bench {

// deps/node_modules/sqlite-vec-linux-x64/vec0.so under the source tree.
std::string DefaultSqliteVecPath();

struct SqliteVecRun {
  bool ran = false;
  std::string skipped;  // why it did not run (extension file absent)
  std::string version;  // vec_version() and sqlite_version()
  double build_s = 0;
  std::int64_t file_bytes = 0;
  LatencySummary latency;
  double recall_at_10 = 0;  // against `truth`
  // Top-10 row ids per timed query (for checking agreement with our exact scan).
  std::vector<std::vector<std::int64_t>> results;
};

struct SqliteVecOptions {
  std::string extension_path;  // "" = DefaultSqliteVecPath()
  std::string db_path;         // file the table is built in (removed afterwards)
  std::size_t queries = 20;    // timed queries (after 2 untimed warm-up queries)
  bool progress = false;
};

// A missing extension file gives ran = false with `skipped` saying so;
// an extension that fails to load, or SQL that fails, is an error
// (Unavailable / IOError) naming the path and SQLite's message.
Result<SqliteVecRun> RunSqliteVec(const SqliteVecOptions& options, const Matrix& base,
                                  const Matrix& queries,
                                  const std::vector<std::vector<std::int32_t>>& truth);

}  // namespace engram::bench
