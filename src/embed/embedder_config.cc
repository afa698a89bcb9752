// EmbedderConfigFromEnv and OpenEmbedder: choosing the embedder (see
// include/engram/embedder.h). No silent fallback: the configured embedder
// opens or its error is returned.
#include <charconv>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "engram/embedder.h"

namespace engram {

std::string_view ToString(EmbedderKind kind) {
  switch (kind) {
    case EmbedderKind::kNative:
      return "native";
    case EmbedderKind::kHttp:
      return "http";
    case EmbedderKind::kHashing:
      return "hashing";
    case EmbedderKind::kNone:
      return "none";
  }
  return "native";
}

Result<EmbedderConfig> EmbedderConfigFromEnv(GetEnvFn getenv_fn) {
  if (getenv_fn == nullptr)
    getenv_fn = [](const char* name) -> const char* { return std::getenv(name); };
  // Unset and empty both mean "not configured".
  auto get = [&](const char* name) -> std::string {
    const char* v = getenv_fn(name);
    return v == nullptr ? std::string() : std::string(v);
  };
  EmbedderConfig config;
  const std::string kind = get("ENGRAM_EMBEDDER");
  if (kind.empty() || kind == "native") {
    config.kind = EmbedderKind::kNative;
  } else if (kind == "http") {
    config.kind = EmbedderKind::kHttp;
  } else if (kind == "hashing") {
    config.kind = EmbedderKind::kHashing;
  } else if (kind == "none") {
    config.kind = EmbedderKind::kNone;
  } else {
    return Status::InvalidArgument("ENGRAM_EMBEDDER must be native, http, hashing or none, got '" +
                                   kind + "'");
  }
  config.kind_explicit = !kind.empty();
  if (std::string url = get("ENGRAM_EMBED_URL"); !url.empty()) config.http.base_url = url;
  config.http.model = get("ENGRAM_EMBED_MODEL");
  if (std::string env = get("ENGRAM_EMBED_API_KEY_ENV"); !env.empty()) {
    config.http.api_key_env = env;
    config.http.require_api_key = true;
  }
  if (std::string dim = get("ENGRAM_EMBED_DIM"); !dim.empty()) {
    int value = 0;
    const auto [end, ec] = std::from_chars(dim.data(), dim.data() + dim.size(), value);
    if (ec != std::errc() || end != dim.data() + dim.size() || value <= 0) {
      return Status::InvalidArgument("ENGRAM_EMBED_DIM must be a positive integer, got '" + dim +
                                     "'");
    }
    config.http.dimension = value;
    config.hashing.dimension = value;
  }
  return config;
}

Result<std::unique_ptr<Embedder>> OpenEmbedder(const EmbedderConfig& config) {
  switch (config.kind) {
    case EmbedderKind::kNative:
      return OpenUseLiteEmbedder(config.native);
    case EmbedderKind::kHttp:
      return OpenHttpEmbedder(config.http);
    case EmbedderKind::kHashing:
      return OpenHashingEmbedder(config.hashing);
    case EmbedderKind::kNone:
      return Status::FailedPrecondition("no embedder: ENGRAM_EMBEDDER=none");
  }
  return Status::InvalidArgument("unknown embedder kind");
}

}  // namespace engram
