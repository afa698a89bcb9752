#include "store_test_util.h"

#include <sqlite3.h>
#include <stdlib.h>

#include <cstdio>
#include <vector>

#include "store/sqlite/checksum_vfs.h"

namespace engram::store_test {

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/engram-store-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) std::abort();
  path_ = buf.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void StoreTest::SetUp() {
  store_ = Open();
  ASSERT_NE(store_, nullptr);
}

std::unique_ptr<Store> StoreTest::Open(const std::string& name) {
  SqliteOptions options;
  options.path = dir_.File(name);
  auto store = OpenSqliteStore(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return nullptr;
  return std::move(store).value();
}

Episode MakeEpisode(const std::string& id, Timestamp started_at) {
  Episode e;
  e.id = id;
  e.task_type = TaskType::kDebugging;
  e.description = "fix the flaky test in " + id;
  e.context.language = "cpp";
  e.context.framework = "gtest";
  e.context.domain = "storage";
  e.context.project = "engram";
  e.context.tags = {"zeta", "alpha", "sqlite"};  // order is kept as given
  e.context.complexity = Complexity::kComplex;
  e.started_at = started_at;
  e.metadata = Json{{"agent", "test"}, {"n", 1}};
  return e;
}

Step MakeStep(const std::string& action, Timestamp ts) {
  Step s;
  s.tool = "bash";
  s.action = action;
  s.parameters = Json{{"cmd", action}, {"cwd", "/work"}};
  s.result.status = StepStatus::kError;
  s.result.output = "exit 1: boom";
  s.latency_ms = 42;
  s.tokens = 7;
  s.observation = "it failed";
  s.timestamp = ts;
  return s;
}

Lesson MakeLesson(const std::string& id, Timestamp created_at) {
  Lesson l;
  l.id = id;
  l.type = LessonType::kGotcha;
  l.topic = "sqlite";
  l.title = "WAL needs -shm";
  l.content = "Read-only WAL databases need the -shm file.";
  l.confidence = 0.8;
  l.scope = LessonScope::kGlobal;
  l.source = LessonSource::kIncident;
  l.tags = {"db", "wal"};
  l.created_at = created_at;
  l.updated_at = created_at;
  return l;
}

Outcome MakeSuccess() { return SuccessOutcome{"tests pass", {"src/a.cc", "PR#1"}}; }

RewardBreakdown MakeReward(double total) {
  RewardBreakdown r;
  r.base = 0.6;
  r.efficiency = 0.1;
  r.quality = 0.05;
  r.total = total;
  r.notes = {"base: success", "efficiency: fast"};
  return r;
}

Reflection MakeReflection() {
  Reflection r;
  r.successes = {"found the race"};
  r.failures = {"first fix was wrong"};
  r.improvements = {"read the log first"};
  r.insights = {"flaky = shared state"};
  return r;
}

void RawSql(const std::string& path, const std::string& sql) {
  auto vfs = sqlite::ChecksumVfsName();
  ASSERT_TRUE(vfs.ok()) << vfs.status().ToString();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, *vfs),
            SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << msg << " in: " << sql;
}

namespace {

std::string ColumnText(sqlite3_stmt* st, int col) {
  switch (sqlite3_column_type(st, col)) {
    case SQLITE_NULL:
      return "NULL";
    case SQLITE_INTEGER:
      return std::to_string(sqlite3_column_int64(st, col));
    case SQLITE_FLOAT: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(st, col));
      return buf;
    }
    case SQLITE_BLOB: {
      const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(st, col));
      std::string hex = "x'";
      for (int i = 0; i < sqlite3_column_bytes(st, col); ++i) {
        char buf[3];
        std::snprintf(buf, sizeof buf, "%02x", bytes[i]);
        hex += buf;
      }
      return hex + "'";
    }
    default:
      return "'" +
             std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, col)),
                         static_cast<std::size_t>(sqlite3_column_bytes(st, col))) +
             "'";
  }
}

}  // namespace

std::vector<std::string> RawRows(const std::string& path, const std::string& sql) {
  std::vector<std::string> rows;
  auto vfs = sqlite::ChecksumVfsName();
  EXPECT_TRUE(vfs.ok()) << vfs.status().ToString();
  if (!vfs.ok()) return rows;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, *vfs) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db);
    sqlite3_close(db);
    return rows;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db) << " in: " << sql;
    sqlite3_close(db);
    return rows;
  }
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(st); ++c) {
      if (c > 0) row += " | ";
      row += ColumnText(st, c);
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) ADD_FAILURE() << sqlite3_errmsg(db) << " in: " << sql;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

}  // namespace engram::store_test
