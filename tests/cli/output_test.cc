// Unit tests of the CLI's rendering helpers and exit-code mapping
// (src/cli/output.h, src/cli/context.h).
#include "cli/output.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "cli/context.h"

namespace engram::cli {
namespace {

TEST(Preview, KeepsShortSingleLines) { EXPECT_EQ(Preview("npm test", 20), "npm test"); }

TEST(Preview, CutsAtCharacterCountAndFirstLine) {
  EXPECT_EQ(Preview("abcdef", 3), "abc…");
  EXPECT_EQ(Preview("first\nsecond", 80), "first…");
  EXPECT_EQ(Preview("only line\n", 80), "only line");
  EXPECT_EQ(Preview("crlf\r\n", 80), "crlf");
}

TEST(Preview, NeverSplitsAUtf8Sequence) {
  EXPECT_EQ(Preview("héllo wörld", 2), "hé…");
  EXPECT_EQ(Preview("日本語テキスト", 3), "日本語…");
}

TEST(FormatDuration, PicksAReadableUnit) {
  EXPECT_EQ(FormatDuration(850), "850ms");
  EXPECT_EQ(FormatDuration(4100), "4.1s");
  EXPECT_EQ(FormatDuration(182'000), "3m 02s");
  EXPECT_EQ(FormatDuration(7'500'000), "2h 05m");
  EXPECT_EQ(FormatDuration(-1500), "-1.5s");
}

TEST(Table, AlignsColumnsByCharactersNotBytes) {
  Table table({"KEY", "VALUE"});
  table.Add({"é", "1"});
  table.Add({"long key", "2"});
  std::ostringstream os;
  table.Print(os);
  EXPECT_EQ(os.str(),
            "KEY       VALUE\n"
            "é         1\n"
            "long key  2\n");
}

TEST(WriteJson, OneLineAndInvalidUtf8IsReplacedNotThrown) {
  std::ostringstream os;
  WriteJson(os, Json{{"text", std::string("bad \xff byte")}});
  EXPECT_EQ(os.str(), "{\"text\":\"bad \xEF\xBF\xBD byte\"}\n");
}

TEST(ExitCodeFor, EachDocumentedGroupHasItsOwnCode) {
  EXPECT_EQ(ExitCodeFor(ErrorCode::kOk), 0);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kInternal), 1);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kInvalidArgument), 3);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kNotFound), 4);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kFailedPrecondition), 5);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kAlreadyExists), 5);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kCorruption), 6);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kIOError), 7);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kBusy), 7);
  EXPECT_EQ(ExitCodeFor(ErrorCode::kUnavailable), 7);
}

}  // namespace
}  // namespace engram::cli
