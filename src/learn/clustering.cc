#include "learn/clustering.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "core/code_tokens.h"

namespace engram::learn {
namespace {

double Idf(std::size_t n, std::size_t df) {
  return std::log((1.0 + double(n)) / (1.0 + double(df))) + 1.0;
}

std::map<std::string, std::size_t> DocumentFrequencies(
    const std::vector<std::vector<std::string>>& terms) {
  std::map<std::string, std::size_t> df;
  for (const auto& t : terms) {
    for (const std::string& w : std::set<std::string>(t.begin(), t.end())) ++df[w];
  }
  return df;
}

}  // namespace

SimilarityMatrix CosineMatrix(const std::vector<std::vector<float>>& vectors) {
  SimilarityMatrix m;
  m.n = vectors.size();
  m.values.assign(m.n * m.n, 0.0f);
  std::vector<double> norms(m.n);
  for (std::size_t i = 0; i < m.n; ++i) {
    double s = 0;
    for (float x : vectors[i]) s += double(x) * x;
    norms[i] = std::sqrt(s);
  }
  for (std::size_t i = 0; i < m.n; ++i) {
    m.values[i * m.n + i] = 1.0f;
    for (std::size_t j = i + 1; j < m.n; ++j) {
      double dot = 0;
      const auto& a = vectors[i];
      const auto& b = vectors[j];
      for (std::size_t d = 0; d < a.size() && d < b.size(); ++d) dot += double(a[d]) * b[d];
      double c = norms[i] > 0 && norms[j] > 0 ? dot / (norms[i] * norms[j]) : 0.0;
      m.values[i * m.n + j] = m.values[j * m.n + i] = static_cast<float>(c);
    }
  }
  return m;
}

std::vector<std::string> TextTerms(const std::string& text) {
  std::vector<std::string> out;
  std::string word;
  auto flush = [&] {
    if (word.size() > 1 && !IsStopWord(word)) out.push_back(word);
    word.clear();
  };
  for (char ch : text) {
    auto u = static_cast<unsigned char>(ch);
    if (u >= 0x80 || std::isalnum(u)) {
      word += static_cast<char>(std::tolower(u));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

std::vector<SparseVector> TextVectors(const std::vector<std::string>& texts) {
  std::vector<std::vector<std::string>> terms;
  terms.reserve(texts.size());
  for (const std::string& t : texts) terms.push_back(TextTerms(t));
  std::map<std::string, std::size_t> df = DocumentFrequencies(terms);
  std::vector<SparseVector> out(texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    std::map<std::string, int> tf;
    for (const std::string& w : terms[i]) ++tf[w];
    for (const auto& [w, c] : tf) out[i][w] = (1 + std::log(double(c))) * Idf(texts.size(), df[w]);
  }
  return out;
}

SimilarityMatrix SparseCosineMatrix(const std::vector<SparseVector>& vectors) {
  SimilarityMatrix m;
  m.n = vectors.size();
  m.values.assign(m.n * m.n, 0.0f);
  std::vector<double> norms(m.n);
  for (std::size_t i = 0; i < m.n; ++i) {
    double s = 0;
    for (const auto& [w, x] : vectors[i]) s += x * x;
    norms[i] = std::sqrt(s);
  }
  for (std::size_t i = 0; i < m.n; ++i) {
    m.values[i * m.n + i] = 1.0f;
    for (std::size_t j = i + 1; j < m.n; ++j) {
      const SparseVector& small = vectors[i].size() < vectors[j].size() ? vectors[i] : vectors[j];
      const SparseVector& big = &small == &vectors[i] ? vectors[j] : vectors[i];
      double dot = 0;
      for (const auto& [w, x] : small) {
        auto it = big.find(w);
        if (it != big.end()) dot += x * it->second;
      }
      double c = norms[i] > 0 && norms[j] > 0 ? dot / (norms[i] * norms[j]) : 0.0;
      m.values[i * m.n + j] = m.values[j * m.n + i] = static_cast<float>(c);
    }
  }
  return m;
}

std::vector<std::vector<std::size_t>> AverageLinkClusters(const SimilarityMatrix& sim,
                                                          double min_similarity) {
  const std::size_t n = sim.n;
  // Average similarity between current clusters (Lance-Williams update).
  std::vector<double> link(sim.values.begin(), sim.values.end());
  std::vector<std::vector<std::size_t>> members(n);
  std::vector<bool> alive(n, true);
  for (std::size_t i = 0; i < n; ++i) members[i] = {i};
  // Best partner of each row among the alive clusters with a larger index
  // is not enough after merges; keep the best over all alive partners.
  std::vector<std::size_t> best(n, n);
  std::vector<double> best_value(n, -2);
  auto refresh = [&](std::size_t i) {
    best[i] = n;
    best_value[i] = -2;
    for (std::size_t j = 0; j < n; ++j) {
      if (j == i || !alive[j]) continue;
      if (link[i * n + j] > best_value[i]) {
        best_value[i] = link[i * n + j];
        best[i] = j;
      }
    }
  };
  for (std::size_t i = 0; i < n; ++i) refresh(i);
  while (true) {
    std::size_t a = n;
    for (std::size_t i = 0; i < n; ++i) {
      if (!alive[i] || best[i] == n) continue;
      if (a == n || best_value[i] > best_value[a]) a = i;
    }
    if (a == n || best_value[a] < min_similarity) break;
    std::size_t b = best[a];
    std::size_t keep = std::min(a, b), gone = std::max(a, b);
    const double sk = double(members[keep].size()), sg = double(members[gone].size());
    for (std::size_t k = 0; k < n; ++k) {
      if (!alive[k] || k == keep || k == gone) continue;
      double v = (sk * link[keep * n + k] + sg * link[gone * n + k]) / (sk + sg);
      link[keep * n + k] = link[k * n + keep] = v;
    }
    members[keep].insert(members[keep].end(), members[gone].begin(), members[gone].end());
    std::sort(members[keep].begin(), members[keep].end());
    members[gone].clear();
    alive[gone] = false;
    for (std::size_t k = 0; k < n; ++k) {
      if (!alive[k]) continue;
      if (k == keep || best[k] == keep || best[k] == gone) {
        refresh(k);
      } else if (link[k * n + keep] > best_value[k] ||
                 (link[k * n + keep] == best_value[k] && keep < best[k])) {
        best_value[k] = link[k * n + keep];
        best[k] = keep;
      }
    }
  }
  std::vector<std::vector<std::size_t>> out;
  for (std::size_t i = 0; i < n; ++i) {
    if (alive[i]) out.push_back(std::move(members[i]));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    if (x.size() != y.size()) return x.size() > y.size();
    return x.front() < y.front();
  });
  return out;
}

double Cohesion(const SimilarityMatrix& sim, const std::vector<std::size_t>& members) {
  if (members.size() < 2) return 1.0;
  double s = 0;
  std::size_t pairs = 0;
  for (std::size_t i = 0; i < members.size(); ++i) {
    for (std::size_t j = i + 1; j < members.size(); ++j) {
      s += sim.at(members[i], members[j]);
      ++pairs;
    }
  }
  return s / double(pairs);
}

std::vector<std::vector<std::string>> LabelClusters(
    const std::vector<std::string>& texts, const std::vector<std::vector<std::size_t>>& clusters,
    std::size_t k) {
  std::vector<std::vector<std::string>> terms;
  terms.reserve(texts.size());
  for (const std::string& t : texts) terms.push_back(TextTerms(t));
  std::map<std::string, std::size_t> df = DocumentFrequencies(terms);
  std::vector<std::vector<std::string>> labels;
  labels.reserve(clusters.size());
  for (const auto& c : clusters) {
    std::map<std::string, double> count;
    double total = 0;
    for (std::size_t i : c) {
      for (const std::string& w : terms[i]) {
        count[w] += 1;
        total += 1;
      }
    }
    std::vector<std::pair<double, std::string>> scored;
    scored.reserve(count.size());
    for (const auto& [w, x] : count) scored.emplace_back(x / total * Idf(texts.size(), df[w]), w);
    std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) {
      if (x.first != y.first) return x.first > y.first;
      return x.second < y.second;
    });
    std::vector<std::string> label;
    for (std::size_t i = 0; i < scored.size() && label.size() < k; ++i) {
      label.push_back(scored[i].second);
    }
    labels.push_back(std::move(label));
  }
  return labels;
}

}  // namespace engram::learn
