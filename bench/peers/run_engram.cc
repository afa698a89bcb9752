// Engram runner for the peers harness (/work/shared/peers/README.md, "Adding
// a runner"): engram's HnswIndex (src/index, the index behind lesson search)
// on the peers' gen.py data, one JSON line per ef with the harness's keys.
//
// Build: cmake -DENGRAM_BUILD_BENCH=ON ... && ninja run_engram
// Usage: run_engram --data DIR [--work DIR] [--queries Q] [--threads 1]
//                   [--ef 32,64,128] [--M 16] [--efc 200]
// The build streams base.f32 in chunks of 20,000 through AddBatch (ids are
// the row numbers as strings, ItemMeta empty), so the raw data is not held
// beside the index; index_bytes is the saved index file (vectors, graph,
// ids, metadata, checksum); queries are single-threaded, k = 10, 20 untimed
// warm-up queries, nearest-rank percentiles (the harness's rules).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "bench/scale_util.h"
#include "engram/json.h"
#include "engram/vector_index.h"

namespace {

using Clock = std::chrono::steady_clock;

void Fail(const std::string& why, std::size_t n) {
  engram::Json j{{"peer", "engram"}, {"setting", "error"}, {"n", n}, {"notes", "FAILED: " + why}};
  std::printf("%s\n", j.dump().c_str());
  std::exit(1);
}

template <typename T>
std::vector<T> ReadAll(const std::string& path, std::size_t count, std::size_t n) {
  std::vector<T> v(count);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f || std::fread(v.data(), sizeof(T), count, f) != count) Fail("cannot read " + path, n);
  std::fclose(f);
  return v;
}

}  // namespace

int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape): a bench tool
  std::map<std::string, std::string> a;
  for (int i = 1; i + 1 < argc; i += 2) a[std::string(argv[i]).substr(2)] = argv[i + 1];
  if (!a.count("data")) {
    std::fprintf(stderr,
                 "usage: run_engram --data DIR [--work DIR] [--queries Q] [--threads 1] "
                 "[--ef 32,64,128] [--M 16] [--efc 200]\n");
    return 2;
  }
  const std::string dir = a["data"];
  std::ifstream mf(dir + "/meta.json");
  std::stringstream ms;
  ms << mf.rdbuf();
  engram::Json meta = engram::Json::parse(ms.str(), nullptr, false);
  if (meta.is_discarded()) Fail("cannot parse " + dir + "/meta.json", 0);
  const auto n = meta.value("n", std::size_t{0});
  const auto d = meta.value("d", std::size_t{0});
  const auto q = meta.value("q", std::size_t{0});
  const auto gk = meta.value("k", std::size_t{0});
  if (n == 0 || d == 0 || q == 0 || gk < 10) Fail("meta.json lacks n, d, q or k", n);
  const std::size_t nq =
      a.count("queries") ? std::min<std::size_t>(q, std::stoul(a["queries"])) : q;
  const int threads = a.count("threads") ? std::stoi(a["threads"]) : 1;
  const std::string work =
      a.count("work") ? a["work"] : "/tmp/peers-work/engram-n" + std::to_string(n);
  std::vector<std::size_t> efs;
  {
    std::stringstream ss(a.count("ef") ? a["ef"] : "32,64,128");
    for (std::string t; std::getline(ss, t, ',');) efs.push_back(std::stoul(t));
  }
  engram::HnswOptions ho;
  ho.dimension = d;
  ho.model_id = "peers-synthetic";
  if (a.count("M")) ho.M = std::stoul(a["M"]);
  if (a.count("efc")) ho.ef_construction = std::stoul(a["efc"]);
  ho.initial_capacity = n;
  auto created = engram::HnswIndex::Create(ho);
  if (!created.ok()) Fail(created.status().ToString(), n);
  std::unique_ptr<engram::HnswIndex> index = std::move(*created);

  const auto t0 = Clock::now();
  {
    std::FILE* f = std::fopen((dir + "/base.f32").c_str(), "rb");
    if (!f) Fail("cannot open base.f32", n);
    constexpr std::size_t kChunk = 20000;
    std::vector<float> buf(kChunk * d);
    std::vector<std::string> ids(kChunk);
    std::vector<engram::ItemView> items;
    for (std::size_t s = 0; s < n; s += kChunk) {
      const std::size_t r = std::min(kChunk, n - s);
      if (std::fread(buf.data(), 4, r * d, f) != r * d) Fail("short read of base.f32", n);
      items.clear();
      for (std::size_t i = 0; i < r; ++i) {
        ids[i] = std::to_string(s + i);
        items.push_back({ids[i], std::span<const float>(buf.data() + i * d, d), {}});
      }
      engram::Status st = index->AddBatch(items, threads);
      if (!st.ok()) Fail(st.ToString(), n);
      if ((s / kChunk) % 10 == 9) {
        std::fprintf(stderr, "  engram: %zu/%zu in %.0fs\n", s + r, n,
                     std::chrono::duration<double>(Clock::now() - t0).count());
      }
    }
    std::fclose(f);
  }
  const double build_s = std::chrono::duration<double>(Clock::now() - t0).count();

  long long index_bytes = -1;
  {
    std::error_code ec;
    std::filesystem::create_directories(work, ec);
    const std::string p = work + "/engram.hnsw";
    if (index->Save(p, "peers").ok()) {
      index_bytes = static_cast<long long>(std::filesystem::file_size(p, ec));
    }
    std::filesystem::remove(p, ec);
  }
  std::vector<float> queries = ReadAll<float>(dir + "/queries.f32", q * d, n);
  std::vector<std::int32_t> gt = ReadAll<std::int32_t>(dir + "/gt.i32", q * gk, n);

  for (std::size_t ef : efs) {
    index->SetEfSearch(ef);
    auto query = [&](std::size_t i) {
      return index->Search(std::span<const float>(queries.data() + i * d, d), 10);
    };
    for (std::size_t i = 0; i < std::min<std::size_t>(20, nq); ++i) (void)query(i);
    std::vector<double> lat(nq);
    std::size_t hit = 0;
    for (std::size_t i = 0; i < nq; ++i) {
      const auto s = Clock::now();
      auto res = query(i);
      lat[i] = std::chrono::duration<double, std::milli>(Clock::now() - s).count();
      if (!res.ok()) Fail(res.status().ToString(), n);
      std::unordered_set<std::int32_t> truth(gt.begin() + static_cast<long>(i * gk),
                                             gt.begin() + static_cast<long>(i * gk + 10));
      for (const auto& h : *res) hit += truth.count(std::stoi(h.id));
    }
    double mean = 0;
    for (double x : lat) mean += x;
    mean /= static_cast<double>(nq);
    nlohmann::ordered_json j;  // the harness's leading keys come first
    j["peer"] = "engram";
    j["setting"] = "HnswIndex M=" + std::to_string(ho.M) +
                   " efc=" + std::to_string(ho.ef_construction) + " ef=" + std::to_string(ef);
    j["n"] = n;
    j["d"] = d;
    j["build_s"] = build_s;
    j["index_bytes"] = index_bytes;
    j["rss_mb"] = engram::bench::ProcKb("VmRSS") / 1024;
    j["peak_rss_mb"] = engram::bench::ProcKb("VmHWM") / 1024;
    j["query_p50_ms"] = engram::bench::Percentile(lat, 0.5);
    j["query_p99_ms"] = engram::bench::Percentile(lat, 0.99);
    j["recall_at_10"] = static_cast<double>(hit) / static_cast<double>(nq * 10);
    j["query_mean_ms"] = mean;
    j["queries_timed"] = nq;
    j["build_threads"] = threads;
    j["notes"] =
        "engram HnswIndex (src/index, hnswlib graph, runtime-dispatched kernels, default flags: "
        "no -march) linked as a library; build = AddBatch over 20k-row chunks of base.f32 "
        "(ids = row numbers as strings); index_bytes = saved index file (vectors + graph + ids "
        "+ metadata + checksum); single-threaded queries";
    std::printf("%s\n", j.dump().c_str());
    std::fflush(stdout);
  }
  return 0;
}
