// Cold start as a server meets it (issue 20 §6, docs/RETRIEVAL.md
// "Searching while the index builds"): a new Engine over an existing store
// with LessonIndexOptions::background and Engine::Warm on a thread of its
// own, as `engram mcp` and `engram serve --ndjson` run. Times the first
// search's answer from the moment the Engine is opened (and says in which
// mode it came), then how long until a search is hybrid over a current
// index.
//
// Thread safety: one call at a time; the Engine it opens is its own.
#pragma once

#include <string>

#include "engram/engine.h"
#include "engram/json.h"
#include "engram/status.h"

namespace engram::bench {

struct ColdStartOptions {
  std::string db_path;
  EngineOptions engine;   // lesson_index.background is set by the bench
  std::string query;      // the first search's text
  int max_wait_s = 3600;  // give up waiting for the full hybrid after this
};

// {"open_ms", "first_answer_ms", "first_mode", "first_note", "full_hybrid_ms",
//  "index_items", "rebuilds"}.
Result<Json> MeasureColdStart(const ColdStartOptions& options);

}  // namespace engram::bench
