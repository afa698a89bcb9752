// SqliteStore: lessons, their tags and version history (tables lessons,
// lesson_tags, lesson_versions). Embeddings are in embeddings.cc.
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/sqlite/column_list.h"
#include "store/sqlite/columns.h"
#include "store/sqlite/fulltext.h"
#include "store/sqlite/sqlite_store.h"

namespace engram::sqlite {
namespace {

constexpr auto kLessonColumns =
    Columns("id", "type", "topic", "title", "content", "confidence", "scope", "project", "source",
            "created_at", "updated_at", "last_used_at", "deprecated", "version", "superseded_by",
            "use_count", "metadata", "situations");
constexpr auto kVersionColumns = Columns("version", "lesson", "superseded_at", "reason");

Result<Json> JsonObjectOnly(const Json& j) {
  if (!j.is_object()) return Status::InvalidArgument("not a JSON object");
  return j;
}

// Decodes the kLessonColumns of the current row (not its tags).
Result<Lesson> LessonColumnsFromRow(const Statement& st) {
  Lesson l;
  l.id = st.Text(kLessonColumns["id"]);
  ENGRAM_ASSIGN_OR_RETURN(l.type, ParseStored<LessonType>(st.Text(kLessonColumns["type"]),
                                                          "lesson type", ParseLessonType));
  l.topic = st.Text(kLessonColumns["topic"]);
  l.title = st.Text(kLessonColumns["title"]);
  l.content = st.Text(kLessonColumns["content"]);
  l.confidence = st.Double(kLessonColumns["confidence"]);
  ENGRAM_ASSIGN_OR_RETURN(l.scope, ParseStored<LessonScope>(st.Text(kLessonColumns["scope"]),
                                                            "lesson scope", ParseLessonScope));
  l.project = st.Text(kLessonColumns["project"]);
  ENGRAM_ASSIGN_OR_RETURN(l.source, ParseStored<LessonSource>(st.Text(kLessonColumns["source"]),
                                                              "lesson source", ParseLessonSource));
  l.created_at = st.Int(kLessonColumns["created_at"]);
  l.updated_at = st.Int(kLessonColumns["updated_at"]);
  l.last_used_at = st.OptInt(kLessonColumns["last_used_at"]);
  l.deprecated = st.Int(kLessonColumns["deprecated"]) != 0;
  l.version = static_cast<int>(st.Int(kLessonColumns["version"]));
  l.superseded_by = st.OptText(kLessonColumns["superseded_by"]);
  l.use_count = static_cast<int>(st.Int(kLessonColumns["use_count"]));
  ENGRAM_ASSIGN_OR_RETURN(
      l.metadata, DecodeColumn<Json>(st.Text(kLessonColumns["metadata"]),
                                     Quoted("lesson", l.id) + " metadata", &JsonObjectOnly));
  ENGRAM_ASSIGN_OR_RETURN(
      l.situations, DecodeColumn<std::vector<std::string>>(st.Text(kLessonColumns["situations"]),
                                                           Quoted("lesson", l.id) + " situations",
                                                           &StringListFromJson));
  return l;
}

// Decodes the kLessonColumns of the current row, plus its tags.
Result<Lesson> LessonFromRow(Connection& conn, const Statement& st) {
  ENGRAM_ASSIGN_OR_RETURN(Lesson l, LessonColumnsFromRow(st));
  ENGRAM_ASSIGN_OR_RETURN(
      Statement tags,
      conn.Query("SELECT tag FROM lesson_tags WHERE lesson_id = ? ORDER BY tag", l.id));
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, tags.Step());
    if (!row) return l;
    l.tags.push_back(tags.Text(0));
  }
}

Result<Lesson> LoadLesson(Connection& conn, const std::string& id) {
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st,
      conn.Query("SELECT " + kLessonColumns.Select() + " FROM lessons WHERE id = ?", id));
  ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound(Quoted("lesson", id) + " does not exist");
  return LessonFromRow(conn, st);
}

Result<std::vector<LessonVersion>> LoadHistory(Connection& conn, const std::string& id) {
  ENGRAM_ASSIGN_OR_RETURN(
      Statement st, conn.Query("SELECT " + kVersionColumns.Select() +
                                   " FROM lesson_versions WHERE lesson_id = ? ORDER BY version",
                               id));
  std::vector<LessonVersion> out;
  for (;;) {
    ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    LessonVersion v;
    std::string what =
        Quoted("lesson", id) + " version " + std::to_string(st.Int(kVersionColumns["version"]));
    ENGRAM_ASSIGN_OR_RETURN(
        v.lesson, DecodeColumn<Lesson>(st.Text(kVersionColumns["lesson"]), what, LessonFromJson));
    v.superseded_at = st.Int(kVersionColumns["superseded_at"]);
    v.reason = st.Text(kVersionColumns["reason"]);
    out.push_back(std::move(v));
  }
}

// Writes the lesson row and replaces its tags. `upsert` updates an existing
// row in place (keeping its history and embeddings).
Status WriteLesson(Connection& conn, const Lesson& l, bool upsert) {
  std::string sql =
      "INSERT INTO lessons (id, type, topic, title, content, confidence, scope, project, "
      "source, created_at, updated_at, last_used_at, deprecated, version, superseded_by, "
      "use_count, metadata, situations) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?)";
  if (upsert) {
    sql +=
        " ON CONFLICT(id) DO UPDATE SET type = excluded.type, topic = excluded.topic, title = "
        "excluded.title, content = excluded.content, confidence = excluded.confidence, scope = "
        "excluded.scope, project = excluded.project, source = excluded.source, created_at = "
        "excluded.created_at, updated_at = excluded.updated_at, last_used_at = "
        "excluded.last_used_at, deprecated = excluded.deprecated, version = excluded.version, "
        "superseded_by = excluded.superseded_by, metadata = excluded.metadata, situations = "
        "excluded.situations, "
        // Uses only grow: one recorded while this lesson was read and
        // rewritten is not lost.
        "use_count = max(use_count, excluded.use_count)";
  }
  ENGRAM_ASSIGN_OR_RETURN(std::string metadata, DumpJson(l.metadata, "lesson metadata"));
  ENGRAM_ASSIGN_OR_RETURN(std::string situations, DumpJson(l.situations, "lesson situations"));
  ENGRAM_RETURN_IF_ERROR(conn.Run(sql, l.id, ToString(l.type), l.topic, l.title, l.content,
                                  l.confidence, ToString(l.scope), l.project, ToString(l.source),
                                  l.created_at, l.updated_at, l.last_used_at, l.deprecated ? 1 : 0,
                                  l.version, l.superseded_by, l.use_count, metadata, situations)
                             .status());
  ENGRAM_RETURN_IF_ERROR(conn.Run("DELETE FROM lesson_tags WHERE lesson_id = ?", l.id).status());
  for (const std::string& tag : l.tags) {
    // Tags are a set: a repeated tag is stored once.
    ENGRAM_RETURN_IF_ERROR(
        conn.Run("INSERT OR IGNORE INTO lesson_tags (lesson_id, tag) VALUES (?, ?)", l.id, tag)
            .status());
  }
  return WriteLessonText(conn, l);
}

Status InsertHistory(Connection& conn, const LessonVersion& v) {
  ENGRAM_ASSIGN_OR_RETURN(std::string json, DumpJson(ToJson(v.lesson), "lesson history"));
  return conn
      .Run(
          "INSERT INTO lesson_versions (lesson_id, version, lesson, superseded_at, reason) "
          "VALUES (?, ?, ?, ?, ?)",
          v.lesson.id, v.lesson.version, json, v.superseded_at, v.reason)
      .status();
}

Status CheckConfidence(const Lesson& l) {
  if (!(l.confidence >= 0 && l.confidence <= 1)) {
    return Status::InvalidArgument(Quoted("lesson", l.id) + " confidence must be in [0, 1]");
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStore::InsertLesson(const Lesson& lesson) {
  if (lesson.id.empty()) return Status::InvalidArgument("lesson id is empty");
  if (lesson.version != 1) {
    return Status::InvalidArgument("a new " + Quoted("lesson", lesson.id) + " must have version 1");
  }
  ENGRAM_RETURN_IF_ERROR(CheckConfidence(lesson));
  return Write("insert lesson", [&]() -> Status {
    Result<Lesson> existing = LoadLesson(*conn_, lesson.id);
    if (existing.ok())
      return Status::AlreadyExists(Quoted("lesson", lesson.id) + " already exists");
    if (!existing.status().IsNotFound()) return existing.status();
    return WriteLesson(*conn_, lesson, /*upsert=*/false);
  });
}

Result<Lesson> SqliteStore::GetLesson(const std::string& lesson_id) {
  Lesson lesson;
  ENGRAM_RETURN_IF_ERROR(Read("get lesson", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(lesson, LoadLesson(*conn_, lesson_id));
    return Status::Ok();
  }));
  return lesson;
}

Result<std::vector<Lesson>> SqliteStore::GetLessons(const std::vector<std::string>& lesson_ids) {
  // One statement: the ids as a JSON array, each lesson with its tags
  // (joined by the unit separator, which tags cannot hold), in the order asked.
  // json_each's columns are renamed so the lesson columns stay unqualified.
  static const std::string sql =
      "SELECT " + kLessonColumns.Select() +
      ", (SELECT group_concat(tag, char(31)) FROM (SELECT tag FROM lesson_tags t "
      "WHERE t.lesson_id = l.id ORDER BY tag)) FROM (SELECT key AS pos, value AS asked FROM "
      "json_each(?1)) j CROSS JOIN lessons l ON l.id = j.asked ORDER BY j.pos";
  Json ids = Json::array();
  for (const std::string& id : lesson_ids) ids.push_back(id);
  std::vector<Lesson> out;
  ENGRAM_RETURN_IF_ERROR(Read("get lessons", [&]() -> Status {
    out.clear();
    out.reserve(lesson_ids.size());
    ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Query(sql, ids.dump()));
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      ENGRAM_ASSIGN_OR_RETURN(Lesson l, LessonColumnsFromRow(st));
      l.tags = SplitUnitSeparated(st.OptText(kLessonColumns.size()).value_or(""));
      out.push_back(std::move(l));
    }
  }));
  return out;
}

Result<std::vector<LessonKeyCount>> SqliteStore::CountLessonKeys() {
  constexpr std::string_view kSql =
      "SELECT topic, tags, count(*) FROM (SELECT l.topic AS topic, (SELECT "
      "group_concat(tag, char(31)) FROM (SELECT tag FROM lesson_tags t WHERE "
      "t.lesson_id = l.id ORDER BY tag)) AS tags FROM lessons l WHERE "
      "l.deprecated = 0 AND l.scope = 'global') GROUP BY topic, tags";
  std::vector<LessonKeyCount> out;
  auto scan = [&](Connection& conn) -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(Statement st, conn.Query(kSql));
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      out.push_back({st.Text(0), SplitUnitSeparated(st.OptText(1).value_or("")), st.Int(2)});
    }
  };
  bool nested = false;
  {
    std::lock_guard lock(mu_);
    nested = depth_ > 0;  // this thread's own transaction: its view
  }
  if (!nested) {
    // A scan of every lesson (seconds at 1M on a cold cache): on a
    // read-only connection of its own, so searches go on meanwhile.
    Result<std::unique_ptr<Connection>> aside =
        Connection::Open(options_.path, /*read_only=*/true, options_.busy_timeout_ms);
    if (aside.ok()) {
      ENGRAM_RETURN_IF_ERROR(scan(**aside));
      return out;
    }
  }
  ENGRAM_RETURN_IF_ERROR(Read("count lesson keys", [&]() { return scan(*conn_); }));
  return out;
}

Result<std::vector<Lesson>> SqliteStore::ListLessons(const LessonFilter& filter) {
  ENGRAM_RETURN_IF_ERROR(CheckLimitOffset(filter.limit, filter.offset));
  std::string sql = "SELECT " + kLessonColumns.Select() + " FROM lessons l WHERE 1";
  std::vector<std::variant<std::string, double, int>> args;
  if (filter.type) {
    sql += " AND type = ?";
    args.emplace_back(std::string(ToString(*filter.type)));
  }
  if (filter.topic) {
    sql += " AND topic = ?";
    args.emplace_back(*filter.topic);
  }
  if (filter.scope) {
    sql += " AND scope = ?";
    args.emplace_back(std::string(ToString(*filter.scope)));
  }
  if (filter.project) {
    sql += " AND (scope = 'global' OR (scope = 'project' AND project = ?))";
    args.emplace_back(*filter.project);
  }
  if (filter.min_confidence) {
    sql += " AND confidence >= ?";
    args.emplace_back(*filter.min_confidence);
  }
  if (!filter.include_deprecated) sql += " AND deprecated = 0";
  std::set<std::string> tags(filter.tags.begin(), filter.tags.end());
  if (!tags.empty()) {
    sql += " AND (SELECT count(*) FROM lesson_tags t WHERE t.lesson_id = l.id AND t.tag IN (";
    for (const std::string& tag : tags) {
      sql += "?,";
      args.emplace_back(tag);
    }
    sql.back() = ')';
    sql += ") = ?";
    args.emplace_back(static_cast<int>(tags.size()));
  }
  sql += " ORDER BY updated_at DESC, id LIMIT ? OFFSET ?";
  args.emplace_back(filter.limit);
  args.emplace_back(filter.offset);

  std::vector<Lesson> out;
  ENGRAM_RETURN_IF_ERROR(Read("list lessons", [&]() -> Status {
    out.clear();
    ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Prepare(sql));
    int i = 0;
    for (const auto& a : args) std::visit([&](const auto& v) { st.BindAt(++i, v); }, a);
    for (;;) {
      ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) return Status::Ok();
      ENGRAM_ASSIGN_OR_RETURN(Lesson l, LessonFromRow(*conn_, st));
      out.push_back(std::move(l));
    }
  }));
  return out;
}

Status SqliteStore::UpdateLesson(const Lesson& updated, const std::string& reason) {
  ENGRAM_RETURN_IF_ERROR(CheckConfidence(updated));
  return Write("update lesson", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Lesson current, LoadLesson(*conn_, updated.id));
    if (updated.version != current.version + 1) {
      return Status::FailedPrecondition(
          Quoted("lesson", updated.id) + " is at version " + std::to_string(current.version) +
          ", so the update must carry version " + std::to_string(current.version + 1) + " (got " +
          std::to_string(updated.version) + "); a concurrent update won");
    }
    ENGRAM_RETURN_IF_ERROR(InsertHistory(*conn_, {current, updated.updated_at, reason}));
    return WriteLesson(*conn_, updated, /*upsert=*/true);
  });
}

Result<std::vector<LessonVersion>> SqliteStore::LessonHistory(const std::string& lesson_id) {
  std::vector<LessonVersion> history;
  ENGRAM_RETURN_IF_ERROR(Read("read lesson history", [&]() -> Status {
    ENGRAM_RETURN_IF_ERROR(LoadLesson(*conn_, lesson_id).status());
    ENGRAM_ASSIGN_OR_RETURN(history, LoadHistory(*conn_, lesson_id));
    return Status::Ok();
  }));
  return history;
}

Status SqliteStore::DeleteLesson(const std::string& lesson_id) {
  // History, tags and embeddings go with it (ON DELETE CASCADE).
  return Write("delete lesson", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(std::int64_t n,
                            conn_->Run("DELETE FROM lessons WHERE id = ?", lesson_id));
    if (n == 0) return Status::NotFound(Quoted("lesson", lesson_id) + " does not exist");
    return Status::Ok();
  });
}

Status SqliteStore::TouchLesson(const std::string& lesson_id, Timestamp used_at) {
  // last_used_at only moves forward, whatever order processes touch it in.
  return Write("touch lesson", [&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(
        std::int64_t n,
        conn_->Run("UPDATE lessons SET last_used_at = max(coalesce(last_used_at, ?1), ?1) "
                   "WHERE id = ?2",
                   used_at, lesson_id));
    if (n == 0) return Status::NotFound(Quoted("lesson", lesson_id) + " does not exist");
    return Status::Ok();
  });
}

Status SqliteStore::ForEachLesson(
    const std::function<Status(const Lesson&, const std::vector<LessonVersion>&)>& fn) {
  return Read("read lessons", [&]() -> Status {
    std::vector<std::string> ids;
    {
      ENGRAM_ASSIGN_OR_RETURN(Statement st, conn_->Query("SELECT id FROM lessons ORDER BY id"));
      for (;;) {
        ENGRAM_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        ids.push_back(st.Text(0));
      }
    }
    for (const std::string& id : ids) {
      ENGRAM_ASSIGN_OR_RETURN(Lesson l, LoadLesson(*conn_, id));
      ENGRAM_ASSIGN_OR_RETURN(std::vector<LessonVersion> history, LoadHistory(*conn_, id));
      ENGRAM_RETURN_IF_ERROR(fn(l, history));
    }
    return Status::Ok();
  });
}

Status SqliteStore::ImportLesson(const Lesson& lesson, const std::vector<LessonVersion>& history) {
  if (lesson.id.empty()) return Status::InvalidArgument("lesson id is empty");
  ENGRAM_RETURN_IF_ERROR(CheckConfidence(lesson));
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Lesson& old = history[i].lesson;
    if (old.id != lesson.id || old.version != static_cast<int>(i + 1)) {
      return Status::InvalidArgument(Quoted("lesson", lesson.id) +
                                     " history must hold its own versions 1..n in order");
    }
  }
  if (lesson.version != static_cast<int>(history.size()) + 1) {
    return Status::InvalidArgument(Quoted("lesson", lesson.id) +
                                   " version must be history size + 1");
  }
  return Write("import lesson", [&]() -> Status {
    ENGRAM_RETURN_IF_ERROR(WriteLesson(*conn_, lesson, /*upsert=*/true));
    ENGRAM_RETURN_IF_ERROR(
        conn_->Run("DELETE FROM lesson_versions WHERE lesson_id = ?", lesson.id).status());
    for (const LessonVersion& v : history) ENGRAM_RETURN_IF_ERROR(InsertHistory(*conn_, v));
    return Status::Ok();
  });
}

}  // namespace engram::sqlite
