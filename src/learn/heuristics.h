// Heuristic learning (docs/LEARNING.md, "Patterns and heuristics"): learns
// condition -> action rules by contrasting successful and failed episodes
// of a similar context. Pure: no store, no engine.
//
// For every condition (a non-empty subset of the context fields task_type,
// language, framework, domain, with the values episodes have) whose group
// holds at least min_group episodes, and every feature f (a step signature,
// or "retry unchanged: <signature>" when a failed step was re-run with no
// step between) seen in the group:
//   with = group episodes that have f, without = the others
//   lift = success_rate(with) - success_rate(without)
//   lift >= min_lift   -> "do: f",    confidence = Wilson(successes(with), |with|)
//   lift <= -min_lift  -> "avoid: f", confidence = Wilson(failures(with), |with|)
// provided |with| >= min_support and |without| >= 1 (a contrast exists).
// The same (do/avoid, f) found under several conditions is kept once: the
// highest confidence, then the larger |lift|, then the fewer condition
// fields, then the smaller condition JSON.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "engram/episode.h"
#include "engram/patterns.h"
#include "learn/confidence.h"

namespace engram::learn {

// What the contrast needs of one completed episode.
struct EpisodeFeatures {
  std::string episode_id;
  Json context = Json::object();      // ContextJson(episode)
  bool success = false;               // outcome kind == success
  std::vector<std::string> features;  // distinct, sorted
};

// Features of a completed episode (see above).
EpisodeFeatures ExtractFeatures(const Episode& episode);

struct HeuristicOptions {
  int min_group = 5;          // episodes a condition's group needs
  int min_support = 3;        // episodes that must have the feature
  double min_lift = 0.3;      // |success rate with - without| needed
  int max_heuristics = 100;   // best kept, by confidence
  int max_evidence_ids = 20;  // episode ids listed per side in evidence
  WilsonOptions wilson;
};

// Learned heuristics, best first (confidence desc, then id). `now` becomes
// their updated_at.
std::vector<Heuristic> LearnHeuristics(const std::vector<EpisodeFeatures>& episodes,
                                       const HeuristicOptions& options, Timestamp now);

}  // namespace engram::learn
