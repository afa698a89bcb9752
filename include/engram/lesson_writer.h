// LessonWriter: how a service writes lessons without holding the Engine.
//
// The services beside the Engine (LessonDedupe, CandidateQueue,
// PromoteLesson, ...) read the Store they are given, but a lesson write has
// more to do than a row: validation, redaction, embedding, the lesson
// vector index following the write, the contradiction check. The Engine
// does that and hands its services this interface to it; a service never
// sees the Engine itself, so no service calls back into it
// (docs/ARCHITECTURE.md, "Services").
//
// Ownership: implemented by the Engine, which outlives the services it
// hands it to. Thread safety: as the Engine (safe for concurrent use).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "engram/lesson.h"
#include "engram/status.h"

namespace engram {

class LessonWriter {
 public:
  virtual ~LessonWriter() = default;

  // Engine::AddLesson: under lesson.on_duplicate (the dedupe check unless
  // allow).
  virtual Result<Lesson> AddLesson(const NewLesson& lesson) = 0;
  // Adds `lesson` without the dedupe check (validated, redacted, stored and
  // indexed); `vector`, when not null, is its embedding by the Engine's
  // embedder (else it is embedded here).
  virtual Result<Lesson> InsertLesson(const NewLesson& lesson,
                                      const std::vector<float>* vector) = 0;
  // Engine::UpdateLesson: the previous version goes to history with `reason`.
  virtual Result<Lesson> UpdateLesson(const std::string& lesson_id, const LessonPatch& patch,
                                      const std::string& reason) = 0;
  // Engine::RunInLessonTransaction: `fn` may call the writes above in one
  // store transaction.
  virtual Status RunInLessonTransaction(const std::function<Status()>& fn) = 0;
};

}  // namespace engram
