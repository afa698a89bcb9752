// The `engram` command-line tool (docs/CLI.md).
//
// Main parses argv with CLI11, runs one command against the Engine and maps
// the result to an exit code. No exception escapes it.
//
// Ownership: src/cli/. Thread safety: call from one thread (it owns the
// process's stdin/stdout/stderr for its duration).
#pragma once

namespace CLI {
class App;
}  // namespace CLI

namespace engram::cli {

int Main(int argc, char** argv);

class Context;
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
