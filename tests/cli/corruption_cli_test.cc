// Damaged stores through the CLI (issue 20, section 3): `db verify` names
// every damaged page and exits 6; `db export` replaces invalid UTF-8 in
// stored text and counts it, and `export -` never prints a partial export;
// an empty database beside its index file is corruption, a missing one a
// new store; `db enable-checksums` migrates a file from before checksums.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cli_fixture.h"
#include "engram/store.h"
#include "store/sqlite/db.h"
#include "store/sqlite/migrations.h"

namespace engram::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

class CorruptionCliTest : public CliTest {
 protected:
  // Lessons written through the store (fast; no embedder), each with
  // `content` plus its number.
  void AddLessons(const std::string& db, int n, const std::string& content) {
    SqliteOptions o;
    o.path = db;
    auto store = OpenSqliteStore(o);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int i = 0; i < n; ++i) {
      Lesson l;
      l.id = "l-" + std::to_string(i);
      l.type = LessonType::kGotcha;
      l.topic = "files";
      l.title = "handles";
      l.content = content + " #" + std::to_string(i) + " " + std::string(300, 'x');
      l.confidence = 0.7;
      l.scope = LessonScope::kGlobal;
      l.source = LessonSource::kIncident;
      l.created_at = l.updated_at = 1000 + i;
      ASSERT_TRUE((*store)->InsertLesson(l).ok());
    }
  }
};

TEST_F(CorruptionCliTest, VerifyNamesEveryDamagedPageAndExits6) {
  AddLessons(db_path(), 60, "close the file or it will leak");
  Json status = EngramJson({"db", "status"});
  EXPECT_EQ(status["page_checksums"], true);
  EXPECT_EQ(EngramJson({"db", "verify"})["ok"], true);

  std::string bytes = ReadAll(db_path());
  const std::size_t pages = bytes.size() / 4096;
  ASSERT_GE(pages, 8U);
  const std::vector<std::size_t> damaged = {3, pages - 1};
  for (std::size_t pgno : damaged) bytes[(pgno - 1) * 4096 + 2000] ^= 0x10;
  WriteAll(db_path(), bytes);

  RunResult r = Engram({"db", "verify"});
  EXPECT_EQ(r.exit_code, kExitCorruption) << r.out << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
  for (std::size_t pgno : damaged) {
    EXPECT_NE(r.err.find("page " + std::to_string(pgno) + ": page checksum mismatch"),
              std::string::npos)
        << r.err;
  }
  RunResult j = Engram({"--json", "db", "verify"});
  EXPECT_EQ(j.exit_code, kExitCorruption);
  EXPECT_EQ(j.json()["error"]["code"], "corruption") << j.out;
}

TEST_F(CorruptionCliTest, ExportReplacesInvalidUtf8AndCountsIt) {
  AddLessons(db_path(), 3, "bad \xff byte");
  const std::string file = dir_.File("export.jsonl");
  Json stats = EngramJson({"db", "export", file});
  EXPECT_EQ(stats["lessons"], 3);
  EXPECT_EQ(stats["invalid_utf8_replaced"], 3);
  const std::string text = ReadAll(file);
  EXPECT_NE(text.find("bad \xEF\xBF\xBD byte #1"), std::string::npos);
  EXPECT_EQ(text.find('\xff'), std::string::npos);
  RunResult human = Engram({"db", "export", dir_.File("human.jsonl")});
  EXPECT_EQ(human.exit_code, kExitOk) << human.err;
  EXPECT_NE(human.out.find("replaced 3 invalid UTF-8 sequences"), std::string::npos) << human.out;

  // To stdout: the whole export, the count on stderr.
  RunResult out = Engram({"db", "export", "-"});
  ASSERT_EQ(out.exit_code, kExitOk) << out.err;
  EXPECT_EQ(out.out.rfind(R"({"magic":"engram-export")", 0), 0U) << out.out;
  EXPECT_NE(out.out.find(R"({"kind":"trailer")"), std::string::npos);
  EXPECT_NE(out.out.find("bad \xEF\xBF\xBD byte #2"), std::string::npos);
  EXPECT_NE(out.err.find("replaced 3"), std::string::npos) << out.err;

  // It is a valid export: the CRC holds and it imports.
  const std::string fresh = dir_.File("fresh.db");
  RunResult imported = RunEngram({"--db", fresh, "--json", "db", "import", file}, BaseOptions());
  ASSERT_EQ(imported.exit_code, kExitOk) << imported.out << imported.err;
  EXPECT_EQ(imported.json()["lessons"], 3);
}

TEST_F(CorruptionCliTest, AFailedExportToStdoutPrintsNoPartialExport) {
  AddLessons(db_path(), 60, "close the file or it will leak");
  // Every copy of one lesson's text (its row and its full-text row): a page
  // the export reads after it has written others.
  std::string bytes = ReadAll(db_path());
  int copies = 0;
  for (std::size_t at = bytes.find("leak #59"); at != std::string::npos;
       at = bytes.find("leak #59", at + 1)) {
    bytes[at] ^= 0x01;
    ++copies;
  }
  ASSERT_GT(copies, 0);
  WriteAll(db_path(), bytes);
  RunResult r = Engram({"--json", "db", "export", "-"});
  EXPECT_EQ(r.exit_code, kExitCorruption) << r.err;
  EXPECT_EQ(r.out.find("engram-export"), std::string::npos) << "partial export: " << r.out;
  EXPECT_EQ(r.json()["error"]["code"], "corruption") << r.out;
}

TEST_F(CorruptionCliTest, AnEmptyDatabaseBesideItsIndexIsCorruptionAMissingOneIsNew) {
  AddLessons(db_path(), 2, "text");
  WriteAll(db_path() + ".lessons.hnsw", "an index built from the lessons");
  fs::resize_file(db_path(), 0);
  RunResult r = Engram({"db", "status"});
  EXPECT_EQ(r.exit_code, kExitCorruption) << r.out << r.err;
  EXPECT_NE(r.err.find("is empty but its index"), std::string::npos) << r.err;

  const std::string fresh = dir_.File("new.db");
  RunResult created = RunEngram({"--db", fresh, "--json", "db", "status"}, BaseOptions());
  ASSERT_EQ(created.exit_code, kExitOk) << created.err;
  EXPECT_EQ(created.json()["lessons"], 0);
  EXPECT_EQ(created.json()["page_checksums"], true);
}

TEST_F(CorruptionCliTest, EnableChecksumsMigratesAnOlderFile) {
  {  // a file from before page checksums: the schema, no reserved bytes
    auto conn = sqlite::Connection::Open(db_path(), false, 1000);
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    ASSERT_TRUE((*conn)->Exec("PRAGMA journal_mode = WAL").ok());
    ASSERT_TRUE(sqlite::Migrate(**conn, sqlite::LatestSchemaVersion(), 1000).ok());
  }
  AddLessons(db_path(), 20, "older file");
  EXPECT_EQ(EngramJson({"db", "status"})["page_checksums"], false);
  RunResult human = Engram({"db", "status"});
  EXPECT_NE(human.out.find("engram db enable-checksums"), std::string::npos) << human.out;

  Json done = EngramJson({"db", "enable-checksums"});
  EXPECT_EQ(done["rewritten"], true);
  EXPECT_EQ(done["page_checksums"], true);
  EXPECT_EQ(EngramJson({"db", "status"})["page_checksums"], true);
  EXPECT_EQ(EngramJson({"db", "status"})["lessons"], 20);
  EXPECT_EQ(EngramJson({"db", "verify"})["ok"], true);
  EXPECT_EQ(EngramJson({"db", "enable-checksums"})["rewritten"], false);
}

}  // namespace
}  // namespace engram::testing
