// Filters of the recall operations: query_memory's task_type and domain
// keep only matching episodes. Bad values are invalid_argument.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engram/json.h"
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

}  // namespace
}  // namespace engram::server
