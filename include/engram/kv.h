// Namespaced key-value entries for agent state that is neither an episode nor
// a lesson (cursors, preferences, scratch state).
//
// Values are JSON. Every put increments the entry's version; a put may be
// conditional on the current version (compare-and-set). An entry may expire
// (TTL): expired entries are invisible to get/list and purged lazily.
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engram/json.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

// NOLINTNEXTLINE(bugprone-exception-escape): Json members; moves do not throw.
struct KvEntry {
  std::string ns;
  std::string key;
  Json value;
  std::int64_t version = 0;  // 1 after the first put
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  std::optional<Timestamp> expires_at;
};

struct KvPutOptions {
  // Time to live from now; unset = never expires.
  std::optional<std::int64_t> ttl_ms;
  // Compare-and-set: the put succeeds only if the current version equals
  // this (0 = the key must not exist). Unset = unconditional.
  std::optional<std::int64_t> expected_version;
};

Json ToJson(const KvEntry& e);
Result<KvEntry> KvEntryFromJson(const Json& j);

}  // namespace engram
