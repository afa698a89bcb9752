// Lesson text features shared by dedupe and contradiction detection
// (docs/LEARNING.md): content tokens, stance and version tags.
//
//  - ContentTokens: lower-cased words of [a-z0-9] (identifiers split at
//    non-alphanumerics), stop words and 1-letter words dropped, a light
//    suffix stemmer (-ing, -ed, -es, -s) applied, as a set.
//  - Stance: +1 "do it", -1 "don't do it", 0 neutral. anti_pattern lessons
//    are -1; otherwise the title decides: a negative cue (avoid, never,
//    don't, do not, stop, shouldn't, must not, no longer) gives -1, a
//    positive cue (prefer, always, use, should, must, do, ensure) +1. Without
//    a cue a best_practice is +1, and other types read the content's first
//    sentence the same way.
//  - SubjectTokens: ContentTokens minus the stance cue words, i.e. what the
//    lesson is about.
//  - Version tags: "<framework>:<major>[.minor...]" (e.g. "react:18",
//    "node:20.11"), major = the leading digits.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engram/lesson.h"

namespace engram::learn {

std::set<std::string> ContentTokens(std::string_view text);
std::set<std::string> SubjectTokens(std::string_view text);

int Stance(LessonType type, std::string_view title, std::string_view content);

struct VersionTag {
  std::string framework;
  int major = 0;
};
// nullopt unless `tag` is "<framework>:<digits>[...]".
std::optional<VersionTag> ParseVersionTag(std::string_view tag);
std::vector<VersionTag> VersionTags(const std::vector<std::string>& tags);

// Lower-cased, trimmed topic, for same-topic comparisons.
std::string NormalizeTopic(std::string_view topic);

}  // namespace engram::learn
