// SqliteStore: feedback events on lessons, patterns and heuristics (table
// feedback, migration 4). Events are append-only: recording never rewrites
// an earlier event (only an import replaces one, by id).
#include <string>
#include <vector>

#include "store/sqlite/column_list.h"
#include "store/sqlite/columns.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

Status CheckTarget(const std::string& target_id) {
  if (target_id.empty()) return Status::InvalidArgument("feedback target id is empty");
  return Status::Ok();
}

Status CheckUnit(const std::optional<double>& v, const char* what) {
  if (v && !(*v >= 0 && *v <= 1)) {
    return Status::InvalidArgument(std::string("feedback ") + what + " must be in [0, 1]");
  }
  return Status::Ok();
}

Status CheckEvent(const FeedbackEvent& e) {
  if (e.id.empty()) return Status::InvalidArgument("feedback id is empty");
  ENGRAM_RETURN_IF_ERROR(CheckTarget(e.target_id));
  ENGRAM_RETURN_IF_ERROR(CheckUnit(e.before, "before"));
  return CheckUnit(e.after, "after");
}

constexpr auto kEventColumns = Columns("id", "target_kind", "target_id", "signal", "episode_id",
                                       "actor", "note", "before", "after", "created_at");

Result<FeedbackEvent> EventFromRow(const Statement& st) {
  FeedbackEvent e;
  e.id = st.Text(kEventColumns["id"]);
  ENGRAM_ASSIGN_OR_RETURN(e.target,
                          ParseStored<FeedbackTarget>(st.Text(kEventColumns["target_kind"]),
                                                      "feedback target", ParseFeedbackTarget));
  e.target_id = st.Text(kEventColumns["target_id"]);
  ENGRAM_ASSIGN_OR_RETURN(
      e.signal, ParseStored<FeedbackSignal>(st.Text(kEventColumns["signal"]), "feedback signal",
                                            ParseFeedbackSignal));
  e.episode_id = st.Text(kEventColumns["episode_id"]);
  e.actor = st.Text(kEventColumns["actor"]);
  e.note = st.Text(kEventColumns["note"]);
  e.before = st.OptDouble(kEventColumns["before"]);
  e.after = st.OptDouble(kEventColumns["after"]);
  e.created_at = st.Int(kEventColumns["created_at"]);
  return e;
}

// Inserts `e`; `on_conflict` says what a stored event of the same id does.
Result<std::int64_t> InsertEvent(Connection& conn, const FeedbackEvent& e,
                                 const char* on_conflict) {
  return conn.Run(std::string("INSERT INTO feedback (") + kEventColumns.Select() +
                      ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) " + on_conflict,
                  e.id, ToString(e.target), e.target_id, ToString(e.signal), e.episode_id, e.actor,
                  e.note, e.before, e.after, e.created_at);
}

}  // namespace

Status SqliteStore::RecordFeedback(const FeedbackEvent& e) {
  ENGRAM_RETURN_IF_ERROR(CheckEvent(e));
  return Write("record feedback", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(std::int64_t n, InsertEvent(*conn_, e, "DO NOTHING"));
    if (n == 0) return Status::AlreadyExists("feedback '" + e.id + "' already exists");
    return Status::Ok();
  });
}

Status SqliteStore::ForEachFeedback(const std::function<Status(const FeedbackEvent&)>& fn) {
  return Read("read feedback", [&] {
    return ForEachRow(*conn_, "SELECT " + kEventColumns.Select() + " FROM feedback ORDER BY id",
                      EventFromRow, fn);
  });
}

Status SqliteStore::ImportFeedback(const FeedbackEvent& e) {
  ENGRAM_RETURN_IF_ERROR(CheckEvent(e));
  return Write("import feedback", [&]() -> Status {
    return InsertEvent(*conn_, e,
                       "DO UPDATE SET target_kind = excluded.target_kind, target_id = "
                       "excluded.target_id, signal = excluded.signal, episode_id = "
                       "excluded.episode_id, actor = excluded.actor, note = excluded.note, "
                       "before = excluded.before, after = excluded.after, created_at = "
                       "excluded.created_at")
        .status();
  });
}

Result<std::vector<FeedbackEvent>> SqliteStore::ListFeedback(FeedbackTarget target,
                                                             const std::string& target_id,
                                                             int limit) {
  ENGRAM_RETURN_IF_ERROR(CheckTarget(target_id));
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(limit, 0));
  std::vector<FeedbackEvent> out;
  ENGRAM_RETURN_IF_ERROR(Read("list feedback", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st, conn_->Query("SELECT " + kEventColumns.Select() +
                                       " FROM feedback WHERE target_kind = ? AND target_id = ? "
                                       "ORDER BY created_at DESC, id DESC LIMIT ?",
                                   ToString(target), target_id, limit));
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      ENGRAM_ASSIGN_OR_RETURN(FeedbackEvent e, EventFromRow(st));
      out.push_back(std::move(e));
    }
  }));
  return out;
}

Result<FeedbackCounts> SqliteStore::CountFeedback(FeedbackTarget target,
                                                  const std::string& target_id) {
  ENGRAM_RETURN_IF_ERROR(CheckTarget(target_id));
  FeedbackCounts c;
  ENGRAM_RETURN_IF_ERROR(Read("count feedback", [&]() -> Status {
    c = FeedbackCounts{};
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st, conn_->Query("SELECT signal, count(*) FROM feedback WHERE target_kind = ? "
                                   "AND target_id = ? GROUP BY signal",
                                   ToString(target), target_id));
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      ENGRAM_ASSIGN_OR_RETURN(
          FeedbackSignal s,
          ParseStored<FeedbackSignal>(st.Text(0), "feedback signal", ParseFeedbackSignal));
      const std::int64_t n = st.Int(1);
      switch (s) {
        case FeedbackSignal::kHelped:
          c.helped = n;
          break;
        case FeedbackSignal::kNoEffect:
          c.no_effect = n;
          break;
        case FeedbackSignal::kHindered:
          c.hindered = n;
          break;
        case FeedbackSignal::kAccepted:
          c.accepted = n;
          break;
        case FeedbackSignal::kTestsPassed:
          c.tests_passed = n;
          break;
        case FeedbackSignal::kRejected:
          c.rejected = n;
          break;
        case FeedbackSignal::kHarmful:
          c.harmful = n;
          break;
      }
    }
  }));
  return c;
}

}  // namespace engram::sqlite
