// Json: the JSON value type used across engram's public API (nlohmann::json).
//
// Free-form fields (step parameters, metadata, key-value values) are Json.
// ParseJson converts parse failures into a Status instead of an exception.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "engram/status.h"

namespace engram {

using Json = nlohmann::json;

// Parses `text` as JSON. `what` names the input in the error message
// ("invalid_argument: --params is not valid JSON at byte 7: ...").
Result<Json> ParseJson(std::string_view text, std::string_view what);

}  // namespace engram
