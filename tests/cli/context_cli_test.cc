// `engram context` says what worked: the README quick start's fix shows up
// for a new similar task, in --json and in the human output.
#include <gtest/gtest.h>

#include <string>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_F(CliTest, ContextShowsTheFixThatWorkedAndTheWarnings) {
  Json started = EngramJson({"episode", "start", "Fix flaky login test", "--task-type", "debugging",
                             "--language", "typescript", "--framework", "jest"});
  const std::string id = started.value("id", "");
  ASSERT_FALSE(id.empty()) << started.dump();
  EngramJson({"episode", "log-step", id, "--tool", "bash", "--action", "npm test", "--status",
              "error", "--output", "Timeout in login.spec.ts", "--latency-ms", "5300"});
  EngramJson({"episode", "log-step", id, "--tool", "editor", "--action",
              "await the session promise", "--latency-ms", "900"});
  EngramJson({"episode", "log-step", id, "--tool", "bash", "--action", "npm test", "--latency-ms",
              "4100"});
  EngramJson({"episode", "complete", id, "--outcome", "success", "--verdict", "test stable"});
  EngramJson({"lesson", "add", "--type", "gotcha", "--topic", "testing", "--title",
              "Await async setup in jest", "--content",
              "Unawaited promises in beforeEach make tests flaky.", "--tag", "jest"});

  const std::string fix =
      "bash: npm test failed: Timeout in login.spec.ts -> editor: await the session promise -> "
      "bash: npm test passed";
  Json ctx = EngramJson({"context", "--bm25", "Fix flaky checkout test", "--language", "typescript",
                         "--framework", "jest", "--task-type", "debugging"});
  ASSERT_EQ(ctx["episodes"].size(), 1u) << ctx.dump();
  const Json& w = ctx["episodes"][0]["what_worked"];
  ASSERT_EQ(w["recovery"].size(), 1u) << w.dump();
  EXPECT_EQ(w["recovery"][0]["text"], fix);
  EXPECT_EQ(w["approach"], Json::array({"editor: await the session promise", "bash: npm test"}));
  EXPECT_TRUE(Contains(ctx["summary"].get<std::string>(), fix)) << ctx["summary"];
  ASSERT_EQ(ctx["warnings"].size(), 1u) << ctx.dump();
  EXPECT_EQ(ctx["warnings"][0]["kind"], "gotcha");

  RunResult human = Engram({"context", "--bm25", "Fix flaky checkout test", "--language",
                            "typescript", "--framework", "jest"});
  ASSERT_EQ(human.exit_code, kExitOk) << human.err;
  EXPECT_TRUE(Contains(human.out, "    fixed: " + fix)) << human.out;
  EXPECT_TRUE(Contains(human.out,
                       "    approach: editor: await the session promise -> bash: npm "
                       "test"))
      << human.out;
  EXPECT_TRUE(Contains(human.out, "warnings:\n  - [gotcha] Await async setup in jest"))
      << human.out;
  // The recovered failure is not listed again as a bare failed step.
  EXPECT_FALSE(Contains(human.out, "failed: Step 1")) << human.out;
}

}  // namespace
}  // namespace engram::testing
