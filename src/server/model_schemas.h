// JSON Schemas of engram's model types as produced by their ToJson forms
// (include/engram/*.h). Used as the output schemas of the operation table,
// and checked against real ToJson output in tests/server.
//
// Thread safety: pure functions.
#pragma once

#include "engram/json.h"

namespace engram::server {

Json TaskContextSchema();
Json StepSchema();
Json OutcomeSchema();
Json EpisodeSchema();
Json EpisodeSummarySchema();
Json LessonSchema();
Json LessonVersionSchema();
Json KvEntrySchema();
Json StoreStatsSchema();

}  // namespace engram::server
