// Bounded parsing of untrusted JSON text. ParseJson (engram/json.h) parses
// with the defaults here; ParseJsonWith takes them as options. Before
// nlohmann's recursive parser sees the text, the nesting depth is bounded
// (100k levels would overflow the stack); numbers beyond double range are
// an error; an error message quotes at most kMaxJsonErrorQuote bytes of the
// offending text. Every failure is InvalidArgument; nothing throws.
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "engram/json.h"

namespace engram {

// Deepest nesting of arrays and objects accepted by default ({"a":[1]} is
// 2 levels). Free-form metadata is rarely deeper than 10; serde_json's
// default is 128, SQLite's json functions stop at 2000.
inline constexpr int kMaxJsonDepth = 256;

// Most bytes of the input a parse error message quotes.
inline constexpr std::size_t kMaxJsonErrorQuote = 40;

struct JsonParseOptions {
  int max_depth = kMaxJsonDepth;
};

// ParseJson with explicit options.
Result<Json> ParseJsonWith(std::string_view text, std::string_view what,
                           const JsonParseOptions& options);

// The deepest nesting of arrays and objects in `text` (strings skipped),
// scanning no further than the first point where it exceeds `limit`;
// `*at` (when given) receives the offset of that point. Malformed text is
// scanned as far as it goes (the parser reports the syntax error).
int JsonNestingDepth(std::string_view text, int limit, std::size_t* at = nullptr);

// The deepest nesting of arrays and objects in `value` ({"a":[1]} is 2, a
// scalar 0), walking no deeper than `limit` + 1 levels and without
// recursion, so a value built deeper than the stack allows is measured
// safely.
int JsonValueDepth(const Json& value, int limit);

// `message` with any "last read: '<token>'" quote (nlohmann's parse
// errors) cut to kMaxJsonErrorQuote bytes, and the whole cut to `max_bytes`.
std::string CapJsonErrorMessage(std::string_view message, std::size_t max_bytes = 300);

// `value` as one line of JSON that never throws: invalid UTF-8 in its
// strings (echoed from a client, or stored) is written as U+FFFD. What the
// servers send.
std::string DumpJsonLine(const Json& value);

}  // namespace engram
