// RowLengths: every row's length in tokens (all columns) of an FTS5 table,
// held in memory so the BM25 scorer (engram_bm25, bm25_topk.cc) need not
// read it from <fts>_docsize, a B-tree search per scored row.
//
// The copy is kept current by SQLite's own signals, never by assumption:
// - Writes through this connection: TEMP triggers on <fts>_docsize note the
//   changed rowids in this instance's TEMP table (engram_fts_dirty_<n>), in
//   the writer's transaction (so a rollback takes the note back with the
//   change); the next Get re-reads those rows.
// - Writes by any other connection move PRAGMA data_version. Then, if the
//   FTS5 structure record (<fts>_data rowid 10, rewritten whenever the
//   table's index changes) differs from the one seen last, Get reloads the
//   whole table; a foreign write to other tables costs one record read.
// - Inside a write transaction rows may be uncommitted and may yet be
//   rolled back: Get returns nullptr and the scorer reads docsize itself.
// - A copy read on another connection (ReadSnapshot, e.g. by a warm-up
//   thread that must not hold the store's lock for a whole-table read) is
//   adopted only while the structure record still equals the one read with
//   it: the same index, so the same lengths.
//
// Ownership: borrows the Connection (which outlives it), creates its TEMP
// table and triggers there and drops them when destroyed (several
// instances on one connection are independent, each paying its trigger
// per written row). Thread safety:
// none; the owner serialises calls on the connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engram/status.h"
#include "store/sqlite/db.h"

namespace engram::sqlite {

// SQLite's varint, as FTS5 writes its docsize and averages records; false
// when `in` ends inside one. Consumes what it reads.
bool GetVarint(std::string_view& in, std::uint64_t& v);

struct RowLengthsStats {
  int loads = 0;    // whole-table loads
  int adopted = 0;  // snapshots adopted (Adopt)
  int reread = 0;   // rows re-read after this connection's writes
  int skipped = 0;  // Gets answered nullptr inside a write transaction
};

class RowLengths {
 public:
  // Marks a rowid whose length is not held (deleted, or beyond the table).
  static constexpr std::uint32_t kUnknown = 0xffffffffu;

  explicit RowLengths(Connection& conn);
  ~RowLengths();
  RowLengths(const RowLengths&) = delete;
  RowLengths& operator=(const RowLengths&) = delete;

  // The row lengths of FTS5 table `fts` indexed by rowid (kUnknown where
  // none is held), current for this connection's view; nullptr inside a
  // write transaction, or when the rowids are too sparse to index (more
  // than 16 slots per row). The pointer stays valid until the next Get.
  Result<const std::vector<std::uint32_t>*> Get(const std::string& fts);

  // What the last Get of `fts` changed in its copy, for caches kept in step
  // with it (TermPostings): `generation` moves on every whole-table load
  // (the first Get, another connection's write, a large batch of writes);
  // `rows` are the rowids re-read by that Get after this connection's
  // writes (none after a load). Valid until the next Get.
  struct Changes {
    std::uint64_t generation = 0;
    const std::vector<std::int64_t>* rows = nullptr;
  };
  Changes LastChanges(const std::string& fts) const;

  const RowLengthsStats& stats() const { return stats_; }

  // Whether `fts`'s lengths are held (a Get loaded them, or Adopt).
  bool Loaded(const std::string& fts) const;

  // The row lengths of `fts` as `conn` sees them, with the structure record
  // they go with; run inside one read transaction on `conn` (any
  // connection to the same file).
  struct Snapshot {
    std::string fts;
    std::string structure;
    bool usable = false;  // as for Get: false when the rowids are too sparse
    std::vector<std::uint32_t> len;
  };
  static Result<Snapshot> ReadSnapshot(Connection& conn, const std::string& fts);

  // Takes `snapshot` as its table's lengths when none are held yet and the
  // table's structure record is still the snapshot's (nothing written to
  // the index since); true when taken. Runs in the caller's read
  // transaction on this connection; false inside a write transaction.
  Result<bool> Adopt(Snapshot snapshot);

 private:
  struct Table {
    bool loaded = false;
    bool usable = false;  // false: rowids too sparse, Get answers nullptr
    std::int64_t data_version = -1;
    std::string structure;  // <fts>_data rowid 10 at the last Get
    std::vector<std::uint32_t> len;
    std::uint64_t generation = 0;       // whole-table loads so far
    std::vector<std::int64_t> changed;  // rowids re-read by the last Get
  };
  // The iterator of `fts`'s entry, made (with its triggers) when new.
  Result<std::unordered_map<std::string, Table>::iterator> Entry(const std::string& fts);
  // PRAGMA data_version and `fts`'s structure record, in that order (what
  // is recorded is never newer than what is read after it).
  Result<std::pair<std::int64_t, std::string>> Marks(const std::string& fts);
  Status EnsureTriggers(const std::string& fts);
  std::string TriggerName(const std::string& fts, const char* suffix) const;
  Status Load(const std::string& fts, Table& table);
  Status Reread(const std::string& fts, Table& table);

  Connection& conn_;
  const std::string dirty_;  // this instance's TEMP table of changed rowids
  std::unordered_map<std::string, Table> tables_;
  RowLengthsStats stats_;
};

}  // namespace engram::sqlite
