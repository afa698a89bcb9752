// Lesson candidates from a completed episode and its reflection
// (docs/LEARNING.md, "Gated candidates", rules episode.*). Pure: the caller
// (CandidateQueue) supplies how many earlier episodes failed the same way.
//
//  - episode.recovery_gotcha: the episode succeeded (success or partial)
//    and a tool's error was followed by a success of the same tool (a
//    Recovery of AnalyzeSteps, the reflection's "Recovered from error in
//    ..." line). The gotcha names the failing action, its error, the steps
//    between (what fixed it) and the step that then succeeded. At most
//    max_gotchas per episode; confidence gotcha_confidence, plus
//    tests_passed_bonus when the last test run passed.
//  - episode.repeated_failure: the episode failed (outcome failure) with a
//    failure signature (FailureSignature) that at least
//    min_earlier_failures earlier failed episodes share. Confidence
//    anti_pattern_confidence + anti_pattern_step * (earlier - min), capped
//    at max_confidence.
// Keys (and so fingerprints) are the rule, the tool and the error
// signature: the same gotcha or failure seen again is the same candidate.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engram/candidates.h"
#include "engram/episode.h"

namespace engram::learn {

struct EpisodeCandidateOptions {
  int max_gotchas = 2;
  double gotcha_confidence = 0.5;
  double tests_passed_bonus = 0.1;
  int min_earlier_failures = 2;  // this failure is then at least the third alike
  double anti_pattern_confidence = 0.4;
  double anti_pattern_step = 0.1;  // per earlier failure beyond the minimum
  double max_confidence = 0.8;
};

// An error message reduced to what repeats: its first non-empty line,
// lower-cased, runs of digits as '#', whitespace collapsed, words that look
// like paths or file names (a slash, or name.ext) as "<path>", at most 120
// bytes. "Timeout after 5300 ms in login.spec.ts:42" -> "timeout after # ms
// in <path>".
std::string ErrorSignature(std::string_view error);

// How a failed episode failed: "<tool>: <signature>" of its last failed
// step's error (its action when the error is empty), else the signature of
// the failure reason; "" unless the outcome is a failure.
std::string FailureSignature(const Episode& episode);

// Earlier failed episodes with the same FailureSignature (not this one).
struct EpisodeHistory {
  std::vector<std::string> same_failure_ids;
};

// REQUIRES: `episode` is completed (outcome and reflection set).
std::vector<CandidateProposal> EpisodeCandidates(const Episode& episode,
                                                 const EpisodeHistory& history,
                                                 const EpisodeCandidateOptions& options = {});

}  // namespace engram::learn
