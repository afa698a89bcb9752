// Near-duplicate detection between two lessons (docs/LEARNING.md, "Dedupe
// at write time"). Pure: the caller supplies the embedding cosine when both
// lessons have an embedding of the same model.
//
// Two lessons are duplicates when
//   - they have the same scope and, for project lessons, the same project
//     (never across scope or project: a merge would move one project's
//     text where another project reads it), and
//   - their topics are equal (case-insensitive), and
//   - their stances are not opposite (that is a contradiction, not a
//     duplicate; learn/contradictions.h), and
//   - overlap >= min_overlap, or
//     cosine >= min_cosine and overlap >= min_overlap_with_cosine,
// where overlap is the Jaccard similarity of ContentTokens(title + content)
// (learn/lesson_text.h). score = overlap, or max(overlap, cosine) with an
// embedding, ranks several matches.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "engram/lesson.h"

namespace engram::learn {

struct DedupeOptions {
  double min_overlap = 0.55;              // token Jaccard alone
  double min_cosine = 0.85;               // embedding cosine ...
  double min_overlap_with_cosine = 0.30;  // ... together with this much token overlap
};

struct DuplicateCheck {
  bool duplicate = false;
  double overlap = 0;
  std::optional<double> cosine;
  double score = 0;
  std::string reason;  // why it is (or is not) a duplicate
};

DuplicateCheck CheckDuplicate(const Lesson& a, const Lesson& b, std::optional<double> cosine,
                              const DedupeOptions& options = {});

// Text compared by CheckDuplicate: title and content.
std::string DedupeText(const Lesson& l);

}  // namespace engram::learn
