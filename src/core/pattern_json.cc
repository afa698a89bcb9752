// Names of PatternKind, deterministic pattern ids and the JSON forms of
// Pattern, StoredPattern and Heuristic (patterns.h). Field names are the
// struct field names; timestamps are integer milliseconds.
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>

#include "core/json_read.h"
#include "core/name_table.h"
#include "engram/patterns.h"

namespace engram {

using json_internal::FieldReader;
using json_internal::NoThrow;
using json_internal::Presence;

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

Result<PatternLink> LinkAt(const Json& j, std::string_view path) {
  PatternLink l;
  FieldReader r(j, std::string(path));
  r.String("episode_id", l.episode_id, Presence::kRequired);
  r.Bool("success", l.success);
  r.Int("latency_ms", l.latency_ms);
  r.Int("occurrences", l.occurrences);
  r.Int("seen_at", l.seen_at);
  if (!r.ok()) return r.status();
  return l;
}

// The fields of a pattern's row, shared by Pattern and StoredPattern.
template <typename P>
Json RowJson(const P& p) {
  return Json{{"id", p.id},
              {"kind", std::string(ToString(p.kind))},
              {"signature", p.signature},
              {"description", p.description},
              {"context", p.context},
              {"first_seen", p.first_seen},
              {"last_seen", p.last_seen}};
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
  Json j = RowJson(p);
  j["support"] = p.support;
  j["successes"] = p.successes;
  j["occurrences"] = p.occurrences;
  j["success_rate"] = p.success_rate;
  j["wilson_lower"] = p.wilson_lower;
  j["mean_latency_ms"] = p.mean_latency_ms;
  j["feedback"] = CountsJson(p.feedback);
  j["effectiveness"] = p.effectiveness;
  return j;
}

Json ToJson(const StoredPattern& p) {
  Json links = Json::array();
  for (const PatternLink& l : p.episodes) {
    links.push_back(Json{{"episode_id", l.episode_id},
                         {"success", l.success},
                         {"latency_ms", l.latency_ms},
                         {"occurrences", l.occurrences},
                         {"seen_at", l.seen_at}});
  }
  Json j = RowJson(p);
  j["episodes"] = std::move(links);
  return j;
}

Result<StoredPattern> StoredPatternFromJson(const Json& j) {
  return NoThrow<StoredPattern>("pattern", [&]() -> Result<StoredPattern> {
    StoredPattern p;
    FieldReader r(j, "pattern");
    r.String("id", p.id, Presence::kRequired);
    r.Enum("kind", p.kind, &ParsePatternKind, Presence::kRequired);
    r.String("signature", p.signature, Presence::kRequired);
    r.String("description", p.description);
    r.Object("context", p.context);
    r.Int("first_seen", p.first_seen);
    r.Int("last_seen", p.last_seen);
    r.List("episodes", p.episodes, &LinkAt);
    if (!r.ok()) return r.status();
    return p;
  });
}

Json StoredJson(const Heuristic& h) {
  return Json{{"id", h.id},
              {"condition", h.condition},
              {"action", h.action},
              {"description", h.description},
              {"evidence", h.evidence},
              {"sample_size", h.sample_size},
              {"successes", h.successes},
              {"confidence", h.confidence},
              {"updated_at", h.updated_at}};
}

Json ToJson(const Heuristic& h) {
  Json j = StoredJson(h);
  j["p_value"] = h.evidence.value("p_value", 1.0);
  j["q_value"] = h.evidence.value("q_value", 1.0);
  j["lift"] = h.evidence.value("lift", 0.0);
  j["feedback"] = CountsJson(h.feedback);
  j["effectiveness"] = h.effectiveness;
  return j;
}

Result<Heuristic> HeuristicFromJson(const Json& j) {
  return NoThrow<Heuristic>("heuristic", [&]() -> Result<Heuristic> {
    Heuristic h;
    FieldReader r(j, "heuristic");
    r.String("id", h.id, Presence::kRequired);
    r.Object("condition", h.condition);
    r.String("action", h.action, Presence::kRequired);
    r.String("description", h.description);
    r.Object("evidence", h.evidence);
    r.Int("sample_size", h.sample_size);
    r.Int("successes", h.successes);
    r.Double("confidence", h.confidence);
    r.Int("updated_at", h.updated_at);
    if (!r.ok()) return r.status();
    return h;
  });
}

}  // namespace engram
