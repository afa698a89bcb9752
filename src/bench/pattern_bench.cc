#include "bench/pattern_bench.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "core/similarity.h"
#include "learn/pattern_mining.h"
#include "learn/significance.h"

namespace engram::bench {
namespace {

using IdSet = std::set<std::size_t>;  // episode indexes

std::size_t Overlap(const IdSet& a, const IdSet& b) {
  std::size_t n = 0;
  for (std::size_t x : a) n += b.count(x);
  return n;
}

// Scores `found` (episode sets of reported items with their polarity)
// against the planted `truth` sets; fills the score and the missed names.
struct Found {
  std::string label;
  bool positive = true;
  IdSet episodes;  // episodes having it (within its condition)
  IdSet scope;     // episodes of its condition
};

void ScoreAgainst(const std::vector<Found>& found, const std::vector<IdSet>& truth,
                  const std::vector<bool>& in_scope, const PatternBenchOptions& o, Score& score,
                  std::vector<std::string>* wrong, std::vector<std::string>* missed,
                  std::vector<double>* best_coverage) {
  const auto& items = PlantedItems();
  std::vector<double> best(items.size(), 0.0);
  std::vector<bool> recalled(items.size(), false), found_any(items.size(), false);
  score.reported = static_cast<int>(found.size());
  for (const Found& f : found) {
    bool correct = false;
    for (std::size_t k = 0; k < items.size(); ++k) {
      if (!in_scope[k] || items[k].positive != f.positive || f.episodes.empty()) continue;
      const std::size_t hit = Overlap(f.episodes, truth[k]);
      if (static_cast<double>(hit) < o.purity * static_cast<double>(f.episodes.size())) continue;
      correct = true;
      found_any[k] = true;
      const std::size_t planted_here = Overlap(f.scope, truth[k]);
      if (planted_here > 0) {
        best[k] = std::max(best[k], static_cast<double>(hit) / static_cast<double>(planted_here));
      }
      if (planted_here > 0 &&
          static_cast<double>(hit) >= o.coverage * static_cast<double>(planted_here)) {
        recalled[k] = true;
      }
    }
    score.correct += correct ? 1 : 0;
    if (!correct && wrong != nullptr && wrong->size() < 10) wrong->push_back(f.label);
  }
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (!in_scope[k]) continue;
    ++score.planted;
    score.recalled += recalled[k] ? 1 : 0;
    score.found += found_any[k] ? 1 : 0;
    if (!recalled[k] && missed != nullptr) missed->push_back(items[k].name);
  }
  if (best_coverage != nullptr) *best_coverage = best;
}

// "<step> [<status>] -> <fix 1> + <fix 2>": every fix step has a "do:" rule
// ("retry" never does).
bool FixIsEvidenced(const std::string& signature, const std::set<std::string>& evidenced) {
  const auto arrow = signature.find("] -> ");
  if (arrow == std::string::npos) return false;
  std::string fix = signature.substr(arrow + 5);
  std::size_t start = 0;
  while (start <= fix.size()) {
    const std::size_t end = std::min(fix.find(" + ", start), fix.size());
    if (evidenced.count(fix.substr(start, end - start)) == 0) return false;
    start = end + 3;
  }
  return true;
}

ConfigResult RunConfig(const std::vector<SyntheticEpisode>& corpus, const BenchConfig& config,
                       const PatternBenchOptions& o) {
  ConfigResult result;
  result.name = config.name;
  const auto& items = PlantedItems();
  std::vector<IdSet> applied(items.size()), recovered(items.size());
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    for (int k : corpus[i].applied) applied[static_cast<std::size_t>(k)].insert(i);
    for (int k : corpus[i].recovered) recovered[static_cast<std::size_t>(k)].insert(i);
  }
  // Heuristics.
  std::vector<learn::EpisodeFeatures> features;
  features.reserve(corpus.size());
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    features.push_back(learn::ExtractFeatures(corpus[i].episode, config.normalize));
    index[corpus[i].episode.id] = i;
  }
  const std::vector<Heuristic> rules = learn::LearnHeuristics(features, config.heuristics, 0);
  std::vector<Found> found;
  for (const Heuristic& h : rules) {
    Found f;
    f.label = h.action;
    f.positive = h.evidence.value("polarity", "do") == "do";
    const std::string feature = h.evidence.value("feature", "");
    for (std::size_t i = 0; i < features.size(); ++i) {
      if (!learn::ConditionMatches(h.condition, features[i].context)) continue;
      f.scope.insert(i);
      if (std::binary_search(features[i].features.begin(), features[i].features.end(), feature)) {
        f.episodes.insert(i);
      }
    }
    found.push_back(std::move(f));
  }
  ScoreAgainst(found, applied, std::vector<bool>(items.size(), true), o, result.heuristics,
               &result.false_heuristics, &result.missed, &result.heuristic_coverage);
  // Error-recovery patterns.
  learn::MiningOptions mining;
  mining.normalize = config.normalize;
  std::map<std::string, IdSet> patterns;
  std::int64_t successes = 0;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    successes += features[i].success ? 1 : 0;
    for (const auto& occ : learn::MinePatterns(corpus[i].episode, mining)) {
      if (occ.kind == PatternKind::kErrorRecovery) patterns[occ.signature].insert(i);
    }
  }
  std::vector<std::pair<std::string, const IdSet*>> candidates;
  std::vector<double> p;
  for (const auto& [sig, eps] : patterns) {
    if (static_cast<int>(eps.size()) < config.patterns.min_support) continue;
    std::int64_t s = 0;
    for (std::size_t i : eps) s += features[i].success ? 1 : 0;
    candidates.emplace_back(sig, &eps);
    p.push_back(learn::PatternSignificance(static_cast<std::int64_t>(eps.size()), s,
                                           static_cast<std::int64_t>(corpus.size()), successes)
                    .p_value);
  }
  const std::vector<double> q = learn::BenjaminiHochberg(p);
  IdSet all;
  for (std::size_t i = 0; i < corpus.size(); ++i) all.insert(i);
  std::set<std::string> evidenced;  // features with a "do:" rule
  for (const Heuristic& h : rules) {
    if (h.evidence.value("polarity", "") == "do") evidenced.insert(h.evidence.value("feature", ""));
  }
  std::vector<Found> reported;
  for (std::size_t c = 0; c < candidates.size(); ++c) {
    if (config.patterns.alpha > 0 && q[c] > config.patterns.alpha) continue;
    if (config.patterns.fix_needs_rule && !FixIsEvidenced(candidates[c].first, evidenced)) continue;
    reported.push_back({candidates[c].first, true, *candidates[c].second, all});
  }
  std::vector<bool> good(items.size());
  for (std::size_t k = 0; k < items.size(); ++k) good[k] = items[k].positive;
  ScoreAgainst(reported, recovered, good, o, result.patterns, nullptr, nullptr,
               &result.pattern_coverage);
  return result;
}

Json ScoreJson(const Score& s) {
  return Json{{"reported", s.reported}, {"correct", s.correct},
              {"planted", s.planted},   {"recalled", s.recalled},
              {"found", s.found},       {"precision", s.precision()},
              {"recall", s.recall()},   {"recall_any", s.recall_any()}};
}

Json CoverageJson(const std::vector<double>& coverage) {
  Json out = Json::object();
  for (std::size_t k = 0; k < coverage.size() && k < PlantedItems().size(); ++k) {
    out[PlantedItems()[k].name] = coverage[k];
  }
  return out;
}

}  // namespace

std::vector<BenchConfig> DefaultConfigs() {
  BenchConfig current;
  current.name = "current";
  BenchConfig previous;
  previous.name = "previous";
  previous.normalize.by_meaning = false;
  previous.heuristics.alpha = 1.0;
  previous.heuristics.min_support = 3;
  previous.heuristics.min_group = 5;
  previous.heuristics.min_lift = 0.3;
  previous.heuristics.max_condition_fields = 4;
  previous.patterns.min_support = 2;
  previous.patterns.alpha = 0;
  previous.patterns.fix_needs_rule = false;
  BenchConfig mixed = previous;
  mixed.name = "meaning+lift";
  mixed.normalize.by_meaning = true;
  return {current, mixed, previous};
}

PatternBenchReport RunPatternBench(const PatternBenchOptions& options,
                                   const std::vector<BenchConfig>& configs) {
  PatternBenchReport report;
  report.options = options;
  const std::vector<SyntheticEpisode> corpus = GenerateEpisodes(options.corpus);
  report.episodes = static_cast<int>(corpus.size());
  for (const auto& e : corpus) {
    report.successes += OutcomeKind(*e.episode.outcome) == "success" ? 1 : 0;
  }
  for (const auto& c : configs) report.results.push_back(RunConfig(corpus, c, options));
  return report;
}

Json ToJson(const PatternBenchReport& r) {
  Json results = Json::array();
  for (const auto& c : r.results) {
    results.push_back(Json{{"config", c.name},
                           {"heuristics", ScoreJson(c.heuristics)},
                           {"patterns", ScoreJson(c.patterns)},
                           {"false_heuristics", c.false_heuristics},
                           {"heuristic_coverage", CoverageJson(c.heuristic_coverage)},
                           {"pattern_coverage", CoverageJson(c.pattern_coverage)},
                           {"missed", c.missed}});
  }
  return Json{{"seed", r.options.corpus.seed},  {"episodes", r.episodes},
              {"successes", r.successes},       {"purity", r.options.purity},
              {"coverage", r.options.coverage}, {"results", results}};
}

std::string FormatReport(const PatternBenchReport& r) {
  std::ostringstream os;
  os << "patterns bench: seed " << r.options.corpus.seed << ", " << r.episodes << " episodes ("
     << r.successes << " succeeded), " << PlantedItems().size() << " planted items; purity "
     << Fixed(r.options.purity, 2) << ", coverage " << Fixed(r.options.coverage, 2) << "\n";
  os << "P = correct/reported, R = recalled (one rule covers the item)/planted, "
        "R-any = items matched by some correct rule/planted\n";
  os << "config        heuristics P    R  R-any (reported)    recovery patterns P    R  R-any "
        "(reported)\n";
  for (const auto& c : r.results) {
    char line[256];
    std::snprintf(line, sizeof line, "%-13s %17s %4s %5s (%d)%*s%s %4s %5s (%d)\n", c.name.c_str(),
                  Fixed(c.heuristics.precision(), 2).c_str(),
                  Fixed(c.heuristics.recall(), 2).c_str(),
                  Fixed(c.heuristics.recall_any(), 2).c_str(), c.heuristics.reported, 14, "",
                  Fixed(c.patterns.precision(), 2).c_str(), Fixed(c.patterns.recall(), 2).c_str(),
                  Fixed(c.patterns.recall_any(), 2).c_str(), c.patterns.reported);
    os << line;
  }
  os << "best coverage of each planted item by one correct rule (heuristics / patterns):\n";
  for (const auto& c : r.results) {
    os << "  " << c.name << ":";
    for (std::size_t k = 0; k < PlantedItems().size(); ++k) {
      os << ' ' << PlantedItems()[k].name << ' '
         << Fixed(k < c.heuristic_coverage.size() ? c.heuristic_coverage[k] : 0, 2);
      if (PlantedItems()[k].positive) {
        os << '/' << Fixed(k < c.pattern_coverage.size() ? c.pattern_coverage[k] : 0, 2);
      }
    }
    os << '\n';
  }
  for (const auto& c : r.results) {
    if (!c.missed.empty()) {
      os << c.name << " heuristics not recalled:";
      for (const auto& m : c.missed) os << ' ' << m;
      os << '\n';
    }
    if (!c.false_heuristics.empty()) {
      os << c.name << " wrong rules:";
      for (const auto& m : c.false_heuristics) os << " [" << m << "]";
      os << '\n';
    }
  }
  return os.str();
}

}  // namespace engram::bench
