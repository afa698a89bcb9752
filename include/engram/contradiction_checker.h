// ContradictionChecker: finds, lists and resolves contradictions between
// lessons (docs/LEARNING.md, "Contradictions"; the rule is
// src/learn/contradictions.h, the records live in the ContradictionStore).
//
//  - Check(lesson): compares one lesson with the live lessons of its topic
//    (a project lesson only with global ones and its own project's) and
//    records each new contradiction. Run after every add and update.
//  - Scan(): the same over every live lesson, topic by topic.
//  - Resolve(id, keep): the other lesson is deprecated with superseded_by =
//    keep and a history entry naming the contradiction; the contradiction
//    is closed as resolved with winner = keep. Nothing is deleted.
//  - Dismiss(id): closes it as not a real contradiction; both lessons stay.
//
// Ownership: borrows the store, embedder, clock (and lesson writer) it is
// built on (Engine makes it), which must outlive it.
// Thread safety: as safe as the Store; a pair is recorded once whatever
// the interleaving (UNIQUE pair).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engram/contradictions.h"
#include "engram/embedder.h"
#include "engram/status.h"
#include "engram/store.h"
#include "engram/time.h"

namespace engram {

struct ContradictionResolution {
  Contradiction contradiction;  // closed
  Lesson kept;
  Lesson superseded;  // deprecated, superseded_by = kept.id
};
Json ToJson(const ContradictionResolution& r);

class ContradictionChecker {
 public:
  // Reads and records through `store`; with `embedder` (may be null) the
  // stored embeddings' cosine joins the rule.
  ContradictionChecker(Store& store, const Embedder* embedder, const Clock& clock)
      : store_(store), embedder_(embedder), clock_(clock) {}

  // Newly recorded contradictions of `lesson` (already recorded pairs are
  // not repeated). FailedPrecondition if the store keeps none.
  Result<std::vector<Contradiction>> Check(const Lesson& lesson);
  // Newly recorded contradictions among all live lessons.
  Result<std::vector<Contradiction>> Scan();
  // With `project`: only contradictions between global lessons and that
  // project's (ContradictionStore::ListContradictions); unset: all.
  Result<std::vector<Contradiction>> List(std::optional<ContradictionStatus> status, int limit,
                                          const std::optional<std::string>& project = {});
  Result<ContradictionResolution> Resolve(const std::string& contradiction_id,
                                          const std::string& keep_lesson_id);
  Result<Contradiction> Dismiss(const std::string& contradiction_id);

 private:
  Result<ContradictionStore*> contradiction_store();
  std::optional<double> Cosine(const Lesson& a, const Lesson& b);

  Store& store_;
  const Embedder* embedder_;
  const Clock& clock_;
};

}  // namespace engram
