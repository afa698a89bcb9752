// Readers for operation arguments that already passed schema validation:
// they apply defaults for absent fields and never throw.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engram/json.h"

namespace engram::server {

std::string StringArg(const Json& args, const char* key, const std::string& fallback = "");
std::optional<std::string> OptStringArg(const Json& args, const char* key);
std::int64_t IntArg(const Json& args, const char* key, std::int64_t fallback = 0);
std::optional<std::int64_t> OptIntArg(const Json& args, const char* key);
std::optional<double> OptNumberArg(const Json& args, const char* key);
bool BoolArg(const Json& args, const char* key, bool fallback = false);
std::optional<bool> OptBoolArg(const Json& args, const char* key);
std::vector<std::string> StringListArg(const Json& args, const char* key);
// The member if present and an object, else an empty object.
Json ObjectArg(const Json& args, const char* key);

// Wraps a list result as {"<key>": [...], "count": n} (MCP structured
// content must be an object).
Json ListResult(const char* key, Json items);

}  // namespace engram::server
