// LessonFeedback: records a feedback event and reinforces the lesson in one
// transaction (include/engram/lesson_feedback.h).
#include "engram/lesson_feedback.h"

#include <cstdio>
#include <string>

#include "core/redact_records.h"
#include "core/similarity.h"
#include "core/situations.h"
#include "core/validate.h"
#include "engram/ids.h"
#include "learn/reinforcement.h"

namespace engram {
namespace {

Status CheckSize(const std::string& text, std::size_t limit, const char* what) {
  if (text.size() > limit) {
    return Status::InvalidArgument(std::string(what) + " is " + std::to_string(text.size()) +
                                   " bytes, over the limit of " + std::to_string(limit));
  }
  if (!IsValidUtf8(text)) return Status::InvalidArgument(std::string(what) + " is not UTF-8");
  return Status::Ok();
}

}  // namespace

Json ToJson(const LessonFeedbackResult& r) {
  return Json{{"event", ToJson(r.event)}, {"lesson", ToJson(r.lesson)}, {"rule", r.rule}};
}

Result<LessonFeedbackResult> LessonFeedback::Report(const LessonFeedbackRequest& request) {
  Store& store = store_;
  FeedbackStore* feedback = store.feedback();
  if (feedback == nullptr) {
    return Status::FailedPrecondition("this store does not keep feedback");
  }
  if (request.lesson_id.empty()) return Status::InvalidArgument("lesson_id is required");
  const Limits& limits = limits_;
  ENGRAM_RETURN_IF_ERROR(CheckSize(request.actor, limits.max_title_bytes, "actor"));
  ENGRAM_RETURN_IF_ERROR(CheckSize(request.note, limits.max_title_bytes, "note"));
  ENGRAM_RETURN_IF_ERROR(CheckSize(request.episode_id, limits.max_title_bytes, "episode_id"));
  std::optional<Episode> episode;
  if (!request.episode_id.empty()) {
    ENGRAM_ASSIGN_OR_RETURN(episode, store.GetEpisode(request.episode_id));
  }

  const Timestamp now = clock_.NowMs();
  FeedbackEvent event;
  event.id = NewId(now);
  event.target = FeedbackTarget::kLesson;
  event.target_id = request.lesson_id;
  event.signal = request.signal;
  event.episode_id = request.episode_id;
  event.actor = request.actor;
  event.note = request.note;
  event.created_at = now;
  // As stored, so the event returned shows what was stored.
  if (redact_) RedactRecord(event);

  LessonFeedbackResult result;
  // One transaction: the event, the new lesson version (history keeps the
  // old one) and last_used_at commit together or not at all. A concurrent
  // update of the lesson (version check) is retried once on fresh data.
  for (int attempt = 0;; ++attempt) {
    Status st = store.RunInTransaction([&]() -> Status {
      ENGRAM_ASSIGN_OR_RETURN(Lesson current, store.GetLesson(request.lesson_id));
      learn::Reinforcement r = learn::Reinforce(current.confidence, request.signal);
      event.before = r.before;
      event.after = r.after;
      result.rule = r.rule;
      Lesson next = current;
      next.confidence = r.after;
      next.version = current.version + 1;
      next.updated_at = now;
      if (learn::CountsAsUse(request.signal)) {
        next.last_used_at = std::max(current.last_used_at.value_or(now), now);
      }
      // The lesson helped (or its tests passed) in this episode: the
      // episode's description becomes a situation the lesson applies to
      // (same project only).
      bool situation_added = false;
      if (episode && learn::Direction(request.signal) > 0 && learn::CountsAsUse(request.signal)) {
        if (auto s = EpisodeSituation(*episode, current.project, limits.max_description_bytes)) {
          situation_added = AddSituations(next.situations, {*s}, limits.max_situations);
        }
      }
      std::string reason = "feedback: " + std::string(ToString(request.signal));
      if (!request.actor.empty()) reason += " by " + request.actor;
      reason += " (" + r.rule + ", " + Fixed(r.before, 3) + " -> " + Fixed(r.after, 3) + ")";
      if (situation_added) reason += "; situation from episode " + request.episode_id;
      ENGRAM_RETURN_IF_ERROR(store.UpdateLesson(next, reason));
      ENGRAM_RETURN_IF_ERROR(feedback->RecordFeedback(event));
      result.lesson = std::move(next);
      return Status::Ok();
    });
    if (st.ok()) break;
    if (st.code() != ErrorCode::kFailedPrecondition || attempt > 0) return st;
  }
  result.event = event;
  return result;
}

Result<std::vector<FeedbackEvent>> LessonFeedback::List(const std::string& lesson_id, int limit) {
  FeedbackStore* feedback = store_.feedback();
  if (feedback == nullptr) {
    return Status::FailedPrecondition("this store does not keep feedback");
  }
  ENGRAM_RETURN_IF_ERROR(store_.GetLesson(lesson_id).status());
  return feedback->ListFeedback(FeedbackTarget::kLesson, lesson_id, limit);
}

Result<FeedbackCounts> LessonFeedback::Counts(const std::string& lesson_id) {
  FeedbackStore* feedback = store_.feedback();
  if (feedback == nullptr) {
    return Status::FailedPrecondition("this store does not keep feedback");
  }
  ENGRAM_RETURN_IF_ERROR(store_.GetLesson(lesson_id).status());
  return feedback->CountFeedback(FeedbackTarget::kLesson, lesson_id);
}

}  // namespace engram
