// SqliteStore: Stats, Verify, OptimizeFullText, EnablePageChecksums, Backup
// and Restore.
//
// Backup copies the live database with the online backup API into
// "<dest>.partial" and renames it to <dest> once complete, so a crash never
// leaves a half-written backup under the final name. It refuses to
// overwrite an existing non-empty file (AlreadyExists). Backup and Restore
// are refused inside RunInTransaction.
// Restore opens the source read-only, checks it (application id, schema not
// newer, VerifyDatabase) and only then copies it over the live database with
// the backup API in one step; an older schema is migrated afterwards.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "store/sqlite/checksum_vfs.h"
#include "store/sqlite/fulltext.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/page_checksum.h"
#include "store/sqlite/retry.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/verify.h"

namespace engram::sqlite {
namespace {

// The records that change with every write ChangeToken() guards: the lesson
// change log's row and the FTS5 structure records (rowid 10 of <fts>_data)
// of the lesson and episode indexes, concatenated.
Result<std::string> ContentMarks(Connection& conn) {
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st,
      conn.Query("SELECT (SELECT lineage || ':' || seq || ':' || lessons FROM lesson_change_log "
                 "WHERE id = 1), (SELECT block FROM lesson_fts_data WHERE id = 10), (SELECT "
                 "block FROM episode_fts_data WHERE id = 10)"));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Internal("no row");
  std::string out;
  for (int i = 0; i < 3; ++i) {
    const std::string part = st.OptText(i).has_value() ? st.Blob(i) : std::string();
    out += std::to_string(part.size()) + ":" + part;
  }
  return out;
}

}  // namespace

namespace {

namespace fs = std::filesystem;

// Copies database "main" of `from` into "main" of `to` in one backup step,
// retrying while either side is locked.
Status CopyDatabase(Connection& from, Connection& to, int budget_ms, std::string_view what) {
  return RetryBusy(budget_ms, what, [&]() -> Status {
    sqlite3_backup* b = sqlite3_backup_init(to.handle(), "main", from.handle(), "main");
    if (!b) return to.Error(sqlite3_errcode(to.handle()), what);
    int rc = sqlite3_backup_step(b, -1);
    int finish = sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) return to.Error(rc, what);
    if (finish != SQLITE_OK) return to.Error(finish, what);
    return Status::Ok();
  });
}

// fsync of a directory so a rename in it is durable.
void SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Sets the checksum VFS's override on database "main" of `conn` for its
// lifetime (checksum_vfs.h, kFcntlChecksumOverride).
class ChecksumOverride {
 public:
  ChecksumOverride(Connection& conn, int mode) : conn_(conn) { Set(mode); }
  ~ChecksumOverride() { Set(-1); }
  ChecksumOverride(const ChecksumOverride&) = delete;
  ChecksumOverride& operator=(const ChecksumOverride&) = delete;

 private:
  void Set(int mode) {
    sqlite3_file_control(conn_.handle(), "main", kFcntlChecksumOverride, &mode);
  }
  Connection& conn_;
};

Result<std::int64_t> Count(Connection& conn, const char* sql) {
  ENGRAM_ASSIGN_OR_RETURN(Statement st, conn.Prepare(sql));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Internal(std::string("no row from ") + sql);
  return st.Int(0);
}

}  // namespace

Result<StoreStats> SqliteStore::Stats() {
  StoreStats s;
  s.path = options_.path;
  ENGRAM_RETURN_IF_ERROR(Read("read stats", [&]() -> Status {
    struct Item {
      std::int64_t* out;
      const char* sql;
    };
    std::int64_t version = 0, page_count = 0, page_size = 0;
    const Item items[] = {
        {&version, "PRAGMA user_version"},
        {&page_count, "PRAGMA page_count"},
        {&page_size, "PRAGMA page_size"},
        {&s.episodes, "SELECT count(*) FROM episodes"},
        {&s.completed_episodes, "SELECT count(*) FROM episodes WHERE outcome_kind IS NOT NULL"},
        {&s.steps, "SELECT count(*) FROM steps"},
        {&s.lessons, "SELECT count(*) FROM lessons"},
        {&s.deprecated_lessons, "SELECT count(*) FROM lessons WHERE deprecated = 1"},
        {&s.lesson_versions, "SELECT count(*) FROM lesson_versions"},
        {&s.embeddings, "SELECT count(*) FROM lesson_embeddings"},
        {&s.kv_entries, "SELECT count(*) FROM kv"},
    };
    for (const Item& item : items) {
      ENGRAM_ASSIGN_OR_RETURN(*item.out, Count(*conn_, item.sql));
    }
    s.schema_version = static_cast<int>(version);
    s.file_bytes = page_count * page_size;
    ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Prepare("PRAGMA journal_mode"));
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) s.journal_mode = st.Text(0);
    s.page_checksums = HasPageChecksums(conn_->handle());
    return Status::Ok();
  }));
  return s;
}

Result<std::string> SqliteStore::ChangeToken() {
  std::lock_guard lock(mu_);
  ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Prepare("PRAGMA data_version"));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::string();
  const std::int64_t data_version = st.Int(0);
  if (data_version != token_data_version_) {
    // Another connection committed. What the token guards (lesson counts
    // and newest update, full-text statistics and bounds) moves only with
    // the lesson change log or a full-text index, whose records every such
    // write changes (the FTS5 structure record holds a write counter); a
    // commit of retrieval uses (RecordLessonUses on the recorder's own
    // connection) changes neither and keeps the token, so the searches'
    // caches survive it (bench/README.md, "contra").
    Result<std::string> marks = ContentMarks(*conn_);
    if (!marks.ok() || *marks != token_marks_) ++foreign_changes_;
    token_marks_ = marks.ok() ? *std::move(marks) : std::string();
    token_data_version_ = data_version;
  }
  return std::to_string(foreign_changes_) + ":" + std::to_string(write_calls_);
}

Status SqliteStore::Verify() {
  return Read("verify", [&] { return VerifyDatabase(*conn_, /*require_latest=*/true); });
}

Status SqliteStore::OptimizeFullText() {
  return Write("optimize full text", [&]() -> Status {
    std::vector<std::string> tables;
    {
      ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Query("SELECT name FROM main.sqlite_master "
                                                         "WHERE type = 'table' AND sql LIKE "
                                                         "'CREATE VIRTUAL TABLE % USING fts5(%'"));
      for (;;) {
        ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        tables.push_back(st.Text(0));
      }
    }
    for (const std::string& t : tables) {
      const std::string q = QuotedIdentifier(t);
      std::string sql = "INSERT INTO main.";
      sql += q;
      sql += "(";
      sql += q;
      sql += ") VALUES('optimize')";
      ENGRAM_RETURN_IF_ERROR(conn_->Exec(sql));
    }
    return Status::Ok();
  });
}

Status SqliteStore::EnablePageChecksums() {
  std::lock_guard lock(mu_);
  if (options_.read_only) {
    return Status::FailedPrecondition("'" + options_.path +
                                      "' is open read-only; cannot add page checksums");
  }
  if (depth_ > 0) return Status::FailedPrecondition("cannot add page checksums in a transaction");
  ENGRAM_RETURN_IF_ERROR(conn_->Exec("SELECT count(*) FROM sqlite_schema"));  // reads page 1
  if (HasPageChecksums(conn_->handle())) return Status::Ok();
  int reserve = kReservedBytes;
  sqlite3_file_control(conn_->handle(), "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
  // VACUUM copies every page with the new reserve; pages may reach the disk
  // before page 1 says so, so stamp all of them meanwhile.
  Status st;
  {
    ChecksumOverride stamp(*conn_, 1);
    st = RetryBusy(options_.busy_retry_budget_ms, "adding page checksums",
                   [&] { return conn_->Exec("VACUUM"); });
  }
  if (!st.ok()) return st;
  // Best effort: fold the rewritten pages back into the file now.
  (void)conn_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  ENGRAM_RETURN_IF_ERROR(conn_->Exec("SELECT count(*) FROM sqlite_schema"));
  if (!HasPageChecksums(conn_->handle())) {
    return Status::Internal("VACUUM of '" + options_.path + "' did not reserve checksum bytes");
  }
  return Status::Ok();
}

Status SqliteStore::Backup(const std::string& dest_path) {
  std::lock_guard lock(mu_);
  if (dest_path.empty()) return Status::InvalidArgument("backup path is empty");
  // Inside a transaction the copy would include uncommitted writes.
  if (depth_ > 0) return Status::FailedPrecondition("cannot back up inside a transaction");
  std::error_code ec;
  if (fs::exists(dest_path, ec) && fs::file_size(dest_path, ec) > 0) {
    return Status::AlreadyExists("backup destination '" + dest_path +
                                 "' exists and is not empty; refusing to overwrite it");
  }
  fs::path parent = fs::path(dest_path).parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) return Status::IOError("cannot create '" + parent.string() + "': " + ec.message());
  }
  const std::string partial = dest_path + ".partial";
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(partial + suffix, ec);
  {
    ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> dest,
                            Connection::Open(partial, false, options_.busy_timeout_ms));
    ENGRAM_RETURN_IF_ERROR(dest->Exec("PRAGMA synchronous = FULL"));
    Status st;
    {
      // The copy takes the live file's format, pages possibly before page 1.
      ChecksumOverride format(*dest, HasPageChecksums(conn_->handle()) ? 1 : 0);
      st = CopyDatabase(*conn_, *dest, options_.busy_retry_budget_ms,
                        "backing up to '" + dest_path + "'");
    }
    if (!st.ok()) {
      dest.reset();
      fs::remove(partial, ec);
      return st;
    }
  }  // closing the copy checkpoints and removes its -wal
  fs::rename(partial, dest_path, ec);
  if (ec) {
    return Status::IOError("cannot rename '" + partial + "' to '" + dest_path +
                           "': " + ec.message());
  }
  SyncDirectory(parent);
  return Status::Ok();
}

Status SqliteStore::Restore(const std::string& src_path) {
  std::lock_guard lock(mu_);
  if (options_.read_only) {
    return Status::FailedPrecondition("'" + options_.path + "' is open read-only; cannot restore");
  }
  if (depth_ > 0) return Status::FailedPrecondition("cannot restore inside a transaction");
  std::error_code ec;
  if (!fs::exists(src_path, ec)) {
    return Status::NotFound("backup '" + src_path + "' does not exist");
  }
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Connection> src,
                          Connection::Open(src_path, true, options_.busy_timeout_ms));
  ENGRAM_ASSIGN_OR_RETURN(FileIdentity id, CheckIdentity(*src));
  if (id.empty || id.schema_version < 1) {
    return Status::Corruption("'" + src_path + "' is not an engram database (no engram schema)");
  }
  ENGRAM_RETURN_IF_ERROR(VerifyDatabase(*src, /*require_latest=*/false));

  // The scorer's TEMP triggers and caches describe the database being replaced.
  bm25_.reset();
  conn_->ClearCache();
  {
    // The live file takes the backup's format, pages possibly before page 1.
    ChecksumOverride format(*conn_, HasPageChecksums(src->handle()) ? 1 : 0);
    ENGRAM_RETURN_IF_ERROR(CopyDatabase(*src, *conn_, options_.busy_retry_budget_ms,
                                        "restoring from '" + src_path + "'"));
  }
  src.reset();
  ENGRAM_RETURN_IF_ERROR(RetryBusy(options_.busy_retry_budget_ms, "setting WAL mode",
                                   [&] { return conn_->Exec("PRAGMA journal_mode = WAL"); }));
  ENGRAM_RETURN_IF_ERROR(Migrate(*conn_, LatestSchemaVersion(), options_.busy_retry_budget_ms));
  // A backup from before full-text search: index its records.
  return Write("index full text", [&] { return BackfillFullText(*conn_); });
}

}  // namespace engram::sqlite
