// VectorRecord: how the HNSW graph stores one unit vector (format 3 of the
// index file, docs/INDEX.md).
//
//   int8 codes[d] | zero padding to a multiple of 4 | float scale | float vector[d]
//
// The codes (one byte per dimension, code_i = round(x_i / scale), scale =
// max |x_i| / 127) are what the graph walks on: a build or a search reads a
// quarter of the bytes per distance, and at a million vectors the walk is
// bound by memory reads, not arithmetic. The float vector that follows gives
// every returned result its exact score (the walk's candidates are re-ranked
// on it) and serves exact scans. The codes come first so that hnswlib's
// prefetch of an element's first cache line fetches them.
//
// Thread safety: plain functions and values.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace engram::index_internal {

struct RecordLayout {
  std::size_t dimension = 0;
  std::size_t scale_offset = 0;   // after the codes and their padding
  std::size_t vector_offset = 0;  // scale_offset + 4
  std::size_t bytes = 0;          // the whole record

  static RecordLayout For(std::size_t dimension) {
    RecordLayout l;
    l.dimension = dimension;
    l.scale_offset = (dimension + 3) / 4 * 4;
    l.vector_offset = l.scale_offset + sizeof(float);
    l.bytes = l.vector_offset + dimension * sizeof(float);
    return l;
  }
};

inline const std::int8_t* RecordCodes(const void* record) {
  return static_cast<const std::int8_t*>(record);
}
inline float RecordScale(const void* record, const RecordLayout& l) {
  float scale = 0.0f;
  std::memcpy(&scale, static_cast<const char*>(record) + l.scale_offset, sizeof scale);
  return scale;
}
inline const float* RecordVector(const void* record, const RecordLayout& l) {
  return reinterpret_cast<const float*>(static_cast<const char*>(record) + l.vector_offset);
}

// Writes the record of `vector` (d = l.dimension floats) to `out` (l.bytes).
inline void EncodeRecord(const float* vector, const RecordLayout& l, char* out) {
  float max_abs = 0.0f;
  for (std::size_t i = 0; i < l.dimension; ++i) max_abs = std::max(max_abs, std::fabs(vector[i]));
  const float scale = max_abs / 127.0f;
  const float inverse = scale > 0.0f ? 1.0f / scale : 0.0f;
  auto* codes = reinterpret_cast<std::int8_t*>(out);
  for (std::size_t i = 0; i < l.dimension; ++i) {
    const float c = std::clamp(std::nearbyint(vector[i] * inverse), -127.0f, 127.0f);
    codes[i] = static_cast<std::int8_t>(c);
  }
  std::memset(out + l.dimension, 0, l.scale_offset - l.dimension);
  std::memcpy(out + l.scale_offset, &scale, sizeof scale);
  std::memcpy(out + l.vector_offset, vector, l.dimension * sizeof(float));
}

}  // namespace engram::index_internal
