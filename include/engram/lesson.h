// Lesson model: curated knowledge an agent should remember.
//
// A lesson has a type (best_practice, anti_pattern, gotcha, heuristic,
// example), a topic, title, content, confidence in [0, 1], a scope (global or
// one project), a source, tags, timestamps and a deprecated flag. Updating a
// lesson keeps the previous version in its history (superseded, not lost).
// Embeddings are stored separately, keyed by (lesson id, model id), so
// re-embedding never touches a lesson's meaning. Ids are generated (UUIDv7)
// unless the caller brings its own (NewLesson::id: any identifier, e.g. the
// ids of a memory service engram replaces). `metadata` keeps a caller's
// own keys (a JSON object, redacted like every text) for it to read back.
//
// Thread safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/json.h"
#include "engram/status.h"
#include "engram/time.h"

namespace engram {

enum class LessonType { kBestPractice, kAntiPattern, kGotcha, kHeuristic, kExample };
std::string_view ToString(LessonType t);  // "best_practice", ...
Result<LessonType> ParseLessonType(std::string_view s);

enum class LessonScope { kGlobal, kProject };
std::string_view ToString(LessonScope s);  // "global", "project"
Result<LessonScope> ParseLessonScope(std::string_view s);

enum class LessonSource { kManual, kReview, kIncident, kEpisode, kDiff };
std::string_view ToString(LessonSource s);  // "manual", ...
Result<LessonSource> ParseLessonSource(std::string_view s);

struct Lesson {
  std::string id;
  LessonType type = LessonType::kBestPractice;
  std::string topic;
  std::string title;
  std::string content;
  double confidence = 0.5;  // [0, 1]
  LessonScope scope = LessonScope::kGlobal;
  std::string project;  // required iff scope == kProject
  LessonSource source = LessonSource::kManual;
  std::vector<std::string> tags;  // normalised: lower-case, sorted, unique
  // Situations the lesson applies to, as someone meeting them would tell
  // them: the symptom, error or incident that taught it ("jest times out
  // after 5000 ms in beforeEach"). Searched with the lesson's text, so a
  // symptom finds the lesson written for it (docs/RETRIEVAL.md,
  // "Situations"). Filled by the caller, from the episode a lesson was
  // proposed from, and by feedback that the lesson helped an episode. At
  // most Limits::max_situations, oldest first.
  std::vector<std::string> situations;
  Timestamp created_at = 0;
  Timestamp updated_at = 0;
  // Moved by feedback that applied the lesson and, batched off the search
  // path, each time a search or context retrieval returns it
  // (docs/RETRIEVAL.md, "Use recording").
  std::optional<Timestamp> last_used_at;
  int use_count = 0;  // times a search or context retrieval returned it
  bool deprecated = false;
  int version = 1;  // increments on every update
  // Set when a resolved contradiction kept another lesson instead of this
  // one (this one is then deprecated; docs/LEARNING.md, "Contradictions").
  std::optional<std::string> superseded_by;
  // The caller's own keys, returned as given (an object; {} when none).
  Json metadata = Json::object();
};

// A superseded version of a lesson, kept by update/deprecate.
struct LessonVersion {
  Lesson lesson;                // the lesson as it was (lesson.version = that version)
  Timestamp superseded_at = 0;  // when the next version replaced it
  std::string reason;           // why it changed ("update", "deprecate: ...", user text)
};

// Filters for listing lessons. Empty/unset fields do not filter.
struct LessonFilter {
  std::optional<LessonType> type;
  std::optional<std::string> topic;
  std::optional<LessonScope> scope;
  // With a project set: global lessons plus that project's lessons (never
  // another project's). Combine with scope to narrow further.
  std::optional<std::string> project;
  std::vector<std::string> tags;  // a lesson must carry all of them
  std::optional<double> min_confidence;
  bool include_deprecated = false;
  int limit = 100;  // 1..10000
  int offset = 0;
};

// A partial update: unset fields keep their value.
struct LessonPatch {
  std::optional<LessonType> type;
  std::optional<std::string> topic;
  std::optional<std::string> title;
  std::optional<std::string> content;
  std::optional<double> confidence;
  std::optional<LessonScope> scope;
  std::optional<std::string> project;
  std::optional<LessonSource> source;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::vector<std::string>> situations;  // replaces the list
  std::optional<Json> metadata;                        // replaces the whole object
};

// docs/LEARNING.md, "Dedupe at write time".
enum class DuplicatePolicy { kMerge, kReject, kAllow };

// A lesson to add (Engine::AddLesson); the Engine assigns id (unless
// given), version and timestamps.
struct NewLesson {
  // The caller's id (an identifier of at most limits.max_short_text_bytes
  // bytes). Empty (default): a new UUIDv7. Adding an id that is stored
  // replaces that lesson (LessonDedupe::Add).
  std::string id;
  LessonType type = LessonType::kBestPractice;
  std::string topic;    // required
  std::string title;    // required
  std::string content;  // required
  double confidence = 0.5;
  LessonScope scope = LessonScope::kGlobal;
  std::string project;  // required iff scope == project
  LessonSource source = LessonSource::kManual;
  std::vector<std::string> tags;
  std::vector<std::string> situations;  // Lesson::situations
  Json metadata = Json::object();       // the caller's own keys (Lesson::metadata)
  // What to do when it nearly duplicates a stored lesson (LessonDedupe,
  // include/engram/lesson_dedupe.h): merge into it (default), reject, or
  // allow the duplicate.
  DuplicatePolicy on_duplicate = DuplicatePolicy::kMerge;
};

Json ToJson(const Lesson& l);
Result<Lesson> LessonFromJson(const Json& j);
Json ToJson(const LessonVersion& v);
Result<LessonVersion> LessonVersionFromJson(const Json& j);

}  // namespace engram
