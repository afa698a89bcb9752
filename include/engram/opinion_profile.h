// Opinion profiles: named weightings of the lesson-ranking signals,
// selectable per query (SearchRequest::profile). docs/LEARNING.md,
// "Opinion profiles", gives the formulas.
//
//   confidence  cw in [0, 1]: factor 1 - cw + cw * lesson confidence
//   recency     rw in [0, 2]: factor 1 + rw * exp(-days since update / 90)
//   novelty     in [0, 0.9]: share of diversity in MMR (lambda = 1 - novelty)
//   safety      in [0, 2]: gotcha weight 1 + safety, anti_pattern 1 + safety/2
//
// Built-ins: default (today's ranking), pragmatic, strict, startup,
// enterprise. Custom profiles are key-value entries of the namespace
// "profiles" (key = profile name, value = {"confidence": .., "recency": ..,
// "novelty": .., "safety": .., "description": ".."}; missing weights take
// the default profile's). A built-in name always means the built-in.
//
// Thread safety: OpinionProfile is a plain value; the functions are as safe
// as the Store they read (Engine::ListOpinionProfiles reads the Engine's).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engram/json.h"
#include "engram/limits.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

class Store;

struct OpinionProfile {
  std::string name = "default";
  std::string description;
  std::string source = "built_in";  // "built_in" or "custom"
  double confidence = 0.5;
  double recency = 0.1;
  double novelty = 0.3;
  double safety = 0.1;
};
Json ToJson(const OpinionProfile& p);

// Key-value namespace of the custom profiles.
inline constexpr std::string_view kProfilesNamespace = "profiles";

// The built-in profile `name`, else the custom one stored under it.
// NotFound names the available profiles (also for a name that is not a
// valid key under `limits`); InvalidArgument names the bad field of a
// stored custom profile. Custom profiles are read from `store` at `now`
// (expired entries are gone).
Result<OpinionProfile> ResolveOpinionProfile(Store& store, const Limits& limits, Timestamp now,
                                             std::string_view name);
// Built-ins first, then valid custom profiles by name. A stored profile
// that does not validate is an error naming it.
Result<std::vector<OpinionProfile>> ListOpinionProfiles(Store& store, Timestamp now);

}  // namespace engram
