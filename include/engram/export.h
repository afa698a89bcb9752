// Export and import of a whole store as JSON Lines (lossless round trip).
//
// Format (docs/FORMATS.md): the first line is a header
//   {"magic":"engram-export","format_version":2,"schema_version":N,"created_at":"..."}
// then one record per line, {"kind":K, "data":{...}} with K one of episode,
// lesson, embedding, kv, note (format 1 has these only), pattern, heuristic,
// feedback, contradiction, candidate: every table that holds data (derived
// tables, such as the full-text index, are rebuilt on import), and a last
// trailer line
//   {"kind":"trailer","records":N,"crc32":"xxxxxxxx"}
// whose CRC-32 covers every byte of the preceding lines (newlines included).
// Export writes format 2; import reads formats 1 and 2. Import checks magic,
// version and checksum and converts every record before writing anything,
// then writes all records in one transaction: a bad file changes nothing.
//
// Thread safety: as safe as the Store passed in.
#pragma once

#include <cstdint>
#include <istream>
#include <ostream>

#include "engram/status.h"
#include "engram/store.h"

namespace engram {

// Records written (export) or read and written (import), by kind.
struct ExportStats {
  int format_version = 0;  // of the file written or read
  std::int64_t episodes = 0;
  std::int64_t lessons = 0;
  std::int64_t lesson_versions = 0;
  std::int64_t embeddings = 0;
  std::int64_t kv_entries = 0;
  std::int64_t notes = 0;
  std::int64_t patterns = 0;  // with their episode links
  std::int64_t heuristics = 0;
  std::int64_t feedback = 0;  // events
  std::int64_t contradictions = 0;
  std::int64_t candidates = 0;
  // Export: invalid UTF-8 sequences in stored text written as U+FFFD.
  std::int64_t invalid_utf8_replaced = 0;
};

// The format ExportJsonl writes; ImportJsonl reads kOldestExportFormatVersion
// up to it.
constexpr int kExportFormatVersion = 2;
constexpr int kOldestExportFormatVersion = 1;
// An import of at least this many episodes, lessons and notes ends with
// Store::OptimizeFullText.
constexpr std::int64_t kOptimizeAfterRecords = 1000;

Result<ExportStats> ExportJsonl(Store& store, std::ostream& out);
// Records whose id already exists are replaced by the imported version;
// an imported note thread replaces the stored thread of the same name.
Result<ExportStats> ImportJsonl(Store& store, std::istream& in);

}  // namespace engram
