// Token classes of step actions and error lines, shared by the action
// normaliser (action_normalizer.cc) and the step kinds (step_kinds.cc):
// splitting with quoted runs, numbers and hex ids, paths, identifiers.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace engram::learn {

char Lower(char c);  // ASCII
std::string ToLower(std::string_view s);
bool IsAsciiUpper(char c);
bool IsAsciiLower(char c);
bool IsAsciiDigit(char c);
// Punctuation stripped from both ends of a token (a path keeps its inner
// slashes and dots).
bool IsEdgePunct(char c);
// Numbers, versions, hex ids (commit hashes) and UUIDs.
bool IsNumberLike(std::string_view t);
// A '/' or '\', or a short alphabetic extension after a dot.
bool IsPathLike(std::string_view t);
// A '/' or '\', or a known file extension written in lower case
// ("parser.ts"; not "sync.Mutex", "it.skip", "Date.now").
bool IsFilePath(std::string_view t);
// snake_case, camelCase, dotted.names, call(), a::b, $var, @scope, a=b,
// letters mixed with digits.
bool IsIdentifierLike(std::string_view t);
bool LettersOnly(std::string_view t);
// Splits on white space; a quoted run ("a b") is one token marked quoted.
std::vector<std::pair<std::string, bool>> Tokenize(std::string_view s);

}  // namespace engram::learn
