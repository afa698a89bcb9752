#include "bench/scale_data.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <unordered_set>

#include "bench/locomo.h"
#include "bench/scale_util.h"
#include "engram/json.h"

namespace engram::bench {
namespace {

Result<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status ReadFloats(const std::string& path, std::size_t count, std::vector<float>& out) {
  out.resize(count);
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return Status::NotFound("cannot open '" + path + "'");
  const std::size_t got = std::fread(out.data(), sizeof(float), count, f);
  std::fclose(f);
  if (got != count) {
    return Status::Corruption("'" + path + "' is short: " + std::to_string(got) + " of " +
                              std::to_string(count) + " values");
  }
  return Status::Ok();
}

void Normalise(std::span<float> v) {
  double s = 0;
  for (float x : v) s += double(x) * x;
  const auto inv = static_cast<float>(s > 0 ? 1.0 / std::sqrt(s) : 0.0);
  for (float& x : v) x *= inv;
}

std::uint64_t SplitMix(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace

Result<VectorData> LoadPeersData(const std::string& dir) {
  ENGRAM_ASSIGN_OR_RETURN(std::string meta_text, Slurp(dir + "/meta.json"));
  Json meta = Json::parse(meta_text, nullptr, /*allow_exceptions=*/false);
  if (meta.is_discarded() || !meta.is_object()) {
    return Status::Corruption("'" + dir + "/meta.json' is not a JSON object");
  }
  const auto n = meta.value("n", std::size_t{0});
  const auto d = meta.value("d", std::size_t{0});
  const auto q = meta.value("q", std::size_t{0});
  const auto k = meta.value("k", std::size_t{0});
  if (n == 0 || d == 0 || q == 0 || k < 10) {
    return Status::Corruption("'" + dir + "/meta.json' lacks n, d, q or k >= 10");
  }
  VectorData out;
  out.source = dir + " (peers gen.py, seed " + std::to_string(meta.value("seed", 0)) + ")";
  out.base = {n, d, {}};
  out.queries = {q, d, {}};
  ENGRAM_RETURN_IF_ERROR(ReadFloats(dir + "/base.f32", n * d, out.base.data));
  ENGRAM_RETURN_IF_ERROR(ReadFloats(dir + "/queries.f32", q * d, out.queries.data));
  std::vector<float> raw;
  ENGRAM_RETURN_IF_ERROR(ReadFloats(dir + "/gt.i32", q * k, raw));  // same width as int32
  out.truth.resize(q);
  for (std::size_t i = 0; i < q; ++i) {
    out.truth[i].resize(10);
    std::memcpy(out.truth[i].data(), raw.data() + i * k, 10 * sizeof(std::int32_t));
    for (std::int32_t id : out.truth[i]) {
      if (id < 0 || static_cast<std::size_t>(id) >= n) {
        return Status::Corruption("'" + dir + "/gt.i32' has row id " + std::to_string(id) +
                                  " outside 0.." + std::to_string(n - 1));
      }
    }
  }
  return out;
}

VectorData GenerateClustered(const ClusteredOptions& o) {
  constexpr std::size_t kRank = 16;
  std::mt19937_64 rng(o.seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  const std::size_t d = o.dim;
  const std::size_t clusters = std::max<std::size_t>(1, std::min(o.clusters, o.n / 4));
  auto random_unit = [&] {
    std::vector<float> v(d);
    for (float& x : v) x = g(rng);
    Normalise(v);
    return v;
  };
  std::vector<float> global = random_unit();
  std::vector<std::vector<float>> centres(clusters);
  std::vector<std::vector<std::vector<float>>> local(clusters);
  for (std::size_t c = 0; c < clusters; ++c) {
    centres[c] = random_unit();
    for (std::size_t r = 0; r < kRank; ++r) local[c].push_back(random_unit());
  }
  std::uniform_int_distribution<std::size_t> pick(0, clusters - 1);
  auto make = [&](Matrix& m, std::size_t rows) {
    m = {rows, d, std::vector<float>(rows * d)};
    for (std::size_t i = 0; i < rows; ++i) {
      std::span<float> v(m.data.data() + i * d, d);
      const std::size_t c = pick(rng);
      for (std::size_t j = 0; j < d; ++j) v[j] = 0.3f * global[j] + 0.75f * centres[c][j];
      for (std::size_t r = 0; r < kRank; ++r) {
        const float a = 0.35f * g(rng);
        for (std::size_t j = 0; j < d; ++j) v[j] += a * local[c][r][j];
      }
      for (std::size_t j = 0; j < d; ++j) v[j] += 0.25f / std::sqrt(float(d)) * g(rng);
      Normalise(v);
    }
  };
  VectorData out;
  make(out.base, o.n);
  make(out.queries, o.queries);
  out.source = "generated in C++: " + std::to_string(clusters) +
               " clusters, rank-16 local variation, seed " + std::to_string(o.seed);
  return out;
}

SyntheticText::SyntheticText(SyntheticTextOptions options) : options_(options) {
  cdf_.resize(options_.vocabulary);
  double sum = 0;
  for (std::size_t r = 0; r < options_.vocabulary; ++r) {
    sum += 1.0 / static_cast<double>(r + 1);
    cdf_[r] = sum;
  }
  for (double& c : cdf_) c /= sum;
}

std::string SyntheticText::Word(std::size_t rank) {
  std::string w = "w";
  do {
    w += static_cast<char>('a' + rank % 26);
    rank /= 26;
  } while (rank > 0);
  return w;
}

std::size_t SyntheticText::Draw(std::uint64_t& state, std::size_t min_rank) const {
  const double lo = min_rank == 0 ? 0.0 : cdf_[min_rank - 1];
  const double u = lo + (1.0 - lo) * (static_cast<double>(SplitMix(state) >> 11) * 0x1.0p-53);
  auto it = std::lower_bound(cdf_.begin(), cdf_.end(), u);
  return std::min<std::size_t>(static_cast<std::size_t>(it - cdf_.begin()), cdf_.size() - 1);
}

std::vector<std::size_t> SyntheticText::DocumentRanks(std::size_t row) const {
  std::uint64_t state = options_.seed * 0x100000001B3ull + row;
  std::vector<std::size_t> ranks(options_.words);
  for (std::size_t& r : ranks) r = Draw(state, 0);
  return ranks;
}

std::string SyntheticText::Document(std::size_t row) const {
  std::string text;
  for (std::size_t r : DocumentRanks(row)) {
    if (!text.empty()) text += ' ';
    text += Word(r);
  }
  return text;
}

std::string SyntheticText::Query(std::size_t query, std::size_t near_row) const {
  std::vector<std::size_t> ranks = DocumentRanks(near_row);
  std::sort(ranks.begin(), ranks.end(), std::greater<>());
  std::uint64_t state = ~(options_.seed * 0x9E3779B97F4A7C15ull + query);
  return Word(ranks[0]) + " " + Word(ranks.size() > 1 ? ranks[1] : ranks[0]) + " " +
         Word(Draw(state, options_.query_min_rank));
}

Result<std::vector<RealText>> BuildRealTexts(const std::string& locomo_path, std::size_t n) {
  ENGRAM_ASSIGN_OR_RETURN(auto convs, LoadLocomo(locomo_path));
  std::vector<RealText> out;
  std::unordered_set<std::string> seen;
  auto line = [](const LocomoTurn& t) { return t.speaker + ": " + t.text; };
  auto add = [&](RealText t) {
    if (out.size() < n && seen.insert(t.text).second) out.push_back(std::move(t));
  };
  for (const auto& c : convs) {
    for (const auto& t : c.turns) add({line(t), t.dia_id, c.sample_id});
  }
  std::size_t longest = 0;
  for (const auto& c : convs) longest = std::max(longest, c.turns.size());
  for (std::size_t dist = 1; out.size() < n && dist < longest; ++dist) {
    for (const auto& c : convs) {
      for (std::size_t i = 0; i + dist < c.turns.size() && out.size() < n; ++i) {
        const auto& a = c.turns[i];
        const auto& b = c.turns[i + dist];
        add({line(a) + "\n" + line(b), a.dia_id + "+" + b.dia_id, c.sample_id});
      }
    }
  }
  if (out.size() < n) {
    return Status::FailedPrecondition("'" + locomo_path + "' gives only " +
                                      std::to_string(out.size()) + " distinct texts, not " +
                                      std::to_string(n));
  }
  return out;
}

Result<std::vector<std::string>> LocomoQuestions(const std::string& locomo_path) {
  ENGRAM_ASSIGN_OR_RETURN(auto convs, LoadLocomo(locomo_path));
  std::vector<std::string> out;
  for (const auto& c : convs) {
    for (const auto& q : c.questions) {
      if (!q.question.empty()) out.push_back(q.question);
    }
  }
  return out;
}

std::uint64_t HashTexts(const std::vector<std::string>& texts) {
  std::uint64_t h = Fnv1a("texts");
  for (const std::string& t : texts) {
    h = Fnv1a(t, h);
    h = Fnv1a(std::string_view("\0", 1), h);
  }
  return h;
}

namespace {
constexpr char kMagic[8] = {'E', 'N', 'G', 'R', 'V', 'E', 'C', '1'};
constexpr std::uint32_t kCacheVersion = 1;

std::string Header(const std::string& model_id, std::uint64_t texts_hash, const Matrix& m) {
  std::string h(kMagic, sizeof(kMagic));
  auto put = [&h](const auto& v) { h.append(reinterpret_cast<const char*>(&v), sizeof(v)); };
  put(kCacheVersion);
  put(static_cast<std::uint64_t>(m.rows));
  put(static_cast<std::uint64_t>(m.dim));
  put(static_cast<std::uint32_t>(model_id.size()));
  h += model_id;
  put(texts_hash);
  return h;
}
}  // namespace

Status SaveVectorCache(const std::string& path, const std::string& model_id,
                       std::uint64_t texts_hash, const Matrix& vectors) {
  const std::string header = Header(model_id, texts_hash, vectors);
  std::string_view body(reinterpret_cast<const char*>(vectors.data.data()),
                        vectors.data.size() * sizeof(float));
  const std::uint64_t sum = Fnv1a(body, Fnv1a(header));
  const std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
  out.write(reinterpret_cast<const char*>(&sum), sizeof(sum));
  out.close();
  if (!out) return Status::IOError("cannot write '" + tmp + "'");
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status::IOError("cannot rename '" + tmp + "' to '" + path + "'");
  }
  return Status::Ok();
}

Result<Matrix> LoadVectorCache(const std::string& path, const std::string& model_id,
                               std::uint64_t texts_hash) {
  ENGRAM_ASSIGN_OR_RETURN(std::string bytes, Slurp(path));
  const std::string bad = "vector cache '" + path + "' ";
  if (bytes.size() < sizeof(kMagic) + 4 + 8 + 8 + 4 ||
      std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return Status::Corruption(bad + "is not a vector cache (bad magic)");
  }
  std::size_t at = sizeof(kMagic);
  auto get = [&](auto& v) {
    std::memcpy(&v, bytes.data() + at, sizeof(v));
    at += sizeof(v);
  };
  std::uint32_t version = 0, id_len = 0;
  std::uint64_t rows = 0, dim = 0, stored_hash = 0;
  get(version);
  if (version != kCacheVersion) {
    return Status::FailedPrecondition(bad + "has format version " + std::to_string(version));
  }
  get(rows);
  get(dim);
  get(id_len);
  if (id_len > 1024 || bytes.size() < at + id_len + 8) return Status::Corruption(bad + "is short");
  const std::string stored_model = bytes.substr(at, id_len);
  at += id_len;
  get(stored_hash);
  if (dim == 0 || dim > 65536 || rows > (bytes.size() - at) / (dim * sizeof(float)) ||
      bytes.size() != at + rows * dim * sizeof(float) + 8) {
    return Status::Corruption(bad + "has the wrong size for its header");
  }
  std::uint64_t sum = 0;
  std::memcpy(&sum, bytes.data() + bytes.size() - 8, 8);
  if (sum != Fnv1a(std::string_view(bytes.data(), bytes.size() - 8))) {
    return Status::Corruption(bad + "fails its checksum");
  }
  if (stored_model != model_id || stored_hash != texts_hash) {
    return Status::FailedPrecondition(bad + "holds other texts or another model (" + stored_model +
                                      ")");
  }
  Matrix m{rows, dim, std::vector<float>(rows * dim)};
  std::memcpy(m.data.data(), bytes.data() + at, m.data.size() * sizeof(float));
  return m;
}

}  // namespace engram::bench
