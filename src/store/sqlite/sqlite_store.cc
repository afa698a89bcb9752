#include "store/sqlite/sqlite_store.h"

#include <exception>
#include <filesystem>
#include <system_error>

#include "store/sqlite/checksum_vfs.h"
#include "store/sqlite/file_check.h"
#include "store/sqlite/fulltext.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/page_checksum.h"
#include "store/sqlite/retry.h"

namespace engram {

int SqliteSchemaVersion() { return sqlite::LatestSchemaVersion(); }

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  ENGRAM_ASSIGN_OR_RETURN(auto store, sqlite::SqliteStore::Open(options));
  return std::unique_ptr<Store>(std::move(store));
}

namespace sqlite {
namespace {

// Runs `fn`, converting an escaping exception (a bug or bad_alloc) into a
// Status so none crosses the Store boundary.
Status Guarded(const std::function<Status()>& fn) {
  try {
    return fn();
  } catch (const std::exception& e) {
    return Status::Internal(std::string("unexpected exception in store: ") + e.what());
  } catch (...) {
    return Status::Internal("unexpected non-standard exception in store");
  }
}

Status SetPragma(Connection& conn, const std::string& sql, int budget_ms) {
  return RetryBusy(budget_ms, sql, [&] { return conn.Exec(sql); });
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
  namespace fs = std::filesystem;
  if (options.path.empty()) return Status::InvalidArgument("database path is empty");
  std::error_code ec;
  if (options.read_only) {
    if (!fs::exists(options.path, ec)) {
      return Status::NotFound("database '" + options.path + "' does not exist");
    }
  } else if (fs::path parent = fs::path(options.path).parent_path(); !parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) {
      return Status::IOError("cannot create directory '" + parent.string() + "': " + ec.message());
    }
  }
  // Before SQLite replays a WAL: its recovery would drop frames silently.
  ENGRAM_RETURN_IF_ERROR(CheckBeforeOpen(options.path));
  ENGRAM_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> conn,
      Connection::Open(options.path, options.read_only, options.busy_timeout_ms));
  ENGRAM_ASSIGN_OR_RETURN(FileIdentity id, CheckIdentity(*conn));
  if (!options.read_only && id.empty) {
    // A new file: every page gets a checksum (checksum_vfs.h). Applies while
    // the file has no page yet; else EnablePageChecksums below rewrites it.
    int reserve = kReservedBytes;
    sqlite3_file_control(conn->handle(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
  }
  ENGRAM_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys = ON"));
  if (options.cache_mib < 0 || options.mmap_mib < 0) {
    return Status::InvalidArgument("sqlite cache_mib and mmap_mib must be >= 0");
  }
  ENGRAM_RETURN_IF_ERROR(
      conn->Exec("PRAGMA cache_size = " + std::to_string(-1024LL * options.cache_mib)));
  // No memory-mapped reads until WarmPages has the pages in the OS cache: a
  // fault on a cold mapped page reads around it, and a first search on a
  // cold 100k store took 4.6x as long mapped (bench/README.md, "cold").
  ENGRAM_RETURN_IF_ERROR(conn->Exec("PRAGMA mmap_size = 0"));
  if (options.read_only) {
    if (id.schema_version != LatestSchemaVersion()) {
      return Status::FailedPrecondition(
          "'" + options.path + "' has schema version " + std::to_string(id.schema_version) +
          " but read-only mode needs " + std::to_string(LatestSchemaVersion()) +
          "; open it read-write once to migrate it");
    }
  } else {
    int budget = options.busy_retry_budget_ms;
    ENGRAM_RETURN_IF_ERROR(SetPragma(*conn, "PRAGMA journal_mode = WAL", budget));
    ENGRAM_RETURN_IF_ERROR(SetPragma(
        *conn,
        options.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL",
        budget));
    ENGRAM_RETURN_IF_ERROR(Migrate(*conn, LatestSchemaVersion(), budget));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(options, std::move(conn)));
  if (!options.read_only && id.empty && !HasPageChecksums(store->conn_->handle())) {
    // A file left without tables (e.g. by a crash right after creating it):
    // its rewrite is instant.
    ENGRAM_RETURN_IF_ERROR(store->EnablePageChecksums());
  }
  if (!options.read_only) {
    // Index records written before the full-text tables existed.
    bool needed = false;
    bool marked = false;
    ENGRAM_RETURN_IF_ERROR(store->Read("check full text", [&]() -> Status {
      ENGRAM_ASSIGN_OR_RETURN(needed, NeedsFullTextBackfill(*store->conn_));
      ENGRAM_ASSIGN_OR_RETURN(marked, FullTextMarkedComplete(*store->conn_));
      return Status::Ok();
    }));
    if (needed || !marked) {
      ENGRAM_RETURN_IF_ERROR(store->Write("index full text", [&]() -> Status {
        if (needed) ENGRAM_RETURN_IF_ERROR(BackfillFullText(*store->conn_));
        return MarkFullTextComplete(*store->conn_);
      }));
    }
  }
  return store;
}

Status SqliteStore::InTx(TxKind kind, bool idempotent, std::string_view what,
                         const std::function<Status()>& fn) {
  std::lock_guard lock(mu_);
  if (kind == TxKind::kWrite) ++write_calls_;  // even if it fails: a token may over-report
  if (options_.read_only) {
    if (kind == TxKind::kWrite) {
      return Status::FailedPrecondition("'" + options_.path + "' is open read-only; cannot " +
                                        std::string(what));
    }
  }
  struct Depth {
    int& d;
    explicit Depth(int& x) : d(x) { ++d; }
    ~Depth() { --d; }
  };

  if (depth_ > 0) {
    // Nested in an open transaction: reads see its snapshot directly; writes
    // get a savepoint so that a failure undoes only this call.
    if (kind == TxKind::kRead) return Guarded(fn);
    ENGRAM_ASSIGN_OR_RETURN(Transaction sp, Transaction::Begin(*conn_, kind, /*nested=*/true));
    Depth depth(depth_);
    ENGRAM_RETURN_IF_ERROR(Guarded(fn));
    return sp.Commit();
  }

  std::string label(what);
  Status body_failure;  // a kBusy from a body that must not be re-run
  Status st = RetryBusy(options_.busy_retry_budget_ms, label, [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, kind, false));
    Status body;
    {
      Depth depth(depth_);
      body = Guarded(fn);
    }
    // A COMMIT that returns BUSY leaves the transaction open; retry it alone.
    if (body.ok()) {
      body = RetryBusy(options_.busy_retry_budget_ms, label, [&] { return tx.Commit(); });
    }
    if (body.code() == ErrorCode::kBusy && !idempotent) {
      body_failure = body;  // fn already ran once: do not run it again
      return Status::Ok();
    }
    return body;  // on failure the destructor rolls back; kBusy re-runs
  });
  if (!body_failure.ok()) return body_failure;
  return st;
}

Status SqliteStore::RunInTransaction(const std::function<Status()>& fn) {
  // A read-only store has nothing to write: a snapshot is all fn can need.
  TxKind kind = options_.read_only ? TxKind::kRead : TxKind::kWrite;
  return InTx(kind, /*idempotent=*/false, "run a transaction", fn);
}

}  // namespace sqlite
}  // namespace engram
