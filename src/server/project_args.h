// The `project` argument of the reads by id (get_episode, get_lesson,
// lesson_history, list_lesson_feedback, get_candidate): given one, an item
// of another project answers NotFound, as an unknown id would
// (include/engram/project_scope.h, docs/MCP.md "Projects").
//
// Thread safety: pure functions.
#pragma once

#include "engram/json.h"

namespace engram::server {

// `schema` (an object schema) with an optional "project" property added.
Json WithReadProject(Json schema);

}  // namespace engram::server
