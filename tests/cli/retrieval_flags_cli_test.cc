// `engram search` end to end: a contradicting pair is flagged in the human
// output, the uses a one-shot search recorded are written when the
// process exits (the Engine's destructor), and --explain prints the same
// explanation as the operations (a raw bm25 beside every lexical score).
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

TEST_F(CliTest, SearchExplainReportsTheRawBm25OfALexicalMatch) {
  // "rebase" is in one lesson of two: FTS5 floors its idf at 1e-6.
  EngramJson({"lesson", "add", "--topic", "git", "--title", "Rebase before merging", "--content",
              "Rebasing keeps the history linear."});
  EngramJson({"lesson", "add", "--topic", "sql", "--title", "Index foreign keys", "--content",
              "Joins on unindexed foreign keys scan."});
  RunResult r = Engram({"search", "--bm25", "--explain", "--min-relevance", "0", "rebase"});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::string label = "explanation: ";
  const std::size_t at = r.out.find(label);
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::size_t from = at + label.size();
  const Json e = Json::parse(r.out.substr(from, r.out.find('\n', from) - from));
  EXPECT_DOUBLE_EQ(e["lexical"].get<double>(), 1.0) << e.dump();
  EXPECT_GT(e["bm25"].get<double>(), 0) << e.dump();
}

}  // namespace
}  // namespace engram::testing
