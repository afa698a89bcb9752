// Page checksums (checksum_vfs.h, page_checksum.h): the hash sees every
// single-bit flip; a new store has checksums; a damaged page fails the read
// that touches it with kCorruption naming the file and page; Verify lists
// every bad page; an older file without checksums works and is migrated
// by EnablePageChecksums; backups and restores keep the format.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "store/sqlite/db.h"
#include "store/sqlite/file_check.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/page_checksum.h"
#include "store_test_util.h"

namespace engram::store_test {
namespace {

namespace fs = std::filesystem;

void FlipBit(const std::string& path, std::size_t byte, int bit) {
  std::string bytes = ReadAll(path);
  ASSERT_LT(byte, bytes.size());
  bytes[byte] = static_cast<char>(bytes[byte] ^ (1 << bit));
  WriteAll(path, bytes);
}

// Flips bit `bit` of byte `delta` of every copy of `needle` in the file (a
// lesson's text is in its row and in the full-text tables); returns their
// offsets.
std::vector<std::size_t> FlipEvery(const std::string& path, const std::string& needle,
                                   std::size_t delta, int bit) {
  std::string bytes = ReadAll(path);
  std::vector<std::size_t> at;
  for (std::size_t i = bytes.find(needle); i != std::string::npos; i = bytes.find(needle, i + 1)) {
    at.push_back(i);
  }
  for (std::size_t i : at) bytes[i + delta] = static_cast<char>(bytes[i + delta] ^ (1 << bit));
  WriteAll(path, bytes);
  EXPECT_FALSE(at.empty()) << needle;
  return at;
}

constexpr std::size_t kPage = 4096;

TEST(PageHashTest, EverySingleBitFlipChangesTheHash) {
  std::mt19937_64 rng(7);
  std::vector<unsigned char> page(kPage);
  for (auto& b : page) b = static_cast<unsigned char>(rng());
  const std::size_t n = kPage - sqlite::kReservedBytes;
  const std::uint64_t h = sqlite::PageHash(page.data(), n);
  for (std::size_t i = 0; i < n; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      page[i] ^= static_cast<unsigned char>(1 << bit);
      ASSERT_NE(sqlite::PageHash(page.data(), n), h) << "byte " << i << " bit " << bit;
      page[i] ^= static_cast<unsigned char>(1 << bit);
    }
  }
}

TEST(PageHashTest, StampedPageChecksAndADamagedOneDoesNot) {
  std::vector<unsigned char> page(kPage, 0x5a);
  sqlite::StampPage(page.data(), page.size());
  EXPECT_TRUE(sqlite::PageChecksumMatches(page.data(), page.size()));
  page[4090] ^= 1;  // in the checksum itself
  EXPECT_FALSE(sqlite::PageChecksumMatches(page.data(), page.size()));
}

class PageChecksumTest : public StoreTest {
 protected:
  void Populate(Store& s) {
    for (int i = 0; i < 40; ++i) {
      Lesson l = MakeLesson("l-" + std::to_string(i));
      l.content = "marker-" + std::to_string(i) + ": close the file handle or it will leak";
      ASSERT_TRUE(s.InsertLesson(l).ok());
    }
    ASSERT_TRUE(s.KvPut("ns", "k", Json{{"v", 1}}, {}, 1).ok());
  }
};

TEST_F(PageChecksumTest, ANewStoreHasChecksumsAndVerifies) {
  Populate(*store_);
  auto stats = store_->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_TRUE(stats->page_checksums);
  EXPECT_TRUE(store_->Verify().ok());
  store_.reset();
  auto on_disk = sqlite::FileHasPageChecksums(db_path());
  ASSERT_TRUE(on_disk.ok());
  EXPECT_TRUE(*on_disk);
  store_ = Open();
  EXPECT_TRUE(store_->Verify().ok());
  EXPECT_TRUE(store_->GetLesson("l-3").ok());
}

TEST_F(PageChecksumTest, AReadOfADamagedPageIsCorruptionNamingFileAndPage) {
  Populate(*store_);
  store_.reset();  // checkpointed into the file
  // "marker-17" -> "marker-16": what would be served were pages unchecked.
  const std::vector<std::size_t> at = FlipEvery(db_path(), "marker-17:", 8, 0);
  store_ = Open();
  auto got = store_->GetLesson("l-17");
  ASSERT_FALSE(got.ok()) << "served: " << got->content;
  EXPECT_EQ(got.status().code(), ErrorCode::kCorruption) << got.status().ToString();
  bool named = false;
  for (std::size_t a : at) {
    const std::string page = "page " + std::to_string(a / kPage + 1) + " of '" + db_path() + "'";
    named = named || got.status().message().find(page) != std::string::npos;
  }
  EXPECT_TRUE(named) << got.status().message();
  EXPECT_NE(got.status().message().find("checksum"), std::string::npos);
}

TEST_F(PageChecksumTest, VerifyListsEveryBadPage) {
  Populate(*store_);
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(store_->KvPut("bulk", "k" + std::to_string(i), std::string(300, 'x'), {}, 1).ok());
  }
  store_.reset();
  const std::size_t pages = fs::file_size(db_path()) / kPage;
  ASSERT_GE(pages, 10U);
  const std::vector<std::size_t> damaged = {2, pages / 2, pages};
  for (std::size_t pgno : damaged) FlipBit(db_path(), (pgno - 1) * kPage + 100, 3);
  store_ = Open();
  Status st = store_->Verify();
  ASSERT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
  for (std::size_t pgno : damaged) {
    EXPECT_NE(st.message().find("page " + std::to_string(pgno) + ":"), std::string::npos)
        << st.message();
  }
}

TEST_F(PageChecksumTest, ADamagedReservedBytesCountIsNotMistakenForNoChecksums) {
  Populate(*store_);
  store_.reset();
  FlipBit(db_path(), sqlite::kReserveByteOffset, 0);  // 8 -> 9
  SqliteOptions o;
  o.path = db_path();
  auto reopened = OpenSqliteStore(o);
  if (reopened.ok()) {
    Status st = (*reopened)->Verify();
    EXPECT_EQ(st.code(), ErrorCode::kCorruption) << st.ToString();
  } else {
    EXPECT_EQ(reopened.status().code(), ErrorCode::kCorruption) << reopened.status().ToString();
  }
}

// An engram file from before page checksums: reserve 0, the same schema.
void MakeOldFile(const std::string& path) {
  auto conn = sqlite::Connection::Open(path, false, 1000);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  ASSERT_TRUE((*conn)->Exec("PRAGMA journal_mode = WAL").ok());
  Status st = sqlite::Migrate(**conn, sqlite::LatestSchemaVersion(), 1000);
  ASSERT_TRUE(st.ok()) << st.ToString();
}

TEST_F(PageChecksumTest, AnOlderFileWorksAndIsMigratedByEnablePageChecksums) {
  store_.reset();
  const std::string old = dir_.File("old.db");
  MakeOldFile(old);
  auto opened = Open("old.db");
  ASSERT_NE(opened, nullptr);
  Populate(*opened);
  auto stats = opened->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_FALSE(stats->page_checksums);
  EXPECT_TRUE(opened->Verify().ok());
  auto before = opened->ListLessons({});
  ASSERT_TRUE(before.ok());

  Status st = opened->EnablePageChecksums();
  ASSERT_TRUE(st.ok()) << st.ToString();
  stats = opened->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(stats->page_checksums);
  EXPECT_TRUE(opened->Verify().ok());
  auto after = opened->ListLessons({});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), before->size());
  for (std::size_t i = 0; i < after->size(); ++i) {
    EXPECT_EQ(ToJson((*after)[i]).dump(), ToJson((*before)[i]).dump());
  }
  EXPECT_TRUE(opened->EnablePageChecksums().ok());  // nothing left to do
  ASSERT_TRUE(opened->KvPut("ns", "after", 2, {}, 2).ok());
  opened.reset();

  auto on_disk = sqlite::FileHasPageChecksums(old);
  ASSERT_TRUE(on_disk.ok());
  EXPECT_TRUE(*on_disk);
  FlipEvery(old, "marker-5:", 0, 1);
  opened = Open("old.db");
  auto got = opened->GetLesson("l-5");
  EXPECT_EQ(got.status().code(), ErrorCode::kCorruption) << got.status().ToString();
}

TEST_F(PageChecksumTest, BackupAndRestoreKeepTheFormat) {
  Populate(*store_);
  const std::string backup = dir_.File("backup.db");
  ASSERT_TRUE(store_->Backup(backup).ok());
  auto has = sqlite::FileHasPageChecksums(backup);
  ASSERT_TRUE(has.ok());
  EXPECT_TRUE(*has);
  std::vector<std::string> problems;
  ASSERT_TRUE(sqlite::ScanPages(backup, problems, 20).ok());
  EXPECT_TRUE(problems.empty()) << problems.front();

  // An old-format backup restored over a checksummed store: the store takes
  // the backup's format, and every page of it reads back.
  const std::string old = dir_.File("old.db");
  MakeOldFile(old);
  {
    auto o = Open("old.db");
    ASSERT_TRUE(o->KvPut("ns", "from-old", 1, {}, 1).ok());
  }
  Status st = store_->Restore(old);
  ASSERT_TRUE(st.ok()) << st.ToString();
  st = store_->Verify();
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(store_->KvGet("ns", "from-old", 1).ok());
  // And back: the checksummed backup over it.
  st = store_->Restore(backup);
  ASSERT_TRUE(st.ok()) << st.ToString();
  st = store_->Verify();
  EXPECT_TRUE(st.ok()) << st.ToString();
  auto stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(stats->page_checksums);
  EXPECT_TRUE(store_->GetLesson("l-39").ok());
}

}  // namespace
}  // namespace engram::store_test
