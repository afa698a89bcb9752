// Output schemas of the "what worked" fields of retrieve_context and
// query_memory (include/engram/what_worked.h, docs/RETRIEVAL.md "What
// worked"): an episode's what_worked and the response's heuristics and
// warnings.
//
// Thread safety: pure functions.
#pragma once

#include "engram/json.h"

namespace engram::server {

Json WhatWorkedSchema();
Json ContextHeuristicSchema();
Json ContextWarningSchema();

}  // namespace engram::server
