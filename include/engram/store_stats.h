// StoreStats: what a store holds and how (counts, schema, journal mode,
// page checksums), as `engram db status` and get_metrics report it
// (Engine::Stats, Store::Stats).
//
// Thread safety: a plain value.
#pragma once

#include <cstdint>
#include <string>

#include "engram/json.h"

namespace engram {

struct StoreStats {
  std::string path;
  int schema_version = 0;
  std::int64_t file_bytes = 0;
  std::int64_t episodes = 0;
  std::int64_t completed_episodes = 0;
  std::int64_t steps = 0;
  std::int64_t lessons = 0;
  std::int64_t deprecated_lessons = 0;
  std::int64_t lesson_versions = 0;
  std::int64_t embeddings = 0;
  std::int64_t kv_entries = 0;
  std::string journal_mode;  // "wal"
  // Every page carries a checksum, checked on each read (docs/FORMATS.md,
  // "Page checksums"); false for a file made before them until
  // EnablePageChecksums.
  bool page_checksums = false;
};
Json ToJson(const StoreStats& s);

}  // namespace engram
