// Runs every transcript in tests/server/transcripts/ against a fresh store:
// *.mcp.txt through the MCP server, *.ndjson.txt through the NDJSON server.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "engram/engine.h"
#include "server/mcp_server.h"
#include "server/ndjson_server.h"
#include "server/operation.h"
#include "transcript.h"
#include "with_engine.h"

namespace engram::server {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> TranscriptFiles() {
  std::vector<std::string> files;
  for (const auto& e :
       fs::directory_iterator(fs::path(ENGRAM_SOURCE_DIR) / "tests/server/transcripts")) {
    if (e.path().extension() == ".txt") files.push_back(e.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class TranscriptTest : public WithEngine<::testing::TestWithParam<std::string>> {};

TEST_P(TranscriptTest, MatchesExpectedResponses) {
  const std::string file = GetParam();
  const std::string path = std::string(ENGRAM_SOURCE_DIR) + "/tests/server/transcripts/" + file;
  if (file.find(".mcp.") != std::string::npos) {
    McpServer server(*table_, *engine_);
    engram::testing::RunTranscript(
        path, [&](const std::string& line) { return server.HandleLine(line); });
  } else {
    NdjsonServer server(*table_);
    engram::testing::RunTranscript(
        path, [&](const std::string& line) { return server.HandleLine(line); });
  }
}

INSTANTIATE_TEST_SUITE_P(Files, TranscriptTest, ::testing::ValuesIn(TranscriptFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.find(".txt"));
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace engram::server
