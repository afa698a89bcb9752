// CliTest: runs the real `engram` binary against a database in a fresh
// temporary directory. The child's HOME is that directory and ENGRAM_DB /
// XDG_DATA_HOME are removed, so no test touches a real database.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../engine/temp_dir.h"
#include "run_engram.h"

namespace engram::testing {

// Exit codes documented in docs/CLI.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInvalidArgument = 3;
inline constexpr int kExitNotFound = 4;
inline constexpr int kExitConflict = 5;
inline constexpr int kExitCorruption = 6;

class CliTest : public ::testing::Test {
 protected:
  // `engram --db <this test's db> args...`
  RunResult Engram(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), {"--db", db_path()});
    RunOptions options = BaseOptions();
    options.stdin_text = stdin_text;
    return RunEngram(args, options);
  }

  // `engram --db <db> --json args...`, expected to succeed; its JSON output.
  Json EngramJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    RunResult r = Engram(args);
    EXPECT_EQ(r.exit_code, kExitOk) << "stdout: " << r.out << "\nstderr: " << r.err;
    return r.json();
  }

  RunOptions BaseOptions() const {
    RunOptions options;
    options.scratch_dir = dir_.path();
    options.env = {
        {"HOME", dir_.path()}, {"ENGRAM_DB", std::nullopt}, {"XDG_DATA_HOME", std::nullopt}};
    options.env.insert(options.env.end(), env_.begin(), env_.end());
    return options;
  }

  std::string db_path() const { return dir_.File("engram.db"); }

  TempDir dir_;
  // More environment for every run of Engram (ENGRAM_EMBEDDER=none, ...).
  std::vector<std::pair<std::string, std::optional<std::string>>> env_;
};

}  // namespace engram::testing
