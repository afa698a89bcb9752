// Project isolation through the real binary (issue 19 §1): the issue's
// dedupe example and `engram context --project` showing nothing of another
// project (candidates: candidates_cli_test.cc).
#include <gtest/gtest.h>

#include <string>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

class IsolationCliTest : public CliTest {};

TEST_F(IsolationCliTest, ProjectLessonIsNotMergedIntoTheGlobalOne) {
  const std::string title = "Await async setup in jest beforeEach";
  ASSERT_EQ(Engram({"lesson", "add", "--topic", "testing", "--title", title, "--content",
                    "Unawaited promises in beforeEach make jest tests flaky. Await the promise."})
                .exit_code,
            kExitOk);
  RunResult billing =
      Engram({"lesson", "add", "--topic", "testing", "--title", title, "--content",
              "In billing-service, unawaited promises in beforeEach make jest tests flaky; await "
              "the LedgerClient.connect() promise.",
              "--project", "billing"});
  ASSERT_EQ(billing.exit_code, kExitOk) << billing.err;
  Json shop = EngramJson({"search", "LedgerClient connect", "--project", "shop", "--limit", "1"});
  EXPECT_EQ(shop.dump().find("LedgerClient"), std::string::npos) << shop.dump();
  Json own = EngramJson({"search", "LedgerClient connect", "--project", "billing", "--limit", "1"});
  EXPECT_NE(own.dump().find("LedgerClient"), std::string::npos) << own.dump();
}

TEST_F(IsolationCliTest, ContextForAProjectShowsNoOtherProjectsEpisodes) {
  for (const std::string project : {"billing", "shop"}) {
    Json ep = EngramJson({"call", "start_episode",
                          Json{{"description", "Fix flaky jest login test in " + project},
                               {"context", {{"project", project}}}}
                              .dump()});
    const std::string id = ep["id"];
    EngramJson({"call", "log_step",
                Json{{"episode_id", id}, {"tool", "bash"}, {"action", "npm test"}}.dump()});
    EngramJson(
        {"call", "complete_episode",
         Json{{"episode_id", id}, {"outcome", {{"kind", "success"}, {"verdict", "ok"}}}}.dump()});
  }
  Json shop = EngramJson({"context", "flaky jest login test", "--project", "shop", "--bm25"});
  ASSERT_EQ(shop["episodes"].size(), 1u) << shop.dump();
  EXPECT_EQ(shop["episodes"][0]["context"]["project"], "shop");
  EXPECT_EQ(shop.dump().find("billing"), std::string::npos) << shop.dump();
  RunResult human = Engram({"context", "flaky jest login test", "--project", "shop", "--bm25"});
  EXPECT_EQ(human.out.find("billing"), std::string::npos) << human.out;
  Json both = EngramJson({"context", "flaky jest login test", "--project", "shop", "--bm25",
                          "--include-other-projects"});
  EXPECT_EQ(both["episodes"].size(), 2u) << both.dump();
  Json none = EngramJson({"context", "flaky jest login test", "--bm25"});
  EXPECT_EQ(none["episodes"].size(), 0u) << none.dump();
}

}  // namespace
}  // namespace engram::testing
