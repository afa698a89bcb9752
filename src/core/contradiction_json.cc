// Names of ContradictionStatus and the JSON form of Contradiction
// (contradictions.h). winner and resolved_at are omitted when unset.
#include <string>

#include "core/name_table.h"
#include "engram/contradictions.h"

namespace engram {

namespace {

constexpr core_internal::NameTable<ContradictionStatus, 3> kStatuses{{
    {ContradictionStatus::kOpen, "open"},
    {ContradictionStatus::kResolved, "resolved"},
    {ContradictionStatus::kDismissed, "dismissed"},
}};

}  // namespace

std::string_view ToString(ContradictionStatus s) { return core_internal::NameOf(kStatuses, s); }

Result<ContradictionStatus> ParseContradictionStatus(std::string_view s) {
  return core_internal::ParseName(kStatuses, "contradiction status", s);
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
