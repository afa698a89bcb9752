// SqliteStore: lesson candidates (table candidates, migration 4). A
// candidate is inserted once per fingerprint and changed only while it is
// pending; a decided candidate (approved or rejected) is never rewritten.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/columns.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

constexpr const char* kCandidateColumns =
    "id, status, origin, origin_ref, fingerprint, type, topic, title, content, tags, "
    "confidence, evidence, rationale, lesson_id, decision_note, created_at, decided_at, project";

Result<Candidate> CandidateFromRow(const Statement& st) {
  Candidate c;
  c.id = st.Text(0);
  const std::string what = "candidate '" + c.id + "'";
  ENGRAM_ASSIGN_OR_RETURN(
      c.status, ParseStored<CandidateStatus>(st.Text(1), what + " status", ParseCandidateStatus));
  ENGRAM_ASSIGN_OR_RETURN(
      c.origin, ParseStored<CandidateOrigin>(st.Text(2), what + " origin", ParseCandidateOrigin));
  c.origin_ref = st.Text(3);
  c.fingerprint = st.Text(4);
  ENGRAM_ASSIGN_OR_RETURN(c.type,
                          ParseStored<LessonType>(st.Text(5), what + " type", ParseLessonType));
  c.topic = st.Text(6);
  c.title = st.Text(7);
  c.content = st.Text(8);
  ENGRAM_ASSIGN_OR_RETURN(Json tags, ParseColumn(st.Text(9), what + " tags"));
  if (!tags.is_array()) return Status::Corruption("stored " + what + " tags is not an array");
  for (const Json& t : tags) {
    if (!t.is_string()) return Status::Corruption("stored " + what + " tags holds a non-string");
    c.tags.push_back(t.get<std::string>());
  }
  c.confidence = st.Double(10);
  c.evidence = st.Text(11);
  c.rationale = st.Text(12);
  c.lesson_id = st.OptText(13);
  c.decision_note = st.Text(14);
  c.created_at = st.Int(15);
  c.decided_at = st.OptInt(16);
  c.project = st.Text(17);
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
  return conn.Run(std::string(insert) + " INTO candidates (" + kCandidateColumns +
                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" + tail,
                  c.id, ToString(c.status), ToString(c.origin), c.origin_ref, c.fingerprint,
                  ToString(c.type), c.topic, c.title, c.content, tags, c.confidence, c.evidence,
                  c.rationale, c.lesson_id, c.decision_note, c.created_at, c.decided_at, c.project);
}

// The stored candidate whose column `column` equals `value`, if any.
Result<std::optional<Candidate>> FindBy(Connection& conn, const char* column,
                                        const std::string& value) {
  ENGRAM_ASSIGN_OR_RETURN(Statement st, conn.Query(std::string("SELECT ") + kCandidateColumns +
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
        Statement st, conn_->Query(std::string("SELECT ") + kCandidateColumns +
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
                      std::string("SELECT ") + kCandidateColumns + " FROM candidates ORDER BY id",
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
