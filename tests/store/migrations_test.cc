// Opening files: a new file gets the latest schema and the engram
// application_id; an old (v1) file is migrated; newer schemas, garbage,
// foreign SQLite files and read-only misuse are rejected with clear errors.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <thread>

#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"
#include "store_test_util.h"

namespace engram::store_test {
namespace {

std::int64_t PragmaOf(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  std::int64_t v = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

Result<std::unique_ptr<Store>> OpenAt(const std::string& path, bool read_only = false) {
  SqliteOptions o;
  o.path = path;
  o.read_only = read_only;
  return OpenSqliteStore(o);
}

TEST(MigrationsTest, NewFileHasLatestSchemaAppIdAndWal) {
  TempDir dir;
  std::string path = dir.File("nested/dir/engram.db");  // parent directories are created
  {
    auto store = OpenAt(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto stats = (*store)->Stats();
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->schema_version, SqliteSchemaVersion());
    EXPECT_EQ(stats->journal_mode, "wal");
    EXPECT_EQ(stats->path, path);
    EXPECT_GT(stats->file_bytes, 0);
  }
  EXPECT_EQ(PragmaOf(path, "PRAGMA application_id"), sqlite::kApplicationId);
  EXPECT_EQ(PragmaOf(path, "PRAGMA user_version"), SqliteSchemaVersion());
  EXPECT_EQ(PragmaOf(path, "SELECT count(*) FROM schema_migrations"), SqliteSchemaVersion());
  // Reopening is a no-op for the schema.
  ASSERT_TRUE(OpenAt(path).ok());
  EXPECT_EQ(PragmaOf(path, "SELECT count(*) FROM schema_migrations"), SqliteSchemaVersion());
}

TEST(MigrationsTest, MigratesAVersion1FileKeepingItsData) {
  ASSERT_GE(SqliteSchemaVersion(), 2);
  TempDir dir;
  std::string path = dir.File("old.db");
  {
    auto conn = sqlite::Connection::Open(path, false, 1000);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(sqlite::Migrate(**conn, 1, 1000).ok());
  }
  EXPECT_EQ(PragmaOf(path, "PRAGMA user_version"), 1);
  EXPECT_EQ(PragmaOf(path,
                     "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = "
                     "'episodes_by_started'"),
            0);
  RawSql(path,
         "INSERT INTO episodes (id, task_type, description, complexity, started_at) VALUES "
         "('old-1', 'testing', 'from v1', 'simple', 5)");
  auto store = OpenAt(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto e = (*store)->GetEpisode("old-1");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->description, "from v1");
  EXPECT_EQ(e->task_type, TaskType::kTesting);
  EXPECT_EQ((*store)->Stats()->schema_version, SqliteSchemaVersion());
  EXPECT_EQ(PragmaOf(path,
                     "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = "
                     "'episodes_by_started'"),
            1);
  EXPECT_TRUE((*store)->Verify().ok());
}

TEST(MigrationsTest, Version9GivesOldLessonsEmptyMetadataAndKeepsNewOnes) {
  ASSERT_GE(SqliteSchemaVersion(), 9);
  TempDir dir;
  std::string path = dir.File("v8.db");
  {
    auto conn = sqlite::Connection::Open(path, false, 1000);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(sqlite::Migrate(**conn, 8, 1000).ok());
  }
  RawSql(path,
         "INSERT INTO lessons (id, type, topic, title, content, confidence, scope, source, "
         "created_at, updated_at, version) VALUES ('old-l', 'gotcha', 't', 'from v8', 'c', 0.5, "
         "'global', 'manual', 5, 5, 1)");
  auto store = OpenAt(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto old = (*store)->GetLesson("old-l");
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->metadata, Json::object());
  EXPECT_FALSE(ToJson(*old).contains("metadata")) << "omitted when empty";
  Lesson l = *old;
  l.id = "new-l";
  l.metadata = {{"app", "desk"}, {"nested", {{"n", 1}}}};
  ASSERT_TRUE((*store)->InsertLesson(l).ok());
  auto back = (*store)->GetLesson("new-l");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->metadata, l.metadata);
  auto from_json = LessonFromJson(ToJson(*back));
  ASSERT_TRUE(from_json.ok());
  EXPECT_EQ(from_json->metadata, l.metadata);
}

TEST(MigrationsTest, RejectsANewerSchema) {
  TempDir dir;
  std::string path = dir.File("new.db");
  ASSERT_TRUE(OpenAt(path).ok());
  RawSql(path, "PRAGMA user_version = 99");
  auto store = OpenAt(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("newer"), std::string::npos);
  EXPECT_NE(store.status().message().find(path), std::string::npos);
  EXPECT_EQ(OpenAt(path, true).status().code(), ErrorCode::kFailedPrecondition);
}

TEST(MigrationsTest, RejectsGarbageNamingTheFile) {
  TempDir dir;
  std::string path = dir.File("garbage.db");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 131) % 251));
  }
  auto store = OpenAt(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kCorruption) << store.status().ToString();
  EXPECT_NE(store.status().message().find(path), std::string::npos);
}

TEST(MigrationsTest, RejectsForeignSqliteFiles) {
  TempDir dir;
  std::string plain = dir.File("plain.db");
  RawSql(plain, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
  auto store = OpenAt(plain);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kCorruption);
  EXPECT_NE(store.status().message().find("not an engram database"), std::string::npos);
  EXPECT_EQ(PragmaOf(plain, "SELECT count(*) FROM sqlite_schema"), 1);  // untouched

  std::string other_app = dir.File("other.db");
  RawSql(other_app, "PRAGMA application_id = 1234");
  EXPECT_EQ(OpenAt(other_app).status().code(), ErrorCode::kCorruption);
}

TEST(MigrationsTest, ReadOnlyMode) {
  TempDir dir;
  std::string path = dir.File("ro.db");
  EXPECT_TRUE(OpenAt(path, true).status().IsNotFound());
  {
    auto rw = OpenAt(path);
    ASSERT_TRUE(rw.ok());
    ASSERT_TRUE((*rw)->CreateEpisode(MakeEpisode("ep-1")).ok());
  }
  auto ro = OpenAt(path, true);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  EXPECT_TRUE((*ro)->GetEpisode("ep-1").ok());
  EXPECT_EQ((*ro)->CreateEpisode(MakeEpisode("ep-2")).code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ((*ro)->KvPut("a", "b", 1, {}, 1).status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE((*ro)->RunInTransaction([&] { return (*ro)->GetEpisode("ep-1").status(); }).ok());
  EXPECT_TRUE((*ro)->Verify().ok());

  std::string old = dir.File("old.db");
  {
    auto conn = sqlite::Connection::Open(old, false, 1000);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(sqlite::Migrate(**conn, 1, 1000).ok());
  }
  EXPECT_EQ(OpenAt(old, true).status().code(), ErrorCode::kFailedPrecondition);
}

TEST(MigrationsTest, ConcurrentFirstOpenMigratesOnce) {
  TempDir dir;
  std::string path = dir.File("race.db");
  std::vector<Status> results(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { results[i] = OpenAt(path).status(); });
  }
  for (auto& t : threads) t.join();
  for (const Status& st : results) EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(PragmaOf(path, "SELECT count(*) FROM schema_migrations"), SqliteSchemaVersion());
}

// Overwrites `len` bytes of `path` at `offset` with a pattern.
void Scribble(const std::string& path, std::streamoff offset, std::size_t len) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(f.good());
  f.seekp(offset);
  for (std::size_t i = 0; i < len; ++i) f.put(static_cast<char>(0xA5 ^ (i * 7)));
}

TEST(MigrationsTest, RejectsAnEngramFileWithADamagedSchemaPage) {
  TempDir dir;
  std::string path = dir.File("damaged.db");
  ASSERT_TRUE(OpenAt(path).ok());  // closed: the WAL is checkpointed into the file
  Scribble(path, 100, 3000);       // page 1 after the header: the schema b-tree
  auto store = OpenAt(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kCorruption) << store.status().ToString();
  EXPECT_NE(store.status().message().find(path), std::string::npos);
}

TEST(MigrationsTest, VerifyReportsDamagedDataPages) {
  TempDir dir;
  std::string path = dir.File("damaged.db");
  {
    auto store = OpenAt(path);
    ASSERT_TRUE(store.ok());
    for (int i = 0; i < 200; ++i) {
      Episode e = MakeEpisode("ep-" + std::to_string(i));
      e.description = std::string(500, 'x');
      ASSERT_TRUE((*store)->CreateEpisode(e).ok());
    }
  }
  // Damage a leaf page of episode_text (the indexed descriptions), which
  // opening the store does not read.
  std::int64_t page = 0, page_size = 0;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 "SELECT (SELECT max(pageno) FROM dbstat WHERE name = "
                                 "'episode_text' AND pagetype = 'leaf'), (SELECT page_size FROM "
                                 "pragma_page_size)",
                                 -1, &st, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    page = sqlite3_column_int64(st, 0);
    page_size = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  ASSERT_GT(page, 1);
  Scribble(path, static_cast<std::streamoff>((page - 1) * page_size), 64);
  auto store = OpenAt(path);
  ASSERT_TRUE(store.ok()) << store.status().ToString();  // the schema page is intact
  Status st = (*store)->Verify();
  EXPECT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
  EXPECT_NE(st.message().find(path), std::string::npos);
}

TEST(MigrationsTest, RejectsEmptyPath) {
  EXPECT_EQ(OpenAt("").status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace engram::store_test
