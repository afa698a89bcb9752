// The word lists behind meaning-based action normalisation
// (action_normalizer.h, docs/LEARNING.md "Action normalisation"): stop
// words, canonical verbs with their synonyms, the technical terms kept as
// an action's key terms, and the command-line programs recognised at the
// start of a shell command. Every lookup goes through Stem(), so one entry
// covers a word's inflections ("await", "awaits", "awaited", "awaiting").
//
// Ownership: static tables built once on first use.
// Thread safety: pure functions over immutable tables (initialised
// thread-safely as function-local statics).
#pragma once

#include <string>
#include <string_view>

namespace engram::learn {

// Light English stemmer: lower-case ASCII in; strips a plural or verb
// inflection ("-ies" -> "i", "-s" except after s/u/i, "-ing", "-ed"), then
// a final "e", turns a final consonant + "y" into "i", then drops one of a
// final doubled consonant (except l, s, z).
// Every word passes through the same rules, so inflections meet even when
// the stem is not a word ("update", "updated", "updating" -> "updat").
std::string Stem(std::string_view word);

// Articles, pronouns, auxiliaries, fillers and the prepositions that do
// not start an argument phrase. Takes a stem.
bool IsStopStem(std::string_view stem);

// Prepositions that start an argument phrase ("in <file>", "for <user>",
// "to <value>", "of <module>"): the words after one, up to the next clause
// break, name what the action was applied to and are dropped. Takes a stem.
bool IsArgumentPreposition(std::string_view stem);

// Negations ("not", "no", "never", "don't", "without"): kept as the term "no".
bool IsNegationStem(std::string_view stem);

// The canonical verb of a stem ("repair" -> "fix", "execut" -> "run",
// "delet" -> "remove"), or "" when the stem is not a known coding verb.
std::string_view CanonicalVerb(std::string_view stem);

// The canonical verb of a two-word verb: a stem and the next word as
// written ("comment out" -> "skip", "look for" -> "search", "set up" ->
// "configure", "roll back" -> "revert", "wait for" -> "await"), or "".
std::string_view PhrasalVerb(std::string_view stem, std::string_view particle);

// The display form of a technical term ("promis" -> "promise"), or "" when
// the stem is not in the term list.
std::string_view CanonicalTerm(std::string_view stem);

// Command-line programs. CanonicalProgram maps a lower-cased first word of
// a command to its family ("yarn", "pnpm", "bun" -> "npm"; "python3" ->
// "python"), or "" when unknown. `ambiguous` is set for programs that are
// also English words ("go", "make", "find", "test", "cat", "open"), which
// count as a command only for a shell tool.
std::string_view CanonicalProgram(std::string_view word, bool* ambiguous);

// Programs whose next plain word is a subcommand that belongs to the
// action ("git commit", "npm test", "cargo build"); for the others (pytest,
// jest, grep, ...) the next word is an argument.
bool TakesSubcommand(std::string_view program);

// Shell-like tools ("bash", "shell", "terminal", ...), lower-cased.
bool IsShellTool(std::string_view tool);

}  // namespace engram::learn
