#include "learn/action_vocabulary.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

namespace engram::learn {
namespace {

bool IsVowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool HasVowel(std::string_view s) { return std::any_of(s.begin(), s.end(), IsVowel); }

using StemSet = std::set<std::string, std::less<>>;
using StemMap = std::unordered_map<std::string, std::string>;

StemSet MakeSet(std::initializer_list<std::string_view> words) {
  StemSet out;
  for (auto w : words) out.insert(Stem(w));
  return out;
}

// Canonical form -> its synonyms (the canonical form is its own synonym).
StemMap MakeMap(std::initializer_list<std::pair<std::string_view, std::string_view>> groups) {
  StemMap out;
  for (const auto& [canonical, synonyms] : groups) {
    out.emplace(Stem(canonical), std::string(canonical));
    std::size_t i = 0;
    while (i < synonyms.size()) {
      const std::size_t j = std::min(synonyms.find(' ', i), synonyms.size());
      if (j > i) out.emplace(Stem(synonyms.substr(i, j - i)), std::string(canonical));
      i = j + 1;
    }
  }
  return out;
}

const StemSet& StopStems() {
  static const StemSet kSet =
      MakeSet({"a",        "an",        "the",     "this",   "that",     "these",    "those",
               "it",       "its",       "it's",    "they",   "them",     "their",    "we",
               "our",      "us",        "you",     "your",   "i",        "me",       "my",
               "is",       "are",       "was",     "were",   "be",       "been",     "being",
               "am",       "has",       "have",    "had",    "do",       "does",     "did",
               "should",   "must",      "will",    "would",  "can",      "could",    "may",
               "might",    "shall",     "please",  "just",   "also",     "again",    "now",
               "then",     "first",     "finally", "really", "actually", "properly", "correctly",
               "quickly",  "simply",    "still",   "some",   "any",      "all",      "every",
               "each",     "there",     "here",    "which",  "who",      "what",     "so",
               "as",       "with",      "and",     "or",     "but",      "if",       "when",
               "while",    "via",       "using",   "use",    "instead",  "missing",  "new",
               "existing", "failing",   "broken",  "flaky",  "relevant", "right",    "proper",
               "sure",     "make",      "ensure",  "try",    "attempt",  "let",      "up",
               "out",      "back",      "down",    "over",   "off",      "one",      "other",
               "another",  "more",      "less",    "step",   "thing",    "stuff",    "code",
               "line",     "lines",     "file",    "files",  "function", "method",   "class",
               "object",   "value",     "values",  "name",   "call",     "calls",    "by",
               "before",   "after",     "once",    "whole",  "entire",   "same",     "different",
               "related",  "necessary", "needed",  "only",   "very",     "too"});
  return kSet;
}

const StemSet& ArgumentPrepositions() {
  static const StemSet kSet =
      MakeSet({"in", "inside", "within", "into", "at", "from", "of", "for", "on", "onto", "to",
               "under", "around", "near", "across", "between", "against", "than", "like"});
  return kSet;
}

const StemSet& NegationStems() {
  static const StemSet kSet =
      MakeSet({"not", "no", "never", "don't", "dont", "without", "doesn't", "isn't", "nor"});
  return kSet;
}

const StemMap& Verbs() {
  static const StemMap kMap = MakeMap({
      {"fix", "repair correct resolve solve address patch"},
      {"add", "insert introduce include append put create write"},
      {"remove", "delete drop strip eliminate erase"},
      {"update", "change modify adjust tweak edit alter amend set replace rewrite swap"},
      {"run", "execute launch invoke rerun trigger start"},
      {"check", "verify validate confirm inspect examine review assert"},
      {"search", "grep find locate look lookup"},
      {"read", "open view show cat display print list"},
      {"await", "wait"},
      {"mock", "stub fake spy simulate"},
      {"rename", ""},
      {"refactor", "restructure reorganize reorganise extract split simplify"},
      {"revert", "undo rollback restore"},
      {"install", "reinstall"},
      {"increase", "raise bump extend lengthen grow double"},
      {"decrease", "lower reduce shorten shrink"},
      {"import", "require"},
      {"configure", "config setup"},
      {"skip", "disable ignore silence suppress"},
      {"enable", "activate"},
      {"retry", "repeat"},
      {"restart", "reboot reload"},
      {"clear", "clean purge flush wipe invalidate"},
      {"pin", "freeze"},
      {"upgrade", "downgrade"},
      {"wrap", "enclose surround"},
      {"move", "relocate"},
      {"reset", "reinitialize reinitialise"},
      {"handle", "catch"},
      {"log", ""},
      {"commit", ""},
      {"debug", "trace"},
      {"cast", "convert coerce"},
      {"export", ""},
      {"initialize", "initialise init"},
  });
  return kMap;
}

const StemMap& Terms() {
  static const StemMap kMap = MakeMap({
      {"promise", ""},
      {"async", "asynchronous"},
      {"await", ""},
      {"callback", ""},
      {"timeout", ""},
      {"timer", "clock"},
      {"test", "spec tests specs"},
      {"suite", ""},
      {"fixture", ""},
      {"mock", "stub fake spy"},
      {"snapshot", ""},
      {"assertion", "expectation expect"},
      {"import", "require"},
      {"export", ""},
      {"module", ""},
      {"package", ""},
      {"dependency", "dep deps"},
      {"version", ""},
      {"lockfile", ""},
      {"lock", ""},
      {"cache", ""},
      {"config", "configuration setting settings"},
      {"env", "environment"},
      {"variable", "var"},
      {"flag", ""},
      {"option", ""},
      {"type", "typing typings annotation"},
      {"null", "nil undefined none"},
      {"error", "exception"},
      {"handler", ""},
      {"hook", ""},
      {"setup", "beforeeach beforeall"},
      {"teardown", "aftereach afterall cleanup"},
      {"database", "db"},
      {"migration", ""},
      {"schema", ""},
      {"index", ""},
      {"query", ""},
      {"transaction", ""},
      {"connection", ""},
      {"pool", ""},
      {"port", ""},
      {"host", ""},
      {"url", "uri"},
      {"endpoint", "route"},
      {"request", ""},
      {"response", ""},
      {"header", ""},
      {"cookie", ""},
      {"token", ""},
      {"auth", "authentication"},
      {"permission", ""},
      {"path", ""},
      {"build", ""},
      {"compile", "compiler"},
      {"lint", "linter"},
      {"format", "formatter"},
      {"log", "logging logger"},
      {"retry", ""},
      {"race", ""},
      {"deadlock", ""},
      {"memory", ""},
      {"leak", ""},
      {"thread", ""},
      {"mutex", ""},
      {"encoding", "charset"},
      {"unicode", "utf"},
      {"date", ""},
      {"timezone", "tz"},
      {"locale", ""},
      {"network", ""},
      {"proxy", ""},
      {"container", ""},
      {"image", ""},
      {"volume", ""},
      {"cors", ""},
      {"certificate", "cert ssl tls"},
      {"secret", ""},
      {"signal", ""},
      {"process", ""},
      {"state", ""},
      {"global", ""},
      {"singleton", ""},
      {"interface", ""},
      {"generic", ""},
      {"decorator", ""},
      {"parameter", "param argument arg"},
      {"return", ""},
      {"loop", ""},
      {"recursion", ""},
      {"pagination", ""},
      {"offset", ""},
      {"limit", ""},
      {"batch", ""},
      {"queue", ""},
      {"worker", ""},
      {"job", ""},
      {"event", ""},
      {"listener", ""},
      {"subscription", ""},
      {"render", ""},
      {"component", ""},
      {"prop", "props"},
      {"effect", ""},
      {"reducer", ""},
      {"selector", ""},
      {"api", ""},
      {"client", ""},
      {"server", ""},
      {"ci", "pipeline workflow"},
      {"branch", ""},
      {"merge", ""},
      {"rebase", ""},
      {"conflict", ""},
      {"commit", ""},
      {"release", ""},
      {"deploy", "deployment"},
      {"coverage", ""},
      {"warning", ""},
      {"check", ""},
      {"guard", ""},
      {"default", ""},
      {"fallback", ""},
      {"key", ""},
      {"seed", ""},
      {"order", ""},
      {"sort", ""},
      {"rate", "throttle"},
      {"concurrency", "parallel parallelism"},
  });
  return kMap;
}

struct Program {
  std::string_view canonical;
  bool ambiguous = false;
};

const std::unordered_map<std::string_view, Program>& Programs() {
  static const std::unordered_map<std::string_view, Program> kMap = {
      {"npm", {"npm"}},
      {"yarn", {"npm"}},
      {"pnpm", {"npm"}},
      {"bun", {"npm"}},
      {"npx", {"npx"}},
      {"bunx", {"npx"}},
      {"node", {"node"}},
      {"deno", {"deno"}},
      {"python", {"python"}},
      {"python3", {"python"}},
      {"pip", {"pip"}},
      {"pip3", {"pip"}},
      {"poetry", {"poetry"}},
      {"uv", {"uv"}},
      {"pytest", {"pytest"}},
      {"tox", {"tox"}},
      {"jest", {"jest"}},
      {"vitest", {"vitest"}},
      {"mocha", {"mocha"}},
      {"cargo", {"cargo"}},
      {"rustc", {"rustc"}},
      {"gcc", {"gcc"}},
      {"g++", {"gcc"}},
      {"clang", {"clang"}},
      {"clang++", {"clang"}},
      {"cmake", {"cmake"}},
      {"ctest", {"ctest"}},
      {"ninja", {"ninja"}},
      {"git", {"git"}},
      {"gh", {"gh"}},
      {"docker", {"docker"}},
      {"kubectl", {"kubectl"}},
      {"helm", {"helm"}},
      {"terraform", {"terraform"}},
      {"tsc", {"tsc"}},
      {"eslint", {"eslint"}},
      {"prettier", {"prettier"}},
      {"gradle", {"gradle"}},
      {"gradlew", {"gradle"}},
      {"mvn", {"mvn"}},
      {"dotnet", {"dotnet"}},
      {"ruby", {"ruby"}},
      {"bundle", {"bundle"}},
      {"rake", {"rake"}},
      {"rails", {"rails"}},
      {"rspec", {"rspec"}},
      {"php", {"php"}},
      {"composer", {"composer"}},
      {"phpunit", {"phpunit"}},
      {"curl", {"curl"}},
      {"wget", {"wget"}},
      {"ls", {"ls"}},
      {"grep", {"grep"}},
      {"rg", {"rg"}},
      {"sed", {"sed"}},
      {"awk", {"awk"}},
      {"mkdir", {"mkdir"}},
      {"rm", {"rm"}},
      {"cp", {"cp"}},
      {"mv", {"mv"}},
      {"chmod", {"chmod"}},
      {"brew", {"brew"}},
      {"apt", {"apt"}},
      {"apt-get", {"apt"}},
      {"mypy", {"mypy"}},
      {"ruff", {"ruff"}},
      {"black", {"black"}},
      {"go", {"go", true}},
      {"make", {"make", true}},
      {"find", {"find", true}},
      {"test", {"test", true}},
      {"cat", {"cat", true}},
      {"open", {"open", true}},
      {"head", {"head", true}},
      {"tail", {"tail", true}},
      {"diff", {"diff", true}},
  };
  return kMap;
}

}  // namespace

std::string Stem(std::string_view word) {
  std::string w(word);
  if (w.size() > 4 && EndsWith(w, "ies")) {
    w.resize(w.size() - 2);  // "dependencies" -> "dependenci"
  } else if (w.size() > 3 && EndsWith(w, "s") && !EndsWith(w, "ss") && !EndsWith(w, "us") &&
             !EndsWith(w, "is")) {
    w.pop_back();
  }
  if (w.size() > 5 && EndsWith(w, "ing") && HasVowel(w.substr(0, w.size() - 3))) {
    w.resize(w.size() - 3);
  } else if (w.size() > 4 && EndsWith(w, "ed") && HasVowel(w.substr(0, w.size() - 2))) {
    w.resize(w.size() - 2);
  }
  if (w.size() > 3 && w.back() == 'e') w.pop_back();
  if (w.size() > 3 && w.back() == 'y' && !IsVowel(w[w.size() - 2])) w.back() = 'i';
  if (w.size() > 2) {
    const char a = w[w.size() - 1];
    const char b = w[w.size() - 2];
    if (a == b && !IsVowel(a) && a != 'l' && a != 's' && a != 'z') w.pop_back();
  }
  return w;
}

bool IsStopStem(std::string_view stem) { return StopStems().count(stem) > 0; }

bool IsArgumentPreposition(std::string_view stem) { return ArgumentPrepositions().count(stem) > 0; }

bool IsNegationStem(std::string_view stem) { return NegationStems().count(stem) > 0; }

std::string_view CanonicalVerb(std::string_view stem) {
  const auto& m = Verbs();
  auto it = m.find(std::string(stem));
  return it == m.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view CanonicalTerm(std::string_view stem) {
  const auto& m = Terms();
  auto it = m.find(std::string(stem));
  return it == m.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view CanonicalProgram(std::string_view word, bool* ambiguous) {
  const auto& m = Programs();
  auto it = m.find(word);
  if (it == m.end()) return {};
  if (ambiguous != nullptr) *ambiguous = it->second.ambiguous;
  return it->second.canonical;
}

std::string_view PhrasalVerb(std::string_view stem, std::string_view particle) {
  static const std::unordered_map<std::string, std::string_view> kPhrasal = [] {
    std::unordered_map<std::string, std::string_view> m;
    const std::pair<std::pair<std::string_view, std::string_view>, std::string_view> entries[] = {
        {{"comment", "out"}, "skip"}, {{"turn", "off"}, "skip"},     {{"turn", "on"}, "enable"},
        {{"look", "for"}, "search"},  {{"look", "at"}, "read"},      {{"look", "up"}, "search"},
        {{"set", "up"}, "configure"}, {{"clean", "up"}, "clear"},    {{"roll", "back"}, "revert"},
        {{"get", "rid"}, "remove"},   {{"pin", "down"}, "pin"},      {{"wait", "for"}, "await"},
        {{"try", "again"}, "retry"},  {{"fall", "back"}, "fallback"}};
    for (const auto& [words, verb] : entries)
      m.emplace(Stem(words.first) + " " + std::string(words.second), verb);
    return m;
  }();
  auto it = kPhrasal.find(std::string(stem) + " " + std::string(particle));
  return it == kPhrasal.end() ? std::string_view() : it->second;
}

bool TakesSubcommand(std::string_view program) {
  static constexpr std::string_view kWith[] = {
      "npm",      "git",    "go",  "cargo",  "docker", "kubectl", "helm",   "terraform", "make",
      "pip",      "poetry", "uv",  "dotnet", "gradle", "mvn",     "bundle", "rake",      "rails",
      "composer", "brew",   "apt", "deno",   "gh",     "cmake",   "ninja"};
  return std::find(std::begin(kWith), std::end(kWith), program) != std::end(kWith);
}

bool IsShellTool(std::string_view tool) {
  static constexpr std::string_view kShells[] = {
      "bash",    "shell", "sh",  "zsh",     "terminal",   "exec",
      "command", "cmd",   "run", "console", "powershell", "run_command"};
  return std::find(std::begin(kShells), std::end(kShells), tool) != std::end(kShells);
}

}  // namespace engram::learn
