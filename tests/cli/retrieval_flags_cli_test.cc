// `engram search` end to end: a contradicting pair is flagged in the human
// output, and the uses a one-shot search recorded are written when the
// process exits (the Engine's destructor).
#include <gtest/gtest.h>

#include <string>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

TEST_F(CliTest, SearchFlagsContradictionsAndRecordsUsesOnExit) {
  Json use = EngramJson({"lesson", "add", "--topic", "xstate", "--title",
                         "Use XState actions for side effects", "--content",
                         "Use XState actions to run side effects.", "--confidence", "0.4"});
  Json avoid = EngramJson({"lesson", "add", "--topic", "xstate", "--title",
                           "Avoid XState actions for side effects", "--content",
                           "Avoid XState actions for side effects.", "--confidence", "0.8"});
  RunResult r = Engram({"search", "--bm25", "XState actions side effects"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("warning: Contradicts lesson '" + avoid.value("id", "") + "'"),
            std::string::npos)
      << r.out;
  // The more trusted "Avoid" lesson is first.
  const std::size_t first = r.out.find("1. [");
  ASSERT_NE(first, std::string::npos) << r.out;
  EXPECT_NE(r.out.substr(first, r.out.find('\n', first) - first).find("Avoid XState"),
            std::string::npos)
      << r.out;
  Json got = EngramJson({"lesson", "get", use.value("id", "")});
  EXPECT_EQ(got["use_count"], 1) << got.dump();
  EXPECT_TRUE(got.contains("last_used_at"));
}

}  // namespace
}  // namespace engram::testing
