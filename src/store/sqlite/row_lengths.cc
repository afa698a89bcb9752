#include "store/sqlite/row_lengths.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>

namespace engram::sqlite {
namespace {

// The rowid (FTS5_STRUCTURE_ROWID) of FTS5's structure record in <fts>_data.
constexpr int kStructureRowid = 10;
// Rowids beyond 16 slots per row (plus this) make the table too sparse to
// index by rowid; none is indexed beyond kMaxRowid (256 MB of lengths).
constexpr std::int64_t kSparseSlack = 65536;
constexpr std::int64_t kMaxRowid = std::int64_t{1} << 26;

std::string DocsizeTable(const std::string& fts) {
  return "main." + QuotedIdentifier(fts + "_docsize");
}

// Numbers each RowLengths' TEMP objects, so two on one connection never
// share (or drop) each other's.
std::atomic<std::uint64_t> next_instance{0};

// The sum of a docsize record's per-column token counts.
std::uint32_t TotalLength(std::string_view record) {
  std::uint64_t total = 0;
  while (!record.empty()) {
    std::uint64_t v = 0;
    if (!GetVarint(record, v)) return RowLengths::kUnknown;
    total += v;
  }
  return total < RowLengths::kUnknown ? static_cast<std::uint32_t>(total) : RowLengths::kUnknown;
}

bool Fits(std::int64_t rowid, std::int64_t rows) {
  return rowid >= 0 && rowid < kMaxRowid && rowid < 16 * (rows + 1) + kSparseSlack;
}

void Put(std::vector<std::uint32_t>& len, std::int64_t rowid, std::uint32_t value) {
  const auto at = static_cast<std::size_t>(rowid);
  if (at >= len.size()) {
    if (value == RowLengths::kUnknown) return;
    len.resize(std::max(at + 1, len.size() + len.size() / 2), RowLengths::kUnknown);
  }
  len[at] = value;
}

}  // namespace

bool GetVarint(std::string_view& in, std::uint64_t& v) {
  v = 0;
  for (int i = 0; i < 9; ++i) {
    if (in.empty()) return false;
    auto c = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    if (i == 8) {
      v = (v << 8) | c;
      return true;
    }
    v = (v << 7) | (c & 0x7f);
    if ((c & 0x80) == 0) return true;
  }
  return false;
}

RowLengths::RowLengths(Connection& conn)
    : conn_(conn), dirty_("engram_fts_dirty_" + std::to_string(next_instance++)) {}

std::string RowLengths::TriggerName(const std::string& fts, const char* suffix) const {
  // Unqualified: CREATE TEMP TRIGGER allows no schema name.
  return QuotedIdentifier(dirty_ + "_" + fts + "_" + suffix);
}

RowLengths::~RowLengths() {
  // Best effort: a failure leaves TEMP objects that die with the connection.
  for (const auto& [fts, table] : tables_) {
    for (const char* suffix : {"ai", "au", "ad"}) {
      (void)conn_.Exec("DROP TRIGGER IF EXISTS temp." + TriggerName(fts, suffix));
    }
  }
  if (!tables_.empty()) (void)conn_.Exec("DROP TABLE IF EXISTS temp." + dirty_);
}

Status RowLengths::EnsureTriggers(const std::string& fts) {
  const bool plain = !fts.empty() && std::all_of(fts.begin(), fts.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (!plain) return Status::InvalidArgument("FTS table name '" + fts + "' is not a plain name");
  // One row per changed rowid: INSERT OR IGNORE keeps the table as small as
  // the rows written since the last Get.
  const std::string note =
      " BEGIN INSERT OR IGNORE INTO " + dirty_ + " VALUES ('" + fts + "', %s.id); END";
  auto body = [&](const char* row) {
    std::string out = note;
    out.replace(out.find("%s"), 2, row);
    return out;
  };
  return conn_.Exec("CREATE TEMP TABLE IF NOT EXISTS " + dirty_ +
                    " (fts TEXT NOT NULL, id INTEGER NOT NULL, "
                    "PRIMARY KEY (fts, id)) WITHOUT ROWID;"
                    "CREATE TEMP TRIGGER IF NOT EXISTS " +
                    TriggerName(fts, "ai") + " AFTER INSERT ON " + DocsizeTable(fts) + body("new") +
                    ";"
                    "CREATE TEMP TRIGGER IF NOT EXISTS " +
                    TriggerName(fts, "au") + " AFTER UPDATE ON " + DocsizeTable(fts) + body("new") +
                    ";"
                    "CREATE TEMP TRIGGER IF NOT EXISTS " +
                    TriggerName(fts, "ad") + " AFTER DELETE ON " + DocsizeTable(fts) + body("old") +
                    ";");
}

namespace {

// Every row length of `fts` indexed by rowid, read in the caller's
// transaction on `conn`; `usable` false (and `len` empty) when the rowids
// are too sparse to index.
Status ReadAll(Connection& conn, const std::string& fts, std::vector<std::uint32_t>& len,
               bool& usable) {
  len.clear();
  std::int64_t max_rowid = -1;
  {
    ENGRAM_ASSIGN_OR_RETURN(Statement top, conn.Query("SELECT max(id) FROM " + DocsizeTable(fts)));
    ENGRAM_ASSIGN_OR_RETURN(bool has_top, top.Step());
    if (has_top && !top.IsNull(0)) max_rowid = top.Int(0);
  }
  std::int64_t rows = 0;
  if (max_rowid < kMaxRowid) {
    len.assign(static_cast<std::size_t>(max_rowid + 1), RowLengths::kUnknown);
    ENGRAM_ASSIGN_OR_RETURN(Statement st, conn.Query("SELECT id, sz FROM " + DocsizeTable(fts)));
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      const std::int64_t rowid = st.Int(0);
      ++rows;
      if (rowid >= 0 && rowid <= max_rowid) {
        len[static_cast<std::size_t>(rowid)] = TotalLength(st.Blob(1));
      }
    }
  }
  usable = max_rowid < 0 || Fits(max_rowid, rows);
  if (!usable) {
    len.clear();
    len.shrink_to_fit();
  }
  return Status::Ok();
}

// `fts`'s structure record ("" when it has none yet).
Result<std::string> StructureRecord(Connection& conn, const std::string& fts) {
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st,
      conn.Query("SELECT block FROM main." + QuotedIdentifier(fts + "_data") + " WHERE id = ?1",
                 kStructureRowid));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Blob(0) : std::string();
}

}  // namespace

Status RowLengths::Load(const std::string& fts, Table& table) {
  ++stats_.loads;
  ++table.generation;
  table.changed.clear();
  table.loaded = false;
  table.usable = false;
  ENGRAM_RETURN_IF_ERROR(conn_.Run("DELETE FROM temp." + dirty_ + " WHERE fts = ?1", fts).status());
  ENGRAM_RETURN_IF_ERROR(ReadAll(conn_, fts, table.len, table.usable));
  table.loaded = true;
  return Status::Ok();
}

Status RowLengths::Reread(const std::string& fts, Table& table) {
  std::int64_t dirty = 0;
  {
    ENGRAM_ASSIGN_OR_RETURN(
        Statement count,
        conn_.Query("SELECT count(*) FROM temp." + dirty_ + " WHERE fts = ?1", fts));
    ENGRAM_ASSIGN_OR_RETURN(bool counted, count.Step());
    if (counted) dirty = count.Int(0);
  }
  if (dirty == 0) return Status::Ok();
  // Many changed rows: one pass over the table beats a lookup per row. A
  // table too sparse to index is looked at again whenever it changes.
  if (!table.usable || dirty > static_cast<std::int64_t>(table.len.size() / 8) + 1024) {
    return Load(fts, table);
  }
  {
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st, conn_.Query("SELECT d.id, s.sz FROM temp." + dirty_ + " d LEFT JOIN " +
                                      DocsizeTable(fts) + " s ON s.id = d.id WHERE d.fts = ?1",
                                  fts));
    const auto rows = static_cast<std::int64_t>(table.len.size());
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      ++stats_.reread;
      const std::int64_t rowid = st.Int(0);
      table.changed.push_back(rowid);
      if (!table.usable) continue;  // stays so until the next Load
      if (!Fits(rowid, rows)) {
        table.usable = false;
        table.len.clear();
        continue;
      }
      Put(table.len, rowid, st.IsNull(1) ? kUnknown : TotalLength(st.Blob(1)));
    }
  }
  return conn_.Run("DELETE FROM temp." + dirty_ + " WHERE fts = ?1", fts).status();
}

Result<std::unordered_map<std::string, RowLengths::Table>::iterator> RowLengths::Entry(
    const std::string& fts) {
  auto [it, fresh] = tables_.try_emplace(fts);
  if (fresh) {
    Status made = EnsureTriggers(fts);
    if (!made.ok()) {
      tables_.erase(it);
      return made;
    }
  }
  return it;
}

Result<std::pair<std::int64_t, std::string>> RowLengths::Marks(const std::string& fts) {
  ENGRAM_ASSIGN_OR_RETURN(Statement dv, conn_.Prepare("PRAGMA data_version"));
  ENGRAM_ASSIGN_OR_RETURN(bool has_dv, dv.Step());
  const std::int64_t data_version = has_dv ? dv.Int(0) : -1;
  ENGRAM_ASSIGN_OR_RETURN(std::string structure, StructureRecord(conn_, fts));
  return std::make_pair(data_version, std::move(structure));
}

Result<const std::vector<std::uint32_t>*> RowLengths::Get(const std::string& fts) {
  if (sqlite3_txn_state(conn_.handle(), "main") == SQLITE_TXN_WRITE) {
    ++stats_.skipped;
    return nullptr;
  }
  ENGRAM_ASSIGN_OR_RETURN(auto it, Entry(fts));
  Table& table = it->second;
  table.changed.clear();
  // data_version first, then the structure record, then the rows: what is
  // recorded is never newer than what was read.
  ENGRAM_ASSIGN_OR_RETURN(auto marks, Marks(fts));
  auto& [data_version, structure] = marks;
  // Another connection wrote: if this table's index changed, reload it all.
  const bool foreign = data_version != table.data_version && structure != table.structure;
  if (!table.loaded || foreign) {
    ENGRAM_RETURN_IF_ERROR(Load(fts, table));
  } else {
    ENGRAM_RETURN_IF_ERROR(Reread(fts, table));
  }
  table.data_version = data_version;
  table.structure = std::move(structure);
  return table.usable ? &table.len : nullptr;
}

bool RowLengths::Loaded(const std::string& fts) const {
  auto it = tables_.find(fts);
  return it != tables_.end() && it->second.loaded;
}

Result<RowLengths::Snapshot> RowLengths::ReadSnapshot(Connection& conn, const std::string& fts) {
  Snapshot out;
  out.fts = fts;
  ENGRAM_ASSIGN_OR_RETURN(out.structure, StructureRecord(conn, fts));
  ENGRAM_RETURN_IF_ERROR(ReadAll(conn, fts, out.len, out.usable));
  return out;
}

Result<bool> RowLengths::Adopt(Snapshot snapshot) {
  if (sqlite3_txn_state(conn_.handle(), "main") == SQLITE_TXN_WRITE) return false;
  if (Loaded(snapshot.fts)) return false;
  ENGRAM_ASSIGN_OR_RETURN(auto marks, Marks(snapshot.fts));
  auto& [data_version, structure] = marks;
  if (structure != snapshot.structure) return false;  // the index moved on since
  ENGRAM_ASSIGN_OR_RETURN(auto it, Entry(snapshot.fts));
  Table& table = it->second;
  // Writes through this connection before now are in the snapshot (the
  // structure record would differ otherwise): no row is dirty.
  ENGRAM_RETURN_IF_ERROR(
      conn_.Run("DELETE FROM temp." + dirty_ + " WHERE fts = ?1", snapshot.fts).status());
  ++stats_.adopted;
  ++table.generation;
  table.changed.clear();
  table.loaded = true;
  table.usable = snapshot.usable;
  table.len = std::move(snapshot.len);
  table.data_version = data_version;
  table.structure = std::move(structure);
  return true;
}

RowLengths::Changes RowLengths::LastChanges(const std::string& fts) const {
  static const std::vector<std::int64_t> kNone;
  auto it = tables_.find(fts);
  if (it == tables_.end()) return {0, &kNone};
  return {it->second.generation, &it->second.changed};
}

}  // namespace engram::sqlite
