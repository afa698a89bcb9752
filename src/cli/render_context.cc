// PrintWhatWorked / PrintContextAdvice (render_context.h).
#include "cli/render_context.h"

#include <ostream>

#include "learn/what_worked.h"

namespace engram::cli {

void PrintWhatWorked(std::ostream& os, const WhatWorked& w) {
  for (const WorkedRecovery& r : w.recovery) os << "    fixed: " << r.text << "\n";
  if (!w.approach.empty()) os << "    approach: " << learn::JoinTexts(w.approach, " -> ") << "\n";
  for (const std::string& u : w.unresolved) os << "    never fixed: " << u << "\n";
}

void PrintContextAdvice(std::ostream& os, const ContextResponse& r) {
  if (!r.heuristics.empty()) {
    os << "heuristics:\n";
    for (const ContextHeuristic& h : r.heuristics) os << "  - " << h.description << "\n";
  }
  if (!r.warnings.empty()) {
    os << "warnings:\n";
    for (const ContextWarning& w : r.warnings) os << "  - [" << w.kind << "] " << w.text << "\n";
  }
}

}  // namespace engram::cli
