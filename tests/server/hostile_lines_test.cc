// Issue 20 §1-2: no line a client sends may end either server, every reply
// is valid JSON, and integer fields are range-checked instead of wrapping.
// Each reproduction of the issue is one case; the request after it must
// still be answered.
#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engram/int_ranges.h"
#include "engram/json_limits.h"
#include "server/line_server.h"
#include "server/mcp_server.h"
#include "server/ndjson_server.h"
#include "with_engine.h"

namespace engram::server {
namespace {

std::string Nested(int levels) { return std::string(levels, '[') + std::string(levels, ']'); }

class HostileLinesTest : public WithEngine<::testing::Test> {
 protected:
  // The reply to one NDJSON line, parsed (it must be valid JSON).
  Json Ndjson(const std::string& line) {
    NdjsonServer s(*table_);
    std::optional<std::string> reply = s.HandleLine(line);
    EXPECT_TRUE(reply.has_value()) << line.substr(0, 200);
    if (!reply) return nullptr;
    Json j = Json::parse(*reply, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << reply->substr(0, 300);
    EXPECT_LT(reply->size(), 2048u) << "a reply to a bad line must not echo it";
    return j;
  }
  // The reply to one MCP line after initialize; nullopt when none is sent.
  std::optional<Json> Mcp(McpServer& s, const std::string& line) {
    std::optional<std::string> reply = s.HandleLine(line);
    if (!reply) return std::nullopt;
    Json j = Json::parse(*reply, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << reply->substr(0, 300);
    EXPECT_LT(reply->size(), 2048u) << "a reply to a bad line must not echo it";
    return j;
  }
  static std::string NdjsonError(const Json& reply) {
    if (!reply.is_object() || reply.value("ok", true)) return "ok";
    return reply["error"]["code"].get<std::string>();
  }
  static int McpError(const std::optional<Json>& reply) {
    if (!reply || !reply->contains("error")) return 0;
    return (*reply)["error"]["code"].get<int>();
  }
};

TEST_F(HostileLinesTest, NdjsonAnswersEveryHostileLineWithAnError) {
  const std::string big_string = "{\"id\":1,\"action\":\"health_check\",\"x\":\"" +
                                 std::string(7 * 1024 * 1024, 'a');  // unterminated
  struct Case {
    std::string line;
    std::string code;
  };
  const std::vector<Case> cases = {
      {R"({"id":1,"action":"health_check","payload":{"x":1e400}})", "parse_error"},
      {"{\"id\":1,\"action\":\"health_check\",\"x\":\"\xff\"}", "parse_error"},
      {"{\"id\":1,\"action\":\"kv_put\",\"payload\":{\"namespace\":\"a\",\"key\":\"b\",\"value\":" +
           Nested(100000) + "}}",
       "parse_error"},
      {"{\"id\":1,\"action\":\"kv_put\",\"payload\":{\"namespace\":\"a\",\"key\":\"b\",\"value\":" +
           Nested(10000) + "}}",
       "parse_error"},
      {big_string, "parse_error"},
      {"[1,2]", "invalid_request"},
      {R"({"id":{"x":1},"action":7})", "invalid_request"},
      {R"({"id":1,"action":"list_lessons","payload":{"offset":4294967296}})", "invalid_argument"},
      {R"({"id":1,"action":"kv_put","payload":{"namespace":"a","key":"b","value":1,"ttl_seconds":9223372036854775}})",
       "invalid_argument"},
      {R"({"id":1,"action":"list_lessons","payload":{"limit":1e300}})", "invalid_argument"},
      {R"({"id":1,"action":"list_lessons","payload":{"offset":18446744073709551615}})",
       "invalid_argument"},
  };
  for (const Case& c : cases) {
    const Json reply = Ndjson(c.line);
    EXPECT_EQ(NdjsonError(reply), c.code) << c.line.substr(0, 160) << "\n" << reply.dump();
  }
  // Nothing was stored by the rejected kv_put lines, and the server still works.
  EXPECT_EQ(
      NdjsonError(Ndjson(R"({"id":2,"action":"kv_get","payload":{"namespace":"a","key":"b"}})")),
      "not_found");
  EXPECT_EQ(NdjsonError(Ndjson(R"({"id":3,"action":"health_check"})")), "ok");
}

TEST_F(HostileLinesTest, LogStepRejectsLatencyBeyondRange) {
  const Json started = Ndjson(R"({"id":1,"action":"start_episode","payload":{"description":"x"}})");
  ASSERT_EQ(NdjsonError(started), "ok") << started.dump();
  const std::string id = started["result"]["id"].get<std::string>();
  for (const char* field :
       {R"("latency_ms":1e300)", R"("tokens":9007199254740993)", R"("timestamp":-1)"}) {
    const Json r = Ndjson(R"({"id":2,"action":"log_step","payload":{"episode_id":")" + id +
                          R"(","tool":"bash","action":"ls",)" + std::string(field) + "}}");
    EXPECT_EQ(NdjsonError(r), "invalid_argument") << field << " " << r.dump();
  }
}

TEST_F(HostileLinesTest, McpAnswersEveryHostileLineAndKeepsServing) {
  McpServer s(*table_, *engine_);
  ASSERT_TRUE(Mcp(
      s,
      R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18"}})"));
  struct Case {
    std::string line;
    int code;  // the JSON-RPC error code expected
  };
  const std::vector<Case> cases = {
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"x\":\"\xff\"}", -32700},
      {R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":1e400}})", -32700},
      {R"({"jsonrpc":2,"id":1,"method":"ping"})", -32600},
      {R"({"jsonrpc":null,"id":1,"method":"ping"})", -32600},
      {R"({"jsonrpc":["2.0"],"id":1,"method":"ping"})", -32600},
      {R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":7}})", -32602},
      {R"({})", -32600},
      {R"({"jsonrpc":"2.0","id":7})", -32600},
      {R"({"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"kv_put","arguments":{"namespace":"a","key":"b","value":)" +
           Nested(60000) + "}}}",
       -32700},
      {"{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\",\"params\":{\"s\":\"" +
           std::string(3 * 1024 * 1024, 'b'),
       -32700},
  };
  for (const Case& c : cases) {
    const std::optional<Json> reply = Mcp(s, c.line);
    ASSERT_TRUE(reply.has_value()) << c.line.substr(0, 160) << ": no reply (the client would wait)";
    EXPECT_EQ(McpError(reply), c.code) << c.line.substr(0, 160) << "\n" << reply->dump();
  }
  // A response from the client needs no reply; a tool's integer out of range is a tool error.
  EXPECT_FALSE(Mcp(s, R"({"jsonrpc":"2.0","id":5,"result":{}})").has_value());
  const std::optional<Json> tool = Mcp(
      s,
      R"({"jsonrpc":"2.0","id":10,"method":"tools/call","params":{"name":"list_lessons","arguments":{"offset":4294967296}}})");
  ASSERT_TRUE(tool.has_value());
  EXPECT_TRUE((*tool)["result"]["isError"].get<bool>()) << tool->dump();
  const std::optional<Json> ping = Mcp(s, R"({"jsonrpc":"2.0","id":11,"method":"ping"})");
  ASSERT_TRUE(ping.has_value());
  EXPECT_EQ(McpError(ping), 0) << ping->dump();
}

// Through the stdio loop: the request pipelined behind a hostile line is answered.
TEST_F(HostileLinesTest, PipelinedRequestBehindAHostileLineIsAnswered) {
  NdjsonServer s(*table_);
  const std::string input = R"({"id":1,"action":"health_check","payload":{"x":1e400}})"
                            "\n"
                            R"({"id":2,"action":"health_check"})"
                            "\n";
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  std::thread writer([&] {
    EXPECT_EQ(write(fds[1], input.data(), input.size()), static_cast<ssize_t>(input.size()));
    close(fds[1]);
  });
  std::ostringstream out;
  Status st = ServeLines(
      fds[0], out, [&](std::string_view line) { return s.HandleLine(line); },
      [&](std::size_t bytes) -> std::optional<std::string> {
        return s.OversizedResponse(bytes, 1024);
      });
  writer.join();
  close(fds[0]);
  ASSERT_TRUE(st.ok()) << st.ToString();
  std::istringstream lines(out.str());
  std::string first, second;
  ASSERT_TRUE(std::getline(lines, first));
  ASSERT_TRUE(std::getline(lines, second));
  EXPECT_EQ(Json::parse(first)["error"]["code"], "parse_error");
  EXPECT_EQ(Json::parse(second)["id"], 2);
  EXPECT_TRUE(Json::parse(second)["ok"].get<bool>()) << second;
}

TEST_F(HostileLinesTest, EngineRejectsAnOverflowingTtl) {
  KvPutOptions o;
  o.ttl_ms = std::int64_t{9223372036854775};  // the issue's seconds, as ms: beyond 100 years
  Result<KvEntry> r = engine_->KvPut("a", "b", Json(1), o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  o.ttl_ms = kMaxKvTtlSeconds * 1000;
  Result<KvEntry> ok = engine_->KvPut("a", "b", Json(1), o);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_TRUE(ok->expires_at.has_value());
  EXPECT_GT(*ok->expires_at, engine_->Now());
  EXPECT_TRUE(engine_->KvGet("a", "b").ok());
}

TEST_F(HostileLinesTest, EngineRejectsValuesNestedBeyondTheLimit) {
  Json deep = Json::array();
  Json* cur = &deep;
  for (int i = 0; i < kMaxJsonDepth + 5; ++i) {
    cur->push_back(Json::array());
    cur = &(*cur)[0];
  }
  Result<KvEntry> r = engine_->KvPut("a", "deep", deep, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("deeper than"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace engram::server
