#include "index/exact_scan.h"

#include <cmath>
#include <string>

namespace engram::index_internal {

Status NormalizeInto(std::span<const float> vector, std::size_t dimension, std::string_view what,
                     std::vector<float>* unit) {
  if (vector.size() != dimension) {
    return Status::InvalidArgument(std::string(what) + " has dimension " +
                                   std::to_string(vector.size()) + ", the index has " +
                                   std::to_string(dimension));
  }
  double norm2 = 0.0;
  for (const float x : vector) {
    if (!std::isfinite(x)) {
      return Status::InvalidArgument(std::string(what) + " has a non-finite entry");
    }
    norm2 += static_cast<double>(x) * x;
  }
  if (!(norm2 > 0.0) || !std::isfinite(norm2)) {
    return Status::InvalidArgument(std::string(what) +
                                   " has no direction (zero or overflowing norm)");
  }
  const double inv = 1.0 / std::sqrt(norm2);
  unit->resize(dimension);
  for (std::size_t i = 0; i < dimension; ++i) (*unit)[i] = static_cast<float>(vector[i] * inv);
  return Status::Ok();
}

std::vector<SearchHit> ToHits(const std::vector<Scored>& scored, const LabelTable& table) {
  std::vector<SearchHit> hits;
  hits.reserve(scored.size());
  for (const Scored& s : scored) hits.push_back({table.id(s.label), 1.0f - s.distance});
  return hits;
}

}  // namespace engram::index_internal
