// ColumnList: a SELECT's columns written once. The names, in order, give
// both the SQL select list and each column's position in the row, and a
// position is looked up by name when the code is compiled, so a row decoder
// can neither read a column the query does not select nor count positions
// wrong:
//
//   constexpr auto kCols = Columns("id", "kind", "created_at");
//   conn.Query("SELECT " + kCols.Select() + " FROM t WHERE id = ?", id);
//   p.kind = st.Text(kCols["kind"]);   // kCols["knd"] does not compile
//
// A computed column is written "<expression> AS <name>" and found by name.
//
// Ownership: names are static string literals.
// Thread safety: immutable values.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace engram::sqlite {

template <std::size_t N>
struct ColumnList {
  std::array<std::string_view, N> names;

  // The position of `name`; an unknown name is not a constant expression,
  // so the call does not compile.
  consteval int operator[](std::string_view name) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (NameOf(names[i]) == name) return static_cast<int>(i);
    }
    throw "no such column in this ColumnList";
  }

  static constexpr int size() { return static_cast<int>(N); }

  // "expr AS name" -> "name"; a plain column is its own name.
  static constexpr std::string_view NameOf(std::string_view column) {
    const std::size_t as = column.rfind(" AS ");
    return as == std::string_view::npos ? column : column.substr(as + 4);
  }

  // "id, kind, created_at"; with a table alias "t.id, t.kind, t.created_at".
  std::string Select(std::string_view alias = {}) const {
    std::string out;
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) out += ", ";
      if (!alias.empty()) out.append(alias).append(".");
      out.append(names[i]);
    }
    return out;
  }
};

template <typename... Names>
consteval ColumnList<sizeof...(Names)> Columns(Names... names) {
  return {{std::string_view(names)...}};
}

}  // namespace engram::sqlite
