// Parsing unified diffs (`git diff`, `git show`, `diff -u` output) into
// files, hunks and their removed/added/context lines, for the diff
// candidate rules (diff_candidates.h, docs/LEARNING.md "Gated candidates").
//
// Accepted: optional text before the first file (a commit message), `diff
// --git` headers, `index`/mode/rename/similarity lines, "Binary files ...
// differ", `--- a/x` / `+++ b/x` headers (the a/ b/ prefixes and a trailing
// tab-separated timestamp are dropped), `@@ -l[,n] +l[,n] @@` hunks,
// "\ No newline at end of file", CRLF line ends. A hunk must hold exactly
// the line counts its header announces (an empty line inside a hunk counts
// as an empty context line, as some tools strip the leading space).
// Malformed input is InvalidArgument naming the line number and the problem.
//
// Thread safety: pure functions over plain values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "engram/status.h"

namespace engram::learn {

enum class DiffLineKind { kContext, kRemoved, kAdded };

struct DiffLine {
  DiffLineKind kind = DiffLineKind::kContext;
  std::string text;  // without the leading ' ', '-' or '+'
};

struct DiffHunk {
  std::string header;  // the whole "@@ ... @@ section" line
  int old_start = 0, old_count = 0, new_start = 0, new_count = 0;
  std::vector<DiffLine> lines;

  std::vector<std::string> Removed() const;
  std::vector<std::string> Added() const;
  // The hunk as it appeared in the diff (header, then " ", "-", "+" lines).
  std::string Text() const;
};

struct FileDiff {
  std::string old_path;  // "" for /dev/null (a new file)
  std::string new_path;  // "" for /dev/null (a deleted file)
  bool binary = false;
  std::vector<DiffHunk> hunks;

  // new_path, else old_path.
  const std::string& path() const { return new_path.empty() ? old_path : new_path; }
};

struct UnifiedDiff {
  std::vector<FileDiff> files;
};

struct DiffParseOptions {
  // Larger input is refused (InvalidArgument) before parsing. Default 8 MiB.
  std::size_t max_bytes = 8 * 1024 * 1024;
};

// InvalidArgument for malformed input, and when the text holds no file
// header at all ("no file changes found ...").
Result<UnifiedDiff> ParseUnifiedDiff(std::string_view text, const DiffParseOptions& options = {});

}  // namespace engram::learn
