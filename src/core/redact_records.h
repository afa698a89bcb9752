// RedactRecord: secret redaction (include/engram/redact.h) of whole model
// values, every free-text field, tag and JSON value and key of a record.
// Identifiers that must stay exact (record ids, episode and lesson
// references, fingerprints, model ids, enum values) are left alone.
//
// The one definition of "what of a record is text": RedactingStore
// (src/store/redacting_store.h) applies it to every write, and the Engine
// applies it to a record it needs in its stored form before the write (a
// lesson it embeds and indexes). Redaction is idempotent, so a record
// redacted twice is redacted once.
//
// A tag holding a secret becomes the tag "redacted" (a tag cannot hold the
// "[REDACTED:<kind>]" marker); tags are then sorted and unique again.
//
// Thread safety: pure functions on the caller's values.
#pragma once

#include <string>
#include <vector>

#include "engram/candidates.h"
#include "engram/contradictions.h"
#include "engram/episode.h"
#include "engram/feedback.h"
#include "engram/kv.h"
#include "engram/lesson.h"
#include "engram/note.h"
#include "engram/patterns.h"

namespace engram {

void RedactText(std::string& text);
void RedactTags(std::vector<std::string>& tags);

void RedactRecord(TaskContext& context);           // language, framework, domain, project, tags
void RedactRecord(Step& step);                     // tool, action, parameters, output, observation
void RedactRecord(Outcome& outcome);               // verdict, reason, details, list items
void RedactRecord(RewardBreakdown& reward);        // notes
void RedactRecord(Reflection& reflection);         // every line
void RedactRecord(Episode& episode);               // all of the above, description, metadata
void RedactRecord(Lesson& lesson);                 // topic, title, content, project, tags, metadata
void RedactRecord(LessonVersion& version);         // the lesson and the reason
void RedactRecord(KvEntry& entry);                 // namespace, key, value
void RedactRecord(Note& note);                     // thread, speaker, text, metadata
void RedactRecord(FeedbackEvent& event);           // actor, note
void RedactRecord(PatternOccurrence& occurrence);  // signature, description, context
// signature, description, context; the id, derived from the signature
// (PatternId), follows a redacted signature.
void RedactRecord(StoredPattern& pattern);
void RedactRecord(Heuristic& heuristic);          // condition, action, description, evidence
void RedactRecord(Contradiction& contradiction);  // reason
void RedactRecord(Candidate& candidate);          // origin_ref, text fields, tags, decision note

}  // namespace engram
