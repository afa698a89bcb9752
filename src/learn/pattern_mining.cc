#include "learn/pattern_mining.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <utility>

namespace engram::learn {
namespace {

bool Failed(const Step& s) { return s.result.status != StepStatus::kSuccess; }

// Accumulates occurrences of one episode by (kind, signature).
class Collector {
 public:
  void Add(PatternKind kind, std::string signature, std::string description,
           std::int64_t latency_ms) {
    auto key = std::make_pair(kind, signature);
    auto it = index_.find(key);
    if (it == index_.end()) {
      index_.emplace(std::move(key), out_.size());
      PatternOccurrence o;
      o.kind = kind;
      o.signature = std::move(signature);
      o.description = std::move(description);
      o.latency_ms = latency_ms;
      o.occurrences = 1;
      latency_sum_.push_back(latency_ms);
      out_.push_back(std::move(o));
      return;
    }
    PatternOccurrence& o = out_[it->second];
    latency_sum_[it->second] += latency_ms;
    ++o.occurrences;
    o.latency_ms = latency_sum_[it->second] / o.occurrences;
  }

  std::vector<PatternOccurrence> Take(const Json& context) {
    for (auto& o : out_) o.context = context;
    std::stable_sort(out_.begin(), out_.end(),
                     [](const PatternOccurrence& a, const PatternOccurrence& b) {
                       return static_cast<int>(a.kind) < static_cast<int>(b.kind);
                     });
    return std::move(out_);
  }

 private:
  std::map<std::pair<PatternKind, std::string>, std::size_t> index_;
  std::vector<PatternOccurrence> out_;
  std::vector<std::int64_t> latency_sum_;
};

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

void MineSequences(const std::vector<std::string>& sigs, const std::vector<Step>& steps,
                   const MiningOptions& o, Collector& c) {
  const int n_steps = static_cast<int>(steps.size());
  for (int n = std::max(2, o.min_ngram); n <= o.max_ngram; ++n) {
    for (int i = 0; i + n <= n_steps; ++i) {
      std::vector<std::string> run(sigs.begin() + i, sigs.begin() + i + n);
      std::int64_t latency = 0;
      for (int k = i; k < i + n; ++k) latency += steps[static_cast<std::size_t>(k)].latency_ms;
      const std::string sig = Join(run, " -> ");
      c.Add(PatternKind::kSequence, sig, std::to_string(n) + " steps in a row: " + sig, latency);
    }
  }
}

void MineRecoveries(const std::vector<std::string>& sigs, const std::vector<Step>& steps,
                    const MiningOptions& o, Collector& c) {
  const std::size_t n = steps.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (!Failed(steps[i])) continue;
    // Only the last failure before the successful retry starts a recovery.
    if (i + 1 < n && Failed(steps[i + 1]) && sigs[i + 1] == sigs[i]) continue;
    int changing = 0;  // fix steps so far; read-only steps do not count
    for (std::size_t j = i + 1; j < n; ++j) {
      if (sigs[j] != sigs[i] || Failed(steps[j])) {
        if (!IsReadOnlyStep(steps[j]) && ++changing > o.max_fix_steps) break;
        continue;
      }
      std::vector<std::string> fix;
      for (std::size_t k = i + 1; k < j; ++k) {
        if (!IsReadOnlyStep(steps[k])) fix.push_back(sigs[k]);
      }
      const std::string fix_text = fix.empty() ? "retry" : Join(fix, " + ");
      const std::string error = NormalizeError(steps[i].result.output, o.normalize);
      std::int64_t latency = 0;
      for (std::size_t k = i + 1; k <= j; ++k) latency += steps[k].latency_ms;
      const std::string status(ToString(steps[i].result.status));
      std::string failed_with = status;
      if (!error.empty()) failed_with.append(" '").append(error).append("'");
      // The error's wording varies between runs of the same failure; it is
      // described, not part of the identity.
      std::string key = sigs[i];
      key.append(" [").append(status).append("] -> ").append(fix_text);
      std::string text = "When ";
      text.append(sigs[i]).append(" fails (").append(failed_with).append("), ");
      text.append(fix_text).append(" and it succeeds on retry");
      c.Add(PatternKind::kErrorRecovery, key, text, latency);
      break;
    }
  }
}

void MineDecisions(const std::vector<std::string>& sigs, const std::vector<Step>& steps,
                   Collector& c) {
  for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
    if (!IsCheckStep(steps[i])) continue;
    const std::string branch = Failed(steps[i]) ? "fails" : "ok";
    c.Add(PatternKind::kDecisionPoint, "check:" + sigs[i] + " | " + branch + " -> " + sigs[i + 1],
          "After checking with " + sigs[i] + " (" + branch + "), next: " + sigs[i + 1],
          steps[i].latency_ms + steps[i + 1].latency_ms);
  }
}

std::string ContextText(const Json& context) {
  std::vector<std::string> parts;
  for (const char* key : {"task_type", "language", "framework", "domain"}) {
    if (context.contains(key))
      parts.push_back(std::string(key) + "=" + context[key].get<std::string>());
  }
  return Join(parts, ";");
}

void MineContext(const std::vector<std::string>& sigs, const std::vector<Step>& steps,
                 const Json& context, const MiningOptions& o, Collector& c) {
  if (steps.empty()) return;
  std::vector<std::string> approach;
  std::set<std::string> seen;
  for (const auto& s : sigs) {
    if (static_cast<int>(approach.size()) >= o.max_approach_steps) break;
    if (seen.insert(s).second) approach.push_back(s);
  }
  std::int64_t latency = 0;
  for (const auto& s : steps) latency += s.latency_ms;
  const std::string ctx = ContextText(context);
  const std::string how = Join(approach, " > ");
  c.Add(PatternKind::kContext, ctx + " => " + how, "In " + ctx + ", the approach " + how, latency);
}

}  // namespace

Json ContextJson(const Episode& episode) {
  Json j = Json::object();
  j["task_type"] = std::string(ToString(episode.task_type));
  const std::pair<const char*, const std::string*> fields[] = {
      {"language", &episode.context.language},
      {"framework", &episode.context.framework},
      {"domain", &episode.context.domain}};
  for (const auto& [key, value] : fields) {
    if (value->empty()) continue;
    std::string lower = *value;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    j[key] = lower;
  }
  return j;
}

std::vector<PatternOccurrence> MinePatterns(const Episode& episode, const MiningOptions& options) {
  std::vector<std::string> sigs;
  sigs.reserve(episode.steps.size());
  for (const auto& s : episode.steps) sigs.push_back(StepSignature(s, options.normalize));
  const Json context = ContextJson(episode);
  Collector c;
  MineSequences(sigs, episode.steps, options, c);
  MineRecoveries(sigs, episode.steps, options, c);
  MineDecisions(sigs, episode.steps, c);
  MineContext(sigs, episode.steps, context, options, c);
  return c.Take(context);
}

}  // namespace engram::learn
