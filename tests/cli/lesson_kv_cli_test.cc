// `engram lesson ...` and `engram kv ...` end to end.
#include <gtest/gtest.h>

#include <string>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

TEST_F(CliTest, LessonAddUpdateDeprecateHistory) {
  // --content - with empty stdin: empty content is rejected.
  EXPECT_EQ(Engram({"lesson", "add", "--topic", "t", "--title", "t", "--content", "-"}).exit_code,
            kExitInvalidArgument);
  RunResult r = Engram(
      {"--json", "lesson", "add", "--type", "gotcha", "--topic", "testing", "--title",
       "Await async setup in jest", "--content", "-", "--tag", "Jest", "--confidence", "0.7"},
      "Unawaited promises in beforeEach make tests flaky.\n");
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  Json lesson = r.json();
  const std::string id = lesson.value("id", "");
  EXPECT_EQ(lesson["content"], "Unawaited promises in beforeEach make tests flaky.\n");
  EXPECT_EQ(lesson["tags"], Json::array({"jest"}));
  EXPECT_EQ(lesson["version"], 1);

  Json updated = EngramJson(
      {"lesson", "update", id, "--title", "Always await async setup", "--reason", "clearer"});
  EXPECT_EQ(updated["version"], 2);
  EXPECT_EQ(updated["title"], "Always await async setup");
  Json deprecated = EngramJson({"lesson", "deprecate", id, "--reason", "outdated"});
  EXPECT_EQ(deprecated["deprecated"], true);

  Json history = EngramJson({"lesson", "history", id});
  ASSERT_EQ(history.size(), 2u) << history.dump();
  EXPECT_EQ(history[0]["reason"], "clearer");
  EXPECT_EQ(history[1]["reason"], "deprecate: outdated");

  EXPECT_EQ(EngramJson({"lesson", "list", "--topic", "testing"}).size(), 0u);
  EXPECT_EQ(EngramJson({"lesson", "list", "--topic", "testing", "--include-deprecated"}).size(),
            1u);
  RunResult human = Engram({"lesson", "get", id});
  EXPECT_NE(human.out.find("Always await async setup"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("deprecated"), std::string::npos) << human.out;

  EXPECT_EQ(Engram({"lesson", "deprecate", id}).exit_code, kExitConflict);
  EXPECT_EQ(EngramJson({"lesson", "delete", id})["id"], id);
  EXPECT_EQ(Engram({"lesson", "get", id}).exit_code, kExitNotFound);
}

TEST_F(CliTest, LessonAddTakesYourIdAndMetadataAndReplacesAStoredId) {
  Json first =
      EngramJson({"lesson", "add", "--id", "mem-9", "--topic", "testing", "--title", "Await setup",
                  "--content", "Await async setup.", "--metadata", R"({"app":"desk"})"});
  EXPECT_EQ(first["id"], "mem-9");
  EXPECT_EQ(first["metadata"], (Json{{"app", "desk"}}));
  RunResult again = Engram({"lesson", "add", "--id", "mem-9", "--topic", "testing", "--title",
                            "Await setup in beforeEach", "--content", "Await it in beforeEach."});
  ASSERT_EQ(again.exit_code, kExitOk) << again.err;
  EXPECT_NE(again.out.find("replaced lesson mem-9 (version 2"), std::string::npos) << again.out;
  Json history = EngramJson({"lesson", "history", "mem-9"});
  ASSERT_EQ(history.size(), 1u) << history.dump();
  EXPECT_EQ(history[0]["reason"], "add: replaced");
  RunResult bad = Engram({"lesson", "add", "--id", "x", "--topic", "t", "--title", "t", "--content",
                          "c", "--metadata", "[1]"});
  EXPECT_EQ(bad.exit_code, kExitInvalidArgument);
  EXPECT_NE(bad.err.find("metadata must be a JSON object"), std::string::npos) << bad.err;
}

TEST_F(CliTest, LessonSituationsAreAddedReplacedAndSearched) {
  Json added = EngramJson({"lesson", "add", "--topic", "ci", "--title", "Pin the runner image",
                           "--content", "Use a fixed image digest.", "--situation",
                           "Hash Sum mismatch on the nightly job", "--situation",
                           "runner image changed overnight"});
  EXPECT_EQ(added["situations"],
            (Json{"Hash Sum mismatch on the nightly job", "runner image changed overnight"}));
  const std::string id = added["id"];
  Json found = EngramJson({"search", "hash sum mismatch", "--bm25"});
  ASSERT_FALSE(found["results"].empty()) << found.dump();
  EXPECT_EQ(found["results"][0]["lesson"]["id"], id);
  Json updated = EngramJson({"lesson", "update", id, "--situation", "apt fails in CI"});
  EXPECT_EQ(updated["situations"], (Json{"apt fails in CI"}));
  RunResult bad = Engram({"lesson", "update", id, "--situation", " "});
  EXPECT_EQ(bad.exit_code, kExitInvalidArgument);
  EXPECT_NE(bad.err.find("situations[0]"), std::string::npos) << bad.err;
}

TEST_F(CliTest, LessonProjectImpliesProjectScope) {
  Json lesson = EngramJson({"lesson", "add", "--topic", "build", "--title", "Use ninja",
                            "--content", "faster", "--project", "alpha"});
  EXPECT_EQ(lesson["scope"], "project");
  EXPECT_EQ(lesson["project"], "alpha");
  RunResult bad = Engram(
      {"lesson", "add", "--topic", "t", "--title", "t", "--content", "c", "--confidence", "2"});
  EXPECT_EQ(bad.exit_code, kExitInvalidArgument);
  EXPECT_NE(bad.err.find("confidence"), std::string::npos) << bad.err;
}

TEST_F(CliTest, KvPutGetListDelete) {
  Json put = EngramJson({"kv", "put", "agent", "cursor", R"({"last": 3})"});
  EXPECT_EQ(put["version"], 1);
  EngramJson({"kv", "put", "agent", "prefs", R"("dark")", "--ttl", "3600"});
  EngramJson({"kv", "put", "other", "cursor", "1"});

  Json got = EngramJson({"kv", "get", "agent", "cursor"});
  EXPECT_EQ(got["value"]["last"], 3);
  Json listed = EngramJson({"kv", "list", "agent"});
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["key"], "cursor");
  EXPECT_TRUE(listed[1].contains("expires_at")) << listed[1].dump();
  EXPECT_EQ(EngramJson({"kv", "list", "agent", "--prefix", "pr"}).size(), 1u);

  // Compare-and-set: a stale version is a conflict and changes nothing.
  RunResult stale = Engram({"kv", "put", "agent", "cursor", "4", "--expect-version", "7"});
  EXPECT_EQ(stale.exit_code, kExitConflict) << stale.err;
  EXPECT_EQ(EngramJson({"kv", "put", "agent", "cursor", "4", "--expect-version", "1"})["version"],
            2);

  RunResult bad = Engram({"kv", "put", "agent", "k", "{not json"});
  EXPECT_EQ(bad.exit_code, kExitInvalidArgument);
  EXPECT_NE(bad.err.find("value"), std::string::npos) << bad.err;

  EngramJson({"kv", "delete", "agent", "cursor"});
  EXPECT_EQ(Engram({"kv", "get", "agent", "cursor"}).exit_code, kExitNotFound);
  RunResult human = Engram({"kv", "get", "other", "cursor"});
  EXPECT_EQ(human.exit_code, kExitOk);
  EXPECT_NE(human.out.find("other/cursor"), std::string::npos) << human.out;
}

}  // namespace
}  // namespace engram::testing
