// Resolution of opinion profiles: built-ins from src/learn, custom ones
// from the key-value namespace "profiles" (include/engram/opinion_profile.h).
#include "engram/opinion_profile.h"

#include <string>

#include "engram/engine.h"
#include "learn/opinion_profile.h"

namespace engram {
namespace {

constexpr int kMaxCustomProfiles = 1000;

std::string Available(Engine& engine) {
  std::string names;
  for (const OpinionProfile& p : learn::BuiltInProfiles()) {
    names += (names.empty() ? "" : ", ") + p.name;
  }
  auto custom = engine.KvList(std::string(kProfilesNamespace), "", kMaxCustomProfiles);
  if (custom.ok()) {
    for (const KvEntry& e : *custom) names += ", " + e.key;
  }
  return names;
}

}  // namespace

Result<OpinionProfile> ResolveOpinionProfile(Engine& engine, std::string_view name) {
  auto built_in = learn::BuiltInProfile(name);
  if (built_in.ok()) return built_in;
  auto entry = engine.KvGet(std::string(kProfilesNamespace), std::string(name));
  if (!entry.ok()) {
    if (!entry.status().IsNotFound() && entry.status().code() != ErrorCode::kInvalidArgument) {
      return entry.status();
    }
    return Status::NotFound("unknown profile '" + std::string(name) +
                            "' (available: " + Available(engine) + ")");
  }
  return learn::ProfileFromJson(name, entry->value);
}

Result<std::vector<OpinionProfile>> ListOpinionProfiles(Engine& engine) {
  std::vector<OpinionProfile> out = learn::BuiltInProfiles();
  ENGRAM_ASSIGN_OR_RETURN(std::vector<KvEntry> custom,
                          engine.KvList(std::string(kProfilesNamespace), "", kMaxCustomProfiles));
  for (const KvEntry& e : custom) {
    if (learn::BuiltInProfile(e.key).ok()) continue;  // a built-in name means the built-in
    ENGRAM_ASSIGN_OR_RETURN(OpinionProfile p, learn::ProfileFromJson(e.key, e.value));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace engram
