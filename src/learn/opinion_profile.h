// Opinion profiles: named weightings of the lesson-ranking signals
// (docs/LEARNING.md, "Opinion profiles").
//
//   confidence  cw: how much a lesson's confidence scales its score
//               (factor 1 - cw + cw * confidence), in [0, 1]
//   recency     rw: bonus for recently updated lessons
//               (factor 1 + rw * exp(-days since update / 90)), in [0, 2]
//   novelty     share of diversity in MMR (lambda = 1 - novelty), in [0, 0.9]
//   safety      preference for warnings: gotcha weight 1 + safety,
//               anti_pattern weight 1 + safety / 2, in [0, 2]
//
// Built-ins: default (today's ranking, unchanged), pragmatic, strict,
// startup, enterprise. Custom profiles are JSON objects with the same fields
// (missing fields take the default profile's value). The struct itself is
// public: include/engram/opinion_profile.h.
//
// Thread safety: plain values and pure functions.
#pragma once

#include <string_view>
#include <vector>

#include "engram/json.h"
#include "engram/opinion_profile.h"
#include "engram/status.h"

namespace engram::learn {

// The built-in profiles, "default" first.
const std::vector<OpinionProfile>& BuiltInProfiles();
// NotFound unless `name` is a built-in profile.
Result<OpinionProfile> BuiltInProfile(std::string_view name);

// Checks the name (1..64 of [a-z0-9_-]) and each weight's range; the error
// names the field and the allowed range.
Status ValidateProfile(const OpinionProfile& p);

// A custom profile from its JSON form {"confidence": .., "recency": ..,
// "novelty": .., "safety": .., "description": ".."}; unknown fields and
// non-numbers are errors. Validated.
Result<OpinionProfile> ProfileFromJson(std::string_view name, const Json& j);

}  // namespace engram::learn
