#include "store/sqlite/columns.h"

#include <exception>

#include "engram/json_limits.h"

namespace engram::sqlite {

std::string Quoted(std::string_view kind, std::string_view id) {
  std::string out(kind);
  out.append(" '").append(id).append("'");
  return out;
}

Result<std::string> DumpJson(const Json& j, std::string_view what) {
  try {
    return j.dump();
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string(what) + " cannot be stored as JSON: " + e.what());
  }
}

Result<Json> ParseColumn(std::string_view text, std::string_view what) {
  // What an older engram stored may nest deeper than kMaxJsonDepth (SQLite's
  // json_valid CHECK allowed up to 2000 levels): read it back rather than
  // call it corrupt.
  JsonParseOptions options;
  options.max_depth = 2048;
  Result<Json> j = ParseJsonWith(text, what, options);
  if (!j.ok()) return Status::Corruption("stored " + j.status().message());
  return j;
}

std::vector<std::string> SplitUnitSeparated(std::string_view joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (!joined.empty() && start <= joined.size()) {
    std::size_t end = joined.find('\x1f', start);
    if (end == std::string_view::npos) end = joined.size();
    out.emplace_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Status CheckLimitOffset(int limit, int offset) {
  if (limit < 1 || limit > 10000) {
    return Status::InvalidArgument("limit must be in 1..10000, got " + std::to_string(limit));
  }
  if (offset < 0) {
    return Status::InvalidArgument("offset must be >= 0, got " + std::to_string(offset));
  }
  return Status::Ok();
}

Result<std::vector<std::string>> StringListFromJson(const Json& j) {
  if (!j.is_array()) return Status::InvalidArgument("not a JSON array");
  std::vector<std::string> out;
  for (const Json& s : j) {
    if (!s.is_string()) return Status::InvalidArgument("not an array of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

}  // namespace engram::sqlite
