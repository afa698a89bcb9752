#include "learn/action_normalizer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <sstream>
#include <vector>

#include "core/step_analysis.h"
#include "learn/action_tokens.h"
#include "learn/action_vocabulary.h"

namespace engram::learn {
namespace {

// The previous rule: the first max_tokens tokens with placeholders.
std::string NormalizeLegacy(std::string_view text, int max_tokens) {
  std::vector<std::string> out;
  for (auto& [raw, quoted] : Tokenize(ToLower(text))) {
    if (static_cast<int>(out.size()) >= max_tokens) break;
    std::string token;
    if (quoted) {
      token = "<str>";
    } else {
      std::string_view t = raw;
      while (!t.empty() && IsEdgePunct(t.front())) t.remove_prefix(1);
      while (!t.empty() && IsEdgePunct(t.back())) t.remove_suffix(1);
      if (t.empty() || (t.front() == '-' && !IsNumberLike(t.substr(1)))) continue;
      if (IsNumberLike(t)) {
        token = "<n>";
      } else if (IsPathLike(t)) {
        token = "<path>";
      } else {
        token = std::string(t);
      }
    }
    if (!out.empty() && token.front() == '<' && out.back() == token) continue;
    out.push_back(std::move(token));
  }
  std::string joined;
  for (const auto& t : out) {
    if (!joined.empty()) joined += ' ';
    joined += t;
  }
  return joined;
}

// One word of prose or one command token, classified.
struct Word {
  std::string text;       // lower-cased, edge punctuation stripped
  bool argument = false;  // quoted, path, number, flag or identifier
  bool breaks = false;    // a clause break follows (",", ";")
};

// The words of an identifier's last part ("sync.RWMutex" -> {"rw",
// "mutex"}, split at case changes and underscores), lower-cased, when every one is a stop
// word, a known verb or a known term; else none.
std::vector<std::string> KnownWords(std::string_view identifier) {
  const auto cut = identifier.find_last_of(".:#$@=<>()[]{}");
  const std::string_view last =
      cut == std::string_view::npos ? identifier : identifier.substr(cut + 1);
  if (last.empty() || !std::all_of(last.begin(), last.end(), [](char c) {
        return IsAsciiLower(c) || IsAsciiUpper(c) || c == '_';
      })) {
    return {};
  }
  std::vector<std::string> words;
  std::string cur;
  for (std::size_t i = 0; i < last.size(); ++i) {
    const char c = last[i];
    if (c == '_') {
      if (!cur.empty()) words.push_back(cur);
      cur.clear();
      continue;
    }
    const bool boundary =
        i > 0 && IsAsciiUpper(c) &&
        (IsAsciiLower(last[i - 1]) || (i + 1 < last.size() && IsAsciiLower(last[i + 1])));
    if (boundary && !cur.empty()) {
      words.push_back(cur);
      cur.clear();
    }
    cur += Lower(c);
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  for (const auto& w : words) {
    const std::string s = Stem(w);
    if (!IsStopStem(s) && CanonicalVerb(s).empty() && CanonicalTerm(s).empty()) return {};
  }
  return words;
}

std::vector<Word> Words(std::string_view text) {
  std::vector<Word> out;
  for (auto& [raw, quoted] : Tokenize(text)) {
    if (quoted) {
      out.push_back({"<str>", true, false});
      continue;
    }
    std::string_view t = raw;
    const bool breaks = !t.empty() && (t.back() == ',' || t.back() == ';');
    while (!t.empty() && IsEdgePunct(t.front())) t.remove_prefix(1);
    while (!t.empty() && IsEdgePunct(t.back())) t.remove_suffix(1);
    if (t.empty()) {
      if (breaks && !out.empty()) out.back().breaks = true;
      continue;
    }
    Word w;
    w.breaks = breaks;
    const std::string lower = ToLower(t);
    if (t.front() == '-' || IsNumberLike(lower) || IsFilePath(t)) {
      w.text = lower;
      w.argument = true;
      out.push_back(std::move(w));
      continue;
    }
    // A camelCase word that is a known term (beforeEach) stays a word.
    if (IsIdentifierLike(t) && !(LettersOnly(t) && !CanonicalTerm(Stem(lower)).empty())) {
      // The last part of an identifier when all its words are known
      // ("sync.Mutex" -> mutex, "jest.useFakeTimers()" -> use fake timers);
      // otherwise it names a thing and is an argument.
      std::vector<std::string> known = KnownWords(t);
      if (known.empty()) {
        w.text = lower;
        w.argument = true;
        out.push_back(std::move(w));
      } else {
        for (auto& k : known) out.push_back({std::move(k), false, false});
        out.back().breaks = breaks;
      }
      continue;
    }
    // Hyphenated words split ("re-run", "null-check").
    std::size_t i = 0;
    while (i <= lower.size()) {
      const std::size_t j = std::min(lower.find('-', i), lower.size());
      if (j > i) out.push_back({lower.substr(i, j - i), false, false});
      i = j + 1;
    }
    if (!out.empty()) out.back().breaks = breaks;
  }
  return out;
}

// The command part of a shell line: the first segment (split on &&, ||, ;,
// |) that is not cd/export/source/pushd, without env assignments, sudo,
// time.
std::vector<Word> CommandWords(const std::vector<Word>& words) {
  std::vector<std::vector<Word>> segments(1);
  for (const Word& w : words) {
    if (!w.argument && (w.text == "&&" || w.text == "||" || w.text == "|" || w.text == "&")) {
      segments.emplace_back();
      continue;
    }
    segments.back().push_back(w);
    if (w.breaks) segments.emplace_back();
  }
  for (auto& seg : segments) {
    std::size_t i = 0;
    while (i < seg.size() && (seg[i].text == "sudo" || seg[i].text == "time" ||
                              seg[i].text == "env" || seg[i].text.find('=') != std::string::npos)) {
      ++i;
    }
    if (i >= seg.size()) continue;
    const std::string& first = seg[i].text;
    if (first == "cd" || first == "export" || first == "source" || first == "pushd") continue;
    return {seg.begin() + static_cast<std::ptrdiff_t>(i), seg.end()};
  }
  return {};
}

// The program of a command's first word: a path's base name without its
// extension ("./scripts/test.sh" -> "test"), then its family.
std::string ProgramOf(const std::string& word, bool* known, bool* ambiguous) {
  std::string base = word;
  const auto slash = base.find_last_of("/\\");
  if (slash != std::string::npos) base = base.substr(slash + 1);
  const bool was_path = slash != std::string::npos;
  if (was_path) {
    const auto dot = base.find('.');
    if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  }
  *ambiguous = false;
  const std::string_view canonical = CanonicalProgram(base, ambiguous);
  *known = !canonical.empty();
  return *known ? std::string(canonical) : base;
}

bool PlainWord(const Word& w) {
  return !w.argument && !w.text.empty() && std::all_of(w.text.begin(), w.text.end(), [](char c) {
    return IsAsciiLower(c) || IsAsciiDigit(c) || c == ':' || c == '-';
  });
}

// "<program> [<subcommand>]" of a command, or "" when `words` is not one.
std::string CommandKey(const std::vector<Word>& all, bool shell) {
  const std::vector<Word> words = CommandWords(all);
  if (words.empty()) return "";
  bool known = false, ambiguous = false;
  std::string program = ProgramOf(words[0].text, &known, &ambiguous);
  const bool path = words[0].argument && IsFilePath(words[0].text);
  if (!known) {
    // A shell tool runs an unknown program, unless the line reads as prose.
    if (!shell) return "";
    if (!path && (words[0].argument || IsStopStem(Stem(program)) ||
                  !CanonicalVerb(Stem(program)).empty() || !PlainWord(words[0]))) {
      return "";
    }
  } else if (ambiguous && !shell) {
    return "";
  }
  std::size_t i = 1;
  auto next_plain = [&]() -> std::string {
    while (i < words.size() && words[i].argument && words[i].text.front() == '-') ++i;
    if (i < words.size() && PlainWord(words[i])) return words[i++].text;
    return "";
  };
  bool k = false, a = false;
  if (program == "npx") {
    // npx <tool> ...: the tool is the program.
    const std::string tool = next_plain();
    if (tool.empty()) return program;
    program = ProgramOf(tool, &k, &a);
  } else if (program == "python") {
    // python -m <module> ...: the module is the program.
    for (std::size_t m = 1; m + 1 < words.size(); ++m) {
      if (words[m].text == "-m") {
        program = ProgramOf(words[m + 1].text, &k, &a);
        i = m + 2;
        break;
      }
    }
  }
  if (!TakesSubcommand(program)) return program;
  std::string sub = next_plain();
  if (program == "npm") {
    if (sub == "run" || sub == "run-script") sub = next_plain();
    if (sub == "i" || sub == "add" || sub == "ci") sub = "install";
    if (sub == "t") sub = "test";
  }
  return sub.empty() ? program : program + " " + sub;
}

bool IsVerbStem(const std::string& stem) { return !CanonicalVerb(stem).empty(); }

// Verb and key terms of prose.
struct ProseMeaning {
  std::string verb;
  std::set<std::string> terms;
  std::string first;  // the first word kept (verb, term or other), canonical or stem
};

// Verbs too general to name an operation: "add a null check" is a check,
// "add it.skip" a skip.
bool IsLightVerb(std::string_view verb) {
  return verb == "add" || verb == "update" || verb == "configure" || verb == "handle";
}

ProseMeaning ProseOf(const std::vector<Word>& words) {
  std::vector<std::string> stems;
  stems.reserve(words.size());
  for (const Word& w : words) stems.push_back(w.argument ? std::string() : Stem(w.text));
  auto verb_at = [&](std::size_t k) { return k < stems.size() && IsVerbStem(stems[k]); };
  // "... by <verb>ing ...": the means is the operation.
  std::size_t start = 0;
  for (std::size_t k = 0; k + 1 < words.size(); ++k) {
    if (!words[k].argument && words[k].text == "by" && verb_at(k + 1)) start = k + 1;
  }
  auto phrasal = [&](std::size_t k) -> std::string_view {
    if (k + 1 >= words.size() || words[k].argument || words[k + 1].argument) return {};
    return PhrasalVerb(stems[k], words[k + 1].text);
  };
  ProseMeaning m;
  bool dropping = false;
  bool light = false;  // the verb is light and no later verb replaced it yet
  for (std::size_t k = start; k < words.size(); ++k) {
    const Word& w = words[k];
    const std::string& s = stems[k];
    const bool clause = !w.argument && (w.text == "and" || w.text == "then" || w.text == "&&");
    if (clause) {
      dropping = false;
      continue;
    }
    if (!w.argument) {
      if (IsArgumentPreposition(s)) {
        if (s == "to" && verb_at(k + 1)) {
          if (!m.verb.empty()) break;  // purpose clause
          continue;                    // "make sure to <verb>"
        }
        dropping = true;
      } else if (!dropping) {
        if (IsNegationStem(s)) {
          // "do not retry": a negated operation. After the verb ("check x
          // is not None") the negation belongs to the object.
          if (m.verb.empty()) m.terms.insert("no");
        } else if (!IsStopStem(s) || !phrasal(k).empty()) {
          std::string_view verb = phrasal(k);
          if (!verb.empty()) {
            ++k;  // the particle is part of the verb
          } else {
            verb = CanonicalVerb(s);
          }
          const std::string_view term = CanonicalTerm(s);
          if (m.first.empty()) m.first = !term.empty() ? term : !verb.empty() ? verb : s;
          if (!verb.empty() && (m.verb.empty() || (light && !IsLightVerb(verb)))) {
            m.verb = std::string(verb);
            light = IsLightVerb(verb);
            if (!term.empty()) m.terms.erase(std::string(term));
          } else if (!term.empty()) {
            m.terms.insert(std::string(term));
          }
        }
      }
    }
    if (w.breaks) dropping = false;
  }
  // The term that became the verb is not a term as well.
  if (!m.verb.empty()) m.terms.erase(m.verb);
  return m;
}

std::string MeaningKey(std::string_view tool, std::string_view action,
                       const NormalizeOptions& options) {
  const std::vector<Word> words = Words(action);
  if (words.empty()) return "";
  const bool shell = IsShellTool(ToLower(tool));
  std::string key = CommandKey(words, shell);
  if (!key.empty()) return key;
  ProseMeaning m = ProseOf(words);
  // With no known verb the first kept word (in an imperative, the verb)
  // stands for it.
  std::string verb = m.verb.empty() ? m.first : m.verb;
  m.terms.erase(verb);
  if (verb.empty()) {
    // Only stop words and arguments: the first word that is not an argument.
    for (const Word& w : words) {
      if (!w.argument) return Stem(w.text);
    }
    return words.front().text.front() == '-' ? "<flag>" : "<arg>";
  }
  key = verb;
  int kept = 0;
  for (const auto& t : m.terms) {
    if (t == verb) continue;
    if (kept++ >= std::max(0, options.max_terms)) break;
    key += ' ';
    key += t;
  }
  return key;
}

// Error names: TypeError, ModuleNotFoundError, SomeException, ENOENT.
bool IsErrorName(std::string_view t) {
  if (t.size() >= 5 && (t.ends_with("Error") || t.ends_with("Exception"))) return true;
  return t.size() >= 4 && t.front() == 'E' &&
         std::all_of(t.begin() + 1, t.end(), [](char c) { return IsAsciiUpper(c); });
}

std::string ErrorKey(std::string_view line) {
  std::set<std::string> names;
  std::vector<std::string> others;
  for (auto& [raw, quoted] : Tokenize(line)) {
    if (quoted) continue;
    std::string_view t = raw;
    while (!t.empty() && IsEdgePunct(t.front())) t.remove_prefix(1);
    while (!t.empty() && IsEdgePunct(t.back())) t.remove_suffix(1);
    if (t.empty()) continue;
    if (IsErrorName(t)) {
      names.insert(ToLower(t));
      continue;
    }
    const std::string lower = ToLower(t);
    if (t.front() == '-' || IsNumberLike(lower) || IsFilePath(t) || IsIdentifierLike(t)) {
      continue;
    }
    const std::string s = Stem(lower);
    if (IsStopStem(s) || IsArgumentPreposition(s)) continue;
    const std::string_view term = CanonicalTerm(s);
    if (!term.empty()) {
      names.insert(std::string(term));
    } else if (LettersOnly(lower)) {
      others.push_back(s);
    }
  }
  std::vector<std::string> parts(names.begin(), names.end());
  if (parts.empty()) parts = others;
  if (parts.size() > 3) parts.resize(3);
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

}  // namespace

std::string NormalizeAction(std::string_view action, NormalizeOptions options) {
  return NormalizeStepAction("", action, options);
}

std::string NormalizeStepAction(std::string_view tool, std::string_view action,
                                NormalizeOptions options) {
  if (!options.by_meaning) return NormalizeLegacy(action, std::max(1, options.max_tokens));
  return MeaningKey(tool, action, options);
}

std::string NormalizeTool(std::string_view tool, NormalizeOptions options) {
  std::string lower = ToLower(tool);
  if (!options.by_meaning) return lower;
  if (IsEditorTool(lower)) return "editor";
  if (IsShellTool(lower)) return "bash";
  return lower;
}

std::string StepSignature(const Step& step, NormalizeOptions options) {
  return NormalizeTool(step.tool, options) + ":" +
         NormalizeStepAction(step.tool, step.action, options);
}

std::string NormalizeError(std::string_view output, NormalizeOptions options) {
  const auto nl = output.find('\n');
  const std::string_view line = output.substr(0, nl);
  if (!options.by_meaning) return NormalizeLegacy(line, 5);
  return ErrorKey(line);
}

}  // namespace engram::learn
