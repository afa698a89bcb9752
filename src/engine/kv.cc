// Engine key-value calls (include/engram/kv.h): validated here, redacted by
// the RedactingStore beneath.
#include <string>
#include <vector>

#include "core/validate.h"
#include "engine/internal.h"
#include "engram/engine.h"
#include "engram/int_ranges.h"

namespace engram {

Result<KvEntry> Engine::KvPut(const std::string& ns, const std::string& key, const Json& value,
                              const KvPutOptions& options) {
  ENGRAM_RETURN_IF_ERROR(ValidateKvKey(ns, key, options_.limits));
  ENGRAM_RETURN_IF_ERROR(ValidateKvValue(value, options_.limits));
  if (options.ttl_ms.has_value() &&
      (*options.ttl_ms <= 0 || *options.ttl_ms > kMaxKvTtlSeconds * 1000)) {
    return Status::InvalidArgument("ttl must be in 1.." + std::to_string(kMaxKvTtlSeconds * 1000) +
                                   " ms (100 years), got " + std::to_string(*options.ttl_ms) +
                                   " ms");
  }
  if (options.expected_version.has_value() && *options.expected_version < 0) {
    return Status::InvalidArgument("expected version must be >= 0, got " +
                                   std::to_string(*options.expected_version));
  }
  return store_->KvPut(ns, key, value, options, Now());  // redacted by RedactingStore
}

Result<KvEntry> Engine::KvGet(const std::string& ns, const std::string& key) {
  ENGRAM_RETURN_IF_ERROR(ValidateKvKey(ns, key, options_.limits));
  return store_->KvGet(ns, key, Now());
}

Result<std::vector<KvEntry>> Engine::KvList(const std::string& ns, const std::string& prefix,
                                            int limit) {
  ENGRAM_RETURN_IF_ERROR(engine_internal::ValidatePage(limit, 0, "kv list"));
  return store_->KvList(ns, prefix, limit, Now());
}

Status Engine::KvDelete(const std::string& ns, const std::string& key) {
  ENGRAM_RETURN_IF_ERROR(ValidateKvKey(ns, key, options_.limits));
  return store_->KvDelete(ns, key);
}

}  // namespace engram
