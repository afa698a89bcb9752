// CandidateQueue: the gate between what engram notices and what it
// remembers (docs/LEARNING.md, "Gated candidates").
//
// Extractors (src/learn/*_candidates.h) propose lesson candidates from a
// completed episode, a unified diff or a conversation transcript; the queue
// stores them as pending (idempotent by fingerprint, secrets redacted like
// every other write) and only Approve turns one into a lesson, through
// Engine::AddLesson, with optional overrides. Reject keeps the candidate
// (so the same proposal is not raised again) and stores nothing else.
//
// Ownership: borrows the store, embedder, clock (and lesson writer) it is
// built on (Engine makes it), which must outlive it.
// Thread safety: as safe as the Store; each call is one store transaction.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/candidates.h"
#include "engram/json.h"
#include "engram/lesson.h"
#include "engram/lesson_writer.h"
#include "engram/limits.h"
#include "engram/status.h"
#include "engram/store.h"
#include "engram/time.h"

namespace engram {

struct ProposeResult {
  Candidate candidate;
  bool created = false;  // false: an identical proposal was already queued
};

// Fields to change on edit, or to override on approval; unset keeps them.
struct CandidatePatch {
  std::optional<LessonType> type;
  std::optional<std::string> topic;
  std::optional<std::string> title;
  std::optional<std::string> content;
  std::optional<std::vector<std::string>> tags;
  std::optional<double> confidence;
  // The project of the lesson approval makes: a name, or "" for a global
  // lesson. Unset keeps the candidate's project (that of its origin).
  std::optional<std::string> project;
};

struct ApproveResult {
  Candidate candidate;  // approved, with lesson_id
  Lesson lesson;
};

class CandidateQueue {
 public:
  // Queues through `store` (redacting when `redact_secrets`, checking
  // against `limits`); an approval adds its lesson through `lessons`.
  CandidateQueue(Store& store, const Limits& limits, const Clock& clock, bool redact_secrets,
                 LessonWriter& lessons)
      : store_(store), limits_(limits), clock_(clock), redact_(redact_secrets), lessons_(lessons) {}

  // Queues each proposal from `origin` (origin_ref: episode id, file name,
  // ...) in one transaction, as candidates of `project` ("" = global).
  // FailedPrecondition if the store keeps no candidates; InvalidArgument for
  // a proposal that fails lesson checks.
  Result<std::vector<ProposeResult>> Propose(CandidateOrigin origin, const std::string& origin_ref,
                                             const std::vector<CandidateProposal>& proposals,
                                             const std::string& project = "");
  // Parses `diff` (learn/unified_diff.h) and proposes its diff candidates
  // for `project` ("" = global).
  Result<std::vector<ProposeResult>> ProposeFromDiff(std::string_view diff,
                                                     const std::string& origin_ref,
                                                     const std::string& project = "");
  // Reads the transcript's messages and proposes its sentence candidates
  // for `project` ("" = global).
  Result<std::vector<ProposeResult>> ProposeFromTranscript(const Json& transcript,
                                                           const std::string& origin_ref,
                                                           const std::string& project = "");
  // The gate after completion: `episode` is completed (reward and reflection
  // computed); proposes its episode candidates for the episode's project,
  // looking up earlier failed episodes of the same task type, language and
  // project (the newest kFailureHistoryWindow) for the repeated-failure
  // rule.
  Result<std::vector<ProposeResult>> ProposeFromEpisode(const Episode& episode);
  static constexpr int kFailureHistoryWindow = 50;

  Result<Candidate> Get(const std::string& id);
  Result<std::vector<Candidate>> List(const CandidateFilter& filter);
  // Pending only (FailedPrecondition otherwise).
  Result<Candidate> Edit(const std::string& id, const CandidatePatch& patch);
  // Adds the lesson (source episode / diff / manual by origin) with
  // `overrides` applied, scoped to the candidate's project (a project lesson
  // when it has one; overrides.project changes it) and marks the candidate approved with its lesson
  // id, in one transaction. FailedPrecondition if already decided.
  Result<ApproveResult> Approve(const std::string& id, const CandidatePatch& overrides,
                                const std::string& note);
  // FailedPrecondition if already decided.
  Result<Candidate> Reject(const std::string& id, const std::string& note);

 private:
  Result<CandidateStore*> candidate_store();

  Store& store_;
  const Limits& limits_;
  const Clock& clock_;
  bool redact_;
  LessonWriter& lessons_;
};

}  // namespace engram
