// A small RAII layer over the SQLite C API, used only by SqliteStore.
//
//  - Connection owns one sqlite3* and a cache of prepared statements.
//  - Statement is a prepared statement borrowed from that cache: bind with
//    Bind(...), iterate with Step(), read columns with the typed accessors.
//    Its destructor resets it and hands it back to the cache, so a statement
//    is prepared once per connection and SQL text.
//  - Transaction is a BEGIN/COMMIT (or SAVEPOINT/RELEASE when nested) guard
//    that rolls back in its destructor unless committed.
// Every SQLite error is turned into a Status by FromSqlite (no exceptions).
// Connections open through the page checksum VFS (checksum_vfs.h); its
// SQLITE_IOERR_DATA becomes kCorruption naming the file and page.
//
// Ownership: a Statement or Transaction borrows its Connection, which must
// outlive it. Thread safety: none; the owner (SqliteStore) serialises all use
// of one Connection with its own mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engram/status.h"

namespace engram::sqlite {

// Maps a SQLite result code to engram's error categories. `context` says
// what was being done; the message includes the database file and SQLite's
// own message.
Status FromSqlite(int rc, sqlite3* db, std::string_view context);

class Statement;

class Connection {
 public:
  // Opens `path` (creating it unless read_only) and sets the busy timeout.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool read_only,
                                                  int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  // Runs one or more SQL statements that return no rows.
  Status Exec(std::string_view sql);
  // A prepared statement for `sql`, from the cache when one is free.
  Result<Statement> Prepare(std::string_view sql);
  // Prepares `sql`, binds `args` to ?1.. and returns it ready to Step().
  template <typename... Args>
  Result<Statement> Query(std::string_view sql, const Args&... args);
  // Prepares, binds and runs `sql` to completion; returns sqlite3_changes().
  template <typename... Args>
  Result<std::int64_t> Run(std::string_view sql, const Args&... args);
  // Finalizes every cached statement (e.g. after the schema was replaced).
  void ClearCache();

  Status Error(int rc, std::string_view context) const { return FromSqlite(rc, db_, context); }

 private:
  friend class Statement;
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  void Release(std::string sql, sqlite3_stmt* stmt);

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;  // free statements only
};

// `name` as a quoted SQL identifier ("name", inner quotes doubled).
std::string QuotedIdentifier(std::string_view name);

// Float32 vectors are stored as little-endian BLOBs.
std::string EncodeFloats(const std::vector<float>& v);
Result<std::vector<float>> DecodeFloats(std::string_view blob, std::int64_t dim);

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  // Bind helpers (1-based). A failed bind is reported by the next Step().
  Statement& BindAt(int i, std::int64_t v);
  Statement& BindAt(int i, int v) { return BindAt(i, static_cast<std::int64_t>(v)); }
  Statement& BindAt(int i, double v);
  Statement& BindAt(int i, std::string_view v);
  Statement& BindAt(int i, const std::string& v) { return BindAt(i, std::string_view(v)); }
  Statement& BindAt(int i, const char* v) { return BindAt(i, std::string_view(v)); }
  Statement& BindAt(int i, std::nullopt_t);
  template <typename T>
  Statement& BindAt(int i, const std::optional<T>& v) {
    return v ? BindAt(i, *v) : BindAt(i, std::nullopt);
  }
  Statement& BindBlob(int i, std::string_view bytes);
  // SQLite's pointer passing (sqlite3_bind_pointer): `p` (not owned, may be
  // null) reaches a function that asks for `type`, a static string.
  Statement& BindPointer(int i, const void* p, const char* type);
  template <typename... Args>
  Statement& Bind(const Args&... args) {
    [[maybe_unused]] int i = 0;
    (BindAt(++i, args), ...);
    return *this;
  }

  // true: a row is available; false: done.
  Result<bool> Step();
  // Steps to completion, ignoring rows.
  Status Exhaust();

  bool IsNull(int col) const;
  std::int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  std::string Blob(int col) const;
  std::optional<std::int64_t> OptInt(int col) const;
  std::optional<double> OptDouble(int col) const;
  std::optional<std::string> OptText(int col) const;

 private:
  friend class Connection;
  Statement(Connection* conn, std::string sql, sqlite3_stmt* stmt)
      : conn_(conn), sql_(std::move(sql)), stmt_(stmt) {}
  void NoteBind(int rc);

  Connection* conn_;
  std::string sql_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

template <typename... Args>
Result<Statement> Connection::Query(std::string_view sql, const Args&... args) {
  auto st = Prepare(sql);
  if (st.ok()) st->Bind(args...);
  return st;
}

template <typename... Args>
Result<std::int64_t> Connection::Run(std::string_view sql, const Args&... args) {
  ENGRAM_ASSIGN_OR_RETURN(Statement st, Query(sql, args...));
  ENGRAM_RETURN_IF_ERROR(st.Exhaust());
  return static_cast<std::int64_t>(sqlite3_changes(db_));
}

// Runs `sql` and passes each row, decoded by `decode` (a function of the
// Statement returning Result<T>), to `fn`; stops at the first error. The
// ForEach* methods of the export are built on it.
template <typename T, typename Decode>
Status ForEachRow(Connection& conn, std::string_view sql, Decode decode,
                  const std::function<Status(const T&)>& fn) {
  ENGRAM_ASSIGN_OR_RETURN(Statement st, conn.Query(sql));
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    ENGRAM_ASSIGN_OR_RETURN(T value, decode(st));
    ENGRAM_RETURN_IF_ERROR(fn(value));
  }
}

enum class TxKind { kRead, kWrite };

// BEGIN (DEFERRED for reads, IMMEDIATE for writes) or, when nested, a
// SAVEPOINT. Rolls back in the destructor unless Commit() succeeded.
class Transaction {
 public:
  // May fail with kBusy; the caller decides whether to retry.
  static Result<Transaction> Begin(Connection& conn, TxKind kind, bool nested);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  // On kBusy the transaction stays open and Commit may be called again.
  Status Commit();
  void Rollback();

 private:
  Transaction(Connection* conn, bool nested) : conn_(conn), nested_(nested) {}
  Connection* conn_;
  bool nested_;
  bool open_ = true;
};

}  // namespace engram::sqlite
