#include "store/sqlite/column_list.h"

#include <gtest/gtest.h>

namespace engram::sqlite {
namespace {

constexpr auto kCols = Columns("id", "kind", "created_at", "(SELECT 1) AS one");

TEST(ColumnListTest, PositionsComeFromTheNamesAtCompileTime) {
  static_assert(kCols["id"] == 0);
  static_assert(kCols["kind"] == 1);
  static_assert(kCols["created_at"] == 2);
  static_assert(kCols["one"] == 3);
  static_assert(kCols.size() == 4);
  EXPECT_EQ(kCols.Select(), "id, kind, created_at, (SELECT 1) AS one");
  EXPECT_EQ(Columns("id", "kind").Select("t"), "t.id, t.kind");
}

}  // namespace
}  // namespace engram::sqlite
