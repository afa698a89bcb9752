// Runs the real `engram` binary (ENGRAM_BINARY), or another program such as
// engram-bench, as a child process and captures its exit code, stdout and
// stderr. For the CLI integration tests.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engram/json.h"

namespace engram::testing {

struct RunResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string out;
  std::string err;
  // stdout parsed as one JSON document (a parse failure is a test failure
  // and yields null).
  Json json() const;
};

struct RunOptions {
  // Environment changes over the test's environment: a value sets the
  // variable, nullopt removes it.
  std::vector<std::pair<std::string, std::optional<std::string>>> env;
  std::string stdin_text;
  // Where the child's stdin/stdout/stderr files go; must exist.
  std::string scratch_dir = "/tmp";
  // The program run. Default the engram binary.
  std::string binary = ENGRAM_BINARY;
};

RunResult RunEngram(const std::vector<std::string>& args, const RunOptions& options);

}  // namespace engram::testing
