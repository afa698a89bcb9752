// vector_bench: HnswIndex against the exact scan, in one run, on one data set.
//
// Reports build rate, index file size, resident memory, single-query latency
// (median = p50, and p99) and recall@10 against exact search for several
// ef_search values, the exact scan's latency with the speed ratio, and
// filtered searches at several selectivities. Not a test: figures only.
//
// Data: --data DIR reads the shared peers format (/work/shared/peers/README.md:
// meta.json, base.f32, queries.f32, gt.i32); otherwise N clustered,
// L2-normalised vectors are generated from --seed (a smaller cousin of the
// peers gen.py model: topic + cluster centre + rank-16 local variation + noise).
//
// Usage: vector_bench [--n 10000] [--d 512] [--queries 500] [--data DIR]
//                     [--threads <cores>] [--ef 32,64,128] [--work /tmp] [--seed 42]
//                     [--efc <HnswOptions default>]
//                     [--exact-factor 8]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "engram/ids.h"
#include "engram/vector_index.h"
#include "index/ip_kernel.h"

namespace {

using engram::HnswIndex;
using engram::ItemMeta;
using engram::SearchFilter;
using engram::SearchHit;
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU seconds used by the whole process so far (every thread): on a shared
// machine, inserts per CPU second is steadier than the wall-clock rate.
double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double Percentile(std::vector<double> v, double p) {  // nearest rank, as the peers runners
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  const auto i = static_cast<long>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[static_cast<std::size_t>(std::clamp<long>(i, 0, static_cast<long>(v.size()) - 1))];
}

long ProcKb(const char* key) {
  std::ifstream f("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(key) + ":";
  while (std::getline(f, line)) {
    if (line.rfind(prefix, 0) == 0) return std::strtol(line.c_str() + prefix.size(), nullptr, 10);
  }
  return -1;
}

struct Data {
  std::size_t n = 0, d = 0, q = 0;
  std::vector<float> base, queries;
  std::vector<std::int32_t> gt;  // q x 10 from the peers files; empty when generated
};

template <typename T>
std::vector<T> ReadBin(const std::string& path, std::size_t count) {
  std::vector<T> v(count);
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(v.data()),
               static_cast<std::streamsize>(count * sizeof(T)))) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  return v;
}

long JsonInt(const std::string& js, const std::string& key) {
  auto pos = js.find("\"" + key + "\"");
  if (pos == std::string::npos) return -1;
  pos = js.find(':', pos);
  return std::strtol(js.c_str() + pos + 1, nullptr, 10);
}

Data ReadPeers(const std::string& dir, std::size_t max_queries) {
  std::ifstream meta_in(dir + "/meta.json");
  std::stringstream ss;
  ss << meta_in.rdbuf();
  Data data;
  data.n = static_cast<std::size_t>(JsonInt(ss.str(), "n"));
  data.d = static_cast<std::size_t>(JsonInt(ss.str(), "d"));
  const auto q = static_cast<std::size_t>(JsonInt(ss.str(), "q"));
  const auto k = static_cast<std::size_t>(JsonInt(ss.str(), "k"));
  data.base = ReadBin<float>(dir + "/base.f32", data.n * data.d);
  data.queries = ReadBin<float>(dir + "/queries.f32", q * data.d);
  const std::vector<std::int32_t> gt = ReadBin<std::int32_t>(dir + "/gt.i32", q * k);
  data.q = std::min(q, max_queries);
  data.queries.resize(data.q * data.d);
  for (std::size_t i = 0; i < data.q; ++i)
    data.gt.insert(data.gt.end(), &gt[i * k], &gt[i * k + 10]);
  return data;
}

Data Generate(std::size_t n, std::size_t d, std::size_t q, unsigned seed) {
  constexpr std::size_t kTopics = 40, kClusters = 1000, kRank = 16;
  std::mt19937 rng(seed);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  const auto random_unit = [&] {
    std::vector<float> v(d);
    float norm = 0;
    for (float& x : v) {
      x = gauss(rng);
      norm += x * x;
    }
    for (float& x : v) x /= std::sqrt(norm);
    return v;
  };
  std::vector<std::vector<float>> topics(kTopics), centres(kClusters);
  for (auto& t : topics) t = random_unit();
  for (auto& c : centres) c = random_unit();
  std::vector<std::vector<float>> basis(kClusters * kRank);
  for (auto& b : basis) b = random_unit();
  const auto draw = [&](float* out) {
    const std::size_t c = rng() % kClusters;
    const auto& topic = topics[c % kTopics];
    float z[kRank];
    for (float& x : z) x = 0.2f * gauss(rng);
    float norm = 0;
    for (std::size_t j = 0; j < d; ++j) {
      float x = 0.5f * topic[j] + centres[c][j] + 0.02f * gauss(rng);
      for (std::size_t r = 0; r < kRank; ++r) x += z[r] * basis[c * kRank + r][j];
      out[j] = x;
      norm += x * x;
    }
    for (std::size_t j = 0; j < d; ++j) out[j] /= std::sqrt(norm);
  };
  Data data{n, d, q, std::vector<float>(n * d), std::vector<float>(q * d), {}};
  for (std::size_t i = 0; i < n; ++i) draw(&data.base[i * d]);
  for (std::size_t i = 0; i < q; ++i) draw(&data.queries[i * d]);
  return data;
}

// Metadata with known selectivities: type 50%, scope 10%, project 1%, deprecated 0.1%.
ItemMeta MetaFor(std::size_t i) {
  ItemMeta m;
  m.type = static_cast<std::uint8_t>(i % 2);
  m.scope = static_cast<std::uint8_t>(i % 10 == 0);
  m.project_hash = i % 100 == 0 ? 7 : 0;
  m.deprecated = i % 1000 == 0;
  return m;
}

struct Timing {
  double p50 = 0, p99 = 0, recall = 0;
};

// Times one search per query (after 20 untimed warm-up queries) and scores
// recall@10 against `truth` (ids per query).
template <typename SearchFn>
Timing TimeQueries(const Data& data, const std::vector<std::vector<std::string>>& truth,
                   SearchFn search) {
  for (std::size_t i = 0; i < std::min<std::size_t>(20, data.q); ++i) (void)search(i);
  std::vector<double> lat(data.q);
  double hits = 0, wanted = 0;
  for (std::size_t i = 0; i < data.q; ++i) {
    const auto start = Clock::now();
    const std::vector<SearchHit> got = search(i);
    lat[i] = Ms(Clock::now() - start);
    const std::unordered_set<std::string> t(truth[i].begin(), truth[i].end());
    for (const SearchHit& h : got) hits += static_cast<double>(t.count(h.id));
    wanted += static_cast<double>(truth[i].size());
  }
  return {Percentile(lat, 0.5), Percentile(lat, 0.99), wanted > 0 ? hits / wanted : 1.0};
}

std::vector<SearchHit> Must(engram::Result<std::vector<SearchHit>> r) {
  if (!r.ok()) {
    std::fprintf(stderr, "search failed: %s\n", r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}

const char* PathName(engram::SearchPath p) {
  switch (p) {
    case engram::SearchPath::kGraph:
      return "graph";
    case engram::SearchPath::kFilteredGraph:
      return "filtered-graph";
    case engram::SearchPath::kExactScan:
      return "exact-scan";
    case engram::SearchPath::kGraphThenFilter:
      return "graph-then-filter";
  }
  return "?";
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> a;
  for (int i = 1; i + 1 < argc; i += 2) a[std::string(argv[i]).substr(2)] = argv[i + 1];
  const auto arg = [&](const char* key, const char* def) {
    return a.count(key) ? a[key] : std::string(def);
  };
  const std::size_t n = std::stoul(arg("n", "10000")), d = std::stoul(arg("d", "512"));
  const std::size_t nq = std::stoul(arg("queries", "500"));
  // Default: one build thread per core (AddBatch); --threads 1 adds one item at a time.
  const int threads = std::stoi(
      arg("threads", std::to_string(std::max(1u, std::thread::hardware_concurrency())).c_str()));
  const std::string work = arg("work", "/tmp");
  std::vector<std::size_t> efs;
  for (std::stringstream ss(arg("ef", "32,64,128")); ss.good();) {
    std::string t;
    std::getline(ss, t, ',');
    efs.push_back(std::stoul(t));
  }

  const long rss0 = ProcKb("VmRSS");
  const Data data = a.count("data")
                        ? ReadPeers(a["data"], nq)
                        : Generate(n, d, nq, static_cast<unsigned>(std::stoul(arg("seed", "42"))));
  std::vector<std::string> ids(data.n);
  for (std::size_t i = 0; i < data.n; ++i)
    ids[i] = engram::NewId(1'800'000'000'000 + static_cast<long>(i));
  const long rss_data = ProcKb("VmRSS");
  engram::HnswOptions options;
  options.dimension = data.d;
  options.model_id = "bench";
  options.initial_capacity = data.n;
  options.exact_scan_factor = std::stod(arg("exact-factor", "8"));
  options.ef_construction = std::stoul(arg("efc", std::to_string(options.ef_construction).c_str()));
  std::printf(
      "vector_bench: n=%zu d=%zu queries=%zu data=%s build_threads=%d kernel=%s M=%zu "
      "efc=%zu\n",
      data.n, data.d, data.q, a.count("data") ? a["data"].c_str() : "generated", threads,
      engram::index_internal::BestIpKernel().name, options.M, options.ef_construction);
  auto index = HnswIndex::Create(options).value();
  const auto vec = [&](std::size_t i) {
    return std::span<const float>(&data.base[i * data.d], data.d);
  };
  const auto t0 = Clock::now();
  const double cpu0 = CpuSeconds();
  if (threads <= 1) {
    for (std::size_t i = 0; i < data.n; ++i) {
      if (!index->Add(ids[i], vec(i), MetaFor(i)).ok()) return 1;
    }
  } else {
    std::vector<engram::ItemView> items;
    for (std::size_t i = 0; i < data.n; ++i) items.push_back({ids[i], vec(i), MetaFor(i)});
    if (!index->AddBatch(items, threads).ok()) return 1;
  }
  const double build_s = Ms(Clock::now() - t0) / 1000;
  const double build_cpu_s = CpuSeconds() - cpu0;
  const long rss_index = ProcKb("VmRSS");

  const std::string file = work + "/vector_bench-" + std::to_string(data.n) + ".idx";
  auto t1 = Clock::now();
  if (!index->Save(file, "bench").ok()) return 1;
  const double save_ms = Ms(Clock::now() - t1);
  const auto file_bytes = std::filesystem::file_size(file);
  t1 = Clock::now();
  auto reloaded = HnswIndex::Load(file, options, "bench");
  const double load_ms = Ms(Clock::now() - t1);
  if (!reloaded.ok()) return 1;
  reloaded->reset();
  std::filesystem::remove(file);

  std::printf("build: %.2f s, %.0f inserts/s (%d thread%s); cpu %.2f s, %.0f inserts/cpu-s\n",
              build_s, static_cast<double>(data.n) / build_s, threads, threads == 1 ? "" : "s",
              build_cpu_s, static_cast<double>(data.n) / build_cpu_s);
  std::printf("index file: %.1f MB (%.0f bytes/item), save %.0f ms, load+verify %.0f ms\n",
              static_cast<double>(file_bytes) / 1e6,
              static_cast<double>(file_bytes) / static_cast<double>(data.n), save_ms, load_ms);
  std::printf("rss: process %.0f MB, index %.0f MB (after data %.0f MB, start %.0f MB)\n",
              rss_index / 1024.0, (rss_index - rss_data) / 1024.0, rss_data / 1024.0,
              rss0 / 1024.0);

  // The exact index, the baseline and the ground truth for recall.
  auto exact = engram::NewExactIndex(data.d);
  for (std::size_t i = 0; i < data.n; ++i) (void)exact->Add(ids[i], vec(i), MetaFor(i));
  const auto query = [&](std::size_t i) {
    return std::span<const float>(&data.queries[i * data.d], data.d);
  };
  const auto truth_for = [&](const SearchFilter& f) {
    std::vector<std::vector<std::string>> truth(data.q);
    for (std::size_t i = 0; i < data.q; ++i) {
      for (const auto& h : Must(exact->Search(query(i), 10, f))) truth[i].push_back(h.id);
    }
    return truth;
  };
  const auto truth = truth_for({});
  if (!data.gt.empty()) {  // the exact index agrees with the peers ground truth
    double agree = 0;
    for (std::size_t i = 0; i < data.q; ++i) {
      const std::unordered_set<std::string> t(truth[i].begin(), truth[i].end());
      for (std::size_t j = 0; j < 10; ++j)
        agree += static_cast<double>(t.count(ids[data.gt[i * 10 + j]]));
    }
    std::printf("exact index vs gt.i32: %.4f\n", agree / static_cast<double>(data.q * 10));
  }
  const Timing ex =
      TimeQueries(data, truth, [&](std::size_t i) { return Must(exact->Search(query(i), 10)); });
  std::printf("%-34s p50 %8.3f ms  p99 %8.3f ms  recall@10 %.4f\n", "exact scan", ex.p50, ex.p99,
              ex.recall);
  for (const std::size_t ef : efs) {
    index->SetEfSearch(ef);
    const Timing t =
        TimeQueries(data, truth, [&](std::size_t i) { return Must(index->Search(query(i), 10)); });
    std::printf("%-34s p50 %8.3f ms  p99 %8.3f ms  recall@10 %.4f  exact/hnsw p50 %.0fx\n",
                ("hnsw ef=" + std::to_string(ef)).c_str(), t.p50, t.p99, t.recall, ex.p50 / t.p50);
  }

  index->SetEfSearch(64);
  const std::pair<const char*, SearchFilter> filters[] = {
      {"50% (type)", [](std::string_view, const ItemMeta& m) { return m.type == 1; }},
      {"10% (scope)", [](std::string_view, const ItemMeta& m) { return m.scope == 1; }},
      {"1% (project)", [](std::string_view, const ItemMeta& m) { return m.project_hash == 7; }},
      {"0.1% (deprecated)", [](std::string_view, const ItemMeta& m) { return m.deprecated; }},
  };
  for (const auto& [name, filter] : filters) {
    const auto ftruth = truth_for(filter);
    engram::SearchInfo info;
    const Timing t = TimeQueries(data, ftruth, [&](std::size_t i) {
      return Must(index->Search(query(i), 10, filter, &info));
    });
    const Timing fe = TimeQueries(
        data, ftruth, [&](std::size_t i) { return Must(exact->Search(query(i), 10, filter)); });
    std::printf(
        "filter %-18s ef=64 p50 %8.3f ms  p99 %8.3f ms  recall@10 %.4f  path %-14s exact-filtered "
        "p50 %.3f ms\n",
        name, t.p50, t.p99, t.recall, PathName(info.path), fe.p50);
  }
  std::printf("peak rss %.0f MB\n", ProcKb("VmHWM") / 1024.0);
  return 0;
}
