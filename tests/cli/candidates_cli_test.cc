// `engram learn diff|transcript` and `engram candidates ...` through the
// real binary.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

constexpr const char* kDiff =
    "diff --git a/src/App.tsx b/src/App.tsx\n--- a/src/App.tsx\n+++ b/src/App.tsx\n"
    "@@ -1,2 +1,2 @@\n function App() {\n-  useEffect(() => store.getState());\n"
    "+  const s = useStore(selector);\n";

class CandidatesCliTest : public CliTest {};

TEST_F(CandidatesCliTest, LearnDiffFromStdinQueuesOnceAndApproveMakesALesson) {
  RunResult first = Engram({"learn", "diff"}, kDiff);
  ASSERT_EQ(first.exit_code, kExitOk) << first.err;
  EXPECT_EQ(first.out.rfind("queued ", 0), 0u) << first.out;
  RunResult again = Engram({"--json", "learn", "diff", "-"}, kDiff);
  ASSERT_EQ(again.exit_code, kExitOk) << again.err;
  Json proposed = again.json();
  ASSERT_EQ(proposed.size(), 1u);
  EXPECT_EQ(proposed[0]["created"], false);
  EXPECT_EQ(proposed[0]["origin_ref"], "stdin");
  const std::string id = proposed[0]["id"];

  Json listed = EngramJson({"candidates", "list", "--status", "pending"});
  ASSERT_EQ(listed.size(), 1u);
  RunResult shown = Engram({"candidates", "show", id});
  ASSERT_EQ(shown.exit_code, kExitOk);
  EXPECT_NE(shown.out.find("evidence:\nsrc/App.tsx\n@@ -1,2 +1,2 @@"), std::string::npos)
      << shown.out;

  Json approved = EngramJson({"candidates", "approve", id, "--title",
                              "Avoid reading the store imperatively in effects", "--type",
                              "anti_pattern", "--note", "review"});
  EXPECT_EQ(approved["lesson"]["title"], "Avoid reading the store imperatively in effects");
  EXPECT_EQ(approved["lesson"]["source"], "diff");
  EXPECT_EQ(EngramJson({"lesson", "list"}).size(), 1u);

  RunResult twice = Engram({"candidates", "approve", id});
  EXPECT_EQ(twice.exit_code, kExitConflict) << twice.err;
  EXPECT_NE(twice.err.find("already approved"), std::string::npos) << twice.err;
  EXPECT_EQ(EngramJson({"lesson", "list"}).size(), 1u);
}

TEST_F(CandidatesCliTest, LearnTranscriptEditAndReject) {
  const std::string path = dir_.File("chat.json");
  std::ofstream(path) << R"({"messages": [{"role": "user",
      "content": "Always run the tests before you commit. Thanks!"}]})";
  Json proposed = EngramJson({"learn", "transcript", path});
  ASSERT_EQ(proposed.size(), 1u);
  EXPECT_EQ(proposed[0]["type"], "best_practice");
  EXPECT_EQ(proposed[0]["origin_ref"], path);
  const std::string id = proposed[0]["id"];

  Json edited = EngramJson({"candidates", "edit", id, "--topic", "git", "--tag", "workflow"});
  EXPECT_EQ(edited["topic"], "git");
  EXPECT_EQ(edited["tags"], Json::array({"workflow"}));
  Json rejected = EngramJson({"candidates", "reject", id, "--note", "obvious"});
  EXPECT_EQ(rejected["status"], "rejected");
  EXPECT_EQ(EngramJson({"lesson", "list"}).size(), 0u);
}

TEST_F(CandidatesCliTest, BadInputExitsWithAClearError) {
  RunResult bad = Engram({"learn", "diff"}, "@@ -1 +1 @@\n-a\n+b\n");
  EXPECT_EQ(bad.exit_code, kExitInvalidArgument);
  EXPECT_NE(bad.err.find("diff line 1: hunk header before any"), std::string::npos) << bad.err;
  RunResult missing = Engram({"learn", "transcript", dir_.File("nope.json")});
  EXPECT_EQ(missing.exit_code, kExitNotFound) << missing.err;
  RunResult not_json = Engram({"learn", "transcript", "-"}, "{not json");
  EXPECT_EQ(not_json.exit_code, kExitInvalidArgument) << not_json.err;
  RunResult unknown = Engram({"candidates", "show", "nope"});
  EXPECT_EQ(unknown.exit_code, kExitNotFound);
  RunResult status = Engram({"candidates", "list", "--status", "maybe"});
  EXPECT_EQ(status.exit_code, kExitInvalidArgument);
  EXPECT_NE(status.err.find("--status: unknown candidate status 'maybe'"), std::string::npos)
      << status.err;
}

TEST_F(CandidatesCliTest, ApprovedCandidateKeepsItsProjectUnlessOverridden) {
  RunResult queued = Engram({"--json", "learn", "diff", "--project", "billing"}, kDiff);
  ASSERT_EQ(queued.exit_code, kExitOk) << queued.err;
  Json list = queued.json();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["project"], "billing");
  const std::string id = list[0]["id"];
  EXPECT_EQ(EngramJson({"candidates", "list", "--project", "shop"}).size(), 0u);
  EXPECT_EQ(EngramJson({"candidates", "list", "--project", "billing"}).size(), 1u);
  RunResult both = Engram({"candidates", "approve", id, "--global", "--project", "shop"});
  EXPECT_NE(both.exit_code, kExitOk);
  Json approved = EngramJson({"candidates", "approve", id});
  EXPECT_EQ(approved["lesson"]["scope"], "project");
  EXPECT_EQ(approved["lesson"]["project"], "billing");

  RunResult other = Engram({"--json", "learn", "diff", "--project", "shop"}, kDiff);
  ASSERT_EQ(other.exit_code, kExitOk) << other.err;
  Json global = EngramJson({"candidates", "approve", other.json()[0]["id"], "--global"});
  EXPECT_EQ(global["lesson"]["scope"], "global");
}

}  // namespace
}  // namespace engram::testing
