// SqliteStore: contradictions between lessons (table contradictions,
// migration 4). A pair is stored once (lesson_a < lesson_b, UNIQUE); rows
// go with their lessons (ON DELETE CASCADE).
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/column_list.h"
#include "store/sqlite/columns.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

constexpr auto kColumns = Columns("id", "lesson_a", "lesson_b", "reason", "score", "status",
                                  "winner", "created_at", "resolved_at");

Result<Contradiction> FromRow(const Statement& st) {
  Contradiction c;
  c.id = st.Text(kColumns["id"]);
  c.lesson_a = st.Text(kColumns["lesson_a"]);
  c.lesson_b = st.Text(kColumns["lesson_b"]);
  c.reason = st.Text(kColumns["reason"]);
  c.score = st.Double(kColumns["score"]);
  ENGRAM_ASSIGN_OR_RETURN(
      c.status, ParseStored<ContradictionStatus>(st.Text(kColumns["status"]),
                                                 "contradiction status", ParseContradictionStatus));
  c.winner = st.OptText(kColumns["winner"]);
  c.created_at = st.Int(kColumns["created_at"]);
  c.resolved_at = st.OptInt(kColumns["resolved_at"]);
  return c;
}

Result<Contradiction> Load(Connection& conn, const std::string& where, const std::string& a,
                           const std::string& b) {
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st,
      b.empty()
          ? conn.Query("SELECT " + kColumns.Select() + " FROM contradictions WHERE " + where, a)
          : conn.Query("SELECT " + kColumns.Select() + " FROM contradictions WHERE " + where, a,
                       b));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("contradiction '" + a + "' does not exist");
  return FromRow(st);
}

// Every row of `st`, decoded, appended to `out`.
Status AppendRows(Statement& st, std::vector<Contradiction>& out) {
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    ENGRAM_ASSIGN_OR_RETURN(Contradiction c, FromRow(st));
    out.push_back(std::move(c));
  }
}

Status CheckLessonExists(Connection& conn, const std::string& id) {
  ENGRAM_ASSIGN_OR_RETURN(Statement st, conn.Query("SELECT 1 FROM lessons WHERE id = ?", id));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("lesson '" + id + "' does not exist");
  return Status::Ok();
}

// Writes `c` with `insert` ("INSERT", "INSERT OR REPLACE") and `tail` (an
// ON CONFLICT clause or ""); returns the changes.
Result<std::int64_t> InsertRow(Connection& conn, const Contradiction& c, const char* insert,
                               const char* tail) {
  return conn.Run(std::string(insert) + " INTO contradictions (" + kColumns.Select() +
                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)" + tail,
                  c.id, c.lesson_a, c.lesson_b, c.reason, c.score, ToString(c.status), c.winner,
                  c.created_at, c.resolved_at);
}

}  // namespace

Result<std::pair<Contradiction, bool>> SqliteStore::RecordContradiction(const Contradiction& c) {
  if (c.id.empty()) return Status::InvalidArgument("contradiction id is empty");
  if (!(c.lesson_a < c.lesson_b)) {
    return Status::InvalidArgument("contradiction lessons must be ordered: lesson_a < lesson_b");
  }
  std::pair<Contradiction, bool> out;
  ENGRAM_RETURN_IF_ERROR(Write("record contradiction", [&]() -> Status {
    ENGRAM_RETURN_IF_ERROR(CheckLessonExists(*conn_, c.lesson_a));
    ENGRAM_RETURN_IF_ERROR(CheckLessonExists(*conn_, c.lesson_b));
    ENGRAM_ASSIGN_OR_RETURN(std::int64_t n,
                            InsertRow(*conn_, c, "INSERT", " ON CONFLICT DO NOTHING"));
    out.second = n > 0;
    ENGRAM_ASSIGN_OR_RETURN(out.first,
                            Load(*conn_, "lesson_a = ? AND lesson_b = ?", c.lesson_a, c.lesson_b));
    return Status::Ok();
  }));
  return out;
}

Result<Contradiction> SqliteStore::GetContradiction(const std::string& id) {
  Contradiction c;
  ENGRAM_RETURN_IF_ERROR(Read("get contradiction", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(c, Load(*conn_, "id = ?", id, ""));
    return Status::Ok();
  }));
  return c;
}

Result<std::vector<Contradiction>> SqliteStore::ListContradictions(
    std::optional<ContradictionStatus> status, int limit,
    const std::optional<std::string>& project) {
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(limit, 0));
  std::vector<Contradiction> out;
  ENGRAM_RETURN_IF_ERROR(Read("list contradictions", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st,
        conn_->Query("SELECT " + kColumns.Select() +
                         " FROM contradictions WHERE (?1 = '' OR status = ?1) "
                         "AND (?3 IS NULL OR NOT EXISTS (SELECT 1 FROM lessons l "
                         "WHERE l.id IN (lesson_a, lesson_b) AND "
                         "l.scope = 'project' AND l.project <> ?3)) "
                         "ORDER BY created_at DESC, id DESC LIMIT ?2",
                     status ? std::string(ToString(*status)) : std::string(), limit, project));
    return AppendRows(st, out);
  }));
  return out;
}

Result<std::vector<Contradiction>> SqliteStore::ContradictionsAmong(
    const std::vector<std::string>& lesson_ids) {
  std::vector<Contradiction> out;
  if (lesson_ids.size() < 2) return out;
  ENGRAM_ASSIGN_OR_RETURN(std::string ids, DumpJson(Json(lesson_ids), "lesson ids"));
  ENGRAM_RETURN_IF_ERROR(Read("contradictions among lessons", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st,
        conn_->Query("SELECT " + kColumns.Select() +
                         " FROM contradictions WHERE lesson_a IN (SELECT value FROM "
                         "json_each(?1)) AND lesson_b IN (SELECT value FROM json_each(?1)) "
                         "ORDER BY lesson_a, lesson_b",
                     ids));
    return AppendRows(st, out);
  }));
  return out;
}

Status SqliteStore::CloseContradiction(const std::string& id, ContradictionStatus status,
                                       const std::optional<std::string>& winner, Timestamp at) {
  if (status == ContradictionStatus::kOpen) {
    return Status::InvalidArgument("a contradiction is closed as resolved or dismissed");
  }
  return Write("close contradiction", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Contradiction c, Load(*conn_, "id = ?", id, ""));
    if (c.status != ContradictionStatus::kOpen) {
      return Status::FailedPrecondition("contradiction '" + id + "' is already " +
                                        std::string(ToString(c.status)));
    }
    if (winner && *winner != c.lesson_a && *winner != c.lesson_b) {
      return Status::InvalidArgument("lesson '" + *winner + "' is not part of contradiction '" +
                                     id + "'");
    }
    return conn_
        ->Run("UPDATE contradictions SET status = ?, winner = ?, resolved_at = ? WHERE id = ?",
              ToString(status), winner, at, id)
        .status();
  });
}

Status SqliteStore::ForEachContradiction(const std::function<Status(const Contradiction&)>& fn) {
  return Read("read contradictions", [&] {
    return ForEachRow(*conn_, "SELECT " + kColumns.Select() + " FROM contradictions ORDER BY id",
                      FromRow, fn);
  });
}

Status SqliteStore::ImportContradiction(const Contradiction& c) {
  if (c.id.empty()) return Status::InvalidArgument("contradiction id is empty");
  if (!(c.lesson_a < c.lesson_b)) {
    return Status::InvalidArgument("contradiction '" + c.id +
                                   "' lessons must be ordered: lesson_a < lesson_b");
  }
  if (c.winner && *c.winner != c.lesson_a && *c.winner != c.lesson_b) {
    return Status::InvalidArgument("contradiction '" + c.id + "' winner '" + *c.winner +
                                   "' is neither of its lessons");
  }
  return Write("import contradiction", [&]() -> Status {
    ENGRAM_RETURN_IF_ERROR(CheckLessonExists(*conn_, c.lesson_a));
    ENGRAM_RETURN_IF_ERROR(CheckLessonExists(*conn_, c.lesson_b));
    // REPLACE also removes a stored record of the same pair under another id.
    return InsertRow(*conn_, c, "INSERT OR REPLACE", "").status();
  });
}

}  // namespace engram::sqlite
