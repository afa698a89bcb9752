// RedactRecord (redact_records.h): which fields of each record are text.
#include "core/redact_records.h"

#include <algorithm>
#include <type_traits>
#include <variant>

#include "engram/redact.h"

namespace engram {
namespace {

void RedactAll(std::vector<std::string>& items) {
  for (std::string& item : items) RedactText(item);
}

void RedactJson(Json& value) { value = RedactSecrets(value); }

}  // namespace

void RedactText(std::string& text) { text = RedactSecrets(text); }

void RedactTags(std::vector<std::string>& tags) {
  bool changed = false;
  for (std::string& tag : tags) {
    if (RedactSecrets(tag) != tag) {
      tag = "redacted";
      changed = true;
    }
  }
  if (!changed) return;
  std::sort(tags.begin(), tags.end());
  tags.erase(std::unique(tags.begin(), tags.end()), tags.end());
}

void RedactRecord(TaskContext& context) {
  for (std::string* s :
       {&context.language, &context.framework, &context.domain, &context.project}) {
    RedactText(*s);
  }
  RedactTags(context.tags);
}

void RedactRecord(Step& step) {
  RedactText(step.tool);
  RedactText(step.action);
  RedactJson(step.parameters);
  RedactText(step.result.output);
  RedactText(step.observation);
}

void RedactRecord(Outcome& outcome) {
  std::visit(
      [](auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (std::is_same_v<T, SuccessOutcome>) {
          RedactText(o.verdict);
          RedactAll(o.artifacts);
        } else if constexpr (std::is_same_v<T, PartialOutcome>) {
          RedactAll(o.completed);
          RedactAll(o.failed);
        } else if constexpr (std::is_same_v<T, FailureOutcome>) {
          RedactText(o.reason);
          RedactText(o.details);
        } else {
          RedactText(o.reason);
        }
      },
      outcome);
}

void RedactRecord(RewardBreakdown& reward) { RedactAll(reward.notes); }

void RedactRecord(Reflection& reflection) {
  RedactAll(reflection.successes);
  RedactAll(reflection.failures);
  RedactAll(reflection.improvements);
  RedactAll(reflection.insights);
}

void RedactRecord(Episode& episode) {
  RedactText(episode.description);
  RedactRecord(episode.context);
  for (Step& step : episode.steps) RedactRecord(step);
  if (episode.outcome) RedactRecord(*episode.outcome);
  if (episode.reward) RedactRecord(*episode.reward);
  if (episode.reflection) RedactRecord(*episode.reflection);
  RedactJson(episode.metadata);
}

void RedactRecord(Lesson& lesson) {
  for (std::string* s : {&lesson.topic, &lesson.title, &lesson.content, &lesson.project}) {
    RedactText(*s);
  }
  RedactTags(lesson.tags);
  for (std::string& s : lesson.situations) RedactText(s);
  RedactJson(lesson.metadata);
}

void RedactRecord(LessonVersion& version) {
  RedactRecord(version.lesson);
  RedactText(version.reason);
}

void RedactRecord(KvEntry& entry) {
  RedactText(entry.ns);
  RedactText(entry.key);
  RedactJson(entry.value);
}

void RedactRecord(Note& note) {
  RedactText(note.thread);
  RedactText(note.speaker);
  RedactText(note.text);
  RedactText(note.project);
  RedactJson(note.metadata);
}

void RedactRecord(FeedbackEvent& event) {
  RedactText(event.actor);
  RedactText(event.note);
}

void RedactRecord(PatternOccurrence& occurrence) {
  RedactText(occurrence.signature);
  RedactText(occurrence.description);
  RedactJson(occurrence.context);
}

void RedactRecord(StoredPattern& pattern) {
  const std::string signature = pattern.signature;
  RedactText(pattern.signature);
  RedactText(pattern.description);
  RedactJson(pattern.context);
  if (pattern.signature != signature) pattern.id = PatternId(pattern.kind, pattern.signature);
}

void RedactRecord(Heuristic& heuristic) {
  RedactJson(heuristic.condition);
  RedactText(heuristic.action);
  RedactText(heuristic.description);
  RedactJson(heuristic.evidence);
}

void RedactRecord(Contradiction& contradiction) { RedactText(contradiction.reason); }

void RedactRecord(Candidate& candidate) {
  for (std::string* s :
       {&candidate.origin_ref, &candidate.topic, &candidate.title, &candidate.content,
        &candidate.evidence, &candidate.rationale, &candidate.decision_note, &candidate.project}) {
    RedactText(*s);
  }
  RedactTags(candidate.tags);
}

}  // namespace engram
