// Deterministic normalisation of step actions and error messages by
// meaning, so that the same kind of step meets itself across episodes:
// "await the login promise", "Await the session promise in a.ts" and "the
// LedgerClient promise should be awaited" all become "await promise";
// "npm test -- a.spec.ts", "yarn test" and "npm run test" all become
// "npm test". No network, no model: word lists and rules only
// (action_vocabulary.h). docs/LEARNING.md, "Action normalisation", states
// the rules.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "engram/episode.h"

namespace engram::learn {

struct NormalizeOptions {
  // true: normalise by meaning (the rules below). false: the previous rule
  // (the first max_tokens tokens with placeholders), kept so benchmarks can
  // compare the two.
  bool by_meaning = true;
  // Key terms kept after the verb (by meaning), sorted.
  int max_terms = 4;
  // Tokens kept by the previous rule (by_meaning = false).
  int max_tokens = 4;
};

// By meaning:
//  - Commands (the first word is a known program such as npm, git, pytest,
//    cargo; "go", "make", "find", "test", "cat", "open", "head", "tail",
//    "diff" only for a shell tool; or any first word for a shell tool when
//    it is not an English verb or stop word) become the program family and,
//    for programs with subcommands, the subcommand: "yarn run test -u" ->
//    "npm test", "npx jest x" -> "jest", "python -m pytest" -> "pytest",
//    "cd app && git commit -m 'x'" -> "git commit". Arguments are dropped.
//  - Prose is lower-cased and split into words. Quoted strings, paths,
//    numbers, hex ids, flags and identifiers (snake_case, camelCase,
//    dotted or with brackets) are arguments and dropped. A phrase opened by
//    an argument preposition (in, for, to, of, on, from, ...) is dropped up
//    to the next clause break (",", ";", "and", "then"). Stop words go.
//    Each word is stemmed (Stem). The verb is the first word that is a
//    known coding verb, mapped to its canonical synonym (repair -> fix,
//    execute -> run, delete -> remove, ...); the key terms are the other
//    words in the technical term list (promise, timeout, import, ...);
//    other words name the things the action was applied to and are dropped.
//    "by <verb>ing ..." makes the means the operation ("fix the test by
//    mocking the clock" -> "mock timer"); "to <verb>" after the verb starts
//    a purpose clause, which is dropped. A negation adds the term "no".
//    Result: "<verb> <terms sorted, at most max_terms>"; with no known verb
//    the first remaining word's stem stands in for it.
// Either way "" for an empty action.
std::string NormalizeAction(std::string_view action, NormalizeOptions options = {});

// Same, knowing the step's tool (a shell tool makes ambiguous first words
// commands).
std::string NormalizeStepAction(std::string_view tool, std::string_view action,
                                NormalizeOptions options = {});

// The tool's family: editor-like tools (IsEditorTool) -> "editor",
// shell-like tools -> "bash", others lower-cased. By_meaning = false: only
// lower-cased.
std::string NormalizeTool(std::string_view tool, NormalizeOptions options = {});

// "<tool family>:<normalized action>": the identity of a step.
std::string StepSignature(const Step& step, NormalizeOptions options = {});

// The class of an error output's first line: by meaning, the error names
// in it (TypeError, ENOENT, ...) and its technical terms, sorted, at most 3
// (else its first 3 remaining word stems); previously the first 5 tokens.
// "" when empty.
std::string NormalizeError(std::string_view output, NormalizeOptions options = {});

// True when the step checks something (runs tests, lints, type checks,
// searches, shows status or a diff): a check tool (grep, rg, search, test,
// lint, find, glob), a test run (IsTestStep), a checking program (pytest,
// jest, tsc, eslint, grep, ...) or subcommand (test, lint, status, diff,
// check, vet, ...), or prose whose verb is check or search. An editor step
// (IsEditorTool) is never a check.
bool IsCheckStep(const Step& step);

// True when the step only looks: a check step, or reading (verb read; cat,
// ls, head, tail, less, open, echo, pwd, tree, wc, which; git log, show,
// blame). Never an editor step. Such steps between a failure and its
// successful retry are not part of the fix.
bool IsReadOnlyStep(const Step& step);

}  // namespace engram::learn
