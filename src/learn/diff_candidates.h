// Lesson candidates from a code diff (docs/LEARNING.md, "Gated candidates",
// rules diff.replaced_api and diff.fix_shape). Pure: no store, no engine.
//
//  - replaced_api: in one hunk, calls (callee chains such as `useEffect` or
//    `store.getState`) that appear on removed lines but not on added lines,
//    and calls that appear on added lines but not on removed lines, both
//    sides non-empty and at most max_apis_per_side each. Hunks with the same
//    replacement (same sorted sets) anywhere in the diff form one candidate.
//  - fix_shape: a removed line paired with the added line at the same
//    position (hunks with as many removed as added lines), reduced to the
//    tokens between their common prefix and suffix; a shape of at most
//    max_shape_tokens per side, without calls and not a plain identifier
//    rename, seen in at least min_shape_occurrences hunks.
// Confidence grows with recurrence: base + step * (occurrences - 1) for
// replaced_api and shape_base + step * (occurrences - min) for fix_shape,
// capped at max_confidence. Each candidate carries its first hunk as
// evidence, names the other hunks, and guesses language and framework from
// file extensions and identifiers (topic: framework, else language, else
// "code").
//
// Thread safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engram/candidates.h"
#include "learn/unified_diff.h"

namespace engram::learn {

struct DiffCandidateOptions {
  int max_apis_per_side = 4;  // larger call-set changes are refactors, not swaps
  double replace_base_confidence = 0.4;
  double shape_base_confidence = 0.45;  // at min_shape_occurrences
  double recurrence_step = 0.15;        // per extra hunk with the same change
  double max_confidence = 0.8;
  int min_shape_occurrences = 2;
  int max_shape_tokens = 3;
  int max_pairs_per_hunk = 20;  // fix_shape looks at hunks of at most this many line pairs
  std::size_t max_evidence_bytes = 4000;
  std::size_t max_candidates = 50;
};

// Call chains on one source line, in order of appearance, without string
// literal contents and keywords: "x = store.getState().a; f(1)" ->
// {"store.getState", "f"}. Comment lines (//, #, /*, *) give none.
std::vector<std::string> CallsOnLine(std::string_view line);

// "typescript" for "src/a.tsx", "" when the extension is unknown.
std::string LanguageForPath(std::string_view path);

// Candidates for `diff`, most recurrent first.
std::vector<CandidateProposal> DiffCandidates(const UnifiedDiff& diff,
                                              const DiffCandidateOptions& options = {});

}  // namespace engram::learn
