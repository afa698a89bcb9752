// LessonDedupe: dedupe at write time (docs/LEARNING.md, "Dedupe at write
// time"). Before a lesson is added, it is compared with the live lessons of
// the same topic, scope and project (a global lesson with global ones only,
// a project lesson with its own project's only: a merge never moves text
// across scope or project) by the near-duplicate rule of
// src/learn/dedupe.h: token overlap, and embedding cosine when the Engine
// has an embedder and both lessons are embedded by its model. The best
// match (highest score) decides, by NewLesson::on_duplicate:
//   merge  : the existing lesson absorbs the new one: tags are united, the
//            new content is appended as further evidence unless already
//            contained, confidence is reinforced
//            c' = m + 0.10 * (1 - m), m = max(existing, new);
//            one update, the previous version kept in history with the
//            reason "merge: near-duplicate ...";
//   reject : AlreadyExists naming the existing lesson id and why;
//   allow  : no check, the lesson is added as given.
// Engine::AddLesson routes through here unless on_duplicate is allow.
//
// Ownership: borrows the Engine, which must outlive it.
// Thread safety: as safe as the Engine. The check and the write are two
// steps: two processes adding the same lesson at the same instant may both
// insert it (the next add of it merges into one of them).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engram/engine.h"
#include "engram/lesson.h"
#include "engram/status.h"

namespace engram {

std::string_view ToString(DuplicatePolicy p);  // "merge", "reject", "allow"
Result<DuplicatePolicy> ParseDuplicatePolicy(std::string_view s);

// The near-duplicate found for a new lesson.
struct DuplicateMatch {
  std::string lesson_id;  // the existing lesson
  double overlap = 0;     // token Jaccard
  std::optional<double> cosine;
  std::string reason;
};

struct LessonAddOutcome {
  Lesson lesson;  // the new lesson, or the existing one after the merge
  bool merged = false;
  std::optional<DuplicateMatch> duplicate;
};
Json ToJson(const LessonAddOutcome& o);  // {"lesson", "merged", "duplicate"?}

class LessonDedupe {
 public:
  explicit LessonDedupe(Engine& engine) : engine_(engine) {}

  // The best near-duplicate of `lesson` among stored lessons, if any.
  Result<std::optional<DuplicateMatch>> FindDuplicate(const NewLesson& lesson);
  // Adds `lesson` under its on_duplicate policy (see above).
  Result<LessonAddOutcome> Add(const NewLesson& lesson);

 private:
  Engine& engine_;
};

}  // namespace engram
