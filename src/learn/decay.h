// Confidence decay with disuse (docs/LEARNING.md, "Decay"). Pure.
//
//   effective confidence = confidence * rate ^ months
//   months = (now - clock) / (month_days days), >= 0
//   clock  = the later of last_used_at and updated_at
// Default rate 0.98 per 30-day month. Query-time ranking applies the same
// factor lazily (src/retrieval/ranking.cc, RankingOptions::decay_per_month);
// `engram learn decay` writes it (LessonDecay), which moves updated_at and
// so restarts the clock: decay is never counted twice.
//
// Framework major versions: a lesson tagged "<framework>:<major>" (e.g.
// "react:18", learn/lesson_text.h) is outdated by a newer major of the same
// framework.
//
// Thread safety: pure functions.
#pragma once

#include <optional>

#include "engram/lesson.h"
#include "engram/time.h"
#include "learn/lesson_text.h"

namespace engram::learn {

struct DecayOptions {
  double rate_per_month = 0.98;  // in (0, 1]; out-of-range values read as 1 (no decay)
  double month_days = 30;
};

Timestamp DecayClock(const Lesson& lesson);
double MonthsUnused(const Lesson& lesson, Timestamp now, const DecayOptions& options = {});
double DecayFactor(const Lesson& lesson, Timestamp now, const DecayOptions& options = {});
double DecayedConfidence(const Lesson& lesson, Timestamp now, const DecayOptions& options = {});

// The lesson's version tag of `framework` older than `major`, if any.
std::optional<VersionTag> OlderMajorTag(const Lesson& lesson, const std::string& framework,
                                        int major);

}  // namespace engram::learn
