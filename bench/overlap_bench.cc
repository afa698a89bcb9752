// overlap_bench: end-to-end lesson search with EngineOptions::overlap_search
// on and off, in one process, alternating per query (docs/RETRIEVAL.md,
// "Overlapped candidate sources"). Separate benchmark runs on a shared host
// differ by more than the effect; this A/B does not.
//
// Usage: overlap_bench --db STORE [--queries 300] [--rounds 3]
//                      [--locomo ../shared/bench-data/locomo-dev.json]
// STORE is an engram SQLite file with lessons (e.g. the real.db that
// `engram-bench scale --real N` leaves in its --work directory); the query
// texts are the LoCoMo questions; USE Lite embeds them inside SearchLessons.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "bench/scale_data.h"
#include "engram/embedder.h"
#include "engram/engine.h"

namespace {

using Clock = std::chrono::steady_clock;

double Pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> a;
  for (int i = 1; i + 1 < argc; i += 2) a[std::string(argv[i]).substr(2)] = argv[i + 1];
  if (!a.count("db")) {
    std::fprintf(stderr, "usage: overlap_bench --db STORE [--queries N] [--rounds R]\n");
    return 2;
  }
  const std::size_t nq = std::stoul(a.count("queries") ? a["queries"] : "300");
  const int rounds = std::stoi(a.count("rounds") ? a["rounds"] : "3");
  const std::string locomo =
      a.count("locomo") ? a["locomo"]
                        : std::string(ENGRAM_SOURCE_DIR) + "/../shared/bench-data/locomo-dev.json";
  auto questions = engram::bench::LocomoQuestions(locomo);
  auto model = engram::OpenUseLiteEmbedder(engram::UseLiteOptions{});
  if (!questions.ok() || questions->empty() || !model.ok()) {
    std::fprintf(stderr, "overlap_bench: %s\n",
                 !model.ok()      ? model.status().ToString().c_str()
                 : questions.ok() ? "no questions"
                                  : questions.status().ToString().c_str());
    return 1;
  }
  const std::shared_ptr<const engram::Embedder> embedder(std::move(*model));
  std::unique_ptr<engram::Engine> engines[2];  // [0] one after the other, [1] overlapped
  for (int m = 0; m < 2; ++m) {
    engram::EngineOptions o;
    o.embedder = embedder;
    o.overlap_search = m == 1;
    auto e = engram::Engine::OpenSqlite(a["db"], o);
    if (!e.ok()) {
      std::fprintf(stderr, "overlap_bench: %s\n", e.status().ToString().c_str());
      return 1;
    }
    engines[m] = std::move(*e);
    engram::SearchRequest warm;
    warm.query = "warm up";
    if (auto r = engines[m]->SearchLessons(warm); !r.ok()) {
      std::fprintf(stderr, "overlap_bench: %s\n", r.status().ToString().c_str());
      return 1;
    }
  }
  std::printf("overlap_bench: %s, %zu queries x %d rounds, alternating per query\n",
              a["db"].c_str(), nq, rounds);
  for (int round = 0; round < rounds; ++round) {
    std::vector<double> ms[2];
    for (std::size_t i = 0; i < nq; ++i) {
      for (int k = 0; k < 2; ++k) {
        const int m = static_cast<int>((i + static_cast<std::size_t>(k)) % 2);
        engram::SearchRequest r;
        r.query = (*questions)[(static_cast<std::size_t>(round) * nq + i) % questions->size()];
        r.limit = 10;
        const auto t0 = Clock::now();
        auto res = engines[m]->SearchLessons(r);
        ms[m].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!res.ok()) {
          std::fprintf(stderr, "overlap_bench: %s\n", res.status().ToString().c_str());
          return 1;
        }
      }
    }
    std::printf(
        "round %d end to end p50 / p99 ms: one after the other %.3f / %.3f, overlapped %.3f / "
        "%.3f, ratio of p50 %.2f\n",
        round, Pct(ms[0], 0.5), Pct(ms[0], 0.99), Pct(ms[1], 0.5), Pct(ms[1], 0.99),
        Pct(ms[1], 0.5) / Pct(ms[0], 0.5));
  }
  return 0;
}
