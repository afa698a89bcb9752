// Names of the feedback enums and the JSON form of FeedbackEvent
// (feedback.h). Field names are the struct field names; timestamps are
// integer milliseconds; before/after are omitted when unset. Required when
// reading: feedback.id, feedback.target_id and feedback.signal.
#include <array>
#include <string>
#include <utility>

#include "core/json_read.h"
#include "engram/feedback.h"

namespace engram {

using json_internal::FieldReader;
using json_internal::NoThrow;
using json_internal::Presence;

namespace {

constexpr std::array<std::pair<FeedbackTarget, std::string_view>, 3> kTargets{{
    {FeedbackTarget::kLesson, "lesson"},
    {FeedbackTarget::kPattern, "pattern"},
    {FeedbackTarget::kHeuristic, "heuristic"},
}};

constexpr std::array<std::pair<FeedbackSignal, std::string_view>, 7> kSignals{{
    {FeedbackSignal::kHelped, "helped"},
    {FeedbackSignal::kNoEffect, "no_effect"},
    {FeedbackSignal::kHindered, "hindered"},
    {FeedbackSignal::kAccepted, "accepted"},
    {FeedbackSignal::kTestsPassed, "tests_passed"},
    {FeedbackSignal::kRejected, "rejected"},
    {FeedbackSignal::kHarmful, "harmful"},
}};

template <typename Table, typename E>
std::string_view NameOf(const Table& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

// "unknown feedback signal 'x'; expected one of: helped, no_effect, ..."
template <typename E, typename Table>
Result<E> ParseName(const Table& table, std::string_view what, std::string_view s) {
  for (const auto& [e, name] : table) {
    if (name == s) return e;
  }
  std::string msg = "unknown " + std::string(what) + " '" + std::string(s) + "'; expected one of: ";
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (i > 0) msg += ", ";
    msg += table[i].second;
  }
  return Status::InvalidArgument(std::move(msg));
}

}  // namespace

std::string_view ToString(FeedbackTarget t) { return NameOf(kTargets, t); }
Result<FeedbackTarget> ParseFeedbackTarget(std::string_view s) {
  return ParseName<FeedbackTarget>(kTargets, "feedback target", s);
}

std::string_view ToString(FeedbackSignal s) { return NameOf(kSignals, s); }
Result<FeedbackSignal> ParseFeedbackSignal(std::string_view s) {
  return ParseName<FeedbackSignal>(kSignals, "feedback signal", s);
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
