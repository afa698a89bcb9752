// LessonDecay: the explicit decay batch (`engram learn decay`,
// docs/LEARNING.md "Decay"). Writes each live lesson's decayed confidence
// (confidence * rate ^ months unused, src/learn/decay.h) as a new version
// whose history entry says why; and, for a framework major-version change,
// deprecates (or hard-decays) the lessons tagged with an older major of
// that framework ("react:18" when the new major is 19).
//
// Ownership: borrows the store, embedder, clock (and lesson writer) it is
// built on (Engine makes it), which must outlive it.
// Thread safety: as safe as the Store; each lesson is one transaction (a
// lesson updated concurrently is skipped and reported, never overwritten).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engram/lesson.h"
#include "engram/status.h"
#include "engram/store.h"
#include "engram/time.h"

namespace engram {

struct DecayRunOptions {
  bool dry_run = false;          // report only, write nothing
  double rate_per_month = 0.98;  // in (0, 1]
  // Smallest confidence drop worth a new version.
  double min_change = 0.001;
  // Framework major change: lessons tagged "<framework>:<N>" with N < major
  // are deprecated, or with hard_decay set their confidence is multiplied
  // by it (in [0, 1]). Empty framework: no framework step.
  std::string framework;
  int major = 0;
  std::optional<double> hard_decay;
};

struct DecayChange {
  std::string lesson_id;
  std::string title;
  std::string action;  // "decay", "deprecate", "hard_decay", "skipped"
  double before = 0;
  double after = 0;
  double months_unused = 0;
  std::string reason;
};

struct DecayReport {
  bool dry_run = false;
  int scanned = 0;
  std::vector<DecayChange> changes;
};
Json ToJson(const DecayReport& r);

class LessonDecay {
 public:
  LessonDecay(Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  // InvalidArgument for a rate outside (0, 1], hard_decay outside [0, 1], or
  // a framework without a positive major.
  Result<DecayReport> Run(const DecayRunOptions& options);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace engram
