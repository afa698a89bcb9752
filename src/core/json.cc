#include "engram/json.h"

#include "engram/json_limits.h"

#include <string>
#include <vector>

namespace engram {

int JsonNestingDepth(std::string_view text, int limit, std::size_t* at) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > deepest) deepest = depth;
        if (depth > limit) {
          if (at != nullptr) *at = i;
          return depth;
        }
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

int JsonValueDepth(const Json& value, int limit) {
  struct Frame {
    const Json* node;
    int depth;  // of the node's children
  };
  if (!value.is_structured()) return 0;
  int deepest = 0;
  std::vector<Frame> stack{{&value, 1}};
  while (!stack.empty()) {
    const Frame f = stack.back();
    stack.pop_back();
    if (f.depth > deepest) deepest = f.depth;
    if (deepest > limit) return deepest;
    for (const Json& child : *f.node) {
      if (child.is_structured()) stack.push_back({&child, f.depth + 1});
    }
  }
  return deepest;
}

std::string DumpJsonLine(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string CapJsonErrorMessage(std::string_view message, std::size_t max_bytes) {
  std::string out(message);
  constexpr std::string_view kQuote = "last read: '";
  if (const std::size_t q = out.find(kQuote); q != std::string::npos) {
    const std::size_t start = q + kQuote.size();
    const std::size_t end = out.rfind('\'');
    if (end != std::string::npos && end > start && end - start > kMaxJsonErrorQuote) {
      out = out.substr(0, start + kMaxJsonErrorQuote) + "...' (" + std::to_string(end - start) +
            " bytes)" + out.substr(end + 1);
    }
  }
  if (out.size() > max_bytes) out = out.substr(0, max_bytes) + "...";
  return out;
}

Result<Json> ParseJson(std::string_view text, std::string_view what) {
  return ParseJsonWith(text, what, JsonParseOptions{});
}

Result<Json> ParseJsonWith(std::string_view text, std::string_view what,
                           const JsonParseOptions& options) {
  std::size_t at = 0;
  if (JsonNestingDepth(text, options.max_depth, &at) > options.max_depth) {
    return Status::InvalidArgument(std::string(what) + " nests arrays and objects deeper than " +
                                   std::to_string(options.max_depth) + " levels (at byte " +
                                   std::to_string(at) + ")");
  }
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return Status::InvalidArgument(std::string(what) + " is not valid JSON at byte " +
                                   std::to_string(e.byte) + ": " + CapJsonErrorMessage(e.what()));
  } catch (const Json::out_of_range& e) {
    // A number beyond double range ("1e400"): nlohmann reports it as out of range.
    return Status::InvalidArgument(
        std::string(what) + " holds a number out of range: " + CapJsonErrorMessage(e.what()));
  } catch (const Json::exception& e) {
    return Status::InvalidArgument(std::string(what) +
                                   " is not valid JSON: " + CapJsonErrorMessage(e.what()));
  }
}

}  // namespace engram
