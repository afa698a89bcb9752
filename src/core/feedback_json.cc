// Names of the feedback enums and the JSON form of FeedbackEvent
// (feedback.h). Field names are the struct field names; timestamps are
// integer milliseconds; before/after are omitted when unset. Required when
// reading: feedback.id, feedback.target_id and feedback.signal.
#include <array>
#include <string>
#include <utility>

#include "core/json_read.h"
#include "core/name_table.h"
#include "engram/feedback.h"

namespace engram {

using core_internal::NameOf;
using core_internal::NameTable;
using core_internal::ParseName;

using json_internal::FieldReader;
using json_internal::NoThrow;
using json_internal::Presence;

namespace {

constexpr NameTable<FeedbackTarget, 3> kTargets{{
    {FeedbackTarget::kLesson, "lesson"},
    {FeedbackTarget::kPattern, "pattern"},
    {FeedbackTarget::kHeuristic, "heuristic"},
}};

constexpr NameTable<FeedbackSignal, 7> kSignals{{
    {FeedbackSignal::kHelped, "helped"},
    {FeedbackSignal::kNoEffect, "no_effect"},
    {FeedbackSignal::kHindered, "hindered"},
    {FeedbackSignal::kAccepted, "accepted"},
    {FeedbackSignal::kTestsPassed, "tests_passed"},
    {FeedbackSignal::kRejected, "rejected"},
    {FeedbackSignal::kHarmful, "harmful"},
}};

}  // namespace

std::string_view ToString(FeedbackTarget t) { return NameOf(kTargets, t); }
Result<FeedbackTarget> ParseFeedbackTarget(std::string_view s) {
  return ParseName(kTargets, "feedback target", s);
}

std::string_view ToString(FeedbackSignal s) { return NameOf(kSignals, s); }
Result<FeedbackSignal> ParseFeedbackSignal(std::string_view s) {
  return ParseName(kSignals, "feedback signal", s);
}

Json ToJson(const FeedbackEvent& e) {
  Json j{{"id", e.id},
         {"target", ToString(e.target)},
         {"target_id", e.target_id},
         {"signal", ToString(e.signal)},
         {"episode_id", e.episode_id},
         {"actor", e.actor},
         {"note", e.note},
         {"created_at", e.created_at}};
  if (e.before) j["before"] = *e.before;
  if (e.after) j["after"] = *e.after;
  return j;
}

Result<FeedbackEvent> FeedbackEventFromJson(const Json& j) {
  return NoThrow<FeedbackEvent>("feedback", [&]() -> Result<FeedbackEvent> {
    FeedbackEvent e;
    FieldReader r(j, "feedback");
    r.String("id", e.id, Presence::kRequired);
    r.Enum("target", e.target, &ParseFeedbackTarget);
    r.String("target_id", e.target_id, Presence::kRequired);
    r.Enum("signal", e.signal, &ParseFeedbackSignal, Presence::kRequired);
    r.String("episode_id", e.episode_id);
    r.String("actor", e.actor);
    r.String("note", e.note);
    r.OptionalDouble("before", e.before);
    r.OptionalDouble("after", e.after);
    r.Int("created_at", e.created_at);
    if (!r.ok()) return r.status();
    return e;
  });
}

}  // namespace engram
