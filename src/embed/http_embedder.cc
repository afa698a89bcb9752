// OpenHttpEmbedder: an OpenAI-compatible /embeddings client (see
// include/engram/embedder.h). Transport and retries are in http_client.cc;
// this file builds requests and checks responses.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "embed/http_client.h"
#include "embed/vector_norm.h"
#include "engram/embedder.h"
#include "engram/json.h"

namespace engram {
namespace {

constexpr int kMaxBatch = 2048;  // OpenAI's limit on inputs per request
constexpr int kMaxRetries = 20;
constexpr const char* kProbeText = "engram dimension probe";

Status CheckOptions(const HttpEmbedderOptions& o) {
  if (o.base_url.empty()) {
    return Status::Unavailable("http embedder needs a base URL (ENGRAM_EMBED_URL)");
  }
  if (!o.base_url.starts_with("http://") && !o.base_url.starts_with("https://")) {
    return Status::InvalidArgument(
        "http embedder base URL must start with http:// or https://, "
        "got '" +
        o.base_url + "'");
  }
  if (o.model.empty()) {
    return Status::Unavailable(
        "http embedder needs a model name: set ENGRAM_EMBED_MODEL (e.g. nomic-embed-text for "
        "Ollama, text-embedding-3-small for OpenAI)");
  }
  auto range = [](std::string_view name, int v, int lo, int hi) -> Status {
    if (v >= lo && v <= hi) return Status::Ok();
    return Status::InvalidArgument("http embedder " + std::string(name) + " must be in " +
                                   std::to_string(lo) + ".." + std::to_string(hi) + ", got " +
                                   std::to_string(v));
  };
  ENGRAM_RETURN_IF_ERROR(range("dimension", o.dimension, 0, 1 << 16));
  ENGRAM_RETURN_IF_ERROR(range("batch_size", o.batch_size, 1, kMaxBatch));
  ENGRAM_RETURN_IF_ERROR(range("timeout_ms", o.timeout_ms, 1, 3600 * 1000));
  ENGRAM_RETURN_IF_ERROR(range("connect_timeout_ms", o.connect_timeout_ms, 1, 3600 * 1000));
  ENGRAM_RETURN_IF_ERROR(range("max_retries", o.max_retries, 0, kMaxRetries));
  ENGRAM_RETURN_IF_ERROR(range("initial_backoff_ms", o.initial_backoff_ms, 0, 3600 * 1000));
  ENGRAM_RETURN_IF_ERROR(range("max_backoff_ms", o.max_backoff_ms, 0, 3600 * 1000));
  return Status::Ok();
}

// data[].embedding of `body`, ordered by index; each checked for length
// `dim` (0: any, but all equal) and finiteness, then L2-normalised.
Result<std::vector<std::vector<float>>> ParseResponse(const std::string& body, std::size_t count,
                                                      int dim, const std::string& where,
                                                      std::string_view secret) {
  auto bad = [&](const std::string& what) {
    return Status::Unavailable(where + ": unexpected response: " + what);
  };
  const Json doc = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return bad("not JSON: " + embed::BodyExcerpt(body, secret, 120));
  if (!doc.is_object() || !doc.contains("data") || !doc["data"].is_array()) {
    return bad("no \"data\" array");
  }
  const Json& data = doc["data"];
  if (data.size() != count) {
    return bad(std::to_string(data.size()) + " embeddings for " + std::to_string(count) +
               " inputs");
  }
  std::vector<std::vector<float>> out(count);
  std::vector<bool> seen(count, false);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const Json& item = data[i];
    const std::string at = "data[" + std::to_string(i) + "]";
    if (!item.is_object() || !item.contains("embedding") || !item["embedding"].is_array()) {
      return bad(at + " has no \"embedding\" array");
    }
    // "index" is optional in some servers; without it, position is order.
    std::size_t index = i;
    if (item.contains("index")) {
      if (!item["index"].is_number_integer() || item["index"].get<std::int64_t>() < 0 ||
          static_cast<std::size_t>(item["index"].get<std::int64_t>()) >= count) {
        return bad(at + ".index is not an integer in 0.." + std::to_string(count - 1));
      }
      index = static_cast<std::size_t>(item["index"].get<std::int64_t>());
    }
    if (seen[index]) return bad("index " + std::to_string(index) + " appears twice");
    seen[index] = true;
    const Json& emb = item["embedding"];
    if (emb.empty() || (dim > 0 && emb.size() != static_cast<std::size_t>(dim))) {
      return bad(at + ".embedding has " + std::to_string(emb.size()) + " values, expected " +
                 (dim > 0 ? std::to_string(dim) : std::string("at least 1")));
    }
    std::vector<float>& v = out[index];
    v.reserve(emb.size());
    for (const Json& x : emb) {
      if (!x.is_number() || !std::isfinite(x.get<double>())) {
        return bad(at + ".embedding holds a value that is not a finite number");
      }
      v.push_back(x.get<float>());
    }
    embed::L2Normalize(v);
  }
  // Without a configured dimension (the probe), the items must still agree.
  for (const auto& v : out) {
    if (v.size() != out[0].size()) return bad("embeddings of different lengths");
  }
  return out;
}

class HttpEmbedder final : public Embedder {
 public:
  HttpEmbedder(HttpEmbedderOptions options, std::string api_key)
      : options_(std::move(options)), api_key_(std::move(api_key)), id_("http:" + options_.model) {
    std::string base = options_.base_url;
    while (base.ends_with('/')) base.pop_back();
    url_ = base + "/embeddings";
    post_.timeout_ms = options_.timeout_ms;
    post_.connect_timeout_ms = options_.connect_timeout_ms;
    post_.max_retries = options_.max_retries;
    post_.initial_backoff_ms = options_.initial_backoff_ms;
    post_.max_backoff_ms = options_.max_backoff_ms;
  }

  // Embeds the probe text to learn the dimension.
  Status Probe() {
    const std::string probe[] = {kProbeText};
    auto v = EmbedChunk(probe);
    if (!v.ok()) {
      return Status(v.status().code(), "cannot discover the dimension of model '" + options_.model +
                                           "': " + v.status().message());
    }
    options_.dimension = static_cast<int>(v->front().size());
    return Status::Ok();
  }

  const std::string& model_id() const override { return id_; }
  int dimension() const override { return options_.dimension; }

  Result<std::vector<std::vector<float>>> EmbedBatch(
      std::span<const std::string> texts) const override {
    std::vector<std::vector<float>> result;
    result.reserve(texts.size());
    const auto batch = static_cast<std::size_t>(options_.batch_size);
    for (std::size_t begin = 0; begin < texts.size(); begin += batch) {
      const std::size_t n = std::min(batch, texts.size() - begin);
      ENGRAM_ASSIGN_OR_RETURN(auto vectors, EmbedChunk(texts.subspan(begin, n)));
      for (auto& v : vectors) result.push_back(std::move(v));
    }
    return result;
  }

 private:
  Result<std::vector<std::vector<float>>> EmbedChunk(std::span<const std::string> texts) const {
    Json input = Json::array();
    for (const std::string& t : texts) input.push_back(t);
    embed::HttpPostRequest request;
    request.url = url_;
    // Invalid UTF-8 becomes U+FFFD, as the Embedder contract says.
    request.body = Json{{"model", options_.model}, {"input", std::move(input)}}.dump(
        -1, ' ', false, Json::error_handler_t::replace);
    request.bearer_token = api_key_;
    ENGRAM_ASSIGN_OR_RETURN(std::string body, embed::PostJson(request, post_));
    return ParseResponse(body, texts.size(), options_.dimension, "POST " + url_, api_key_);
  }

  HttpEmbedderOptions options_;
  std::string api_key_;  // never logged or put into a message
  std::string id_;
  std::string url_;
  embed::HttpPostOptions post_;
};

}  // namespace

Result<std::unique_ptr<Embedder>> OpenHttpEmbedder(const HttpEmbedderOptions& options) {
  ENGRAM_RETURN_IF_ERROR(CheckOptions(options));
  std::string key;
  if (!options.api_key_env.empty()) {
    const char* value = std::getenv(options.api_key_env.c_str());
    if (value != nullptr) key = value;
  }
  if (key.empty() && options.require_api_key) {
    return Status::Unavailable("http embedder: the API key variable " + options.api_key_env +
                               " is not set");
  }
  auto embedder = std::make_unique<HttpEmbedder>(options, std::move(key));
  if (options.dimension == 0) ENGRAM_RETURN_IF_ERROR(embedder->Probe());
  return std::unique_ptr<Embedder>(std::move(embedder));
}

}  // namespace engram
