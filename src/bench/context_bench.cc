// RunContextBench (context_bench.h): planted fixes, then retrieve_context.
#include "bench/context_bench.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <vector>

#include "engram/engine.h"
#include "engram/pattern_learning.h"
#include "engram/store_files.h"
#include "learn/action_normalizer.h"

namespace engram::bench {
namespace {

constexpr std::array<const char*, 26> kSubjects{
    "login",   "checkout", "invoice",  "upload",   "search",  "profile", "cart",
    "webhook", "export",   "import",   "billing",  "signup",  "logout",  "session",
    "report",  "email",    "payment",  "avatar",   "comment", "feed",    "inbox",
    "coupon",  "refund",   "shipping", "calendar", "wishlist"};
constexpr std::array<const char*, 8> kFixVerbs{"mock", "await", "reset", "flush",
                                               "seed", "close", "stub",  "pin"};
constexpr std::array<const char*, 8> kFixObjects{"clock",    "promise", "fixture", "queue",
                                                 "database", "socket",  "client",  "version"};
constexpr std::array<const char*, 4> kErrors{
    "Timeout", "TypeError: cannot read properties of undefined", "Expected 200, received 500",
    "Unhandled promise rejection"};
constexpr std::array<const char*, 3> kDescriptions{"Fix flaky %s test", "The %s spec fails on CI",
                                                   "Repair the broken %s tests"};

struct Family {
  std::string subject, fix, decoy, test, error;
};

Family MakeFamily(int i) {
  Family f;
  f.subject = kSubjects[static_cast<std::size_t>(i)];
  const auto k = static_cast<std::size_t>(i);
  f.fix = std::string(kFixVerbs[k % kFixVerbs.size()]) + " the " + f.subject + " " +
          kFixObjects[(k / kFixVerbs.size() + k) % kFixObjects.size()];
  f.decoy = "raise the " + f.subject + " timeout";
  f.test = "npm test -- " + f.subject + ".spec.ts";
  f.error = std::string(kErrors[k % kErrors.size()]) + " in " + f.subject + ".spec.ts";
  return f;
}

std::string Format(const char* pattern, const std::string& subject) {
  char buf[160];
  std::snprintf(buf, sizeof buf, pattern, subject.c_str());
  return buf;
}

Status Log(Engine& engine, const std::string& id, const std::string& tool,
           const std::string& action, StepStatus status = StepStatus::kSuccess,
           const std::string& output = "") {
  StepInput in;
  in.tool = tool;
  in.action = action;
  in.result = {status, output};
  in.latency_ms = 1000;
  return engine.LogStep(id, in).status();
}

Status AddEpisode(Engine& engine, const Family& f, bool success, bool decoy, std::mt19937& rng) {
  StartEpisodeRequest s;
  s.task_type = TaskType::kDebugging;
  s.description = Format(kDescriptions[rng() % kDescriptions.size()], f.subject);
  s.context.language = "typescript";
  s.context.framework = "jest";
  s.context.domain = f.subject;
  ENGRAM_ASSIGN_OR_RETURN(Episode e, engine.StartEpisode(s));
  ENGRAM_RETURN_IF_ERROR(Log(engine, e.id, "bash", f.test, StepStatus::kError, f.error));
  if (rng() % 2 == 0)
    ENGRAM_RETURN_IF_ERROR(Log(engine, e.id, "bash", "grep -rn " + f.subject + " src"));
  if (decoy || !success) {
    ENGRAM_RETURN_IF_ERROR(Log(engine, e.id, "editor", f.decoy));
    ENGRAM_RETURN_IF_ERROR(Log(engine, e.id, "bash", f.test, StepStatus::kError, f.error));
  }
  Outcome outcome = FailureOutcome{"still failing", ""};
  if (success) {
    ENGRAM_RETURN_IF_ERROR(Log(engine, e.id, "editor", f.fix));
    ENGRAM_RETURN_IF_ERROR(Log(engine, e.id, "bash", f.test));
    outcome = SuccessOutcome{"tests pass", {}};
  }
  return engine.CompleteEpisode(e.id, outcome).status();
}

bool Has(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

bool ReflectionNames(const Reflection& r, const std::string& text) {
  for (const auto* list : {&r.successes, &r.failures, &r.improvements, &r.insights}) {
    for (const std::string& s : *list) {
      if (s.find(text) != std::string::npos) return true;
    }
  }
  return false;
}

double Share(int n, int of) { return of == 0 ? 0.0 : static_cast<double>(n) / of; }
double R3(double x) { return std::round(x * 1000) / 1000; }

}  // namespace

Json ToJson(const ContextBenchReport& r) {
  return Json{{"queries", r.queries},
              {"episodes", r.episodes},
              {"heuristics_learned", r.heuristics_learned},
              {"fix_told", R3(r.fix_told)},
              {"first_fix_right", R3(r.first_fix_right)},
              {"fix_in_summary", R3(r.fix_in_summary)},
              {"decoy_as_fix", R3(r.decoy_as_fix)},
              {"decoy_warned", R3(r.decoy_warned)},
              {"heuristic_told", R3(r.heuristic_told)},
              {"reflection_told", R3(r.reflection_told)},
              {"mean_summary_bytes", R3(r.mean_summary_bytes)},
              {"seconds", R3(r.seconds)}};
}

std::string FormatReport(const ContextBenchReport& r) {
  char buf[1024];
  std::snprintf(buf, sizeof buf,
                "context bench: %d queries over %d episodes (%d heuristics learned), %.1f s\n"
                "  fix_told         %.3f  a returned episode's fix names the planted fix\n"
                "  first_fix_right  %.3f  the first recovery of the answer is the family's fix\n"
                "  fix_in_summary   %.3f  the summary names the planted fix\n"
                "  decoy_as_fix     %.3f  a decoy appears as a fix (want 0)\n"
                "  decoy_warned     %.3f  the family's decoy is a did_not_help warning\n"
                "  heuristic_told   %.3f  a listed heuristic holds the normalised fix\n"
                "  reflection_told  %.3f  baseline: a returned reflection names the fix\n"
                "  summary          %.0f bytes on average\n",
                r.queries, r.episodes, r.heuristics_learned, r.seconds, r.fix_told,
                r.first_fix_right, r.fix_in_summary, r.decoy_as_fix, r.decoy_warned,
                r.heuristic_told, r.reflection_told, r.mean_summary_bytes);
  return buf;
}

Result<ContextBenchReport> RunContextBench(const ContextBenchOptions& o) {
  if (o.families < 1 || o.families > static_cast<int>(kSubjects.size())) {
    return Status::InvalidArgument("families must be in 1..26, got " + std::to_string(o.families));
  }
  if (o.successes < 1 || o.failures < 0) {
    return Status::InvalidArgument("successes must be >= 1 and failures >= 0");
  }
  if (o.work.empty()) return Status::InvalidArgument("the bench needs a work directory");
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(o.work, ec);
  if (ec) return Status::IOError("cannot create " + o.work + ": " + ec.message());
  const std::string db = (std::filesystem::path(o.work) / "context-bench.db").string();
  for (const std::string& f : StoreFilePaths(db)) std::filesystem::remove(f, ec);
  ENGRAM_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::OpenSqlite(db, EngineOptions{}));
  std::mt19937 rng(o.seed);
  std::vector<Family> families;
  families.reserve(static_cast<std::size_t>(std::max(o.families, 0)));
  ContextBenchReport r;
  for (int i = 0; i < o.families; ++i) families.push_back(MakeFamily(i));
  for (const Family& f : families) {
    for (int k = 0; k < o.successes + o.failures; ++k) {
      const bool success = k < o.successes;
      const bool decoy = std::uniform_real_distribution<double>(0, 1)(rng) < o.decoy_share;
      ENGRAM_RETURN_IF_ERROR(AddEpisode(*engine, f, success, decoy, rng));
      ++r.episodes;
    }
  }
  PatternLearning learning = engine->patterns();
  ENGRAM_RETURN_IF_ERROR(learning.LearnHeuristics().status());
  ENGRAM_ASSIGN_OR_RETURN(std::vector<Heuristic> learned, learning.ListHeuristics(1000));
  r.heuristics_learned = static_cast<int>(learned.size());

  int told = 0, first = 0, summary = 0, decoy_fix = 0, warned = 0, heuristic = 0, reflection = 0;
  double summary_bytes = 0;
  for (const Family& f : families) {
    ContextRequest q;
    q.description = f.subject + " tests fail intermittently";
    q.task_type = TaskType::kDebugging;
    q.context.language = "typescript";
    q.context.framework = "jest";
    q.context.domain = f.subject;
    ENGRAM_ASSIGN_OR_RETURN(ContextResponse resp, engine->RetrieveContext(q));
    ++r.queries;
    const std::string fix = "editor: " + f.fix;
    bool any = false, any_decoy = false, any_reflection = false;
    const WorkedRecovery* first_recovery = nullptr;
    for (const EpisodeResult& e : resp.episodes) {
      for (const WorkedRecovery& rec : e.what_worked.recovery) {
        if (first_recovery == nullptr) first_recovery = &rec;
        any |= Has(rec.fix, fix);
        for (const Family& other : families) any_decoy |= Has(rec.fix, "editor: " + other.decoy);
      }
      if (e.reflection) any_reflection |= ReflectionNames(*e.reflection, f.fix);
    }
    told += any ? 1 : 0;
    first += first_recovery != nullptr && Has(first_recovery->fix, fix) ? 1 : 0;
    summary += resp.summary.find(fix) != std::string::npos ? 1 : 0;
    decoy_fix += any_decoy ? 1 : 0;
    reflection += any_reflection ? 1 : 0;
    summary_bytes += static_cast<double>(resp.summary.size());
    bool decoy_warning = false;
    for (const ContextWarning& w : resp.warnings) {
      decoy_warning |= w.kind == "did_not_help" && w.text.find(f.decoy) != std::string::npos;
    }
    warned += decoy_warning ? 1 : 0;
    const std::string normalised = learn::NormalizeAction(f.fix);
    bool h_told = false;
    for (const ContextHeuristic& h : resp.heuristics) {
      h_told |= h.action.find(normalised) != std::string::npos;
    }
    heuristic += h_told ? 1 : 0;
  }
  r.fix_told = Share(told, r.queries);
  r.first_fix_right = Share(first, r.queries);
  r.fix_in_summary = Share(summary, r.queries);
  r.decoy_as_fix = Share(decoy_fix, r.queries);
  r.decoy_warned = Share(warned, r.queries);
  r.heuristic_told = Share(heuristic, r.queries);
  r.reflection_told = Share(reflection, r.queries);
  r.mean_summary_bytes = r.queries == 0 ? 0 : summary_bytes / r.queries;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return r;
}

}  // namespace engram::bench
