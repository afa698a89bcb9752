// DiffCandidates (diff_candidates.h): the replaced_api and fix_shape rules.
#include "learn/diff_candidates.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "core/similarity.h"
#include "core/step_analysis.h"

namespace engram::learn {
namespace {

constexpr std::array<std::string_view, 14> kNotCalls = {
    "if",     "for",    "while", "switch", "catch", "return", "function",
    "sizeof", "typeof", "elif",  "with",   "await", "assert", "def"};

// Words that make a one-token shape a real change rather than a rename.
constexpr std::array<std::string_view, 27> kShapeKeywords = {
    "var",       "let",       "const",    "await",   "async",   "static",    "final",
    "readonly",  "mut",       "pub",      "public",  "private", "protected", "inline",
    "constexpr", "noexcept",  "override", "virtual", "nullptr", "null",      "None",
    "NULL",      "undefined", "true",     "false",   "nil",     "new"};

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}
bool IsIdentChar(char c) {
  return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) != 0;
}

template <std::size_t N>
bool In(const std::array<std::string_view, N>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool IsCommentLine(std::string_view line) {
  const std::size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) return true;
  line.remove_prefix(i);
  return line.substr(0, 2) == "//" || line.substr(0, 2) == "/*" || line.front() == '#' ||
         line.front() == '*';
}

// Tokens of a line: identifier chains ("a.b.c", "a::b"), numbers, string
// literals (as one token, quotes kept), and runs of operator characters
// (brackets and separators are single tokens).
std::vector<std::string> Tokens(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      ++i;
    } else if (IsIdentStart(c)) {
      std::size_t j = i;
      for (;;) {
        while (j < s.size() && IsIdentChar(s[j])) ++j;
        if (j + 1 < s.size() && s[j] == '.' && IsIdentStart(s[j + 1])) {
          ++j;
        } else if (j + 2 < s.size() && s[j] == ':' && s[j + 1] == ':' && IsIdentStart(s[j + 2])) {
          j += 2;
        } else {
          break;
        }
      }
      out.emplace_back(s.substr(i, j - i));
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      std::size_t j = i;
      while (j < s.size() && (IsIdentChar(s[j]) || s[j] == '.')) ++j;
      out.emplace_back(s.substr(i, j - i));
      i = j;
    } else if (c == '"' || c == '\'' || c == '`') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != c) j += (s[j] == '\\') ? 2 : 1;
      j = std::min(j + 1, s.size());
      out.emplace_back(s.substr(i, j - i));
      i = j;
    } else if (std::string_view("()[]{},;").find(c) != std::string_view::npos) {
      out.emplace_back(1, c);
      ++i;
    } else {
      std::size_t j = i;
      while (j < s.size() && std::ispunct(static_cast<unsigned char>(s[j])) != 0 &&
             std::string_view("()[]{},;\"'`_$").find(s[j]) == std::string_view::npos) {
        ++j;
      }
      out.emplace_back(s.substr(i, j - i));
      i = j;
    }
  }
  return out;
}

bool IsIdentToken(const std::string& t) { return !t.empty() && IsIdentStart(t.front()); }

// The last 3 parts of a callee chain: "a.b.c.d" -> "b.c.d".
std::string ShortChain(const std::string& chain) {
  std::size_t pos = chain.size();
  for (int parts = 0; parts < 3; ++parts) {
    const std::size_t dot = chain.find_last_of('.', pos == 0 ? 0 : pos - 1);
    if (dot == std::string::npos || pos == 0) return chain;
    pos = dot;
  }
  return chain.substr(pos + 1);
}

std::string Join(const std::vector<std::string>& items, std::string_view sep,
                 std::string_view quote = "") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += std::string(quote) + items[i] + std::string(quote);
  }
  return out;
}

// Framework hints: an identifier (or prefix ending in '.') -> framework.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kFrameworkHints = {{
    {"useEffect", "react"},      {"useState", "react"},
    {"useMemo", "react"},        {"useCallback", "react"},
    {"useRef", "react"},         {"useContext", "react"},
    {"useReducer", "react"},     {"React.", "react"},
    {"useStore", "react"},       {"jest.", "jest"},
    {"vi.", "vitest"},           {"pytest", "pytest"},
    {"TEST_F", "googletest"},    {"EXPECT_EQ", "googletest"},
    {"ASSERT_EQ", "googletest"}, {"express", "express"},
    {"django", "django"},        {"flask", "flask"},
    {"tokio", "tokio"},          {"sqlx", "sqlx"},
    {"createMachine", "xstate"}, {"Vue.", "vue"},
}};

std::string FrameworkFor(const std::vector<std::string>& identifiers) {
  for (const auto& [needle, framework] : kFrameworkHints) {
    for (const std::string& id : identifiers) {
      const bool prefix = needle.back() == '.';
      if (prefix ? id.rfind(needle, 0) == 0 : id == needle) return std::string(framework);
    }
  }
  return "";
}

// One change seen in one or more hunks.
struct Group {
  std::string rule;  // "replaced_api" or "fix_shape"
  std::vector<std::string> removed, added;
  std::vector<std::pair<const FileDiff*, const DiffHunk*>> where;
  std::size_t first_seen = 0;
};

std::vector<std::string> HunkIdentifiers(const DiffHunk& hunk) {
  std::vector<std::string> out;
  for (const DiffLine& l : hunk.lines) {
    for (std::string& t : Tokens(l.text)) {
      if (IsIdentToken(t)) out.push_back(std::move(t));
    }
  }
  return out;
}

std::string Evidence(const Group& g, std::size_t max_bytes) {
  const auto& [file, hunk] = g.where.front();
  std::string out = file->path() + "\n" + hunk->Text();
  if (out.size() > max_bytes) out = out.substr(0, max_bytes) + "\n...";
  if (g.where.size() > 1) {
    out += "... and " + std::to_string(g.where.size() - 1) + " more hunk(s):";
    for (std::size_t i = 1; i < g.where.size() && i <= 10; ++i) {
      out += "\n" + g.where[i].first->path() + " " + g.where[i].second->header;
    }
  }
  return out;
}

CandidateProposal Propose(const Group& g, const DiffCandidateOptions& o) {
  const int n = static_cast<int>(g.where.size());
  std::set<std::string> files;
  for (const auto& w : g.where) files.insert(w.first->path());
  std::string language;
  for (const std::string& f : files) {
    if (language.empty()) language = LanguageForPath(f);
  }
  std::vector<std::string> identifiers;
  for (const auto& w : g.where) {
    auto ids = HunkIdentifiers(*w.second);
    identifiers.insert(identifiers.end(), ids.begin(), ids.end());
  }
  const std::string framework = FrameworkFor(identifiers);

  CandidateProposal p;
  p.type = LessonType::kBestPractice;
  p.topic = !framework.empty() ? framework : (!language.empty() ? language : "code");
  if (!language.empty()) p.tags.push_back(language);
  if (!framework.empty()) p.tags.push_back(framework);
  p.tags.emplace_back("diff");
  const std::string seen = std::to_string(n) + " hunk" + (n == 1 ? "" : "s") + " in " +
                           std::to_string(files.size()) + " file" + (files.size() == 1 ? "" : "s");
  const std::string where =
      " (" + Join(std::vector<std::string>(files.begin(), files.end()), ", ") + ")" +
      (language.empty() ? "" : ", " + language) + (framework.empty() ? "" : "/" + framework);
  double confidence;
  if (g.rule == "replaced_api") {
    confidence = o.replace_base_confidence + o.recurrence_step * (n - 1);
    const std::string from = Join(g.removed, ", ", "`"), to = Join(g.added, ", ", "`");
    p.title = "Prefer " + to + " over " + from;
    p.content = "A change replaced calls to " + from + " with " + to + " in " + seen + where +
                ". Where code still calls " + from + ", consider " + to + " instead.";
    p.tags.emplace_back("api-replacement");
    p.key = "replace:" + Join(g.removed, ",") + "->" + Join(g.added, ",");
    p.rationale = "diff.replaced_api: " + from + " removed and " + to +
                  " added in the same hunk; seen in " + seen + "; confidence " +
                  Fixed(o.replace_base_confidence, 2) + " + " + Fixed(o.recurrence_step, 2) +
                  " x " + std::to_string(n - 1) + " extra hunk(s), capped at " +
                  Fixed(o.max_confidence, 2);
  } else {
    confidence = o.shape_base_confidence + o.recurrence_step * (n - o.min_shape_occurrences);
    const std::string from = Join(g.removed, " "), to = Join(g.added, " ");
    if (from.empty()) {
      p.title = "Recurring fix: add `" + to + "`";
    } else if (to.empty()) {
      p.title = "Recurring fix: remove `" + from + "`";
    } else {
      p.title = "Recurring fix: `" + from + "` -> `" + to + "`";
    }
    p.content =
        "The same fix appears in " + seen + where + ": " +
        (from.empty() ? "`" + to + "` was added"
                      : "`" + from + "` became " + (to.empty() ? "nothing" : "`" + to + "`")) +
        ". Apply it where the old form remains.";
    p.tags.emplace_back("fix-shape");
    p.key = "shape:" + from + "->" + to;
    p.rationale = "diff.fix_shape: the same line change in " + seen + " (at least " +
                  std::to_string(o.min_shape_occurrences) + " needed)";
  }
  p.confidence = std::min(o.max_confidence, confidence);
  p.confidence = std::round(p.confidence * 1000) / 1000;
  p.evidence = Evidence(g, o.max_evidence_bytes);
  return p;
}

// Calls that appear on `lines` of `kind`, first appearance first.
std::vector<std::string> CallsOf(const DiffHunk& hunk, DiffLineKind kind) {
  std::vector<std::string> out;
  for (const DiffLine& l : hunk.lines) {
    if (l.kind != kind) continue;
    for (std::string& c : CallsOnLine(l.text)) {
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(std::move(c));
    }
  }
  return out;
}

std::vector<std::string> Minus(const std::vector<std::string>& a,
                               const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const std::string& x : a) {
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The fix shape of one removed/added line pair, or false when it has none.
bool ShapeOf(const std::string& removed, const std::string& added, int max_tokens,
             std::vector<std::string>& from, std::vector<std::string>& to) {
  const std::vector<std::string> a = Tokens(removed), b = Tokens(added);
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf]) {
    ++suf;
  }
  from.assign(a.begin() + static_cast<std::ptrdiff_t>(pre),
              a.end() - static_cast<std::ptrdiff_t>(suf));
  to.assign(b.begin() + static_cast<std::ptrdiff_t>(pre),
            b.end() - static_cast<std::ptrdiff_t>(suf));
  if (from.empty() && to.empty()) return false;
  if (static_cast<int>(from.size()) > max_tokens || static_cast<int>(to.size()) > max_tokens) {
    return false;
  }
  bool meaningful = false;
  for (const auto* side : {&from, &to}) {
    for (const std::string& t : *side) {
      if (t == "(" || t == ")") return false;  // calls belong to replaced_api
      if (!IsIdentToken(t) || In(kShapeKeywords, t)) meaningful = true;
    }
  }
  return meaningful;
}

}  // namespace

std::vector<std::string> CallsOnLine(std::string_view line) {
  std::vector<std::string> out;
  if (IsCommentLine(line)) return out;
  const std::vector<std::string> tokens = Tokens(line);
  for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
    if (!IsIdentToken(tokens[i]) || tokens[i + 1] != "(") continue;
    const std::string callee = ShortChain(tokens[i]);
    if (In(kNotCalls, callee)) continue;
    if (std::find(out.begin(), out.end(), callee) == out.end()) out.push_back(callee);
  }
  return out;
}

std::string LanguageForPath(std::string_view path) {
  static const std::map<std::string_view, std::string_view> kByExtension = {
      {"ts", "typescript"},  {"tsx", "typescript"}, {"js", "javascript"}, {"jsx", "javascript"},
      {"mjs", "javascript"}, {"py", "python"},      {"go", "go"},         {"rs", "rust"},
      {"java", "java"},      {"kt", "kotlin"},      {"rb", "ruby"},       {"c", "c"},
      {"h", "cpp"},          {"hpp", "cpp"},        {"cc", "cpp"},        {"cpp", "cpp"},
      {"cs", "csharp"},      {"swift", "swift"},    {"php", "php"},       {"scala", "scala"},
      {"vue", "vue"},        {"sql", "sql"},        {"sh", "shell"}};
  const std::size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.find_last_of('.');
  if (dot == std::string_view::npos) return "";
  auto it = kByExtension.find(name.substr(dot + 1));
  return it == kByExtension.end() ? "" : std::string(it->second);
}

std::vector<CandidateProposal> DiffCandidates(const UnifiedDiff& diff,
                                              const DiffCandidateOptions& options) {
  std::map<std::string, Group> groups;  // by rule + change
  std::size_t order = 0;
  auto note = [&](const std::string& rule, std::vector<std::string> from,
                  std::vector<std::string> to, const FileDiff& f, const DiffHunk& h) {
    const std::string key = rule + ":" + Join(from, " ") + "->" + Join(to, " ");
    Group& g = groups[key];
    if (g.where.empty()) g = Group{rule, std::move(from), std::move(to), {}, order++};
    if (g.where.empty() || g.where.back().second != &h) g.where.emplace_back(&f, &h);
  };
  for (const FileDiff& f : diff.files) {
    for (const DiffHunk& h : f.hunks) {
      const auto removed = CallsOf(h, DiffLineKind::kRemoved);
      const auto added = CallsOf(h, DiffLineKind::kAdded);
      auto gone = Minus(removed, added), fresh = Minus(added, removed);
      const int max_side = options.max_apis_per_side;
      if (!gone.empty() && !fresh.empty() && static_cast<int>(gone.size()) <= max_side &&
          static_cast<int>(fresh.size()) <= max_side) {
        note("replaced_api", std::move(gone), std::move(fresh), f, h);
      }
      const auto minus = h.Removed(), plus = h.Added();
      if (minus.size() != plus.size() ||
          static_cast<int>(minus.size()) > options.max_pairs_per_hunk) {
        continue;
      }
      for (std::size_t i = 0; i < minus.size(); ++i) {
        std::vector<std::string> from, to;
        if (ShapeOf(minus[i], plus[i], options.max_shape_tokens, from, to)) {
          note("fix_shape", std::move(from), std::move(to), f, h);
        }
      }
    }
  }
  std::vector<const Group*> kept;
  for (const auto& [key, g] : groups) {
    const int n = static_cast<int>(g.where.size());
    if (g.rule == "fix_shape" && n < options.min_shape_occurrences) continue;
    kept.push_back(&g);
  }
  std::sort(kept.begin(), kept.end(), [](const Group* a, const Group* b) {
    if (a->where.size() != b->where.size()) return a->where.size() > b->where.size();
    return a->first_seen < b->first_seen;
  });
  std::vector<CandidateProposal> out;
  for (const Group* g : kept) {
    if (out.size() >= options.max_candidates) break;
    out.push_back(Propose(*g, options));
  }
  return out;
}

}  // namespace engram::learn
