#include "bench/table_embedder.h"

#include <utility>

namespace engram::bench {

TableEmbedder::TableEmbedder(std::shared_ptr<const Embedder> inner, const std::string& model_id,
                             int dimension)
    : inner_(std::move(inner)),
      model_id_(inner_ ? inner_->model_id() : model_id),
      dimension_(inner_ ? inner_->dimension() : dimension) {}

void TableEmbedder::Put(const std::string& text, std::vector<float> vector) {
  table_[text] = std::move(vector);
}

Result<std::vector<std::vector<float>>> TableEmbedder::EmbedBatch(
    std::span<const std::string> texts) const {
  std::vector<std::vector<float>> out(texts.size());
  std::vector<std::string> missing;
  std::vector<std::size_t> where;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto it = enabled_ ? table_.find(texts[i]) : table_.end();
    if (it != table_.end()) {
      out[i] = it->second;
    } else {
      missing.push_back(texts[i]);
      where.push_back(i);
    }
  }
  if (missing.empty()) return out;
  if (!inner_) {
    return Status::NotFound("no vector for text '" + missing.front().substr(0, 80) +
                            "' (synthetic data has no model)");
  }
  inner_calls_ += missing.size();
  ENGRAM_ASSIGN_OR_RETURN(auto vectors, inner_->EmbedBatch(missing));
  for (std::size_t j = 0; j < where.size(); ++j) out[where[j]] = std::move(vectors[j]);
  return out;
}

}  // namespace engram::bench
