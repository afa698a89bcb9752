// Turning command-line strings into engram values, with errors that name
// the argument ("--task-type: unknown task type ..."). JSON arguments use
// ParseJson (engram/json.h), which names the argument too.
//
// Ownership: src/cli/. Thread safety: pure functions (ReadTextArg reads the
// given stream).
#pragma once

#include <CLI/CLI.hpp>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "engram/status.h"

namespace engram::cli {

// Runs a core Parse* function on `value`; an error is prefixed with `flag`.
template <typename E, typename Parse>
Result<E> ParseEnumArg(Parse parse, const std::string& value, std::string_view flag) {
  Result<E> parsed = parse(value);
  if (!parsed.ok()) {
    return Status(parsed.status().code(), std::string(flag) + ": " + parsed.status().message());
  }
  return parsed;
}

// A `--status` filter (candidates list, contradictions): "all" is no filter
// (nullopt), else a name `parse` accepts. Every command spells it the same
// way, and a bad value names every accepted one, "all" included:
// "--status: unknown candidate status 'x'; expected one of: pending,
// approved, rejected, all".
template <typename E, typename Parse>
Result<std::optional<E>> ParseStatusFilter(Parse parse, const std::string& value) {
  if (value == "all") return std::optional<E>();
  Result<E> parsed = parse(value);
  if (!parsed.ok()) {
    // The core message ends with the list of names (core/name_table.h).
    return Status(parsed.status().code(), "--status: " + parsed.status().message() + ", all");
  }
  return std::optional<E>(*parsed);
}

// `value` itself, or all of `in` when `value` is "-".
Result<std::string> ReadTextArg(const std::string& value, std::istream& in, std::string_view flag);

// `value` if `option` was given on the command line, else nullopt.
template <typename T>
std::optional<T> IfGiven(const CLI::Option* option, const T& value) {
  if (option->count() == 0) return std::nullopt;
  return value;
}

}  // namespace engram::cli
