// Issue 20 §1-2 through the real binary: a hostile line never ends a
// server (the request pipelined behind it is answered), and the CLI paths
// that parse JSON or integers reject what would overflow or recurse.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

std::string Nested(int levels) { return std::string(levels, '[') + std::string(levels, ']'); }

std::vector<Json> ReplyLines(const std::string& out) {
  std::vector<Json> replies;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    Json j = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << line.substr(0, 200);
    replies.push_back(j);
  }
  return replies;
}

class HostileInputCliTest : public CliTest {};

TEST_F(HostileInputCliTest, NdjsonServerAnswersTheRequestBehindAnOutOfRangeNumber) {
  RunResult r = Engram({"serve", "--ndjson", "--no-warm"},
                       "{\"id\":1,\"action\":\"health_check\",\"payload\":{\"x\":1e400}}\n"
                       "{\"id\":2,\"action\":\"kv_put\",\"payload\":{\"namespace\":\"a\","
                       "\"key\":\"b\",\"value\":" +
                           Nested(100000) +
                           "}}\n"
                           "{\"id\":3,\"action\":\"health_check\"}\n");
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::vector<Json> replies = ReplyLines(r.out);
  ASSERT_EQ(replies.size(), 3u) << r.out.substr(0, 500);
  EXPECT_EQ(replies[0]["error"]["code"], "parse_error");
  EXPECT_EQ(replies[1]["error"]["code"], "parse_error");
  EXPECT_EQ(replies[2]["id"], 3);
  EXPECT_TRUE(replies[2]["ok"].get<bool>());
}

TEST_F(HostileInputCliTest, McpServerSurvivesInvalidUtf8AndNonStringJsonrpc) {
  RunResult r = Engram({"mcp", "--no-warm"},
                       "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"x\":\"\xff\"}\n"
                       "{\"jsonrpc\":2,\"id\":2,\"method\":\"ping\"}\n"
                       "{}\n"
                       "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}\n");
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  const std::vector<Json> replies = ReplyLines(r.out);
  ASSERT_EQ(replies.size(), 4u) << r.out;
  EXPECT_EQ(replies[0]["error"]["code"], -32700);
  EXPECT_EQ(replies[1]["error"]["code"], -32600);
  EXPECT_EQ(replies[2]["error"]["code"], -32600);
  EXPECT_EQ(replies[3]["id"], 4);
  EXPECT_TRUE(replies[3].contains("result")) << replies[3].dump();
}

TEST_F(HostileInputCliTest, CallAndKvPutRejectWhatWouldOverflow) {
  RunResult call = Engram({"call", "kv_put", R"({"namespace":"a","key":"b","value":1e400})"});
  EXPECT_EQ(call.exit_code, kExitInvalidArgument) << call.out << call.err;
  EXPECT_NE(call.err.find("out of range"), std::string::npos) << call.err;

  RunResult ttl =
      Engram({"call", "kv_put",
              R"({"namespace":"a","key":"b","value":1,"ttl_seconds":9223372036854775})"});
  EXPECT_EQ(ttl.exit_code, kExitInvalidArgument) << ttl.out << ttl.err;
  RunResult cli_ttl = Engram({"kv", "put", "a", "b", "1", "--ttl", "9223372036854775"});
  EXPECT_EQ(cli_ttl.exit_code, kExitInvalidArgument) << cli_ttl.out << cli_ttl.err;

  RunResult deep = Engram({"kv", "put", "a", "b", "-"}, Nested(50000));
  EXPECT_EQ(deep.exit_code, kExitInvalidArgument) << deep.err;
  EXPECT_NE(deep.err.find("deeper than"), std::string::npos) << deep.err;

  RunResult got = Engram({"kv", "get", "a", "b"});
  EXPECT_EQ(got.exit_code, kExitNotFound) << "nothing was stored: " << got.out;
}

TEST_F(HostileInputCliTest, ImportOfACraftedDeepFileIsAnErrorNotACrash) {
  EngramJson({"kv", "put", "a", "b", R"({"v":[1]})"});
  const std::string file = dir_.File("export.jsonl");
  EngramJson({"db", "export", file});
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  std::string crafted = text.str();
  const std::string needle = R"({"v":[1]})";
  const std::size_t at = crafted.find(needle);
  ASSERT_NE(at, std::string::npos) << crafted;
  crafted.replace(at, needle.size(), "{\"v\":" + Nested(100000) + "}");
  const std::string bad = dir_.File("crafted.jsonl");
  std::ofstream(bad) << crafted;
  const std::string fresh = dir_.File("fresh.db");
  RunResult r = RunEngram({"--db", fresh, "db", "import", bad}, BaseOptions());
  EXPECT_TRUE(r.exit_code == kExitInvalidArgument || r.exit_code == kExitCorruption)
      << "exit " << r.exit_code << ": " << r.err.substr(0, 300);
}

}  // namespace
}  // namespace engram::testing
