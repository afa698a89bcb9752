// `engram feedback`, `engram contradictions` and `engram learn decay` through
// the real binary (docs/LEARNING.md), keyword-only so results do not depend
// on the model.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

class LearningCliTest : public CliTest {
 protected:
  Json Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--db", db_path(), "--json"});
    RunOptions options = BaseOptions();
    options.env.emplace_back("ENGRAM_EMBEDDER", "none");
    RunResult r = RunEngram(args, options);
    EXPECT_EQ(r.exit_code, kExitOk) << ::testing::PrintToString(args) << r.out << r.err;
    return r.json();
  }
  std::string Add(std::vector<std::string> args) {
    args.insert(args.begin(), {"lesson", "add"});
    return Run(args)["id"].get<std::string>();
  }
  // Two lessons of opposite stance on one subject: an open contradiction.
  std::pair<std::string, std::string> AddOpposites() {
    return {Add({"--topic", "react", "--title", "Always return effect cleanups", "--content",
                 "Always return a cleanup function from useEffect"}),
            Add({"--type", "anti_pattern", "--topic", "react", "--title",
                 "Never return effect cleanups", "--content",
                 "Never return a cleanup function from useEffect"})};
  }
};

TEST_F(LearningCliTest, FeedbackMovesConfidenceAndIsListed) {
  const std::string id = Add({"--topic", "react", "--title", "Return a cleanup from effects",
                              "--content", "Always return a cleanup function from useEffect"});
  Json fb = Run({"feedback", "lesson", id, "--signal", "helped", "--actor", "agent:test"});
  EXPECT_DOUBLE_EQ(fb["event"]["before"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(fb["event"]["after"].get<double>(), 0.55);  // c + 0.10 (1 - c)
  Json harmful = Run({"feedback", "lesson", id, "--signal", "harmful"});
  EXPECT_LT(harmful["event"]["after"].get<double>(), 0.55);
  Json list = Run({"feedback", "list", id});
  ASSERT_EQ(list["count"], 2);
  EXPECT_EQ(list["events"][0]["signal"], "harmful");  // newest first
  EXPECT_EQ(list["events"][1]["actor"], "agent:test");
}

TEST_F(LearningCliTest, ContradictionIsFlaggedAndResolvedBySupersedingTheOther) {
  const auto [keep, lose] = AddOpposites();
  Json open = Run({"contradictions"});
  ASSERT_EQ(open["count"], 1) << open.dump();
  const std::string cid = open["contradictions"][0]["id"];
  EXPECT_NE(open["contradictions"][0]["reason"].get<std::string>().find("opposite stance"),
            std::string::npos);

  Json resolved = Run({"contradictions", "resolve", cid, "--keep", keep});
  EXPECT_EQ(Run({"contradictions"})["count"], 0) << resolved.dump();
  Json loser = Run({"lesson", "get", lose});
  EXPECT_EQ(loser["deprecated"], true);
  EXPECT_EQ(loser["superseded_by"], keep);
  EXPECT_EQ(Run({"lesson", "get", keep})["deprecated"], false);
  EXPECT_FALSE(Run({"lesson", "history", lose}).empty());  // never deleted
}

// Issue 21 §3: a --keep that is not one of the pair's lessons is invalid
// input (exit 3, as docs/CLI.md says), naming both lessons; nothing changes.
TEST_F(LearningCliTest, ResolveWithAKeepOutsideThePairExits3AndChangesNothing) {
  const auto [keep, lose] = AddOpposites();
  const std::string other = Add(
      {"--topic", "git", "--title", "Small commits", "--content", "Commit one change at a time"});
  Json open = Run({"contradictions"});
  ASSERT_EQ(open["count"], 1) << open.dump();
  const std::string cid = open["contradictions"][0]["id"];

  RunOptions options = BaseOptions();
  options.env.emplace_back("ENGRAM_EMBEDDER", "none");
  RunResult r =
      RunEngram({"--db", db_path(), "contradictions", "resolve", cid, "--keep", other}, options);
  EXPECT_EQ(r.exit_code, kExitInvalidArgument) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("engram: invalid_argument: lesson '" + other +
                       "' is not part of contradiction '" + cid + "'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(keep), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(lose), std::string::npos) << r.err;
  EXPECT_EQ(Run({"contradictions"})["count"], 1);  // still open
  for (const std::string& id : {keep, lose, other}) {
    EXPECT_EQ(Run({"lesson", "get", id})["deprecated"], false) << id;
  }
}

TEST_F(LearningCliTest, DecayDryRunWritesNothingAndFrameworkMajorDeprecates) {
  const std::string old = Add({"--topic", "react", "--title", "Class lifecycle order", "--content",
                               "componentWillMount runs before render", "--tag", "react:18"});
  const std::string current = Add({"--topic", "react", "--title", "Hooks order", "--content",
                                   "Hooks run in call order on every render", "--tag", "react:19"});
  Json dry = Run({"learn", "decay", "--dry-run", "--framework", "react", "--major", "19"});
  EXPECT_EQ(dry["dry_run"], true);
  ASSERT_EQ(dry["changed"], 1) << dry.dump();
  EXPECT_EQ(dry["changes"][0]["lesson_id"], old);
  EXPECT_EQ(Run({"lesson", "get", old})["deprecated"], false);

  Json run = Run({"learn", "decay", "--framework", "react", "--major", "19"});
  EXPECT_EQ(run["changed"], 1);
  EXPECT_EQ(Run({"lesson", "get", old})["deprecated"], true);
  EXPECT_EQ(Run({"lesson", "get", current})["deprecated"], false);
}

}  // namespace
}  // namespace engram::testing
