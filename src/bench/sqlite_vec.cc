#include "bench/sqlite_vec.h"

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <unordered_set>

namespace engram::bench {
namespace {

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtCloser>;

Status SqlError(sqlite3* db, const std::string& what) {
  return Status::IOError("sqlite-vec: " + what + ": " + sqlite3_errmsg(db));
}

Status Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::IOError("sqlite-vec: '" + sql + "': " + msg);
  }
  return Status::Ok();
}

Result<Stmt> Prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
    return SqlError(db, "prepare '" + sql + "'");
  }
  return Stmt(s);
}

}  // namespace

std::string DefaultSqliteVecPath() {
#ifdef ENGRAM_REPO_DIR
  return std::string(ENGRAM_REPO_DIR) + "/deps/node_modules/sqlite-vec-linux-x64/vec0.so";
#else
  return "deps/node_modules/sqlite-vec-linux-x64/vec0.so";
#endif
}

Result<SqliteVecRun> RunSqliteVec(const SqliteVecOptions& options, const Matrix& base,
                                  const Matrix& queries,
                                  const std::vector<std::vector<std::int32_t>>& truth) {
  SqliteVecRun run;
  const std::string ext =
      options.extension_path.empty() ? DefaultSqliteVecPath() : options.extension_path;
  std::error_code ec;
  if (options.queries == 0) {
    run.skipped = "--sqlite-vec-queries 0";
    return run;
  }
  if (!std::filesystem::exists(ext, ec)) {
    run.skipped = "sqlite-vec extension not found at '" + ext +
                  "' (npm ci --prefix deps, or scripts/install-model.sh)";
    return run;
  }
  std::filesystem::remove(options.db_path, ec);
  sqlite3* raw = nullptr;
  if (sqlite3_open(options.db_path.c_str(), &raw) != SQLITE_OK) {
    Db guard(raw);
    return SqlError(raw, "open '" + options.db_path + "'");
  }
  Db db(raw);
  if (sqlite3_enable_load_extension(db.get(), 1) != SQLITE_OK) {
    return Status::Unavailable("sqlite-vec: this libsqlite3 refuses sqlite3_enable_load_extension");
  }
  char* err = nullptr;
  if (sqlite3_load_extension(db.get(), ext.c_str(), nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::Unavailable("sqlite-vec: cannot load '" + ext + "': " + msg);
  }
  {
    ENGRAM_ASSIGN_OR_RETURN(Stmt s, Prepare(db.get(), "SELECT vec_version(), sqlite_version()"));
    if (sqlite3_step(s.get()) == SQLITE_ROW) {
      run.version = std::string("sqlite-vec ") +
                    reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 0)) + ", SQLite " +
                    reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 1));
    }
  }
  ENGRAM_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF"));
  ENGRAM_RETURN_IF_ERROR(Exec(db.get(), "CREATE VIRTUAL TABLE v USING vec0(embedding float[" +
                                            std::to_string(base.dim) +
                                            "] distance_metric=cosine)"));
  const auto t0 = Clock::now();
  {
    Progress bar("sqlite-vec insert", base.rows, options.progress);
    ENGRAM_ASSIGN_OR_RETURN(Stmt ins,
                            Prepare(db.get(), "INSERT INTO v(rowid, embedding) VALUES (?, ?)"));
    ENGRAM_RETURN_IF_ERROR(Exec(db.get(), "BEGIN"));
    for (std::size_t i = 0; i < base.rows; ++i) {
      auto row = base.Row(i);
      sqlite3_bind_int64(ins.get(), 1, static_cast<sqlite3_int64>(i) + 1);
      sqlite3_bind_blob(ins.get(), 2, row.data(), static_cast<int>(row.size_bytes()),
                        SQLITE_STATIC);
      if (sqlite3_step(ins.get()) != SQLITE_DONE) return SqlError(db.get(), "insert");
      sqlite3_reset(ins.get());
      if (i % 10000 == 9999) bar.Update(i + 1);
    }
    ENGRAM_RETURN_IF_ERROR(Exec(db.get(), "COMMIT"));
  }
  run.build_s = MsSince(t0) / 1000.0;
  run.file_bytes = static_cast<std::int64_t>(std::filesystem::file_size(options.db_path, ec));

  ENGRAM_ASSIGN_OR_RETURN(
      Stmt q, Prepare(db.get(),
                      "SELECT rowid, distance FROM v WHERE embedding MATCH ? AND k = 10 "
                      "ORDER BY distance"));
  auto query = [&](std::size_t i, std::vector<std::int64_t>* ids) -> Status {
    auto row = queries.Row(i);
    sqlite3_bind_blob(q.get(), 1, row.data(), static_cast<int>(row.size_bytes()), SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(q.get())) == SQLITE_ROW) {
      if (ids) ids->push_back(sqlite3_column_int64(q.get(), 0) - 1);
    }
    sqlite3_reset(q.get());
    if (rc != SQLITE_DONE) return SqlError(db.get(), "knn query");
    return Status::Ok();
  };
  const std::size_t nq = std::min(options.queries, queries.rows);
  for (std::size_t i = 0; i < std::min<std::size_t>(2, nq); ++i) {
    ENGRAM_RETURN_IF_ERROR(query(i, nullptr));
  }
  std::vector<double> ms;
  std::size_t hits = 0;
  Progress bar("sqlite-vec queries", nq, options.progress);
  for (std::size_t i = 0; i < nq; ++i) {
    std::vector<std::int64_t> ids;
    const auto s = Clock::now();
    ENGRAM_RETURN_IF_ERROR(query(i, &ids));
    ms.push_back(MsSince(s));
    if (i < truth.size()) {
      std::unordered_set<std::int64_t> want(truth[i].begin(), truth[i].end());
      for (std::int64_t id : ids) hits += want.count(id);
    }
    run.results.push_back(std::move(ids));
    bar.Update(i + 1);
  }
  run.latency = Summarize(ms);
  run.recall_at_10 = nq ? static_cast<double>(hits) / (10.0 * static_cast<double>(nq)) : 0;
  run.ran = true;
  db.reset();
  std::filesystem::remove(options.db_path, ec);
  return run;
}

}  // namespace engram::bench
