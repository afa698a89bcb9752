// PatternLearning: the Engine-level service over mined patterns and learned
// heuristics (docs/LEARNING.md, "Patterns and heuristics"): ranks patterns
// by effectiveness, learns heuristics from the stored episodes, and records
// applied-pattern feedback (helped / no_effect / hindered).
//
// RecordEpisodePatterns is the hook Engine::CompleteEpisode calls (inside
// the completion's transaction) to mine and store a completed episode's
// patterns.
//
// Ownership: borrows the store, embedder, clock (and lesson writer) it is
// built on (Engine makes it), which must outlive it. Thread safety: as
// safe as the Store (no state of its own).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engram/feedback.h"
#include "engram/patterns.h"
#include "engram/store.h"
#include "engram/time.h"

namespace engram {

// Mines `episode` (completed) and links it to its patterns. OK and a no-op
// when the store keeps no patterns.
Status RecordEpisodePatterns(Store& store, const Episode& episode, Timestamp now);

struct EffectivenessOptions {
  // effectiveness = (1 - w) * base + w * feedback_score,
  // w = n / (n + feedback_weight_k), n = feedback events counted.
  double feedback_weight_k = 5.0;
};

// Feedback score: Beta posterior mean (prior 1, 1) of
//   positive = helped + accepted + tests_passed + 0.5 * no_effect
//   out of n = positive-or-neutral + hindered + rejected + harmful events.
// Blended with `base` as above; always in [0, 1].
double Effectiveness(double base, const FeedbackCounts& counts,
                     const EffectivenessOptions& options = {});

struct PatternAnalysisRequest {
  std::optional<PatternKind> kind;
  std::string task_type, language, framework, domain;  // "" = any
  std::int64_t min_support = 2;
  int limit = 10;                // patterns and heuristics returned, each
  bool learn_heuristics = true;  // re-run heuristic learning first
  // Patterns whose success_rate (successes / support) is below this are
  // left out, before `limit`; 0..1, 0 = keep all. Heuristics are not
  // filtered by it (their own measure is `confidence`).
  double min_success_rate = 0;
  // Set: patterns counted over, and heuristics learned from, only episodes
  // without a project or of this project (the heuristics are learned for
  // the answer and not stored, whatever learn_heuristics says). Unset:
  // every episode, and the stored heuristics.
  std::optional<std::string> project;
};

// A pattern's evidence against all completed episodes (newest 10000;
// docs/LEARNING.md, "Evidence"): lift = its success rate minus the success
// rate of the episodes without it; p_value = Fisher's exact test,
// one-sided (episodes with it succeed more often).
struct PatternStats {
  double lift = 0;
  double p_value = 1;
};
// ToJson(p) with "lift" and "p_value" added.
Json ToJson(const Pattern& p, const PatternStats& stats);

struct PatternAnalysis {
  std::vector<Pattern> patterns;            // by effectiveness desc
  std::vector<PatternStats> pattern_stats;  // of each pattern, same order
  std::vector<Heuristic> heuristics;        // matching the context, by effectiveness desc
  int episodes_analyzed = 0;                // when heuristics were re-learned
  bool heuristics_learned = false;
};
Json ToJson(const PatternAnalysis& a);

struct PatternFeedbackRequest {
  FeedbackTarget target = FeedbackTarget::kPattern;  // pattern or heuristic
  std::string target_id;
  FeedbackSignal signal = FeedbackSignal::kHelped;  // helped, no_effect, hindered
  std::string episode_id;
  std::string actor;
  std::string note;
};

struct PatternFeedbackResult {
  FeedbackEvent event;
  double before = 0, after = 0;  // effectiveness
  FeedbackCounts counts;
};
Json ToJson(const PatternFeedbackResult& r);

class PatternLearning {
 public:
  PatternLearning(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Patterns with success_rate, wilson_lower, feedback and effectiveness
  // filled, ranked by effectiveness (then support, then id). The store
  // pages by support first: up to filter.limit patterns are ranked.
  Result<std::vector<Pattern>> ListPatterns(const PatternFilter& filter);
  // With `project`: as seen from it (PatternFilter::project).
  Result<Pattern> GetPattern(const std::string& pattern_id,
                             const std::optional<std::string>& project = {});
  // The pattern's evidence (PatternStats), and its JSON with it.
  Result<PatternStats> Stats(const Pattern& p);
  Result<Json> Explain(const Pattern& p);
  Result<std::vector<std::string>> PatternEpisodes(const std::string& pattern_id, int limit,
                                                   const std::optional<std::string>& project = {});

  // Learns heuristics from every completed episode (newest 10000) and
  // replaces the stored set. Returns the number of episodes used.
  Result<int> LearnHeuristics();
  // Unset `project`: the stored heuristics. Set: heuristics learned now from
  // the completed episodes without a project or of that project only (not
  // stored), so none cites another project's actions or episode ids.
  Result<std::vector<Heuristic>> ListHeuristics(int limit,
                                                const std::optional<std::string>& project = {});

  Result<PatternAnalysis> Analyze(const PatternAnalysisRequest& request);

  // Records applied-pattern feedback; NotFound for an unknown target,
  // InvalidArgument for a lesson target or a review signal.
  Result<PatternFeedbackResult> RecordFeedback(const PatternFeedbackRequest& request);

 private:
  Result<PatternStore*> Patterns();
  Status Fill(Pattern& p);
  Status Fill(Heuristic& h);
  // Heuristics learned from the completed episodes `filter` lists (newest
  // 10000); `episodes` receives how many were used.
  Result<std::vector<Heuristic>> Learn(EpisodeFilter filter, int& episodes);
  // Completed episodes and, of them, successes (newest 10000), counted once
  // per PatternLearning: the baseline of a pattern's Fisher test.
  Result<std::pair<std::int64_t, std::int64_t>> Totals();

  Store& store_;
  const Clock& clock_;
  std::optional<std::pair<std::int64_t, std::int64_t>> totals_;
};

}  // namespace engram
