#include "bench/pattern_corpus.h"

#include <array>
#include <string_view>
#include <utility>

namespace engram::bench {
namespace {

// splitmix64: a fixed generator, so a seed means the same corpus everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }
  bool Chance(double p) { return Uniform() < p; }
  std::size_t Below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(Next() % n); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }

 private:
  std::uint64_t state_;
};

enum Item { kAwait, kTimers, kInstall, kNoneCheck, kMutex, kNilCheck, kSkip, kSwallow, kRetry };

// A problem: what fails, how, and the fix that works.
struct Problem {
  std::vector<std::string> errors;
  Item fix;
};

struct Language {
  std::string name, framework;
  std::vector<std::string> checks;  // command forms of the check ({o} = object)
  std::vector<Problem> problems;
};

const std::vector<Language>& Languages() {
  static const std::vector<Language> kLanguages = {
      {"typescript",
       "jest",
       {"npm test -- src/{o}/{o}.spec.ts", "npm test", "yarn test {o}", "npx jest src/{o}.spec.ts",
        "npm run test -- --runInBand"},
       {{{"Timeout - Async callback was not invoked within the 5000 ms timeout specified by "
          "jest.setTimeout",
          "thrown: \"Exceeded timeout of 5000 ms for a test.\"",
          "Jest did not exit one second after the test run has completed."},
         kAwait},
        {{"expect(received).toEqual(expected) // deep equality - Expected: 2024-01-01",
          "AssertionError: expected '10:00' to equal '10:01'"},
         kTimers}}},
      {"python",
       "pytest",
       {"pytest tests/test_{o}.py", "pytest -q", "python -m pytest tests/ -k {o}",
        "pytest tests/test_{o}.py::test_{o}_flow -x"},
       {{{"ModuleNotFoundError: No module named '{p}'", "ImportError: No module named {p}"},
         kInstall},
        {{"AttributeError: 'NoneType' object has no attribute '{o}'",
          "TypeError: 'NoneType' object is not subscriptable"},
         kNoneCheck}}},
      {"go",
       "",
       {"go test ./...", "go test -race ./{o}/...", "go test -run Test{O} ./pkg/{o}"},
       {{{"WARNING: DATA RACE", "fatal error: concurrent map writes"}, kMutex},
        {{"panic: runtime error: invalid memory address or nil pointer dereference"}, kNilCheck}}},
  };
  return kLanguages;
}

// Paraphrases of each planted action ({o} object, {O} capitalised, {f}
// file, {p} package).
const std::vector<std::string>& Phrases(Item item) {
  static const std::array<std::vector<std::string>, 8> kPhrases = {{
      {"await the {o} promise", "Await the {O}Client.connect() promise in beforeEach",
       "add the missing await before {o}Service.init()",
       "make sure the {o} setup promise is awaited", "awaited {o}Repo.load() in the test setup",
       "return the {o} promise from beforeEach so jest waits for it"},
      {"mock the clock with jest.useFakeTimers()", "use fake timers in the {o} test",
       "Mock Date.now in {o}.spec.ts", "stub the system clock for the {o} tests",
       "freeze time with jest.setSystemTime in the {o} suite"},
      {"pip install {p}", "pip3 install {p}==2.1.0", "python -m pip install {p}",
       "pip install -r requirements.txt", "poetry add {p}"},
      {"add a None check for {o}", "guard against {o} being None", "return early when {o} is None",
       "handle the None {o} case in {f}", "check {o} is not None before using it"},
      {"guard the {o} map with a sync.Mutex", "add a mutex around the {o} cache",
       "lock the {o} state with a mutex", "protect the shared {o} counter with sync.Mutex",
       "use a sync.RWMutex for {o}"},
      {"add a nil check for {o}", "check {o} != nil before dereferencing",
       "return an error when {o} is nil", "guard against a nil {o} pointer"},
      {"skip the failing {o} test", "mark the {o} test as skipped", "disable the flaky {o} test",
       "comment out the {o} assertion", "add it.skip to the {o} spec"},
      {"wrap the {o} call in try/except and ignore the error", "swallow the {o} exception",
       "catch and ignore errors from {o}", "silence the {o} error",
       "suppress the {o} exception with a bare except"},
  }};
  return kPhrases[static_cast<std::size_t>(item)];
}

const std::vector<std::string> kNeutral = {"add debug logging to {o}",
                                           "rename {o} to {o}Handler",
                                           "read the {o} documentation",
                                           "refactor the {o} helper",
                                           "update the comment in {f}",
                                           "print the {o} response",
                                           "reformat {f}",
                                           "extract a helper for {o}",
                                           "add a type annotation to {o}"};
const std::vector<std::string> kObjects = {"login", "session", "cart",   "payment",
                                           "user",  "invoice", "order",  "profile",
                                           "token", "report",  "search", "upload"};
const std::vector<std::string> kPackages = {"requests", "numpy", "pydantic",
                                            "httpx",    "yaml",  "boto3"};
const std::vector<std::string> kEditors = {"editor", "edit", "apply_patch", "str_replace"};
const std::vector<std::string> kShells = {"bash", "shell", "terminal"};

std::string Fill(std::string text, const std::string& object, const std::string& file,
                 const std::string& package) {
  std::string cap = object;
  if (!cap.empty() && cap[0] >= 'a' && cap[0] <= 'z') cap[0] = static_cast<char>(cap[0] - 32);
  const std::pair<std::string_view, const std::string*> slots[] = {
      {"{o}", &object}, {"{O}", &cap}, {"{f}", &file}, {"{p}", &package}};
  for (const auto& [slot, value] : slots) {
    for (auto pos = text.find(slot); pos != std::string::npos; pos = text.find(slot, pos)) {
      text.replace(pos, slot.size(), *value);
      pos += value->size();
    }
  }
  return text;
}

class EpisodeBuilder {
 public:
  EpisodeBuilder(Rng& rng, Episode& e, std::string object, std::string file, std::string package)
      : rng_(rng),
        e_(e),
        object_(std::move(object)),
        file_(std::move(file)),
        package_(std::move(package)) {}

  void Add(std::string tool, const std::string& action, bool ok, const std::string& output = "") {
    Step s;
    s.number = static_cast<int>(e_.steps.size()) + 1;
    s.tool = std::move(tool);
    s.action = Fill(action, object_, file_, package_);
    s.result.status = ok ? StepStatus::kSuccess : StepStatus::kError;
    s.result.output = Fill(output, object_, file_, package_);
    s.latency_ms = 200 + static_cast<std::int64_t>(rng_.Below(5000));
    s.timestamp = e_.started_at + 1000 * s.number;
    e_.steps.push_back(std::move(s));
  }

  void Noise() {
    switch (rng_.Below(4)) {
      case 0:
        Add(rng_.Pick(kShells), "git status", true);
        break;
      case 1:
        Add(rng_.Pick(kShells), "cat {f}", true);
        break;
      case 2:
        Add("grep", "grep -rn {o} src", true);
        break;
      default:
        Add("read_file", "open {f}", true);
        break;
    }
  }

  void Edit(Item item) { Add(rng_.Pick(kEditors), rng_.Pick(Phrases(item)), true); }
  void Shell(Item item) { Add(rng_.Pick(kShells), rng_.Pick(Phrases(item)), true); }

 private:
  Rng& rng_;
  Episode& e_;
  std::string object_, file_, package_;
};

const std::array<TaskType, 4> kTaskTypes = {TaskType::kDebugging, TaskType::kDebugging,
                                            TaskType::kTesting, TaskType::kCodeGeneration};

}  // namespace

const std::vector<PlantedItem>& PlantedItems() {
  static const std::vector<PlantedItem> kItems = {{"await-promise", true, "typescript"},
                                                  {"fake-timers", true, "typescript"},
                                                  {"install-module", true, "python"},
                                                  {"none-check", true, "python"},
                                                  {"mutex", true, "go"},
                                                  {"nil-check", true, "go"},
                                                  {"skip-test", false, ""},
                                                  {"swallow-error", false, ""},
                                                  {"retry-unchanged", false, ""}};
  return kItems;
}

std::vector<SyntheticEpisode> GenerateEpisodes(const PatternCorpusOptions& o) {
  Rng rng(o.seed);
  std::vector<SyntheticEpisode> out;
  out.reserve(static_cast<std::size_t>(std::max(0, o.episodes)));
  for (int n = 0; n < o.episodes; ++n) {
    SyntheticEpisode se;
    Episode& e = se.episode;
    e.id = "syn-" + std::to_string(n);
    e.started_at = 1'700'000'000'000 + 3'600'000LL * n;
    const Language& lang = rng.Pick(Languages());
    e.task_type = kTaskTypes[rng.Below(kTaskTypes.size())];
    e.context.language = lang.name;
    e.context.framework = lang.framework;
    const std::size_t problem_index = rng.Below(lang.problems.size());
    const Problem& problem = lang.problems[problem_index];
    const Problem& other = lang.problems[(problem_index + 1) % lang.problems.size()];
    const std::string object = rng.Pick(kObjects);
    std::string file = "src/";
    file.append(object).append("/").append(object).append(lang.name == "go" ? ".go" : ".ts");
    EpisodeBuilder b(rng, e, object, file, rng.Pick(kPackages));
    e.description = "fix the failing " + object + " check";
    const std::string check = rng.Pick(lang.checks);
    const std::string shell = rng.Pick(kShells);
    for (std::size_t k = rng.Below(3); k > 0; --k) b.Noise();
    b.Add(shell, check, false, rng.Pick(problem.errors));
    // Strategy.
    const double r = rng.Uniform();
    double rate = o.neutral_rate;
    bool passes_anyway = false;  // anti-patterns can make the check pass
    if (r < 0.30) {
      if (rng.Chance(0.3)) b.Add(rng.Pick(kEditors), rng.Pick(kNeutral), true);
      problem.fix == kInstall ? b.Shell(problem.fix) : b.Edit(problem.fix);
      se.applied.push_back(problem.fix);
      rate = o.good_rate;
    } else if (r < 0.40) {
      b.Edit(kSkip);
      se.applied.push_back(kSkip);
      rate = o.bad_rate;
      passes_anyway = rng.Chance(0.7);
    } else if (r < 0.50) {
      b.Edit(kSwallow);
      se.applied.push_back(kSwallow);
      rate = o.bad_rate;
      passes_anyway = rng.Chance(0.5);
    } else if (r < 0.60) {
      b.Add(shell, check, false, rng.Pick(problem.errors));
      se.applied.push_back(kRetry);
      rate = o.bad_rate;
      if (rng.Chance(0.5)) b.Add(rng.Pick(kEditors), rng.Pick(kNeutral), true);
    } else if (r < 0.70) {
      other.fix == kInstall ? b.Shell(other.fix) : b.Edit(other.fix);
      se.applied.push_back(other.fix);
    } else {
      for (std::size_t k = 1 + rng.Below(2); k > 0; --k) {
        b.Add(rng.Pick(kEditors), rng.Pick(kNeutral), true);
      }
    }
    if (rng.Chance(0.3)) b.Noise();
    bool success = rng.Chance(rate);
    const bool check_ok = success || passes_anyway;
    b.Add(shell, check, check_ok, check_ok ? "ok" : rng.Pick(problem.errors));
    if (check_ok && !se.applied.empty() && PlantedItems()[se.applied[0]].positive) {
      se.recovered.push_back(se.applied[0]);
    }
    if (rng.Chance(success ? 0.8 : 0.15)) b.Add("git", "git commit -am 'fix " + object + "'", true);
    if (rng.Chance(o.flip_rate)) success = !success;
    if (success) {
      e.outcome = SuccessOutcome{"merged", {}};
    } else {
      e.outcome = FailureOutcome{check_ok ? "rejected in review" : "check still fails", ""};
    }
    e.ended_at = e.started_at + 1000 * static_cast<Timestamp>(e.steps.size() + 1);
    out.push_back(std::move(se));
  }
  return out;
}

}  // namespace engram::bench
