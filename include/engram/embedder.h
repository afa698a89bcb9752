// Embedder: turns texts into fixed-size sentence vectors for semantic search.
//
// An Embedder maps each text to a dense float vector of dimension() entries.
// Vectors are comparable only between equal model_id()s, which is why the
// store keys every embedding by model id. The default embedder is a native
// C++ Universal Sentence Encoder Lite (OpenUseLiteEmbedder below): local,
// offline, 512 dimensions, L2-normalised output (so a dot product is the
// cosine similarity).
//
// Other embedders: a model-free hashing embedder (tests, explicit fallback)
// and an OpenAI-compatible HTTP client; OpenEmbedder picks one from an
// EmbedderConfig (EmbedderConfigFromEnv reads ENGRAM_EMBEDDER and friends).
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

  // Loads now what the first EmbedBatch would load (a lazily opened native
  // model's weights), so that the first query does not wait for it. Calls
  // no remote service. Default: nothing to load. The outcome is what that
  // first EmbedBatch would report.
  virtual Status Prepare() const { return Status::Ok(); }

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
  // Load the weights on the first EmbedBatch instead of at open. model_id()
  // and dimension() need no weights, so a process that never embeds (most
  // CLI commands) never pays the 130-320 ms load. The directory and its
  // model.json and vocab.json are still checked at open (Unavailable if
  // missing); a load error on first use is returned by that call and every
  // later one. Default false.
  bool lazy = false;
};

// Model id of the native USE Lite embedder ("use-lite-en@0.2.0").
std::string_view UseLiteModelId();

// The model directory found from the running executable (no source-tree
// path is compiled in): <exe dir>/../share/engram/model, where
// `cmake --install` and the Debian package put it, unless it is absent and
// <exe dir>/share/engram/model is a link, as in a build tree (CMake links
// build/<kind>/share/engram/model to deps/node_modules/@energetic-ai/
// model-embeddings-en/dist, filled by scripts/install-model.sh).
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

// --- OpenAI-compatible HTTP embedder ---
//
// POSTs {"model": model, "input": [texts...]} to <base_url>/embeddings (the
// OpenAI embeddings API, also served by Ollama, vLLM, LM Studio, llama.cpp
// and others) and returns data[].embedding ordered by `index`, L2-normalised.
// Model id "http:<model>". Retries 429, 5xx and connection failures with
// exponential backoff and jitter, honouring Retry-After (seconds). The API
// key is read from the environment variable named by api_key_env when the
// embedder is opened; it is sent only as "Authorization: Bearer <key>" and
// never logged, stored or put into an error message. Each call uses its own
// curl handle, so concurrent calls are safe.

struct HttpEmbedderOptions {
  // Server root including the API version. Default: Ollama on this machine;
  // "https://api.openai.com/v1" for OpenAI.
  std::string base_url = "http://127.0.0.1:11434/v1";
  // Model name sent to the server, e.g. "nomic-embed-text" or
  // "text-embedding-3-small". Required (no default).
  std::string model;
  // Environment variable holding the API key. Unset or empty: requests go
  // without an Authorization header (fine for a local server).
  std::string api_key_env = "OPENAI_API_KEY";
  // If set, a missing or empty key variable is an error (Unavailable) instead
  // of sending no Authorization header. EmbedderConfigFromEnv sets it when
  // ENGRAM_EMBED_API_KEY_ENV names the variable explicitly.
  bool require_api_key = false;
  // Expected vector length. 0 (default): discovered when the embedder is
  // opened by embedding one probe text, which also checks the server answers.
  int dimension = 0;
  // Texts per request, 1..2048. Default 64.
  int batch_size = 64;
  // Whole-request timeout, and the connect timeout, in milliseconds. A timed
  // out request is not retried (the timeout is the caller's latency budget).
  int timeout_ms = 30000;
  int connect_timeout_ms = 5000;
  // Retries after the first attempt for 429, 5xx and connection failures.
  int max_retries = 4;
  // Backoff before retry n (0-based): initial_backoff_ms * 2^n, capped at
  // max_backoff_ms, then a uniformly random 50-100% of that (jitter). A
  // Retry-After header (seconds) raises the wait, also capped at
  // max_backoff_ms.
  int initial_backoff_ms = 250;
  int max_backoff_ms = 20000;
};

// Checks the options (and, with dimension 0, probes the server). Unavailable
// if the server cannot be reached or answers with an error; InvalidArgument
// for bad options.
Result<std::unique_ptr<Embedder>> OpenHttpEmbedder(const HttpEmbedderOptions& options);

// --- Provider selection ---

// kNone: no embedder at all (keyword search only), chosen explicitly.
enum class EmbedderKind { kNative, kHttp, kHashing, kNone };
std::string_view ToString(EmbedderKind kind);  // "native", "http", "hashing", "none"

// Which embedder to open, with the options of each kind (only the chosen
// kind's options are used). Default: the native USE Lite embedder.
struct EmbedderConfig {
  EmbedderKind kind = EmbedderKind::kNative;
  UseLiteOptions native;
  HttpEmbedderOptions http;
  HashingEmbedderOptions hashing;
  // True when the kind was chosen explicitly (ENGRAM_EMBEDDER set), false
  // for the default. Callers may treat an unavailable default model more
  // gently than an unavailable explicit choice (docs/EMBEDDINGS.md).
  bool kind_explicit = false;
};

// Reads the configuration from the environment through `getenv`:
//   ENGRAM_EMBEDDER          native (default) | http | hashing | none
//   ENGRAM_EMBED_URL         HttpEmbedderOptions::base_url
//   ENGRAM_EMBED_MODEL       HttpEmbedderOptions::model
//   ENGRAM_EMBED_API_KEY_ENV HttpEmbedderOptions::api_key_env
//   ENGRAM_EMBED_DIM         HttpEmbedderOptions::dimension and
//                            HashingEmbedderOptions::dimension
// (ENGRAM_MODEL_DIR is read by the native embedder itself.) Unset or empty
// variables keep the defaults. InvalidArgument naming the variable for a
// value it cannot use.
using GetEnvFn = const char* (*)(const char*);
Result<EmbedderConfig> EmbedderConfigFromEnv(GetEnvFn getenv_fn = nullptr);

// Opens the configured embedder. If it is unavailable (model files missing,
// server unreachable, no model name) the error is returned, naming what is
// missing; there is never a silent fallback to another embedder. kNone is
// FailedPrecondition (there is nothing to open).
Result<std::unique_ptr<Embedder>> OpenEmbedder(const EmbedderConfig& config);

}  // namespace engram
