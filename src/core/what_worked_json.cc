// JSON forms of the "what worked" part of a context answer
// (include/engram/what_worked.h).
#include <cmath>

#include "engram/what_worked.h"

namespace engram {
namespace {

double R4(double x) { return std::round(x * 10000) / 10000; }

}  // namespace

Json ToJson(const WorkedRecovery& r) {
  return Json{{"failed", r.failed},
              {"failed_step", r.failed_step},
              {"attempts", r.attempts},
              {"tried", r.tried},
              {"fix", r.fix},
              {"verified", r.verified},
              {"verified_step", r.verified_step},
              {"text", r.text}};
}

Json ToJson(const WhatWorked& w) {
  Json recovery = Json::array();
  for (const WorkedRecovery& r : w.recovery) recovery.push_back(ToJson(r));
  return Json{{"worked", w.worked},
              {"recovery", recovery},
              {"approach", w.approach},
              {"unresolved", w.unresolved}};
}

Json ToJson(const ContextHeuristic& h) {
  return Json{{"id", h.id},
              {"action", h.action},
              {"description", h.description},
              {"confidence", R4(h.confidence)},
              {"effectiveness", R4(h.effectiveness)},
              {"matched_by", h.matched_by},
              {"episode_ids", h.episode_ids}};
}

Json ToJson(const ContextWarning& w) {
  return Json{{"kind", w.kind}, {"source_id", w.source_id}, {"text", w.text}};
}

}  // namespace engram
