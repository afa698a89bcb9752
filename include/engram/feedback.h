// Feedback events: what an agent or a person reported about a lesson, a
// pattern or a heuristic it applied, and how that moved the target's
// confidence (docs/LEARNING.md, "Feedback and reinforcement").
//
// FeedbackStore persists the events (SQLite table `feedback`, migration 4);
// a Store that keeps feedback returns one from Store::feedback().
//
// Thread safety: FeedbackEvent is a plain value; FeedbackStore
// implementations are safe for concurrent use (like Store).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/json.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

enum class FeedbackTarget { kLesson, kPattern, kHeuristic };
std::string_view ToString(FeedbackTarget t);  // "lesson", "pattern", "heuristic"
Result<FeedbackTarget> ParseFeedbackTarget(std::string_view s);

// helped / no_effect / hindered: the outcome of applying the target.
// accepted / tests_passed / rejected / harmful: review and verification signals.
enum class FeedbackSignal {
  kHelped,
  kNoEffect,
  kHindered,
  kAccepted,
  kTestsPassed,
  kRejected,
  kHarmful
};
std::string_view ToString(FeedbackSignal s);  // "helped", "no_effect", ...
Result<FeedbackSignal> ParseFeedbackSignal(std::string_view s);

struct FeedbackEvent {
  std::string id;  // UUIDv7, assigned by the caller
  FeedbackTarget target = FeedbackTarget::kLesson;
  std::string target_id;
  FeedbackSignal signal = FeedbackSignal::kHelped;
  std::string episode_id;  // the episode it was applied in, if any
  std::string actor;       // who reported it ("agent:claude", "user:ana", ...)
  std::string note;
  std::optional<double> before;  // target confidence before / after the event
  std::optional<double> after;
  Timestamp created_at = 0;
};

Json ToJson(const FeedbackEvent& e);
Result<FeedbackEvent> FeedbackEventFromJson(const Json& j);

// Event counts of one target, by signal.
struct FeedbackCounts {
  std::int64_t helped = 0, no_effect = 0, hindered = 0;
  std::int64_t accepted = 0, tests_passed = 0, rejected = 0, harmful = 0;
  std::int64_t total() const {
    return helped + no_effect + hindered + accepted + tests_passed + rejected + harmful;
  }
};

class FeedbackStore {
 public:
  virtual ~FeedbackStore() = default;
  virtual Status RecordFeedback(const FeedbackEvent& event) = 0;
  // Newest first.
  virtual Result<std::vector<FeedbackEvent>> ListFeedback(FeedbackTarget target,
                                                          const std::string& target_id,
                                                          int limit) = 0;
  virtual Result<FeedbackCounts> CountFeedback(FeedbackTarget target,
                                               const std::string& target_id) = 0;

  // --- bulk access for export/import (lossless) ---
  // Every event, by id.
  virtual Status ForEachFeedback(const std::function<Status(const FeedbackEvent&)>& fn) = 0;
  // Insert-or-replace an event by id, every field kept; the same checks as
  // RecordFeedback.
  virtual Status ImportFeedback(const FeedbackEvent& event) = 0;
};

}  // namespace engram
