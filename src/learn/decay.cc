#include "learn/decay.h"

#include <algorithm>
#include <cmath>

#include "learn/confidence.h"

namespace engram::learn {

Timestamp DecayClock(const Lesson& l) {
  return std::max(l.last_used_at.value_or(l.updated_at), l.updated_at);
}

double MonthsUnused(const Lesson& l, Timestamp now, const DecayOptions& o) {
  const double month_ms = (o.month_days > 0 ? o.month_days : 30) * 24.0 * 3600 * 1000;
  return std::max(0.0, static_cast<double>(now - DecayClock(l)) / month_ms);
}

double DecayFactor(const Lesson& l, Timestamp now, const DecayOptions& o) {
  const double rate = o.rate_per_month > 0 && o.rate_per_month <= 1 ? o.rate_per_month : 1.0;
  return std::pow(rate, MonthsUnused(l, now, o));
}

double DecayedConfidence(const Lesson& l, Timestamp now, const DecayOptions& o) {
  return Clamp01(Clamp01(l.confidence) * DecayFactor(l, now, o));
}

std::optional<VersionTag> OlderMajorTag(const Lesson& l, const std::string& framework, int major) {
  for (const VersionTag& v : VersionTags(l.tags)) {
    if (v.framework == framework && v.major < major) return v;
  }
  return std::nullopt;
}

}  // namespace engram::learn
