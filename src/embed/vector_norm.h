// L2 normalisation shared by the embedders that are not the native model.
//
// Ownership: header-only helper. Thread safety: pure function.
#pragma once

#include <cmath>
#include <vector>

namespace engram::embed {

// Scales `v` to unit length; a zero vector stays zero.
inline void L2Normalize(std::vector<float>& v) {
  double sum = 0.0;
  for (float x : v) sum += static_cast<double>(x) * x;
  if (sum <= 0.0) return;
  const double inv = 1.0 / std::sqrt(sum);
  for (float& x : v) x = static_cast<float>(x * inv);
}

}  // namespace engram::embed
