#include "learn/heuristics.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "learn/action_normalizer.h"
#include "learn/pattern_mining.h"
#include "learn/significance.h"

namespace engram::learn {
namespace {

constexpr const char* kKeys[] = {"task_type", "language", "framework", "domain"};

// Conditions seen in the data: every non-empty subset of an episode's
// context fields, with its values.
std::set<std::string> Conditions(const std::vector<EpisodeFeatures>& episodes, int max_fields) {
  std::set<std::string> out;
  for (const auto& e : episodes) {
    for (int mask = 1; mask < 16; ++mask) {
      if (std::popcount(static_cast<unsigned>(mask)) > max_fields) continue;
      Json c = Json::object();
      bool complete = true;
      for (int k = 0; k < 4; ++k) {
        if ((mask & (1 << k)) == 0) continue;
        if (!e.context.contains(kKeys[k])) {
          complete = false;
          break;
        }
        c[kKeys[k]] = e.context[kKeys[k]];
      }
      if (complete) out.insert(c.dump());
    }
  }
  return out;
}

std::string ConditionText(const Json& condition) {
  std::string out;
  for (const char* k : kKeys) {
    if (!condition.contains(k)) continue;
    if (!out.empty()) out += ", ";
    out += std::string(k) + "=" + condition[k].get<std::string>();
  }
  return out;
}

struct Side {
  std::vector<std::string> ids;
  std::int64_t successes = 0;
  std::int64_t n() const { return static_cast<std::int64_t>(ids.size()); }
  double rate() const { return ids.empty() ? 0.0 : static_cast<double>(successes) / n(); }
};

Json SideJson(const Side& s, int max_ids) {
  std::vector<std::string> ids(s.ids.begin(),
                               s.ids.begin() + std::min<std::ptrdiff_t>(max_ids, s.n()));
  return Json{{"episodes", s.n()},
              {"successes", s.successes},
              {"success_rate", s.rate()},
              {"episode_ids", ids}};
}

// One (condition, feature) contrast that was tested.
struct Tested {
  Json condition = Json::object();
  std::string feature;
  Side with, without;
  double lift = 0;
  double p = 1;
  double odds_ratio = 1;
  double min_p_greater = 1, min_p_less = 1;  // smallest attainable p-values
};

// Two conditions can hold at once: no field with different values.
bool Compatible(const Json& a, const Json& b) {
  for (const auto& [key, value] : a.items()) {
    if (b.contains(key) && b[key] != value) return false;
  }
  return true;
}

// A kept rule and its adjusted p-value.
struct Rule {
  Heuristic h;
  double q = 1;
};

bool Better(const Rule& x, const Rule& y) {
  const Heuristic& a = x.h;
  const Heuristic& b = y.h;
  if (x.q != y.q) return x.q < y.q;
  if (a.confidence != b.confidence) return a.confidence > b.confidence;
  if (a.condition.size() != b.condition.size()) return a.condition.size() < b.condition.size();
  return a.condition.dump() < b.condition.dump();
}

std::string Format(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, v < 0.001 ? "%.1e" : "%.3f", v);
  return buf;
}

Heuristic MakeHeuristic(const Tested& t, double q, std::size_t hypotheses,
                        const HeuristicOptions& o, Timestamp now) {
  const bool positive = t.lift > 0;
  Heuristic h;
  h.condition = t.condition;
  h.action = (positive ? "do: " : "avoid: ") + t.feature;
  h.id = HeuristicId(h.condition, h.action);
  h.sample_size = t.with.n();
  h.successes = positive ? t.with.successes : t.with.n() - t.with.successes;
  h.confidence = WilsonLowerBound(h.successes, h.sample_size, o.wilson);
  h.description =
      "When " + ConditionText(t.condition) + ": " + h.action + " (" +
      std::to_string(t.with.successes) + "/" + std::to_string(t.with.n()) + " succeeded with it, " +
      std::to_string(t.without.successes) + "/" + std::to_string(t.without.n()) +
      " without; Fisher exact one-sided p = " + Format(t.p) + ", BH q = " + Format(q) + ")";
  h.evidence = Json{{"polarity", positive ? "do" : "avoid"},
                    {"feature", t.feature},
                    {"lift", t.lift},
                    {"p_value", t.p},
                    {"q_value", q},
                    {"odds_ratio", t.odds_ratio},
                    {"test", Json{{"name", "fisher_exact"},
                                  {"alternative", positive ? "greater" : "less"},
                                  {"correction", "benjamini_hochberg"},
                                  {"alpha", o.alpha},
                                  {"hypotheses", hypotheses}}},
                    {"with", SideJson(t.with, o.max_evidence_ids)},
                    {"without", SideJson(t.without, o.max_evidence_ids)}};
  h.updated_at = now;
  return h;
}

}  // namespace

bool ConditionMatches(const Json& condition, const Json& context) {
  for (const auto& [key, value] : condition.items()) {
    if (!context.contains(key) || context[key] != value) return false;
  }
  return true;
}

EpisodeFeatures ExtractFeatures(const Episode& episode, const NormalizeOptions& normalize) {
  EpisodeFeatures f;
  f.episode_id = episode.id;
  f.context = ContextJson(episode);
  f.success = episode.outcome.has_value() && OutcomeKind(*episode.outcome) == "success";
  std::size_t end = episode.steps.size();
  for (std::size_t i = episode.steps.size(); i-- > 0;) {
    if (IsCheckStep(episode.steps[i])) {
      end = i + 1;
      break;
    }
  }
  std::set<std::string> features;
  std::string previous;
  bool previous_failed = false;
  for (std::size_t i = 0; i < end; ++i) {
    const Step& step = episode.steps[i];
    const std::string sig = StepSignature(step, normalize);
    features.insert(sig);
    if (previous_failed && sig == previous) features.insert("retry unchanged: " + sig);
    previous = sig;
    previous_failed = step.result.status != StepStatus::kSuccess;
  }
  f.features.assign(features.begin(), features.end());
  return f;
}

std::vector<Heuristic> LearnHeuristics(const std::vector<EpisodeFeatures>& episodes,
                                       const HeuristicOptions& options, Timestamp now) {
  std::vector<Tested> tested;
  for (const std::string& cond_text :
       Conditions(episodes, std::clamp(options.max_condition_fields, 1, 4))) {
    const Json condition = Json::parse(cond_text);
    std::vector<const EpisodeFeatures*> group;
    for (const auto& e : episodes) {
      if (ConditionMatches(condition, e.context)) group.push_back(&e);
    }
    if (static_cast<int>(group.size()) < std::max(1, options.min_group)) continue;
    std::set<std::string> features;
    for (const auto* e : group) features.insert(e->features.begin(), e->features.end());
    for (const std::string& f : features) {
      Tested t;
      for (const auto* e : group) {
        const bool has = std::binary_search(e->features.begin(), e->features.end(), f);
        Side& side = has ? t.with : t.without;
        side.ids.push_back(e->episode_id);
        side.successes += e->success ? 1 : 0;
      }
      if (t.with.n() < std::max(1, options.min_support) || t.without.n() < 1) continue;
      t.condition = condition;
      t.feature = f;
      t.lift = t.with.rate() - t.without.rate();
      const TwoByTwo table{t.with.successes, t.with.n() - t.with.successes, t.without.successes,
                           t.without.n() - t.without.successes};
      t.p = t.lift > 0 ? FisherGreater(table) : t.lift < 0 ? FisherLess(table) : 1.0;
      t.odds_ratio = OddsRatio(table);
      t.min_p_greater = FisherMinGreater(table);
      t.min_p_less = FisherMinLess(table);
      tested.push_back(std::move(t));
    }
  }
  // Each contrast is two hypotheses (do, avoid); Tarone's screening keeps
  // those that can reach significance, and BH adjusts over them.
  std::vector<double> min_p;
  min_p.reserve(2 * tested.size());
  for (const auto& t : tested) {
    min_p.push_back(t.min_p_greater);
    min_p.push_back(t.min_p_less);
  }
  const double screen = TaroneThreshold(min_p, options.alpha);
  std::size_t hypotheses = 0;
  for (double mp : min_p) hypotheses += mp <= screen ? 1 : 0;
  std::vector<double> p;
  std::vector<std::size_t> which;  // index into tested
  for (std::size_t i = 0; i < tested.size(); ++i) {
    const Tested& t = tested[i];
    const double mp = t.lift > 0 ? t.min_p_greater : t.min_p_less;
    if (t.lift == 0 || mp > screen) continue;
    p.push_back(t.p);
    which.push_back(i);
  }
  const std::vector<double> adjusted = BenjaminiHochberg(p, hypotheses);
  std::vector<double> q(tested.size(), 1.0);
  for (std::size_t k = 0; k < which.size(); ++k) q[which[k]] = adjusted[k];
  std::map<std::string, std::vector<Rule>> by_action;
  for (std::size_t i = 0; i < tested.size(); ++i) {
    const Tested& t = tested[i];
    if (q[i] > options.alpha || std::abs(t.lift) < options.min_lift) continue;
    Rule r{MakeHeuristic(t, q[i], hypotheses, options, now), q[i]};
    by_action[r.h.action].push_back(std::move(r));
  }
  // Per action, the best rule of each set of overlapping conditions: a rule
  // is dropped when a better one's condition can hold together with its own
  // (no field with different values), so "language=go" and
  // "language=python" both stay, "language=go" and "task_type=debugging"
  // do not.
  std::vector<Heuristic> out;
  for (auto& [action, rules] : by_action) {
    std::sort(rules.begin(), rules.end(), Better);
    std::vector<const Heuristic*> kept;
    for (const Rule& r : rules) {
      const bool overlaps = std::any_of(kept.begin(), kept.end(), [&](const Heuristic* k) {
        return Compatible(k->condition, r.h.condition);
      });
      if (!overlaps) kept.push_back(&r.h);
    }
    for (const Heuristic* h : kept) out.push_back(*h);
  }
  std::sort(out.begin(), out.end(), [](const Heuristic& a, const Heuristic& b) {
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.id < b.id;
  });
  if (static_cast<int>(out.size()) > options.max_heuristics) {
    out.resize(static_cast<std::size_t>(std::max(0, options.max_heuristics)));
  }
  return out;
}

}  // namespace engram::learn
