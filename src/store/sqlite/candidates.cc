// SqliteStore: lesson candidates (table candidates, migration 4). A
// candidate is inserted once per fingerprint and changed only while it is
// pending; a decided candidate (approved or rejected) is never rewritten.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/column_list.h"
#include "store/sqlite/columns.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

constexpr auto kCandidateColumns =
    Columns("id", "status", "origin", "origin_ref", "fingerprint", "type", "topic", "title",
            "content", "tags", "confidence", "evidence", "rationale", "lesson_id", "decision_note",
            "created_at", "decided_at", "project");

Result<Candidate> CandidateFromRow(const Statement& st) {
  Candidate c;
  c.id = st.Text(kCandidateColumns["id"]);
  const std::string what = Quoted("candidate", c.id);
  ENGRAM_ASSIGN_OR_RETURN(
      c.status, ParseStored<CandidateStatus>(st.Text(kCandidateColumns["status"]), what + " status",
                                             ParseCandidateStatus));
  ENGRAM_ASSIGN_OR_RETURN(
      c.origin, ParseStored<CandidateOrigin>(st.Text(kCandidateColumns["origin"]), what + " origin",
                                             ParseCandidateOrigin));
  c.origin_ref = st.Text(kCandidateColumns["origin_ref"]);
  c.fingerprint = st.Text(kCandidateColumns["fingerprint"]);
  ENGRAM_ASSIGN_OR_RETURN(c.type, ParseStored<LessonType>(st.Text(kCandidateColumns["type"]),
                                                          what + " type", ParseLessonType));
  c.topic = st.Text(kCandidateColumns["topic"]);
  c.title = st.Text(kCandidateColumns["title"]);
  c.content = st.Text(kCandidateColumns["content"]);
  ENGRAM_ASSIGN_OR_RETURN(Json tags,
                          ParseColumn(st.Text(kCandidateColumns["tags"]), what + " tags"));
  if (!tags.is_array()) return Status::Corruption("stored " + what + " tags is not an array");
  for (const Json& t : tags) {
    if (!t.is_string()) return Status::Corruption("stored " + what + " tags holds a non-string");
    c.tags.push_back(t.get<std::string>());
  }
  c.confidence = st.Double(kCandidateColumns["confidence"]);
  c.evidence = st.Text(kCandidateColumns["evidence"]);
  c.rationale = st.Text(kCandidateColumns["rationale"]);
  c.lesson_id = st.OptText(kCandidateColumns["lesson_id"]);
  c.decision_note = st.Text(kCandidateColumns["decision_note"]);
  c.created_at = st.Int(kCandidateColumns["created_at"]);
  c.decided_at = st.OptInt(kCandidateColumns["decided_at"]);
  c.project = st.Text(kCandidateColumns["project"]);
  return c;
}

Status CheckCandidate(const Candidate& c) {
  if (c.id.empty()) return Status::InvalidArgument("candidate id is empty");
  if (c.fingerprint.empty()) return Status::InvalidArgument("candidate fingerprint is empty");
  if (!(c.confidence >= 0 && c.confidence <= 1)) {
    return Status::InvalidArgument("candidate confidence must be in [0, 1]");
  }
  return Status::Ok();
}

// Writes `c` (tags as JSON text) with `insert` ("INSERT", "INSERT OR
// REPLACE") and `tail` (an ON CONFLICT clause or ""); returns the changes.
Result<std::int64_t> InsertRow(Connection& conn, const Candidate& c, const std::string& tags,
                               const char* insert, const char* tail) {
  return conn.Run(std::string(insert) + " INTO candidates (" + kCandidateColumns.Select() +
                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" + tail,
                  c.id, ToString(c.status), ToString(c.origin), c.origin_ref, c.fingerprint,
                  ToString(c.type), c.topic, c.title, c.content, tags, c.confidence, c.evidence,
                  c.rationale, c.lesson_id, c.decision_note, c.created_at, c.decided_at, c.project);
}

// The stored candidate whose column `column` equals `value`, if any.
Result<std::optional<Candidate>> FindBy(Connection& conn, const char* column,
                                        const std::string& value) {
  ENGRAM_ASSIGN_OR_RETURN(Statement st, conn.Query("SELECT " + kCandidateColumns.Select() +
                                                       " FROM candidates WHERE " + column + " = ?",
                                                   value));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<Candidate>();
  ENGRAM_ASSIGN_OR_RETURN(Candidate c, CandidateFromRow(st));
  return std::optional<Candidate>(std::move(c));
}

}  // namespace

Result<std::pair<Candidate, bool>> SqliteStore::InsertCandidate(const Candidate& c) {
  ENGRAM_RETURN_IF_ERROR(CheckCandidate(c));
  ENGRAM_ASSIGN_OR_RETURN(std::string tags, DumpJson(Json(c.tags), "candidate tags"));
  std::pair<Candidate, bool> out;
  ENGRAM_RETURN_IF_ERROR(Write("insert candidate", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(std::optional<Candidate> existing,
                            FindBy(*conn_, "fingerprint", c.fingerprint));
    if (existing) {
      out = {std::move(*existing), false};
      return Status::Ok();
    }
    ENGRAM_ASSIGN_OR_RETURN(std::int64_t n,
                            InsertRow(*conn_, c, tags, "INSERT", " ON CONFLICT(id) DO NOTHING"));
    if (n == 0) return Status::AlreadyExists("candidate '" + c.id + "' already exists");
    out = {c, true};
    return Status::Ok();
  }));
  return out;
}

Result<Candidate> SqliteStore::GetCandidate(const std::string& id) {
  std::optional<Candidate> found;
  ENGRAM_RETURN_IF_ERROR(Read("get candidate", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(found, FindBy(*conn_, "id", id));
    return Status::Ok();
  }));
  if (!found) return Status::NotFound("candidate '" + id + "' not found");
  return std::move(*found);
}

Result<std::vector<Candidate>> SqliteStore::ListCandidates(const CandidateFilter& filter) {
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(filter.limit, filter.offset));
  std::optional<std::string> status, origin;
  if (filter.status) status = std::string(ToString(*filter.status));
  if (filter.origin) origin = std::string(ToString(*filter.origin));
  std::vector<Candidate> out;
  ENGRAM_RETURN_IF_ERROR(Read("list candidates", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st, conn_->Query("SELECT " + kCandidateColumns.Select() +
                                       " FROM candidates WHERE (?1 IS NULL OR status = ?1) AND "
                                       "(?2 IS NULL OR origin = ?2) AND "
                                       "(?5 IS NULL OR project = '' OR project = ?5) "
                                       "ORDER BY created_at DESC, id DESC LIMIT ?3 OFFSET ?4",
                                   status, origin, filter.limit, filter.offset, filter.project));
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      ENGRAM_ASSIGN_OR_RETURN(Candidate c, CandidateFromRow(st));
      out.push_back(std::move(c));
    }
  }));
  return out;
}

Status SqliteStore::UpdatePendingCandidate(const Candidate& c) {
  ENGRAM_RETURN_IF_ERROR(CheckCandidate(c));
  ENGRAM_ASSIGN_OR_RETURN(std::string tags, DumpJson(Json(c.tags), "candidate tags"));
  return Write("update candidate", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        std::int64_t n,
        conn_->Run("UPDATE candidates SET status = ?, type = ?, topic = ?, title = ?, "
                   "content = ?, tags = ?, confidence = ?, evidence = ?, rationale = ?, "
                   "lesson_id = ?, decision_note = ?, decided_at = ?, project = ? "
                   "WHERE id = ? AND status = 'pending'",
                   ToString(c.status), ToString(c.type), c.topic, c.title, c.content, tags,
                   c.confidence, c.evidence, c.rationale, c.lesson_id, c.decision_note,
                   c.decided_at, c.project, c.id));
    if (n == 1) return Status::Ok();
    ENGRAM_ASSIGN_OR_RETURN(std::optional<Candidate> stored, FindBy(*conn_, "id", c.id));
    if (!stored) return Status::NotFound("candidate '" + c.id + "' not found");
    return Status::FailedPrecondition("candidate '" + c.id + "' is already " +
                                      std::string(ToString(stored->status)));
  });
}

Status SqliteStore::ForEachCandidate(const std::function<Status(const Candidate&)>& fn) {
  return Read("read candidates", [&] {
    return ForEachRow(*conn_,
                      "SELECT " + kCandidateColumns.Select() + " FROM candidates ORDER BY id",
                      CandidateFromRow, fn);
  });
}

Status SqliteStore::ImportCandidate(const Candidate& c) {
  ENGRAM_RETURN_IF_ERROR(CheckCandidate(c));
  ENGRAM_ASSIGN_OR_RETURN(std::string tags, DumpJson(Json(c.tags), "candidate tags"));
  return Write("import candidate", [&]() -> Status {
    // REPLACE also removes a stored candidate with the same fingerprint.
    return InsertRow(*conn_, c, tags, "INSERT OR REPLACE", "").status();
  });
}

}  // namespace engram::sqlite
