// `engram mcp`, `engram serve --ndjson`, `engram call` and `engram ops`: the
// command-line faces of the operation table (src/server/).
//
// Ownership: src/cli/. Thread safety: one invocation, one thread.
#pragma once

#include "cli/context.h"

namespace engram::cli {

void AddServerCommands(CLI::App& app, Context& ctx);

}  // namespace engram::cli
