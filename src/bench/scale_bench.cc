// RunScaleBench: prepares the real and synthetic corpora and hands each to
// RunCorpus (scale_corpus.h); the ratios are computed here.
#include "bench/scale_bench.h"

#include <sys/utsname.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "bench/scale_corpus.h"
#include "bench/scale_data.h"
#include "bench/scale_util.h"
#include "bench/table_embedder.h"
#include "engram/time.h"

namespace engram::bench {
namespace {

// Embeds `texts` in batches of 64 on `threads` threads.
Result<Matrix> EmbedAll(const Embedder& embedder, const std::vector<std::string>& texts,
                        int threads, const std::string& label, bool progress) {
  constexpr std::size_t kBatch = 64;
  const auto dim = static_cast<std::size_t>(embedder.dimension());
  Matrix m{texts.size(), dim, std::vector<float>(texts.size() * dim)};
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex mu;
  Status first_error;
  Progress bar(label, texts.size(), progress);
  auto work = [&](bool draws) {
    for (std::size_t start; (start = next.fetch_add(kBatch)) < texts.size();) {
      const std::size_t end = std::min(texts.size(), start + kBatch);
      std::span<const std::string> batch(texts.data() + start, end - start);
      auto vectors = embedder.EmbedBatch(batch);
      if (!vectors.ok()) {
        std::lock_guard lock(mu);
        if (first_error.ok()) first_error = vectors.status();
        return;
      }
      for (std::size_t i = start; i < end; ++i) {
        std::copy((*vectors)[i - start].begin(), (*vectors)[i - start].end(),
                  m.data.begin() + static_cast<std::ptrdiff_t>(i * dim));
      }
      done += end - start;
      if (draws) bar.Update(done.load());
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, false);
  work(true);
  for (auto& t : pool) t.join();
  ENGRAM_RETURN_IF_ERROR(first_error);
  return m;
}

double Ratio(double a, double b) { return b > 0 ? a / b : 0; }

// Ratios of the slow baselines to our paths, by median.
void AddRatios(Json& part) {
  Json r = Json::object();
  const double exact = part["exact"]["latency"]["p50_ms"].get<double>();
  const double retrieval = part["retrieval"]["p50_ms"].get<double>();
  for (const Json& s : part["hnsw"]["search"]) {
    const std::string ef = std::to_string(s["ef"].get<std::size_t>());
    r["exact_over_hnsw_ef" + ef] = Ratio(exact, s["latency"]["p50_ms"].get<double>());
    if (part["sqlite_vec"].contains("latency")) {
      r["sqlite_vec_over_hnsw_ef" + ef] =
          Ratio(part["sqlite_vec"]["latency"]["p50_ms"].get<double>(),
                s["latency"]["p50_ms"].get<double>());
    }
  }
  if (part["sqlite_vec"].contains("latency")) {
    const double sv = part["sqlite_vec"]["latency"]["p50_ms"].get<double>();
    r["sqlite_vec_over_exact"] = Ratio(sv, exact);
    r["sqlite_vec_over_retrieval"] = Ratio(sv, retrieval);
    if (part.contains("end_to_end")) {
      r["sqlite_vec_over_end_to_end"] = Ratio(sv, part["end_to_end"]["p50_ms"].get<double>());
    }
  }
  r["exact_over_retrieval"] = Ratio(exact, retrieval);
  part["ratios"] = std::move(r);
}

Result<Json> RunReal(const ScaleOptions& o) {
  std::shared_ptr<const Embedder> model = o.embedder;
  if (!model) {
    ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Embedder> opened, OpenUseLiteEmbedder());
    model = std::move(opened);
  }
  ENGRAM_ASSIGN_OR_RETURN(std::vector<RealText> texts, BuildRealTexts(o.locomo, o.real));
  std::vector<std::string> contents;
  contents.reserve(texts.size());
  for (const RealText& t : texts) contents.push_back(t.text);
  const std::uint64_t hash = HashTexts(contents);
  const std::string cache = o.work + "/real-" + std::to_string(o.real) + ".vec";
  Json part{{"texts",
             "LoCoMo: every turn, then pairs of turns at distance 1, 2, ... of one "
             "conversation, until N distinct"},
            {"vector_cache", cache}};
  Matrix base;
  auto cached = LoadVectorCache(cache, model->model_id(), hash);
  if (cached.ok()) {
    base = std::move(*cached);
    part["embedding"] = Json{{"from_cache", true}};
  } else {
    const auto t0 = Clock::now();
    ENGRAM_ASSIGN_OR_RETURN(base,
                            EmbedAll(*model, contents, o.threads, "real: embed texts", o.progress));
    const double s = MsSince(t0) / 1000.0;
    ENGRAM_RETURN_IF_ERROR(SaveVectorCache(cache, model->model_id(), hash, base));
    part["embedding"] = Json{{"from_cache", false},
                             {"seconds", s},
                             {"texts_per_s", static_cast<double>(base.rows) / s},
                             {"threads", o.threads},
                             {"cache_miss_reason", cached.status().message()}};
  }
  ENGRAM_ASSIGN_OR_RETURN(std::vector<std::string> questions, LocomoQuestions(o.locomo));
  // The timed questions, then kWarmupQueries more for the warm-ups.
  const std::size_t wanted = o.queries + kWarmupQueries;
  if (questions.size() > wanted) questions.resize(wanted);
  ENGRAM_ASSIGN_OR_RETURN(Matrix qm,
                          EmbedAll(*model, questions, o.threads, "real: embed queries", false));
  auto table = std::make_shared<TableEmbedder>(model, "", 0);
  for (std::size_t i = 0; i < qm.rows; ++i) {
    auto row = qm.Row(i);
    table->Put(questions[i], std::vector<float>(row.begin(), row.end()));
  }
  CorpusSpec spec;
  spec.name = "real";
  spec.base = &base;
  spec.title = [&texts](std::size_t i) { return texts[i].conversation + " " + texts[i].source; };
  spec.content = [&texts](std::size_t i) { return texts[i].text; };
  spec.topic = "locomo";
  spec.queries = &qm;
  spec.query_texts = questions;
  spec.embedder = table;
  spec.end_to_end = true;
  ENGRAM_ASSIGN_OR_RETURN(Json exact, ExactTruth(o, spec));
  ENGRAM_ASSIGN_OR_RETURN(Json measured, RunCorpus(o, spec, std::move(exact)));
  part.update(measured);
  part["query_texts"] = "LoCoMo questions, file order";
  return part;
}

Result<Json> RunSynthetic(const ScaleOptions& o) {
  VectorData data;
  std::string dir = o.peers_data;
  if (dir.empty()) dir = "/tmp/peers-data/n" + std::to_string(o.n);
  std::error_code ec;
  bool loaded = false;
  if (std::filesystem::exists(dir + "/meta.json", ec)) {
    ENGRAM_ASSIGN_OR_RETURN(data, LoadPeersData(dir));
    if (data.base.rows != o.n) {
      return Status::InvalidArgument("'" + dir + "' holds " + std::to_string(data.base.rows) +
                                     " vectors, not --n " + std::to_string(o.n));
    }
    loaded = true;
  } else if (!o.peers_data.empty()) {
    return Status::NotFound("no peers data in '" + o.peers_data + "' (meta.json missing)");
  }
  if (!loaded) {
    ClusteredOptions co;
    co.n = o.n;
    co.queries = o.queries + kWarmupQueries;  // the timed ones, then the warm-ups
    data = GenerateClustered(co);
  }
  if (const std::size_t wanted = o.queries + kWarmupQueries; data.queries.rows > wanted) {
    data.queries.rows = wanted;
    data.queries.data.resize(wanted * data.queries.dim);
    if (data.truth.size() > wanted) data.truth.resize(wanted);
  }
  constexpr char kModel[] = "synthetic-clustered";
  auto table = std::make_shared<TableEmbedder>(nullptr, kModel, static_cast<int>(data.base.dim));
  const SyntheticText words;
  CorpusSpec spec;
  spec.name = "synthetic";
  spec.base = &data.base;
  spec.title = [&words](std::size_t i) {
    auto ranks = words.DocumentRanks(i);
    return SyntheticText::Word(ranks[0]) + " " + SyntheticText::Word(ranks[1]);
  };
  spec.content = [&words](std::size_t i) { return words.Document(i); };
  spec.topic = "synthetic";
  spec.queries = &data.queries;
  spec.truth = std::move(data.truth);
  spec.embedder = table;
  ENGRAM_ASSIGN_OR_RETURN(Json exact, ExactTruth(o, spec));
  for (std::size_t i = 0; i < data.queries.rows; ++i) {
    spec.query_texts.push_back(words.Query(i, static_cast<std::size_t>(spec.truth[i][0])));
    auto row = data.queries.Row(i);
    table->Put(spec.query_texts.back(), std::vector<float>(row.begin(), row.end()));
  }
  ENGRAM_ASSIGN_OR_RETURN(Json measured, RunCorpus(o, spec, std::move(exact)));
  Json part{{"vectors", data.source},
            {"texts",
             "16 words per document drawn from Zipf(s=1) over 50,000 synthetic words; query = "
             "the two rarest words of the true nearest neighbour + one Zipf word of rank >= 100"}};
  part.update(measured);
  return part;
}

}  // namespace

Result<Json> RunScaleBench(const ScaleOptions& o) {
  if (o.work.empty()) return Status::InvalidArgument("--work is required");
  if (o.queries == 0) return Status::InvalidArgument("--queries must be at least 1");
  if (o.threads < 1 || o.threads > 64) return Status::InvalidArgument("--threads must be 1..64");
  if (o.n == 0 && o.real == 0) return Status::InvalidArgument("both --n and --real are 0");
  if (o.n != 0 && o.n < 100) return Status::InvalidArgument("--n must be 0 or at least 100");
  if (o.real != 0 && o.real < 100) return Status::InvalidArgument("--real must be 0 or >= 100");
  std::error_code ec;
  std::filesystem::create_directories(o.work, ec);
  if (ec) return Status::IOError("cannot create --work '" + o.work + "': " + ec.message());
  Json report;
  utsname u{};
  uname(&u);
  std::ifstream loadavg("/proc/loadavg");
  std::string load;
  std::getline(loadavg, load);
  report["machine"] = Json{{"cores", std::thread::hardware_concurrency()},
                           {"kernel", std::string(u.release)},
                           {"loadavg_at_start", load},
                           {"started_at", FormatIso8601(SystemClock::Get().NowMs())}};
  if (o.real > 0) {
    ENGRAM_ASSIGN_OR_RETURN(Json real, RunReal(o));
    AddRatios(real);
    report["real"] = std::move(real);
  }
  if (o.n > 0) {
    ENGRAM_ASSIGN_OR_RETURN(Json synthetic, RunSynthetic(o));
    AddRatios(synthetic);
    report["synthetic"] = std::move(synthetic);
  }
  std::ifstream loadavg2("/proc/loadavg");
  std::getline(loadavg2, load);
  report["machine"]["loadavg_at_end"] = load;
  return report;
}

}  // namespace engram::bench
