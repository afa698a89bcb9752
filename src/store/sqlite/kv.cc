// SqliteStore: namespaced key-value entries (table kv) with versions,
// compare-and-set and TTL. An entry whose expires_at <= now is invisible to
// get/list/CAS; expired rows are purged lazily by later puts.
#include <string>

#include "store/sqlite/column_list.h"
#include "store/sqlite/columns.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

constexpr auto kKvColumns =
    Columns("ns", "key", "value", "version", "created_at", "updated_at", "expires_at");
// Expired rows purged per put: bounds the work one put does.
constexpr int kPurgeBatch = 64;

std::string KeyIn(const std::string& ns, const std::string& key) {
  return Quoted("key", key) + " in " + Quoted("namespace", ns);
}

Result<KvEntry> KvFromRow(const Statement& st) {
  KvEntry e;
  e.ns = st.Text(kKvColumns["ns"]);
  e.key = st.Text(kKvColumns["key"]);
  ENGRAM_ASSIGN_OR_RETURN(
      e.value, ParseColumn(st.Text(kKvColumns["value"]), "value of " + KeyIn(e.ns, e.key)));
  e.version = st.Int(kKvColumns["version"]);
  e.created_at = st.Int(kKvColumns["created_at"]);
  e.updated_at = st.Int(kKvColumns["updated_at"]);
  e.expires_at = st.OptInt(kKvColumns["expires_at"]);
  return e;
}

Status WriteKv(Connection& conn, const KvEntry& e) {
  ENGRAM_ASSIGN_OR_RETURN(std::string value, DumpJson(e.value, "value of " + KeyIn(e.ns, e.key)));
  return conn
      .Run(
          "INSERT INTO kv (ns, key, value, version, created_at, updated_at, expires_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(ns, key) DO UPDATE SET value = "
          "excluded.value, version = excluded.version, created_at = excluded.created_at, "
          "updated_at = excluded.updated_at, expires_at = excluded.expires_at",
          e.ns, e.key, value, e.version, e.created_at, e.updated_at, e.expires_at)
      .status();
}

Status CheckKey(const std::string& ns, const std::string& key) {
  if (ns.empty() || key.empty()) {
    return Status::InvalidArgument("key-value namespace and key must not be empty");
  }
  return Status::Ok();
}

// The smallest string greater than every string starting with `prefix`
// (byte order), or nullopt when there is none (all 0xff bytes).
std::optional<std::string> PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

}  // namespace

Result<KvEntry> SqliteStore::KvPut(const std::string& ns, const std::string& key, const Json& value,
                                   const KvPutOptions& options, Timestamp now) {
  ENGRAM_RETURN_IF_ERROR(CheckKey(ns, key));
  if (options.ttl_ms && *options.ttl_ms <= 0) {
    return Status::InvalidArgument("ttl must be positive, got " + std::to_string(*options.ttl_ms));
  }
  if (options.expected_version && *options.expected_version < 0) {
    return Status::InvalidArgument("expected version must be >= 0");
  }
  KvEntry entry{ns, key, value, 1, now, now, std::nullopt};
  if (options.ttl_ms) entry.expires_at = now + *options.ttl_ms;
  ENGRAM_RETURN_IF_ERROR(Write("put key", [&]() -> Status {
    ENGRAM_RETURN_IF_ERROR(
        conn_
            ->Run("DELETE FROM kv WHERE rowid IN (SELECT rowid FROM kv WHERE expires_at IS NOT "
                  "NULL AND expires_at <= ? LIMIT ?)",
                  now, kPurgeBatch)
            .status());
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st, conn_->Query("SELECT version, created_at FROM kv WHERE ns = ? AND key = ? "
                                   "AND (expires_at IS NULL OR expires_at > ?)",
                                   ns, key, now));
    ENGRAM_ASSIGN_OR_RETURN(bool exists, st.Step());
    std::int64_t current = exists ? st.Int(0) : 0;
    if (options.expected_version && *options.expected_version != current) {
      return Status::FailedPrecondition(KeyIn(ns, key) + " is at version " +
                                        std::to_string(current) + ", expected " +
                                        std::to_string(*options.expected_version));
    }
    entry.version = current + 1;
    entry.created_at = exists ? st.Int(1) : now;
    return WriteKv(*conn_, entry);
  }));
  return entry;
}

Result<KvEntry> SqliteStore::KvGet(const std::string& ns, const std::string& key, Timestamp now) {
  KvEntry out;
  ENGRAM_RETURN_IF_ERROR(Read("get key", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st,
        conn_->Query("SELECT " + kKvColumns.Select() +
                         " FROM kv WHERE ns = ? AND key = ? AND (expires_at IS NULL OR "
                         "expires_at > ?)",
                     ns, key, now));
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::NotFound(KeyIn(ns, key) + " does not exist");
    ENGRAM_ASSIGN_OR_RETURN(out, KvFromRow(st));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<KvEntry>> SqliteStore::KvList(const std::string& ns, const std::string& prefix,
                                                 int limit, Timestamp now) {
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(limit, 0));
  std::optional<std::string> end = PrefixEnd(prefix);
  std::vector<KvEntry> out;
  ENGRAM_RETURN_IF_ERROR(Read("list keys", [&]() -> Status {
    out.clear();
    // Two shapes so that both use the primary key as a range.
    std::string sql = "SELECT " + kKvColumns.Select() +
                      " FROM kv WHERE ns = ?1 AND key >= ?2 AND (expires_at IS NULL OR "
                      "expires_at > ?3)" +
                      (end ? " AND key < ?5" : "") + " ORDER BY key LIMIT ?4";
    ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Query(sql, ns, prefix, now, limit));
    if (end) st.BindAt(5, *end);
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      ENGRAM_ASSIGN_OR_RETURN(KvEntry e, KvFromRow(st));
      out.push_back(std::move(e));
    }
  }));
  return out;
}

Status SqliteStore::KvDelete(const std::string& ns, const std::string& key) {
  return Write("delete key", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(std::int64_t n,
                            conn_->Run("DELETE FROM kv WHERE ns = ? AND key = ?", ns, key));
    if (n == 0) return Status::NotFound(KeyIn(ns, key) + " does not exist");
    return Status::Ok();
  });
}

Status SqliteStore::ForEachKv(const std::function<Status(const KvEntry&)>& fn) {
  return Read("read keys", [&] {
    return ForEachRow(*conn_, "SELECT " + kKvColumns.Select() + " FROM kv ORDER BY ns, key",
                      KvFromRow, fn);
  });
}

Status SqliteStore::ImportKv(const KvEntry& entry) {
  ENGRAM_RETURN_IF_ERROR(CheckKey(entry.ns, entry.key));
  if (entry.version < 1) {
    return Status::InvalidArgument(KeyIn(entry.ns, entry.key) + " version must be >= 1");
  }
  return Write("import key", [&] { return WriteKv(*conn_, entry); });
}

}  // namespace engram::sqlite
