// NameTable: the one way an enum gets its string names. A constexpr array of
// (value, name) pairs drives both directions, so names cannot drift apart,
// and a parse failure lists every accepted name:
//   "invalid_argument: unknown task type 'x'; expected one of: a, b, c".
//
// Ownership: tables are constexpr data; names are static string literals.
// Thread safety: stateless functions, safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "engram/status.h"

namespace engram::core_internal {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

// The name of `value`, or "unknown" for a value outside the table.
template <typename E, std::size_t N>
std::string_view NameOf(const NameTable<E, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}

// The value named `s`; `what` names the enum in the error ("task type").
template <typename E, std::size_t N>
Result<E> ParseName(const NameTable<E, N>& table, std::string_view what, std::string_view s) {
  for (const auto& [e, name] : table) {
    if (name == s) return e;
  }
  std::string msg = "unknown ";
  msg.append(what).append(" '").append(s).append("'; expected one of: ");
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) msg += ", ";
    msg += table[i].second;
  }
  return Status::InvalidArgument(std::move(msg));
}

}  // namespace engram::core_internal
