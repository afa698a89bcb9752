// OpenHashingEmbedder: feature hashing of words, word pairs and character
// trigrams (see include/engram/embedder.h). Deterministic across platforms:
// the hash is FNV-1a 64 with a splitmix64 finaliser, never std::hash.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "embed/vector_norm.h"
#include "engram/embedder.h"

namespace engram {
namespace {

constexpr int kMaxDimension = 65536;
// Feature weights: whole words and word pairs carry the meaning; trigrams
// add robustness to inflections and typos without dominating.
constexpr float kUnigramWeight = 1.0f;
constexpr float kBigramWeight = 1.0f;
constexpr float kTrigramWeight = 0.5f;

std::uint64_t Hash(char kind, std::string_view a, std::string_view b = {}) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a offset basis
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;  // FNV prime
  };
  mix(static_cast<unsigned char>(kind));
  for (char c : a) mix(static_cast<unsigned char>(c));
  mix(0);  // separates a from b
  for (char c : b) mix(static_cast<unsigned char>(c));
  // splitmix64 finaliser: spreads FNV's weak low bits.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

// ASCII letters and digits and every non-ASCII byte (so UTF-8 words stay
// whole) are word characters; everything else separates words.
bool IsWordByte(unsigned char c) {
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsWordByte(c)) {
      current.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : ch);
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

class HashingEmbedder final : public Embedder {
 public:
  explicit HashingEmbedder(int dimension)
      : id_("hashing-v1-" + std::to_string(dimension)), dimension_(dimension) {}

  const std::string& model_id() const override { return id_; }
  int dimension() const override { return dimension_; }

  Result<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string> texts) const override {
    std::vector<std::vector<float>> result;
    result.reserve(texts.size());
    for (const std::string& text : texts) result.push_back(EmbedOne(text));
    return result;
  }

 private:
  void Add(std::vector<float>& v, std::uint64_t h, float weight) const {
    const auto bucket = static_cast<std::size_t>(h % static_cast<std::uint64_t>(dimension_));
    // Bucket from h mod dimension, sign from the top bit.
    v[bucket] += (h >> 63) != 0 ? -weight : weight;
  }

  std::vector<float> EmbedOne(std::string_view text) const {
    std::vector<float> v(static_cast<std::size_t>(dimension_), 0.0f);
    const std::vector<std::string> words = Words(text);
    for (std::size_t i = 0; i < words.size(); ++i) {
      Add(v, Hash('w', words[i]), kUnigramWeight);
      if (i + 1 < words.size()) Add(v, Hash('b', words[i], words[i + 1]), kBigramWeight);
      // Trigrams of " word " so prefixes and suffixes count too.
      const std::string padded = " " + words[i] + " ";
      for (std::size_t j = 0; j + 3 <= padded.size(); ++j) {
        Add(v, Hash('c', std::string_view(padded).substr(j, 3)), kTrigramWeight);
      }
    }
    embed::L2Normalize(v);
    return v;
  }

  std::string id_;
  int dimension_;
};

}  // namespace

Result<std::unique_ptr<Embedder>> OpenHashingEmbedder(const HashingEmbedderOptions& options) {
  if (options.dimension < 1 || options.dimension > kMaxDimension) {
    return Status::InvalidArgument("hashing embedder dimension must be in 1.." +
                                   std::to_string(kMaxDimension) + ", got " +
                                   std::to_string(options.dimension));
  }
  return std::unique_ptr<Embedder>(std::make_unique<HashingEmbedder>(options.dimension));
}

}  // namespace engram
