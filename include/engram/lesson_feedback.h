// LessonFeedback: applied-lesson feedback. An agent (or a person) reports
// that it applied a lesson and whether it helped, had no effect or hindered,
// or a review/verification verdict (accepted, tests_passed, rejected,
// harmful). The lesson's confidence moves by the reinforcement rules
// (src/learn/reinforcement.h, docs/LEARNING.md "Feedback and
// reinforcement"); the FeedbackEvent (with before/after) and the new lesson
// version (its history keeps the old one, with a reason naming the signal
// and the actor) are written in one transaction. Signals that mean the
// lesson was applied also set its last_used_at.
//
// Ownership: borrows the store, embedder, clock (and lesson writer) it is
// built on (Engine makes it), which must outlive it.
// Thread safety: safe for concurrent use (the Store is); two
// concurrent reports on one lesson are serialised by the store's version
// check and the loser retries once.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engram/feedback.h"
#include "engram/lesson.h"
#include "engram/limits.h"
#include "engram/status.h"
#include "engram/store.h"
#include "engram/time.h"

namespace engram {

struct LessonFeedbackRequest {
  std::string lesson_id;  // required
  FeedbackSignal signal = FeedbackSignal::kHelped;
  std::string episode_id;  // optional: must exist when set
  std::string actor;       // optional: "agent:claude", "user:ana"
  std::string note;        // optional free text (redacted)
};

struct LessonFeedbackResult {
  FeedbackEvent event;  // as stored, with before/after
  Lesson lesson;        // the lesson after the update
  std::string rule;     // the reinforcement rule applied, e.g. "helped: c + 0.10 * (1 - c)"
};
Json ToJson(const LessonFeedbackResult& r);

class LessonFeedback {
 public:
  // Writes through `store` (redacting the event when `redact_secrets`,
  // checking it against `limits`).
  LessonFeedback(Store& store, const Limits& limits, const Clock& clock, bool redact_secrets)
      : store_(store), limits_(limits), clock_(clock), redact_(redact_secrets) {}

  // Records the event and reinforces the lesson. NotFound for an unknown
  // lesson or episode; InvalidArgument for oversize actor/note;
  // FailedPrecondition when the store keeps no feedback.
  Result<LessonFeedbackResult> Report(const LessonFeedbackRequest& request);
  // The lesson's feedback events, newest first (NotFound for an unknown
  // lesson).
  Result<std::vector<FeedbackEvent>> List(const std::string& lesson_id, int limit = 50);
  Result<FeedbackCounts> Counts(const std::string& lesson_id);

 private:
  Store& store_;
  const Limits& limits_;
  const Clock& clock_;
  bool redact_;
};

}  // namespace engram
