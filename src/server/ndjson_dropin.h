// Drop-in answers of the NDJSON framing for the memory service engram
// replaces (docs/MCP.md, "NDJSON"). Its client sends
//   {"id", "action": "add", "payload": {"id", "content", "metadata"}}
//   {"id", "action": "search", "payload": {"query", "k"}}
// which add_lesson and search_lessons accept as they are, and reads
// result.ids, result.documents and result.metadatas, lists in rank order.
// For the actions "add" and "search" (the aliases, not the canonical
// names), those three lists are added beside engram's own result: a
// lesson's id, its content, and its record metadata (RecordMetadata,
// include/engram/lesson_record.h).
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "engram/json.h"

namespace engram::server {

// True for "add" and "search".
bool IsDropInAction(std::string_view action);

// Adds ids, documents and metadatas to the successful `result` of `action`
// (one of IsDropInAction's): the lesson of add, the results of search.
// A lesson that cannot be read back is left out of the lists.
void AddDropInLists(std::string_view action, Json& result);

}  // namespace engram::server
