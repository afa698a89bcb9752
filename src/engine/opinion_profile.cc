// Resolution of opinion profiles: built-ins from src/learn, custom ones
// from the key-value namespace "profiles" (include/engram/opinion_profile.h).
#include "engram/opinion_profile.h"

#include <string>

#include "core/validate.h"
#include "engram/store.h"
#include "learn/opinion_profile.h"

namespace engram {
namespace {

constexpr int kMaxCustomProfiles = 1000;

std::string Available(Store& store, Timestamp now) {
  std::string names;
  for (const OpinionProfile& p : learn::BuiltInProfiles()) {
    names += (names.empty() ? "" : ", ") + p.name;
  }
  auto custom = store.KvList(std::string(kProfilesNamespace), "", kMaxCustomProfiles, now);
  if (custom.ok()) {
    for (const KvEntry& e : *custom) names += ", " + e.key;
  }
  return names;
}

}  // namespace

Result<OpinionProfile> ResolveOpinionProfile(Store& store, const Limits& limits, Timestamp now,
                                             std::string_view name) {
  auto built_in = learn::BuiltInProfile(name);
  if (built_in.ok()) return built_in;
  const std::string ns(kProfilesNamespace);
  const Status valid = ValidateKvKey(ns, name, limits);
  Result<KvEntry> entry =
      valid.ok() ? store.KvGet(ns, std::string(name), now) : Result<KvEntry>(valid);
  if (!entry.ok()) {
    if (!entry.status().IsNotFound() && entry.status().code() != ErrorCode::kInvalidArgument) {
      return entry.status();
    }
    return Status::NotFound("unknown profile '" + std::string(name) +
                            "' (available: " + Available(store, now) + ")");
  }
  return learn::ProfileFromJson(name, entry->value);
}

Result<std::vector<OpinionProfile>> ListOpinionProfiles(Store& store, Timestamp now) {
  std::vector<OpinionProfile> out = learn::BuiltInProfiles();
  ENGRAM_ASSIGN_OR_RETURN(std::vector<KvEntry> custom, store.KvList(std::string(kProfilesNamespace),
                                                                    "", kMaxCustomProfiles, now));
  for (const KvEntry& e : custom) {
    if (learn::BuiltInProfile(e.key).ok()) continue;  // a built-in name means the built-in
    ENGRAM_ASSIGN_OR_RETURN(OpinionProfile p, learn::ProfileFromJson(e.key, e.value));
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace engram
