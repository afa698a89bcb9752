#include "learn/opinion_profile.h"

#include <algorithm>
#include <string>

namespace engram::learn {
namespace {

OpinionProfile Make(const char* name, const char* description, double c, double r, double n,
                    double s) {
  OpinionProfile p;
  p.name = name;
  p.description = description;
  p.confidence = c;
  p.recency = r;
  p.novelty = n;
  p.safety = s;
  return p;
}

Status CheckRange(std::string_view field, double v, double lo, double hi) {
  if (v >= lo && v <= hi) return Status::Ok();
  return Status::InvalidArgument("profile weight '" + std::string(field) + "' must be in [" +
                                 Json(lo).dump() + ", " + Json(hi).dump() + "], got " +
                                 Json(v).dump());
}

}  // namespace

const std::vector<OpinionProfile>& BuiltInProfiles() {
  static const std::vector<OpinionProfile> kProfiles = {
      Make("default", "Balanced ranking (engram's standard weights).", 0.5, 0.1, 0.3, 0.1),
      Make("pragmatic", "Recent, working knowledge over perfect confidence.", 0.4, 0.3, 0.3, 0.1),
      Make("strict", "Only well-established lessons; warnings first.", 0.9, 0.05, 0.2, 0.3),
      Make("startup", "Fresh and varied ideas; confidence matters less.", 0.3, 0.5, 0.4, 0.05),
      Make("enterprise", "Proven lessons and safety warnings above all.", 0.8, 0.05, 0.2, 0.5),
  };
  return kProfiles;
}

Result<OpinionProfile> BuiltInProfile(std::string_view name) {
  for (const OpinionProfile& p : BuiltInProfiles()) {
    if (p.name == name) return p;
  }
  return Status::NotFound("no built-in profile '" + std::string(name) + "'");
}

Status ValidateProfile(const OpinionProfile& p) {
  if (p.name.empty() || p.name.size() > 64 ||
      !std::all_of(p.name.begin(), p.name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
      })) {
    return Status::InvalidArgument("profile name '" + p.name +
                                   "' must be 1..64 characters of a-z, 0-9, '_' or '-'");
  }
  ENGRAM_RETURN_IF_ERROR(CheckRange("confidence", p.confidence, 0, 1));
  ENGRAM_RETURN_IF_ERROR(CheckRange("recency", p.recency, 0, 2));
  ENGRAM_RETURN_IF_ERROR(CheckRange("novelty", p.novelty, 0, 0.9));
  return CheckRange("safety", p.safety, 0, 2);
}

Result<OpinionProfile> ProfileFromJson(std::string_view name, const Json& j) {
  OpinionProfile p;
  p.name = std::string(name);
  p.source = "custom";
  if (!j.is_object()) {
    return Status::InvalidArgument("profile '" + p.name + "' must be a JSON object");
  }
  for (const auto& [key, value] : j.items()) {
    double* field = nullptr;
    if (key == "confidence") field = &p.confidence;
    if (key == "recency") field = &p.recency;
    if (key == "novelty") field = &p.novelty;
    if (key == "safety") field = &p.safety;
    if (key == "description") {
      if (!value.is_string()) {
        return Status::InvalidArgument("profile '" + p.name + "': description must be a string");
      }
      p.description = value.get<std::string>();
      continue;
    }
    if (!field) {
      return Status::InvalidArgument("profile '" + p.name + "': unknown field '" + key +
                                     "' (expected confidence, recency, novelty, safety, "
                                     "description)");
    }
    if (!value.is_number()) {
      return Status::InvalidArgument("profile '" + p.name + "': '" + key + "' must be a number");
    }
    *field = value.get<double>();
  }
  Status s = ValidateProfile(p);
  if (!s.ok()) return Status::InvalidArgument("profile '" + p.name + "': " + s.message());
  return p;
}

}  // namespace engram::learn

namespace engram {

Json ToJson(const OpinionProfile& p) {
  return Json{{"name", p.name},       {"description", p.description},
              {"source", p.source},   {"confidence", p.confidence},
              {"recency", p.recency}, {"novelty", p.novelty},
              {"safety", p.safety}};
}

}  // namespace engram
