// Names of ContradictionStatus and the JSON form of Contradiction
// (contradictions.h). winner and resolved_at are omitted when unset.
#include <string>

#include "engram/contradictions.h"

namespace engram {

std::string_view ToString(ContradictionStatus s) {
  switch (s) {
    case ContradictionStatus::kOpen:
      return "open";
    case ContradictionStatus::kResolved:
      return "resolved";
    case ContradictionStatus::kDismissed:
      return "dismissed";
  }
  return "unknown";
}

Result<ContradictionStatus> ParseContradictionStatus(std::string_view s) {
  if (s == "open") return ContradictionStatus::kOpen;
  if (s == "resolved") return ContradictionStatus::kResolved;
  if (s == "dismissed") return ContradictionStatus::kDismissed;
  return Status::InvalidArgument("unknown contradiction status '" + std::string(s) +
                                 "'; expected one of: open, resolved, dismissed");
}

Json ToJson(const Contradiction& c) {
  Json j{{"id", c.id},
         {"lesson_a", c.lesson_a},
         {"lesson_b", c.lesson_b},
         {"reason", c.reason},
         {"score", c.score},
         {"status", ToString(c.status)},
         {"created_at", c.created_at}};
  if (c.winner) j["winner"] = *c.winner;
  if (c.resolved_at) j["resolved_at"] = *c.resolved_at;
  return j;
}

}  // namespace engram
