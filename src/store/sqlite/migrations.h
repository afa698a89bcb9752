// Schema versions of the SQLite store and the numbered migrations between
// them (the schema itself is documented in docs/FORMATS.md).
//
// An engram database carries PRAGMA application_id = kApplicationId and
// PRAGMA user_version = its schema version; schema_migrations logs when each
// migration ran. Migration N is an ordered list of SQL statements applied in
// one BEGIN IMMEDIATE transaction that also bumps user_version to N, so a
// crash mid-migration leaves the previous version intact and several
// processes opening the same file migrate it exactly once.
//
// Thread safety: free functions over a Connection the caller serialises.
#pragma once

#include <string>
#include <vector>

#include "engram/status.h"
#include "store/sqlite/db.h"

namespace engram::sqlite {

// 'E','n','g','r': identifies engram files (PRAGMA application_id).
constexpr int kApplicationId = 0x456E6772;

struct Migration {
  int version;
  const char* name;
  std::vector<const char*> statements;
};

// Ordered by version, starting at 1 with no gaps.
const std::vector<Migration>& Migrations();

// Migration 4 (schema_learning.cc): the learning tables, by concept.
const std::vector<const char*>& PatternStatements();
const std::vector<const char*>& FeedbackStatements();
const std::vector<const char*>& CandidateStatements();
int LatestSchemaVersion();

struct FileIdentity {
  int application_id = 0;
  int schema_version = 0;
  bool empty = true;  // no tables at all (a new file)
};

// Reads application_id/user_version and whether the file has tables. Fails
// with Corruption naming the file for a non-SQLite file, a foreign SQLite
// database, or a schema newer than this binary knows (FailedPrecondition).
Result<FileIdentity> CheckIdentity(Connection& conn);

// Applies the migrations after the file's version up to `target` (tests pass
// an older target to build old files). Each waits for the write lock up to
// `budget_ms`.
Status Migrate(Connection& conn, int target, int budget_ms);

}  // namespace engram::sqlite
