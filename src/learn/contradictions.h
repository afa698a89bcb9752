// Contradiction detection between two lessons without an LLM
// (docs/LEARNING.md, "Contradictions"). Pure.
//
// Two live lessons contradict when
//   - their topics are equal (case-insensitive), and
//   - their subjects are similar: subject overlap s >= min_subject_overlap,
//     or cosine >= min_cosine and s >= min_subject_overlap_with_cosine,
//     where s = max(Jaccard of the titles' SubjectTokens, Jaccard of
//     title + content SubjectTokens) (learn/lesson_text.h: the words left
//     once stance cues like use/avoid/never are removed), and
//   - either their stances are opposite (best_practice vs anti_pattern;
//     prefer/always/use vs avoid/never/don't), or they carry version tags of
//     the same framework with different majors (react:17 vs react:18).
// The finding's reason names which, and the shared subject words.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "engram/lesson.h"

namespace engram::learn {

struct ContradictionOptions {
  double min_subject_overlap = 0.30;
  double min_cosine = 0.80;
  double min_subject_overlap_with_cosine = 0.15;
};

struct ContradictionFinding {
  double score = 0;  // subject similarity (max of overlap and cosine)
  std::string reason;
};

std::optional<ContradictionFinding> DetectContradiction(const Lesson& a, const Lesson& b,
                                                        std::optional<double> cosine,
                                                        const ContradictionOptions& options = {});

}  // namespace engram::learn
