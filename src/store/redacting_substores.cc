// The redacting sub-store decorators (redacting_substores.h).
#include "store/redacting_substores.h"

#include "core/redact_records.h"
#include "engram/redact.h"

namespace engram::redacting {
namespace {

template <typename T>
T Redacted(T value) {
  RedactRecord(value);
  return value;
}

}  // namespace

Result<std::vector<Note>> FullText::AddNotes(std::span<const Note> notes) {
  std::vector<Note> redacted(notes.begin(), notes.end());
  for (Note& n : redacted) RedactRecord(n);
  return inner_.AddNotes(redacted);
}

Result<std::vector<Note>> FullText::ThreadNotes(const std::string& thread) {
  return inner_.ThreadNotes(RedactSecrets(thread));
}

Result<std::vector<NoteHit>> FullText::SearchNoteText(const std::string& thread,
                                                      std::string_view query, int limit) {
  return inner_.SearchNoteText(RedactSecrets(thread), query, limit);
}

Result<std::int64_t> FullText::DeleteThread(const std::string& thread) {
  return inner_.DeleteThread(RedactSecrets(thread));
}

Status Feedback::RecordFeedback(const FeedbackEvent& event) {
  return inner_.RecordFeedback(Redacted(event));
}

Status Feedback::ImportFeedback(const FeedbackEvent& event) {
  return inner_.ImportFeedback(Redacted(event));
}

Status Patterns::RecordEpisodePatterns(const std::string& episode_id, bool success,
                                       const std::vector<PatternOccurrence>& occurrences,
                                       Timestamp now) {
  std::vector<PatternOccurrence> redacted = occurrences;
  for (PatternOccurrence& o : redacted) RedactRecord(o);
  return inner_.RecordEpisodePatterns(episode_id, success, redacted, now);
}

Result<std::vector<Pattern>> Patterns::ListPatterns(const PatternFilter& filter) {
  PatternFilter f = filter;
  for (std::string* s : {&f.task_type, &f.language, &f.framework, &f.domain}) {
    RedactText(*s);
  }
  return inner_.ListPatterns(f);
}

Status Patterns::ReplaceHeuristics(const std::vector<Heuristic>& heuristics) {
  std::vector<Heuristic> redacted = heuristics;
  for (Heuristic& h : redacted) RedactRecord(h);
  return inner_.ReplaceHeuristics(redacted);
}

Status Patterns::ImportPattern(const StoredPattern& p) { return inner_.ImportPattern(Redacted(p)); }

Status Patterns::ImportHeuristic(const Heuristic& h) { return inner_.ImportHeuristic(Redacted(h)); }

Result<std::pair<Contradiction, bool>> Contradictions::RecordContradiction(const Contradiction& c) {
  return inner_.RecordContradiction(Redacted(c));
}

Status Contradictions::ImportContradiction(const Contradiction& c) {
  return inner_.ImportContradiction(Redacted(c));
}

Result<std::pair<Candidate, bool>> Candidates::InsertCandidate(const Candidate& c) {
  return inner_.InsertCandidate(Redacted(c));
}

Status Candidates::UpdatePendingCandidate(const Candidate& c) {
  return inner_.UpdatePendingCandidate(Redacted(c));
}

Status Candidates::ImportCandidate(const Candidate& c) {
  return inner_.ImportCandidate(Redacted(c));
}

}  // namespace engram::redacting
