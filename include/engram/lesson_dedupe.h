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
// A lesson with the caller's own id (NewLesson::id) is never merged into
// another (its id must stay usable): under merge it is added and the
// near-duplicate only reported. An id that is already stored replaces that
// lesson instead: every field becomes the new one's, in one update whose
// previous version stays in history (reason "add: replaced"), unless the
// stored lesson belongs to another scope or project (FailedPrecondition:
// an add never moves a lesson across projects; update_lesson does, on
// purpose).
//
// Ownership: borrows the store, embedder, clock (and lesson writer) it is
// built on (Engine makes it), which must outlive it.
// Thread safety: as safe as the Store. The check and the write are two
// steps: two processes adding the same lesson at the same instant may both
// insert it (the next add of it merges into one of them).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/embedder.h"
#include "engram/lesson.h"
#include "engram/lesson_writer.h"
#include "engram/limits.h"
#include "engram/status.h"
#include "engram/store.h"
#include "engram/time.h"

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
  bool replaced = false;  // the caller's id was stored: that lesson was replaced
  std::optional<DuplicateMatch> duplicate;
};
Json ToJson(const LessonAddOutcome& o);  // {"lesson", "merged", "replaced", "duplicate"?}

struct LessonBatchOptions {
  // Empty (default), or one entry per lesson: its embedding by the Engine's
  // embedder when known (e.g. kept from an import), else nullopt. Ignored
  // without an embedder.
  std::vector<std::optional<std::vector<float>>> vectors;
  // Texts per Embedder::EmbedBatch call. Default 64.
  std::size_t embed_batch = 64;
  // Called as work advances: phase "embed" (done/total texts) and "store"
  // (done/total lessons). Default: none.
  std::function<void(std::string_view phase, std::size_t done, std::size_t total)> progress;
};

class LessonDedupe {
 public:
  // Compares with the lessons of `store` (and, with `embedder`, may be
  // null, their stored embeddings); writes through `lessons`; reports
  // contradictions of what it added through a ContradictionChecker over
  // the same store.
  LessonDedupe(Store& store, const Limits& limits, const Embedder* embedder, const Clock& clock,
               bool redact_secrets, LessonWriter& lessons)
      : store_(store),
        limits_(limits),
        embedder_(embedder),
        clock_(clock),
        redact_(redact_secrets),
        lessons_(lessons) {}

  // The best near-duplicate of `lesson` among stored lessons, if any.
  // `vector`, if given, is the lesson's embedding by the Engine's embedder
  // (else it is embedded here).
  Result<std::optional<DuplicateMatch>> FindDuplicate(const NewLesson& lesson,
                                                      const std::vector<float>* vector = nullptr);
  // Adds `lesson` under its on_duplicate policy (see above).
  Result<LessonAddOutcome> Add(const NewLesson& lesson);
  // Adds `lessons` as Add would each, in order, but all checked before
  // anything is written (InvalidArgument naming lessons[i]; a caller id
  // given twice is an error), embedded in batches and written in one
  // transaction: all of them or, at the first failure (named lessons[i]),
  // none. A later lesson is compared with the earlier ones of the batch
  // too. Contradictions are checked after the commit (best effort).
  Result<std::vector<LessonAddOutcome>> AddBatch(const std::vector<NewLesson>& lessons,
                                                 const LessonBatchOptions& options = {});

 private:
  // `raw` redacted as it will be stored (when the Engine redacts).
  NewLesson AsStored(const NewLesson& raw) const;
  // Adds `input` (as stored, validated) under its policy, without the
  // contradiction check; `vector` (may be null) is its embedding.
  Result<LessonAddOutcome> AddOne(const NewLesson& input, const std::vector<float>* vector);
  Result<LessonAddOutcome> Replace(const Lesson& stored, const NewLesson& input);
  Result<LessonAddOutcome> Merge(const NewLesson& input, const DuplicateMatch& dup);

  // The lesson is committed; contradiction detection is best effort (a
  // failure is repaired by the next `engram contradictions --scan`).
  void CheckContradictions(const Lesson& lesson);

  Store& store_;
  const Limits& limits_;
  const Embedder* embedder_;
  const Clock& clock_;
  bool redact_;
  LessonWriter& lessons_;
};

}  // namespace engram
