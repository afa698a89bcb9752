// Store::WarmPages (SqliteStore, page_warm.cc): every page of the tables and
// indexes searches read is read once, within the byte budget, and ends up
// in the OS page cache; a stop or a zero budget reads nothing.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <stop_token>
#include <string>
#include <vector>

#include "store_test_util.h"

namespace engram::store_test {
namespace {

// What searches read, as the test states it: lesson and episode rows with
// their id indexes, text rows, tags, full-text structures and word bounds.
constexpr char kSearchStructures[] =
    "'sqlite_autoindex_lessons_1', 'lessons', 'lesson_text', 'sqlite_autoindex_lesson_text_1', "
    "'lesson_tags', 'lesson_fts_docsize', 'lesson_fts_idx', 'lesson_fts_data', "
    "'fts_word_bounds', 'sqlite_autoindex_episodes_1', 'episodes', 'episode_text', "
    "'sqlite_autoindex_episode_text_1', 'episode_tags', 'episode_fts_docsize', "
    "'episode_fts_idx', 'episode_fts_data'";
constexpr int kStructures = 17;

class PageWarmTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store_
                    ->RunInTransaction([&]() -> Status {
                      for (int i = 0; i < 400; ++i) {
                        Lesson l = MakeLesson("lesson-" + std::to_string(i));
                        l.content = std::string(600, static_cast<char>('a' + i % 26)) + " lesson " +
                                    std::to_string(i);
                        l.tags = {"tag-" + std::to_string(i % 7)};
                        ENGRAM_RETURN_IF_ERROR(store_->InsertLesson(l));
                      }
                      for (int i = 0; i < 30; ++i) {
                        ENGRAM_RETURN_IF_ERROR(
                            store_->CreateEpisode(MakeEpisode("ep-" + std::to_string(i))));
                      }
                      return Status::Ok();
                    })
                    .ok());
  }

  // The first column of `sql`'s first row on a read-only connection.
  std::int64_t QueryInt(const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_step(st), SQLITE_ROW);
    const std::int64_t value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return value;
  }
  // Bytes of the pages of kSearchStructures, by SQLite's dbstat.
  std::int64_t ExpectedBytes() {
    return QueryInt(std::string("SELECT sum(pgsize) FROM dbstat WHERE name IN (") +
                    kSearchStructures + ")");
  }
  std::int64_t PageSize() { return QueryInt("PRAGMA page_size"); }
};

// Bytes of `path` the OS holds in its page cache (mincore).
std::int64_t ResidentBytes(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return -1;
  struct stat st {};
  ::fstat(fd, &st);
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return -1;
  const long page = ::sysconf(_SC_PAGESIZE);
  std::vector<unsigned char> in((size + page - 1) / page);
  const int rc = ::mincore(map, size, in.data());
  ::munmap(map, size);
  if (rc != 0) return -1;
  std::int64_t resident = 0;
  for (unsigned char c : in) resident += (c & 1) ? page : 0;
  return resident;
}

// Asks the OS to drop `path` from its page cache (clean pages only).
void Evict(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

// Whether this process maps `path` itself (not its -wal or -shm), by
// /proc/self/maps, whose lines end with the mapped file's path.
bool Mapped(const std::string& path) {
  std::ifstream maps("/proc/self/maps");
  for (std::string line; std::getline(maps, line);) {
    if (line.size() > path.size() &&
        line.compare(line.size() - path.size(), path.size(), path) == 0 &&
        line[line.size() - path.size() - 1] == ' ') {
      return true;
    }
  }
  return false;
}

TEST_F(PageWarmTest, ReadsEveryPageOfTheStructuresSearchesRead) {
  auto got = store_->WarmPages({});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->structures, kStructures);
  EXPECT_FALSE(got->stopped);
  const std::int64_t expected = ExpectedBytes();
  EXPECT_GT(expected, 400 * 600);  // the lesson rows alone
  EXPECT_EQ(got->bytes, expected);
}

TEST_F(PageWarmTest, LeavesThePagesInTheOsPageCache) {
  store_.reset();  // checkpoints the WAL into the file
  Evict(db_path());
  const std::int64_t before = ResidentBytes(db_path());
  const std::int64_t expected = ExpectedBytes();
  Evict(db_path());
  if (before < 0 || before > expected / 4) {
    GTEST_SKIP() << "this file system keeps the file cached (" << before << " bytes resident)";
  }
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  auto got = store_->WarmPages({});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->bytes, expected);
  EXPECT_GE(ResidentBytes(db_path()), expected);
}

TEST_F(PageWarmTest, StopsAtTheByteBudget) {
  PageWarmOptions o;
  o.max_bytes = 1;
  auto got = store_->WarmPages(o);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->bytes, PageSize());  // one page: the budget is checked before each next page
  EXPECT_EQ(got->structures, 0);
  EXPECT_FALSE(got->stopped);

  const std::int64_t all = ExpectedBytes();
  o.max_bytes = all;
  got = store_->WarmPages(o);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->bytes, all);
  EXPECT_EQ(got->structures, kStructures);

  o.max_bytes = all - PageSize();  // all but the last page
  got = store_->WarmPages(o);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->bytes, all - PageSize());
  EXPECT_EQ(got->structures, kStructures - 1);
}

// A fault on a cold mapped page costs more than a read, so the store maps
// its file only once the warm-up has read every page searches read.
TEST_F(PageWarmTest, ReadsAreMappedOnlyOnceTheWarmUpReadEveryPage) {
  store_.reset();  // checkpoints the WAL: pages are read from the file itself
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  const auto read_something = [&] {
    auto got = store_->GetLesson("lesson-7");
    ASSERT_TRUE(got.ok()) << got.status().ToString();
  };
  read_something();
  EXPECT_FALSE(Mapped(db_path()));
  PageWarmOptions o;
  o.max_bytes = PageSize();  // cut short: most pages are still cold
  ASSERT_TRUE(store_->WarmPages(o).ok());
  read_something();
  EXPECT_FALSE(Mapped(db_path()));
  auto got = store_->WarmPages({});
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_EQ(got->structures, kStructures);
  read_something();
  EXPECT_TRUE(Mapped(db_path()));

  // mmap_mib 0: never mapped.
  store_.reset();
  SqliteOptions plain;
  plain.path = db_path();
  plain.mmap_mib = 0;
  auto reopened = OpenSqliteStore(plain);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  store_ = std::move(*reopened);
  ASSERT_TRUE(store_->WarmPages({}).ok());
  read_something();
  EXPECT_FALSE(Mapped(db_path()));
}

TEST_F(PageWarmTest, ZeroBudgetOrAStopReadsNothingAndANegativeBudgetIsAnError) {
  PageWarmOptions o;
  o.max_bytes = 0;
  auto got = store_->WarmPages(o);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->bytes, 0);
  EXPECT_FALSE(got->stopped);

  std::stop_source stop;
  stop.request_stop();
  o.max_bytes = 1 << 30;
  o.stop = stop.get_token();
  got = store_->WarmPages(o);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->bytes, 0);
  EXPECT_TRUE(got->stopped);

  o.max_bytes = -1;
  EXPECT_EQ(store_->WarmPages(o).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace engram::store_test
