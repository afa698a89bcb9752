// Data-driven protocol transcripts for the MCP and NDJSON servers.
//
// A transcript file holds request lines ("> {...}") each followed by the
// expected response ("< {...}"), or by no "<" line when no response is
// expected (notifications). Lines starting with '#' and blank lines are
// ignored. Expected responses match the actual ones as a subset: every key
// in an expected object must match (extra actual keys are fine), arrays must
// have the same length unless the expected array ends with "{{...}}".
// Placeholders in expected strings:
//   "{{any}}"            any value
//   "{{capture:NAME}}"   any value, remembered as NAME
//   "{{starts:TEXT}}"    a string starting with TEXT
//   "{{contains:TEXT}}"  a string containing TEXT
// "{{NAME}}" in a request or expected line is replaced by the captured
// value (its JSON text without quotes for strings).
//
// Thread safety: single-threaded test helper.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engram/json.h"

namespace engram::testing {

struct TranscriptStep {
  int line = 0;  // 1-based line of the request in the file
  std::string request;
  std::optional<std::string> expected;
};

// Parses a transcript file; fails the current test on malformed files.
std::vector<TranscriptStep> LoadTranscript(const std::string& path);

// Returns "" when `actual` matches `expected`, else a description of the
// first mismatch. Captures go into `vars`.
std::string MatchJson(const Json& expected, const Json& actual, const std::string& path,
                      std::map<std::string, Json>& vars);

// Replaces {{NAME}} in `text` with captured values.
std::string Substitute(const std::string& text, const std::map<std::string, Json>& vars);

// Runs every step through `handle`, reporting mismatches as test failures.
void RunTranscript(const std::string& path,
                   const std::function<std::optional<std::string>(const std::string&)>& handle);

}  // namespace engram::testing
