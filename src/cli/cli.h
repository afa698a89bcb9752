// The `engram` command-line tool (docs/CLI.md).
//
// Main parses argv with CLI11, runs one command against the Engine and maps
// the result to an exit code. No exception escapes it.
//
// Ownership: src/cli/. Thread safety: call from one thread (it owns the
// process's stdin/stdout/stderr for its duration).
#pragma once

#include <functional>
#include <string>

namespace CLI {
class App;
}  // namespace CLI

namespace engram::cli {

// The `engram` program: RunProgram over every product command.
int Main(int argc, char** argv);

class Context;

// A command-line program built on Context (`engram`, and `engram-bench`
// in src/bench_cli/): its name, for help and error messages, and the
// commands it offers.
struct Program {
  std::string name;         // "engram"
  std::string description;  // the first line of --help
  // Offers the global --db option (engram-bench's commands use scratch
  // stores and do not). Default true.
  bool db_option = true;
  std::function<void(CLI::App&, Context&)> add_commands;
};

// Parses argv, runs the chosen command against a Context over the standard
// streams and maps every outcome (exceptions included) to an exit code.
int RunProgram(const Program& program, int argc, char** argv);
// `engram feedback ...` (feedback_cmd.cc).
void AddFeedbackCommands(CLI::App& app, Context& ctx);
// `engram contradictions ...` (contradictions_cmd.cc).
void AddContradictionCommands(CLI::App& app, Context& ctx);
// `engram learn decay` (learn_decay_cmd.cc); adds the `learn` group if missing.
void AddLearnDecayCommand(CLI::App& app, Context& ctx);
// `engram pattern ...`, `engram heuristic ...` (pattern_cmd.cc).
void AddPatternCommands(CLI::App& app, Context& ctx);
// `engram candidates ...`, `engram learn diff|transcript` (candidates_cmd.cc).
void AddCandidateCommands(CLI::App& app, Context& ctx);

}  // namespace engram::cli
