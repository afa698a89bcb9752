// Ranges of integer fields, the same on every path: core/validate.cc and
// the Engine check them for the library and the CLI, the operation schemas
// (src/server/json_schema.h) publish and check them for MCP and NDJSON.
// Chosen so that no sum or unit conversion engram does with them can
// overflow 64 bits.
//
// Thread safety: constants.
#pragma once

#include <cstdint>

namespace engram {

// Timestamps (ms since the Unix epoch): 0001-01-01 .. 9999-12-31.
inline constexpr std::int64_t kMinTimestampMs = -62135596800000;
inline constexpr std::int64_t kMaxTimestampMs = 253402300799999;
// A step's latency: at most a year.
inline constexpr std::int64_t kMaxStepLatencyMs = 366LL * 24 * 3600 * 1000;
// A step's tokens.
inline constexpr std::int64_t kMaxStepTokens = 1'000'000'000'000;
// A key-value TTL: at most 100 years (in ms it stays far from overflow
// when added to any timestamp).
inline constexpr std::int64_t kMaxKvTtlSeconds = 100LL * 366 * 24 * 3600;
// Counts, offsets and sizes held in an int (limit, offset, budgets).
inline constexpr std::int64_t kMaxCount = 2147483647;
// Any other integer: the largest a JSON client (JavaScript) holds exactly.
inline constexpr std::int64_t kMaxSafeInteger = 9007199254740991;

}  // namespace engram
