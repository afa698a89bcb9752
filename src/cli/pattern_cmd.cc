// `engram pattern list|show|analyze|effectiveness|feedback` and
// `engram heuristic list` (docs/CLI.md, docs/LEARNING.md "Patterns and
// heuristics").
#include <CLI/CLI.hpp>
#include <iomanip>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/context.h"
#include "engram/pattern_learning.h"

namespace engram::cli {
namespace {

struct FilterArgs {
  std::string kind, task_type, language, framework, domain, project;
  std::int64_t min_support = 1;
  int limit = 20;
};

void BindFilter(CLI::App* cmd, FilterArgs& f) {
  cmd->add_option("--kind", f.kind, "sequence, error_recovery, decision_point or context");
  cmd->add_option("--task-type", f.task_type, "Only this task type");
  cmd->add_option("--language", f.language, "Only this language");
  cmd->add_option("--framework", f.framework, "Only this framework");
  cmd->add_option("--domain", f.domain, "Only this domain");
  cmd->add_option("--min-support", f.min_support, "Minimum episodes")->capture_default_str();
  cmd->add_option("--limit", f.limit, "Maximum returned")->capture_default_str();
  cmd->add_option("--project", f.project,
                  "Only what episodes without a project and this project's show");
}

// --project: unset when empty.
std::optional<std::string> ProjectOf(const std::string& project) {
  return project.empty() ? std::nullopt : std::optional<std::string>(project);
}

Result<std::optional<PatternKind>> KindOf(const FilterArgs& f) {
  std::optional<PatternKind> kind;
  if (!f.kind.empty()) {
    ENGRAM_ASSIGN_OR_RETURN(kind, ParseEnumArg<PatternKind>(ParsePatternKind, f.kind, "--kind"));
  }
  return kind;
}

void PrintPattern(std::ostream& os, const Pattern& p) {
  os << p.id << "  " << ToString(p.kind) << "  support " << p.support << "  success " << p.successes
     << "/" << p.support << "  effectiveness " << std::fixed << std::setprecision(3)
     << p.effectiveness << "\n    " << p.description << "\n";
}

void PrintHeuristic(std::ostream& os, const Heuristic& h) {
  os << h.id << "  confidence " << std::fixed << std::setprecision(3) << h.confidence
     << "  n=" << h.sample_size << "\n    " << h.description << "\n";
}

Result<Json> PatternsJson(PatternLearning& learning, const std::vector<Pattern>& ps) {
  Json a = Json::array();
  for (const auto& p : ps) {
    ENGRAM_ASSIGN_OR_RETURN(Json j, learning.Explain(p));
    a.push_back(std::move(j));
  }
  return a;
}

Json HeuristicsJson(const std::vector<Heuristic>& hs) {
  Json a = Json::array();
  for (const auto& h : hs) a.push_back(ToJson(h));
  return a;
}

// Copies the shared filter options into a PatternFilter or an analysis
// request.
template <typename Request>
Status FillFilter(const FilterArgs& f, Request& r) {
  ENGRAM_ASSIGN_OR_RETURN(r.kind, KindOf(f));
  r.task_type = f.task_type;
  r.language = f.language;
  r.framework = f.framework;
  r.domain = f.domain;
  r.min_support = f.min_support;
  r.limit = f.limit;
  r.project = ProjectOf(f.project);
  return Status::Ok();
}

void AddList(CLI::App& parent, Context& ctx) {
  auto f = std::make_shared<FilterArgs>();
  CLI::App* cmd = parent.add_subcommand("list", "Mined patterns, ranked by effectiveness");
  BindFilter(cmd, *f);
  OnRun(cmd, ctx, [f](Context& c) -> Status {
    PatternFilter filter;
    ENGRAM_RETURN_IF_ERROR(FillFilter(*f, filter));
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine(/*keyword_only=*/true));
    PatternLearning learning = engine->patterns();
    ENGRAM_ASSIGN_OR_RETURN(auto ps, learning.ListPatterns(filter));
    ENGRAM_ASSIGN_OR_RETURN(Json listed, PatternsJson(learning, ps));
    c.Emit(listed, [&](std::ostream& os) {
      if (ps.empty()) os << "no patterns\n";
      for (const auto& p : ps) PrintPattern(os, p);
    });
    return Status::Ok();
  });
}

// `show` prints everything; `effectiveness` only the numbers behind the rank.
void AddShow(CLI::App& parent, Context& ctx, bool effectiveness_only) {
  auto id = std::make_shared<std::string>();
  auto project = std::make_shared<std::string>();
  CLI::App* cmd =
      effectiveness_only
          ? parent.add_subcommand("effectiveness", "How a pattern's effectiveness is made up")
          : parent.add_subcommand("show", "One pattern and its episodes");
  cmd->add_option("id", *id, "Pattern id")->required();
  cmd->add_option("--project", *project, "As seen from this project");
  OnRun(cmd, ctx, [id, project, effectiveness_only](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine(/*keyword_only=*/true));
    PatternLearning learning = engine->patterns();
    ENGRAM_ASSIGN_OR_RETURN(Pattern p, learning.GetPattern(*id, ProjectOf(*project)));
    ENGRAM_ASSIGN_OR_RETURN(auto episodes, learning.PatternEpisodes(*id, 50, ProjectOf(*project)));
    ENGRAM_ASSIGN_OR_RETURN(Json j, learning.Explain(p));
    if (effectiveness_only) {
      j = Json{{"id", p.id},
               {"support", p.support},
               {"successes", p.successes},
               {"success_rate", p.success_rate},
               {"wilson_lower", p.wilson_lower},
               {"feedback", j["feedback"]},
               {"effectiveness", p.effectiveness}};
    } else {
      j["episode_ids"] = episodes;
    }
    c.Emit(j, [&](std::ostream& os) {
      PrintPattern(os, p);
      os << "    success rate " << p.success_rate << ", Wilson lower bound " << p.wilson_lower
         << ", feedback helped " << p.feedback.helped << " / no effect " << p.feedback.no_effect
         << " / hindered " << p.feedback.hindered << "\n";
      if (!effectiveness_only) {
        os << "    signature: " << p.signature << "\n    mean latency " << p.mean_latency_ms
           << " ms\n";
        for (const auto& e : episodes) os << "    episode " << e << "\n";
      }
    });
    return Status::Ok();
  });
}

void AddAnalyze(CLI::App& parent, Context& ctx) {
  auto f = std::make_shared<FilterArgs>();
  f->min_support = 2;
  f->limit = 10;
  auto no_learn = std::make_shared<bool>(false);
  auto min_success_rate = std::make_shared<double>(0.0);
  CLI::App* cmd = parent.add_subcommand(
      "analyze", "Re-learn heuristics and show the best patterns and heuristics for a context");
  BindFilter(cmd, *f);
  cmd->add_flag("--no-learn", *no_learn, "Do not re-learn heuristics first");
  cmd->add_option("--min-success-rate", *min_success_rate,
                  "Leave out patterns whose success rate is below this (0..1)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  OnRun(cmd, ctx, [f, no_learn, min_success_rate](Context& c) -> Status {
    PatternAnalysisRequest req;
    ENGRAM_RETURN_IF_ERROR(FillFilter(*f, req));
    req.learn_heuristics = !*no_learn;
    req.min_success_rate = *min_success_rate;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine(/*keyword_only=*/true));
    ENGRAM_ASSIGN_OR_RETURN(PatternAnalysis a, engine->patterns().Analyze(req));
    c.Emit(ToJson(a), [&](std::ostream& os) {
      if (a.heuristics_learned) os << "learned from " << a.episodes_analyzed << " episodes\n";
      os << "patterns:\n";
      for (const auto& p : a.patterns) PrintPattern(os, p);
      os << "heuristics:\n";
      for (const auto& h : a.heuristics) PrintHeuristic(os, h);
    });
    return Status::Ok();
  });
}

void AddFeedback(CLI::App& parent, Context& ctx) {
  struct Args {
    std::string id, signal, target = "pattern", episode, actor = "user", note;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = parent.add_subcommand(
      "feedback", "Report that a pattern or heuristic helped, had no effect or hindered");
  cmd->add_option("id", a->id, "Pattern or heuristic id")->required();
  cmd->add_option("signal", a->signal, "helped, no_effect or hindered")->required();
  cmd->add_option("--target", a->target, "pattern or heuristic")->capture_default_str();
  cmd->add_option("--episode", a->episode, "Episode where it was applied");
  cmd->add_option("--actor", a->actor, "Who reports")->capture_default_str();
  cmd->add_option("--note", a->note, "Free text");
  OnRun(cmd, ctx, [a](Context& c) -> Status {
    PatternFeedbackRequest req;
    ENGRAM_ASSIGN_OR_RETURN(
        req.target, ParseEnumArg<FeedbackTarget>(ParseFeedbackTarget, a->target, "--target"));
    ENGRAM_ASSIGN_OR_RETURN(req.signal,
                            ParseEnumArg<FeedbackSignal>(ParseFeedbackSignal, a->signal, "signal"));
    req.target_id = a->id;
    req.episode_id = a->episode;
    req.actor = a->actor;
    req.note = a->note;
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine(/*keyword_only=*/true));
    ENGRAM_ASSIGN_OR_RETURN(PatternFeedbackResult r, engine->patterns().RecordFeedback(req));
    c.Emit(ToJson(r), [&](std::ostream& os) {
      os << "effectiveness " << r.before << " -> " << r.after << "\n";
    });
    return Status::Ok();
  });
}

void AddHeuristicList(CLI::App& parent, Context& ctx) {
  auto limit = std::make_shared<int>(20);
  auto project = std::make_shared<std::string>();
  CLI::App* cmd = parent.add_subcommand("list", "Learned heuristics, by confidence");
  cmd->add_option("--limit", *limit, "Maximum returned")->capture_default_str();
  cmd->add_option("--project", *project,
                  "Learn now from episodes without a project and this project's only");
  OnRun(cmd, ctx, [limit, project](Context& c) -> Status {
    ENGRAM_ASSIGN_OR_RETURN(Engine * engine, c.OpenEngine(/*keyword_only=*/true));
    ENGRAM_ASSIGN_OR_RETURN(auto hs,
                            engine->patterns().ListHeuristics(*limit, ProjectOf(*project)));
    c.Emit(HeuristicsJson(hs), [&](std::ostream& os) {
      if (hs.empty()) os << "no heuristics (run `engram pattern analyze`)\n";
      for (const auto& h : hs) PrintHeuristic(os, h);
    });
    return Status::Ok();
  });
}

}  // namespace

void AddPatternCommands(CLI::App& app, Context& ctx) {
  CLI::App* pattern = app.add_subcommand("pattern", "Patterns mined across episodes");
  pattern->require_subcommand(1);
  AddList(*pattern, ctx);
  AddShow(*pattern, ctx, /*effectiveness_only=*/false);
  AddAnalyze(*pattern, ctx);
  AddShow(*pattern, ctx, /*effectiveness_only=*/true);
  AddFeedback(*pattern, ctx);
  CLI::App* heuristic = app.add_subcommand("heuristic", "Heuristics learned from episodes");
  heuristic->require_subcommand(1);
  AddHeuristicList(*heuristic, ctx);
}

}  // namespace engram::cli
