// Human form of the "what worked" part of `engram context`
// (include/engram/what_worked.h): per episode its recoveries, approach and
// unresolved failures; after the lessons the heuristics that apply, the
// warnings and nothing else (the summary is for agents, in --json).
//
// Ownership: src/cli/. Thread safety: pure functions over the given stream.
#pragma once

#include <iosfwd>

#include "engram/search.h"

namespace engram::cli {

// "    fixed: ..." / "    approach: ..." / "    never fixed: ..." lines.
void PrintWhatWorked(std::ostream& os, const WhatWorked& what_worked);

// "heuristics:" and "warnings:" blocks; nothing when both are empty.
void PrintContextAdvice(std::ostream& os, const ContextResponse& response);

}  // namespace engram::cli
