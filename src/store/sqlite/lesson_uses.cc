// SqliteStore::RecordLessonUses: retrieval uses of lessons (columns
// lessons.use_count, migration 7, and lessons.last_used_at).
//
// Unlike the other writes this one never waits for the database's write
// lock: the busy timeout is 0 for its BEGIN IMMEDIATE, so a lock held by
// another connection returns kBusy at once and the caller (the Engine's
// LessonUseRecorder) keeps the uses for its next batch. It does not count as
// a write for ChangeToken(): use_count and last_used_at are in no cache the
// token guards (lesson counts, max updated_at, full-text statistics).
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {

Status SqliteStore::RecordLessonUses(const std::vector<LessonUse>& uses) {
  for (const LessonUse& u : uses) {
    if (u.count < 1) {
      return Status::InvalidArgument("lesson '" + u.lesson_id + "' use count must be >= 1, got " +
                                     std::to_string(u.count));
    }
  }
  if (uses.empty()) return Status::Ok();
  std::lock_guard lock(mu_);
  if (options_.read_only) {
    return Status::FailedPrecondition("'" + options_.path +
                                      "' is open read-only; cannot record lesson uses");
  }
  if (depth_ > 0) {
    return Status::FailedPrecondition("lesson uses are recorded outside any transaction");
  }
  sqlite3* db = conn_->handle();
  sqlite3_busy_timeout(db, 0);
  struct RestoreTimeout {
    sqlite3* db;
    int ms;
    ~RestoreTimeout() { sqlite3_busy_timeout(db, ms); }
  } restore{db, options_.busy_timeout_ms};
  ENGRAM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*conn_, TxKind::kWrite, false));
  for (const LessonUse& u : uses) {
    // A deleted lesson changes nothing; last_used_at only moves forward.
    ENGRAM_RETURN_IF_ERROR(
        conn_
            ->Run("UPDATE lessons SET use_count = use_count + ?1, "
                  "last_used_at = max(coalesce(last_used_at, ?2), ?2) WHERE id = ?3",
                  u.count, u.used_at, u.lesson_id)
            .status());
  }
  return tx.Commit();
}

}  // namespace engram::sqlite
