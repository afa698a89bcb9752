// A scripted, realistic coding workflow for learning tests: 30 episodes
// logged through the Engine with a ManualClock, so every test that runs it
// sees the same ids order, timings and outcomes.
//
//  - 12 x "fix a flaky jest test" (typescript/jest/web, debugging) that
//    succeed after an error -> recovery: the test run times out, the agent
//    awaits the session promise, the test run passes, the agent commits.
//  - 8 x the same task that fails the same way: the test run times out, the
//    agent re-runs it unchanged, it times out again, the episode fails.
//  - 10 x "add a CLI flag" (python/pytest/cli, code_generation): read the
//    module, edit it, run pytest (a decision point: on success commit, on
//    failure fix the import and re-run); 8 succeed, 2 fail.
// File names vary per episode (login.spec.ts, cart.spec.ts, ...) so only
// action normalisation makes the steps meet.
//
// Usage: ScenarioResult r = RunCodingScenario(engine, clock); or derive a
// fixture from ScenarioEngineTest and call RunCodingScenario(*engine_, clock_).
// Thread safety: one test, one thread.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../engine/temp_dir.h"

#include "engram/engine.h"
#include "engram/time.h"

namespace engram::testing {

struct ScenarioResult {
  std::vector<std::string> recovered;    // 12 jest episodes that succeeded after recovery
  std::vector<std::string> failed_same;  // 8 jest episodes that failed the same way
  std::vector<std::string> cli_success;  // 8 python episodes that succeeded
  std::vector<std::string> cli_failed;   // 2 python episodes that failed
  std::vector<std::string> all() const {
    std::vector<std::string> ids = recovered;
    for (const auto* v : {&failed_same, &cli_success, &cli_failed})
      ids.insert(ids.end(), v->begin(), v->end());
    return ids;
  }
};

namespace scenario_internal {

inline const std::vector<std::string>& Modules() {
  static const std::vector<std::string> m = {"login",   "cart",   "search", "profile",
                                             "billing", "inbox",  "admin",  "report",
                                             "upload",  "export", "signup", "orders"};
  return m;
}

inline std::string StartOrDie(Engine& engine, TaskType type, const std::string& description,
                              const std::string& language, const std::string& framework,
                              const std::string& domain) {
  StartEpisodeRequest req;
  req.task_type = type;
  req.description = description;
  req.context.language = language;
  req.context.framework = framework;
  req.context.domain = domain;
  auto e = engine.StartEpisode(req);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return e.ok() ? e->id : std::string();
}

inline void Step(Engine& engine, ManualClock& clock, const std::string& id, const std::string& tool,
                 const std::string& action, std::int64_t latency_ms,
                 StepStatus status = StepStatus::kSuccess, const std::string& output = "") {
  clock.AdvanceMs(latency_ms);
  StepInput s;
  s.tool = tool;
  s.action = action;
  s.latency_ms = latency_ms;
  s.result.status = status;
  s.result.output = output;
  auto r = engine.LogStep(id, s);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
}

inline void Complete(Engine& engine, ManualClock& clock, const std::string& id, Outcome outcome) {
  clock.AdvanceMs(1000);
  auto r = engine.CompleteEpisode(id, outcome);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  clock.AdvanceMs(60'000);
}

}  // namespace scenario_internal

// Runs the 30 episodes, interleaving the three groups, and returns their ids.
inline ScenarioResult RunCodingScenario(Engine& engine, ManualClock& clock) {
  using scenario_internal::Complete;
  using scenario_internal::Modules;
  using scenario_internal::StartOrDie;
  using scenario_internal::Step;
  ScenarioResult result;
  for (int i = 0; i < 12; ++i) {
    const std::string m = Modules()[static_cast<std::size_t>(i)];
    const std::string spec = "src/" + m + "/" + m + ".spec.ts";
    // Recovered: timeout, await the promise, pass, commit.
    std::string id = StartOrDie(engine, TaskType::kDebugging, "Fix flaky " + m + " jest test",
                                "typescript", "jest", "web");
    Step(engine, clock, id, "grep", "grep -rn beforeEach " + spec, 120);
    Step(engine, clock, id, "editor", "open " + spec + ":" + std::to_string(10 + i), 300);
    Step(engine, clock, id, "bash", "npm test -- " + spec, 5000 + 100 * i, StepStatus::kError,
         "Timeout - async callback was not invoked within 5000 ms in " + spec);
    Step(engine, clock, id, "editor", "await the session promise in " + spec, 900);
    Step(engine, clock, id, "bash", "npm test -- " + spec, 4000 + 50 * i);
    Step(engine, clock, id, "git", "git commit -am 'await session in " + m + " spec'", 200);
    Complete(engine, clock, id, SuccessOutcome{"test stable", {spec}});
    result.recovered.push_back(id);

    if (i < 8) {
      // Failed the same way: timeout, re-run unchanged, timeout, give up.
      const std::string fm = Modules()[static_cast<std::size_t>(11 - i)];
      const std::string fspec = "src/" + fm + "/" + fm + ".test.ts";
      id = StartOrDie(engine, TaskType::kDebugging, "Fix flaky " + fm + " jest test", "typescript",
                      "jest", "web");
      Step(engine, clock, id, "grep", "grep -rn beforeEach " + fspec, 110);
      Step(engine, clock, id, "editor", "open " + fspec + ":" + std::to_string(20 + i), 280);
      Step(engine, clock, id, "bash", "npm test -- " + fspec, 5200, StepStatus::kError,
           "Timeout - async callback was not invoked within 5000 ms in " + fspec);
      Step(engine, clock, id, "bash", "npm test -- " + fspec, 5300, StepStatus::kError,
           "Timeout - async callback was not invoked within 5000 ms in " + fspec);
      Complete(engine, clock, id, FailureOutcome{"test still times out", "gave up after retry"});
      result.failed_same.push_back(id);
    }

    if (i < 10) {
      // Python CLI flag: read, edit, pytest; commit on pass, fix import on fail.
      const std::string mod = "cli/" + Modules()[static_cast<std::size_t>(i)] + "_cmd.py";
      id = StartOrDie(engine, TaskType::kCodeGeneration, "Add a --dry-run flag to " + mod, "python",
                      "pytest", "cli");
      Step(engine, clock, id, "read", "read " + mod, 80);
      Step(engine, clock, id, "editor", "add argparse flag to " + mod, 600);
      if (i < 8) {
        Step(engine, clock, id, "bash", "pytest tests/test_" + std::to_string(i) + ".py", 2500);
        Step(engine, clock, id, "git", "git commit -am 'dry run flag'", 150);
        Complete(engine, clock, id, SuccessOutcome{"flag added", {mod}});
        result.cli_success.push_back(id);
      } else {
        Step(engine, clock, id, "bash", "pytest tests/test_" + std::to_string(i) + ".py", 2600,
             StepStatus::kError, "ImportError: cannot import name 'parse_args'");
        Step(engine, clock, id, "editor", "fix import of parse_args in " + mod, 400);
        Complete(engine, clock, id, FailureOutcome{"tests fail", "import cycle"});
        result.cli_failed.push_back(id);
      }
    }
  }
  return result;
}

// An Engine over a fresh SQLite store in a temporary directory, driven by
// the scenario's ManualClock (2026-11-22T04:00:00Z).
class ScenarioEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.clock = &clock_;
    auto engine = Engine::OpenSqlite(dir_.File("engram.db"), options);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
  }

  TempDir dir_;
  ManualClock clock_{1795320000000};
  std::unique_ptr<Engine> engine_;
};

}  // namespace engram::testing
