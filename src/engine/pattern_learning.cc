// PatternLearning (pattern_learning.h): ranking, heuristic learning and
// applied-pattern feedback over the PatternStore.
#include "engram/pattern_learning.h"

#include <algorithm>
#include <utility>

#include "engine/internal.h"
#include "engram/ids.h"
#include "learn/confidence.h"
#include "learn/heuristics.h"
#include "learn/pattern_mining.h"
#include "learn/significance.h"

namespace engram {
namespace {

constexpr int kMaxEpisodes = 10000;

bool ContextMatches(const Json& condition, const PatternAnalysisRequest& r) {
  const std::pair<const char*, const std::string*> fields[] = {{"task_type", &r.task_type},
                                                               {"language", &r.language},
                                                               {"framework", &r.framework},
                                                               {"domain", &r.domain}};
  for (const auto& [key, want] : fields) {
    if (!condition.contains(key)) continue;
    // A condition field the caller did not give cannot be checked: keep it.
    if (!want->empty() && condition[key] != *want) return false;
  }
  return true;
}

}  // namespace

Status RecordEpisodePatterns(Store& store, const Episode& episode, Timestamp now) {
  PatternStore* patterns = store.patterns();
  if (patterns == nullptr || !episode.completed()) return Status::Ok();
  const bool success = OutcomeKind(*episode.outcome) == "success";
  return patterns->RecordEpisodePatterns(episode.id, success, learn::MinePatterns(episode), now);
}

double Effectiveness(double base, const FeedbackCounts& c, const EffectivenessOptions& options) {
  const double positive = static_cast<double>(c.helped + c.accepted + c.tests_passed) +
                          0.5 * static_cast<double>(c.no_effect);
  const double n = static_cast<double>(c.total());
  const double score = learn::BetaPosteriorMean(positive, n);
  const double k = options.feedback_weight_k > 0 ? options.feedback_weight_k : 5.0;
  const double w = n / (n + k);
  return learn::Clamp01((1 - w) * learn::Clamp01(base) + w * score);
}

Json ToJson(const PatternAnalysis& a) {
  Json patterns = Json::array();
  for (std::size_t i = 0; i < a.patterns.size(); ++i) {
    patterns.push_back(i < a.pattern_stats.size() ? ToJson(a.patterns[i], a.pattern_stats[i])
                                                  : ToJson(a.patterns[i]));
  }
  Json heuristics = Json::array();
  for (const auto& h : a.heuristics) heuristics.push_back(ToJson(h));
  return Json{{"patterns", patterns},
              {"heuristics", heuristics},
              {"heuristics_learned", a.heuristics_learned},
              {"episodes_analyzed", a.episodes_analyzed}};
}

Json ToJson(const PatternFeedbackResult& r) {
  return Json{{"feedback", ToJson(r.event)},
              {"effectiveness_before", r.before},
              {"effectiveness_after", r.after},
              {"counts", Json{{"helped", r.counts.helped},
                              {"no_effect", r.counts.no_effect},
                              {"hindered", r.counts.hindered},
                              {"total", r.counts.total()}}}};
}

Result<PatternStore*> PatternLearning::Patterns() {
  PatternStore* p = store_.patterns();
  if (p == nullptr) return Status::Unavailable("this store keeps no patterns");
  return p;
}

Result<std::pair<std::int64_t, std::int64_t>> PatternLearning::Totals() {
  if (!totals_) {
    EpisodeFilter filter;
    filter.completed = true;
    filter.limit = kMaxEpisodes;
    ENGRAM_RETURN_IF_ERROR(engine_internal::ValidatePage(filter.limit, 0, "episode list"));
    ENGRAM_ASSIGN_OR_RETURN(std::vector<EpisodeSummary> all, store_.ListEpisodes(filter));
    std::int64_t successes = 0;
    for (const auto& e : all) successes += e.outcome_kind == "success" ? 1 : 0;
    totals_ = std::make_pair(static_cast<std::int64_t>(all.size()), successes);
  }
  return *totals_;
}

Status PatternLearning::Fill(Pattern& p) {
  p.success_rate = p.support > 0 ? static_cast<double>(p.successes) / p.support : 0.0;
  p.wilson_lower = learn::WilsonLowerBound(p.successes, p.support);

  if (FeedbackStore* fb = store_.feedback()) {
    ENGRAM_ASSIGN_OR_RETURN(p.feedback, fb->CountFeedback(FeedbackTarget::kPattern, p.id));
  }
  p.effectiveness = Effectiveness(p.wilson_lower, p.feedback);
  return Status::Ok();
}

Result<PatternStats> PatternLearning::Stats(const Pattern& p) {
  ENGRAM_ASSIGN_OR_RETURN(auto totals, Totals());
  const learn::PatternEvidence ev =
      learn::PatternSignificance(p.support, p.successes, totals.first, totals.second);
  return PatternStats{ev.lift, ev.p_value};
}

Result<Json> PatternLearning::Explain(const Pattern& p) {
  ENGRAM_ASSIGN_OR_RETURN(PatternStats stats, Stats(p));
  return ToJson(p, stats);
}

Json ToJson(const Pattern& p, const PatternStats& stats) {
  Json j = ToJson(p);
  j["lift"] = stats.lift;
  j["p_value"] = stats.p_value;
  return j;
}

Status PatternLearning::Fill(Heuristic& h) {
  if (FeedbackStore* fb = store_.feedback()) {
    ENGRAM_ASSIGN_OR_RETURN(h.feedback, fb->CountFeedback(FeedbackTarget::kHeuristic, h.id));
  }
  h.effectiveness = Effectiveness(h.confidence, h.feedback);
  return Status::Ok();
}

Result<std::vector<Pattern>> PatternLearning::ListPatterns(const PatternFilter& filter) {
  ENGRAM_ASSIGN_OR_RETURN(PatternStore * store, Patterns());
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Pattern> out, store->ListPatterns(filter));
  for (auto& p : out) ENGRAM_RETURN_IF_ERROR(Fill(p));
  std::stable_sort(out.begin(), out.end(), [](const Pattern& a, const Pattern& b) {
    if (a.effectiveness != b.effectiveness) return a.effectiveness > b.effectiveness;
    if (a.support != b.support) return a.support > b.support;
    return a.id < b.id;
  });
  return out;
}

Result<Pattern> PatternLearning::GetPattern(const std::string& pattern_id,
                                            const std::optional<std::string>& project) {
  ENGRAM_ASSIGN_OR_RETURN(PatternStore * store, Patterns());
  ENGRAM_ASSIGN_OR_RETURN(Pattern p, store->GetPattern(pattern_id, project));
  ENGRAM_RETURN_IF_ERROR(Fill(p));
  return p;
}

Result<std::vector<std::string>> PatternLearning::PatternEpisodes(
    const std::string& pattern_id, int limit, const std::optional<std::string>& project) {
  ENGRAM_ASSIGN_OR_RETURN(PatternStore * store, Patterns());
  return store->PatternEpisodes(pattern_id, limit, project);
}

Result<int> PatternLearning::LearnHeuristics() {
  ENGRAM_ASSIGN_OR_RETURN(PatternStore * store, Patterns());
  int episodes = 0;
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Heuristic> learned, Learn(EpisodeFilter{}, episodes));
  ENGRAM_RETURN_IF_ERROR(store->ReplaceHeuristics(learned));
  return episodes;
}

Result<std::vector<Heuristic>> PatternLearning::Learn(EpisodeFilter filter, int& episodes) {
  filter.completed = true;
  filter.limit = kMaxEpisodes;
  ENGRAM_RETURN_IF_ERROR(
      engine_internal::ValidatePage(filter.limit, filter.offset, "episode list"));
  ENGRAM_ASSIGN_OR_RETURN(std::vector<EpisodeSummary> summaries, store_.ListEpisodes(filter));
  std::vector<learn::EpisodeFeatures> features;
  features.reserve(summaries.size());
  for (const auto& s : summaries) {
    Result<Episode> e = store_.GetEpisode(s.id);
    if (e.status().IsNotFound()) continue;  // deleted meanwhile
    ENGRAM_RETURN_IF_ERROR(e.status());
    features.push_back(learn::ExtractFeatures(*e));
  }
  episodes = static_cast<int>(features.size());
  return learn::LearnHeuristics(features, {}, clock_.NowMs());
}

Result<std::vector<Heuristic>> PatternLearning::ListHeuristics(
    int limit, const std::optional<std::string>& project) {
  ENGRAM_ASSIGN_OR_RETURN(PatternStore * store, Patterns());
  std::vector<Heuristic> out;
  if (project) {
    if (limit < 1 || limit > kMaxEpisodes) {
      return Status::InvalidArgument("heuristic limit must be in 1..10000");
    }
    EpisodeFilter visible;
    visible.visible_to = *project;
    int episodes = 0;
    ENGRAM_ASSIGN_OR_RETURN(out, Learn(visible, episodes));
    // The store's order: confidence desc, then id.
    std::stable_sort(out.begin(), out.end(), [](const Heuristic& a, const Heuristic& b) {
      return a.confidence != b.confidence ? a.confidence > b.confidence : a.id < b.id;
    });
    if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
  } else {
    ENGRAM_ASSIGN_OR_RETURN(out, store->ListHeuristics(limit));
  }
  for (auto& h : out) ENGRAM_RETURN_IF_ERROR(Fill(h));
  return out;
}

Result<PatternAnalysis> PatternLearning::Analyze(const PatternAnalysisRequest& r) {
  if (r.limit < 1 || r.limit > 1000) {
    return Status::InvalidArgument("analyze limit must be in 1..1000, got " +
                                   std::to_string(r.limit));
  }
  if (r.min_support < 1) return Status::InvalidArgument("min_support must be >= 1");
  if (!(r.min_success_rate >= 0 && r.min_success_rate <= 1)) {
    return Status::InvalidArgument("min_success_rate must be in 0..1, got " +
                                   std::to_string(r.min_success_rate));
  }
  PatternAnalysis out;
  std::vector<Heuristic> all;
  if (r.project) {  // learned for this answer from the visible episodes only; nothing stored
    EpisodeFilter visible;
    visible.visible_to = *r.project;
    ENGRAM_ASSIGN_OR_RETURN(all, Learn(visible, out.episodes_analyzed));
    for (auto& h : all) ENGRAM_RETURN_IF_ERROR(Fill(h));
    out.heuristics_learned = true;
  } else if (r.learn_heuristics) {
    ENGRAM_ASSIGN_OR_RETURN(out.episodes_analyzed, LearnHeuristics());
    out.heuristics_learned = true;
  }
  PatternFilter filter;
  filter.kind = r.kind;
  filter.min_support = r.min_support;
  filter.task_type = r.task_type;
  filter.language = r.language;
  filter.framework = r.framework;
  filter.domain = r.domain;
  filter.project = r.project;
  filter.limit = 10000;
  ENGRAM_ASSIGN_OR_RETURN(out.patterns, ListPatterns(filter));
  std::erase_if(out.patterns,
                [&](const Pattern& p) { return p.success_rate < r.min_success_rate; });
  if (out.patterns.size() > static_cast<std::size_t>(r.limit)) {
    out.patterns.resize(static_cast<std::size_t>(r.limit));
  }
  for (const auto& p : out.patterns) {
    ENGRAM_ASSIGN_OR_RETURN(PatternStats stats, Stats(p));
    out.pattern_stats.push_back(stats);
  }
  if (!r.project) {
    ENGRAM_ASSIGN_OR_RETURN(all, ListHeuristics(10000));
  }
  for (auto& h : all) {
    if (h.sample_size >= r.min_support && ContextMatches(h.condition, r)) {
      out.heuristics.push_back(std::move(h));
    }
  }
  std::stable_sort(out.heuristics.begin(), out.heuristics.end(),
                   [](const Heuristic& a, const Heuristic& b) {
                     if (a.effectiveness != b.effectiveness)
                       return a.effectiveness > b.effectiveness;
                     return a.id < b.id;
                   });
  if (out.heuristics.size() > static_cast<std::size_t>(r.limit)) {
    out.heuristics.resize(static_cast<std::size_t>(r.limit));
  }
  return out;
}

Result<PatternFeedbackResult> PatternLearning::RecordFeedback(const PatternFeedbackRequest& r) {
  if (r.target == FeedbackTarget::kLesson) {
    return Status::InvalidArgument(
        "pattern feedback targets a pattern or a heuristic, not a lesson");
  }
  if (r.signal != FeedbackSignal::kHelped && r.signal != FeedbackSignal::kNoEffect &&
      r.signal != FeedbackSignal::kHindered) {
    return Status::InvalidArgument("pattern feedback signal must be helped, no_effect or hindered");
  }
  FeedbackStore* fb = store_.feedback();
  if (fb == nullptr) return Status::Unavailable("this store keeps no feedback");
  if (!r.episode_id.empty()) ENGRAM_RETURN_IF_ERROR(store_.GetEpisode(r.episode_id).status());
  PatternFeedbackResult out;
  if (r.target == FeedbackTarget::kPattern) {
    ENGRAM_ASSIGN_OR_RETURN(Pattern p, GetPattern(r.target_id));
    out.before = p.effectiveness;
  } else {
    ENGRAM_ASSIGN_OR_RETURN(PatternStore * store, Patterns());
    ENGRAM_ASSIGN_OR_RETURN(Heuristic h, store->GetHeuristic(r.target_id));
    ENGRAM_RETURN_IF_ERROR(Fill(h));
    out.before = h.effectiveness;
  }
  ENGRAM_ASSIGN_OR_RETURN(FeedbackCounts counts, fb->CountFeedback(r.target, r.target_id));
  switch (r.signal) {
    case FeedbackSignal::kHelped:
      ++counts.helped;
      break;
    case FeedbackSignal::kNoEffect:
      ++counts.no_effect;
      break;
    default:
      ++counts.hindered;
      break;
  }
  // The base (Wilson or heuristic confidence) is unchanged by feedback, so
  // it is recovered from `before` by recomputing with the new counts.
  double base = 0;
  if (r.target == FeedbackTarget::kPattern) {
    ENGRAM_ASSIGN_OR_RETURN(Pattern p, GetPattern(r.target_id));
    base = p.wilson_lower;
  } else {
    ENGRAM_ASSIGN_OR_RETURN(PatternStore * store, Patterns());
    ENGRAM_ASSIGN_OR_RETURN(Heuristic h, store->GetHeuristic(r.target_id));
    base = h.confidence;
  }
  out.after = Effectiveness(base, counts);
  out.counts = counts;
  FeedbackEvent& e = out.event;
  const Timestamp now = clock_.NowMs();
  e.id = NewId(now);
  e.target = r.target;
  e.target_id = r.target_id;
  e.signal = r.signal;
  e.episode_id = r.episode_id;
  e.actor = r.actor;
  e.note = r.note;
  e.before = out.before;
  e.after = out.after;
  e.created_at = now;
  ENGRAM_RETURN_IF_ERROR(fb->RecordFeedback(e));
  return out;
}

}  // namespace engram
