#include "store/sqlite/migrations.h"

#include <chrono>
#include <cstdio>

#include "store/sqlite/retry.h"

namespace engram::sqlite {
namespace {

// Version 1: the tables. JSON columns are checked with json_valid so a row
// that would not parse back is never stored.
const Migration kV1 = {1,
                       "tables",
                       {
                           R"sql(CREATE TABLE schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  applied_at INTEGER NOT NULL))sql",
                           R"sql(CREATE TABLE episodes (
  id           TEXT    PRIMARY KEY NOT NULL,
  task_type    TEXT    NOT NULL,
  description  TEXT    NOT NULL,
  language     TEXT    NOT NULL DEFAULT '',
  framework    TEXT    NOT NULL DEFAULT '',
  domain       TEXT    NOT NULL DEFAULT '',
  project      TEXT    NOT NULL DEFAULT '',
  complexity   TEXT    NOT NULL,
  outcome_kind TEXT,
  outcome      TEXT    CHECK (outcome IS NULL OR json_valid(outcome)),
  reward       TEXT    CHECK (reward IS NULL OR json_valid(reward)),
  reward_total REAL,
  reflection   TEXT    CHECK (reflection IS NULL OR json_valid(reflection)),
  started_at   INTEGER NOT NULL,
  ended_at     INTEGER,
  metadata     TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  CHECK ((outcome IS NULL) = (outcome_kind IS NULL))))sql",
                           R"sql(CREATE TABLE episode_tags (
  episode_id TEXT    NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  tag        TEXT    NOT NULL,
  PRIMARY KEY (episode_id, position)) WITHOUT ROWID)sql",
                           R"sql(CREATE TABLE steps (
  episode_id    TEXT    NOT NULL REFERENCES episodes(id) ON DELETE CASCADE,
  number        INTEGER NOT NULL CHECK (number >= 1),
  tool          TEXT    NOT NULL,
  action        TEXT    NOT NULL,
  parameters    TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(parameters)),
  result_status TEXT    NOT NULL CHECK (result_status IN ('success', 'error', 'timeout')),
  result_output TEXT    NOT NULL,
  latency_ms    INTEGER NOT NULL,
  tokens        INTEGER NOT NULL,
  observation   TEXT    NOT NULL,
  timestamp     INTEGER NOT NULL,
  PRIMARY KEY (episode_id, number)))sql",
                           R"sql(CREATE TABLE lessons (
  id           TEXT    PRIMARY KEY NOT NULL,
  type         TEXT    NOT NULL,
  topic        TEXT    NOT NULL,
  title        TEXT    NOT NULL,
  content      TEXT    NOT NULL,
  confidence   REAL    NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  scope        TEXT    NOT NULL CHECK (scope IN ('global', 'project')),
  project      TEXT    NOT NULL DEFAULT '',
  source       TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  deprecated   INTEGER NOT NULL DEFAULT 0 CHECK (deprecated IN (0, 1)),
  version      INTEGER NOT NULL CHECK (version >= 1)))sql",
                           R"sql(CREATE TABLE lesson_tags (
  lesson_id TEXT NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
  tag       TEXT NOT NULL,
  PRIMARY KEY (lesson_id, tag)) WITHOUT ROWID)sql",
                           R"sql(CREATE TABLE lesson_versions (
  lesson_id     TEXT    NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
  version       INTEGER NOT NULL CHECK (version >= 1),
  lesson        TEXT    NOT NULL CHECK (json_valid(lesson)),
  superseded_at INTEGER NOT NULL,
  reason        TEXT    NOT NULL,
  PRIMARY KEY (lesson_id, version)))sql",
                           R"sql(CREATE TABLE lesson_embeddings (
  lesson_id  TEXT    NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
  model_id   TEXT    NOT NULL,
  dim        INTEGER NOT NULL CHECK (dim > 0),
  vector     BLOB    NOT NULL CHECK (length(vector) = 4 * dim),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (lesson_id, model_id)))sql",
                           R"sql(CREATE TABLE kv (
  ns         TEXT    NOT NULL,
  key        TEXT    NOT NULL,
  value      TEXT    NOT NULL CHECK (json_valid(value)),
  version    INTEGER NOT NULL CHECK (version >= 1),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (ns, key)))sql",
                       }};

// Version 2: indexes behind EpisodeFilter / LessonFilter and the TTL purge.
const Migration kV2 = {
    2,
    "listing indexes",
    {
        "CREATE INDEX episodes_by_started ON episodes(started_at DESC, id)",
        "CREATE INDEX episodes_by_task_type ON episodes(task_type, started_at DESC)",
        "CREATE INDEX episodes_by_project ON episodes(project, started_at DESC)",
        "CREATE INDEX episodes_by_domain ON episodes(domain, started_at DESC)",
        "CREATE INDEX episodes_by_language ON episodes(language, started_at DESC)",
        "CREATE INDEX lessons_by_updated ON lessons(updated_at DESC, id)",
        "CREATE INDEX lessons_by_topic ON lessons(topic)",
        "CREATE INDEX lessons_by_type ON lessons(type)",
        "CREATE INDEX lessons_by_project ON lessons(project)",
        "CREATE INDEX lesson_tags_by_tag ON lesson_tags(tag, lesson_id)",
        "CREATE INDEX kv_by_expiry ON kv(expires_at) WHERE expires_at IS NOT NULL",
    }};

// Version 3: full-text search (docs/RETRIEVAL.md). lesson_text and
// episode_text hold the indexed text of each record (written by the store in
// the same transaction as the record; `expanded` = ExpandIdentifiers) and
// are the external content of the FTS5 tables, which triggers keep in sync.
// Records are removed with their owner (ON DELETE CASCADE fires the
// triggers). notes are short texts in ordered threads, indexed the same way.
// embedding_cache keeps embeddings of texts by (model id, text hash).
// Existing lessons and episodes are indexed after migrating
// (BackfillFullText), since the expansion is C++ code.
#define ENGRAM_FTS_TRIGGERS(src, fts, key, cols, newcols, oldcols)                           \
  "CREATE TRIGGER " src "_ai AFTER INSERT ON " src " BEGIN INSERT INTO " fts "(rowid, " cols \
  ") VALUES (new." key ", " newcols "); END",                                                \
      "CREATE TRIGGER " src "_ad AFTER DELETE ON " src " BEGIN INSERT INTO " fts "(" fts     \
      ", rowid, " cols ") VALUES ('delete', old." key ", " oldcols "); END",                 \
      "CREATE TRIGGER " src "_au AFTER UPDATE ON " src " BEGIN INSERT INTO " fts "(" fts     \
      ", rowid, " cols ") VALUES ('delete', old." key ", " oldcols "); INSERT INTO " fts     \
      "(rowid, " cols ") VALUES (new." key ", " newcols "); END"
const Migration kV3 = {
    3,
    "full-text search, notes, embedding cache",
    {
        R"sql(CREATE TABLE lesson_text (
  doc       INTEGER PRIMARY KEY,
  lesson_id TEXT    NOT NULL UNIQUE REFERENCES lessons(id) ON DELETE CASCADE,
  title     TEXT    NOT NULL,
  content   TEXT    NOT NULL,
  topic     TEXT    NOT NULL,
  tags      TEXT    NOT NULL,
  expanded  TEXT    NOT NULL))sql",
        "CREATE VIRTUAL TABLE lesson_fts USING fts5(title, content, topic, tags, expanded, "
        "content='lesson_text', content_rowid='doc', tokenize='porter unicode61')",
        ENGRAM_FTS_TRIGGERS("lesson_text", "lesson_fts", "doc",
                            "title, content, topic, tags, expanded",
                            "new.title, new.content, new.topic, new.tags, new.expanded",
                            "old.title, old.content, old.topic, old.tags, old.expanded"),
        R"sql(CREATE TABLE episode_text (
  doc         INTEGER PRIMARY KEY,
  episode_id  TEXT    NOT NULL UNIQUE REFERENCES episodes(id) ON DELETE CASCADE,
  description TEXT    NOT NULL,
  reflection  TEXT    NOT NULL,
  expanded    TEXT    NOT NULL))sql",
        "CREATE VIRTUAL TABLE episode_fts USING fts5(description, reflection, expanded, "
        "content='episode_text', content_rowid='doc', tokenize='porter unicode61')",
        ENGRAM_FTS_TRIGGERS("episode_text", "episode_fts", "doc",
                            "description, reflection, expanded",
                            "new.description, new.reflection, new.expanded",
                            "old.description, old.reflection, old.expanded"),
        R"sql(CREATE TABLE notes (
  id        INTEGER PRIMARY KEY,
  thread    TEXT    NOT NULL CHECK (thread <> ''),
  position  INTEGER NOT NULL,
  speaker   TEXT    NOT NULL DEFAULT '',
  text      TEXT    NOT NULL,
  timestamp INTEGER NOT NULL,
  metadata  TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  expanded  TEXT    NOT NULL DEFAULT '',
  UNIQUE (thread, position)))sql",
        "CREATE VIRTUAL TABLE note_fts USING fts5(speaker, text, expanded, content='notes', "
        "content_rowid='id', tokenize='porter unicode61')",
        ENGRAM_FTS_TRIGGERS("notes", "note_fts", "id", "speaker, text, expanded",
                            "new.speaker, new.text, new.expanded",
                            "old.speaker, old.text, old.expanded"),
        R"sql(CREATE TABLE embedding_cache (
  model_id   TEXT    NOT NULL,
  text_hash  TEXT    NOT NULL,
  dim        INTEGER NOT NULL CHECK (dim > 0),
  vector     BLOB    NOT NULL CHECK (length(vector) = 4 * dim),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (model_id, text_hash)) WITHOUT ROWID)sql",
    }};
#undef ENGRAM_FTS_TRIGGERS

Status ApplyOne(Connection& conn, const Migration& m) {
  ENGRAM_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(conn, TxKind::kWrite, false));
  // Another process may have migrated while we waited for the lock.
  ENGRAM_ASSIGN_OR_RETURN(FileIdentity id, CheckIdentity(conn));
  if (id.schema_version >= m.version) return Status::Ok();
  if (id.schema_version != m.version - 1) {
    return Status::Internal("migration " + std::to_string(m.version) + " on schema version " +
                            std::to_string(id.schema_version));
  }
  for (const char* sql : m.statements) {
    Status st = conn.Exec(sql);
    if (!st.ok()) {
      return Status(st.code(), "migration " + std::to_string(m.version) + " (" + m.name +
                                   ") failed: " + st.message());
    }
  }
  char pragmas[128];
  std::snprintf(pragmas, sizeof pragmas, "PRAGMA application_id = %d; PRAGMA user_version = %d",
                kApplicationId, m.version);
  ENGRAM_RETURN_IF_ERROR(conn.Exec(pragmas));
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  ENGRAM_RETURN_IF_ERROR(
      conn.Run("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
               m.version, m.name, static_cast<std::int64_t>(now))
          .status());
  return tx.Commit();
}

// Version 5: word bounds for exact top-k BM25 (word_bounds.h). The rows are
// computed in C++ (FTS5's tokenizer) after migrating: BackfillFullText
// fills both tables and marks them in fts_word_bounds_built.
const Migration kV5 = {
    5,
    "full-text word bounds",
    {
        R"sql(CREATE TABLE fts_word_bounds (
  fts     TEXT    NOT NULL,
  word    TEXT    NOT NULL,
  max_tf  REAL    NOT NULL,
  min_len INTEGER NOT NULL,
  PRIMARY KEY (fts, word)) WITHOUT ROWID)sql",
        "CREATE TABLE fts_word_bounds_built (fts TEXT PRIMARY KEY) WITHOUT ROWID",
    }};

// Version 6: project isolation (docs/RETRIEVAL.md, "Projects"): a lesson
// candidate keeps the project of its origin, and a note may belong to a
// project. Existing rows are global ('').
const Migration kV6 = {6,
                       "project isolation",
                       {
                           "ALTER TABLE candidates ADD COLUMN project TEXT NOT NULL DEFAULT ''",
                           "CREATE INDEX candidates_by_project ON candidates(project, created_at)",
                           "ALTER TABLE notes ADD COLUMN project TEXT NOT NULL DEFAULT ''",
                       }};

// Version 7: how often each lesson was returned by a search or context
// retrieval (Store::RecordLessonUses, docs/RETRIEVAL.md "Use recording").
const Migration kV7 = {7,
                       "lesson use count",
                       {
                           "ALTER TABLE lessons ADD COLUMN use_count INTEGER NOT NULL DEFAULT 0",
                       }};

// Version 8: the lesson change log (Store::LessonChangesSince, docs/INDEX.md
// "Following the store"). Triggers keep it, so every writer (another
// process, an import, an older engram) moves it: an insert, a delete, or an
// update of any column a derived index reads (all but use_count and
// last_used_at, which use recording writes) takes the next seq, stamped on
// the row; a delete leaves a tombstone. A migration that adds a lesson
// column an index reads must add it to lessons_changed_update. A change of
// the text also drops the lesson's embeddings (lessons_text_changed).
const Migration kV8 = {
    8,
    "lesson change log",
    {
        "ALTER TABLE lessons ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX lessons_by_change ON lessons(change_seq)",
        R"sql(CREATE TABLE lesson_change_log (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  lineage TEXT    NOT NULL,
  seq     INTEGER NOT NULL,
  lessons INTEGER NOT NULL))sql",
        R"sql(INSERT INTO lesson_change_log (id, lineage, seq, lessons)
SELECT 1, lower(hex(randomblob(8))), 0, count(*) FROM lessons)sql",
        // One-time checks a store has passed, so that an open need not
        // repeat them (e.g. 'full_text_complete': every lesson and episode
        // has its full-text row, a scan of both tables).
        "CREATE TABLE store_flags (name TEXT PRIMARY KEY) WITHOUT ROWID",
        R"sql(CREATE TABLE lesson_deletions (
  seq       INTEGER PRIMARY KEY,
  lesson_id TEXT    NOT NULL))sql",
        R"sql(CREATE TRIGGER lessons_changed_insert AFTER INSERT ON lessons BEGIN
  UPDATE lesson_change_log SET seq = seq + 1, lessons = lessons + 1;
  UPDATE lessons SET change_seq = (SELECT seq FROM lesson_change_log) WHERE id = NEW.id;
END)sql",
        R"sql(CREATE TRIGGER lessons_changed_update AFTER UPDATE OF id, type, topic, title,
  content, confidence, scope, project, source, created_at, updated_at, deprecated, version,
  superseded_by ON lessons BEGIN
  UPDATE lesson_change_log SET seq = seq + 1;
  UPDATE lessons SET change_seq = (SELECT seq FROM lesson_change_log) WHERE id = NEW.id;
END)sql",
        // An embedding describes the text it was made from: a write that
        // changes the text (an import with an older timestamp included)
        // drops the lesson's embeddings, so none can pass for current.
        R"sql(CREATE TRIGGER lessons_text_changed AFTER UPDATE OF title, content, topic ON lessons
WHEN OLD.title IS NOT NEW.title OR OLD.content IS NOT NEW.content OR OLD.topic IS NOT NEW.topic
BEGIN
  DELETE FROM lesson_embeddings WHERE lesson_id = NEW.id;
END)sql",
        R"sql(CREATE TRIGGER lessons_changed_delete AFTER DELETE ON lessons BEGIN
  UPDATE lesson_change_log SET seq = seq + 1, lessons = lessons - 1;
  INSERT INTO lesson_deletions (seq, lesson_id) SELECT seq, OLD.id FROM lesson_change_log;
END)sql",
    }};

// Version 9: a lesson's metadata, the caller's own keys as a JSON object
// (Lesson::metadata). No index reads it, so lessons_changed_update does not
// list it.
const Migration kV9 = {9,
                       "lesson metadata",
                       {
                           "ALTER TABLE lessons ADD COLUMN metadata TEXT NOT NULL DEFAULT '{}'",
                       }};

// Version 10: the situations a lesson applies to (Lesson::situations, a JSON
// array of strings). The store indexes them with the lesson's text
// (lesson_text.expanded, written with the row); no derived index reads the
// column, so lessons_changed_update does not list it.
const Migration kV10 = {10,
                        "lesson situations",
                        {
                            "ALTER TABLE lessons ADD COLUMN situations TEXT NOT NULL DEFAULT '[]'",
                        }};

// Version 4: learning (patterns, heuristics, feedback, contradictions,
// candidates); the statements live in schema_learning.cc.
Migration LearningMigration() {
  Migration m{4, "learning", {}};
  for (const auto* part : {&PatternStatements(), &FeedbackStatements(), &CandidateStatements()}) {
    m.statements.insert(m.statements.end(), part->begin(), part->end());
  }
  return m;
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> all = {kV1, kV2, kV3, LearningMigration(), kV5, kV6, kV7,
                                             kV8, kV9, kV10};
  return all;
}

int LatestSchemaVersion() { return Migrations().back().version; }

Result<FileIdentity> CheckIdentity(Connection& conn) {
  // One statement, so one read snapshot: read one by one, a first open by
  // another process could commit in between and show application_id 0
  // beside a non-empty schema.
  static constexpr const char* kIdentity =
      "SELECT (SELECT * FROM pragma_application_id), (SELECT * FROM pragma_user_version), "
      "(SELECT count(*) FROM sqlite_schema)";
  auto st = conn.Prepare(kIdentity);
  Result<bool> row = st.ok() ? st->Step() : Result<bool>(st.status());
  if (!row.ok()) {
    if (row.status().code() != ErrorCode::kCorruption) return row.status();
    return Status::Corruption(
        "'" + conn.path() +
        "' is not an engram database (not a readable SQLite file: " + row.status().message() + ")");
  }
  if (!*row) return Status::Internal("no result from the file identity query");
  FileIdentity id;
  id.application_id = static_cast<int>(st->Int(0));
  id.schema_version = static_cast<int>(st->Int(1));
  id.empty = st->Int(2) == 0;
  if (id.application_id != kApplicationId && !(id.application_id == 0 && id.empty)) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08x", static_cast<unsigned>(id.application_id));
    return Status::Corruption("'" + conn.path() + "' is not an engram database (application_id " +
                              hex + ")");
  }
  if (id.schema_version > LatestSchemaVersion()) {
    return Status::FailedPrecondition("'" + conn.path() + "' has schema version " +
                                      std::to_string(id.schema_version) + ", newer than the " +
                                      std::to_string(LatestSchemaVersion()) +
                                      " this engram knows; upgrade engram to open it");
  }
  return id;
}

Status Migrate(Connection& conn, int target, int budget_ms) {
  ENGRAM_ASSIGN_OR_RETURN(FileIdentity id, CheckIdentity(conn));
  for (const Migration& m : Migrations()) {
    if (m.version > target) break;
    if (m.version <= id.schema_version) continue;
    ENGRAM_RETURN_IF_ERROR(
        RetryBusy(budget_ms, "migrating '" + conn.path() + "'", [&] { return ApplyOne(conn, m); }));
  }
  return Status::Ok();
}

}  // namespace engram::sqlite
