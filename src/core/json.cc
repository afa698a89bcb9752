#include "engram/json.h"

#include <string>

namespace engram {

Result<Json> ParseJson(std::string_view text, std::string_view what) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return Status::InvalidArgument(std::string(what) + " is not valid JSON at byte " +
                                   std::to_string(e.byte) + ": " + e.what());
  }
}

}  // namespace engram
