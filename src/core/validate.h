// Input validation against Limits: the checks the Engine runs before it
// stores anything. Each function returns OK or InvalidArgument naming the
// field and the rule ("invalid_argument: description is 9000 bytes; the
// limit is 8192"). Field names are the request's field names; nested fields
// use dots and list items brackets ("context.tags[2]", "result.output").
//
// Rules shared by every text field: valid UTF-8 and within its byte limit.
// Short identifier-like fields (tool, topic, project, language, framework,
// domain, kv ns/key) also reject control characters. JSON fields (parameters,
// metadata, kv values) are measured by their compact serialisation.
//
// Ownership: pure functions; nothing is retained.
// Thread safety: safe to call from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engram/episode.h"
#include "engram/json.h"
#include "engram/lesson.h"
#include "engram/limits.h"
#include "engram/note.h"
#include "engram/status.h"

namespace engram {

// `s` without leading and trailing ASCII white space.
std::string_view TrimSpace(std::string_view s);

// Longest prefix of `s` of at most `max_bytes` that does not split a UTF-8
// sequence.
std::string_view Utf8Prefix(std::string_view s, std::size_t max_bytes);

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view text);

Status ValidateStartEpisode(const StartEpisodeRequest& request, const Limits& limits);
Status ValidateStepInput(const StepInput& step, const Limits& limits);
// verdict/reason up to max_title_bytes, failure details up to max_text_bytes,
// artifacts/completed/failed up to max_list_items items of max_title_bytes.
Status ValidateOutcome(const Outcome& outcome, const Limits& limits);
Status ValidateNewLesson(const NewLesson& lesson, const Limits& limits);
// Checks each set field as ValidateNewLesson would. Scope/project
// consistency is checked only when the patch sets both; it depends on the
// stored lesson otherwise, so the Engine should also run ValidateLesson on
// the merged result.
Status ValidateLessonPatch(const LessonPatch& patch, const Limits& limits);
// A complete lesson (e.g. a patch applied to a stored lesson, or an
// imported one): the NewLesson rules over its fields.
Status ValidateLesson(const Lesson& lesson, const Limits& limits);
// thread and text required (text up to max_text_bytes; thread, speaker
// and project up to max_short_text_bytes, project without control
// characters), metadata an object up to max_json_bytes, position >= 0,
// timestamp kMinTimestampMs..kMaxTimestampMs (include/engram/int_ranges.h).
Status ValidateNewNote(const NewNote& note, const Limits& limits);
Status ValidateKvKey(std::string_view ns, std::string_view key, const Limits& limits);
Status ValidateKvValue(const Json& value, const Limits& limits);

// Lower-cases (ASCII) and trims each tag, checks the format
// [a-z0-9][a-z0-9._:+#/-]* and max_tag_bytes, then sorts and removes
// duplicates; at most max_tags distinct tags.
Result<std::vector<std::string>> NormalizeTags(const std::vector<std::string>& tags,
                                               const Limits& limits);

}  // namespace engram
