// Stored columns: converting Json values to and from the TEXT columns that
// hold them (outcome, reward, reflection, parameters, metadata, kv values,
// lesson history), parsing enums stored as text, and checking paging input.
//
// nlohmann::json throws on invalid UTF-8 when dumping and on malformed text
// when parsing; these helpers turn both into Status values: bad input is
// InvalidArgument, a stored column that does not parse is Corruption.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engram/json.h"
#include "engram/status.h"

namespace engram::sqlite {

// A stored row named in an error: Quoted("lesson", id) -> "lesson 'id'".
std::string Quoted(std::string_view kind, std::string_view id);

// The parts of a group_concat(x, char(31)) column; {} for "".
std::vector<std::string> SplitUnitSeparated(std::string_view joined);

// Compact serialisation of `j`; `what` names the field in the error.
Result<std::string> DumpJson(const Json& j, std::string_view what);

// Parses a stored column; `what` names the row and column in the error.
Result<Json> ParseColumn(std::string_view text, std::string_view what);

// Parses a stored column and converts it with a core *FromJson function,
// reporting any failure as Corruption of the stored row.
template <typename T, typename FromJson>
Result<T> DecodeColumn(std::string_view text, std::string_view what, FromJson from_json) {
  ENGRAM_ASSIGN_OR_RETURN(Json j, ParseColumn(text, what));
  Result<T> v = from_json(j);
  if (!v.ok()) {
    return Status::Corruption("stored " + std::string(what) +
                              " is invalid: " + v.status().message());
  }
  return v;
}

// A stored JSON array of strings (e.g. lessons.situations).
Result<std::vector<std::string>> StringListFromJson(const Json& j);

// Parses an enum stored as text with a core Parse* function; a bad value is
// corruption of the row.
template <typename T, typename Parse>
Result<T> ParseStored(const std::string& text, std::string_view what, Parse parse) {
  Result<T> v = parse(text);
  if (!v.ok())
    return Status::Corruption("stored " + std::string(what) + " is invalid: '" + text + "'");
  return v;
}

// Listing limits shared by every List method: limit 1..10000, offset >= 0.
Status CheckLimitOffset(int limit, int offset);

}  // namespace engram::sqlite
