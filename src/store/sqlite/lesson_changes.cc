// SqliteStore::LessonChangeMarkNow and LessonChangesSince: reads of the
// lesson change log that migration 8's triggers keep (lesson_change_log,
// lessons.change_seq, lesson_deletions; docs/FORMATS.md).
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

Result<LessonChangeMark> ReadMark(Connection& conn) {
  ENGRAM_ASSIGN_OR_RETURN(Statement st,
                          conn.Query("SELECT lineage, seq, lessons FROM lesson_change_log"));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Corruption("'" + conn.path() + "': the lesson change log is empty");
  return LessonChangeMark{st.Text(0), st.Int(1), st.Int(2)};
}

}  // namespace

Result<LessonChangeMark> SqliteStore::LessonChangeMarkNow() {
  LessonChangeMark mark;
  ENGRAM_RETURN_IF_ERROR(Read("read the lesson change log", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(mark, ReadMark(*conn_));
    return Status::Ok();
  }));
  return mark;
}

Result<LessonChanges> SqliteStore::LessonChangesSince(std::int64_t since, int limit) {
  if (limit < 0) return Status::InvalidArgument("change limit must be >= 0");
  LessonChanges out;
  ENGRAM_RETURN_IF_ERROR(Read("read lesson changes", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(out.mark, ReadMark(*conn_));
    {
      ENGRAM_ASSIGN_OR_RETURN(Statement st,
                              conn_->Query("SELECT id FROM lessons WHERE change_seq > ?1 "
                                           "ORDER BY change_seq LIMIT ?2",
                                           since, static_cast<std::int64_t>(limit) + 1));
      for (;;) {
        ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        if (static_cast<int>(out.changed.size()) == limit) {
          out.truncated = true;
          break;
        }
        out.changed.push_back(st.Text(0));
      }
    }
    ENGRAM_ASSIGN_OR_RETURN(
        Statement st,
        conn_->Query("SELECT lesson_id FROM lesson_deletions WHERE seq > ?1 ORDER BY seq", since));
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      out.deleted.push_back(st.Text(0));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace engram::sqlite
