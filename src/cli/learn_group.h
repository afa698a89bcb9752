// `engram learn`: the command group for learning from material and
// maintaining what was learned (`learn diff`, `learn transcript`, and any
// later `learn ...` command). Each command file adds its subcommands to the
// one group through LearnGroup, which creates the group on first use, so no
// file owns the others' commands.
//
// Ownership: src/cli/. Thread safety: call while building the command tree
// (one thread).
#pragma once

namespace CLI {
class App;
}  // namespace CLI

namespace engram::cli {

// The `learn` subcommand of `app`, created (with its description) if absent.
CLI::App* LearnGroup(CLI::App& app);

}  // namespace engram::cli
