#include "cli/learn_group.h"

#include <CLI/CLI.hpp>

namespace engram::cli {

CLI::App* LearnGroup(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App* s) { return s->get_name() == "learn"; })) {
    return sub;
  }
  CLI::App* learn = app.add_subcommand(
      "learn", "Learn from material (diffs, transcripts) and maintain what was learned");
  learn->require_subcommand(1);
  return learn;
}

}  // namespace engram::cli
