// The records of the JSON Lines export (docs/FORMATS.md, "The export
// format"): for every kind, its writer (Store -> JSON), its reader (JSON ->
// model value) and its import write, in dependency order. export.cc holds
// the framing around them: header, trailer, checksum and transactions.
//
// Ownership: ParsedRecords owns its values. Thread safety: as the Store
// passed in; ParsedRecords is a plain value.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

#include "engram/export.h"
#include "engram/json.h"
#include "engram/status.h"
#include "engram/store.h"

namespace engram::export_internal {

// Writes one record line {"kind": kind, "data": data}.
using RecordSink = std::function<Status(std::string_view kind, const Json& data)>;

// Every record of `store` in the file's order (format kExportFormatVersion),
// counted into `stats`. Sub-stores the store lacks contribute nothing.
Status WriteRecords(Store& store, const RecordSink& sink, ExportStats& stats);

// A parsed record and the file line it came from (1-based).
template <typename T>
struct AtLine {
  std::size_t line = 0;
  T value;
};

// Every record of an import, converted and ready to write.
struct ParsedRecords {
  std::vector<AtLine<Episode>> episodes;
  std::vector<AtLine<std::pair<Lesson, std::vector<LessonVersion>>>> lessons;
  std::vector<AtLine<Embedding>> embeddings;
  std::vector<AtLine<KvEntry>> kv;
  std::vector<Note> notes;  // written as a batch (threads replaced whole)
  std::vector<AtLine<StoredPattern>> patterns;
  std::vector<AtLine<Heuristic>> heuristics;
  std::vector<AtLine<FeedbackEvent>> feedback;
  std::vector<AtLine<Contradiction>> contradictions;
  std::vector<AtLine<Candidate>> candidates;
};

// Converts record line `line` of a file of `format_version` (1 or 2) into
// `out`. InvalidArgument naming the problem: not a {"kind", "data"} object,
// a kind this format version does not have, or a bad field.
Status ParseRecord(int format_version, std::size_t line, const Json& record, ParsedRecords& out);

// Writes every record in dependency order (episodes, lessons, embeddings,
// kv, notes, patterns, heuristics, feedback, contradictions, candidates);
// the caller runs it inside one transaction. A refused record's error names
// its line. Counts the records into `stats`.
Status ImportRecords(Store& store, const ParsedRecords& records, ExportStats& stats);

}  // namespace engram::export_internal
