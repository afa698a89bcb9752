// `engram import chroma FILE`: bring lessons in from other memory stores
// (include/engram/chroma_import.h has the mapping).
//
// Ownership: src/cli/. Thread safety: one invocation, one thread.
#pragma once

#include "cli/context.h"

namespace engram::cli {

void AddImportCommands(CLI::App& app, Context& ctx);

}  // namespace engram::cli
