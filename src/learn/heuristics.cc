#include "learn/heuristics.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "learn/action_normalizer.h"
#include "learn/pattern_mining.h"

namespace engram::learn {
namespace {

constexpr const char* kKeys[] = {"task_type", "language", "framework", "domain"};

// Conditions seen in the data: every non-empty subset of an episode's
// context fields, with its values.
std::set<std::string> Conditions(const std::vector<EpisodeFeatures>& episodes) {
  std::set<std::string> out;
  for (const auto& e : episodes) {
    for (int mask = 1; mask < 16; ++mask) {
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

bool Matches(const Json& condition, const Json& context) {
  for (const auto& [key, value] : condition.items()) {
    if (!context.contains(key) || context[key] != value) return false;
  }
  return true;
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

struct Scored {
  Heuristic h;
  double lift = 0;
  std::size_t condition_size = 0;
};

bool Better(const Scored& a, const Scored& b) {
  if (a.h.confidence != b.h.confidence) return a.h.confidence > b.h.confidence;
  if (std::abs(a.lift) != std::abs(b.lift)) return std::abs(a.lift) > std::abs(b.lift);
  if (a.condition_size != b.condition_size) return a.condition_size < b.condition_size;
  return a.h.condition.dump() < b.h.condition.dump();
}

}  // namespace

EpisodeFeatures ExtractFeatures(const Episode& episode) {
  EpisodeFeatures f;
  f.episode_id = episode.id;
  f.context = ContextJson(episode);
  f.success = episode.outcome.has_value() && OutcomeKind(*episode.outcome) == "success";
  std::set<std::string> features;
  std::string previous;
  bool previous_failed = false;
  for (const auto& step : episode.steps) {
    const std::string sig = StepSignature(step);
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
  std::map<std::string, Scored> best;  // by action
  for (const std::string& cond_text : Conditions(episodes)) {
    const Json condition = Json::parse(cond_text);
    std::vector<const EpisodeFeatures*> group;
    for (const auto& e : episodes) {
      if (Matches(condition, e.context)) group.push_back(&e);
    }
    if (static_cast<int>(group.size()) < std::max(1, options.min_group)) continue;
    std::set<std::string> features;
    for (const auto* e : group) features.insert(e->features.begin(), e->features.end());
    for (const std::string& f : features) {
      Side with, without;
      for (const auto* e : group) {
        const bool has = std::binary_search(e->features.begin(), e->features.end(), f);
        Side& side = has ? with : without;
        side.ids.push_back(e->episode_id);
        side.successes += e->success ? 1 : 0;
      }
      if (with.n() < options.min_support || without.n() < 1) continue;
      const double lift = with.rate() - without.rate();
      if (std::abs(lift) < options.min_lift) continue;
      const bool positive = lift > 0;
      Scored s;
      s.lift = lift;
      s.condition_size = condition.size();
      Heuristic& h = s.h;
      h.condition = condition;
      h.action = (positive ? "do: " : "avoid: ") + f;
      h.id = HeuristicId(h.condition, h.action);
      h.sample_size = with.n();
      h.successes = positive ? with.successes : with.n() - with.successes;
      h.confidence = WilsonLowerBound(h.successes, h.sample_size, options.wilson);
      h.description = "When " + ConditionText(condition) + ": " + h.action + " (" +
                      std::to_string(with.successes) + "/" + std::to_string(with.n()) +
                      " succeeded with it, " + std::to_string(without.successes) + "/" +
                      std::to_string(without.n()) + " without)";
      h.evidence = Json{{"polarity", positive ? "do" : "avoid"},
                        {"feature", f},
                        {"lift", lift},
                        {"with", SideJson(with, options.max_evidence_ids)},
                        {"without", SideJson(without, options.max_evidence_ids)}};
      h.updated_at = now;
      auto it = best.find(h.action);
      if (it == best.end()) {
        best.emplace(h.action, std::move(s));
      } else if (Better(s, it->second)) {
        it->second = std::move(s);
      }
    }
  }
  std::vector<Heuristic> out;
  out.reserve(best.size());
  for (auto& [action, s] : best) out.push_back(std::move(s.h));
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
