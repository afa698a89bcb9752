// SqliteStore: notes (table notes, FTS5 index note_fts kept in sync by
// triggers).
#include <string>
#include <vector>

#include "core/code_tokens.h"
#include "engram/fulltext.h"
#include "store/sqlite/column_list.h"
#include "store/sqlite/columns.h"
#include "store/sqlite/sqlite_store.h"

namespace engram {

namespace sqlite {
namespace {

constexpr auto kNoteColumns =
    Columns("id", "thread", "position", "speaker", "text", "timestamp", "metadata", "project");

Result<Note> NoteFromRow(const Statement& st) {
  Note n;
  n.id = st.Int(kNoteColumns["id"]);
  n.thread = st.Text(kNoteColumns["thread"]);
  n.position = st.Int(kNoteColumns["position"]);
  n.speaker = st.Text(kNoteColumns["speaker"]);
  n.text = st.Text(kNoteColumns["text"]);
  n.timestamp = st.Int(kNoteColumns["timestamp"]);
  ENGRAM_ASSIGN_OR_RETURN(n.metadata, ParseColumn(st.Text(kNoteColumns["metadata"]),
                                                  "note " + std::to_string(n.id) + " metadata"));
  n.project = st.Text(kNoteColumns["project"]);
  return n;
}

}  // namespace

Result<std::vector<Note>> SqliteStore::AddNotes(std::span<const Note> notes) {
  std::vector<std::string> metadata;
  for (const Note& n : notes) {
    if (n.thread.empty()) return Status::InvalidArgument("note thread is empty");
    if (n.text.empty()) return Status::InvalidArgument("note text is empty");
    ENGRAM_ASSIGN_OR_RETURN(std::string m, DumpJson(n.metadata, "note metadata"));
    metadata.push_back(std::move(m));
  }
  std::vector<Note> out;
  ENGRAM_RETURN_IF_ERROR(Write("add notes", [&]() -> Status {
    out.assign(notes.begin(), notes.end());
    for (std::size_t i = 0; i < out.size(); ++i) {
      Note& n = out[i];
      if (n.position < 0) {
        ENGRAM_ASSIGN_OR_RETURN(
            Statement st,
            conn_->Query("SELECT coalesce(max(position), -1) + 1 FROM notes WHERE thread = ?",
                         n.thread));
        ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) return Status::Internal("max(position) returned no row");
        n.position = st.Int(0);
      }
      // id <= 0: the store assigns one (NULL into INTEGER PRIMARY KEY);
      // import passes the exported id to keep it.
      const std::optional<std::int64_t> id =
          n.id > 0 ? std::optional<std::int64_t>(n.id) : std::nullopt;
      Result<std::int64_t> run = conn_->Run(
          "INSERT INTO notes (id, thread, position, speaker, text, timestamp, metadata, expanded, "
          "project) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          id, n.thread, n.position, n.speaker, n.text, n.timestamp, metadata[i],
          ExpandIdentifiers(n.speaker + "\n" + n.text), n.project);
      if (!run.ok()) {
        if (run.status().code() == ErrorCode::kAlreadyExists ||
            run.status().message().find("UNIQUE") != std::string::npos) {
          return Status::AlreadyExists("thread '" + n.thread + "' already has a note at position " +
                                       std::to_string(n.position));
        }
        return run.status();
      }
      n.id = sqlite3_last_insert_rowid(conn_->handle());
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Note>> SqliteStore::ThreadNotes(const std::string& thread) {
  std::vector<Note> out;
  ENGRAM_RETURN_IF_ERROR(Read("read notes", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(Statement st,
                            conn_->Query("SELECT " + kNoteColumns.Select() +
                                             " FROM notes WHERE thread = ? ORDER BY position",
                                         thread));
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      ENGRAM_ASSIGN_OR_RETURN(Note n, NoteFromRow(st));
      out.push_back(std::move(n));
    }
  }));
  return out;
}

Result<std::vector<std::string>> SqliteStore::NoteThreads() {
  std::vector<std::string> out;
  ENGRAM_RETURN_IF_ERROR(Read("list note threads", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(Statement st,
                            conn_->Query("SELECT DISTINCT thread FROM notes ORDER BY thread"));
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      out.push_back(st.Text(0));
    }
  }));
  return out;
}

Result<std::vector<NoteHit>> SqliteStore::SearchNoteText(const std::string& thread,
                                                         std::string_view query, int limit) {
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(limit, 0));
  std::vector<NoteHit> out;
  std::string match = FtsMatchExpression(query);
  if (match.empty()) return out;
  // CROSS JOIN keeps the full-text match as the outer loop: the planner
  // would otherwise run one MATCH per note of the thread.
  std::string sql =
      "SELECT note_fts.rowid, -bm25(note_fts) AS s FROM note_fts CROSS JOIN notes n ON n.id = "
      "note_fts.rowid WHERE note_fts MATCH ?1";
  if (!thread.empty()) sql += " AND n.thread = ?3";
  sql += " ORDER BY s DESC LIMIT ?2";
  ENGRAM_RETURN_IF_ERROR(Read("search notes", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(sql));
    st.BindAt(1, match).BindAt(2, limit);
    if (!thread.empty()) st.BindAt(3, thread);
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      out.push_back({st.Int(0), st.Double(1)});
    }
  }));
  return out;
}

Result<std::int64_t> SqliteStore::DeleteThread(const std::string& thread) {
  std::int64_t n = 0;
  ENGRAM_RETURN_IF_ERROR(Write("delete notes", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(n, conn_->Run("DELETE FROM notes WHERE thread = ?", thread));
    return Status::Ok();
  }));
  return n;
}

}  // namespace sqlite
}  // namespace engram
