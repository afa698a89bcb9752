// Step kinds by what a step does (declared in action_normalizer.h): a
// check verifies (tests, linters, type checks, searches; an editor step
// never is one), a read-only step only looks (checks, cat, ls, git log).
// Both classify the normalised action (NormalizeStepAction).
//
// Thread safety: pure functions.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <sstream>
#include <string>

#include "core/step_analysis.h"
#include "learn/action_normalizer.h"
#include "learn/action_tokens.h"
#include "learn/action_vocabulary.h"

namespace engram::learn {

bool IsCheckStep(const Step& step) {
  if (IsEditorTool(step.tool)) return false;
  static constexpr std::string_view kTools[] = {"grep", "rg",   "search", "test",
                                                "lint", "find", "glob"};
  const std::string tool = ToLower(step.tool);
  if (std::find(std::begin(kTools), std::end(kTools), tool) != std::end(kTools)) return true;
  if (IsTestStep(step)) return true;
  const std::string key = NormalizeStepAction(step.tool, step.action);
  std::istringstream in(key);
  std::string first, second;
  in >> first >> second;
  static constexpr std::string_view kPrograms[] = {
      "grep",  "rg",    "tsc",   "eslint",  "mypy", "ruff", "pytest", "jest",  "vitest",
      "mocha", "ctest", "rspec", "phpunit", "tox",  "find", "diff",   "check", "search"};
  static constexpr std::string_view kSubcommands[] = {
      "test", "lint", "status", "diff", "check", "typecheck", "vet", "clippy", "tsc"};
  if (std::find(std::begin(kPrograms), std::end(kPrograms), first) != std::end(kPrograms)) {
    return true;
  }
  if (first == "run" && key.find(" test") != std::string::npos) return true;  // "run the tests"
  return std::find(std::begin(kSubcommands), std::end(kSubcommands), second) !=
             std::end(kSubcommands) &&
         CanonicalVerb(Stem(first)).empty();
}

bool IsReadOnlyStep(const Step& step) {
  if (IsEditorTool(step.tool)) return false;
  if (IsCheckStep(step)) return true;
  const std::string key = NormalizeStepAction(step.tool, step.action);
  const std::string first = key.substr(0, key.find(' '));
  static constexpr std::string_view kReaders[] = {"read", "cat",  "ls",  "head", "tail", "less",
                                                  "open", "echo", "pwd", "tree", "wc",   "which"};
  if (std::find(std::begin(kReaders), std::end(kReaders), first) != std::end(kReaders)) return true;
  return key == "git log" || key == "git show" || key == "git blame";
}

}  // namespace engram::learn
