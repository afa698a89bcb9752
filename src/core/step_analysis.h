// Step analysis shared by ComputeReward and Reflect: failure counts, test
// runs, recoveries and repeated failing actions, computed once from an
// episode's steps, plus the expected task size by complexity. The rules are
// documented in docs/REWARD.md.
//
// Ownership: plain values; StepAnalysis copies what it needs (no pointers
// into the episode).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engram/episode.h"
#include "engram/reward.h"

namespace engram {

// A run of failed steps of one tool ended by a later success of that tool.
struct Recovery {
  std::string tool;
  int failed_attempts = 0;  // failed steps of `tool` since its previous success
  int first_failed_step = 0;
  int recovered_at_step = 0;
};

// The same (tool, action) failing at least twice in a row, with no other
// step between (re-run unchanged). Failures with an edit or any other step
// between them are attempts at a fix, not repeats.
struct RepeatedFailure {
  std::string tool;
  std::string action;
  int times = 0;  // the longest such run
};

struct StepAnalysis {
  int total = 0;
  int errors = 0;
  int timeouts = 0;
  int failed() const { return errors + timeouts; }
  int recovered_failures = 0;  // failed steps later followed by a success of the same tool
  std::vector<Recovery> recoveries;
  std::vector<RepeatedFailure> repeated_failures;
  std::vector<std::string> still_failing_tools;  // last step of the tool failed
  std::optional<int> last_test_step;             // number of the last test run
  bool last_test_passed = false;
  std::optional<std::size_t> slowest_index;  // into steps; unset when all latencies are 0
  std::int64_t total_latency_ms = 0;
  std::int64_t total_tokens = 0;
  std::string most_used_tool;
  int most_used_count = 0;
};

StepAnalysis AnalyzeSteps(const std::vector<Step>& steps);

// A test run: the tool names a test word (test, tests, pytest, ...), the
// action names a test runner (pytest, ctest, jest, ...), or the action's
// first three words include "test" ("go test", "npm run test"). An editor
// step (IsEditorTool) is never a test run, whatever it edits.
bool IsTestStep(const Step& step);

// True for a tool that changes files rather than running or checking
// something: lower-cased, one of editor, edit, write, apply_patch, patch,
// str_replace, create_file, write_file, multiedit, notebook_edit, replace,
// insert, or a name containing "edit", "write" or "patch".
bool IsEditorTool(std::string_view tool);

struct ExpectedSize {
  int steps = 0;
  double minutes = 0;
};
ExpectedSize ExpectedSizeFor(Complexity c, const RewardOptions& options);

// ended_at - started_at in minutes; 0 when unset or negative.
double DurationMinutes(const Episode& episode);

// How long an episode took, for the reflection. The wall time
// (ended_at - started_at) when it is set, positive and at least the step
// time; otherwise the step time: the steps' summed latencies, or when none
// were logged the span from started_at to the last step's timestamp.
// Steps logged after the fact make the wall time shorter than the steps.
struct EpisodeDuration {
  enum class Source {
    kWall,   // ended_at - started_at
    kSteps,  // step time: the wall time is missing or shorter
    kNone,   // neither is known (or both are 0)
  };
  Source source = Source::kNone;
  double minutes = 0;
  double wall_minutes = 0;  // 0 when there is no wall time
  bool has_wall = false;    // ended_at set and after started_at
};
EpisodeDuration DurationOf(const Episode& episode, std::int64_t total_latency_ms);

// First line of `text`, trimmed, cut to at most `max_bytes` on a UTF-8
// boundary with "..." appended when cut.
std::string Shorten(std::string_view text, std::size_t max_bytes = 80);

}  // namespace engram
