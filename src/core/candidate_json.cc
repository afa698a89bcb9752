// Names of the candidate enums, the JSON form of Candidate and the
// fingerprint of a proposal (candidates.h).
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>

#include "core/json_read.h"
#include "core/name_table.h"
#include "engram/candidates.h"

namespace engram {

using core_internal::NameOf;
using core_internal::NameTable;
using core_internal::ParseName;
using json_internal::FieldReader;
using json_internal::NoThrow;
using json_internal::Presence;
namespace {

constexpr NameTable<CandidateStatus, 3> kStatuses{{
    {CandidateStatus::kPending, "pending"},
    {CandidateStatus::kApproved, "approved"},
    {CandidateStatus::kRejected, "rejected"},
}};

constexpr NameTable<CandidateOrigin, 3> kOrigins{{
    {CandidateOrigin::kEpisode, "episode"},
    {CandidateOrigin::kDiff, "diff"},
    {CandidateOrigin::kTranscript, "transcript"},
}};

// Lower-case ASCII, runs of whitespace collapsed to one space, trimmed.
std::string Normalize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::uint64_t Fnv1a64(std::string_view s, std::uint64_t h = 14695981039346656037ULL) {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

}  // namespace

std::string_view ToString(CandidateStatus s) { return NameOf(kStatuses, s); }
Result<CandidateStatus> ParseCandidateStatus(std::string_view s) {
  return ParseName(kStatuses, "candidate status", s);
}

std::string_view ToString(CandidateOrigin o) { return NameOf(kOrigins, o); }
Result<CandidateOrigin> ParseCandidateOrigin(std::string_view s) {
  return ParseName(kOrigins, "candidate origin", s);
}

Json ToJson(const Candidate& c) {
  Json j{{"id", c.id},
         {"status", ToString(c.status)},
         {"origin", ToString(c.origin)},
         {"origin_ref", c.origin_ref},
         {"project", c.project},
         {"fingerprint", c.fingerprint},
         {"type", ToString(c.type)},
         {"topic", c.topic},
         {"title", c.title},
         {"content", c.content},
         {"tags", c.tags},
         {"confidence", c.confidence},
         {"evidence", c.evidence},
         {"rationale", c.rationale},
         {"decision_note", c.decision_note},
         {"created_at", c.created_at}};
  if (c.lesson_id) j["lesson_id"] = *c.lesson_id;
  if (c.decided_at) j["decided_at"] = *c.decided_at;
  return j;
}

Result<Candidate> CandidateFromJson(const Json& j) {
  return NoThrow<Candidate>("candidate", [&]() -> Result<Candidate> {
    Candidate c;
    FieldReader r(j, "candidate");
    r.String("id", c.id, Presence::kRequired);
    r.Enum("status", c.status, &ParseCandidateStatus);
    r.Enum("origin", c.origin, &ParseCandidateOrigin);
    r.String("origin_ref", c.origin_ref);
    r.String("project", c.project);
    r.String("fingerprint", c.fingerprint, Presence::kRequired);
    r.Enum("type", c.type, &ParseLessonType);
    r.String("topic", c.topic);
    r.String("title", c.title);
    r.String("content", c.content);
    r.StringList("tags", c.tags);
    r.Double("confidence", c.confidence);
    r.String("evidence", c.evidence);
    r.String("rationale", c.rationale);
    r.OptionalString("lesson_id", c.lesson_id);
    r.String("decision_note", c.decision_note);
    r.Int("created_at", c.created_at);
    r.OptionalInt("decided_at", c.decided_at);
    if (!r.ok()) return r.status();
    return c;
  });
}

std::string CandidateFingerprint(CandidateOrigin origin, const CandidateProposal& p,
                                 std::string_view project) {
  std::string basis = std::string(ToString(origin)) + "\n";
  if (!p.key.empty()) {
    basis += Normalize(p.key);
  } else {
    basis +=
        std::string(ToString(p.type)) + "\n" + Normalize(p.title) + "\n" + Normalize(p.content);
  }
  if (!project.empty()) basis.append("\nproject\n").append(project);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(Fnv1a64(basis)));
  return hex;
}

}  // namespace engram
