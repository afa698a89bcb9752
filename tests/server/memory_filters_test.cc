// Filters of the recall operations: query_memory's task_type and domain
// keep only matching episodes; analyze_patterns' min_success_rate leaves
// out patterns that succeed less often. Bad values are invalid_argument.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engram/json.h"
#include "engram/pattern_learning.h"
#include "server/operation.h"
#include "with_engine.h"

namespace engram::server {
namespace {

class MemoryFiltersTest : public WithEngine<::testing::Test> {
 protected:
  ErrorCode CallError(const std::string& name, const Json& args) {
    Result<Json> r = table_->Call(name, args);
    EXPECT_FALSE(r.ok()) << name << " " << args.dump();
    return r.ok() ? ErrorCode::kOk : r.status().code();
  }

  // A completed episode; returns its id.
  std::string Episode(const std::string& description, const std::string& task_type,
                      const std::string& domain) {
    Json ep = CallOk("start_episode", {{"description", description},
                                       {"task_type", task_type},
                                       {"context", {{"domain", domain}}}});
    std::string id = ep["id"];
    CallOk("complete_episode",
           {{"episode_id", id}, {"outcome", {{"kind", "success"}, {"verdict", "done"}}}});
    return id;
  }

  // The ids of query_memory's episodes for `filters`.
  std::set<std::string> Found(const Json& filters) {
    Json args = {{"query", "login redirect loop"}, {"min_relevance", 0}, {"limit", 50}};
    for (const auto& [key, value] : filters.items()) args[key] = value;
    const Json found = CallOk("query_memory", args);
    std::set<std::string> ids;
    for (const Json& e : found["episodes"]) ids.insert(e["id"]);
    return ids;
  }

  // An episode whose failing `npm test` is fixed (or not).
  void PatternEpisode(bool fixed, int i) {
    Json ep = CallOk("start_episode", {{"description", "Fix flaky test " + std::to_string(i)},
                                       {"task_type", "debugging"}});
    const std::string id = ep["id"];
    const std::string spec = "src/m" + std::to_string(i) + ".spec.ts";
    const Json failing = {{"episode_id", id},
                          {"tool", "bash"},
                          {"action", "npm test -- " + spec},
                          {"status", "error"},
                          {"output", "Timeout"}};
    CallOk("log_step", failing);
    if (fixed) {
      CallOk("log_step",
             {{"episode_id", id}, {"tool", "editor"}, {"action", "await the promise in " + spec}});
      CallOk("log_step", {{"episode_id", id}, {"tool", "bash"}, {"action", "npm test -- " + spec}});
      CallOk("complete_episode",
             {{"episode_id", id}, {"outcome", {{"kind", "success"}, {"verdict", "stable"}}}});
    } else {
      CallOk("log_step", failing);
      CallOk("complete_episode",
             {{"episode_id", id}, {"outcome", {{"kind", "failure"}, {"reason", "timeout"}}}});
    }
  }
};

TEST_F(MemoryFiltersTest, QueryMemoryKeepsOnlyEpisodesOfTheTaskTypeAndDomain) {
  const std::string web_debug = Episode("Fix the login redirect loop", "debugging", "web");
  const std::string cli_debug =
      Episode("Fix the login redirect loop in the CLI", "debugging", "cli");
  const std::string web_test = Episode("Test the login redirect loop", "testing", "web");

  EXPECT_EQ(Found(Json::object()), (std::set<std::string>{web_debug, cli_debug, web_test}));
  EXPECT_EQ(Found({{"domain", "web"}}), (std::set<std::string>{web_debug, web_test}));
  EXPECT_EQ(Found({{"task_type", "debugging"}}), (std::set<std::string>{web_debug, cli_debug}));
  EXPECT_EQ(Found({{"task_type", "debugging"}, {"domain", "web"}}),
            (std::set<std::string>{web_debug}));
  EXPECT_TRUE(Found({{"domain", "embedded"}}).empty());
  EXPECT_EQ(Found({{"domain", ""}}).size(), 3u) << "an empty domain is no filter";

  EXPECT_EQ(CallError("query_memory", {{"query", "login"}, {"task_type", "frobbing"}}),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CallError("query_memory", {{"query", "login"}, {"domain", 7}}),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CallError("query_memory", {{"query", "login"}, {"domain", std::string(300, 'd')}}),
            ErrorCode::kInvalidArgument);
  // The schema publishes both.
  const Json& props = table_->Find("query_memory")->input_schema["properties"];
  EXPECT_TRUE(props.contains("task_type"));
  EXPECT_TRUE(props["task_type"].contains("enum"));
  EXPECT_TRUE(props.contains("domain"));
}

TEST_F(MemoryFiltersTest, AnalyzePatternsLeavesOutPatternsBelowMinSuccessRate) {
  for (int i = 0; i < 3; ++i) PatternEpisode(true, i);
  for (int i = 3; i < 5; ++i) PatternEpisode(false, i);
  // Every episode runs `npm test` (3 of 5 succeeded); only the fixed ones
  // hold the recovery (3 of 3).
  const Json all = CallOk("analyze_patterns", {{"learn", false}, {"limit", 100}});
  bool below = false;
  for (const Json& p : all["patterns"]) below |= p["success_rate"].get<double>() < 0.9;
  ASSERT_TRUE(below) << all.dump(2);

  const Json kept =
      CallOk("analyze_patterns", {{"learn", false}, {"limit", 100}, {"min_success_rate", 0.9}});
  ASSERT_FALSE(kept["patterns"].empty()) << kept.dump(2);
  bool recovery = false;
  for (const Json& p : kept["patterns"]) {
    EXPECT_GE(p["success_rate"].get<double>(), 0.9) << p.dump();
    recovery |= p["kind"] == "error_recovery";
  }
  EXPECT_TRUE(recovery) << kept.dump(2);
  // 1 keeps only patterns that always succeeded; the limit applies after.
  const Json perfect =
      CallOk("analyze_patterns", {{"learn", false}, {"limit", 1}, {"min_success_rate", 1}});
  ASSERT_EQ(perfect["patterns"].size(), 1u) << perfect.dump(2);
  EXPECT_EQ(perfect["patterns"][0]["success_rate"].get<double>(), 1.0);

  EXPECT_EQ(CallError("analyze_patterns", {{"min_success_rate", 1.5}}),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(CallError("analyze_patterns", {{"min_success_rate", -0.1}}),
            ErrorCode::kInvalidArgument);
  // The library checks the same range.
  PatternAnalysisRequest request;
  request.min_success_rate = 2;
  Result<PatternAnalysis> direct = engine_->patterns().Analyze(request);
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(direct.status().message().find("min_success_rate"), std::string::npos);
}

}  // namespace
}  // namespace engram::server
