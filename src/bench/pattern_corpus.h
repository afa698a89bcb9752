// Synthetic coding episodes with planted patterns, for `engram-bench
// patterns` (pattern_bench.h, bench/README.md). Seeded and deterministic
// (its own integer draws, not the standard distributions, so a seed gives
// the same episodes everywhere).
//
// Each episode has a context (language + framework, a task type), a
// problem that makes its first check fail, and a strategy:
//  - the planted good fix for its problem (raises success to good_rate);
//  - a planted anti-pattern: skipping the test, swallowing the error, or
//    re-running the check unchanged (lowers success to bad_rate);
//  - the good fix of the other problem of its language (neutral_rate);
//  - neutral attempts (logging, renames, reading docs; neutral_rate).
// Every action is written in one of several paraphrases, with varying
// object names, files and tools of the same family (editor / edit /
// apply_patch / str_replace; bash / shell / terminal), and the check in
// several command forms. Noise: reading steps (git status, cat, grep) at
// random places, commits after success (and sometimes after failure),
// failures whose last check passed (rejected in review), and outcomes
// flipped with probability flip_rate.
//
// Ownership: plain values. Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engram/episode.h"

namespace engram::bench {

struct PatternCorpusOptions {
  std::uint64_t seed = 1;
  int episodes = 600;
  double good_rate = 0.85;     // success with the right planted fix
  double bad_rate = 0.15;      // success with a planted anti-pattern
  double neutral_rate = 0.40;  // success otherwise
  double flip_rate = 0.05;     // outcomes flipped at random
};

// A planted pattern: a fix that raises success ("do") or an anti-pattern
// that lowers it ("avoid").
struct PlantedItem {
  std::string name;      // e.g. "await-promise"
  bool positive = true;  // do (true) or avoid (false)
  std::string language;  // the context it is planted in ("" = every language)
};

struct SyntheticEpisode {
  Episode episode;
  std::vector<int> applied;    // indexes into PlantedItems() applied in the episode
  std::vector<int> recovered;  // of them, good fixes after which the check passed
};

const std::vector<PlantedItem>& PlantedItems();

std::vector<SyntheticEpisode> GenerateEpisodes(const PatternCorpusOptions& options);

}  // namespace engram::bench
