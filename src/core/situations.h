// Lesson::situations bookkeeping: adding situations to a lesson's list
// without repeating one and within the limit (the newest are kept).
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/episode.h"

namespace engram {

// `situations` followed by each of `more` that is not blank and not already
// there (compared with surrounding whitespace trimmed); when the list would
// exceed `max`, the oldest are dropped. Returns true when the list changed.
bool AddSituations(std::vector<std::string>& situations, const std::vector<std::string>& more,
                   std::size_t max);

// The situation `episode` tells when a lesson of
// `lesson_project` ("" = global) may hold it: only an episode of the same
// project ("" = none), so that no project's text reaches a lesson another
// project reads (docs/RETRIEVAL.md, "Projects"). nullopt otherwise. The
// text is the description, then the first line of the first failing
// step's error ("Fix flaky login test (error: Timeout in login.spec.ts)"),
// at most kMaxEpisodeErrorBytes of it, whole UTF-8 characters.
inline constexpr std::size_t kMaxEpisodeErrorBytes = 200;
// The error is left out when it would take the text over `max_bytes`.
std::optional<std::string> EpisodeSituation(const Episode& episode, std::string_view lesson_project,
                                            std::size_t max_bytes);

}  // namespace engram
