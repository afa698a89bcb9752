#include "store/sqlite/verify.h"

#include <string>
#include <vector>

#include "store/sqlite/file_check.h"
#include "store/sqlite/migrations.h"

namespace engram::sqlite {
namespace {

constexpr std::size_t kMaxProblems = 20;

// Each query returns one row per violation, with a description in column 0.
const char* const kInvariants[] = {
    // Steps are numbered 1..n without gaps.
    "SELECT 'episode ' || episode_id || ' has steps numbered ' || min(number) || '..' || "
    "max(number) || ' but ' || count(*) || ' steps' FROM steps GROUP BY episode_id "
    "HAVING min(number) != 1 OR max(number) != count(*)",
    // JSON columns parse.
    "SELECT 'episode ' || id || ' has invalid JSON in outcome, reward, reflection or metadata' "
    "FROM episodes WHERE NOT json_valid(metadata) OR (outcome IS NOT NULL AND NOT "
    "json_valid(outcome)) OR (reward IS NOT NULL AND NOT json_valid(reward)) OR (reflection IS "
    "NOT NULL AND NOT json_valid(reflection))",
    "SELECT 'episode ' || id || ' outcome_kind ' || quote(outcome_kind) || ' does not match its "
    "outcome' FROM episodes WHERE (outcome IS NULL) != (outcome_kind IS NULL) OR (outcome IS NOT "
    "NULL AND json_valid(outcome) AND json_extract(outcome, '$.kind') IS NOT outcome_kind)",
    "SELECT 'step ' || episode_id || '#' || number || ' has invalid JSON parameters' FROM steps "
    "WHERE NOT json_valid(parameters)",
    "SELECT 'lesson ' || lesson_id || ' version ' || version || ' has invalid JSON' FROM "
    "lesson_versions WHERE NOT json_valid(lesson) OR json_extract(lesson, '$.version') IS NOT "
    "version OR json_extract(lesson, '$.id') IS NOT lesson_id",
    "SELECT 'kv ' || ns || '/' || key || ' has an invalid JSON value' FROM kv WHERE NOT "
    "json_valid(value)",
    // Lesson versions: current version == history count + 1, history 1..n.
    "SELECT 'lesson ' || l.id || ' is at version ' || l.version || ' with ' || count(v.version) "
    "|| ' history rows' FROM lessons l LEFT JOIN lesson_versions v ON v.lesson_id = l.id "
    "GROUP BY l.id HAVING l.version != count(v.version) + 1 OR coalesce(max(v.version), 0) != "
    "count(v.version)",
    "SELECT 'lesson ' || id || ' confidence ' || confidence || ' is outside [0, 1]' FROM lessons "
    "WHERE NOT (confidence >= 0 AND confidence <= 1)",
    "SELECT 'embedding ' || lesson_id || '/' || model_id || ' has ' || length(vector) || "
    "' bytes for dim ' || dim FROM lesson_embeddings WHERE dim <= 0 OR length(vector) != 4 * dim",
    "SELECT 'kv ' || ns || '/' || key || ' has version ' || version FROM kv WHERE version < 1",
};

// Appends column 0 of every row of `sql` to `problems`, skipping rows equal
// to `ok_row` (integrity_check's "ok").
Status Collect(Connection& conn, const char* sql, const char* ok_row,
               std::vector<std::string>& problems) {
  ENGRAM_ASSIGN_OR_RETURN(Statement st, conn.Prepare(sql));
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    std::string text = st.Text(0);
    if (ok_row && text == ok_row) continue;
    if (problems.size() < kMaxProblems) problems.push_back(std::move(text));
  }
}

Status Failed(const Connection& conn, const std::vector<std::string>& problems) {
  std::string msg = "'" + conn.path() + "' failed verification:";
  for (const std::string& p : problems) msg += "\n  " + p;
  if (problems.size() == kMaxProblems) msg += "\n  (further problems not listed)";
  return Status::Corruption(msg);
}

}  // namespace

Status VerifyDatabase(Connection& conn, bool require_latest) {
  // Every page of the file and of its WAL against its checksum first: a
  // read through SQLite stops at the first bad one.
  std::vector<std::string> problems;
  ENGRAM_RETURN_IF_ERROR(ScanPages(conn.path(), problems, kMaxProblems));
  if (!problems.empty()) return Failed(conn, problems);
  Result<FileIdentity> id = CheckIdentity(conn);
  if (!id.ok()) return Status::Corruption(id.status().message());
  if (id->application_id != kApplicationId || id->schema_version < 1) {
    problems.push_back("not an engram database (no application id or schema)");
  } else if (require_latest && id->schema_version != LatestSchemaVersion()) {
    problems.push_back("schema version " + std::to_string(id->schema_version) + " is not " +
                       std::to_string(LatestSchemaVersion()));
  }
  if (problems.empty()) {
    ENGRAM_RETURN_IF_ERROR(Collect(conn, "PRAGMA integrity_check(20)", "ok", problems));
  }
  if (problems.empty()) {
    // foreign_key_check returns (table, rowid, parent, fkid).
    ENGRAM_RETURN_IF_ERROR(Collect(conn,
                                   "SELECT \"table\" || ' row ' || rowid || ' references a "
                                   "missing ' || parent FROM pragma_foreign_key_check",
                                   nullptr, problems));
    for (const char* sql : kInvariants)
      ENGRAM_RETURN_IF_ERROR(Collect(conn, sql, nullptr, problems));
    if (id->schema_version >= 8) {  // the lesson change log (migration 8)
      ENGRAM_RETURN_IF_ERROR(Collect(
          conn,
          "SELECT 'the lesson change log has ' || count(*) || ' rows, not 1' FROM "
          "lesson_change_log HAVING count(*) != 1 UNION ALL SELECT 'the lesson change log "
          "counts ' || l.lessons || ' lessons, the store holds ' || (SELECT count(*) FROM "
          "lessons) FROM lesson_change_log l WHERE l.lessons != (SELECT count(*) FROM lessons)",
          nullptr, problems));
    }
  }
  if (problems.empty()) return Status::Ok();
  return Failed(conn, problems);
}

}  // namespace engram::sqlite
