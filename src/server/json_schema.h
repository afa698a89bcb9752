// JSON Schema subset: building and validating the schemas of the dispatch
// table's operations.
//
// Each operation publishes an input and an output schema (MCP `inputSchema`
// / `outputSchema`); the same schema validates the arguments before the
// handler runs, so a published schema and the accepted input never drift.
// Supported keywords: type (string, integer, number, boolean, object, array,
// null, or a list of them), properties, required, additionalProperties
// (boolean), items, enum, minimum, maximum, minLength, maxLength, minItems,
// maxItems, description. Unknown keywords are ignored.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engram/int_ranges.h"
#include "engram/json.h"
#include "engram/status.h"

namespace engram::server {

// Returns InvalidArgument naming the first offending path
// ("arguments.context.tags[2] must be a string").
Status ValidateJson(const Json& schema, const Json& value, const std::string& root = "arguments");

// Builders for the schemas in the operation table.
namespace js {
Json Str(std::string description, std::optional<std::size_t> max_length = std::nullopt);
Json Enum(const std::vector<std::string>& values, std::string description);
// An integer; without bounds it is one a JSON client holds exactly
// (+-kMaxSafeInteger), so no integer field is unbounded.
Json Int(std::string description, std::optional<std::int64_t> minimum = std::nullopt,
         std::optional<std::int64_t> maximum = std::nullopt);
Json Num(std::string description, std::optional<double> minimum = std::nullopt,
         std::optional<double> maximum = std::nullopt);
Json Bool(std::string description);
Json Array(Json items, std::string description);
Json AnyObject(std::string description);  // any JSON object
Json AnyValue(std::string description);   // any JSON value
// Closed object (additionalProperties: false) unless `open`.
Json Object(const std::vector<std::pair<std::string, Json>>& properties,
            const std::vector<std::string>& required, std::string description = "",
            bool open = false);
// Makes `schema` also accept null.
Json Nullable(Json schema);
}  // namespace js

}  // namespace engram::server
