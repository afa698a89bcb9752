// embed_bench: latency of the native USE Lite embedder on the golden
// sentences (tests/data/use_lite_golden.json), one sentence per call, plus
// batched throughput. scripts/bench-embed.sh runs it next to the Node
// reference on the same sentences.
//
// Usage: embed_bench [rounds] [golden.json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "embed/kernels.h"
#include "engram/embedder.h"
#include "engram/json.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  const std::string path =
      argc > 2 ? argv[2] : std::string(ENGRAM_SOURCE_DIR) + "/tests/data/use_lite_golden.json";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  auto json = engram::ParseJson(text.str(), path);
  if (!json.ok()) {
    std::fprintf(stderr, "embed_bench: %s\n", json.status().ToString().c_str());
    return 1;
  }
  std::vector<std::string> sentences;
  for (const auto& c : (*json)["cases"]) {
    // Same selection as the Node side: texts the reference can embed alone.
    if (!c["tokens"].empty()) sentences.push_back(c["text"].get<std::string>());
  }

  const auto load_start = Clock::now();
  auto embedder = engram::OpenUseLiteEmbedder();
  if (!embedder.ok()) {
    std::fprintf(stderr, "embed_bench: %s\n", embedder.status().ToString().c_str());
    return 1;
  }
  const double load_ms = Ms(Clock::now() - load_start);

  for (const auto& s : sentences) (void)(*embedder)->Embed(s);  // warm up
  std::vector<double> single;
  for (int r = 0; r < rounds; ++r) {
    for (const auto& s : sentences) {
      const auto t = Clock::now();
      auto v = (*embedder)->Embed(s);
      single.push_back(Ms(Clock::now() - t));
      if (!v.ok()) return 1;
    }
  }
  std::vector<double> batch;
  for (int r = 0; r < rounds; ++r) {
    const auto t = Clock::now();
    auto v = (*embedder)->EmbedBatch(sentences);
    batch.push_back(Ms(Clock::now() - t) / static_cast<double>(sentences.size()));
    if (!v.ok()) return 1;
  }
  std::printf("native kernel=%s sentences=%zu rounds=%d load_ms=%.1f\n",
              engram::embed::MatMulKernelName(), sentences.size(), rounds, load_ms);
  std::printf("native single_median_ms=%.3f batch_per_sentence_ms=%.3f\n", Median(single),
              Median(batch));
  return 0;
}
