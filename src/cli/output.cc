#include "cli/output.h"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <utility>

namespace engram::cli {
namespace {

// Characters, not bytes: UTF-8 continuation bytes do not count.
std::size_t DisplayWidth(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

}  // namespace

std::string JsonText(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void WriteJson(std::ostream& os, const Json& json) { os << JsonText(json) << "\n"; }

std::string FormatTime(const std::optional<Timestamp>& ms) {
  return ms.has_value() ? FormatIso8601(*ms) : "-";
}

void PrintField(std::ostream& os, std::string_view label, std::string_view value, int indent) {
  constexpr std::size_t kLabelWidth = 13;
  os << std::string(static_cast<std::size_t>(indent), ' ') << label;
  os << std::string(label.size() < kLabelWidth ? kLabelWidth - label.size() : 1, ' ') << value
     << "\n";
}

std::string FormatDuration(std::int64_t ms) {
  char buf[48];
  if (ms < 0) return "-" + FormatDuration(-ms);
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
  } else if (ms < 60 * 1000) {
    std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(ms) / 1000.0);
  } else if (ms < 60 * 60 * 1000) {
    std::snprintf(buf, sizeof buf, "%lldm %02llds", static_cast<long long>(ms / 60000),
                  static_cast<long long>(ms / 1000 % 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lldh %02lldm", static_cast<long long>(ms / 3600000),
                  static_cast<long long>(ms / 60000 % 60));
  }
  return buf;
}

std::string Preview(std::string_view text, std::size_t max_chars) {
  const std::size_t newline = text.find('\n');
  bool cut = newline != std::string_view::npos && newline + 1 < text.size();
  std::string_view line = text.substr(0, newline);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::size_t chars = 0;
  std::size_t end = 0;
  for (; end < line.size(); ++end) {
    if ((line[end] & 0xC0) == 0x80) continue;  // inside a UTF-8 sequence
    if (chars == max_chars) {
      cut = true;
      break;
    }
    ++chars;
  }
  std::string out(line.substr(0, end));
  if (cut) out += "…";
  return out;
}

Table::Table(std::vector<std::string> header) : header_(std::move(header)) {}

void Table::Add(std::vector<std::string> row) {
  row.resize(header_.size());
  rows_.push_back(std::move(row));
}

void Table::Print(std::ostream& os) const {
  std::vector<std::size_t> widths(header_.size());
  for (std::size_t c = 0; c < header_.size(); ++c) {
    widths[c] = DisplayWidth(header_[c]);
    for (const auto& row : rows_) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - DisplayWidth(row[c]) + 2, ' ');
    }
    os << line << "\n";
  };
  print_row(header_);
  for (const auto& row : rows_) print_row(row);
}

std::function<void(int, int)> ProgressBar(bool enabled) {
  return [enabled](int done, int total) {
    if (!enabled || total <= 0) return;
    constexpr int kWidth = 30;
    const int filled = std::clamp(done, 0, total) * kWidth / total;
    std::fprintf(stderr, "\r[%.*s%*s] %d/%d", filled, "##############################",
                 kWidth - filled, "", done, total);
    if (done >= total) std::fprintf(stderr, "\n");
  };
}

}  // namespace engram::cli
