// Deterministic normalisation of step actions and error messages, so that
// the same kind of step meets itself across episodes ("run tests in a.ts"
// and "run tests in b.ts" both become "run tests in <path>").
// docs/LEARNING.md, "Patterns and heuristics", states the rules.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "engram/episode.h"

namespace engram::learn {

struct NormalizeOptions {
  // Tokens kept after normalisation (flags are dropped first).
  int max_tokens = 4;
};

// Lower-cases and splits on white space, then per token: strips surrounding
// quotes and punctuation; a quoted string becomes <str>; a path (contains
// '/' or '\', or ends in a 1-5 letter extension like ".ts") becomes <path>;
// a number, hex id (>= 7 hex digits with a digit) or UUID becomes <n>; a
// flag ("-x", "--name") is dropped. Runs of the same placeholder collapse
// to one; the first max_tokens tokens are joined by single spaces.
std::string NormalizeAction(std::string_view action, NormalizeOptions options = {});

// "<tool>:<normalized action>", tool lower-cased: the identity of a step.
std::string StepSignature(const Step& step, NormalizeOptions options = {});

// The first line of an error output, normalised like an action (max 5
// tokens); "" when empty.
std::string NormalizeError(std::string_view output);

// True when the step checks something (tests, lints, status, diffs,
// searches): its normalised action's first or second token is one of
// check, verify, test, tests, lint, typecheck, tsc, pytest, jest, status,
// diff, grep, rg, find, search, inspect, or the tool is one of grep, rg,
// search, test, lint.
bool IsCheckStep(const Step& step);

}  // namespace engram::learn
