// Verification of an engram SQLite database: every page of the file and of
// its WAL against its checksum and the WAL's frame chain (file_check.h,
// every bad page listed), SQLite's integrity_check and
// foreign_key_check plus engram's own invariants (schema identity, step
// numbers 1..n per episode, JSON columns parse, outcome kind matches the
// outcome, lesson version == history count + 1 with history 1..n,
// confidence in [0, 1], embedding blob size == 4 * dim).
//
// Used by SqliteStore::Verify on the live database and by Restore on a
// backup before it replaces anything.
//
// Thread safety: a free function over a Connection the caller serialises.
#pragma once

#include "engram/status.h"
#include "store/sqlite/db.h"

namespace engram::sqlite {

// OK, or Corruption naming the file and listing the first problems found
// (up to 20).
// `require_latest`: the schema must be the latest (else: any known version).
Status VerifyDatabase(Connection& conn, bool require_latest);

}  // namespace engram::sqlite
