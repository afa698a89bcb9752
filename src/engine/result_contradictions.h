// Contradicting results of one search (docs/RETRIEVAL.md, "Contradicting
// results"). Two lessons returned together contradict when the store has a
// recorded contradiction between them (ContradictionStore) or when the
// contradiction rule finds one (learn/contradictions.h: same topic, same
// subject, opposite stances or framework majors; without a cosine, so the
// words decide). A recorded pair that was dismissed is never flagged.
//
// Each lesson of such a pair gets the other's id in `contradicts` and a
// `warning`. Of the two, the less trusted one is demoted: its score is
// multiplied by `demotion` (explanation.contradiction_factor) and, if it was
// ranked above the other, it is moved to just below it; the other results
// keep their order. Trust, in this order:
//   1. the winner of a resolved contradiction;
//   2. higher confidence;
//   3. more positive feedback (helped + accepted + tests_passed);
//   4. the more recently updated;
//   5. the smaller id (so the order is always defined).
//
// Thread safety: a function over its arguments; reads the store.
#pragma once

#include <vector>

#include "engram/search.h"
#include "engram/store.h"
#include "learn/contradictions.h"

namespace engram {

struct ResultContradictionOptions {
  double demotion = 0.5;  // score factor of the less trusted lesson, in (0, 1]
  learn::ContradictionOptions rule;
};

// Flags and demotes contradicting lessons among `results` (best first) in
// place. Reads the recorded contradictions among them (one query) and, for
// flagged lessons only, their feedback counts.
Status FlagResultContradictions(Store& store, std::vector<LessonResult>& results,
                                const ResultContradictionOptions& options = {});

}  // namespace engram
