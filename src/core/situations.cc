// Lesson::situations bookkeeping (core/situations.h).
#include "core/situations.h"

#include <algorithm>

#include "core/validate.h"

namespace engram {

bool AddSituations(std::vector<std::string>& situations, const std::vector<std::string>& more,
                   std::size_t max) {
  bool changed = false;
  for (const std::string& raw : more) {
    std::string s(TrimSpace(raw));
    if (s.empty()) continue;
    const bool known = std::any_of(situations.begin(), situations.end(),
                                   [&](const std::string& have) { return TrimSpace(have) == s; });
    if (known) continue;
    situations.push_back(std::move(s));
    changed = true;
  }
  if (situations.size() > max) {
    situations.erase(situations.begin(),
                     situations.begin() + static_cast<std::ptrdiff_t>(situations.size() - max));
  }
  return changed;
}

std::optional<std::string> EpisodeSituation(const Episode& episode, std::string_view lesson_project,
                                            std::size_t max_bytes) {
  if (episode.context.project != lesson_project) return std::nullopt;
  if (TrimSpace(episode.description).empty()) return std::nullopt;
  std::string text(TrimSpace(episode.description));
  for (const Step& step : episode.steps) {
    if (step.result.status != StepStatus::kError) continue;
    std::string_view error = TrimSpace(step.result.output);
    error = TrimSpace(Utf8Prefix(error.substr(0, error.find('\n')), kMaxEpisodeErrorBytes));
    if (error.empty()) break;
    std::string tail = " (error: " + std::string(error) + ")";
    if (text.size() + tail.size() <= max_bytes) text += tail;
    break;
  }
  return text;
}

}  // namespace engram
