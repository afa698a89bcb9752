// The MCP server's tool surface: tools/call accepts every name an operation
// declares (canonical and aliases) while tools/list lists canonical names
// only, and the initialize instructions name only operations that exist.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>

#include "engram/json.h"
#include "server/json_schema.h"
#include "server/mcp_server.h"
#include "server/operation.h"
#include "with_engine.h"

namespace engram::server {
namespace {

class McpToolsTest : public WithEngine<::testing::Test> {
 protected:
  void SetUp() override {
    WithEngine<::testing::Test>::SetUp();
    server_ = std::make_unique<McpServer>(*table_, *engine_);
    initialize_ = Request("initialize", {{"protocolVersion", "2025-11-25"}});
  }
  void TearDown() override {
    server_.reset();
    WithEngine<::testing::Test>::TearDown();
  }

  // The reply to one request (asserting there is one).
  Json Request(const std::string& method, const Json& params) {
    const Json msg = {{"jsonrpc", "2.0"}, {"id", ++id_}, {"method", method}, {"params", params}};
    std::optional<std::string> line = server_->HandleLine(msg.dump());
    EXPECT_TRUE(line.has_value()) << method;
    if (!line) return nullptr;
    return Json::parse(*line);
  }
  Json CallTool(const std::string& name, const Json& args) {
    return Request("tools/call", {{"name", name}, {"arguments", args}});
  }

  std::unique_ptr<McpServer> server_;
  Json initialize_;
  int id_ = 0;
};

TEST_F(McpToolsTest, ToolsCallAcceptsEveryAliasAnOperationDeclares) {
  ASSERT_TRUE(CallTool("add_lesson", {{"topic", "git"},
                                      {"title", "Rebase before merging"},
                                      {"content", "Rebasing keeps the history linear."}})
                  .contains("result"));
  // Arguments each aliased operation needs.
  const std::map<std::string, Json> args_of = {
      {"start_episode", {{"description", "Tidy the build"}}},
      {"add_lesson",
       {{"topic", "cmake"}, {"title", "Pin the generator"}, {"content", "Ninja is faster."}}},
      {"search_lessons", {{"query", "rebase"}}}};
  int aliases = 0;
  for (const Operation& op : table_->operations()) {
    for (const std::string& alias : op.aliases) {
      ++aliases;
      auto args = args_of.find(op.name);
      const Json by_alias = CallTool(alias, args == args_of.end() ? Json::object() : args->second);
      ASSERT_TRUE(by_alias.contains("result")) << alias << ": " << by_alias.dump();
      EXPECT_FALSE(by_alias["result"]["isError"].get<bool>()) << alias << ": " << by_alias.dump();
      // The operation itself answered: its output schema holds.
      const Status valid =
          ValidateJson(op.output_schema, by_alias["result"]["structuredContent"], alias);
      EXPECT_TRUE(valid.ok()) << valid.message();
    }
  }
  // The documented aliases exist (docs/MCP.md), so the loop above ran them.
  EXPECT_GE(aliases, 6);
  ASSERT_NE(table_->Find("search"), nullptr);
  EXPECT_EQ(table_->Find("search")->name, "search_lessons");
  ASSERT_NE(table_->Find("clusters"), nullptr);
  EXPECT_EQ(table_->Find("clusters")->name, "list_clusters");
  const Json found = CallTool("search", {{"query", "rebase"}, {"min_relevance", 0}});
  ASSERT_EQ(found["result"]["structuredContent"]["results"].size(), 1u) << found.dump();
  EXPECT_EQ(found["result"]["structuredContent"]["results"][0]["lesson"]["title"],
            "Rebase before merging");
  // An unknown name stays a protocol error.
  EXPECT_EQ(CallTool("no_such_tool", Json::object())["error"]["code"], -32602);
}

TEST_F(McpToolsTest, ToolsListNamesCanonicalOperationsOnly) {
  const Json listed = Request("tools/list", Json::object());
  std::set<std::string> names;
  for (const Json& tool : listed["result"]["tools"]) names.insert(tool["name"].get<std::string>());
  EXPECT_EQ(names.size(), table_->operations().size());
  for (const Operation& op : table_->operations()) {
    EXPECT_TRUE(names.contains(op.name)) << op.name;
    for (const std::string& alias : op.aliases) EXPECT_FALSE(names.contains(alias)) << alias;
  }
}

TEST_F(McpToolsTest, InstructionsNameOnlyOperationsOfTheTable) {
  ASSERT_TRUE(initialize_["result"]["instructions"].is_string()) << initialize_.dump();
  const std::string text = initialize_["result"]["instructions"];
  // Every snake_case word of the instructions is an operation's name, so
  // they cannot point agents to a tool that does not exist.
  const std::regex word("[a-z][a-z0-9]*(_[a-z0-9]+)+");
  std::set<std::string> named;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), word); it != std::sregex_iterator();
       ++it) {
    named.insert(it->str());
  }
  for (const std::string& name : named) {
    const Operation* op = table_->Find(name);
    ASSERT_NE(op, nullptr) << "the instructions name '" << name << "', which is no operation";
    EXPECT_EQ(op->name, name) << "the instructions should use the canonical name";
  }
  // The workflow they teach: find lessons by meaning, retrieve context and
  // record episodes, report whether a lesson helped.
  for (const char* name : {"search_lessons", "retrieve_context", "start_episode", "log_step",
                           "complete_episode", "lesson_feedback"}) {
    EXPECT_TRUE(named.contains(name)) << name << " is not in: " << text;
  }
  // No stray wildcard that looks like a name ("kv_*").
  EXPECT_EQ(text.find("_*"), std::string::npos) << text;
}

}  // namespace
}  // namespace engram::server
