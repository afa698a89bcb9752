// Issue 21 §3: every `--status` filter (`engram candidates list`,
// `engram contradictions`) and the `status` argument of the matching
// operations take the same values: the statuses, or `all` for every one; a
// bad value is refused with the same error naming them all.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

class StatusFilterCliTest : public CliTest {
 protected:
  void SetUp() override { env_.emplace_back("ENGRAM_EMBEDDER", "none"); }

  // A pending and a rejected candidate; a dismissed contradiction.
  void Populate() {
    RunResult transcript =
        Engram({"--json", "learn", "transcript", "-"},
               R"({"messages": [{"role": "user", "content": )"
               R"("Always run the tests before you commit. Never push to main on a Friday."}]})");
    ASSERT_EQ(transcript.exit_code, kExitOk) << transcript.err;
    ASSERT_EQ(transcript.json().size(), 2u) << transcript.out;
    EngramJson({"candidates", "reject", transcript.json()[0]["id"]});

    EngramJson({"lesson", "add", "--topic", "react", "--title", "Always return effect cleanups",
                "--content", "Always return a cleanup function from useEffect"});
    EngramJson({"lesson", "add", "--type", "anti_pattern", "--topic", "react", "--title",
                "Never return effect cleanups", "--content",
                "Never return a cleanup function from useEffect"});
    Json open = EngramJson({"contradictions"});
    ASSERT_EQ(open["count"], 1) << open.dump();
    EngramJson({"contradictions", "dismiss", open["contradictions"][0]["id"]});
  }
};

// Items in a list's JSON: the array of `candidates list`, the "count" of
// `contradictions` and of the operations; npos for anything else (an error).
std::size_t Count(const Json& list) {
  if (list.is_array()) return list.size();
  if (!list.is_object()) return std::string::npos;
  return list.value("count", std::string::npos);
}

TEST_F(StatusFilterCliTest, AllListsEveryStatusAndABadValueNamesTheAcceptedOnes) {
  Populate();
  const struct {
    std::vector<std::string> command;
    std::string operation;
    std::string one_status;
    std::size_t by_default, of_one_status, all;
    std::string error;
  } cases[] = {
      {{"candidates", "list"},
       "list_candidates",
       "rejected",
       2,
       1,
       2,
       "unknown candidate status 'maybe'; expected one of: pending, approved, rejected, all"},
      {{"contradictions"},
       "list_contradictions",
       "dismissed",
       0,
       1,
       1,
       "unknown contradiction status 'maybe'; expected one of: open, resolved, dismissed, all"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.operation);
    auto with = [&](std::vector<std::string> extra) {
      std::vector<std::string> args = c.command;
      args.insert(args.end(), extra.begin(), extra.end());
      return args;
    };
    EXPECT_EQ(Count(EngramJson(c.command)), c.by_default);
    EXPECT_EQ(Count(EngramJson(with({"--status", c.one_status}))), c.of_one_status);
    EXPECT_EQ(Count(EngramJson(with({"--status", "all"}))), c.all);
    EXPECT_EQ(Count(EngramJson({"call", c.operation, R"({"status": "all"})"})), c.all);

    RunResult bad = Engram(with({"--status", "maybe"}));
    EXPECT_EQ(bad.exit_code, kExitInvalidArgument);
    EXPECT_EQ(bad.out, "");
    EXPECT_EQ(bad.err, "engram: invalid_argument: --status: " + c.error + "\n");
  }
}

}  // namespace
}  // namespace engram::testing
