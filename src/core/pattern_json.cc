// Names of PatternKind, deterministic pattern ids and the JSON forms of
// Pattern and Heuristic (patterns.h). Field names are the struct field
// names; timestamps are integer milliseconds.
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>

#include "core/name_table.h"
#include "engram/patterns.h"

namespace engram {
namespace {

constexpr core_internal::NameTable<PatternKind, 4> kKinds{{
    {PatternKind::kSequence, "sequence"},
    {PatternKind::kErrorRecovery, "error_recovery"},
    {PatternKind::kDecisionPoint, "decision_point"},
    {PatternKind::kContext, "context"},
}};

std::uint64_t Fnv1a(std::string_view a, std::string_view b) {
  std::uint64_t h = 14695981039346656037ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
  };
  mix(a);
  mix(std::string_view("\x1f", 1));
  mix(b);
  return h;
}

std::string Hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

Json CountsJson(const FeedbackCounts& c) {
  return Json{{"helped", c.helped},
              {"no_effect", c.no_effect},
              {"hindered", c.hindered},
              {"accepted", c.accepted},
              {"tests_passed", c.tests_passed},
              {"rejected", c.rejected},
              {"harmful", c.harmful},
              {"total", c.total()}};
}

}  // namespace

std::string_view ToString(PatternKind k) { return core_internal::NameOf(kKinds, k); }

Result<PatternKind> ParsePatternKind(std::string_view s) {
  return core_internal::ParseName(kKinds, "pattern kind", s);
}

std::string PatternId(PatternKind kind, std::string_view signature) {
  return "pat-" + Hex16(Fnv1a(ToString(kind), signature));
}

std::string HeuristicId(const Json& condition, std::string_view action) {
  return "heu-" + Hex16(Fnv1a(condition.dump(), action));
}

Json ToJson(const Pattern& p) {
  return Json{{"id", p.id},
              {"kind", std::string(ToString(p.kind))},
              {"signature", p.signature},
              {"description", p.description},
              {"context", p.context},
              {"support", p.support},
              {"successes", p.successes},
              {"occurrences", p.occurrences},
              {"success_rate", p.success_rate},
              {"wilson_lower", p.wilson_lower},
              {"mean_latency_ms", p.mean_latency_ms},
              {"first_seen", p.first_seen},
              {"last_seen", p.last_seen},
              {"feedback", CountsJson(p.feedback)},
              {"effectiveness", p.effectiveness}};
}

Json ToJson(const Heuristic& h) {
  return Json{{"id", h.id},
              {"condition", h.condition},
              {"action", h.action},
              {"description", h.description},
              {"evidence", h.evidence},
              {"sample_size", h.sample_size},
              {"successes", h.successes},
              {"confidence", h.confidence},
              {"p_value", h.evidence.value("p_value", 1.0)},
              {"q_value", h.evidence.value("q_value", 1.0)},
              {"lift", h.evidence.value("lift", 0.0)},
              {"updated_at", h.updated_at},
              {"feedback", CountsJson(h.feedback)},
              {"effectiveness", h.effectiveness}};
}

}  // namespace engram
