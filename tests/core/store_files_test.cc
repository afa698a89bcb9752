#include "engram/store_files.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace engram {
namespace {

TEST(StoreFilesTest, NamesTheDatabaseItsJournalFilesAndTheIndex) {
  EXPECT_EQ(LessonIndexPath("/tmp/a.db"), "/tmp/a.db.lessons.hnsw");
  EXPECT_EQ(StoreFilePaths("/tmp/a.db"),
            (std::vector<std::string>{"/tmp/a.db", "/tmp/a.db-wal", "/tmp/a.db-shm",
                                      "/tmp/a.db.lessons.hnsw"}));
}

}  // namespace
}  // namespace engram
