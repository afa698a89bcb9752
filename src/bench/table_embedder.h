// TableEmbedder: an Embedder that answers texts it was given vectors for
// from a table and passes every other text to an inner embedder (or fails
// with NotFound when there is none). The scale benchmark gives it to the
// Engine so one code path (Engine::SearchLessons) can be timed with the
// query already embedded (table hit) and end to end (table disabled: the
// inner model embeds the query), and so that synthetic vectors, which have
// no model, can stand behind synthetic query texts.
//
// Ownership: owns its table; shares the inner embedder.
// Thread safety: EmbedBatch is safe to call concurrently; Put and
// set_enabled must not run concurrently with it.
#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "engram/embedder.h"

namespace engram::bench {

class TableEmbedder : public Embedder {
 public:
  // `inner` may be null; then model_id and dimension must be given.
  TableEmbedder(std::shared_ptr<const Embedder> inner, const std::string& model_id, int dimension);

  const std::string& model_id() const override { return model_id_; }
  int dimension() const override { return dimension_; }
  Result<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string> texts) const override;

  // REQUIRES: vector.size() == dimension().
  void Put(const std::string& text, std::vector<float> vector);
  // With the table disabled every text goes to the inner embedder.
  void set_enabled(bool enabled) { enabled_ = enabled; }
  // Texts answered by the inner embedder so far.
  std::size_t inner_calls() const { return inner_calls_.load(); }

 private:
  std::shared_ptr<const Embedder> inner_;
  std::string model_id_;
  int dimension_;
  bool enabled_ = true;
  std::unordered_map<std::string, std::vector<float>> table_;
  mutable std::atomic<std::size_t> inner_calls_{0};
};

}  // namespace engram::bench
