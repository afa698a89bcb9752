#include "core/step_analysis.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <limits>
#include <map>
#include <utility>

namespace engram {
namespace {

// Adds a non-negative part without overflowing (stored values are unbounded).
std::int64_t SaturatingAdd(std::int64_t sum, std::int64_t part) {
  if (part <= 0) return sum;
  return sum > std::numeric_limits<std::int64_t>::max() - part
             ? std::numeric_limits<std::int64_t>::max()
             : sum + part;
}

bool IsFailed(const Step& s) { return s.result.status != StepStatus::kSuccess; }

// Lower-cased ASCII alphanumeric words of `text`.
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string cur;
  for (char c : text) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (alnum) {
      cur += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (!cur.empty()) {
      words.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  return words;
}

constexpr std::array<std::string_view, 14> kTestRunners{
    "pytest", "ctest",    "jest",  "vitest",  "mocha", "rspec", "phpunit",
    "junit",  "unittest", "gtest", "nextest", "tox",   "karma", "ava"};

bool IsRunner(std::string_view word) {
  return std::find(kTestRunners.begin(), kTestRunners.end(), word) != kTestRunners.end();
}

}  // namespace

bool IsEditorTool(std::string_view tool) {
  static constexpr std::array<std::string_view, 13> kEditors{
      "editor",        "edit",        "write",      "apply_patch", "patch",
      "str_replace",   "create_file", "write_file", "multiedit",   "multi_edit",
      "notebook_edit", "replace",     "insert"};
  std::string lower(tool);
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (std::find(kEditors.begin(), kEditors.end(), lower) != kEditors.end()) return true;
  for (std::string_view part : {"edit", "write", "patch"}) {
    if (lower.find(part) != std::string::npos) return true;
  }
  return false;
}

bool IsTestStep(const Step& step) {
  if (IsEditorTool(step.tool)) return false;
  for (const std::string& w : Words(step.tool)) {
    if (w == "test" || w == "tests" || IsRunner(w)) return true;
  }
  const std::vector<std::string> words = Words(step.action);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (IsRunner(words[i]) || (i < 3 && words[i] == "test")) return true;
  }
  return false;
}

StepAnalysis AnalyzeSteps(const std::vector<Step>& steps) {
  StepAnalysis a;
  a.total = static_cast<int>(steps.size());
  std::map<std::string, int> tool_counts;
  struct Pending {
    int count = 0;  // failed steps of the tool since its last success
    int first = 0;  // number of the first of them
  };
  std::map<std::string, Pending> pending;
  // Longest run of back-to-back failures of each (tool, action): another
  // step between two failures (an edit, a check) means it was not re-run
  // unchanged.
  std::map<std::pair<std::string, std::string>, int> longest_run;
  std::vector<std::pair<std::string, std::string>> failing_order;  // first-seen order
  int run = 0;  // failures of steps[i - 1]'s (tool, action) ending at steps[i - 1]
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    ++tool_counts[s.tool];
    a.total_latency_ms = SaturatingAdd(a.total_latency_ms, s.latency_ms);
    a.total_tokens = SaturatingAdd(a.total_tokens, s.tokens);
    if (s.latency_ms > 0 &&
        (!a.slowest_index || s.latency_ms > steps[*a.slowest_index].latency_ms)) {
      a.slowest_index = i;
    }
    if (IsTestStep(s)) {
      a.last_test_step = s.number;
      a.last_test_passed = !IsFailed(s);
    }
    auto& [count, first] = pending[s.tool];
    if (IsFailed(s)) {
      (s.result.status == StepStatus::kError ? a.errors : a.timeouts)++;
      if (count++ == 0) first = s.number;
      const bool same_as_previous =
          i > 0 && steps[i - 1].tool == s.tool && steps[i - 1].action == s.action;
      run = same_as_previous ? run + 1 : 1;
      auto key = std::make_pair(s.tool, s.action);
      auto [it, inserted] = longest_run.try_emplace(key, 0);
      if (inserted) failing_order.push_back(key);
      it->second = std::max(it->second, run);
    } else {
      run = 0;
      if (count > 0) {
        a.recoveries.push_back({s.tool, count, first, s.number});
        a.recovered_failures += count;
        count = 0;
      }
    }
  }
  for (const auto& [tool, p] : pending) {
    if (p.count > 0) a.still_failing_tools.push_back(tool);
  }
  for (const auto& key : failing_order) {
    const int times = longest_run[key];
    if (times >= 2) a.repeated_failures.push_back({key.first, key.second, times});
  }
  for (const auto& [tool, n] : tool_counts) {  // ties: alphabetical (map order)
    if (n > a.most_used_count) {
      a.most_used_tool = tool;
      a.most_used_count = n;
    }
  }
  return a;
}

ExpectedSize ExpectedSizeFor(Complexity c, const RewardOptions& o) {
  switch (c) {
    case Complexity::kSimple:
      return {o.expected_steps_simple, o.expected_minutes_simple};
    case Complexity::kModerate:
      return {o.expected_steps_moderate, o.expected_minutes_moderate};
    case Complexity::kComplex:
      return {o.expected_steps_complex, o.expected_minutes_complex};
  }
  return {o.expected_steps_moderate, o.expected_minutes_moderate};
}

double DurationMinutes(const Episode& e) {
  if (!e.ended_at || *e.ended_at <= e.started_at) return 0;
  return static_cast<double>(*e.ended_at - e.started_at) / 60000.0;
}

EpisodeDuration DurationOf(const Episode& e, std::int64_t total_latency_ms) {
  EpisodeDuration d;
  d.has_wall = e.ended_at && *e.ended_at > e.started_at;
  if (d.has_wall) d.wall_minutes = DurationMinutes(e);
  std::int64_t step_ms = total_latency_ms;
  if (step_ms <= 0 && !e.steps.empty() && e.steps.back().timestamp > e.started_at) {
    step_ms = e.steps.back().timestamp - e.started_at;
  }
  const double step_minutes = static_cast<double>(std::max<std::int64_t>(step_ms, 0)) / 60000.0;
  if (d.has_wall && d.wall_minutes >= step_minutes) {
    d.source = EpisodeDuration::Source::kWall;
    d.minutes = d.wall_minutes;
  } else if (step_minutes > 0) {
    d.source = EpisodeDuration::Source::kSteps;
    d.minutes = step_minutes;
  }
  return d;
}

std::string Shorten(std::string_view text, std::size_t max_bytes) {
  const std::size_t nl = text.find_first_of("\r\n");
  if (nl != std::string_view::npos) text = text.substr(0, nl);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Back up to the start of a UTF-8 sequence (never split a character).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

}  // namespace engram
