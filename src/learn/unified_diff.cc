// ParseUnifiedDiff (unified_diff.h): a line-by-line state machine. Outside a
// hunk, lines are file headers or metadata; inside one, each line is
// counted against the hunk header's old/new counts until both are used up.
#include "learn/unified_diff.h"

#include <charconv>
#include <optional>
#include <utility>

namespace engram::learn {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "a/src/x.ts\t2024-01-01 ..." -> "src/x.ts"; "/dev/null" -> "".
std::string HeaderPath(std::string_view rest) {
  const std::size_t tab = rest.find('\t');
  if (tab != std::string_view::npos) rest = rest.substr(0, tab);
  while (!rest.empty() && rest.back() == ' ') rest.remove_suffix(1);
  if (rest == "/dev/null") return "";
  if (StartsWith(rest, "a/") || StartsWith(rest, "b/")) rest.remove_prefix(2);
  return std::string(rest);
}

// Reads "l" or "l,n" at the front of `s`; n defaults to 1.
bool ReadRange(std::string_view& s, int& start, int& count) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), start);
  if (ec != std::errc() || start < 0) return false;
  s.remove_prefix(static_cast<std::size_t>(p - s.data()));
  count = 1;
  if (!s.empty() && s.front() == ',') {
    s.remove_prefix(1);
    auto [q, ec2] = std::from_chars(s.data(), s.data() + s.size(), count);
    if (ec2 != std::errc() || count < 0) return false;
    s.remove_prefix(static_cast<std::size_t>(q - s.data()));
  }
  return true;
}

// "@@ -1,3 +1,4 @@ fn" -> the hunk's ranges; nullopt if malformed.
std::optional<DiffHunk> ParseHunkHeader(std::string_view line) {
  DiffHunk h;
  h.header = std::string(line);
  std::string_view s = line.substr(2);
  if (!StartsWith(s, " -")) return std::nullopt;
  s.remove_prefix(2);
  if (!ReadRange(s, h.old_start, h.old_count)) return std::nullopt;
  if (!StartsWith(s, " +")) return std::nullopt;
  s.remove_prefix(2);
  if (!ReadRange(s, h.new_start, h.new_count)) return std::nullopt;
  if (!StartsWith(s, " @@")) return std::nullopt;
  return h;
}

class Parser {
 public:
  Status Line(std::string_view line, int number) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (in_hunk()) return HunkLine(line, number);
    if (StartsWith(line, "diff --git ")) {
      diff_.files.emplace_back();
      // "diff --git a/x b/y": the paths, until ---/+++ lines (if any) say more.
      const std::string_view paths = line.substr(11);
      const std::size_t b = paths.find(" b/");
      if (StartsWith(paths, "a/") && b != std::string_view::npos) {
        diff_.files.back().old_path = std::string(paths.substr(2, b - 2));
        diff_.files.back().new_path = std::string(paths.substr(b + 3));
      }
      headers_done_ = false;
      return Status::Ok();
    }
    if (StartsWith(line, "--- ") && !headers_done_pending_) {
      // A "---" without "diff --git" (plain diff -u), or after one.
      if (diff_.files.empty() || headers_done_) diff_.files.emplace_back();
      diff_.files.back().old_path = HeaderPath(line.substr(4));
      headers_done_pending_ = true;
      return Status::Ok();
    }
    if (headers_done_pending_) {
      if (!StartsWith(line, "+++ ")) {
        return Error(number, "expected a '+++ ' line after the '--- ' file header");
      }
      diff_.files.back().new_path = HeaderPath(line.substr(4));
      headers_done_pending_ = false;
      headers_done_ = true;
      return Status::Ok();
    }
    if (StartsWith(line, "@@")) {
      if (diff_.files.empty() || !headers_done_) {
        return Error(number, "hunk header before any '--- '/'+++ ' file header");
      }
      std::optional<DiffHunk> h = ParseHunkHeader(line);
      if (!h) return Error(number, "malformed hunk header (expected '@@ -l,n +l,n @@')");
      old_left_ = h->old_count;
      new_left_ = h->new_count;
      diff_.files.back().hunks.push_back(std::move(*h));
      return Status::Ok();
    }
    if (!diff_.files.empty() && StartsWith(line, "Binary files ")) {
      diff_.files.back().binary = true;
      return Status::Ok();
    }
    return Status::Ok();  // metadata (index, mode, rename) or preamble text
  }

  Result<UnifiedDiff> Finish(int last_line) {
    if (headers_done_pending_) return Error(last_line, "the diff ends inside a file header");
    if (in_hunk()) {
      return Error(last_line, "the diff ends inside a hunk (" + std::to_string(old_left_) +
                                  " old and " + std::to_string(new_left_) + " new lines missing)");
    }
    if (diff_.files.empty()) {
      return Status::InvalidArgument(
          "no file changes found in the diff (expected unified diff output with '--- '/'+++ ' "
          "file headers and '@@' hunks)");
    }
    return std::move(diff_);
  }

 private:
  bool in_hunk() const { return old_left_ > 0 || new_left_ > 0; }

  Status HunkLine(std::string_view line, int number) {
    if (StartsWith(line, "\\")) return Status::Ok();  // "\ No newline at end of file"
    DiffHunk& hunk = diff_.files.back().hunks.back();
    const char mark = line.empty() ? ' ' : line.front();
    const std::string_view text = line.empty() ? line : line.substr(1);
    DiffLineKind kind;
    if (mark == ' ') {
      if (old_left_ == 0 || new_left_ == 0) return Short(number, hunk);
      --old_left_;
      --new_left_;
      kind = DiffLineKind::kContext;
    } else if (mark == '-') {
      if (old_left_ == 0) return Short(number, hunk);
      --old_left_;
      kind = DiffLineKind::kRemoved;
    } else if (mark == '+') {
      if (new_left_ == 0) return Short(number, hunk);
      --new_left_;
      kind = DiffLineKind::kAdded;
    } else {
      return Short(number, hunk);
    }
    hunk.lines.push_back(DiffLine{kind, std::string(text)});
    return Status::Ok();
  }

  Status Short(int number, const DiffHunk& hunk) {
    return Error(number, "hunk '" + hunk.header + "' ends early: " + std::to_string(old_left_) +
                             " old and " + std::to_string(new_left_) +
                             " new lines announced by its header are missing");
  }

  static Status Error(int number, const std::string& what) {
    return Status::InvalidArgument("diff line " + std::to_string(number) + ": " + what);
  }

  UnifiedDiff diff_;
  int old_left_ = 0, new_left_ = 0;
  bool headers_done_ = false;          // the current file has its ---/+++ pair
  bool headers_done_pending_ = false;  // saw "---", expecting "+++"
};

}  // namespace

std::vector<std::string> DiffHunk::Removed() const {
  std::vector<std::string> out;
  for (const DiffLine& l : lines) {
    if (l.kind == DiffLineKind::kRemoved) out.push_back(l.text);
  }
  return out;
}

std::vector<std::string> DiffHunk::Added() const {
  std::vector<std::string> out;
  for (const DiffLine& l : lines) {
    if (l.kind == DiffLineKind::kAdded) out.push_back(l.text);
  }
  return out;
}

std::string DiffHunk::Text() const {
  std::string out = header + "\n";
  for (const DiffLine& l : lines) {
    out += l.kind == DiffLineKind::kContext ? ' ' : (l.kind == DiffLineKind::kRemoved ? '-' : '+');
    out += l.text;
    out += '\n';
  }
  return out;
}

Result<UnifiedDiff> ParseUnifiedDiff(std::string_view text, const DiffParseOptions& options) {
  if (text.size() > options.max_bytes) {
    return Status::InvalidArgument("diff is " + std::to_string(text.size()) +
                                   " bytes, more than the limit of " +
                                   std::to_string(options.max_bytes));
  }
  Parser parser;
  int number = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ENGRAM_RETURN_IF_ERROR(parser.Line(line, ++number));
  }
  return parser.Finish(number);
}

}  // namespace engram::learn
