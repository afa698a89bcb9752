// Names of ContradictionStatus and the JSON form of Contradiction
// (contradictions.h). winner and resolved_at are omitted when unset.
#include <string>

#include "core/json_read.h"
#include "core/name_table.h"
#include "engram/contradictions.h"

namespace engram {

using json_internal::FieldReader;
using json_internal::NoThrow;
using json_internal::Presence;

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

Result<Contradiction> ContradictionFromJson(const Json& j) {
  return NoThrow<Contradiction>("contradiction", [&]() -> Result<Contradiction> {
    Contradiction c;
    FieldReader r(j, "contradiction");
    r.String("id", c.id, Presence::kRequired);
    r.String("lesson_a", c.lesson_a, Presence::kRequired);
    r.String("lesson_b", c.lesson_b, Presence::kRequired);
    r.String("reason", c.reason);
    r.Double("score", c.score);
    r.Enum("status", c.status, &ParseContradictionStatus);
    r.OptionalString("winner", c.winner);
    r.Int("created_at", c.created_at);
    r.OptionalInt("resolved_at", c.resolved_at);
    if (!r.ok()) return r.status();
    return c;
  });
}

}  // namespace engram
