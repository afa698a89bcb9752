// The accepted names of each model enum, in declaration order: what
// schemas, help texts and error messages list. They come from the same
// tables that ToString and Parse* use (src/core/enums.cc), so a list can
// never drift from what the parser accepts.
//
// Ownership: each call returns a new vector of copies.
// Thread safety: stateless functions, safe from any thread.
#pragma once

#include <string>
#include <vector>

namespace engram {

std::vector<std::string> TaskTypeNames();      // "code_generation", ..., "other"
std::vector<std::string> ComplexityNames();    // "simple", "moderate", "complex"
std::vector<std::string> StepStatusNames();    // "success", "error", "timeout"
std::vector<std::string> OutcomeKindNames();   // "success", "partial", "failure", "abstained"
std::vector<std::string> LessonTypeNames();    // "best_practice", ..., "example"
std::vector<std::string> LessonScopeNames();   // "global", "project"
std::vector<std::string> LessonSourceNames();  // "manual", ..., "diff"

}  // namespace engram
