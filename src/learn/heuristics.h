// Heuristic learning (docs/LEARNING.md, "Patterns and heuristics"): learns
// condition -> action rules by contrasting successful and failed episodes
// of a similar context. Pure: no store, no engine.
//
// For every condition (a subset of at most max_condition_fields of the
// context fields task_type, language, framework, domain, with the values
// episodes have) whose group holds at least min_group episodes, and every
// feature f (a step signature, or "retry unchanged: <signature>" when a
// failed step was re-run with no step between) seen in the group:
//   with = group episodes that have f, without = the others
//   lift = success_rate(with) - success_rate(without)
// tested when |with| >= min_support and |without| >= 1, with Fisher's exact
// test, one-sided in the direction of the lift (significance.h):
//   lift > 0 -> "do: f",    p = P(A >= a), confidence = Wilson(successes(with), |with|)
//   lift < 0 -> "avoid: f", p = P(A <= a), confidence = Wilson(failures(with), |with|)
// Each contrast is two hypotheses (do and avoid: the direction is read off
// the data). Tarone's screening (TaroneThreshold) drops the hypotheses whose
// smallest attainable p-value cannot reach significance (small or lopsided
// groups); Benjamini-Hochberg adjusts the p-values over the m hypotheses
// kept; a rule is kept when q <= alpha and |lift| >= min_lift. The same (do/avoid, f)
// found under overlapping conditions (conditions that can hold together:
// no field with different values) is kept once: the smallest q, then the
// highest confidence, then the fewer condition fields, then the smaller
// condition JSON. Under disjoint conditions ("language=go",
// "language=python") each is kept.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "engram/episode.h"
#include "engram/patterns.h"
#include "learn/action_normalizer.h"
#include "learn/confidence.h"

namespace engram::learn {

// What the contrast needs of one completed episode.
struct EpisodeFeatures {
  std::string episode_id;
  Json context = Json::object();      // ContextJson(episode)
  bool success = false;               // outcome kind == success
  std::vector<std::string> features;  // distinct, sorted
};

// Features of a completed episode (see above). Steps after the episode's
// last check step (IsCheckStep) are left out when it has one: they follow
// the verdict (a commit after the tests passed) and cannot have caused it.
EpisodeFeatures ExtractFeatures(const Episode& episode, const NormalizeOptions& normalize = {});

// True when every field of `condition` has the same value in `context`.
bool ConditionMatches(const Json& condition, const Json& context);

struct HeuristicOptions {
  int min_group = 8;             // episodes a condition's group needs
  int min_support = 4;           // episodes that must have the feature
  double min_lift = 0.2;         // |success rate with - without| needed
  double alpha = 0.05;           // false discovery rate (Benjamini-Hochberg q <= alpha)
  int max_condition_fields = 2;  // context fields a condition combines
  int max_heuristics = 100;      // best kept, by confidence
  int max_evidence_ids = 20;     // episode ids listed per side in evidence
  WilsonOptions wilson;
};

// Learned heuristics, best first (confidence desc, then id). `now` becomes
// their updated_at.
std::vector<Heuristic> LearnHeuristics(const std::vector<EpisodeFeatures>& episodes,
                                       const HeuristicOptions& options, Timestamp now);

}  // namespace engram::learn
