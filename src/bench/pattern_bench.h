// `engram-bench patterns` (bench/README.md): precision and recall of mined
// error-recovery patterns and learned heuristics on synthetic episodes
// with planted patterns (pattern_corpus.h), for the current rules and the
// previous ones side by side.
//
// Scoring. Heuristics: a learned rule is correct when its polarity matches
// a planted item's and at least `purity` of the episodes of its condition
// that have its feature applied that item; a planted item is recalled when
// a correct rule covers at least `coverage` of the episodes of the rule's
// condition that applied it (so a fix split over several spellings is not
// recalled; `found` counts items matched by some correct rule, split or
// not). Patterns: the error_recovery patterns reported as worth
// applying (see PatternRule) are scored the same way against the episodes
// where a planted good fix was followed by a passing check.
//
// Ownership: plain values. Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "bench/pattern_corpus.h"
#include "engram/json.h"
#include "learn/action_normalizer.h"
#include "learn/heuristics.h"

namespace engram::bench {

// Which error_recovery patterns count as reported.
struct PatternRule {
  int min_support = 4;
  // > 0: Fisher's exact test (one-sided, greater) against all episodes,
  // Benjamini-Hochberg q <= alpha over the patterns with min_support.
  // 0: every pattern with min_support (the previous listing).
  double alpha = 0.05;
  // Every fix step also has a significant "do:" heuristic. A recovery
  // pattern is tied to success by construction (its retry passed), so its
  // own test cannot tell a fix from a step that happened to precede a
  // passing retry; the heuristic's contrast can.
  bool fix_needs_rule = true;
};

struct BenchConfig {
  std::string name;
  learn::NormalizeOptions normalize;
  learn::HeuristicOptions heuristics;
  PatternRule patterns;
};

// "current" (by meaning, Fisher + BH; patterns significant with an
// evidenced fix) and "previous" (first 4 tokens, lift only: alpha 1,
// min_support 3, min_group 5, lift 0.3, 4 condition fields; every pattern
// with support >= 2), plus "meaning+lift" (the new normaliser with the
// previous rules).
std::vector<BenchConfig> DefaultConfigs();

struct Score {
  int reported = 0;
  int correct = 0;
  int planted = 0;
  int recalled = 0;  // items one correct rule covers (coverage)
  int found = 0;     // items some correct rule matches (purity only)
  double precision() const { return reported == 0 ? 0.0 : static_cast<double>(correct) / reported; }
  double recall() const { return planted == 0 ? 0.0 : static_cast<double>(recalled) / planted; }
  double recall_any() const { return planted == 0 ? 0.0 : static_cast<double>(found) / planted; }
};

struct ConfigResult {
  std::string name;
  Score heuristics;
  Score patterns;
  std::vector<std::string> false_heuristics;  // actions of wrong rules (first 10)
  std::vector<std::string> missed;            // planted items not recalled (heuristics)
  // Per planted item: the largest share of its episodes one correct rule
  // (pattern) covers.
  std::vector<double> heuristic_coverage, pattern_coverage;
};

struct PatternBenchOptions {
  PatternCorpusOptions corpus;
  double purity = 0.8;
  double coverage = 0.8;
};

struct PatternBenchReport {
  PatternBenchOptions options;
  int episodes = 0;
  int successes = 0;
  std::vector<ConfigResult> results;
};

PatternBenchReport RunPatternBench(const PatternBenchOptions& options,
                                   const std::vector<BenchConfig>& configs = DefaultConfigs());

Json ToJson(const PatternBenchReport& report);
std::string FormatReport(const PatternBenchReport& report);

}  // namespace engram::bench
