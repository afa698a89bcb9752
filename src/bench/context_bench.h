// `engram-bench context`: does retrieve_context tell an agent the fix that
// worked on similar tasks? (bench/README.md, "context").
//
// Synthetic, deterministic data: `families` task families, each with its
// own subject (login, checkout, ...), error, planted fix ("mock the
// checkout clock") and decoy fix ("raise the checkout timeout", which
// never helps). Per family `successes` episodes fail the test, sometimes
// try the decoy (and fail again), apply the planted fix and pass, and
// `failures` episodes try the decoy and give up; all debugging, typescript,
// domain = the subject. Heuristics are learned once (PatternLearning).
// Then one new task per family ("<subject> tests fail intermittently")
// asks retrieve_context (BM25 only, no embedder) and the answer is scored:
//  - fix_told: some returned episode's what_worked.recovery[].fix names
//    the planted fix;
//  - first_fix_right: the first recovery of the answer (summary order)
//    is its family's planted fix;
//  - fix_in_summary: the summary names the planted fix;
//  - decoy_as_fix: a decoy of any family appears in a fix list (want 0);
//  - decoy_warned: the family's decoy appears in a did_not_help warning;
//  - heuristic_told: a listed heuristic's action holds the normalised fix;
//  - reflection_told (the baseline before what_worked): some returned
//    episode's reflection text names the planted fix.
//
// Ownership: files go under options.work. Thread safety: one run at a time
// per work directory.
#pragma once

#include <cstdint>
#include <string>

#include "engram/json.h"
#include "engram/status.h"

namespace engram::bench {

struct ContextBenchOptions {
  int families = 20;         // 1..26
  int successes = 5;         // episodes per family that apply the fix
  int failures = 3;          // episodes per family that try the decoy and give up
  double decoy_share = 0.4;  // share of successful episodes that try the decoy first
  std::uint32_t seed = 19;
  std::string work;  // required: the scratch store goes here
};

struct ContextBenchReport {
  int queries = 0;
  int episodes = 0;
  int heuristics_learned = 0;
  double fix_told = 0, first_fix_right = 0, fix_in_summary = 0, decoy_as_fix = 0, decoy_warned = 0,
         heuristic_told = 0, reflection_told = 0;
  double mean_summary_bytes = 0;
  double seconds = 0;
};
Json ToJson(const ContextBenchReport& r);
std::string FormatReport(const ContextBenchReport& r);

Result<ContextBenchReport> RunContextBench(const ContextBenchOptions& options);

}  // namespace engram::bench
