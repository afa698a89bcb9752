// Lesson candidates: proposals that wait in a queue until a person or an
// agent approves, edits or rejects them (docs/LEARNING.md, "Gated
// candidates"). Nothing becomes a lesson without approval.
//
// A candidate comes from a completed episode, a code diff or a conversation
// transcript; it carries the proposed lesson (type, topic, title, content,
// tags, confidence), the evidence it was drawn from (a diff hunk, a
// sentence, a step summary) and the rule that fired (rationale). Identical
// proposals share a fingerprint, so proposing twice stores one candidate.
//
// CandidateStore persists candidates (SQLite table `candidates`, migration
// 4); a Store that keeps them returns one from Store::candidates().
//
// Thread safety: Candidate and CandidateProposal are plain values;
// CandidateStore implementations are safe for concurrent use (like Store).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engram/json.h"
#include "engram/lesson.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

enum class CandidateStatus { kPending, kApproved, kRejected };
std::string_view ToString(CandidateStatus s);  // "pending", "approved", "rejected"
Result<CandidateStatus> ParseCandidateStatus(std::string_view s);

enum class CandidateOrigin { kEpisode, kDiff, kTranscript };
std::string_view ToString(CandidateOrigin o);  // "episode", "diff", "transcript"
Result<CandidateOrigin> ParseCandidateOrigin(std::string_view s);

// What an extractor (src/learn/*_candidates.h) proposes: a lesson draft and
// why. `key` identifies the proposal's substance (e.g. "replace:a->b") and,
// with the origin, makes the fingerprint; empty = type + title + content.
struct CandidateProposal {
  LessonType type = LessonType::kBestPractice;
  std::string topic;
  std::string title;
  std::string content;
  std::vector<std::string> tags;
  double confidence = 0.5;  // [0, 1]
  std::string evidence;     // the hunk, sentence or step summary it came from
  std::string rationale;    // which rule fired, with its inputs
  std::string key;
};

struct Candidate {
  std::string id;  // UUIDv7
  CandidateStatus status = CandidateStatus::kPending;
  CandidateOrigin origin = CandidateOrigin::kEpisode;
  std::string origin_ref;  // episode id, diff or transcript name
  // The project of its origin ("" = global): the episode's project, or the
  // project named when proposing from a diff or transcript. Approval makes
  // a lesson of this project unless overridden (CandidatePatch::project).
  std::string project;
  std::string fingerprint;  // 16 hex digits; unique across the queue
  LessonType type = LessonType::kBestPractice;
  std::string topic;
  std::string title;
  std::string content;
  std::vector<std::string> tags;
  double confidence = 0.5;
  std::string evidence;
  std::string rationale;
  std::optional<std::string> lesson_id;  // set when approved
  std::string decision_note;             // set by approve/reject
  Timestamp created_at = 0;
  std::optional<Timestamp> decided_at;
};

// {"id", "status", "origin", ..., "lesson_id" (only when set), "decided_at"
// (only when set)}; field names are the struct's.
Json ToJson(const Candidate& c);
// Reads ToJson's form. Required: id, fingerprint.
Result<Candidate> CandidateFromJson(const Json& j);

// Fingerprint of a proposal from `origin`: FNV-1a 64 of the origin and the
// proposal's key (or, without a key, type, title and content lower-cased
// with whitespace collapsed), and of the project when there is one, as 16
// hex digits. The same proposal from two projects is two candidates.
std::string CandidateFingerprint(CandidateOrigin origin, const CandidateProposal& p,
                                 std::string_view project = {});

struct CandidateFilter {
  std::optional<CandidateStatus> status;  // unset: all
  std::optional<CandidateOrigin> origin;  // unset: all
  // Set: global candidates plus this project's (never another project's).
  // Unset: every candidate (the reviewer's queue).
  std::optional<std::string> project;
  int limit = 100;  // 1..10000, newest first
  int offset = 0;
};

class CandidateStore {
 public:
  virtual ~CandidateStore() = default;
  // Inserts `c` unless a candidate with its fingerprint exists. Returns the
  // stored candidate (the existing one on a fingerprint match) and whether
  // this call inserted it.
  virtual Result<std::pair<Candidate, bool>> InsertCandidate(const Candidate& c) = 0;
  virtual Result<Candidate> GetCandidate(const std::string& id) = 0;  // NotFound
  virtual Result<std::vector<Candidate>> ListCandidates(const CandidateFilter& filter) = 0;
  // Replaces every field but id, origin, origin_ref, fingerprint and
  // created_at of a candidate that is still pending. NotFound for an unknown
  // id; FailedPrecondition (naming its status) if it was already decided.
  virtual Status UpdatePendingCandidate(const Candidate& c) = 0;

  // --- bulk access for export/import (lossless) ---
  // Every candidate, by id.
  virtual Status ForEachCandidate(const std::function<Status(const Candidate&)>& fn) = 0;
  // Insert-or-replace by id, every field kept (a decided candidate too); a
  // stored candidate with the same fingerprint under another id is replaced
  // (the fingerprint is unique across the queue). InvalidArgument for an
  // empty id or fingerprint or a confidence outside [0, 1].
  virtual Status ImportCandidate(const Candidate& c) = 0;
};

}  // namespace engram
