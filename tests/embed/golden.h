// Shared fixtures of the embed tests: the golden reference file and the
// installed model, with a skip (never a failure) when the model package is
// not installed.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engram/embedder.h"
#include "engram/json.h"

namespace engram::embed_test {

struct GoldenCase {
  std::string text;
  std::vector<std::int32_t> tokens;
  std::vector<float> embedding;
};

inline std::vector<GoldenCase> LoadGolden() {
  const std::string path = std::string(ENGRAM_SOURCE_DIR) + "/tests/data/use_lite_golden.json";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto json = ParseJson(text.str(), path);
  EXPECT_TRUE(json.ok()) << json.status().ToString();
  std::vector<GoldenCase> cases;
  if (!json.ok()) return cases;
  for (const Json& c : (*json)["cases"]) {
    cases.push_back({c["text"].get<std::string>(), c["tokens"].get<std::vector<std::int32_t>>(),
                     c["embedding"].get<std::vector<float>>()});
  }
  return cases;
}

// The directory OpenUseLiteEmbedder() will load by default.
inline std::filesystem::path InstalledModelDir() {
  const char* env = std::getenv("ENGRAM_MODEL_DIR");
  return env != nullptr && *env != '\0' ? std::filesystem::path(env)
                                        : std::filesystem::path(DefaultUseLiteModelDir());
}

inline bool ModelInstalled() { return std::filesystem::exists(InstalledModelDir() / "model.json"); }

#define ENGRAM_SKIP_WITHOUT_MODEL()                                  \
  if (!::engram::embed_test::ModelInstalled())                       \
  GTEST_SKIP() << "USE Lite model not installed at "                 \
               << ::engram::embed_test::InstalledModelDir().string() \
               << " (run scripts/install-model.sh)"

}  // namespace engram::embed_test
