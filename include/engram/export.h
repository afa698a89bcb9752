// Export and import of a whole store as JSON Lines (lossless round trip).
//
// Format (docs/FORMATS.md): the first line is a header
//   {"magic":"engram-export","format_version":1,"schema_version":N,"created_at":"..."}
// then one record per line,
// {"kind":"episode"|"lesson"|"embedding"|"kv"|"note", "data":{...}},
// and a last trailer line
//   {"kind":"trailer","records":N,"crc32":"xxxxxxxx"}
// whose CRC-32 covers every byte of the preceding lines (newlines included).
// Import checks magic, version and checksum before writing anything, then
// writes all records in one transaction: a bad file changes nothing.
//
// Thread safety: as safe as the Store passed in.
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>

#include "engram/status.h"
#include "engram/store.h"

namespace engram {

struct ExportStats {
  std::int64_t episodes = 0;
  std::int64_t lessons = 0;
  std::int64_t lesson_versions = 0;
  std::int64_t embeddings = 0;
  std::int64_t kv_entries = 0;
  std::int64_t notes = 0;
  // Export: invalid UTF-8 sequences in stored text written as U+FFFD.
  std::int64_t invalid_utf8_replaced = 0;
};

constexpr int kExportFormatVersion = 1;
// An import of at least this many episodes, lessons and notes ends with
// Store::OptimizeFullText.
constexpr std::int64_t kOptimizeAfterRecords = 1000;

Result<ExportStats> ExportJsonl(Store& store, std::ostream& out);
// Records whose id already exists are replaced by the imported version;
// an imported note thread replaces the stored thread of the same name.
Result<ExportStats> ImportJsonl(Store& store, std::istream& in);

}  // namespace engram
