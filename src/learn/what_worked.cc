// ExtractWhatWorked (what_worked.h): recoveries and approach of one episode.
#include "learn/what_worked.h"

#include <algorithm>
#include <optional>
#include <set>
#include <variant>

#include "core/step_analysis.h"
#include "learn/action_normalizer.h"

namespace engram::learn {
namespace {

bool Failed(const Step& s) { return s.result.status != StepStatus::kSuccess; }

// Keeps the last `max` items (the ones closest to what finally worked).
void KeepLast(std::vector<std::string>& items, int max) {
  const auto keep = static_cast<std::size_t>(std::max(0, max));
  if (items.size() > keep) items.erase(items.begin(), items.end() - static_cast<long>(keep));
}

}  // namespace

std::string JoinTexts(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

std::string StepText(const Step& step, std::size_t max_text_bytes) {
  return Shorten(step.tool, 40) + ": " + Shorten(step.action, max_text_bytes);
}

std::string FailedStepText(const Step& step, std::size_t max_text_bytes) {
  std::string text = StepText(step, max_text_bytes);
  if (step.result.status == StepStatus::kTimeout) return text + " timed out";
  const std::string error = Shorten(step.result.output, max_text_bytes);
  return text + " failed" + (error.empty() ? "" : ": " + error);
}

WhatWorked ExtractWhatWorked(const Episode& episode, const WhatWorkedOptions& options) {
  WhatWorked out;
  out.worked = episode.outcome && (std::holds_alternative<SuccessOutcome>(*episode.outcome) ||
                                   std::holds_alternative<PartialOutcome>(*episode.outcome));
  const std::vector<Step>& steps = episode.steps;
  const std::size_t n = steps.size();
  std::vector<std::string> sigs;
  sigs.reserve(n);
  for (const Step& s : steps) sigs.push_back(StepSignature(s));
  std::vector<bool> seen_failure(n, false);
  std::set<std::size_t> tried_steps;
  const std::size_t max_text = options.max_text_bytes;
  for (std::size_t i = 0; i < n; ++i) {
    if (!Failed(steps[i]) || seen_failure[i]) continue;
    std::vector<std::size_t> failures{i};
    std::optional<std::size_t> passed;
    for (std::size_t k = i + 1; k < n && !passed; ++k) {
      if (sigs[k] != sigs[i]) continue;
      if (Failed(steps[k])) {
        failures.push_back(k);
      } else {
        passed = k;
      }
    }
    for (std::size_t f : failures) seen_failure[f] = true;
    const std::size_t last = failures.back();
    if (!passed) {
      if (static_cast<int>(out.unresolved.size()) < options.max_unresolved) {
        std::string text = FailedStepText(steps[last], max_text);
        if (failures.size() > 1) text += " (" + std::to_string(failures.size()) + " runs)";
        out.unresolved.push_back(std::move(text));
      }
      continue;
    }
    if (static_cast<int>(out.recovery.size()) >= options.max_recoveries) continue;
    WorkedRecovery r;
    r.failed = FailedStepText(steps[i], max_text);
    r.failed_step = steps[i].number;
    r.attempts = static_cast<int>(failures.size());
    for (std::size_t k = i + 1; k < *passed; ++k) {
      if (Failed(steps[k]) || sigs[k] == sigs[i] || IsCheckStep(steps[k])) continue;
      if (k < last) {
        r.tried.push_back(StepText(steps[k], max_text));
        tried_steps.insert(k);
      } else {
        r.fix.push_back(StepText(steps[k], max_text));
      }
    }
    KeepLast(r.tried, options.max_tried_steps);
    KeepLast(r.fix, options.max_fix_steps);
    r.verified = StepText(steps[*passed], max_text) + " passed";
    r.verified_step = steps[*passed].number;
    r.text = r.failed + (r.attempts > 1 ? " (" + std::to_string(r.attempts) + " runs)" : "") +
             " -> " + (r.fix.empty() ? std::string("retried") : JoinTexts(r.fix, " -> ")) + " -> " +
             r.verified;
    if (!r.tried.empty()) r.text += " (did not help: " + JoinTexts(r.tried, "; ") + ")";
    out.recovery.push_back(std::move(r));
  }
  if (out.worked) {
    // One entry per distinct step, at its last successful run, in order.
    std::set<std::string> kept;
    std::vector<std::string> reversed;
    for (std::size_t k = n; k-- > 0;) {
      if (Failed(steps[k]) || tried_steps.count(k) > 0) continue;
      if (!kept.insert(sigs[k]).second) continue;
      reversed.push_back(StepText(steps[k], max_text));
    }
    out.approach.assign(reversed.rbegin(), reversed.rend());
    KeepLast(out.approach, options.max_approach_steps);
  }
  return out;
}

}  // namespace engram::learn
