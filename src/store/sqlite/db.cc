#include "store/sqlite/db.h"

#include <bit>
#include <utility>

#include "store/sqlite/checksum_vfs.h"

namespace engram::sqlite {

Status FromSqlite(int rc, sqlite3* db, std::string_view context) {
  std::string msg(context);
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  if (file && *file) msg += std::string(" [") + file + "]";
  msg += ": ";
  // sqlite3_errmsg describes the most recent failure on `db`; fall back to
  // the generic text for the code when there is no handle.
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (rc == SQLITE_IOERR_DATA) {  // the page checksum VFS (checksum_vfs.h)
    std::string what = TakeChecksumFailure();
    std::string where(context);
    if (file && *file) where += std::string(" [") + file + "]";
    return Status::Corruption(where + ": " +
                              (what.empty() ? std::string(sqlite3_errstr(rc)) : what));
  }
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return Status::Internal("unexpected success code treated as error: " + msg);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Busy(msg);
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE) {
        return Status::AlreadyExists(msg);
      }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return Status::NotFound(msg);
      return Status::InvalidArgument(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_FORMAT:
      return Status::Corruption(msg);
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
      return Status::IOError(msg);
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      return Status::InvalidArgument(msg);
    default:
      return Status::Internal(msg);
  }
}

// --- Connection ---

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool read_only,
                                                     int busy_timeout_ms) {
  sqlite3* db = nullptr;
  // NOMUTEX: the owner serialises access. EXRESCODE: extended error codes.
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  ENGRAM_ASSIGN_OR_RETURN(const char* vfs, ChecksumVfsName());
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs);
  if (rc != SQLITE_OK) {
    Status st = FromSqlite(rc, db, "cannot open database '" + path + "'");
    sqlite3_close_v2(db);
    return st;
  }
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Connection>(new Connection(db, path));
}

Connection::~Connection() {
  ClearCache();
  sqlite3_close_v2(db_);
}

void Connection::ClearCache() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  cache_.clear();
}

Status Connection::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return Error(rc, "executing SQL");
  return Status::Ok();
}

Result<Statement> Connection::Prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = cache_.find(key); it != cache_.end()) {
    sqlite3_stmt* stmt = it->second;
    cache_.erase(it);
    return Statement(this, std::move(key), stmt);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(rc, "preparing SQL");
  }
  return Statement(this, std::move(key), stmt);
}

void Connection::Release(std::string sql, sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  // A statement used re-entrantly (the same SQL borrowed twice) leaves a
  // second copy; keep one and finalize the other.
  auto [it, inserted] = cache_.emplace(std::move(sql), stmt);
  if (!inserted) sqlite3_finalize(stmt);
}

// --- Statement ---

Statement::Statement(Statement&& other) noexcept
    : conn_(other.conn_),
      sql_(std::move(other.sql_)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_) conn_->Release(std::move(sql_), stmt_);
}

void Statement::NoteBind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

Statement& Statement::BindAt(int i, std::int64_t v) {
  NoteBind(sqlite3_bind_int64(stmt_, i, v));
  return *this;
}
Statement& Statement::BindAt(int i, double v) {
  NoteBind(sqlite3_bind_double(stmt_, i, v));
  return *this;
}
Statement& Statement::BindAt(int i, std::string_view v) {
  NoteBind(sqlite3_bind_text64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}
Statement& Statement::BindAt(int i, std::nullopt_t) {
  NoteBind(sqlite3_bind_null(stmt_, i));
  return *this;
}
Statement& Statement::BindBlob(int i, std::string_view bytes) {
  NoteBind(sqlite3_bind_blob64(stmt_, i, bytes.data(), bytes.size(), SQLITE_TRANSIENT));
  return *this;
}

std::string QuotedIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Statement& Statement::BindPointer(int i, const void* p, const char* type) {
  // SQLite never writes through the pointer; the function casts it back.
  NoteBind(sqlite3_bind_pointer(stmt_, i, const_cast<void*>(p), type, nullptr));
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) return conn_->Error(bind_rc_, "binding a parameter");
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return conn_->Error(rc, "running SQL");
}

Status Statement::Exhaust() {
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}
std::string Statement::Blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
           : std::string();
}
std::optional<std::int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}
std::optional<double> Statement::OptDouble(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Double(col);
}
std::optional<std::string> Statement::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

// --- float vectors ---

std::string EncodeFloats(const std::vector<float>& v) {
  std::string out(v.size() * 4, '\0');
  for (std::size_t i = 0; i < v.size(); ++i) {
    auto bits = std::bit_cast<std::uint32_t>(v[i]);
    for (int b = 0; b < 4; ++b) out[i * 4 + b] = static_cast<char>((bits >> (8 * b)) & 0xff);
  }
  return out;
}

Result<std::vector<float>> DecodeFloats(std::string_view blob, std::int64_t dim) {
  if (dim <= 0 || blob.size() != static_cast<std::size_t>(dim) * 4) {
    return Status::Corruption("embedding blob of " + std::to_string(blob.size()) +
                              " bytes does not hold " + std::to_string(dim) + " float32 values");
  }
  std::vector<float> v(static_cast<std::size_t>(dim));
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::uint32_t bits = 0;
    for (int b = 0; b < 4; ++b) {
      bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(blob[i * 4 + b])) << (8 * b);
    }
    v[i] = std::bit_cast<float>(bits);
  }
  return v;
}

// --- Transaction ---

Result<Transaction> Transaction::Begin(Connection& conn, TxKind kind, bool nested) {
  const char* sql = nested                   ? "SAVEPOINT engram_nested"
                    : kind == TxKind::kWrite ? "BEGIN IMMEDIATE"
                                             : "BEGIN DEFERRED";
  int rc = sqlite3_exec(conn.handle(), sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return conn.Error(rc, "starting a transaction");
  return Transaction(&conn, nested);
}

Transaction::Transaction(Transaction&& other) noexcept
    : conn_(other.conn_), nested_(other.nested_), open_(std::exchange(other.open_, false)) {}

Transaction::~Transaction() { Rollback(); }

Status Transaction::Commit() {
  if (!open_) return Status::Internal("commit of a finished transaction");
  const char* sql = nested_ ? "RELEASE engram_nested" : "COMMIT";
  int rc = sqlite3_exec(conn_->handle(), sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    Status st = conn_->Error(rc, "committing");
    // After a failed COMMIT other than BUSY, SQLite may already have rolled
    // back; the destructor's rollback is then a harmless no-op.
    return st;
  }
  open_ = false;
  return Status::Ok();
}

void Transaction::Rollback() {
  if (!open_) return;
  open_ = false;
  // Rollback of a savepoint leaves it on the stack; RELEASE pops it.
  const char* sql = nested_ ? "ROLLBACK TO engram_nested; RELEASE engram_nested" : "ROLLBACK";
  // A ROLLBACK can only fail if there is no transaction (already rolled back
  // by SQLite after an I/O error); nothing else to do then.
  sqlite3_exec(conn_->handle(), sql, nullptr, nullptr, nullptr);
}

}  // namespace engram::sqlite
