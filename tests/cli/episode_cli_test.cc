// `engram episode ...` end to end, global options and error conventions.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_F(CliTest, EpisodeLifecycleWithJson) {
  Json started = EngramJson({"episode", "start", "Fix flaky login test", "--task-type", "debugging",
                             "--language", "typescript", "--tag", "Jest", "--tag", "flaky",
                             "--metadata", R"({"ticket":"ENG-1"})"});
  const std::string id = started.value("id", "");
  ASSERT_FALSE(id.empty()) << started.dump();
  EXPECT_EQ(started["task_type"], "debugging");

  Json step = EngramJson({"episode", "log-step", id, "--tool", "bash", "--action", "npm test",
                          "--status", "error", "--output", "Timeout in login.spec.ts",
                          "--latency-ms", "5300", "--params", R"({"cmd":"npm test"})"});
  EXPECT_EQ(step["number"], 1);
  EXPECT_EQ(step["episode_id"], id);
  EngramJson({"episode", "log-step", id, "--tool", "editor", "--action", "await the promise",
              "--observation", "the session promise was not awaited"});
  Json done = EngramJson({"episode", "complete", id, "--outcome", "success", "--verdict",
                          "test stable", "--artifact", "login.spec.ts"});
  EXPECT_EQ(done["id"], id);

  Json got = EngramJson({"episode", "get", id});
  ASSERT_EQ(got["steps"].size(), 2u) << got.dump();
  EXPECT_EQ(got["steps"][0]["parameters"]["cmd"], "npm test");
  EXPECT_EQ(got["steps"][1]["observation"], "the session promise was not awaited");
  EXPECT_EQ(got["outcome"]["kind"], "success");
  EXPECT_TRUE(got["reward"].contains("total")) << got.dump();
  EXPECT_TRUE(got["reflection"].is_object()) << got.dump();
  EXPECT_EQ(got["metadata"]["ticket"], "ENG-1");

  Json listed = EngramJson({"episode", "list", "--completed"});
  ASSERT_TRUE(listed.is_array());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["id"], id);
  EXPECT_EQ(EngramJson({"episode", "list", "--open"}).size(), 0u);
}

TEST_F(CliTest, HumanGetShowsStepsRewardComponentsAndReflection) {
  RunResult start = Engram({"episode", "start", "--description", "Refactor parser"});
  ASSERT_EQ(start.exit_code, kExitOk) << start.err;
  const std::string id = start.out.substr(0, start.out.find('\n'));  // prints just the id
  ASSERT_EQ(Engram({"episode", "log-step", id, "--tool", "bash", "--action", "make"}).exit_code,
            kExitOk);
  RunResult complete =
      Engram({"episode", "complete", id, "--outcome", "failure", "--reason", "tests broke"});
  ASSERT_EQ(complete.exit_code, kExitOk) << complete.err;
  EXPECT_TRUE(Contains(complete.out, "reward")) << complete.out;

  RunResult get = Engram({"episode", "get", id});
  ASSERT_EQ(get.exit_code, kExitOk) << get.err;
  for (const char* text :
       {"Refactor parser", "#1", "make", "failure", "tests broke", "reward", "base", "efficiency",
        "complexity", "quality", "learning", "reflection"}) {
    EXPECT_TRUE(Contains(get.out, text)) << text << " missing from:\n" << get.out;
  }
  EXPECT_TRUE(get.err.empty()) << get.err;
}

TEST_F(CliTest, NotFoundExitCodeAndErrorConventions) {
  const std::string id = "0193f1c2-7b4e-7a10-8c3d-2f9e6b1a4c5d";
  RunResult human = Engram({"episode", "get", id});
  EXPECT_EQ(human.exit_code, kExitNotFound);
  EXPECT_TRUE(human.out.empty()) << human.out;
  EXPECT_EQ(human.err.rfind("engram: not_found: ", 0), 0u) << human.err;
  EXPECT_TRUE(Contains(human.err, id)) << human.err;

  RunResult machine = Engram({"episode", "get", id, "--json"});  // --json after the command
  EXPECT_EQ(machine.exit_code, kExitNotFound);
  Json error = machine.json();
  EXPECT_EQ(error["error"]["code"], "not_found");
  EXPECT_TRUE(Contains(error["error"]["message"].get<std::string>(), id));
  EXPECT_TRUE(machine.err.empty()) << machine.err;
}

TEST_F(CliTest, InvalidJsonArgumentIsNamedAndStoresNothing) {
  RunResult r = Engram({"episode", "start", "task", "--metadata", "{oops"});
  EXPECT_EQ(r.exit_code, kExitInvalidArgument);
  EXPECT_TRUE(Contains(r.err, "--metadata")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(db_path()));  // rejected before opening the database

  const std::string id = EngramJson({"episode", "start", "task"}).value("id", "");
  r = Engram({"episode", "log-step", id, "--tool", "bash", "--action", "ls", "--params", "[1,"});
  EXPECT_EQ(r.exit_code, kExitInvalidArgument);
  EXPECT_TRUE(Contains(r.err, "--params")) << r.err;
  EXPECT_EQ(EngramJson({"episode", "get", id})["steps"].size(), 0u);
}

TEST_F(CliTest, InvalidValuesAreInvalidArgument) {
  RunResult r = Engram({"episode", "start", "task", "--task-type", "juggling"});
  EXPECT_EQ(r.exit_code, kExitInvalidArgument);
  EXPECT_TRUE(Contains(r.err, "--task-type")) << r.err;
  r = Engram({"episode", "start", "task", "--tag", "not a tag"});
  EXPECT_EQ(r.exit_code, kExitInvalidArgument) << r.err;
  const std::string id = EngramJson({"episode", "start", "task"}).value("id", "");
  r = Engram({"episode", "complete", id, "--outcome", "failure", "--verdict", "x"});
  EXPECT_EQ(r.exit_code, kExitInvalidArgument);
  EXPECT_TRUE(Contains(r.err, "--verdict")) << r.err;
  r = Engram({"episode", "complete", id, "--outcome", "maybe"});
  EXPECT_EQ(r.exit_code, kExitInvalidArgument);
}

TEST_F(CliTest, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"episode", "start", "task", "--no-such-flag"},
        std::vector<std::string>{"episode"}, std::vector<std::string>{},
        std::vector<std::string>{"episode", "log-step", "some-id"},  // --tool missing
        std::vector<std::string>{"episode", "log-step", "x", "--tool", "t", "--action", "a",
                                 "--latency-ms", "fast"},
        std::vector<std::string>{"bogus"}}) {
    RunResult r = Engram(args);
    EXPECT_EQ(r.exit_code, kExitUsage) << ::testing::PrintToString(args) << "\n" << r.err;
    EXPECT_FALSE(r.err.empty());
  }
}

TEST_F(CliTest, CompletingTwiceIsAConflict) {
  const std::string id = EngramJson({"episode", "start", "task"}).value("id", "");
  ASSERT_EQ(Engram({"episode", "complete", id, "--outcome", "abstained", "--stopped-at-step", "0"})
                .exit_code,
            kExitOk);
  RunResult again = Engram({"episode", "complete", id, "--outcome", "success"});
  EXPECT_EQ(again.exit_code, kExitConflict);
  EXPECT_TRUE(Contains(again.err, "failed_precondition")) << again.err;
}

TEST_F(CliTest, OutputFromStdinAndDelete) {
  const std::string id = EngramJson({"episode", "start", "task"}).value("id", "");
  RunResult step =
      Engram({"episode", "log-step", id, "--tool", "bash", "--action", "make", "--output", "-"},
             "line one\nline two\n");
  ASSERT_EQ(step.exit_code, kExitOk) << step.err;
  EXPECT_EQ(EngramJson({"episode", "get", id})["steps"][0]["result"]["output"],
            "line one\nline two\n");
  Json deleted = EngramJson({"episode", "delete", id});
  EXPECT_EQ(deleted["deleted"], "episode");
  EXPECT_EQ(Engram({"episode", "get", id}).exit_code, kExitNotFound);
}

TEST_F(CliTest, EngramDbEnvironmentVariableIsHonoured) {
  const std::string env_db = dir_.File("from-env/engram.db");
  RunOptions options = BaseOptions();
  options.env.push_back({"ENGRAM_DB", env_db});
  RunResult r = RunEngram({"--json", "episode", "start", "from env"}, options);
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::string id = r.json().value("id", "");
  EXPECT_TRUE(std::filesystem::exists(env_db));
  // --db wins over ENGRAM_DB.
  RunResult other = RunEngram({"--db", db_path(), "--json", "episode", "list"}, options);
  ASSERT_EQ(other.exit_code, kExitOk) << other.err;
  EXPECT_EQ(other.json().size(), 0u);
  RunResult via_env = RunEngram({"--json", "episode", "get", id}, options);
  EXPECT_EQ(via_env.exit_code, kExitOk) << via_env.err;
}

TEST_F(CliTest, DefaultPathUsesXdgDataHome) {
  RunOptions options = BaseOptions();
  options.env.push_back({"XDG_DATA_HOME", dir_.File("xdg")});
  ASSERT_EQ(RunEngram({"episode", "start", "x"}, options).exit_code, kExitOk);
  EXPECT_TRUE(std::filesystem::exists(dir_.File("xdg/engram/engram.db")));
  options = BaseOptions();  // no XDG: under HOME
  ASSERT_EQ(RunEngram({"db", "status"}, options).exit_code, kExitOk);
  EXPECT_TRUE(std::filesystem::exists(dir_.File(".local/share/engram/engram.db")));
}

}  // namespace
}  // namespace engram::testing
