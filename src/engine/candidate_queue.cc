// CandidateQueue (candidate_queue.h): propose, list, edit, approve, reject.
#include "engram/candidate_queue.h"

#include <string>
#include <utility>

#include "core/redact_records.h"
#include "core/situations.h"
#include "core/validate.h"
#include "engine/internal.h"
#include "engram/ids.h"
#include "learn/diff_candidates.h"
#include "learn/episode_candidates.h"
#include "learn/transcript_candidates.h"
#include "learn/unified_diff.h"

namespace engram {
namespace {

// Cuts `s` to at most `max` bytes on a UTF-8 boundary.
std::string Cap(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  return s;
}

LessonSource SourceFor(CandidateOrigin origin) {
  switch (origin) {
    case CandidateOrigin::kEpisode:
      return LessonSource::kEpisode;
    case CandidateOrigin::kDiff:
      return LessonSource::kDiff;
    case CandidateOrigin::kTranscript:
      return LessonSource::kManual;
  }
  return LessonSource::kManual;
}

NewLesson AsNewLesson(const Candidate& c) {
  NewLesson l;
  l.type = c.type;
  l.topic = c.topic;
  l.title = c.title;
  l.content = c.content;
  l.confidence = c.confidence;
  l.source = SourceFor(c.origin);
  l.tags = c.tags;
  if (!c.project.empty()) {  // the project of its origin, unless approval overrode it
    l.scope = LessonScope::kProject;
    l.project = c.project;
  }
  return l;
}

void Apply(const CandidatePatch& p, Candidate& c) {
  if (p.type) c.type = *p.type;
  if (p.topic) c.topic = *p.topic;
  if (p.title) c.title = *p.title;
  if (p.content) c.content = *p.content;
  if (p.tags) c.tags = *p.tags;
  if (p.confidence) c.confidence = *p.confidence;
  if (p.project) c.project = *p.project;
}

// Checks `c` as the lesson it would become and normalises its tags.
Status CheckAsLesson(Candidate& c, const Limits& limits) {
  ENGRAM_RETURN_IF_ERROR(ValidateNewLesson(AsNewLesson(c), limits));
  ENGRAM_ASSIGN_OR_RETURN(c.tags, NormalizeTags(c.tags, limits));
  return Status::Ok();
}

Status PendingOrError(const Candidate& c) {
  if (c.status == CandidateStatus::kPending) return Status::Ok();
  return Status::FailedPrecondition("candidate '" + c.id + "' is already " +
                                    std::string(ToString(c.status)) +
                                    (c.lesson_id ? " as lesson '" + *c.lesson_id + "'" : ""));
}

}  // namespace

Result<CandidateStore*> CandidateQueue::candidate_store() {
  CandidateStore* s = store_.candidates();
  if (s == nullptr) return Status::FailedPrecondition("this store keeps no lesson candidates");
  return s;
}

Result<std::vector<ProposeResult>> CandidateQueue::Propose(
    CandidateOrigin origin, const std::string& origin_ref,
    const std::vector<CandidateProposal>& proposals, const std::string& project) {
  ENGRAM_ASSIGN_OR_RETURN(CandidateStore * s, candidate_store());
  const Limits& limits = limits_;
  if (project.size() > limits.max_short_text_bytes) {
    return Status::InvalidArgument("candidate project is longer than " +
                                   std::to_string(limits.max_short_text_bytes) + " bytes");
  }
  if (origin_ref.size() > limits.max_title_bytes) {
    return Status::InvalidArgument("candidate origin reference is longer than " +
                                   std::to_string(limits.max_title_bytes) + " bytes");
  }
  const Timestamp now = clock_.NowMs();
  std::vector<Candidate> drafts;
  drafts.reserve(proposals.size());
  for (const CandidateProposal& p : proposals) {
    Candidate c;
    c.id = NewId(now);
    c.origin = origin;
    c.origin_ref = origin_ref;
    c.project = project;
    c.fingerprint = CandidateFingerprint(origin, p, project);
    c.type = p.type;
    c.topic = p.topic;
    c.title = p.title;
    c.content = p.content;
    c.tags = p.tags;
    c.confidence = p.confidence;
    c.evidence = Cap(p.evidence, limits.max_text_bytes);
    c.rationale = Cap(p.rationale, limits.max_text_bytes);
    c.created_at = now;
    if (redact_) RedactRecord(c);
    ENGRAM_RETURN_IF_ERROR(CheckAsLesson(c, limits));
    drafts.push_back(std::move(c));
  }
  std::vector<ProposeResult> out;
  ENGRAM_RETURN_IF_ERROR(store_.RunInTransaction([&]() -> Status {
    out.clear();
    for (const Candidate& c : drafts) {
      ENGRAM_ASSIGN_OR_RETURN(auto stored, s->InsertCandidate(c));
      out.push_back(ProposeResult{std::move(stored.first), stored.second});
    }
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<ProposeResult>> CandidateQueue::ProposeFromDiff(std::string_view diff,
                                                                   const std::string& origin_ref,
                                                                   const std::string& project) {
  ENGRAM_ASSIGN_OR_RETURN(learn::UnifiedDiff parsed, learn::ParseUnifiedDiff(diff));
  return Propose(CandidateOrigin::kDiff, origin_ref, learn::DiffCandidates(parsed), project);
}

Result<std::vector<ProposeResult>> CandidateQueue::ProposeFromTranscript(
    const Json& transcript, const std::string& origin_ref, const std::string& project) {
  ENGRAM_ASSIGN_OR_RETURN(auto messages, learn::ParseTranscript(transcript));
  return Propose(CandidateOrigin::kTranscript, origin_ref, learn::TranscriptCandidates(messages),
                 project);
}

Result<std::vector<ProposeResult>> CandidateQueue::ProposeFromEpisode(const Episode& episode) {
  if (!episode.completed() || !episode.reflection) {
    return Status::FailedPrecondition("episode '" + episode.id + "' is not completed");
  }
  learn::EpisodeHistory history;
  const std::string signature = learn::FailureSignature(episode);
  if (!signature.empty()) {
    EpisodeFilter filter;
    filter.task_type = episode.task_type;
    if (!episode.context.language.empty()) filter.language = episode.context.language;
    filter.project = episode.context.project;  // never another project's episodes as evidence
    filter.completed = true;
    filter.limit = kFailureHistoryWindow;
    ENGRAM_ASSIGN_OR_RETURN(auto recent, store_.ListEpisodes(filter));
    for (const EpisodeSummary& summary : recent) {
      if (summary.id == episode.id || summary.outcome_kind != "failure") continue;
      ENGRAM_ASSIGN_OR_RETURN(Episode earlier, store_.GetEpisode(summary.id));
      if (learn::FailureSignature(earlier) == signature) {
        history.same_failure_ids.push_back(earlier.id);
      }
    }
  }
  return Propose(CandidateOrigin::kEpisode, episode.id, learn::EpisodeCandidates(episode, history),
                 episode.context.project);
}

Result<Candidate> CandidateQueue::Get(const std::string& id) {
  ENGRAM_ASSIGN_OR_RETURN(CandidateStore * s, candidate_store());
  return s->GetCandidate(id);
}

Result<std::vector<Candidate>> CandidateQueue::List(const CandidateFilter& filter) {
  ENGRAM_ASSIGN_OR_RETURN(CandidateStore * s, candidate_store());
  ENGRAM_RETURN_IF_ERROR(
      engine_internal::ValidatePage(filter.limit, filter.offset, "candidate list"));
  return s->ListCandidates(filter);
}

Result<Candidate> CandidateQueue::Edit(const std::string& id, const CandidatePatch& patch) {
  ENGRAM_ASSIGN_OR_RETURN(CandidateStore * s, candidate_store());
  Candidate edited;
  ENGRAM_RETURN_IF_ERROR(store_.RunInTransaction([&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(edited, s->GetCandidate(id));
    ENGRAM_RETURN_IF_ERROR(PendingOrError(edited));
    Apply(patch, edited);
    if (redact_) RedactRecord(edited);
    ENGRAM_RETURN_IF_ERROR(CheckAsLesson(edited, limits_));
    return s->UpdatePendingCandidate(edited);
  }));
  return edited;
}

Result<ApproveResult> CandidateQueue::Approve(const std::string& id,
                                              const CandidatePatch& overrides,
                                              const std::string& note) {
  ENGRAM_ASSIGN_OR_RETURN(CandidateStore * s, candidate_store());
  ENGRAM_RETURN_IF_ERROR(engine_internal::ValidateReason(note, limits_));
  ApproveResult out;
  ENGRAM_RETURN_IF_ERROR(lessons_.RunInLessonTransaction([&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Candidate c, s->GetCandidate(id));
    ENGRAM_RETURN_IF_ERROR(PendingOrError(c));
    Apply(overrides, c);
    NewLesson lesson = AsNewLesson(c);
    // Proposed from an episode: the task it was learned on is a situation
    // the lesson applies to (same project only; an episode deleted since
    // adds none).
    if (c.origin == CandidateOrigin::kEpisode) {
      Result<Episode> episode = store_.GetEpisode(c.origin_ref);
      if (episode.ok()) {
        if (auto s = EpisodeSituation(*episode, lesson.project, limits_.max_description_bytes))
          lesson.situations = {*s};
      } else if (episode.status().code() != ErrorCode::kNotFound) {
        return episode.status();
      }
    }
    ENGRAM_ASSIGN_OR_RETURN(out.lesson, lessons_.AddLesson(lesson));
    c.status = CandidateStatus::kApproved;
    c.lesson_id = out.lesson.id;
    c.decision_note = note;
    c.decided_at = clock_.NowMs();
    // The lesson as stored (normalised tags, redacted text) is what was approved.
    c.type = out.lesson.type;
    c.topic = out.lesson.topic;
    c.title = out.lesson.title;
    c.content = out.lesson.content;
    c.tags = out.lesson.tags;
    c.confidence = out.lesson.confidence;
    if (redact_) RedactRecord(c);
    ENGRAM_RETURN_IF_ERROR(s->UpdatePendingCandidate(c));
    out.candidate = std::move(c);
    return Status::Ok();
  }));
  return out;
}

Result<Candidate> CandidateQueue::Reject(const std::string& id, const std::string& note) {
  ENGRAM_ASSIGN_OR_RETURN(CandidateStore * s, candidate_store());
  ENGRAM_RETURN_IF_ERROR(engine_internal::ValidateReason(note, limits_));
  Candidate c;
  ENGRAM_RETURN_IF_ERROR(store_.RunInTransaction([&]() -> Status {
    ENGRAM_ASSIGN_OR_RETURN(c, s->GetCandidate(id));
    ENGRAM_RETURN_IF_ERROR(PendingOrError(c));
    c.status = CandidateStatus::kRejected;
    c.decision_note = note;
    c.decided_at = clock_.NowMs();
    if (redact_) RedactRecord(c);
    return s->UpdatePendingCandidate(c);
  }));
  return c;
}

}  // namespace engram
